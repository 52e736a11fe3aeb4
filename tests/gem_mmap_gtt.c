// SPDX-License-Identifier: GPL-2.0
/*
 * gem_mmap_gtt - vi915 uAPI subtests mirroring IGT's gem_mmap_gtt: the
 * SET_DOMAIN argument rules, MMAP_GTT of bad handles, the refused COW
 * mapping, GET_APERTURE while a GTT fault holds an object bound, a GTT
 * fault waiting for the engine, and ptrace / /proc/pid/mem access to GTT
 * mmaps (vm_ops->access).
 *
 * Part of the vi915 uAPI conformance tests (one program per IGT test they
 * mirror; subtest naming, the harness checks and the shared helpers:
 * uapi_common.h).
 *
 * Usage: gem_mmap_gtt [-d SECONDS] [-t SECONDS] [-s NAME]... [-l] [-v] [-J]
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>

#include "uapi_common.h"

/*
 * gem_mmap_gtt@vi915-set-domain-rules: vi915 extension (IGT has no
 * SET_DOMAIN argument test; gem_mmap_gtt is where IGT uses the GTT domain).
 * README: only CPU/GTT/WC (others EINVAL), write != read -> EINVAL, ENOENT.
 */
static void test_set_domain_rules(int arg)
{
	static const uint32_t gpu[] = {
		I915_GEM_DOMAIN_RENDER, I915_GEM_DOMAIN_SAMPLER, I915_GEM_DOMAIN_COMMAND,
		I915_GEM_DOMAIN_INSTRUCTION, I915_GEM_DOMAIN_VERTEX, 0x100, 0x80000000u,
	};
	const uint32_t CPU = I915_GEM_DOMAIN_CPU, GTT = I915_GEM_DOMAIN_GTT, WC = 0x80;
	uint32_t h = gem_create(PAGE_SIZE);

	(void)arg;
	/* valid */
	CHECK_RET(__gem_set_domain(fd, h, CPU, 0), 0);
	CHECK_RET(__gem_set_domain(fd, h, GTT, 0), 0);
	CHECK_RET(__gem_set_domain(fd, h, CPU | GTT, 0), 0);
	CHECK_RET(__gem_set_domain(fd, h, CPU, CPU), 0);
	CHECK_RET(__gem_set_domain(fd, h, GTT, GTT), 0);
	CHECK_RET(__gem_set_domain(fd, h, WC, 0), 0);
	CHECK_RET(__gem_set_domain(fd, h, WC, WC), 0);
	CHECK_RET(__gem_set_domain(fd, h, WC | CPU, 0), 0);
	/* other domains, in read or write */
	for (size_t i = 0; i < ARRAY_SIZE(gpu); i++) {
		int r1 = __gem_set_domain(fd, h, gpu[i], 0);
		int r2 = __gem_set_domain(fd, h, gpu[i] | CPU, 0);
		int r3 = __gem_set_domain(fd, h, gpu[i], gpu[i]);
		int r4 = __gem_set_domain(fd, h, CPU, gpu[i]);

		if (r1 != -EINVAL || r2 != -EINVAL || r3 != -EINVAL || r4 != -EINVAL)
			FAIL("domain %#x: SET_DOMAIN (%#x,0) %s, (%#x|CPU,0) %s, (%#x,%#x) %s, "
			     "(CPU,%#x) %s; expected EINVAL for all", gpu[i], gpu[i], errname(r1),
			     gpu[i], errname(r2), gpu[i], gpu[i], errname(r3), gpu[i],
			     errname(r4));
	}
	/* write != read */
	CHECK_RET(__gem_set_domain(fd, h, CPU | GTT, GTT), -EINVAL);
	CHECK_RET(__gem_set_domain(fd, h, CPU | GTT, CPU), -EINVAL);
	CHECK_RET(__gem_set_domain(fd, h, GTT, CPU), -EINVAL);
	CHECK_RET(__gem_set_domain(fd, h, 0, CPU), -EINVAL);
	CHECK_RET(__gem_set_domain(fd, h, 0, GTT), -EINVAL);
	/* bad handle */
	CHECK_RET(__gem_set_domain(fd, 0, CPU, 0), -ENOENT);
	CHECK_RET(__gem_set_domain(fd, h + 1000, GTT, GTT), -ENOENT);
	/* order: the arguments are checked before the handle */
	CHECK_RET(__gem_set_domain(fd, h + 1000, I915_GEM_DOMAIN_RENDER, 0), -EINVAL);
	CHECK_RET(__gem_set_domain(fd, h + 1000, GTT, CPU), -EINVAL);
	gem_close(fd, h);
	CHECK_RET(__gem_set_domain(fd, h, CPU, 0), -ENOENT);	/* closed */
}

static int __mmap_gtt_raw(int dev, uint32_t handle)
{
	struct drm_i915_gem_mmap_gtt arg = { .handle = handle };

	return ioctl_err(dev, DRM_IOCTL_I915_GEM_MMAP_GTT, &arg);
}

/* gem_mmap_gtt@bad-object (as IGT, plus handle 0): MMAP_GTT of a bad handle -> ENOENT. */
static void test_mmap_gtt_bad_object(int arg)
{
	uint32_t real = gem_create(PAGE_SIZE), handles[24];
	size_t n;

	(void)arg;
	bad_handles(real, handles, &n);
	for (size_t i = 0; i < n; i++) {
		int ret = __mmap_gtt_raw(fd, handles[i]);

		if (ret != -ENOENT)
			FAIL("MMAP_GTT(handle %#x) returned %s, expected ENOENT", handles[i],
			     errname(ret));
	}
	CHECK_RET(__mmap_gtt_raw(fd, real), 0);
	gem_close(fd, real);
}

/*
 * gem_mmap_gtt@vi915-cow-refused: vi915 extension (forbidden-operations
 * checks this on a userptr; here a GEM_CREATE object).  Brief/README: a
 * COW (writable MAP_PRIVATE) mmap of a GTT offset is refused.
 */
static void test_mmap_gtt_cow(int arg)
{
	uint32_t h = gem_create(PAGE_SIZE);
	uint64_t off = gem_mmap_gtt_offset(fd, h);
	void *map;

	(void)arg;
	map = mmap(NULL, PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, off);
	if (map != MAP_FAILED)
		FAIL("writable MAP_PRIVATE mmap of a GTT offset succeeded");
	if (errno != EINVAL)
		FAIL("writable MAP_PRIVATE mmap of a GTT offset failed with %s, expected EINVAL",
		     errname(-errno));
	/* the shared mapping of the same offset works */
	map = mmap(NULL, PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, off);
	CHECK(map != MAP_FAILED);
	*(volatile uint32_t *)map = 0x1234;
	munmap(map, PAGE_SIZE);
	gem_close(fd, h);
}

/*
 * gem_mmap_gtt@vi915-get-aperture: vi915 extension (IGT reads the aperture
 * through lib gem_aperture_size(); no subtest checks it).  README: 4 GiB,
 * minus bound bytes: available drops by the object size while a GTT fault
 * holds it bound, and comes back when the object is freed.
 */
static void test_get_aperture(int arg)
{
	const size_t size = 64 * 1024;
	struct aperture ap0, ap1, ap2;
	uint32_t h, h2;
	volatile char *map;

	(void)arg;
	get_aperture(&ap0);
	if (ap0.aper_size != GGTT_SIZE)
		FAIL("aper_size %llu, README says 4 GiB", ap0.aper_size);
	if (ap0.aper_available_size > ap0.aper_size)
		FAIL("aper_available_size %llu > aper_size", ap0.aper_available_size);

	h = gem_create(size);
	h2 = gem_create(size);			/* never faulted: never bound */
	get_aperture(&ap1);
	CHECK(ap1.aper_available_size == ap0.aper_available_size);
	map = gem_mmap_gtt(fd, h, size, PROT_READ | PROT_WRITE);
	map[0] = 1;				/* GTT fault: bind */
	get_aperture(&ap1);
	if (ap0.aper_available_size - ap1.aper_available_size != size)
		FAIL("available %llu -> %llu after binding a %zu-byte object",
		     ap0.aper_available_size, ap1.aper_available_size, size);
	CHECK(ap1.aper_size == GGTT_SIZE);
	munmap((void *)map, size);		/* unmapping does not unbind */
	get_aperture(&ap2);
	CHECK(ap2.aper_available_size == ap1.aper_available_size);
	gem_close(fd, h);
	gem_close(fd, h2);
	get_aperture(&ap2);
	if (ap2.aper_available_size != ap0.aper_available_size)
		FAIL("available %llu after freeing the object, %llu before",
		     ap2.aper_available_size, ap0.aper_available_size);
}

/*
 * Another process (a stopped tracee sharing the mapping by fork) reads
 * every word of map through PTRACE_PEEKDATA, expecting `old`, and writes
 * `new` through PTRACE_POKEDATA.
 */
static void ptrace_rewrite(volatile unsigned long *map, size_t size, unsigned long old,
			   unsigned long new)
{
	pid_t pid = fork();
	int st;

	CHECK(pid >= 0);
	if (pid == 0) {
		ptrace(PTRACE_TRACEME, 0, NULL, NULL);
		raise(SIGSTOP);
		_exit(0);
	}
	CHECK(waitpid(pid, &st, 0) == pid && WIFSTOPPED(st));
	for (size_t i = 0; i < size / sizeof(long); i++) {
		long v;

		errno = 0;
		v = ptrace(PTRACE_PEEKDATA, pid, (void *)&map[i], NULL);
		if (errno || (unsigned long)v != old)
			FAIL("PTRACE_PEEKDATA of word %zu: %#lx (%s), expected %#lx", i,
			     (unsigned long)v, strerror(errno), old);
		if (ptrace(PTRACE_POKEDATA, pid, (void *)&map[i], (void *)new))
			FAIL("PTRACE_POKEDATA of word %zu: %s", i, strerror(errno));
	}
	ptrace(PTRACE_CONT, pid, NULL, NULL);
	CHECK(waitpid(pid, &st, 0) == pid && WIFEXITED(st));
}

/*
 * gem_mmap_gtt@ptrace (as IGT): a GTT mmap that outlives its handle is
 * read and written by a debugger (ptrace -> vm_ops->access); the writes
 * are in the object, seen through the mapping.
 */
static void test_ptrace(int arg)
{
	const size_t size = 16 * PAGE_SIZE;
	uint32_t h = gem_create(size);
	volatile unsigned long *map = gem_mmap_gtt(fd, h, size, PROT_READ | PROT_WRITE);

	(void)arg;
	memset((void *)map, 0x55, size);
	gem_close(fd, h);	/* the mapping keeps the object */
	ptrace_rewrite(map, size, 0x5555555555555555ul, 0xaaaaaaaaaaaaaaaaul);
	for (size_t i = 0; i < size / sizeof(long); i++)
		if (map[i] != 0xaaaaaaaaaaaaaaaaul)
			FAIL("word %zu is %#lx after the debugger wrote 0xaa..", i, map[i]);
	munmap((void *)map, size);
}

/*
 * gem_mmap_gtt@vi915-access-userptr: vi915 extension.  README: the same
 * access on a GTT mmap of a userptr reaches the user pages behind it (the
 * ptrace writes land in the userptr's own memory); /proc/self/mem reads
 * and writes the mapping too; outside the object is an error, not a crash.
 */
static void test_access_userptr(int arg)
{
	const size_t size = 4 * PAGE_SIZE;
	unsigned long *user = mmap_anon(size, MAP_SHARED);
	uint32_t h;
	volatile unsigned long *map;
	char buf[64], path[64];
	int mem;

	(void)arg;
	memset(user, 0x33, size);
	h = gem_userptr(user, size, 0);
	map = gem_mmap_gtt(fd, h, size, PROT_READ | PROT_WRITE);
	CHECK(map[0] == 0x3333333333333333ul);	/* fault in: pages held */
	ptrace_rewrite(map, size, 0x3333333333333333ul, 0x7777777777777777ul);
	for (size_t i = 0; i < size / sizeof(long); i++)
		if (user[i] != 0x7777777777777777ul)
			FAIL("user word %zu is %#lx after the debugger wrote through the "
			     "GTT mmap", i, user[i]);

	snprintf(path, sizeof(path), "/proc/%d/mem", getpid());
	mem = open(path, O_RDWR);
	CHECK(mem >= 0);
	CHECK(pread(mem, buf, sizeof(buf), (off_t)(uintptr_t)&map[8]) == sizeof(buf));
	for (size_t i = 0; i < sizeof(buf); i++)
		CHECK(buf[i] == 0x77);
	memset(buf, 0x11, sizeof(buf));
	CHECK(pwrite(mem, buf, sizeof(buf), (off_t)(uintptr_t)&map[8]) == sizeof(buf));
	CHECK(user[8] == 0x1111111111111111ul);
	close(mem);
	munmap((void *)map, size);
	gem_close(fd, h);
	munmap(user, size);
}

/*
 * gem_mmap_gtt@vi915-access-bounds: vi915 extension. /proc/self/mem reaches a
 * GTT mmap through vm_ops->access, which is asked for the rest of the whole
 * request: it must stop at its own VMA's end (the bytes after it belong to
 * the next mapping, not to the object), and a read-only mapping must refuse
 * the write (as the core mm refuses a forced write to a shared mapping).
 */
static void test_access_bounds(int arg)
{
	const size_t size = 2 * PAGE_SIZE;
	uint32_t h = gem_create(size);
	uint8_t page[PAGE_SIZE], buf[64];
	char path[64];
	volatile uint8_t *map;
	uint8_t *after;
	int mem;

	(void)arg;
	memset(page, 0xaa, sizeof(page));
	CHECK(__gem_pwrite(fd, h, 0, page, sizeof(page)) == 0);
	memset(page, 0xcc, sizeof(page));
	CHECK(__gem_pwrite(fd, h, PAGE_SIZE, page, sizeof(page)) == 0);
	snprintf(path, sizeof(path), "/proc/%d/mem", getpid());
	mem = open(path, O_RDWR);
	CHECK(mem >= 0);

	/* The VMA maps the first page of the two; anonymous memory follows it. */
	map = gem_mmap_gtt(fd, h, size, PROT_READ | PROT_WRITE);
	after = mmap((void *)(map + PAGE_SIZE), PAGE_SIZE, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	CHECK(after == (uint8_t *)(map + PAGE_SIZE));
	memset(after, 0xbb, PAGE_SIZE);
	CHECK(map[0] == 0xaa);			/* fault in */
	CHECK(pread(mem, buf, sizeof(buf), (off_t)(uintptr_t)(after - 32)) == sizeof(buf));
	for (size_t i = 0; i < sizeof(buf); i++)
		if (buf[i] != (i < 32 ? 0xaa : 0xbb))
			FAIL("/proc/self/mem byte %zd from the GTT VMA's end is %#x, expected %#x",
			     (ssize_t)i - 32, buf[i], i < 32 ? 0xaa : 0xbb);
	memset(buf, 0x11, sizeof(buf));
	CHECK(pwrite(mem, buf, sizeof(buf), (off_t)(uintptr_t)(after - 32)) == sizeof(buf));
	CHECK(map[PAGE_SIZE - 1] == 0x11 && after[31] == 0x11);
	CHECK(__gem_pread(fd, h, PAGE_SIZE, page, sizeof(page)) == 0);
	if (page[0] != 0xcc)
		FAIL("a write through /proc/self/mem past the GTT VMA reached the object's "
		     "unmapped second page (%#x)", page[0]);
	munmap((void *)map, 2 * PAGE_SIZE);

	/* Read-only: readable, not writable. */
	map = gem_mmap_gtt(fd, h, size, PROT_READ);
	CHECK(map[0] == 0xaa);
	memset(buf, 0x22, sizeof(buf));
	errno = 0;
	if (pwrite(mem, buf, sizeof(buf), (off_t)(uintptr_t)map) >= 0)
		FAIL("/proc/self/mem wrote through a read-only GTT mmap");
	CHECK(map[0] == 0xaa);
	munmap((void *)map, size);
	close(mem);
	gem_close(fd, h);
}

/* ======================================================================== */
/* Subtest table                                                             */
/* ======================================================================== */

static void build_subtest_table(void)
{
	add("vi915-set-domain-rules", test_set_domain_rules, 0, 0);
	add("bad-object", test_mmap_gtt_bad_object, 0, 0);
	add("vi915-cow-refused", test_mmap_gtt_cow, 0, 0);
	add("vi915-get-aperture", test_get_aperture, 0, 0);
	add("ptrace", test_ptrace, 0, 0);
	add("vi915-access-userptr", test_access_userptr, 0, 0);
	add("vi915-access-bounds", test_access_bounds, 0, 0);
	add("vi915-fault-waits-for-engine", test_cpu_access_waits, 1, 0);
}

int main(int argc, char **argv)
{
	return harness_main(argc, argv, "gem_mmap_gtt", build_subtest_table);
}
