// SPDX-License-Identifier: GPL-2.0
/*
 * vi915_bench - copy throughput of the vi915 software blitter engine next
 * to memcpy, measured side by side in the same run.
 *
 * An 8 MiB userptr -> userptr copy: one XY_SRC_COPY_BLT per request
 * (linear, 32bpp, 4096 x 512 pixels, pitch 16 KiB), EXECBUFFER2 on the
 * blitter + GEM_WAIT, best of ROUNDS after a warm-up (which also pins the
 * user pages); then memcpy of the same bytes between the same buffers,
 * best of ROUNDS.  Every engine copy is checked byte for byte.  A second
 * line reports XY_FAST_COPY_BLT the same way.
 *
 * Output (first line, parsed by the pipeline):
 *   vi915-bench: engine copy 8 MiB: X MiB/s, memcpy: Y MiB/s, ratio engine/memcpy = R
 * and, after the copies, vi915-bench-scale: execbuf and GTT-fault latency
 * with 1, 10^3 and 10^5 bound objects (see scale_bench()).
 * Exit 0, or 1 if an ioctl failed or a copy was wrong.
 *
 * Usage: vi915_bench [MiB] [rounds]   (defaults 8, 5)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "lib.h"

#define PITCH	16384		/* bytes per row: 4096 pixels of 32 bits */

static int dev = -1;

static void die(const char *fmt, const char *what, int err)
{
	printf("vi915-bench: FAIL: ");
	printf(fmt, what, strerror(err));
	printf("\n");
	exit(1);
}

/* One engine copy dst <- src of size bytes (size / PITCH rows), waited for. */
static double engine_copy(uint32_t dst, uint32_t src, size_t size, bool fast)
{
	struct vi_blit b = {
		.dst = { .handle = dst, .pitch = PITCH },
		.src = { .handle = src, .pitch = PITCH },
		.width = PITCH / 4, .height = size / PITCH, .cpp = 4, .fast = fast,
	};
	double t0 = vi_now();
	int ret = vi_blit(dev, &b);

	if (ret)
		die("%s: %s", "EXECBUFFER2 of the copy", -ret);
	ret = __gem_wait(dev, dst, NULL);
	if (ret)
		die("%s: %s", "GEM_WAIT of the copy", -ret);
	return vi_now() - t0;
}

static void check_copy(const uint8_t *dst, const uint8_t *src, size_t size, const char *what)
{
	if (memcmp(dst, src, size)) {
		size_t i = 0;

		while (dst[i] == src[i])
			i++;
		printf("vi915-bench: FAIL: %s: byte %#zx is %#x, expected %#x\n", what, i,
		       dst[i], src[i]);
		exit(1);
	}
}

static double best_engine(uint32_t dst_h, uint32_t src_h, uint8_t *dst, const uint8_t *src,
			  size_t size, int rounds, bool fast)
{
	double best = 1e9;

	engine_copy(dst_h, src_h, size, fast);		/* warm-up: pins the pages */
	check_copy(dst, src, size, fast ? "warm-up fast copy" : "warm-up copy");
	for (int r = 0; r < rounds; r++) {
		double t;

		memset(dst, r + 1, size);
		t = engine_copy(dst_h, src_h, size, fast);
		check_copy(dst, src, size, fast ? "XY_FAST_COPY_BLT" : "XY_SRC_COPY_BLT");
		if (t < best)
			best = t;
	}
	return best;
}

/*
 * Scale: execbuf and GTT-fault latency with 1, 10^3 and 10^5 objects bound,
 * as ratios to the 1-object case. The bound objects are one-page userptrs
 * over one user page (cheap: no memory each but the object), bound by
 * execbufs of up to 2000 of them. Each measurement binds a new object: an
 * execbuf of a fresh one-page GEM object (its batch), or the first write
 * through the GTT mmap of one; median of SCALE_ROUNDS.
 */
#define SCALE_ROUNDS	21
#define SCALE_CHUNK	2000	/* objects per binding execbuf (the cap is 2047) */

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return v[n / 2];
}

static uint32_t end_batch(void)
{
	uint32_t cs[2] = { MI_BATCH_BUFFER_END, MI_NOOP }, h;

	if (__gem_create(dev, 4096, &h) || __gem_pwrite(dev, h, 0, cs, sizeof(cs)))
		die("%s: %s", "GEM_CREATE batch", errno);
	return h;
}

static void exec_list(uint32_t *handles, unsigned int n)
{
	struct drm_i915_gem_exec_object2 *obj = calloc(n, sizeof(*obj));
	struct drm_i915_gem_execbuffer2 eb = { .flags = I915_EXEC_BLT };
	int64_t forever = -1;
	int ret;

	if (!obj)
		die("%s: %s", "calloc", ENOMEM);
	for (unsigned int i = 0; i < n; i++)
		obj[i].handle = handles[i];
	eb.buffers_ptr = (uintptr_t)obj;
	eb.buffer_count = n;
	ret = __gem_execbuf(dev, &eb);
	if (ret)
		die("%s: %s", "EXECBUFFER2 (scale)", -ret);
	__gem_wait(dev, handles[n - 1], &forever);
	free(obj);
}

static void measure(double *exec_us, double *fault_us)
{
	double ex[SCALE_ROUNDS], fa[SCALE_ROUNDS];

	for (int r = 0; r < SCALE_ROUNDS; r++) {
		uint32_t b = end_batch(), h;
		volatile uint32_t *m;
		double t0 = vi_now();

		exec_list(&b, 1);
		ex[r] = vi_now() - t0;
		__gem_close(dev, b);
		if (__gem_create(dev, 4096, &h))
			die("%s: %s", "GEM_CREATE", errno);
		m = __gem_mmap_gtt(dev, h, 4096, PROT_READ | PROT_WRITE);
		if (!m)
			die("%s: %s", "MMAP_GTT", errno);
		t0 = vi_now();
		m[0] = 1;
		fa[r] = vi_now() - t0;
		munmap((void *)m, 4096);
		__gem_close(dev, h);
	}
	*exec_us = median(ex, SCALE_ROUNDS) * 1e6;
	*fault_us = median(fa, SCALE_ROUNDS) * 1e6;
}

static void scale_bench(void)
{
	static const unsigned int counts[] = { 1, 1000, 100000 };
	double exec_us[3], fault_us[3];
	unsigned int have = 0, max = counts[2];
	uint32_t *handles = calloc(max + 1, sizeof(*handles));
	void *page = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	double t_setup = vi_now();

	if (!handles || page == MAP_FAILED)
		die("%s: %s", "scale setup", ENOMEM);
	memset(page, 1, 4096);
	for (int c = 0; c < 3; c++) {
		while (have < counts[c]) {
			unsigned int from = have, n = counts[c] - have;
			int ret;

			if (n > SCALE_CHUNK - 1)
				n = SCALE_CHUNK - 1;
			for (unsigned int i = 0; i < n; i++) {
				ret = __gem_userptr(dev, page, 4096, 0, &handles[have]);
				if (ret)
					die("%s: %s", "USERPTR (scale)", -ret);
				have++;
			}
			/* Bind them: one execbuf, a batch last. */
			handles[have] = end_batch();
			exec_list(handles + from, n + 1);
			__gem_close(dev, handles[have]);
		}
		measure(&exec_us[c], &fault_us[c]);
	}
	t_setup = vi_now() - t_setup;
	printf("vi915-bench-scale: execbuf %.0f us with 1 bound object, %.2fx with 10^3, "
	       "%.2fx with 10^5; GTT fault %.0f us, %.2fx, %.2fx (median of %d, one new "
	       "binding each; %.1f s in all)\n",
	       exec_us[0], exec_us[1] / exec_us[0], exec_us[2] / exec_us[0], fault_us[0],
	       fault_us[1] / fault_us[0], fault_us[2] / fault_us[0], SCALE_ROUNDS, t_setup);
	for (unsigned int i = 0; i < have; i++)
		__gem_close(dev, handles[i]);
	free(handles);
	munmap(page, 4096);
}

int main(int argc, char **argv)
{
	size_t mib = argc > 1 ? strtoul(argv[1], NULL, 0) : 8;
	int rounds = argc > 2 ? atoi(argv[2]) : 5;
	size_t size = mib << 20;
	double best_src, best_fast, best_cpu = 1e9, rate_src, rate_fast, rate_cpu;
	uint8_t *src, *dst;
	uint32_t src_h, dst_h;
	char why[512];
	int ret;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!mib || mib > 256 || rounds < 1) {
		fprintf(stderr, "usage: %s [MiB (1..256)] [rounds]\n", argv[0]);
		return 2;
	}
	dev = drm_open_i915(why, sizeof(why));
	if (dev < 0) {
		printf("vi915-bench: FAIL: no i915 (vi915) device: %s\n", why);
		return 1;
	}
	src = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	dst = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (src == MAP_FAILED || dst == MAP_FAILED)
		die("%s: %s", "mmap", errno);
	for (size_t i = 0; i < size / 4; i++)
		((uint32_t *)src)[i] = (uint32_t)(i * 2654435761u) ^ 0x5a5a5a5a;
	memset(dst, 0, size);
	ret = __gem_userptr(dev, src, size, 0, &src_h);
	if (ret)
		die("%s: %s", "USERPTR (source)", -ret);
	ret = __gem_userptr(dev, dst, size, 0, &dst_h);
	if (ret)
		die("%s: %s", "USERPTR (destination)", -ret);

	best_src = best_engine(dst_h, src_h, dst, src, size, rounds, false);
	best_fast = best_engine(dst_h, src_h, dst, src, size, rounds, true);

	memcpy(dst, src, size);				/* warm-up */
	for (int r = 0; r < rounds; r++) {
		double t0;

		memset(dst, r + 1, size);
		t0 = vi_now();
		memcpy(dst, src, size);
		__asm__ __volatile__("" : : "r"(dst) : "memory");
		t0 = vi_now() - t0;
		check_copy(dst, src, size, "memcpy");
		if (t0 < best_cpu)
			best_cpu = t0;
	}

	rate_src = mib / best_src;
	rate_fast = mib / best_fast;
	rate_cpu = mib / best_cpu;
	printf("vi915-bench: engine copy %zu MiB: %.0f MiB/s, memcpy: %.0f MiB/s, "
	       "ratio engine/memcpy = %.2f\n", mib, rate_src, rate_cpu, rate_src / rate_cpu);
	printf("vi915-bench-detail: XY_SRC_COPY_BLT %.0f MiB/s (%.2f ms), XY_FAST_COPY_BLT "
	       "%.0f MiB/s (%.2f ms), memcpy %.0f MiB/s (%.2f ms); best of %d, execbuf + "
	       "GEM_WAIT per copy, userptr -> userptr, pitch %d\n", rate_src, best_src * 1e3,
	       rate_fast, best_fast * 1e3, rate_cpu, best_cpu * 1e3, rounds, PITCH);

	__gem_close(dev, src_h);
	__gem_close(dev, dst_h);
	munmap(src, size);
	munmap(dst, size);
	scale_bench();
	close(dev);
	return 0;
}
