// SPDX-License-Identifier: GPL-2.0
/*
 * core_debugfs - vi915 uAPI subtests mirroring IGT's core_debugfs: every file
 * of the device's debugfs directory reads, the files' formats, and the
 * semantics of vi915_counters.
 *
 * Part of the vi915 uAPI conformance tests (one program per IGT test they
 * mirror; subtest naming, the harness checks and the shared helpers:
 * uapi_common.h).
 *
 * Usage: core_debugfs [-d SECONDS] [-t SECONDS] [-s NAME]... [-l] [-v] [-J]
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "uapi_common.h"

/* /sys/kernel/debug/dri/<minor of our card node> (README). */
static void debugfs_dir_of_fd(char *dir, size_t len)
{
	struct stat st;
	char path[600];

	CHECK(fstat(fd, &st) == 0);
	snprintf(dir, len, "/sys/kernel/debug/dri/%u", minor(st.st_rdev));
	snprintf(path, sizeof(path), "%s/i915_error_state", dir);
	if (access(path, F_OK))
		FAIL("%s does not exist (README: debugfs in /sys/kernel/debug/dri/<minor>/)", path);
}

static ssize_t read_file(const char *path, char *buf, size_t len)
{
	int f = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n, total = 0;

	if (f < 0)
		return -errno;
	while ((size_t)total < len - 1 && (n = read(f, buf + total, len - 1 - total)) > 0)
		total += n;
	if (n < 0)
		total = -errno;
	close(f);
	if (total >= 0)
		buf[total] = '\0';
	return total;
}

static ssize_t write_file(const char *path, const char *s)
{
	int f = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;

	if (f < 0)
		return -errno;
	n = write(f, s, strlen(s));
	if (n < 0)
		n = -errno;
	close(f);
	return n;
}

/*
 * core_debugfs@read-all-entries (as IGT's core_debugfs: read every file
 * of the device's debugfs directory; none may fail).
 */
static void test_debugfs_read_all(int arg)
{
	char dir[300], path[700], buf[8192];
	struct dirent *de;
	int n = 0;
	DIR *d;

	(void)arg;
	debugfs_dir_of_fd(dir, sizeof(dir));
	d = opendir(dir);
	CHECK(d != NULL);
	while ((de = readdir(d))) {
		struct stat st;
		ssize_t r;

		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (stat(path, &st) || !S_ISREG(st.st_mode))
			continue;
		r = read_file(path, buf, sizeof(buf));
		if (r < 0)
			FAIL("reading %s failed: %s", path, strerror((int)-r));
		n++;
	}
	closedir(d);
	info("  read %d files in %s\n", n, dir);
	CHECK(n >= 3);
}

/*
 * core_debugfs@vi915-files-format: vi915 extension.  README:
 * i915_error_state reads "no error state collected", writes accepted;
 * i915_gem_drop_caches read/write, "0x%08llx", value remembered;
 * vi915_counters read-only, exactly the seven "key <n>" lines in order.
 */
static void test_debugfs_format(int arg)
{
	char dir[300], path[700], buf[4096], old[64];
	static const char *const fmt_keys[] = {
		"objects", "userptr_objects", "pages_held", "workers_in_flight", "ggtt_bound",
		"requests_in_flight", "engine_mapped_pages",
	};
	struct stat st;
	ssize_t r;
	char *line;
	size_t k = 0;

	(void)arg;
	debugfs_dir_of_fd(dir, sizeof(dir));

	snprintf(path, sizeof(path), "%s/i915_error_state", dir);
	r = read_file(path, buf, sizeof(buf));
	CHECK(r >= 0);
	if (strcmp(buf, "no error state collected\n"))
		FAIL("%s reads \"%s\", expected \"no error state collected\\n\"", path, buf);
	r = write_file(path, "1\n");
	if (r != 2)
		FAIL("write to %s returned %s", path, r < 0 ? strerror((int)-r) : "a short count");
	r = read_file(path, buf, sizeof(buf));
	CHECK(r >= 0 && strcmp(buf, "no error state collected\n") == 0);

	snprintf(path, sizeof(path), "%s/i915_gem_drop_caches", dir);
	r = read_file(path, old, sizeof(old));
	CHECK(r >= 0);
	if (strlen(old) != 11 || strncmp(old, "0x", 2) || old[10] != '\n')
		FAIL("%s reads \"%s\", expected 0x%%08llx", path, old);
	r = write_file(path, "0x14");
	if (r != 4)
		FAIL("writing 0x14 to %s returned %s", path, r < 0 ? strerror((int)-r) : "short");
	r = read_file(path, buf, sizeof(buf));
	CHECK(r >= 0);
	if (strcmp(buf, "0x00000014\n"))
		FAIL("%s reads \"%s\" after writing 0x14, expected \"0x00000014\\n\"", path, buf);
	r = write_file(path, "0x123456789");
	CHECK(r > 0);
	r = read_file(path, buf, sizeof(buf));
	if (r < 0 || strcmp(buf, "0x123456789\n"))
		FAIL("%s reads \"%s\" after writing 0x123456789", path, buf);
	old[10] = '\0';
	CHECK(write_file(path, old) > 0);	/* restore */

	snprintf(path, sizeof(path), "%s/vi915_counters", dir);
	CHECK(stat(path, &st) == 0);
	if (st.st_mode & 0222)
		FAIL("%s has mode %o, README says read-only", path, st.st_mode & 07777);
	r = write_file(path, "0\n");
	if (r >= 0)
		FAIL("writing to %s succeeded (%zd)", path, r);
	r = read_file(path, buf, sizeof(buf));
	CHECK(r > 0);
	for (line = strtok(buf, "\n"); line; line = strtok(NULL, "\n"), k++) {
		char key[64], tail[8];
		unsigned long long v;

		if (k >= ARRAY_SIZE(fmt_keys))
			FAIL("%s: extra line \"%s\"", path, line);
		if (sscanf(line, "%63s %llu%7s", key, &v, tail) != 2 || strcmp(key, fmt_keys[k]))
			FAIL("%s line %zu is \"%s\", expected \"%s <n>\"", path, k + 1, line,
			     fmt_keys[k]);
	}
	if (k != ARRAY_SIZE(fmt_keys))
		FAIL("%s has %zu lines, expected %zu", path, k, ARRAY_SIZE(fmt_keys));
}

/*
 * core_debugfs@vi915-counters-semantics: vi915 extension.  README:
 * objects = live GEM objects incl. userptr; userptr_objects; pages_held =
 * user pages referenced by userptr objects, not GEM_CREATE pages;
 * ggtt_bound = objects with a GGTT range.
 */
static void test_debugfs_counters(int arg)
{
	const size_t upages = 5;
	char *user = mmap_anon(upages * PAGE_SIZE, MAP_PRIVATE);
	struct vi_counters c0, c;
	uint32_t h, up;
	volatile char *map;

	(void)arg;
	memset(user, 1, upages * PAGE_SIZE);
	check_counters(&c0);
	h = gem_create(8 * PAGE_SIZE);
	check_counters(&c);
	if (counter_delta(&c0, &c, VI_OBJECTS) != 1 || counter_delta(&c0, &c, VI_USERPTR_OBJECTS) ||
	    counter_delta(&c0, &c, VI_PAGES_HELD) || counter_delta(&c0, &c, VI_GGTT_BOUND))
		FAIL("after GEM_CREATE: objects %+lld, userptr_objects %+lld, pages_held %+lld, "
		     "ggtt_bound %+lld; expected +1, 0, 0, 0",
		     counter_delta(&c0, &c, VI_OBJECTS), counter_delta(&c0, &c, VI_USERPTR_OBJECTS),
		     counter_delta(&c0, &c, VI_PAGES_HELD), counter_delta(&c0, &c, VI_GGTT_BOUND));
	up = gem_userptr(user, upages * PAGE_SIZE, 0);
	check_counters(&c);
	if (counter_delta(&c0, &c, VI_OBJECTS) != 2 || counter_delta(&c0, &c, VI_USERPTR_OBJECTS) != 1 ||
	    counter_delta(&c0, &c, VI_PAGES_HELD))
		FAIL("after USERPTR: objects %+lld, userptr_objects %+lld, pages_held %+lld; "
		     "expected +2, +1, 0", counter_delta(&c0, &c, VI_OBJECTS),
		     counter_delta(&c0, &c, VI_USERPTR_OBJECTS), counter_delta(&c0, &c, VI_PAGES_HELD));
	CHECK_RET(__gem_set_domain(fd, up, I915_GEM_DOMAIN_CPU, 0), 0);	/* get_pages */
	check_counters(&c);
	if (counter_delta(&c0, &c, VI_PAGES_HELD) != (long long)upages)
		FAIL("after SET_DOMAIN on a %zu-page userptr: pages_held %+lld", upages,
		     counter_delta(&c0, &c, VI_PAGES_HELD));
	map = gem_mmap_gtt(fd, h, 8 * PAGE_SIZE, PROT_READ | PROT_WRITE);
	map[0] = 1;
	check_counters(&c);
	if (counter_delta(&c0, &c, VI_GGTT_BOUND) != 1 ||
	    counter_delta(&c0, &c, VI_PAGES_HELD) != (long long)upages)
		FAIL("after a GTT fault on the GEM_CREATE object: ggtt_bound %+lld, pages_held "
		     "%+lld; expected +1, +%zu", counter_delta(&c0, &c, VI_GGTT_BOUND),
		     counter_delta(&c0, &c, VI_PAGES_HELD), upages);
	munmap((void *)map, 8 * PAGE_SIZE);
	gem_close(fd, up);
	check_counters(&c);
	if (counter_delta(&c0, &c, VI_OBJECTS) != 1 || counter_delta(&c0, &c, VI_USERPTR_OBJECTS) ||
	    counter_delta(&c0, &c, VI_PAGES_HELD))
		FAIL("after closing the userptr: objects %+lld, userptr_objects %+lld, pages_held "
		     "%+lld; expected +1, 0, 0", counter_delta(&c0, &c, VI_OBJECTS),
		     counter_delta(&c0, &c, VI_USERPTR_OBJECTS), counter_delta(&c0, &c, VI_PAGES_HELD));
	gem_close(fd, h);
	check_counters(&c);
	for (int i = 0; i < VI_NR_COUNTERS; i++)
		if (c.v[i] != c0.v[i])
			FAIL("after closing everything: %s %lld, %lld before", vi_counter_names[i],
			     c.v[i], c0.v[i]);
	munmap(user, upages * PAGE_SIZE);
}

/* "<n> objects, <bytes> bytes\n" of i915_gem_objects. */
static void read_gem_objects(const char *dir, unsigned long long *n, unsigned long long *bytes)
{
	char path[700], buf[256], tail[8];
	ssize_t r;

	snprintf(path, sizeof(path), "%s/i915_gem_objects", dir);
	r = read_file(path, buf, sizeof(buf));
	if (r < 0)
		FAIL("reading %s: %s", path, strerror((int)-r));
	if (sscanf(buf, "%llu objects, %llu bytes%7s", n, bytes, tail) != 2 ||
	    buf[strlen(buf) - 1] != '\n')
		FAIL("%s reads \"%s\", expected \"%%u objects, %%llu bytes\\n\"", path, buf);
}

/*
 * core_debugfs@vi915-gem-objects: vi915 extension.  README: i915_gem_objects
 * in i915's 2017 format (IGT reads its leading count): live objects and
 * their bytes, userptr included.
 */
static void test_debugfs_gem_objects(int arg)
{
	char dir[300];
	void *user = mmap_anon(3 * PAGE_SIZE, MAP_PRIVATE);
	unsigned long long n0, b0, n, b;
	uint32_t h, up;

	(void)arg;
	debugfs_dir_of_fd(dir, sizeof(dir));
	read_gem_objects(dir, &n0, &b0);
	h = gem_create(2 * PAGE_SIZE);
	up = gem_userptr(user, 3 * PAGE_SIZE, 0);
	read_gem_objects(dir, &n, &b);
	if (n != n0 + 2 || b != b0 + 5 * PAGE_SIZE)
		FAIL("after two objects of 2 and 3 pages: %llu objects, %llu bytes; "
		     "before %llu, %llu", n, b, n0, b0);
	gem_close(fd, h);
	gem_close(fd, up);
	read_gem_objects(dir, &n, &b);
	if (n != n0 || b != b0)
		FAIL("after closing them: %llu objects, %llu bytes; before %llu, %llu",
		     n, b, n0, b0);
	munmap(user, 3 * PAGE_SIZE);
}

/* Write s to i915_params/<name>; 0 or -errno. */
static int write_param(const char *dir, const char *name, const char *s)
{
	char path[700];
	ssize_t r;

	snprintf(path, sizeof(path), "%s/i915_params/%s", dir, name);
	r = write_file(path, s);
	return r < 0 ? (int)r : 0;
}

static void expect_param(const char *dir, const char *name, const char *want)
{
	char path[700], buf[64];
	ssize_t r;

	snprintf(path, sizeof(path), "%s/i915_params/%s", dir, name);
	r = read_file(path, buf, sizeof(buf));
	if (r < 0)
		FAIL("reading %s: %s", path, strerror((int)-r));
	if (strcmp(buf, want))
		FAIL("%s reads \"%s\", expected \"%s\"", path, buf, want);
}

/*
 * core_debugfs@vi915-i915-params: vi915 extension.  README: i915_params/
 * has reset, enable_hangcheck and enable_guc as i915 prints them; hangs
 * are always recovered (the request budget): reset accepts every level
 * i915's unsigned parameter takes (1, 2, IGT's INT_MAX, 4294967295) and
 * refuses 0; enable_hangcheck cannot be turned off;
 * enable_guc is 0 and read-only in effect (EPERM).
 */
static void test_debugfs_params(int arg)
{
	char dir[300];

	(void)arg;
	debugfs_dir_of_fd(dir, sizeof(dir));
	CHECK_RET(write_param(dir, "reset", "4294967295"), 0);
	expect_param(dir, "reset", "4294967295\n");
	CHECK_RET(write_param(dir, "reset", "1"), 0);
	expect_param(dir, "reset", "1\n");
	CHECK_RET(write_param(dir, "reset", "2\n"), 0);
	expect_param(dir, "reset", "2\n");
	CHECK_RET(write_param(dir, "reset", "0"), -EINVAL);
	CHECK_RET(write_param(dir, "reset", "2147483647"), 0);	/* igt_allow_hang */
	expect_param(dir, "reset", "2147483647\n");
	CHECK_RET(write_param(dir, "reset", "2"), 0);
	CHECK_RET(write_param(dir, "reset", "-2"), -EINVAL);
	CHECK_RET(write_param(dir, "reset", "banana"), -EINVAL);
	expect_param(dir, "reset", "2\n");
	CHECK_RET(write_param(dir, "reset", "-1"), -EINVAL);	/* i915's is a uint */
	CHECK_RET(write_param(dir, "reset", "0xffffffff"), 0);
	expect_param(dir, "reset", "4294967295\n");

	expect_param(dir, "enable_hangcheck", "Y\n");
	CHECK_RET(write_param(dir, "enable_hangcheck", "1"), 0);
	CHECK_RET(write_param(dir, "enable_hangcheck", "Y"), 0);
	CHECK_RET(write_param(dir, "enable_hangcheck", "0"), -EINVAL);
	CHECK_RET(write_param(dir, "enable_hangcheck", "maybe"), -EINVAL);
	expect_param(dir, "enable_hangcheck", "Y\n");

	expect_param(dir, "enable_guc", "0\n");
	CHECK_RET(write_param(dir, "enable_guc", "1"), -EPERM);
	CHECK_RET(write_param(dir, "enable_guc", "0"), -EPERM);
	expect_param(dir, "enable_guc", "0\n");
	CHECK_RET(write_param(dir, "no_such_param", "1"), -ENOENT);
}

/* ======================================================================== */
/* Subtest table                                                             */
/* ======================================================================== */

static void build_subtest_table(void)
{
	add("read-all-entries", test_debugfs_read_all, 0, 0);
	add("vi915-files-format", test_debugfs_format, 0, 0);
	add("vi915-counters-semantics", test_debugfs_counters, 0, 0);
	add("vi915-gem-objects", test_debugfs_gem_objects, 0, 0);
	add("vi915-i915-params", test_debugfs_params, 0, 0);
}

int main(int argc, char **argv)
{
	return harness_main(argc, argv, "core_debugfs", build_subtest_table);
}
