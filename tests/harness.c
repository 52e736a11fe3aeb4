// SPDX-License-Identifier: GPL-2.0
/*
 * harness.c - the per-subtest harness shared by gem_userptr_blits and
 * vi915_uapi (moved here from gem_userptr_blits.c; its behaviour and output
 * are unchanged).  Every subtest body runs in a forked child process (which
 * opens its own device fd and exits); the parent then checks:
 *   a. /dev/kmsg since the subtest began has no lockdep/WARNING/BUG/... lines,
 *      and /proc/lockdep_stats debug_locks did not drop from 1 to 0;
 *   b. the driver's debugfs vi915_counters came back to their start values
 *      (polled for a while for deferred frees/workers) and
 *      nr_foll_pin_acquired - nr_foll_pin_released did not change.
 * Output: IGT-style verdict lines, last line "N passed, N failed, N skipped".
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <getopt.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/time.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>


#include "harness.h"

#define SETTLE_SECONDS	2.0

/* Program name: in messages and in the kmsg marker "[IGT] <prog>: starting subtest". */
static const char *prog = "harness";

/* ------------------------------------------------------------------------ */
/* Options                                                                   */

double opt_duration = 2.0;	/* -d: bound for every loop */
double opt_timeout = 60.0;	/* -t: watchdog per subtest */
bool opt_verbose;		/* -v: show subtest output on success */

/* ------------------------------------------------------------------------ */
/* State of the subtest child                                               */

int fd = -1;			/* the child's device fd */
uint32_t subtest_flags;		/* the subtest's flags (struct subtest) */
double deadline;			/* now + opt_duration at child start */

struct shared_state {
	char skip_reason[256];
};
static struct shared_state *shared;	/* MAP_SHARED between parent and child */

bool time_left(void)
{
	return vi_now() < deadline;
}

const char *errname(long long err)
{
	static char buf[32];
	static const struct { int e; const char *n; } names[] = {
		{ EPERM, "EPERM" }, { ENOENT, "ENOENT" }, { EINTR, "EINTR" },
		{ EIO, "EIO" }, { ENXIO, "ENXIO" }, { E2BIG, "E2BIG" },
		{ EBADF, "EBADF" }, { EAGAIN, "EAGAIN" }, { ENOMEM, "ENOMEM" },
		{ EACCES, "EACCES" }, { EFAULT, "EFAULT" }, { EBUSY, "EBUSY" },
		{ EEXIST, "EEXIST" }, { ENODEV, "ENODEV" }, { EINVAL, "EINVAL" },
		{ ENOSPC, "ENOSPC" }, { ENOTTY, "ENOTTY" }, { ENOSYS, "ENOSYS" },
		{ EOPNOTSUPP, "EOPNOTSUPP" }, { EPROTO, "EPROTO(no handle / mode not applied)" },
	};

	if (err == 0)
		return "success";
	for (size_t i = 0; i < ARRAY_SIZE(names); i++)
		if (-err == names[i].e)
			return names[i].n;
	snprintf(buf, sizeof(buf), "%lld", err);
	return buf;
}

/* Output of the child goes into a pipe that the parent prints after the verdict. */
void info(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vdprintf(STDOUT_FILENO, fmt, ap);
	va_end(ap);
}

void fail_at(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	dprintf(STDOUT_FILENO, "  %s:%d: FAIL: ", file, line);
	va_start(ap, fmt);
	vdprintf(STDOUT_FILENO, fmt, ap);
	va_end(ap);
	dprintf(STDOUT_FILENO, "\n");
	_exit(1);	/* exit_group: also ends helper threads */
}

void skip(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(shared->skip_reason, sizeof(shared->skip_reason), fmt, ap);
	va_end(ap);
	_exit(EXIT_SKIP);
}

/* ------------------------------------------------------------------------ */
/* Asserting wrappers (the IGT gem_* helpers)                               */

uint32_t gem_userptr(void *ptr, uint64_t size, uint32_t flags)
{
	uint32_t handle;
	int ret = __gem_userptr(fd, ptr, size, flags, &handle);

	if (ret)
		FAIL("USERPTR(ptr=%p, size=%#llx, flags=%#x) failed: %s",
		     ptr, (unsigned long long)size, flags, errname(ret));
	return handle;
}

void gem_close(int dev, uint32_t handle)
{
	int ret = __gem_close(dev, handle);

	if (ret)
		FAIL("GEM_CLOSE(%u) failed: %s", handle, errname(ret));
}

uint32_t gem_create(uint64_t size)
{
	uint32_t handle;
	int ret = __gem_create(fd, size, &handle);

	if (ret)
		FAIL("GEM_CREATE(%llu) failed: %s", (unsigned long long)size, errname(ret));
	return handle;
}

void gem_set_tiling(uint32_t handle, uint32_t tiling, uint32_t stride)
{
	int ret = __gem_set_tiling(fd, handle, tiling, stride);

	if (ret)
		FAIL("SET_TILING(%u, mode %u, stride %u) failed: %s",
		     handle, tiling, stride, errname(ret));
}

uint64_t gem_mmap_gtt_offset(int dev, uint32_t handle)
{
	uint64_t offset;
	int ret = __gem_mmap_gtt_offset(dev, handle, &offset);

	if (ret)
		FAIL("MMAP_GTT(%u) failed: %s", handle, errname(ret));
	return offset;
}

void *gem_mmap_gtt(int dev, uint32_t handle, uint64_t size, int prot)
{
	void *ptr = __gem_mmap_gtt(dev, handle, size, prot);

	if (!ptr)
		FAIL("GTT mmap of handle %u (size %llu) failed: %s",
		     handle, (unsigned long long)size, strerror(errno));
	return ptr;
}

/* Within 30 s out-fence f signals with status want (1 clean, -EIO failed); closes f. */
static void expect_fence(int f, int want, const char *what)
{
	int status = vi_fence_status(f, 30 * 1000);

	close(f);
	if (status != want)
		FAIL("%s: the request's out-fence is %s, expected %s", what,
		     status == 0 ? "still active after 30 s" :
		     status == 1 ? "signalled without error" : errname(status),
		     want == 1 ? "signalled without error" : "signalled with EIO");
}

void expect_request_failed(int f, const char *what)
{
	expect_fence(f, -EIO, what);
}

void expect_request_ok(int f, const char *what)
{
	expect_fence(f, 1, what);
}

void *mmap_anon(size_t size, int flags)
{
	void *ptr = mmap(NULL, size, PROT_READ | PROT_WRITE,
			 flags | MAP_ANONYMOUS, -1, 0);

	CHECK(ptr != MAP_FAILED);
	return ptr;
}

void *alloc_page_aligned(size_t size)
{
	void *ptr = NULL;

	CHECK(posix_memalign(&ptr, PAGE_SIZE, size) == 0);
	return ptr;
}

void wait_child_ok(pid_t pid, const char *what)
{
	int status;

	while (waitpid(pid, &status, 0) < 0)
		CHECK(errno == EINTR);
	if (WIFSIGNALED(status))
		FAIL("%s: child killed by signal %d (%s)", what, WTERMSIG(status),
		     strsignal(WTERMSIG(status)));
	if (WEXITSTATUS(status) != 0)
		FAIL("%s: child exited with status %d", what, WEXITSTATUS(status));
}


/*
 * Judge self-test (-J): synthetic subtests that need no device, to check
 * that the harness itself passes, fails, skips and times out as it should.
 */
static void judge_pass(int arg) { (void)arg; }
static void judge_fail(int arg) { (void)arg; FAIL("deliberate failure"); }
static void judge_skip(int arg) { (void)arg; skip("deliberate skip"); }
static void judge_signal(int arg) { (void)arg; raise(SIGSEGV); }
static void judge_hang(int arg) { (void)arg; for (;;) pause(); }

static void judge_kmsg(int arg)
{
	(void)arg;
	kmsg_printf("vi915 judge self-test: WARNING: fake splat (please ignore)\n");
}

static void judge_orphan(int arg)
{
	(void)arg;
	if (fork() == 0) {	/* a helper left behind: must be reaped, not waited for */
		for (;;)
			pause();
	}
}

/* ======================================================================== */
/* Subtest table                                                             */
/* ======================================================================== */

#define MAX_SUBTESTS	256
static struct subtest subtests[MAX_SUBTESTS];
static int nr_subtests;

void add(const char *name, void (*fn)(int), int arg, uint32_t flags)
{
	struct subtest *t;

	if (nr_subtests == (int)ARRAY_SIZE(subtests)) {
		fprintf(stderr, "%s: subtest table full at %s\n", prog, name);
		exit(2);
	}
	t = &subtests[nr_subtests++];

	t->name = strdup(name);
	t->fn = fn;
	t->arg = arg;
	t->flags = flags;
}

void add_gpu(const char *name)
{
	add(name, NULL, 0, 0);
}

static void build_judge_table(void)
{
	static const struct { const char *name; void (*fn)(int); int expect; } j[] = {
		{ "judge-pass", judge_pass, 0 /* R_PASS */ },
		{ "judge-fail", judge_fail, 1 /* R_FAIL */ },
		{ "judge-skip", judge_skip, 2 /* R_SKIP */ },
		{ "judge-signal", judge_signal, 1 },
		{ "judge-kmsg-warning", judge_kmsg, 1 },
		{ "judge-orphan", judge_orphan, 0 },
		{ "judge-hang", judge_hang, 1 },
	};

	nr_subtests = 0;
	for (size_t i = 0; i < ARRAY_SIZE(j); i++) {
		add(j[i].name, j[i].fn, 0, 0);
		subtests[nr_subtests - 1].expect = j[i].expect;
	}
}

/* ======================================================================== */
/* The judge (parent side)                                                   */
/* ======================================================================== */

struct strbuf {
	char *buf;
	size_t len, cap;
	bool truncated;
};

static void sb_append(struct strbuf *sb, const char *data, size_t n)
{
	const size_t max = 256 * 1024;

	if (sb->len + n > max) {
		n = sb->len < max ? max - sb->len : 0;
		sb->truncated = true;
	}
	if (sb->len + n + 1 > sb->cap) {
		sb->cap = (sb->len + n + 1) * 2;
		sb->buf = realloc(sb->buf, sb->cap);
		if (!sb->buf)
			abort();
	}
	memcpy(sb->buf + sb->len, data, n);
	sb->len += n;
	sb->buf[sb->len] = '\0';
}

static void sb_printf(struct strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sb_printf(struct strbuf *sb, const char *fmt, ...)
{
	char tmp[2048];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if (n >= (int)sizeof(tmp))
		n = sizeof(tmp) - 1;
	sb_append(sb, tmp, n);
}

static void sb_free(struct strbuf *sb)
{
	free(sb->buf);
	memset(sb, 0, sizeof(*sb));
}

/* Kernel-log lines that fail a subtest (ref 6; brief). */
static const char *const kmsg_bad_patterns[] = {
	"possible recursive locking detected",
	"possible circular locking dependency detected",
	"inconsistent lock state",
	"bad unlock balance",
	"suspicious RCU usage",
	"lock held when returning to user space",
	"held lock freed",
	"INFO: trying to register non-static key",
	"WARNING:",
	"BUG:",
	"Oops",
	"KASAN:",
	"Kernel panic",
	"hung_task",
	"blocked for more than",
	"general protection fault",
	"detected stall",
	/* SLUB_DEBUG ("BUG <cache> (Not tainted): ..."), DEBUG_OBJECTS, DEBUG_LIST, DEBUG_VM */
	"(Not tainted): ",
	"(Tainted: ",
	"ODEBUG:",
	"list_add corruption",
	"list_del corruption",
	"page dumped because",
};

static const char *kmsg_is_bad(const char *text)
{
	for (size_t i = 0; i < ARRAY_SIZE(kmsg_bad_patterns); i++)
		if (strstr(text, kmsg_bad_patterns[i]))
			return kmsg_bad_patterns[i];
	return NULL;
}

struct klog {
	struct kmsg_record *recs;
	int nr, cap;
	int first_bad;
	int nr_bad;
};

static void klog_collect(int kfd, struct klog *kl)
{
	struct kmsg_record rec;
	char marker[128];

	snprintf(marker, sizeof(marker), "[IGT] %s: starting subtest", prog);
	kl->first_bad = -1;
	if (kfd < 0)
		return;
	while (kmsg_read(kfd, &rec) > 0) {
		if (strstr(rec.text, marker))
			continue;
		if (kl->nr == kl->cap) {
			if (kl->cap >= 4096) {	/* keep the first 4096 records */
				if (kmsg_is_bad(rec.text))
					kl->nr_bad++;
				continue;
			}
			kl->cap = kl->cap ? kl->cap * 2 : 64;
			kl->recs = realloc(kl->recs, kl->cap * sizeof(*kl->recs));
			if (!kl->recs)
				abort();
		}
		kl->recs[kl->nr] = rec;
		if (kmsg_is_bad(rec.text)) {
			if (kl->first_bad < 0)
				kl->first_bad = kl->nr;
			kl->nr_bad++;
		}
		kl->nr++;
	}
}

static void klog_print_excerpt(const struct klog *kl)
{
	int from, to;

	if (!kl->nr)
		return;
	if (kl->first_bad >= 0) {
		from = kl->first_bad > 3 ? kl->first_bad - 3 : 0;
		to = from + 100;
	} else {
		from = kl->nr > 40 ? kl->nr - 40 : 0;
		to = kl->nr;
	}
	if (to > kl->nr)
		to = kl->nr;
	printf("  --- kernel log (records %d..%d of %d since the subtest began) ---\n",
	       from + 1, to, kl->nr);
	for (int i = from; i < to; i++)
		printf("  [%5llu.%06llu] %s\n", kl->recs[i].usec / 1000000,
		       kl->recs[i].usec % 1000000, kl->recs[i].text);
	printf("  --- end of kernel log ---\n");
}

/*
 * The pin counters of /proc/vmstat, exact: they are node counters whose per-CPU
 * deltas reach the global values only now and then (seen: a subtest began at
 * -2 after many small pins, PREAD/PWRITE's, and ended at 0), so fold them first
 * (vm.stat_refresh, root; without it the values are as the kernel last folded).
 */
static long long pin_imbalance(bool *available)
{
	int refresh = open("/proc/sys/vm/stat_refresh", O_WRONLY | O_CLOEXEC);
	long long acq, rel;

	if (refresh >= 0) {
		if (write(refresh, "1", 1) < 0) {
			/* not root: the values stay approximate */
		}
		close(refresh);
	}
	acq = vi_vmstat("nr_foll_pin_acquired");
	rel = vi_vmstat("nr_foll_pin_released");

	*available = acq >= 0 && rel >= 0;
	return *available ? acq - rel : 0;
}

static bool counters_equal(const struct vi_counters *a, const struct vi_counters *b)
{
	for (int i = 0; i < VI_NR_COUNTERS; i++)
		if (a->present[i] != b->present[i] || (a->present[i] && a->v[i] != b->v[i]))
			return false;
	return true;
}

/* Best effort: what are the child's threads doing (for hangs). */
static void dump_task_stacks(pid_t pid, struct strbuf *why)
{
	char path[512], buf[4096];
	struct dirent *de;
	DIR *d;
	int sysrq;

	snprintf(path, sizeof(path), "/proc/%d/task", pid);
	d = opendir(path);
	if (!d)
		return;
	while ((de = readdir(d))) {
		int sfd;
		ssize_t n;

		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/proc/%d/task/%s/stack", pid, de->d_name);
		sfd = open(path, O_RDONLY | O_CLOEXEC);
		if (sfd < 0)
			continue;
		n = read(sfd, buf, sizeof(buf) - 1);
		close(sfd);
		if (n <= 0)
			continue;
		buf[n] = '\0';
		sb_printf(why, "kernel stack of thread %s:\n%s", de->d_name, buf);
	}
	closedir(d);
	/* sysrq-w: blocked tasks into the kernel log (if CONFIG_MAGIC_SYSRQ) */
	sysrq = open("/proc/sysrq-trigger", O_WRONLY | O_CLOEXEC);
	if (sysrq >= 0) {
		if (write(sysrq, "w", 1) < 0) { }
		close(sysrq);
	}
}

enum result { R_PASS, R_FAIL, R_SKIP };

static bool judge_mode;		/* -J */
static bool device_present;
static char device_problem[1024];
static bool abort_run;
static int nr_pass, nr_fail, nr_skip, judge_errors;

static void __attribute__((noreturn)) child_main(const struct subtest *t, int out)
{
	char why[512];

	setpgid(0, 0);
	dup2(out, STDOUT_FILENO);
	dup2(out, STDERR_FILENO);
	close(out);
	signal(SIGPIPE, SIG_DFL);

	deadline = vi_now() + opt_duration;
	subtest_flags = t->flags;
	if (!judge_mode) {
		fd = drm_open_i915(why, sizeof(why));
		if (fd < 0)
			FAIL("cannot open the i915 device: %s", why);
	}

	t->fn(t->arg);

	close(fd);
	_exit(0);
}

static void print_verdict(const char *name, enum result r, double secs, const char *skip_reason)
{
	if (!*name) {	/* the binary's single unnamed test: the exit code tells */
		static const char *const word[] = { "SUCCESS", "FAIL", "SKIP" };

		if (r == R_SKIP)
			printf("  skipped: %s\n", skip_reason);
		printf("%s: %s (%.3fs)\n", prog, word[r], secs);
		nr_pass += r == R_PASS;
		nr_fail += r == R_FAIL;
		nr_skip += r == R_SKIP;
		return;
	}
	switch (r) {
	case R_PASS:
		printf("Subtest %s: SUCCESS (%.3fs)\n", name, secs);
		nr_pass++;
		break;
	case R_FAIL:
		printf("Subtest %s: FAIL (%.3fs)\n", name, secs);
		nr_fail++;
		break;
	case R_SKIP:
		printf("  skipped: %s\n", skip_reason);
		printf("Subtest %s: SKIP (%.3fs)\n", name, secs);
		nr_skip++;
		break;
	}
}

static enum result run_subtest(const struct subtest *t)
{
	struct strbuf why = { 0 }, out = { 0 };
	struct vi_counters before, after;
	struct klog kl = { 0 };
	char cpath[512];
	int kfd, cret, dl_before, dl_after, status = 0, pipefd[2];
	bool pins_ok, pins_ok2, reaped = false, timed_out = false;
	long long pins_before, pins_after;
	double t0, elapsed;
	enum result r = R_PASS;
	pid_t pid;

	if (*t->name)
		printf("Starting subtest: %s\n", t->name);
	fflush(stdout);
	if (!t->fn) {
		print_verdict(t->name, R_SKIP, 0,
			      "needs GPU execution: EXECBUFFER2 not implemented");
		return R_SKIP;
	}
	if (!device_present && !judge_mode) {
		print_verdict(t->name, R_FAIL, 0, NULL);
		printf("  no i915 device: %s\n", device_problem);
		return R_FAIL;
	}

	/* Baselines. */
	kfd = kmsg_open_at_end();
	if (kfd < 0)
		sb_printf(&why, "cannot read /dev/kmsg (%s): kernel log not checked\n",
			  strerror(-kfd));
	if (*t->name)
		kmsg_printf("[IGT] %s: starting subtest %s\n", prog, t->name);
	else
		kmsg_printf("[IGT] %s: executing\n", prog);
	dl_before = vi_debug_locks();
	cret = vi_read_counters(&before, cpath, sizeof(cpath));
	pins_before = pin_imbalance(&pins_ok);
	memset(shared, 0, sizeof(*shared));

	/* Run the body in a child process. */
	if (pipe2(pipefd, O_CLOEXEC)) {
		perror("pipe2");
		exit(2);
	}
	t0 = vi_now();
	pid = fork();
	if (pid < 0) {
		perror("fork");
		exit(2);
	}
	if (pid == 0) {
		close(pipefd[0]);
		child_main(t, pipefd[1]);
	}
	setpgid(pid, pid);	/* (also done by the child; whichever runs first) */
	close(pipefd[1]);
	fcntl(pipefd[0], F_SETFL, O_NONBLOCK);

	for (;;) {
		struct pollfd pfd = { .fd = pipefd[0], .events = POLLIN };
		char buf[4096];
		ssize_t n;
		pid_t w;
		int st;

		if (poll(&pfd, 1, 50) > 0) {
			while ((n = read(pipefd[0], buf, sizeof(buf))) > 0)
				sb_append(&out, buf, n);
		}
		/* We are a subreaper: also reap orphaned grandchildren. */
		while ((w = waitpid(-1, &st, WNOHANG)) > 0) {
			if (w == pid) {
				status = st;
				reaped = true;
			}
		}
		if (reaped)
			break;
		if (!timed_out && vi_now() - t0 > opt_timeout) {
			timed_out = true;
			sb_printf(&why, "watchdog: subtest still running after %.0fs, killing it\n",
				  opt_timeout);
			dump_task_stacks(pid, &why);
			kill(-pid, SIGKILL);
			kill(pid, SIGKILL);
		}
		if (timed_out && vi_now() - t0 > opt_timeout + 15) {
			sb_printf(&why, "subtest process %d did not die after SIGKILL "
				  "(stuck in the kernel: deadlock?); aborting the run\n", pid);
			abort_run = true;
			break;
		}
	}
	elapsed = vi_now() - t0;

	/* Stragglers (e.g. a forked helper) and their output. */
	if (!abort_run) {
		double until = vi_now() + 2;

		kill(-pid, SIGKILL);
		while (vi_now() < until) {
			pid_t w = waitpid(-1, NULL, WNOHANG);

			if (w < 0)
				break;	/* ECHILD: everything reaped */
			if (w == 0)
				usleep(10000);
		}
	}
	{
		char buf[4096];
		ssize_t n;

		while ((n = read(pipefd[0], buf, sizeof(buf))) > 0)
			sb_append(&out, buf, n);
		close(pipefd[0]);
	}

	/* Verdict of the body. */
	if (reaped && WIFEXITED(status) && WEXITSTATUS(status) == EXIT_SKIP) {
		r = R_SKIP;
	} else if (reaped && WIFEXITED(status) && WEXITSTATUS(status) == 0) {
		r = R_PASS;
	} else {
		r = R_FAIL;
		if (reaped && WIFSIGNALED(status))
			sb_printf(&why, "subtest body killed by signal %d (%s)\n",
				  WTERMSIG(status), strsignal(WTERMSIG(status)));
		else if (reaped)
			sb_printf(&why, "subtest body failed (exit status %d)\n",
				  WEXITSTATUS(status));
	}

	/* b. Leak check: counters back to the baseline (allow deferred work to settle). */
	if (!abort_run) {
		double until = vi_now() + SETTLE_SECONDS;
		int aret;

		for (;;) {
			aret = vi_read_counters(&after, cpath, sizeof(cpath));
			pins_after = pin_imbalance(&pins_ok2);
			if (cret || aret)
				break;
			if (counters_equal(&before, &after) &&
			    (!pins_ok || !pins_ok2 || pins_after == pins_before))
				break;
			if (vi_now() > until)
				break;
			usleep(50000);
		}
		if ((cret || aret) && judge_mode) {
			/* -J runs without the driver: counters are optional */
		} else if (cret || aret) {
			sb_printf(&why, "driver counters unreadable: %s: %s\n", cpath,
				  strerror(-(cret ? cret : aret)));
			r = R_FAIL;
		} else {
			for (int i = 0; i < VI_NR_COUNTERS; i++) {
				if (!before.present[i] && !after.present[i]) {
					sb_printf(&why, "driver counters: key '%s' missing in %s\n",
						  vi_counter_names[i], cpath);
					r = R_FAIL;
				} else if (before.v[i] != after.v[i]) {
					sb_printf(&why, "leak: %s %lld before, %lld %.1fs after the "
						  "subtest exited\n", vi_counter_names[i], before.v[i],
						  after.v[i], SETTLE_SECONDS);
					r = R_FAIL;
				}
			}
		}
		if (pins_ok && pins_ok2 && pins_after != pins_before) {
			sb_printf(&why, "leak: nr_foll_pin_acquired - nr_foll_pin_released "
				  "went from %lld to %lld\n", pins_before, pins_after);
			r = R_FAIL;
		}
	}

	/* a. Kernel log and lockdep. */
	klog_collect(kfd, &kl);
	if (kfd >= 0)
		close(kfd);
	else
		r = R_FAIL;
	if (kl.nr_bad) {
		int shown = 0;

		for (int i = 0; i < kl.nr && shown < 10; i++) {
			const char *pat = kmsg_is_bad(kl.recs[i].text);

			if (pat) {
				sb_printf(&why, "kernel log [%s]: %s\n", pat, kl.recs[i].text);
				shown++;
			}
		}
		if (kl.nr_bad > shown)
			sb_printf(&why, "kernel log: ... %d offending lines in total\n", kl.nr_bad);
		r = R_FAIL;
	}
	dl_after = vi_debug_locks();
	if (dl_before == 1 && dl_after == 0) {
		sb_printf(&why, "lockdep: debug_locks dropped from 1 to 0 "
			  "(lockdep reported something and turned itself off)\n");
		r = R_FAIL;
	}

	print_verdict(t->name, r, elapsed, shared->skip_reason[0] ?
		      shared->skip_reason : "skipped by the subtest");
	if (r == R_FAIL && why.len) {
		char *line = why.buf, *nl;

		for (; *line; line = nl + 1) {
			nl = strchr(line, '\n');
			if (!nl)
				nl = line + strlen(line);
			printf("  %.*s\n", (int)(nl - line), line);
			if (!*nl)
				break;
		}
	}
	if ((r == R_FAIL || opt_verbose) && out.len) {
		printf("  --- subtest output ---\n%s%s", out.buf,
		       out.buf[out.len - 1] == '\n' ? "" : "\n");
		if (out.truncated)
			printf("  (output truncated)\n");
		printf("  --- end of subtest output ---\n");
	}
	if (r == R_FAIL)
		klog_print_excerpt(&kl);
	fflush(stdout);

	free(kl.recs);
	sb_free(&why);
	sb_free(&out);
	return r;
}

/* ======================================================================== */
/* main                                                                      */
/* ======================================================================== */

static void usage(FILE *f, const char *argv0)
{
	fprintf(f,
		"Usage: %s [OPTIONS]\n"
		"  --list-subtests, -l      list the subtests and exit\n"
		"  --run-subtest NAME, -s NAME\n"
		"                           run only these subtests (repeatable; a comma-\n"
		"                           separated list; shell globs allowed)\n"
		"  -d SECONDS  bound for every loop/stress phase (default %.0f)\n"
		"  -t SECONDS  watchdog per subtest; a subtest still running is killed\n"
		"              and fails (default %.0f)\n"
		"  -v          also print the subtests' own output when they pass\n"
		"  -J          judge self-test: run synthetic subtests (no device needed)\n"
		"              and check the harness verdicts; use with e.g. -t 3\n"
		"Exit status as IGT's: %d success, %d all skipped, %d a subtest failed,\n"
		"%d invalid use (unknown subtest).\n",
		argv0, opt_duration, opt_timeout, IGT_EXIT_SUCCESS, IGT_EXIT_SKIP,
		IGT_EXIT_FAILURE, IGT_EXIT_INVALID);
}

static double parse_seconds(const char *s, const char *opt)
{
	char *end;
	double v = strtod(s, &end);

	if (end == s || *end || !(v > 0) || v > 86400) {
		fprintf(stderr, "%s: invalid %s value '%s' "
			"(positive number of seconds expected)\n", prog, opt, s);
		exit(2);
	}
	return v;
}

static bool selected(const char *const *only, int nr_only, const char *name)
{
	if (nr_only == 0)
		return true;
	for (int i = 0; i < nr_only; i++)
		if (fnmatch(only[i], name, 0) == 0)
			return true;
	return false;
}

int harness_main(int argc, char **argv, const char *name, void (*build_subtest_table)(void))
{
	static const struct option longopts[] = {
		{ "list-subtests", no_argument, NULL, 'l' },
		{ "run-subtest", required_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	/* IGT's runner in multiple mode passes every subtest of the list at once. */
	const char *only[MAX_SUBTESTS];
	int nr_only = 0, opt, dfd, dl;
	bool list = false, unnamed;
	char why[1024];
	struct utsname uts;

	prog = name;
	setvbuf(stdout, NULL, _IOLBF, 0);
	build_subtest_table();
	/* The runner passes only --run-subtest: the loop bound comes from the guest. */
	if (getenv("VI915_DURATION"))
		opt_duration = parse_seconds(getenv("VI915_DURATION"), "VI915_DURATION");

	while ((opt = getopt_long(argc, argv, "d:t:s:lvJh", longopts, NULL)) != -1) {
		switch (opt) {
		case 'd':
			opt_duration = parse_seconds(optarg, "-d");
			break;
		case 't':
			opt_timeout = parse_seconds(optarg, "-t");
			break;
		case 's':
			for (char *tok = strtok(strdup(optarg), ","); tok; tok = strtok(NULL, ",")) {
				if (nr_only == (int)ARRAY_SIZE(only)) {
					fprintf(stderr, "%s: too many subtests selected\n", prog);
					return IGT_EXIT_INVALID;
				}
				only[nr_only++] = tok;
			}
			break;
		case 'l':
			list = true;
			break;
		case 'v':
			opt_verbose = true;
			break;
		case 'J':
			judge_mode = true;
			build_judge_table();
			break;
		case 'h':
			usage(stdout, argv[0]);
			return 0;
		default:
			usage(stderr, argv[0]);
			return IGT_EXIT_INVALID;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "%s: unexpected argument '%s'\n", prog, argv[optind]);
		usage(stderr, argv[0]);
		return IGT_EXIT_INVALID;
	}
	/* A binary whose one test has no name, as IGT's simple tests. */
	unnamed = nr_subtests == 1 && !*subtests[0].name;

	if (list) {	/* IGT: a simple test lists nothing and exits 79 */
		for (int j = 0; j < nr_subtests && !unnamed; j++)
			printf("%s\n", subtests[j].name);
		return unnamed ? IGT_EXIT_INVALID : 0;
	}
	for (int i = 0; i < nr_only; i++) {
		bool match = false;

		for (int j = 0; j < nr_subtests && !match && !unnamed; j++)
			match = fnmatch(only[i], subtests[j].name, 0) == 0;
		if (!match) {
			printf("Unknown subtest: %s\n", only[i]);
			return IGT_EXIT_INVALID;
		}
	}
	uname(&uts);
	printf("IGT-Version: vi915-tests (%s) (%s: %s %s)\n", uts.machine, uts.sysname,
	       uts.release, uts.machine);

	shared = mmap(NULL, sizeof(*shared), PROT_READ | PROT_WRITE,
		      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (shared == MAP_FAILED) {
		perror("mmap");
		return 2;
	}
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	signal(SIGPIPE, SIG_IGN);

	dfd = drm_open_i915(why, sizeof(why));
	if (dfd >= 0) {
		struct drm_version v = { 0 };
		char dname[64] = "", desc[128] = "";
		int devid = 0;

		v.name = dname;
		v.name_len = sizeof(dname) - 1;
		v.desc = desc;
		v.desc_len = sizeof(desc) - 1;
		drm_ioctl(dfd, DRM_IOCTL_VERSION, &v);
		__getparam(dfd, I915_PARAM_CHIPSET_ID, &devid);
		printf("%s: device %s %d.%d.%d (%s), chipset %#06x; "
		       "loops bounded to %gs, watchdog %gs\n", prog, dname, v.version_major,
		       v.version_minor, v.version_patchlevel, desc, devid,
		       opt_duration, opt_timeout);
		close(dfd);
		device_present = true;
	} else {
		snprintf(device_problem, sizeof(device_problem), "%s", why);
		printf("%s: %s: no i915 (vi915) device found: %s\n", prog,
		       judge_mode ? "note" : "FATAL", why);
	}
	dl = vi_debug_locks();
	if (device_present && dl < 0)
		printf("%s: note: /proc/lockdep_stats not available; "
		       "debug_locks check disabled\n", prog);
	else if (device_present && dl == 0)
		printf("%s: note: debug_locks is already 0 before the first "
		       "subtest: lockdep is off, lock problems will not be reported\n", prog);

	for (int j = 0; j < nr_subtests && !abort_run; j++) {
		enum result r;

		if (!selected(only, nr_only, subtests[j].name))
			continue;
		r = run_subtest(&subtests[j]);
		if (judge_mode && (int)r != subtests[j].expect) {
			printf("judge self-test: %s gave the wrong verdict (%d, expected %d)\n",
			       subtests[j].name, r, subtests[j].expect);
			judge_errors++;
		}
	}
	if (abort_run)
		printf("%s: run aborted: a subtest process could not be killed\n", prog);

	if (judge_mode) {
		printf("judge self-test: %s\n", judge_errors ? "HARNESS BROKEN" :
		       "all verdicts as expected");
		printf("%d passed, %d failed, %d skipped\n", nr_pass, nr_fail, nr_skip);
		return judge_errors || abort_run ? IGT_EXIT_FAILURE : IGT_EXIT_SUCCESS;
	}
	printf("%d passed, %d failed, %d skipped\n", nr_pass, nr_fail, nr_skip);
	if (nr_fail || abort_run)
		return IGT_EXIT_FAILURE;
	return nr_pass == 0 && nr_skip ? IGT_EXIT_SKIP : IGT_EXIT_SUCCESS;
}
