// SPDX-License-Identifier: GPL-2.0
/*
 * vi915_negctl <scenario> - drive one scenario against a pre-seed vi915
 * build (get_pages takes mmap_lock when the object's mm is current's: the
 * bug "drm/i915/userptr: Reinvent GGTT self-faulting protection" fixed) so
 * that lockdep reports.  It checks nothing: it prints what it did and exits
 * 0 even if ioctls fail (2 on a usage error).  alarm(20) bounds it.
 *
 * Scenarios (reference /work/shared/reference/i915-userptr-and-igt.md):
 *   gtt-fault         dmabuf-sync steps 1-4 (ref 3.3): GTT fault on an
 *                     imported userptr -> get_pages inside the fault
 *                     (recursive mmap_lock, ref 6.1 first splat).
 *   process-exit-gtt  a child creates a userptr, GTT-mmaps it, writes
 *                     through the mapping, exits without closing.
 *   ioctl-vs-fault    thread A: SET_DOMAIN on fresh userptrs (pages lock ->
 *                     mmap_lock), thread B: GTT faults on a populated
 *                     userptr (mmap_lock/VMA lock -> pages lock): the
 *                     circular chain (ref 6.1 second splat).
 *   engine-signalling one engine request on a GTT-mapped object, then a
 *                     tiling change of it (GGTT lock -> unmap_mapping_range
 *                     -> MMU invalidation, which may wait for fences).  Run
 *                     against the bad-engine build (its signalling path
 *                     takes the GGTT lock), lockdep must report the cycle
 *                     through dma_fence_map.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib.h"

#define SZ (1024 * 1024)

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	printf("vi915_negctl: ");
	vprintf(fmt, ap);
	printf("\n");
	va_end(ap);
	fflush(stdout);
}

static const char *err(int ret)
{
	return ret ? strerror(-ret) : "ok";
}

static int open_dev(void)
{
	char why[512];
	int fd = drm_open_i915(why, sizeof(why));

	if (fd < 0)
		say("cannot open the i915 device: %s", why);
	return fd;
}

static void *anon(size_t size, bool populate)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED) {
		say("mmap(anon %zu): %s", size, strerror(errno));
		return NULL;
	}
	if (populate)
		memset(p, 0x5a, size);
	return p;
}

static unsigned long touch(const void *p, size_t size)
{
	const volatile unsigned char *c = p;
	unsigned long sum = 0;

	for (size_t i = 0; i < size; i += PAGE_SIZE)
		sum += c[i];
	return sum;
}

/* dmabuf-sync steps 1-4 (ref 3.3). */
static void scenario_gtt_fault(void)
{
	int fd1, fd2 = -1, dmabuf = -1, ret;
	uint32_t handle = 0, import = 0;
	unsigned char *user, *gtt;

	fd1 = open_dev();
	if (fd1 < 0)
		return;
	user = anon(SZ, true);	/* step 1: memset first so pages are present */
	if (!user)
		return;
	ret = __gem_userptr(fd1, user, SZ, 0, &handle);
	say("step 1: USERPTR(1 MiB MAP_SHARED anon, populated) -> %s, handle %u", err(ret), handle);
	ret = __prime_handle_to_fd(fd1, handle, DRM_CLOEXEC, &dmabuf);
	say("step 2: PRIME_HANDLE_TO_FD -> %s, fd %d", err(ret), dmabuf);
	fd2 = open_dev();
	if (fd2 >= 0 && dmabuf >= 0) {
		ret = __prime_fd_to_handle(fd2, dmabuf, &import);
		say("step 3: PRIME_FD_TO_HANDLE on a second fd -> %s, handle %u", err(ret), import);
	}
	if (import) {
		gtt = __gem_mmap_gtt(fd2, import, SZ, PROT_READ | PROT_WRITE);
		say("step 4: GTT mmap of the import -> %s", gtt ? "ok" : strerror(errno));
		if (gtt) {
			say("step 4: reading through the GTT mmap (GTT fault on a userptr)...");
			touch(gtt, SZ);
			say("step 4: read done, contents %s the user memory",
			    memcmp(gtt, user, SZ) ? "DIFFER from" : "match");
			memset(gtt, 0x11, SZ);
			say("step 4: wrote through the GTT mmap");
			munmap(gtt, SZ);
		}
	}
	if (import)
		__gem_close(fd2, import);
	if (dmabuf >= 0)
		close(dmabuf);
	if (handle)
		__gem_close(fd1, handle);
	if (fd2 >= 0)
		close(fd2);
	close(fd1);
	munmap(user, SZ);
}

/* process-exit-gtt (ref 3.1 group 3). */
static void scenario_process_exit_gtt(void)
{
	int fd = open_dev(), status;
	pid_t pid;

	if (fd < 0)
		return;
	pid = fork();
	if (pid < 0) {
		say("fork: %s", strerror(errno));
		close(fd);
		return;
	}
	if (pid == 0) {
		uint32_t handle = 0;
		void *user = anon(SZ, false);
		volatile uint32_t *gtt;
		int ret;

		if (!user)
			_exit(0);
		ret = __gem_userptr(fd, user, SZ, 0, &handle);
		say("child: USERPTR(1 MiB) -> %s, handle %u", err(ret), handle);
		if (ret)
			_exit(0);
		gtt = __gem_mmap_gtt(fd, handle, SZ, PROT_READ | PROT_WRITE);
		say("child: GTT mmap of the userptr -> %s", gtt ? "ok" : strerror(errno));
		if (gtt) {
			gtt[0] = 0;
			say("child: wrote through the GTT mmap; exiting without closing");
		}
		_exit(0);
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	say("child exited (status %#x); closing the fd", status);
	close(fd);
}

/* ioctl-vs-fault: the circular obj pages lock <-> mmap_lock chain. */
struct thread_ctx {
	int fd;
	double until;
	unsigned long iterations;
	unsigned long errors;
	int last_err;
};

/* Thread A: ioctl path, pages lock -> (pre-seed) mmap_lock.  Fresh object
 * each time so that get_pages really runs. */
static void *thread_ioctl(void *arg)
{
	struct thread_ctx *c = arg;
	void *user = anon(SZ, true);

	if (!user)
		return NULL;
	while (vi_now() < c->until) {
		uint32_t x;
		int ret = __gem_userptr(c->fd, user, SZ, 0, &x);

		if (!ret) {
			ret = __gem_set_domain(c->fd, x, I915_GEM_DOMAIN_CPU,
					       I915_GEM_DOMAIN_CPU);
			__gem_close(c->fd, x);
		}
		if (ret) {
			c->errors++;
			c->last_err = ret;
		}
		c->iterations++;
	}
	munmap(user, SZ);
	return NULL;
}

/* Thread B: fault path, mmap_lock/VMA lock -> pages lock.  Y's pages are
 * populated by SET_DOMAIN first, then each iteration maps the GTT offset
 * afresh so every touch is a new fault. */
static void *thread_fault(void *arg)
{
	struct thread_ctx *c = arg;
	void *user = anon(SZ, true);
	uint64_t offset = 0;
	uint32_t y = 0;
	int ret;

	if (!user)
		return NULL;
	ret = __gem_userptr(c->fd, user, SZ, 0, &y);
	if (!ret)
		ret = __gem_set_domain(c->fd, y, I915_GEM_DOMAIN_CPU, I915_GEM_DOMAIN_CPU);
	if (!ret)
		ret = __gem_mmap_gtt_offset(c->fd, y, &offset);
	say("thread B: userptr Y %u, SET_DOMAIN + MMAP_GTT -> %s", y, err(ret));
	if (ret) {
		c->last_err = ret;
		goto out;
	}
	while (vi_now() < c->until) {
		void *map = mmap(NULL, SZ, PROT_READ | PROT_WRITE, MAP_SHARED, c->fd, offset);

		if (map == MAP_FAILED) {
			c->errors++;
			c->last_err = -errno;
		} else {
			touch(map, 16 * PAGE_SIZE);
			munmap(map, SZ);
		}
		c->iterations++;
	}
out:
	if (y)
		__gem_close(c->fd, y);
	munmap(user, SZ);
	return NULL;
}

static void scenario_ioctl_vs_fault(void)
{
	struct thread_ctx a, b;
	pthread_t ta, tb;
	int fd = open_dev();

	if (fd < 0)
		return;
	memset(&a, 0, sizeof(a));
	a.fd = fd;
	a.until = vi_now() + 2.0;
	b = a;
	say("running thread A (SET_DOMAIN on fresh userptrs) and thread B "
	    "(GTT faults on a userptr) for 2 s");
	if (pthread_create(&ta, NULL, thread_ioctl, &a) ||
	    pthread_create(&tb, NULL, thread_fault, &b)) {
		say("pthread_create failed");
		close(fd);
		return;
	}
	pthread_join(ta, NULL);
	pthread_join(tb, NULL);
	say("thread A: %lu iterations, %lu errors (last: %s)", a.iterations, a.errors,
	    err(a.last_err));
	say("thread B: %lu iterations, %lu errors (last: %s)", b.iterations, b.errors,
	    err(b.last_err));
	close(fd);
}

static void on_alarm(int sig)
{
	static const char msg[] = "vi915_negctl: alarm(20) expired, giving up\n";

	(void)sig;
	if (write(STDOUT_FILENO, msg, sizeof(msg) - 1) < 0) { }
	_exit(0);
}

/* One request on a GTT-mapped object, then a tiling change of it. */
static void scenario_engine_signalling(void)
{
	struct drm_i915_gem_exec_object2 obj[2];
	struct drm_i915_gem_execbuffer2 eb;
	const uint32_t bbe[2] = { 0x0a << 23, 0 };
	uint32_t bo, batch;
	uint32_t *map;
	int fd = open_dev(), ret;

	if (fd < 0)
		return;
	if (__gem_create(fd, 2 * PAGE_SIZE, &bo) || __gem_create(fd, PAGE_SIZE, &batch)) {
		say("GEM_CREATE failed");
		return;
	}
	map = __gem_mmap_gtt(fd, bo, 2 * PAGE_SIZE, PROT_READ | PROT_WRITE);
	if (!map) {
		say("GTT mmap: %s", strerror(errno));
		return;
	}
	map[0] = 1;	/* fault: the object is bound and GTT-mapped */
	say("pwrite batch: %s", err(__gem_pwrite(fd, batch, 0, bbe, sizeof(bbe))));
	memset(obj, 0, sizeof(obj));
	obj[0].handle = bo;
	obj[1].handle = batch;
	memset(&eb, 0, sizeof(eb));
	eb.buffers_ptr = (uintptr_t)obj;
	eb.buffer_count = 2;
	eb.flags = I915_EXEC_BLT;
	say("execbuf: %s", err(__gem_execbuf(fd, &eb)));
	say("wait: %s", err(__gem_wait(fd, bo, NULL)));
	ret = __gem_set_tiling(fd, bo, I915_TILING_X, 512);
	say("set_tiling X (revokes the GTT mapping under the GGTT lock): %s", err(ret));
	map[1] = 2;	/* refault */
	munmap(map, 2 * PAGE_SIZE);
	close(fd);
}

int main(int argc, char **argv)
{
	static const struct { const char *name; void (*fn)(void); } scenarios[] = {
		{ "gtt-fault", scenario_gtt_fault },
		{ "process-exit-gtt", scenario_process_exit_gtt },
		{ "ioctl-vs-fault", scenario_ioctl_vs_fault },
		{ "engine-signalling", scenario_engine_signalling },
	};

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc != 2) {
		fprintf(stderr, "Usage: %s <scenario>\nScenarios:", argv[0]);
		for (size_t i = 0; i < ARRAY_SIZE(scenarios); i++)
			fprintf(stderr, " %s", scenarios[i].name);
		fprintf(stderr, "\n");
		return 2;
	}
	for (size_t i = 0; i < ARRAY_SIZE(scenarios); i++) {
		if (strcmp(argv[1], scenarios[i].name) == 0) {
			signal(SIGALRM, on_alarm);
			alarm(20);
			say("scenario %s: start (debug_locks=%d)", argv[1], vi_debug_locks());
			scenarios[i].fn();
			say("scenario %s: done (debug_locks=%d)", argv[1], vi_debug_locks());
			return 0;
		}
	}
	fprintf(stderr, "vi915_negctl: unknown scenario '%s'\n", argv[1]);
	return 2;
}
