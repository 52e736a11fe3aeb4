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
	close(dev);
	return 0;
}
