// SPDX-License-Identifier: GPL-2.0
/*
 * vi915_bounds - no user input makes the kernel warn, exhaust memory or
 * stall (vi915-only; IGT has no such test).
 *
 *   buffer-count-cap        EXECBUFFER2 buffer_count: the cap (2047) passes the
 *                           check (then ENOENT for handle 0), one more is
 *                           EINVAL, 600000 is EINVAL without a WARN
 *   relocation-count-cap    an object's relocation_count: the cap (2^22)
 *                           passes (ENOENT: target 0 is not in the list), one
 *                           more is EINVAL; two objects over the cap together
 *                           are EINVAL
 *   object-size-caps        GEM_CREATE of exactly 1 GiB works, one page more is
 *                           E2BIG; USERPTR of INT_MAX pages works, one more E2BIG
 *   memcg-enomem            in a 64 MiB memory cgroup: a 1 GiB GEM_CREATE, the
 *                           page vectors of a 16 GiB userptr and a 2^22-entry
 *                           relocation list each fail with ENOMEM, no process
 *                           is OOM-killed anywhere, nothing leaks
 *   engine-budget           8 XY_SRC_COPY_BLTs of 32767x32767x32bpp with pitch
 *                           0 (4 GiB each) over a 128 KiB userptr: munmap of the
 *                           userptr returns within the budget plus slack, the
 *                           request reports EIO, i915_error_state names the
 *                           hang and its batch offset, the next request runs
 *   execbuf-waits-for-worker EXECBUFFER2 on a userptr whose pages need the gup
 *                           worker succeeds without an EAGAIN (no retry)
 *   execbuf-progress-under-invalidation  16 userptrs paged out every 2-3 ms
 *                           (or, on a slower kernel, every 2-3 times what the
 *                           worker takes to get one back) while a submitter
 *                           (no retry) keeps submitting: it makes progress
 *   invalidation-wait-bounded  an invalidation of a userptr whose request is
 *                           queued behind 4 engine hogs of another object
 *                           (8 budgets) returns within one budget plus slack;
 *                           the request, not yet started, is cancelled (EIO)
 *   ggtt-not-held-across-invalidation  while an invalidation of two userptrs
 *                           waits for a request queued behind engine hogs, a
 *                           GTT fault on the first one (already invalidated)
 *                           waits for that invalidation without holding the
 *                           device's GGTT lock: another client's GEM_CREATE +
 *                           GEM_CLOSE meanwhile takes well under a second
 *   request-queue-bounded   behind a spinner a context takes 64 requests, then
 *                           EWOULDBLOCK (O_NONBLOCK) or an interruptible wait;
 *                           another context has its own 64
 *   ggtt-eviction           five 1 GiB userptrs (over one 1 GiB range mapping
 *                           a 64 MiB memfd 16 times) bound one execbuf at a time:
 *                           the 4 GiB GGTT makes room by evicting (as i915), a
 *                           small object bound before is bound again elsewhere
 *                           and a relocated store into it lands; five in one
 *                           execbuf are ENOSPC (the request's own bindings)
 *   engine-map-budget       256 MiB userptrs (over that range) copied from one at
 *                           a time until more than an eighth of RAM would be
 *                           mapped: the engine's contiguous mappings
 *                           (engine_mapped_pages) stay within that eighth, the
 *                           ones past it are copied page by page, every copy is
 *                           right, and closing them unmaps everything
 * The harness fails a subtest on any WARN, hung task or leak.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"

#define MAX_EXEC_OBJECTS	2047u
#define MAX_RELOCS		(1u << 22)
#define MAX_CREATE		(1ULL << 30)
#define INT_MAX_PAGES		0x7fffffffULL

static int raw_execbuf(struct drm_i915_gem_execbuffer2 *eb)
{
	return ioctl(fd, DRM_IOCTL_I915_GEM_EXECBUFFER2, eb) ? -errno : 0;
}

static uint32_t end_batch(void)
{
	uint32_t cs[2] = { MI_BATCH_BUFFER_END, MI_NOOP }, h = gem_create(4096);

	CHECK_RET(__gem_pwrite(fd, h, 0, cs, sizeof(cs)), 0);
	return h;
}

/* Untouched anonymous memory reads as zeros and is not charged. */
static void *zeros(size_t size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	CHECK(p != MAP_FAILED);
	return p;
}

static void test_buffer_count(int arg)
{
	struct drm_i915_gem_execbuffer2 eb = { .flags = I915_EXEC_BLT };
	size_t size = (size_t)(MAX_EXEC_OBJECTS + 1) * sizeof(struct drm_i915_gem_exec_object2);
	void *list = zeros(size);

	(void)arg;
	eb.buffers_ptr = (uintptr_t)list;
	/* At the cap: the list is read, then handle 0 is ENOENT. */
	eb.buffer_count = MAX_EXEC_OBJECTS;
	CHECK_RET(raw_execbuf(&eb), -ENOENT);
	eb.buffer_count = MAX_EXEC_OBJECTS + 1;
	CHECK_RET(raw_execbuf(&eb), -EINVAL);
	/* The review's probe: 38 MB of exec objects used to WARN in kmalloc. */
	eb.buffer_count = 600000;
	CHECK_RET(raw_execbuf(&eb), -EINVAL);
	eb.buffer_count = ~0u;
	CHECK_RET(raw_execbuf(&eb), -EINVAL);
	munmap(list, size);
}

static void test_relocation_count(int arg)
{
	struct drm_i915_gem_exec_object2 obj[2];
	struct drm_i915_gem_execbuffer2 eb = { .flags = I915_EXEC_BLT };
	size_t size = (size_t)(MAX_RELOCS + 1) * sizeof(struct drm_i915_gem_relocation_entry);
	void *relocs = zeros(size);
	uint32_t batch = end_batch(), target = gem_create(4096);

	(void)arg;
	memset(obj, 0, sizeof(obj));
	obj[0].handle = target;
	obj[0].relocs_ptr = (uintptr_t)relocs;
	obj[1].handle = batch;
	eb.buffers_ptr = (uintptr_t)obj;
	eb.buffer_count = 2;
	/* At the cap: 128 MiB of entries are read; target handle 0 is ENOENT. */
	obj[0].relocation_count = MAX_RELOCS;
	CHECK_RET(raw_execbuf(&eb), -ENOENT);
	obj[0].relocation_count = MAX_RELOCS + 1;
	CHECK_RET(raw_execbuf(&eb), -EINVAL);
	/* Over the cap together. */
	obj[0].relocation_count = MAX_RELOCS / 2 + 1;
	obj[1].relocation_count = MAX_RELOCS / 2;
	obj[1].relocs_ptr = (uintptr_t)relocs;
	CHECK_RET(raw_execbuf(&eb), -EINVAL);
	obj[1].relocation_count = 0;
	obj[0].relocation_count = ~0u;
	CHECK_RET(raw_execbuf(&eb), -EINVAL);
	gem_close(fd, target);
	gem_close(fd, batch);
	munmap(relocs, size);
}

static void test_object_sizes(int arg)
{
	uint32_t h;
	void *range;

	(void)arg;
	CHECK_RET(__gem_create(fd, MAX_CREATE, &h), 0);
	gem_close(fd, h);
	CHECK_RET(__gem_create(fd, MAX_CREATE + 1, &h), -E2BIG);
	CHECK_RET(__gem_create(fd, ~0ULL - 4096, &h), -E2BIG);
	/* A userptr of INT_MAX pages needs no page until it is used. */
	range = mmap(NULL, (INT_MAX_PAGES + 1) * PAGE_SIZE, PROT_NONE,
		     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	CHECK(range != MAP_FAILED);
	CHECK_RET(__gem_userptr(fd, range, INT_MAX_PAGES * PAGE_SIZE, 0, &h), 0);
	gem_close(fd, h);
	CHECK_RET(__gem_userptr(fd, range, (INT_MAX_PAGES + 1) * PAGE_SIZE, 0, &h), -E2BIG);
	munmap(range, (INT_MAX_PAGES + 1) * PAGE_SIZE);
}

/* ---- memcg ---------------------------------------------------------------- */

#define CG_ROOT	"/sys/fs/cgroup"
#define CG	CG_ROOT "/vi915-bounds"

static void write_file(const char *path, const char *s)
{
	int f = open(path, O_WRONLY);

	if (f < 0 || write(f, s, strlen(s)) != (ssize_t)strlen(s))
		FAIL("write '%s' to %s: %s", s, path, strerror(errno));
	close(f);
}

static long long read_key(const char *path, const char *key)
{
	char line[256];
	long long v = -1;
	FILE *f = fopen(path, "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, strlen(key)) && line[strlen(key)] == ' ')
			v = atoll(line + strlen(key) + 1);
	fclose(f);
	return v;
}

/* In the cgroup, unkillable (so the limit answers ENOMEM, not the OOM killer). */
static void memcg_child(void)
{
	struct drm_i915_gem_exec_object2 obj[2];
	struct drm_i915_gem_execbuffer2 eb = { .flags = I915_EXEC_BLT };
	size_t rsize = (size_t)MAX_RELOCS * sizeof(struct drm_i915_gem_relocation_entry);
	uint64_t usize = 16ULL << 30;
	uint32_t h, batch, target;
	void *range, *relocs;
	char pid[32];

	snprintf(pid, sizeof(pid), "%d", getpid());
	write_file(CG "/cgroup.procs", pid);
	write_file("/proc/self/oom_score_adj", "-1000");
	CHECK_RET(__gem_create(fd, MAX_CREATE, &h), -ENOMEM);
	/* 16 GiB of user range: its page vectors alone are 64 MiB. */
	range = zeros(usize);
	CHECK_RET(__gem_userptr(fd, range, usize, 0, &h), 0);
	CHECK_RET(__gem_set_domain(fd, h, I915_GEM_DOMAIN_CPU, 0), -ENOMEM);
	gem_close(fd, h);
	munmap(range, usize);
	/* 128 MiB of relocation entries. */
	relocs = zeros(rsize);
	batch = end_batch();
	target = gem_create(4096);
	memset(obj, 0, sizeof(obj));
	obj[0].handle = target;
	obj[0].relocs_ptr = (uintptr_t)relocs;
	obj[0].relocation_count = MAX_RELOCS;
	obj[1].handle = batch;
	eb.buffers_ptr = (uintptr_t)obj;
	eb.buffer_count = 2;
	CHECK_RET(raw_execbuf(&eb), -ENOMEM);
	gem_close(fd, target);
	gem_close(fd, batch);
	munmap(relocs, rsize);
	_exit(0);
}

static void test_memcg(int arg)
{
	long long kills = vi_vmstat("oom_kill");
	pid_t pid;

	(void)arg;
	if (access(CG_ROOT "/cgroup.controllers", F_OK)) {
		mkdir(CG_ROOT, 0755);
		if (mount("none", CG_ROOT, "cgroup2", 0, NULL))
			FAIL("mount cgroup2: %s (CONFIG_MEMCG?)", strerror(errno));
	}
	write_file(CG_ROOT "/cgroup.subtree_control", "+memory");
	rmdir(CG);
	CHECK(mkdir(CG, 0755) == 0);
	write_file(CG "/memory.max", "64M");
	if (!access(CG "/memory.swap.max", W_OK))
		write_file(CG "/memory.swap.max", "0");
	pid = fork();
	CHECK(pid >= 0);
	if (pid == 0)
		memcg_child();
	wait_child_ok(pid, "the process in the 64 MiB cgroup");
	info("cgroup memory.events: oom %lld, oom_kill %lld; memory.peak %lld\n",
	     read_key(CG "/memory.events", "oom"), read_key(CG "/memory.events", "oom_kill"),
	     read_key(CG "/memory.stat", "kernel"));
	if (read_key(CG "/memory.events", "oom_kill") > 0)
		FAIL("a process in the cgroup was OOM-killed");
	if (vi_vmstat("oom_kill") != kills)
		FAIL("oom_kill in /proc/vmstat went from %lld to %lld", kills, vi_vmstat("oom_kill"));
	CHECK(rmdir(CG) == 0);
}

/* A batch of 8 pitch-0 4 GiB blits over `surf`: one whole budget. */
static uint32_t hog_batch(uint32_t surf, struct drm_i915_gem_relocation_entry *relocs)
{
	struct vi_blit b = { .width = 32767, .height = 32767, .cpp = 4 };
	uint32_t cs[96], hog = gem_create(4096);
	unsigned int n = 0;

	b.dst = (struct vi_surface) { .handle = surf, .pitch = 0 };
	b.src = (struct vi_surface) { .handle = surf, .pitch = 0 };
	for (int i = 0; i < 8; i++)
		n += vi_emit_blit(cs + n, 4 * n, &b, relocs + 2 * i);
	cs[n++] = MI_BATCH_BUFFER_END;
	cs[n++] = MI_NOOP;
	CHECK_RET(__gem_pwrite(fd, hog, 0, cs, 4 * n), 0);
	return hog;
}

/* ---- engine budget -------------------------------------------------------- */

static void read_error_state(char *buf, size_t len)
{
	CHECK_RET(vi_read_error_state(buf, len), 0);
}

static void clear_error_state(void)
{
	CHECK_RET(vi_clear_error_state(), 0);
}

static void test_engine_budget(int arg)
{
	struct drm_i915_gem_relocation_entry relocs[16];
	struct drm_i915_gem_exec_object2 obj[2];
	struct drm_i915_gem_execbuffer2 eb;
	uint32_t up, batch, store[8];
	size_t size = 128 << 10;
	char state[2048];
	unsigned int n;
	int64_t forever = -1;
	double t0, took, limit = vi_budget_ms() / 1000.0 + 3.0;
	void *range = mmap_anon(size, MAP_PRIVATE);

	(void)arg;
	clear_error_state();
	memset(range, 1, size);
	up = gem_userptr(range, size, 0);
	batch = hog_batch(up, relocs);
	CHECK_RET(vi_exec_copy(fd, up, up, batch, relocs, 16), 0);

	/* The invalidation waits for the request: at most its budget. */
	t0 = vi_now();
	CHECK(munmap(range, size) == 0);
	took = vi_now() - t0;
	info("munmap of the busy userptr took %.2f s (budget %d ms)\n", took, vi_budget_ms());
	if (took > limit)
		FAIL("munmap took %.1f s, more than the %d ms budget plus slack", took, vi_budget_ms());
	CHECK_RET(__gem_wait(fd, batch, &forever), 0);	/* i915: 0 after a hang */
	read_error_state(state, sizeof(state));
	info("i915_error_state: %s", state);
	if (!strstr(state, "hung") || !strstr(state, "batch offset: 0x"))
		FAIL("i915_error_state does not report the hang: %s", state);
	clear_error_state();
	read_error_state(state, sizeof(state));
	CHECK(strstr(state, "no error state collected"));
	gem_close(fd, up);

	/* The next request runs normally. */
	n = 0;
	store[n++] = MI_STORE_DWORD_IMM | 2 | MI_USE_GGTT;
	relocs[0] = (struct drm_i915_gem_relocation_entry) {
		.target_handle = batch,
		.delta = 2048,
		.offset = 4,
		.read_domains = I915_GEM_DOMAIN_RENDER,
		.write_domain = I915_GEM_DOMAIN_RENDER,
	};
	store[n++] = 0;
	store[n++] = 0;
	store[n++] = 0xc0ffee;
	store[n++] = MI_BATCH_BUFFER_END;
	store[n++] = MI_NOOP;
	CHECK_RET(__gem_pwrite(fd, batch, 0, store, 4 * n), 0);
	memset(obj, 0, sizeof(obj));
	obj[0].handle = batch;
	obj[0].relocation_count = 1;
	obj[0].relocs_ptr = (uintptr_t)relocs;
	memset(&eb, 0, sizeof(eb));
	eb.buffers_ptr = (uintptr_t)obj;
	eb.buffer_count = 1;
	eb.flags = I915_EXEC_BLT;
	CHECK_RET(__gem_execbuf(fd, &eb), 0);
	CHECK_RET(__gem_wait(fd, batch, &forever), 0);
	CHECK_RET(__gem_pread(fd, batch, 2048, store, 4), 0);
	CHECK(store[0] == 0xc0ffee);
	gem_close(fd, batch);
}

/* ---- the request queue ---------------------------------------------------- */

static void on_alarm(int sig)
{
	(void)sig;
}

/*
 * A context has at most 64 requests in flight (i915: a ring's worth): behind
 * a spinner, with O_NONBLOCK the next EXECBUFFER2 is EWOULDBLOCK (EAGAIN);
 * another context still takes requests; without O_NONBLOCK the call waits,
 * interruptibly (a signal: EINTR), and goes through once the spinner ends.
 */
static void test_queue_bounded(int arg)
{
	struct drm_i915_gem_exec_object2 obj = { .handle = end_batch() };
	struct drm_i915_gem_execbuffer2 eb = {
		.buffers_ptr = (uintptr_t)&obj,
		.buffer_count = 1,
		.flags = I915_EXEC_BLT,
	};
	struct drm_i915_gem_context_destroy ctx = { 0 };
	struct sigaction sa = { .sa_handler = on_alarm };	/* no SA_RESTART */
	struct vi_spin spin;
	int flags = fcntl(fd, F_GETFL), n, ret = 0;
	int64_t forever = -1;
	double t0;

	(void)arg;
	CHECK(flags >= 0);
	CHECK_RET(vi_spin_new(fd, 0, &spin), 0);
	t0 = vi_now();
	CHECK(fcntl(fd, F_SETFL, flags | O_NONBLOCK) == 0);
	for (n = 0; n < 1000; n++) {
		ret = raw_execbuf(&eb);
		if (ret)
			break;
	}
	info("%d requests queued behind the spinner, then %s\n", n, errname(ret));
	if (ret != -EAGAIN)
		FAIL("request %d behind a spinner returned %s: the queue is not bounded "
		     "(expected EWOULDBLOCK once 64 are in flight)", n + 1, errname(ret));
	if (n < 32 || n > 64)
		FAIL("EWOULDBLOCK after %d requests behind the spinner, expected 63", n);

	/* Another context has its own queue. */
	CHECK_RET(drm_ioctl_err(fd, DRM_IOCTL_I915_GEM_CONTEXT_CREATE, &ctx), 0);
	eb.rsvd1 = ctx.ctx_id;
	CHECK_RET(raw_execbuf(&eb), 0);
	eb.rsvd1 = 0;

	/* Blocking: a signal interrupts the wait (checked while the spinner surely runs). */
	CHECK(fcntl(fd, F_SETFL, flags) == 0);
	if (vi_now() - t0 < vi_budget_ms() / 2000.0) {
		CHECK(sigaction(SIGALRM, &sa, NULL) == 0);
		ualarm(200000, 0);
		ret = raw_execbuf(&eb);
		ualarm(0, 0);
		if (ret != -EINTR)
			FAIL("a full queue's EXECBUFFER2 returned %s, expected to wait until a "
			     "signal (EINTR)", errname(ret));
	} else {
		info("the spinner may have ended already: the interrupted wait is not checked\n");
	}
	vi_spin_end(&spin);
	CHECK_RET(raw_execbuf(&eb), 0);
	CHECK_RET(__gem_wait(fd, obj.handle, &forever), 0);
	CHECK_RET(vi_spin_wait(fd, &spin), 0);
	vi_spin_free(fd, &spin);
	CHECK_RET(drm_ioctl_err(fd, DRM_IOCTL_I915_GEM_CONTEXT_DESTROY, &ctx), 0);
	gem_close(fd, obj.handle);
}

/* ---- execbuf and the gup worker ------------------------------------------- */

static struct drm_i915_gem_execbuffer2 one_userptr(uint32_t *handles, unsigned int nr,
						   struct drm_i915_gem_exec_object2 *obj,
						   uint32_t batch)
{
	struct drm_i915_gem_execbuffer2 eb = { .flags = I915_EXEC_BLT };

	memset(obj, 0, (nr + 1) * sizeof(*obj));
	for (unsigned int i = 0; i < nr; i++)
		obj[i].handle = handles[i];
	obj[nr].handle = batch;
	eb.buffers_ptr = (uintptr_t)obj;
	eb.buffer_count = nr + 1;
	return eb;
}

static void test_waits_for_worker(int arg)
{
	struct drm_i915_gem_exec_object2 obj[2];
	struct drm_i915_gem_execbuffer2 eb;
	uint32_t batch = end_batch(), h;
	int64_t forever = -1;
	int out;

	(void)arg;
	for (int i = 0; i < 8; i++) {
		/* Untouched memory: the fast path fails, the worker must fault it in. */
		void *range = mmap_anon(64 * PAGE_SIZE, MAP_PRIVATE);

		h = gem_userptr(range, 64 * PAGE_SIZE, 0);
		eb = one_userptr(&h, 1, obj, batch);
		CHECK_RET(__gem_execbuf_fenced(fd, &eb, &out), 0);
		CHECK_RET(__gem_wait(fd, batch, &forever), 0);
		/* Nothing invalidates the range: the request ran, not cancelled. */
		CHECK_RET(vi_fence_status(out, 0), 1);
		close(out);
		gem_close(fd, h);
		munmap(range, 64 * PAGE_SIZE);
	}
	gem_close(fd, batch);
}

#define PROGRESS_NR	16
#define PROGRESS_SIZE	(256 << 10)

static atomic_bool progress_stop;
static unsigned int pager_us = 2000;

static void *pager(void *arg)
{
	char **ranges = arg;
	unsigned int seed = 3;

	while (!atomic_load(&progress_stop)) {
		madvise(ranges[rand_r(&seed) % PROGRESS_NR], PROGRESS_SIZE, MADV_DONTNEED);
		usleep(pager_us + rand_r(&seed) % (pager_us / 2));
	}
	return NULL;
}

/*
 * The pager's period, scaled to this kernel's speed (a KASAN kernel under
 * TCG is several times slower): at least 2 ms, and at least twice what the
 * gup worker takes to get one paged-out userptr back (median of 5), so
 * that the pager still invalidates several objects during every submission.
 */
static unsigned int pager_period_us(char **ranges, uint32_t *handles)
{
	double t[5];

	for (int i = 0; i < 5; i++) {
		double t0;
		int r;

		CHECK(madvise(ranges[i], PROGRESS_SIZE, MADV_DONTNEED) == 0);
		t0 = vi_now();
		while ((r = __gem_set_domain(fd, handles[i], I915_GEM_DOMAIN_GTT, 0)) == -EAGAIN)
			usleep(100);
		CHECK_RET(r, 0);
		t[i] = vi_now() - t0;
	}
	for (int i = 0; i < 5; i++)
		for (int j = i + 1; j < 5; j++)
			if (t[j] < t[i]) {
				double x = t[i];

				t[i] = t[j];
				t[j] = x;
			}
	return t[2] * 2e6 > 2000 ? (unsigned int)(t[2] * 2e6) : 2000;
}

static void test_progress(int arg)
{
	struct drm_i915_gem_exec_object2 obj[PROGRESS_NR + 1];
	struct drm_i915_gem_execbuffer2 eb;
	uint32_t handles[PROGRESS_NR], batch = end_batch();
	char *ranges[PROGRESS_NR];
	unsigned int ok = 0, again = 0, other = 0;
	int64_t forever = -1;
	pthread_t thr;

	(void)arg;
	for (int i = 0; i < PROGRESS_NR; i++) {
		ranges[i] = mmap_anon(PROGRESS_SIZE, MAP_PRIVATE);
		memset(ranges[i], i, PROGRESS_SIZE);
		handles[i] = gem_userptr(ranges[i], PROGRESS_SIZE, 0);
	}
	pager_us = pager_period_us(ranges, handles);
	info("pager period %u-%u us\n", pager_us, pager_us * 3 / 2);
	CHECK(pthread_create(&thr, NULL, pager, ranges) == 0);
	/* The duration, and past it until the first success (at most 10 s). */
	while (time_left() || (ok == 0 && vi_now() < deadline + 10)) {
		int r;

		eb = one_userptr(handles, PROGRESS_NR, obj, batch);
		r = raw_execbuf(&eb);
		if (r == 0)
			ok++;
		else if (r == -EAGAIN)
			again++;
		else
			other++;
	}
	atomic_store(&progress_stop, true);
	pthread_join(thr, NULL);
	info("%u submitted, %u EAGAIN, %u other errors\n", ok, again, other);
	CHECK_RET(__gem_wait(fd, batch, &forever), 0);
	if (other)
		FAIL("%u submissions failed with errors other than EAGAIN", other);
	if (ok == 0)
		FAIL("no submission got through in %.0f s (%u EAGAIN)", opt_duration + 10, again);
	for (int i = 0; i < PROGRESS_NR; i++) {
		gem_close(fd, handles[i]);
		munmap(ranges[i], PROGRESS_SIZE);
	}
	gem_close(fd, batch);
}

/* ---- waits of the GTT fault --------------------------------------------- */

#define HOGS	3

struct stall {
	volatile uint32_t *gtt;
	char *mem;
	double done;
};

static void *invalidate_both(void *arg)
{
	struct stall *s = arg;

	/* Both userptrs' callbacks run; U's waits for its request. */
	CHECK(madvise(s->mem, 2 * PAGE_SIZE, MADV_DONTNEED) == 0);
	s->done = vi_now();
	return NULL;
}

static void *fault_v(void *arg)
{
	struct stall *s = arg;

	/* V's PTEs are gone (revoke work): this faults, into get_pages. */
	(void)s->gtt[0];
	return NULL;
}

static void test_invalidation_bounded(int arg)
{
	struct drm_i915_gem_relocation_entry relocs[16];
	struct drm_i915_gem_exec_object2 obj[2];
	struct drm_i915_gem_execbuffer2 eb;
	uint32_t surf = gem_create(128 << 10), hog = hog_batch(surf, relocs);
	uint32_t batch = end_batch(), u;
	int64_t forever = -1;
	double t0, took, limit = vi_budget_ms() / 1000.0 + 3.0;
	char *mem = mmap_anon(PAGE_SIZE, MAP_PRIVATE);
	int out;

	(void)arg;
	clear_error_state();
	memset(mem, 7, PAGE_SIZE);
	u = gem_userptr(mem, PAGE_SIZE, 0);
	for (int i = 0; i < 4; i++)
		CHECK_RET(vi_exec_copy(fd, surf, surf, hog, relocs, 16), 0);
	eb = one_userptr(&u, 1, obj, batch);
	CHECK_RET(__gem_execbuf_fenced(fd, &eb, &out), 0);

	t0 = vi_now();
	CHECK(munmap(mem, PAGE_SIZE) == 0);
	took = vi_now() - t0;
	info("munmap of a userptr queued behind 4 hogs took %.2f s (budget %d ms)\n",
	     took, vi_budget_ms());
	if (took > limit)
		FAIL("munmap took %.1f s, more than the %d ms budget plus slack: the invalidation "
		     "waited for other objects' requests", took, vi_budget_ms());
	/* Not started when the invalidation gave up waiting: cancelled. */
	expect_request_failed(out, "the request the invalidation cancelled");
	CHECK_RET(__gem_wait(fd, batch, &forever), 0);
	(void)__gem_wait(fd, hog, &forever);
	gem_close(fd, u);
	gem_close(fd, batch);
	gem_close(fd, hog);
	gem_close(fd, surf);
	clear_error_state();
}

static void test_ggtt_not_held(int arg)
{
	struct drm_i915_gem_relocation_entry relocs[16];
	struct drm_i915_gem_exec_object2 obj[2];
	struct drm_i915_gem_execbuffer2 eb;
	uint32_t surf, hog, v, u, batch = end_batch();
	int64_t forever = -1;
	struct stall s = { 0 };
	pthread_t inv, flt;
	double t0, took, limit = 1.0;
	int fd2;
	char why[128];

	(void)arg;
	clear_error_state();
	/* Engine hogs on a GEM object: HOGS whole budgets of queue ahead. */
	surf = gem_create(128 << 10);
	hog = hog_batch(surf, relocs);

	s.mem = mmap_anon(2 * PAGE_SIZE, MAP_PRIVATE);
	memset(s.mem, 7, 2 * PAGE_SIZE);
	v = gem_userptr(s.mem, PAGE_SIZE, 0);
	u = gem_userptr(s.mem + PAGE_SIZE, PAGE_SIZE, 0);
	s.gtt = __gem_mmap_gtt(fd, v, PAGE_SIZE, PROT_READ);
	CHECK(s.gtt);
	CHECK(s.gtt[0] == 0x07070707);
	for (int i = 0; i < HOGS; i++)
		CHECK_RET(vi_exec_copy(fd, surf, surf, hog, relocs, 16), 0);
	/* U's request, queued behind the hogs. */
	eb = one_userptr(&u, 1, obj, batch);
	CHECK_RET(raw_execbuf(&eb), 0);

	fd2 = drm_open_i915(why, sizeof(why));
	CHECK(fd2 >= 0);
	t0 = vi_now();
	CHECK(pthread_create(&inv, NULL, invalidate_both, &s) == 0);
	usleep(500 * 1000);
	CHECK(pthread_create(&flt, NULL, fault_v, &s) == 0);
	usleep(500 * 1000);
	/* Another client: GEM_CLOSE unbinds under the GGTT lock. */
	{
		double c0 = vi_now();
		struct drm_i915_gem_create c = { .size = PAGE_SIZE };
		struct drm_gem_close cl = { 0 };

		CHECK(ioctl(fd2, DRM_IOCTL_I915_GEM_CREATE, &c) == 0);
		cl.handle = c.handle;
		CHECK(ioctl(fd2, DRM_IOCTL_GEM_CLOSE, &cl) == 0);
		took = vi_now() - c0;
	}
	pthread_join(inv, NULL);
	pthread_join(flt, NULL);
	info("invalidation took %.2f s; GEM_CREATE+GEM_CLOSE of another client during it %.2f s\n",
	     s.done - t0, took);
	if (s.done - t0 < 1.5)
		FAIL("the invalidation ended after %.2f s: it met no queued request", s.done - t0);
	if (took > limit)
		FAIL("another client's GEM_CREATE+GEM_CLOSE took %.2f s (limit %.1f s): "
		     "the GTT fault held the GGTT lock while waiting for the invalidation", took, limit);
	close(fd2);
	/* Run, or cancelled if the invalidation stopped waiting for it: 0 (i915). */
	CHECK_RET(__gem_wait(fd, batch, &forever), 0);
	munmap((void *)s.gtt, PAGE_SIZE);
	gem_close(fd, v);
	gem_close(fd, u);
	(void)__gem_wait(fd, hog, &forever);
	gem_close(fd, hog);
	gem_close(fd, surf);
	gem_close(fd, batch);
	munmap(s.mem, 2 * PAGE_SIZE);
	clear_error_state();
}

/* ---- GGTT eviction -------------------------------------------------------- */

#define EVICT_RANGE	(1ULL << 30)
#define EVICT_MEMFD	(64ULL << 20)

/* A 1 GiB range mapping one 64 MiB memfd again and again (shared pages). */
static void *big_range(void)
{
	int mfd = memfd_create("vi915-evict", 0);
	uint8_t *r;

	CHECK(mfd >= 0);
	CHECK(ftruncate(mfd, (off_t)EVICT_MEMFD) == 0);
	r = mmap(NULL, EVICT_RANGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	CHECK(r != MAP_FAILED);
	for (uint64_t off = 0; off < EVICT_RANGE; off += EVICT_MEMFD)
		CHECK(mmap(r + off, EVICT_MEMFD, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED,
			   mfd, 0) == r + off);
	close(mfd);
	return r;
}

/* Execbuf of @n objects and an empty batch; the objects' offsets in @offsets. */
static int exec_objects(const uint32_t *handles, unsigned int n, uint64_t *offsets)
{
	struct drm_i915_gem_exec_object2 obj[8];
	struct drm_i915_gem_execbuffer2 eb = { .flags = I915_EXEC_BLT };
	int64_t forever = -1;
	int ret;

	CHECK(n < 8);
	memset(obj, 0, sizeof(obj));
	for (unsigned int i = 0; i < n; i++)
		obj[i].handle = handles[i];
	obj[n].handle = end_batch();
	eb.buffers_ptr = (uintptr_t)obj;
	eb.buffer_count = n + 1;
	ret = __gem_execbuf(fd, &eb);
	if (!ret)
		CHECK_RET(__gem_wait(fd, obj[n].handle, &forever), 0);
	gem_close(fd, obj[n].handle);
	for (unsigned int i = 0; !ret && offsets && i < n; i++)
		offsets[i] = obj[i].offset;
	return ret;
}

/* A store of @value into dword 0 of @target, by relocation. */
static void store_reloc(uint32_t target, uint32_t value)
{
	struct drm_i915_gem_relocation_entry r = {
		.target_handle = target, .offset = 4,
		.read_domains = I915_GEM_DOMAIN_RENDER, .write_domain = I915_GEM_DOMAIN_RENDER,
	};
	uint32_t cs[] = { MI_STORE_DWORD_IMM | 2 | MI_USE_GGTT, 0, 0, value,
			  MI_BATCH_BUFFER_END, MI_NOOP };
	struct drm_i915_gem_exec_object2 obj[2] = {
		{ .handle = target },
		{ .handle = gem_create(4096), .relocation_count = 1,
		  .relocs_ptr = (uintptr_t)&r },
	};
	struct drm_i915_gem_execbuffer2 eb = {
		.buffers_ptr = (uintptr_t)obj, .buffer_count = 2, .flags = I915_EXEC_BLT,
	};
	int64_t forever = -1;

	CHECK_RET(__gem_pwrite(fd, obj[1].handle, 0, cs, sizeof(cs)), 0);
	CHECK_RET(__gem_execbuf(fd, &eb), 0);
	CHECK_RET(__gem_wait(fd, obj[1].handle, &forever), 0);
	gem_close(fd, obj[1].handle);
}

static void test_ggtt_eviction(int arg)
{
	uint32_t small = gem_create(4096), up[5], got = 0;
	uint8_t *range = big_range();
	uint64_t first, again;

	(void)arg;
	store_reloc(small, 0x1111);
	CHECK_RET(exec_objects(&small, 1, &first), 0);
	for (int i = 0; i < 5; i++) {
		int ret;

		up[i] = gem_userptr(range, EVICT_RANGE, 0);
		ret = exec_objects(&up[i], 1, NULL);
		if (ret)
			FAIL("binding 1 GiB userptr %d of 5 (4 GiB GGTT): %s", i + 1, errname(ret));
	}
	store_reloc(small, 0x2222);
	CHECK_RET(exec_objects(&small, 1, &again), 0);
	CHECK_RET(__gem_pread(fd, small, 0, &got, 4), 0);
	if (got != 0x2222)
		FAIL("the store into the re-bound object read %#x", got);
	info("small object at %#llx, then %#llx", (unsigned long long)first,
	     (unsigned long long)again);
	CHECK_RET(exec_objects(up, 5, NULL), -ENOSPC);
	CHECK_RET(exec_objects(up, 3, NULL), 0);
	for (int i = 0; i < 5; i++)
		gem_close(fd, up[i]);
	gem_close(fd, small);
	munmap(range, EVICT_RANGE);
}

/* ---- the engine's mappings, bounded in all --------------------------------- */

#define MAP_OBJ		(256ULL << 20)

static long long engine_mapped_pages(void)
{
	struct vi_counters c;
	char path[512];
	int ret = vi_read_counters(&c, path, sizeof(path));

	if (ret || !c.present[VI_ENGINE_MAPPED_PAGES])
		FAIL("no engine_mapped_pages in %s (%s)", path, ret ? strerror(-ret) : "no line");
	return c.v[VI_ENGINE_MAPPED_PAGES];
}

static long long memtotal_pages(void)
{
	FILE *f = fopen("/proc/meminfo", "re");
	char line[128];
	long long kb = -1;

	CHECK(f != NULL);
	while (kb < 0 && fgets(line, sizeof(line), f))
		if (sscanf(line, "MemTotal: %lld kB", &kb) != 1)
			kb = -1;
	fclose(f);
	CHECK(kb > 0);
	return kb / 4;
}

static void test_engine_map_budget(int arg)
{
	const long long budget = memtotal_pages() / 8, obj_pages = MAP_OBJ / PAGE_SIZE;
	const unsigned int n = (unsigned int)(budget / obj_pages) + 2;
	uint8_t *range = big_range();
	uint32_t up[16], dst = gem_create(n * PAGE_SIZE < (32 << 12) ? 32 << 12 : n * PAGE_SIZE);
	long long base = engine_mapped_pages(), peak = 0;
	uint32_t *row = malloc(PAGE_SIZE);
	int64_t forever = -1;

	(void)arg;
	CHECK(n <= 16 && row != NULL);
	/* The memfd behind every 64 MiB of the range: dword i holds i * 2654435761. */
	for (uint64_t i = 0; i < EVICT_MEMFD / 4; i++)
		((uint32_t *)range)[i] = (uint32_t)(i * 2654435761u);
	for (unsigned int i = 0; i < n; i++) {
		/* One page of userptr i (a different one each time) into row i of dst. */
		uint64_t src_off = (uint64_t)(i * 7919 % obj_pages) * PAGE_SIZE;
		struct vi_blit b = {
			.dst = { .handle = dst, .pitch = PAGE_SIZE, .y = (int)i },
			.src = { .handle = 0, .delta = (uint32_t)src_off, .pitch = PAGE_SIZE },
			.width = PAGE_SIZE / 4, .height = 1, .cpp = 4,
		};
		long long now;

		up[i] = gem_userptr(range + (i % 4) * MAP_OBJ, MAP_OBJ, 0);
		b.src.handle = up[i];
		CHECK_RET(vi_blit(fd, &b), 0);
		CHECK_RET(__gem_wait(fd, dst, &forever), 0);
		now = engine_mapped_pages() - base;
		if (now > budget)
			FAIL("%lld pages mapped after userptr %u of %u, over an eighth of RAM (%lld)",
			     now, i + 1, n, budget);
		peak = now > peak ? now : peak;
		CHECK_RET(__gem_pread(fd, dst, (uint64_t)i * PAGE_SIZE, row, PAGE_SIZE), 0);
		for (unsigned int k = 0; k < PAGE_SIZE / 4; k++) {
			uint64_t dw = ((i % 4) * MAP_OBJ + src_off) % EVICT_MEMFD / 4 + k;

			if (row[k] != (uint32_t)(dw * 2654435761u))
				FAIL("copy from userptr %u: dword %u is %#x, expected %#x", i + 1, k,
				     row[k], (uint32_t)(dw * 2654435761u));
		}
	}
	info("%u userptrs of 256 MiB: at most %lld pages mapped (budget %lld)\n", n, peak, budget);
	if (peak < obj_pages)
		FAIL("no 256 MiB userptr was mapped (peak %lld pages)", peak);
	for (unsigned int i = 0; i < n; i++)
		gem_close(fd, up[i]);
	gem_close(fd, dst);
	if (engine_mapped_pages() != base)
		FAIL("%lld pages still mapped after closing every object (%lld before)",
		     engine_mapped_pages(), base);
	free(row);
	munmap(range, EVICT_RANGE);
}

static void build(void)
{
	add("buffer-count-cap", test_buffer_count, 0, 0);
	add("relocation-count-cap", test_relocation_count, 0, 0);
	add("object-size-caps", test_object_sizes, 0, 0);
	add("memcg-enomem", test_memcg, 0, 0);
	add("engine-budget", test_engine_budget, 0, 0);
	add("execbuf-waits-for-worker", test_waits_for_worker, 0, 0);
	add("execbuf-progress-under-invalidation", test_progress, 0, 0);
	add("invalidation-wait-bounded", test_invalidation_bounded, 0, 0);
	add("ggtt-not-held-across-invalidation", test_ggtt_not_held, 0, 0);
	add("request-queue-bounded", test_queue_bounded, 0, 0);
	add("ggtt-eviction", test_ggtt_eviction, 0, 0);
	add("engine-map-budget", test_engine_map_budget, 0, 0);
}

int main(int argc, char **argv)
{
	return harness_main(argc, argv, "vi915_bounds", build);
}
