/* SPDX-License-Identifier: GPL-2.0 */
/*
 * harness.h - the per-subtest harness of gem_userptr_blits and vi915_uapi
 * (harness.c): forked child per subtest, kernel-log / debug_locks / driver
 * counter / pin-balance checks, watchdog, IGT-style output.
 *
 * A program fills the subtest table with add() from its build function and
 * returns harness_main(argc, argv, "<prog>", build).  IGT's command line and
 * exit codes (--list-subtests, --run-subtest NAME, 0/77/98/79), so IGT's
 * runner runs these programs; also [-d SECONDS] [-t SECONDS] [-v] [-J]
 * (see usage()).  A program whose only subtest is named "" is a simple
 * test, as IGT's binaries without subtests.
 *
 * Inside a subtest body (the child): fd is the child's own device fd,
 * subtest_flags the subtest's flags, deadline = start + opt_duration.
 */
#ifndef VI915_HARNESS_H
#define VI915_HARNESS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <errno.h>
#include <sys/types.h>

#include "lib.h"

/* IGT's exit codes (igt_core.h); the skip code is also a subtest child's. */
#define IGT_EXIT_SUCCESS	0
#define IGT_EXIT_SKIP		77
#define IGT_EXIT_INVALID	79
#define IGT_EXIT_FAILURE	98
#define EXIT_SKIP		IGT_EXIT_SKIP

/* ---- options and child state ------------------------------------------ */
extern double opt_duration;		/* -d: bound for every loop */
extern double opt_timeout;		/* -t: watchdog per subtest */
extern bool opt_verbose;		/* -v: show subtest output on success */

extern int fd;				/* the child's device fd */
extern uint32_t subtest_flags;		/* struct subtest .flags of the running subtest */
extern double deadline;			/* now + opt_duration at child start */

bool time_left(void);

/* "EINVAL" etc. for 0 / -errno values ("success" for 0). */
const char *errname(long long err);

/* Subtest output (shown when the subtest fails, or with -v). */
void info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

void fail_at(const char *file, int line, const char *fmt, ...)
	__attribute__((noreturn, format(printf, 3, 4)));
void skip(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));

#define FAIL(...) fail_at(__FILE__, __LINE__, __VA_ARGS__)
#define CHECK(cond) do { \
		if (!(cond)) \
			FAIL("assertion failed: %s (errno %d: %s)", #cond, errno, strerror(errno)); \
	} while (0)
/* For the 0 / -errno helpers. */
#define CHECK_RET(expr, expected) do { \
		long long __r = (expr), __e = (expected); \
		if (__r != __e) { \
			char __en[64]; \
			snprintf(__en, sizeof(__en), "%s", errname(__e)); \
			FAIL("%s returned %s, expected %s", #expr, errname(__r), __en); \
		} \
	} while (0)

/*
 * The request behind out-fence f failed: within 30 s f signals with -EIO.
 * Closes f.  (GEM_WAIT and SET_DOMAIN answer 0 for it, as in i915.)
 */
void expect_request_failed(int f, const char *what);
/* The request behind out-fence f ran and succeeded: within 30 s f signals clean. Closes f. */
void expect_request_ok(int f, const char *what);

/* ---- asserting wrappers (the IGT gem_* helpers; fail the subtest) ------- */
uint32_t gem_userptr(void *ptr, uint64_t size, uint32_t flags);
void gem_close(int dev, uint32_t handle);
uint32_t gem_create(uint64_t size);
void gem_set_tiling(uint32_t handle, uint32_t tiling, uint32_t stride);
uint64_t gem_mmap_gtt_offset(int dev, uint32_t handle);
void *gem_mmap_gtt(int dev, uint32_t handle, uint64_t size, int prot);
void *mmap_anon(size_t size, int flags);
void *alloc_page_aligned(size_t size);
/* waitpid(pid) and fail unless it exited 0. */
void wait_child_ok(pid_t pid, const char *what);

/* ---- subtest table ------------------------------------------------------- */
struct subtest {
	char *name;
	void (*fn)(int arg);	/* NULL: needs GPU execution (SKIP) */
	int arg;
	uint32_t flags;		/* subtest_flags in the child */
	int expect;		/* -J only: expected enum result */
};

void add(const char *name, void (*fn)(int), int arg, uint32_t flags);
void add_gpu(const char *name);

/* Parse options, run the selected subtests, print the summary; returns the exit code. */
int harness_main(int argc, char **argv, const char *name, void (*build_subtest_table)(void));

#endif /* VI915_HARNESS_H */
