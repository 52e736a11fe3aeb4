// SPDX-License-Identifier: GPL-2.0
/*
 * gem_madvise - vi915 uAPI subtests mirroring IGT's gem_madvise: GEM_MADVISE
 * (README "uAPI subset"): DONTNEED purges an idle GEM_CREATE object at once
 * (vi915 has no shrinker; i915 may purge a DONTNEED object whenever it
 * likes), after which its mappings fault SIGBUS and PWRITE, PREAD,
 * SET_DOMAIN, execbuf and export are EFAULT; a busy object, a userptr and
 * an import keep their contents.
 *
 * Part of the vi915 uAPI conformance tests (one program per IGT test they
 * mirror; subtest naming, the harness checks and the shared helpers:
 * uapi_common.h).
 *
 * Usage: gem_madvise [-d SECONDS] [-t SECONDS] [-s NAME]... [-l] [-v] [-J]
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "uapi_common.h"

#define OBJ_SIZE (1024 * 1024)

struct drm_i915_gem_madvise {
	uint32_t handle;
	uint32_t madv;
	uint32_t retained;
};
#define I915_MADV_WILLNEED	0
#define I915_MADV_DONTNEED	1
#define DRM_IOCTL_I915_GEM_MADVISE \
	VI_DRM_IOWR(DRM_COMMAND_BASE + 0x26, struct drm_i915_gem_madvise)
_Static_assert(DRM_IOCTL_I915_GEM_MADVISE == 0xc00c6466u, "GEM_MADVISE");

static int __gem_madvise(uint32_t handle, uint32_t madv, uint32_t *retained)
{
	struct drm_i915_gem_madvise arg = { .handle = handle, .madv = madv, .retained = 7 };
	int ret = ioctl_err(fd, DRM_IOCTL_I915_GEM_MADVISE, &arg);

	if (!ret && retained)
		*retained = arg.retained;
	return ret;
}

static uint32_t gem_madvise(uint32_t handle, uint32_t madv)
{
	uint32_t retained;

	CHECK_RET(__gem_madvise(handle, madv, &retained), 0);
	return retained;
}

static sigjmp_buf jmp;

static void on_fault(int sig)
{
	siglongjmp(jmp, sig);
}

/* A write through ptr: the signal it raised (SIGBUS, SIGSEGV) or 0. */
static int touch(volatile uint32_t *ptr)
{
	struct sigaction sa = { .sa_handler = on_fault }, obus, osegv;
	int sig;

	CHECK(sigaction(SIGBUS, &sa, &obus) == 0);
	CHECK(sigaction(SIGSEGV, &sa, &osegv) == 0);
	sig = sigsetjmp(jmp, 1);
	if (!sig)
		*ptr = 0;
	CHECK(sigaction(SIGBUS, &obus, NULL) == 0);
	CHECK(sigaction(SIGSEGV, &osegv, NULL) == 0);
	return sig;
}

static const struct { uint64_t type; const char *name; } mmap_types[] = {
	{ I915_MMAP_OFFSET_GTT, "gtt" },
	{ I915_MMAP_OFFSET_WB, "wb" },
	{ I915_MMAP_OFFSET_WC, "wc" },
};

static volatile uint32_t *map(uint32_t handle, uint64_t type)
{
	uint64_t offset;
	void *p;

	CHECK_RET(__mmap_offset(fd, handle, type, 0, &offset), 0);
	p = mmap(NULL, OBJ_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, (off_t)offset);
	CHECK(p != MAP_FAILED);
	return p;
}

/*
 * gem_madvise@dontneed-before-mmap / dontneed-after-mmap (as IGT): a purged
 * object's mapping of every type faults SIGBUS, whether it was made before
 * or after the advice.
 */
static void test_dontneed_mmap(int after)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(mmap_types); i++) {
		uint32_t h = gem_create(OBJ_SIZE);
		volatile uint32_t *ptr = NULL;
		int sig;

		if (after)
			ptr = map(h, mmap_types[i].type);
		if (gem_madvise(h, I915_MADV_DONTNEED))
			FAIL("an idle object was retained after DONTNEED");
		if (!after)
			ptr = map(h, mmap_types[i].type);
		gem_close(fd, h);	/* the mapping keeps the object */
		sig = touch(ptr);
		if (sig != SIGBUS)
			FAIL("a write through the %s mmap of a purged object raised %s, expected SIGBUS",
			     mmap_types[i].name, sig ? strsignal(sig) : "nothing");
		munmap((void *)ptr, OBJ_SIZE);
	}
}

/* gem_madvise@dontneed-before-pwrite (as IGT): PWRITE to a purged object is EFAULT. */
static void test_dontneed_pwrite(int arg)
{
	uint32_t h = gem_create(OBJ_SIZE), v = 0;

	(void)arg;
	gem_madvise(h, I915_MADV_DONTNEED);
	CHECK_RET(__gem_pwrite(fd, h, 0, &v, sizeof(v)), -EFAULT);
	CHECK_RET(__gem_pread(fd, h, 0, &v, sizeof(v)), -EFAULT);
	CHECK_RET(__gem_set_domain(fd, h, I915_GEM_DOMAIN_CPU, 0), -EFAULT);
	gem_close(fd, h);
}

/* gem_madvise@dontneed-before-exec (as IGT): executing a purged batch is EFAULT. */
static void test_dontneed_exec(int arg)
{
	struct drm_i915_gem_exec_object2 obj = { .handle = gem_create(OBJ_SIZE) };
	struct drm_i915_gem_execbuffer2 eb = {
		.buffers_ptr = (uintptr_t)&obj,
		.buffer_count = 1,
		.batch_len = 8,
	};
	uint32_t bbe[2] = { MI_BATCH_BUFFER_END, MI_NOOP };
	int dmabuf;

	(void)arg;
	gem_write(fd, obj.handle, 0, bbe, sizeof(bbe));
	gem_madvise(obj.handle, I915_MADV_DONTNEED);
	CHECK_RET(__gem_execbuf(fd, &eb), -EFAULT);
	CHECK_RET(__prime_handle_to_fd(fd, obj.handle, DRM_CLOEXEC, &dmabuf), -EFAULT);
	gem_close(fd, obj.handle);
}

/*
 * gem_madvise@vi915-rules: vi915 extension. A madv other than WILLNEED or
 * DONTNEED is EINVAL (even for a bad handle), a bad handle ENOENT; WILLNEED
 * keeps an object; a purged object stays purged (WILLNEED answers retained
 * 0, and it still cannot be read).
 */
static void test_rules(int arg)
{
	uint32_t h = gem_create(OBJ_SIZE), v;

	(void)arg;
	CHECK_RET(__gem_madvise(h, 2, NULL), -EINVAL);
	CHECK_RET(__gem_madvise(h, ~0u, NULL), -EINVAL);
	CHECK_RET(__gem_madvise(0xdeadbeef, 3, NULL), -EINVAL);
	CHECK_RET(__gem_madvise(0xdeadbeef, I915_MADV_DONTNEED, NULL), -ENOENT);
	CHECK(gem_madvise(h, I915_MADV_WILLNEED) == 1);
	gem_write(fd, h, 0, &h, sizeof(h));
	CHECK(gem_madvise(h, I915_MADV_DONTNEED) == 0);
	CHECK(gem_madvise(h, I915_MADV_WILLNEED) == 0);
	CHECK(gem_madvise(h, I915_MADV_DONTNEED) == 0);
	CHECK_RET(__gem_pread(fd, h, 0, &v, sizeof(v)), -EFAULT);
	gem_close(fd, h);
}

/*
 * gem_madvise@vi915-busy-retained: vi915 extension. DONTNEED on an object
 * the engine is using keeps it (retained 1) and it stays usable: no purge
 * under a request. A userptr's memory is its owner's: DONTNEED keeps it.
 */
static void test_busy_retained(int arg)
{
	uint32_t *user = mmap_anon(OBJ_SIZE, MAP_PRIVATE);
	uint32_t h = gem_create(OBJ_SIZE), up, v = 0x1234;
	struct vi_spin spin;

	(void)arg;
	CHECK_RET(vi_spin_new(fd, h, &spin), 0);
	if (gem_madvise(h, I915_MADV_DONTNEED) != 1)
		FAIL("a busy object was purged by DONTNEED");
	vi_spin_end(&spin);
	CHECK_RET(vi_spin_wait(fd, &spin), 0);
	vi_spin_free(fd, &spin);
	gem_write(fd, h, 0, &v, sizeof(v));
	CHECK(read_dword(h, 0) == 0x1234);
	CHECK(gem_madvise(h, I915_MADV_WILLNEED) == 1);
	gem_close(fd, h);

	up = gem_userptr(user, OBJ_SIZE, 0);
	CHECK(gem_madvise(up, I915_MADV_DONTNEED) == 1);
	CHECK_RET(__gem_set_domain(fd, up, I915_GEM_DOMAIN_CPU, I915_GEM_DOMAIN_CPU), 0);
	gem_close(fd, up);
	munmap(user, OBJ_SIZE);
}

/* ======================================================================== */
/* Subtest table                                                             */
/* ======================================================================== */

static void build_subtest_table(void)
{
	add("dontneed-before-mmap", test_dontneed_mmap, 0, 0);
	add("dontneed-after-mmap", test_dontneed_mmap, 1, 0);
	add("dontneed-before-pwrite", test_dontneed_pwrite, 0, 0);
	add("dontneed-before-exec", test_dontneed_exec, 0, 0);
	add("vi915-rules", test_rules, 0, 0);
	add("vi915-busy-retained", test_busy_retained, 0, 0);
}

int main(int argc, char **argv)
{
	return harness_main(argc, argv, "gem_madvise", build_subtest_table);
}
