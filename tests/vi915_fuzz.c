// SPDX-License-Identifier: GPL-2.0
/*
 * vi915_fuzz - a structured, seeded fuzzer of the whole vi915 uAPI, in the
 * spirit of syzkaller's descriptions (own code; vi915-only, IGT has no such
 * test).  Subtests:
 *
 *   vi915-fuzz-root          one fuzzer, root
 *   vi915-fuzz-unprivileged  one fuzzer in a process that dropped to uid/gid
 *                            65534 (setgroups, setgid, setuid): one fd opened
 *                            as root before the drop (authenticated), one
 *                            opened after it (unauthenticated: FLINK / OPEN
 *                            EACCES); see test_unprivileged()
 *   vi915-fuzz-threads       NR_THREADS fuzzers in threads of one process: one
 *                            shared DRM fd and one shared arena next to their
 *                            own, dma-bufs, flink names and handles passed
 *                            between them through a board
 *
 * Run length (per subtest): VI915_FUZZ_SECONDS (default 35 s), never more
 * than the harness watchdog (-t, default 60 s) minus 20 s; raising -t alone
 * (vi915_fuzz -t 600) makes a long run of -t minus 20 s.  Also bounded by
 * VI915_FUZZ_OPS operations (default 100000); the default run of the three
 * subtests takes about two minutes under TCG.  VI915_FUZZ_SEED=N replays a
 * run (the default seed comes from the clock); the seed is printed at the
 * start and in every failure, and each subtest ends with its rates and the
 * (ioctl, errno) pairs it reached.
 *
 * The model
 * ---------
 * A fuzzer ("struct fz") keeps a resource table:
 *   - GEM handles (GEM_CREATE(_EXT) objects, userptrs, PRIME and GEM_OPEN
 *     imports, objects a forked child created and left behind) on its own fd
 *     and on a second fd of its own, each with what is known about it (size,
 *     backing, identity, tiling); for these two fds the table is
 *     authoritative, so a number that is not live in it is a dead handle (the
 *     handles it closed are kept to be reused as such);
 *   - dma-buf fds, flink names, CPU mappings (GTT and dma-buf mmaps, in a map
 *     area of its own) and forked children;
 *   - an arena of NR_SLOTS slots of user memory followed by a 4 MiB PROT_NONE
 *     guard.  A slot holds a region at its start (anonymous private or
 *     shared, read-only, PROT_NONE, or a GTT mmap placed with MAP_FIXED) and
 *     reserved PROT_NONE memory after it.  Userptr ranges and user pointers
 *     point into it, into a scratch buffer (also followed by a guard) or at
 *     NULL / kernel / non-canonical addresses, so whatever the kernel or the
 *     engine writes lands in test memory or faults, never in the fuzzer's
 *     own state.
 * The run is a series of sequences of 4..23 operations, each picked by
 * weight from ops[] with a splitmix64 generator: the same seed generates the
 * same sequence (single-threaded; kernel timing can still differ).  An
 * operation picks resources from the table and builds structured arguments
 * around the boundaries (sizes 0, 1, page-1, page, page+1, object size +-1,
 * ~0; pointers into mapped, read-only, PROT_NONE, GTT- and dma-buf-mapped
 * memory, NULL and kernel addresses) with (mostly) at most one deliberate
 * defect; requests that end in an error are capped at MAX_FAILING (each logs
 * a kernel info line).  In between, mm operations (munmap, mmap MAP_FIXED,
 * mprotect, MADV_DONTNEED / MADV_PAGEOUT / ..., mremap, fork with a child
 * that touches memory or exits holding objects) change the memory under the
 * userptrs.
 *
 * Invariants (a violation fails the subtest with the seed and operation index):
 *   - each ioctl's errno is in the set its arguments allow: with no defect it
 *     succeeds, up to the ambient errnos of what it touches (EFAULT / EAGAIN
 *     / ENOMEM for user memory, ETIME, ...; never EIO from GEM_WAIT or
 *     SET_DOMAIN: a failed request's error is its out-fence's, as in i915);
 *     with a defect it fails with that defect's errno (so never success on
 *     a closed handle, never EPERM / EACCES for root);
 *   - write-backs: GEM_CREATE's rounded size, a new handle is not a live one,
 *     SET_TILING / GET_TILING modes, exec offsets and relocation presumed
 *     offsets, GEM_BUSY's encoding, GEM_BUSY idle right after GEM_WAIT
 *     succeeded, GEM_WAIT's time left, GETPARAM / QUERY / CONTEXT_GETPARAM /
 *     GET_APERTURE / VERSION values, PRIME import and FLINK idempotence,
 *     GEM_OPEN's size;
 *   - data paths agree: PWRITE then PREAD; a write through a fresh GTT mmap
 *     then PREAD, PWRITE then a read through it; user memory -> userptr ->
 *     engine copy -> GEM object -> PREAD, and back; MI_STORE_DWORD_IMM into
 *     both; a GTT or dma-buf mmap of a GEM_CREATE object never faults;
 *   - nothing hangs: waits are polls of at most 10 ms, and an ioctl, a
 *     request or a child taking more than HANG_SECONDS fails.
 * The harness adds its checks after each subtest (kernel log, lockdep,
 * driver counters back to their start values, pin balance): the fuzzer
 * closes everything and reaps its children at the end.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"

/* ---- knobs and bounds ------------------------------------------------- */

#define DEFAULT_SECONDS		35.0
#define DEFAULT_OPS		100000ull
#define HARNESS_TIMEOUT		60.0	/* the harness's default -t */
#define WATCHDOG_MARGIN		20.0	/* teardown, reaping, the harness's settling */
#define HANG_SECONDS		15.0
#define EAGAIN_SECONDS		2.0	/* EAGAIN retried (as libdrm) for this long */
#define NR_THREADS		3

#define MAX_OBJS	40
#define MAX_CLOSED	16
#define MAX_MAPS	8
#define MAX_BUFS	6
#define MAX_NAMES	8
#define MAX_KIDS	3
#define NR_SLOTS	8
#define NR_BOARD_SLOTS	4
#define SLOT_PAGES	32u
#define SLOT_BYTES	(SLOT_PAGES * PAGE_SIZE)
#define GUARD_BYTES	(4ul << 20)	/* >= any length the kernel may write */
#define MAP_MAX		(1ul << 20)
#define MAP_SLOT	(MAP_MAX + 16 * PAGE_SIZE)
#define SCRATCH_BYTES	((4ul << 20) + 16 * PAGE_SIZE)
#define MAX_FAILING	100u	/* requests ending in an error (each logs an info line) */
#define GGTT_BYTES	(1ull << 32)
#define USER_TOP	((1ull << 47) - PAGE_SIZE)
#define KERNEL_ADDR	0xffffffff81000000ull
#define MS		1000000ll
#define PROT_RW		(PROT_READ | PROT_WRITE)
#define SRC_COPY_32BPP	(XY_SRC_COPY_BLT_CMD | 8 | XY_SRC_COPY_BLT_WRITE_ALPHA | \
			 XY_SRC_COPY_BLT_WRITE_RGB)
#define ULL(x)		((unsigned long long)(x))

enum { FD_OWN, FD_OTHER, FD_SHARED, NR_FDS };
enum { P_GOOD, P_MAYBE, P_BAD };
/*
 * DRM_AUTH (GEM_FLINK, GEM_OPEN) on a primary node: drm_file_alloc() sets
 * authenticated = capable(CAP_SYS_ADMIN) at open, and drm_master_open() makes
 * the first opener (while there is no master) master and authenticated.
 */
enum { AUTH_YES, AUTH_NO, AUTH_MAYBE };
enum { SLOT_NONE, SLOT_PRIVATE, SLOT_SHARED, SLOT_GTT, SLOT_MIXED };

/* ---- errno sets: bit i = errnos[i]; the last bit is any other errno ---- */

static const int errnos[] = { 0, EPERM, ENOENT, EINTR, EIO, ENXIO, E2BIG, EBADF, EAGAIN,
	ENOMEM, EACCES, EFAULT, EBUSY, EEXIST, ENODEV, EINVAL, ENOSPC, ENOTTY, ETIME, ERANGE,
	EOPNOTSUPP, ESRCH, ETIMEDOUT, EOVERFLOW, EMFILE, ENOSYS };
#define NR_ERRS	(ARRAY_SIZE(errnos) + 1)

static unsigned int err_index(int e)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(errnos); i++)
		if (errnos[i] == e)
			return i;
	return NR_ERRS - 1;
}

#define M(e)		(1u << err_index(e))
#define OK		M(0)
#define USER_ERRS	(M(EFAULT) | M(EAGAIN) | M(ENOMEM))	/* getting user pages */
#define UNKNOWN_ERRS	(USER_ERRS | M(EINVAL) | M(EIO) | M(ETIME))

enum ioc { I_GETPARAM, I_THROTTLE, I_CREATE, I_CREATE_EXT, I_USERPTR, I_CLOSE, I_SET_DOMAIN,
	I_MMAP_GTT, I_MMAP_OFFSET, I_SET_TILING, I_GET_TILING, I_PREAD, I_PWRITE, I_EXECBUF,
	I_WAIT, I_BUSY, I_PRIME_EXPORT, I_PRIME_IMPORT, I_FLINK, I_OPEN, I_QUERY, I_CTX_GETPARAM,
	I_APERTURE, I_VERSION, I_UNKNOWN, I_DMABUF_SYNC, I_MMAP, I_GEM_MMAP, I_SET_CACHING,
	I_GET_CACHING, I_CTX_CREATE, I_CTX_DESTROY, I_CTX_SETPARAM, NR_IOC };

static const char *const ioc_names[NR_IOC] = { "GETPARAM", "THROTTLE", "GEM_CREATE",
	"GEM_CREATE_EXT", "USERPTR", "GEM_CLOSE", "SET_DOMAIN", "MMAP_GTT", "MMAP_OFFSET",
	"SET_TILING", "GET_TILING", "PREAD", "PWRITE", "EXECBUFFER2", "GEM_WAIT", "GEM_BUSY",
	"PRIME_H2FD", "PRIME_FD2H", "GEM_FLINK", "GEM_OPEN", "QUERY", "CTX_GETPARAM",
	"GET_APERTURE", "VERSION", "unused-nr", "DMABUF_SYNC", "mmap()", "GEM_MMAP",
	"SET_CACHING", "GET_CACHING", "CTX_CREATE", "CTX_DESTROY", "CTX_SETPARAM" };

/* dma-buf's own ioctl (linux/dma-buf.h) */
struct vi_dma_buf_sync { uint64_t flags; };
#define DMA_SYNC_READ	1
#define DMA_SYNC_WRITE	2
#define DMA_SYNC_END	4
#define VI_DMA_BUF_IOCTL_SYNC	_IOW('b', 0, struct vi_dma_buf_sync)

/* ---- the resource table --------------------------------------------------- */

struct obj {
	uint32_t handle;
	int fdi;
	bool userptr;	/* backed by user memory */
	bool known;	/* size and backing known */
	bool mine;	/* only this fuzzer changes it: tiling and busy are predictable */
	uint32_t group;	/* object identity: the handles of one object share it */
	uint32_t tiling;
	uint64_t size;
};

struct map { uint8_t *addr; size_t len; int prot; bool gem; };
struct dmabuf { int fd; bool rdwr, userptr, known, mine; uint32_t group, tiling; uint64_t size; };
struct flink_name { uint32_t name, group; uint64_t size; bool userptr; };
struct slot { int kind, prot; unsigned int npages; };
struct orphan { uint32_t handle, userptr; uint64_t size; };

struct fz {
	int id;
	int fd[NR_FDS], auth[NR_FDS];
	bool opened[NR_FDS], unpriv, threaded;
	uint64_t seed, rng, max_ops;
	double t_end;
	/* progress */
	uint64_t nr_ops, nr_seqs, nr_ioctls, nr_mm, nr_forks;
	const char *op, *recent[16];
	/* resources */
	struct obj objs[MAX_OBJS];
	int nr_objs;
	uint32_t next_group;
	uint32_t closed[2][MAX_CLOSED];
	int nr_closed[2];
	struct map maps[MAX_MAPS];
	struct dmabuf bufs[MAX_BUFS];
	int nr_bufs;
	struct flink_name names[MAX_NAMES];
	int nr_names;
	struct slot slots[NR_SLOTS];
	uint8_t *arena, *maparea, *scratch;
	pid_t kids[MAX_KIDS];
	int nr_kids, memfd;
	int fence;	/* the last out-fence fd + 1 (0: none) */
	int check_fence;	/* the out-fence of the check's last request, fd + 1 */
	uint32_t stats[NR_IOC][NR_ERRS];
	/* argument arrays the kernel reads and writes back */
	struct drm_i915_gem_exec_object2 eo[8];
	struct drm_i915_gem_relocation_entry rel[16];
	struct drm_i915_query_item qitems[4];
	uint32_t cs[128];
};

/* What the fuzzer threads share (vi915-fuzz-threads). */
static struct {
	_Atomic int dmabuf[4];
	_Atomic uint32_t name[4];
	_Atomic uint32_t handle[8];	/* handles on the shared fd */
	uint8_t *arena;			/* NR_BOARD_SLOTS slots nobody keeps track of */
} board;

static _Atomic unsigned int failing_requests;
static const char *subtest;
static uint64_t run_seed;

/* ======================================================================== */
/* Basics: random numbers, failures, checked ioctls, guarded touches         */
/* ======================================================================== */

static uint64_t rnd(struct fz *z)	/* splitmix64 */
{
	uint64_t x = (z->rng += 0x9e3779b97f4a7c15ull);

	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

static uint64_t below64(struct fz *z, uint64_t n) { return n ? rnd(z) % n : 0; }
static uint32_t below(struct fz *z, uint32_t n) { return (uint32_t)below64(z, n); }
static bool one_in(struct fz *z, uint32_t n) { return below(z, n) == 0; }

static void fill_random(struct fz *z, void *p, size_t len)
{
	for (uint8_t *b = p; len; ) {
		uint64_t v = rnd(z);
		size_t n = len < 8 ? len : 8;

		memcpy(b, &v, n);
		b += n;
		len -= n;
	}
}

static const char *ename(int e)
{
	const char *n = e ? strerrorname_np(e) : "ok";

	return n ? n : "E?";
}

static char *mask_str(uint32_t m, char *buf, size_t len)
{
	size_t off = 0;

	buf[0] = '\0';
	for (unsigned int i = 0; i < NR_ERRS && off < len; i++)
		if (m & (1u << i))
			off += snprintf(buf + off, len - off, "%s%s", off ? "|" : "",
					i < ARRAY_SIZE(errnos) ? ename(errnos[i]) : "other");
	return buf;
}

static void __attribute__((noreturn, format(printf, 2, 3)))
fz_fail(struct fz *z, const char *fmt, ...)
{
	char msg[768];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	info("vi915_fuzz: FAILED: seed %llu (fuzzer %d: seed %llu), sequence %llu, "
	     "operation %llu (%s)\n",
	     ULL(run_seed), z->id, ULL(z->seed),
	     ULL(z->nr_seqs), ULL(z->nr_ops), z->op);
	info("  last operations:");
	for (uint64_t i = z->nr_ops > 15 ? z->nr_ops - 15 : 0; i <= z->nr_ops; i++)
		info(" %llu:%s", ULL(i), z->recent[i % 16]);
	info("\n  reproduce: VI915_FUZZ_SEED=%llu vi915_fuzz --run-subtest %s\n",
	     ULL(run_seed), subtest);
	FAIL("seed %llu, operation %llu (%s): %s", ULL(run_seed),
	     ULL(z->nr_ops), z->op, msg);
}

/* Count (ioctl, errno) and fail unless err is in the expected set. */
static void record(struct fz *z, int id, int err, uint32_t expect)
{
	unsigned int i = err_index(err);
	char want[256];

	z->stats[id][i]++;
	if (!(expect & (1u << i)))
		fz_fail(z, "%s returned %s (%d), expected %s", ioc_names[id], ename(err), err,
			mask_str(expect, want, sizeof(want)));
}

/* What a call may give: its defects' errnos if it has any, else success; plus the ambient ones. */
static uint32_t expect(uint32_t defects, uint32_t ambient)
{
	return (defects ? defects : OK) | ambient;
}

/*
 * GEM_FLINK / GEM_OPEN (DRM_AUTH) on fd index fdi: drm_ioctl_permit() answers
 * an unauthenticated primary client EACCES before the handler runs.
 */
static uint32_t auth_expect(const struct fz *z, int fdi, uint32_t exp)
{
	switch (z->auth[fdi]) {
	case AUTH_NO: return M(EACCES);
	case AUTH_MAYBE: return exp | M(EACCES);
	default: return exp;
	}
}

/* An ioctl, retried on EINTR and (for EAGAIN_SECONDS) on EAGAIN; 0 / -errno. */
static int fz_ioctl(struct fz *z, int id, int dev, unsigned long req, void *arg, uint32_t exp)
{
	double t0 = vi_now(), dt;
	int err;

	for (;;) {
		err = ioctl(dev, req, arg) ? errno : 0;
		if (err == EINTR || (err == EAGAIN && vi_now() - t0 < EAGAIN_SECONDS)) {
			sched_yield();
			continue;
		}
		break;
	}
	dt = vi_now() - t0;
	z->nr_ioctls++;
	if (dt > HANG_SECONDS)
		fz_fail(z, "%s took %.1f s (hang?)", ioc_names[id], dt);
	record(z, id, err, exp);
	return -err;
}

/* Faults of deliberate touches (SIGBUS of a revoked mapping, SIGSEGV of PROT_NONE). */
static __thread sigjmp_buf touch_jmp;
static __thread volatile sig_atomic_t touching;

static void on_fault(int sig)
{
	if (touching) {
		touching = 0;
		siglongjmp(touch_jmp, sig);
	}
	signal(sig, SIG_DFL);	/* a real crash: the refault kills the process */
}

/* Write v (if write) and read one dword at p; 0 or the signal it raised. */
static int touch(volatile uint32_t *p, bool write, uint32_t v, uint32_t *out)
{
	int sig;

	touching = 1;
	sig = sigsetjmp(touch_jmp, 1);
	if (!sig) {
		uint32_t got;

		if (write)
			*p = v;
		got = *p;
		if (out)
			*out = got;
	}
	touching = 0;
	return sig;
}

/* ======================================================================== */
/* The resource table                                                        */
/* ======================================================================== */

static struct obj *find_obj(struct fz *z, int fdi, uint32_t h)
{
	for (int i = 0; i < z->nr_objs; i++)
		if (z->objs[i].fdi == fdi && z->objs[i].handle == h)
			return &z->objs[i];
	return NULL;
}

static bool is_any(const struct obj *o) { (void)o; return true; }
static bool is_plain(const struct obj *o)
{
	return o->fdi != FD_SHARED && o->known && !o->userptr && o->mine;
}

/* A random live object of fd index fdi (-1: any) for which pred holds. */
static struct obj *rand_obj_if(struct fz *z, int fdi, bool (*pred)(const struct obj *))
{
	int idx[MAX_OBJS], n = 0;

	for (int i = 0; i < z->nr_objs; i++)
		if ((fdi < 0 || z->objs[i].fdi == fdi) && pred(&z->objs[i]))
			idx[n++] = i;
	return n ? &z->objs[idx[below(z, n)]] : NULL;
}

static struct obj *rand_obj(struct fz *z, int fdi) { return rand_obj_if(z, fdi, is_any); }

static void closed_del(struct fz *z, int fdi, uint32_t h)
{
	for (int i = 0; i < z->nr_closed[fdi]; )
		if (z->closed[fdi][i] == h)
			z->closed[fdi][i] = z->closed[fdi][--z->nr_closed[fdi]];
		else
			i++;
}

static void closed_add(struct fz *z, int fdi, uint32_t h)
{
	if (z->nr_closed[fdi] == MAX_CLOSED)
		z->closed[fdi][below(z, MAX_CLOSED)] = h;
	else
		z->closed[fdi][z->nr_closed[fdi]++] = h;
}

/* A handle the kernel just created on fd index fdi: it cannot be a live one. */
static void new_handle(struct fz *z, int fdi, uint32_t h, const char *how)
{
	if (fdi == FD_SHARED)
		return;
	if (!h || find_obj(z, fdi, h))
		fz_fail(z, "%s returned handle %u, which is %s", how, h,
			h ? "already live" : "invalid");
	closed_del(z, fdi, h);
}

/* Set tiling / mine (each unless < 0) on the entries of `arr` in `group`. */
#define SET_IN_GROUP(arr, n, group, tiling, mine) do { \
		for (int __i = 0; __i < (n); __i++) { \
			if ((arr)[__i].group != (group)) \
				continue; \
			if ((tiling) >= 0) \
				(arr)[__i].tiling = (tiling); \
			if ((mine) >= 0) \
				(arr)[__i].mine = (mine); \
		} \
	} while (0)

static void set_group(struct fz *z, uint32_t group, int tiling, int mine)
{
	SET_IN_GROUP(z->objs, z->nr_objs, group, tiling, mine);
	/* the object lives on in its dma-bufs */
	SET_IN_GROUP(z->bufs, z->nr_bufs, group, tiling, mine);
}

/* Enter a handle (an existing entry if an import gave a handle the fd has). */
static struct obj *obj_add(struct fz *z, int fdi, uint32_t h, uint64_t size, bool userptr,
			   bool known, uint32_t group, bool mine)
{
	struct obj *o = find_obj(z, fdi, h), *same = NULL;

	if (o)
		return o;
	if (z->nr_objs == MAX_OBJS)
		fz_fail(z, "internal: resource table full");
	if (fdi != FD_SHARED)
		closed_del(z, fdi, h);	/* a number can come back */
	for (int i = 0; group && i < z->nr_objs && !same; i++)
		if (z->objs[i].group == group)
			same = &z->objs[i];
	o = &z->objs[z->nr_objs++];
	*o = (struct obj){ .handle = h, .fdi = fdi, .userptr = userptr, .known = known,
			   .mine = same ? same->mine : mine,
			   .group = group ? group : ++z->next_group,
			   .tiling = same ? same->tiling : I915_TILING_NONE, .size = size };
	return o;
}

/*
 * Drop an entry.  A flink name dies with its object's last handle (and may
 * then name another object): forget the names of a group without handles
 * on the fuzzer's own fds.
 */
static void obj_forget(struct fz *z, struct obj *o)
{
	uint32_t group = o->group;
	bool held = false;

	if (o->fdi != FD_SHARED)
		closed_add(z, o->fdi, o->handle);
	*o = z->objs[--z->nr_objs];
	for (int i = 0; i < z->nr_objs; i++)
		held |= z->objs[i].group == group && z->objs[i].fdi != FD_SHARED;
	for (int i = 0; i < z->nr_names && !held; )
		if (z->names[i].group == group)
			z->names[i] = z->names[--z->nr_names];
		else
			i++;
}

static void close_obj(struct fz *z, struct obj *o)	/* a live handle: must close */
{
	struct drm_gem_close c = { .handle = o->handle };

	fz_ioctl(z, I_CLOSE, z->fd[o->fdi], DRM_IOCTL_GEM_CLOSE, &c,
		 o->fdi == FD_SHARED ? OK | M(EINVAL) : OK);
	obj_forget(z, o);
}

/* Room for n more entries (entry pointers taken before are stale). */
static void make_room(struct fz *z, int n)
{
	while (z->nr_objs > MAX_OBJS - n)
		close_obj(z, &z->objs[below(z, z->nr_objs)]);
}

static uint32_t tmp_create(struct fz *z, int fdi, uint64_t size)
{
	struct drm_i915_gem_create c = { .size = size };

	if (fz_ioctl(z, I_CREATE, z->fd[fdi], DRM_IOCTL_I915_GEM_CREATE, &c, OK | M(ENOMEM)))
		return 0;
	new_handle(z, fdi, c.handle, "GEM_CREATE");
	return c.handle;
}

static void tmp_close(struct fz *z, int fdi, uint32_t h)
{
	struct drm_gem_close c = { .handle = h };

	fz_ioctl(z, I_CLOSE, z->fd[fdi], DRM_IOCTL_GEM_CLOSE, &c, OK);
	closed_add(z, fdi, h);
}

static struct obj *create_obj(struct fz *z, int fdi, uint64_t size)
{
	uint32_t h = tmp_create(z, fdi, size);

	return h ? obj_add(z, fdi, h, (size + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1), false, true, 0,
			   fdi != FD_SHARED) : NULL;
}

/* A handle that is not live on fd index fdi (nor is avoid, live but not in the table). */
static uint32_t dead_handle(struct fz *z, int fdi, uint32_t avoid)
{
	static const uint32_t odd[] = { 0, ~0u, 0x10000, 0x7fffffff, 0x80000001 };

	for (int tries = 0; tries < 8; tries++) {
		uint32_t h = fdi != FD_SHARED && z->nr_closed[fdi] && one_in(z, 2) ?
			z->closed[fdi][below(z, z->nr_closed[fdi])] :
			one_in(z, 2) ? odd[below(z, ARRAY_SIZE(odd))] : 1 + below(z, 256);

		if (!find_obj(z, fdi, h) && h != avoid)
			return h;
	}
	return 0;
}

static int pick_fdi(struct fz *z)
{
	unsigned int r = below(z, 20);

	if (r == 0 && z->fd[FD_SHARED] >= 0)
		return FD_SHARED;
	return r < 16 ? FD_OWN : FD_OTHER;
}

/*
 * A handle for an ioctl on fd index fdi; dead_err: what a dead handle gives.
 * o: its table entry; k: the same where what the entry says is reliable (not
 * on the shared fd, where a sibling may have closed and reused the number).
 */
struct hpick { uint32_t h; struct obj *o, *k; uint32_t defects, ambient; };

static struct hpick pick_handle(struct fz *z, int fdi, int dead_err)
{
	struct hpick p = { 0 };
	unsigned int r = below(z, 16);
	struct obj *o = r < 13 ? rand_obj(z, fdi) : NULL;

	if (o)
		p.h = o->handle;
	else if (r == 13 && (o = rand_obj(z, fdi == FD_OWN ? FD_OTHER : FD_OWN)))
		p.h = o->handle;	/* a handle of another fd */
	else if (fdi == FD_SHARED)
		p.h = atomic_load(&board.handle[below(z, ARRAY_SIZE(board.handle))]);
	else
		p.h = dead_handle(z, fdi, 0);
	p.o = find_obj(z, fdi, p.h);
	p.k = fdi == FD_SHARED ? NULL : p.o;
	if (fdi == FD_SHARED)	/* siblings create, close and reuse handles on it too */
		p.ambient |= M(dead_err) | UNKNOWN_ERRS;
	else if (!p.o)
		p.defects |= M(dead_err);
	if (p.o && (p.o->userptr || !p.o->known))
		p.ambient |= USER_ERRS;
	return p;
}

static bool same_group(struct obj **t, unsigned int n, const struct obj *o)
{
	for (unsigned int i = 0; i < n; i++)
		if (t[i]->group == o->group)
			return true;
	return false;
}

/* ---- user memory: slots, maps, pointers ---------------------------------- */

static uint8_t *slot_addr(struct fz *z, int s) { return z->arena + (size_t)s * SLOT_BYTES; }

static uint8_t *reserve_new(size_t len)
{
	void *p = mmap(NULL, len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	CHECK(p != MAP_FAILED);
	return p;
}

/* PROT_NONE over [p, p + len): no hole that an mmap elsewhere could take. */
static void reserve(struct fz *z, uint8_t *p, size_t len)
{
	if (len && mmap(p, len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_NORESERVE,
			-1, 0) == MAP_FAILED)
		fz_fail(z, "cannot reserve %p + %#zx: %s", (void *)p, len, strerror(errno));
}

static void map_anon(struct fz *z, int s, unsigned int npages, bool shared)
{
	uint8_t *p = slot_addr(z, s);

	z->nr_mm++;
	if (mmap(p, npages * PAGE_SIZE, PROT_RW, MAP_FIXED | MAP_ANONYMOUS |
		 (shared ? MAP_SHARED : MAP_PRIVATE), -1, 0) == MAP_FAILED)
		fz_fail(z, "mmap(MAP_FIXED) of slot %d: %s", s, strerror(errno));
	reserve(z, p + npages * PAGE_SIZE, SLOT_BYTES - npages * PAGE_SIZE);
	z->slots[s] = (struct slot){ shared ? SLOT_SHARED : SLOT_PRIVATE, PROT_RW, npages };
	for (unsigned int i = 0; i < npages; i++)
		p[i * PAGE_SIZE] = (uint8_t)rnd(z);
}

/* An own slot holding read-write anonymous memory, or -1. */
static int rw_slot(struct fz *z)
{
	int start = below(z, NR_SLOTS);

	for (int i = 0; i < NR_SLOTS; i++) {
		int s = (start + i) % NR_SLOTS;
		const struct slot *sl = &z->slots[s];

		if ((sl->kind == SLOT_PRIVATE || sl->kind == SLOT_SHARED) && sl->npages &&
		    sl->prot == (PROT_RW))
			return s;
	}
	return -1;
}

static void unmap_map(struct fz *z, int i)
{
	struct map *m = &z->maps[i];

	if (!m->len)
		return;
	munmap(m->addr, m->len);
	reserve(z, m->addr, m->len);
	m->len = 0;
}

static int free_map(struct fz *z)
{
	int i;

	for (i = 0; i < MAX_MAPS; i++)
		if (!z->maps[i].len)
			return i;
	i = below(z, MAX_MAPS);
	unmap_map(z, i);
	return i;
}

static struct map *rand_map(struct fz *z)
{
	int idx[MAX_MAPS], n = 0;

	for (int i = 0; i < MAX_MAPS; i++)
		if (z->maps[i].len)
			idx[n++] = i;
	return n ? &z->maps[idx[below(z, n)]] : NULL;
}

/* mmap() into map slot i; records the result against exp; NULL on failure. */
static uint8_t *map_at(struct fz *z, int i, size_t len, int prot, int flags, int dev,
		       uint64_t off, uint32_t exp, bool gem)
{
	uint8_t *want = z->maparea + (size_t)i * MAP_SLOT;
	void *p = mmap(want, len, prot, flags | MAP_FIXED, dev, (off_t)off);
	int err = p == MAP_FAILED ? errno : 0;

	record(z, I_MMAP, err, exp);
	if (err) {
		reserve(z, want, MAP_SLOT);
		return NULL;
	}
	z->maps[i] = (struct map){ want, len, prot, gem };
	return want;
}

static bool slot_covers(struct fz *z, int s, uint64_t off, uint64_t len, bool kwrite)
{
	const struct slot *sl = &z->slots[s];
	int need = kwrite ? PROT_RW : PROT_READ;

	return (sl->kind == SLOT_PRIVATE || sl->kind == SLOT_SHARED) &&
	       (sl->prot & need) == need && off + len <= sl->npages * PAGE_SIZE;
}

static uint64_t bad_ptr(struct fz *z)
{
	switch (below(z, 4)) {
	case 0: return 8 + below(z, PAGE_SIZE - 8);			/* the NULL page */
	case 1: return KERNEL_ADDR + below(z, 1 << 20);
	case 2: return (uintptr_t)z->arena + NR_SLOTS * SLOT_BYTES + 8 * below(z, 512); /* guard */
	default: return one_in(z, 2) ? 1ull << 47 : ~0ull - PAGE_SIZE + 1;
	}
}

/*
 * A user pointer to len bytes the kernel reads (kwrite false) or writes:
 * *cls is P_GOOD (accessible), P_BAD (faults) or P_MAYBE.  Whatever the
 * kernel may write lies in test memory followed by a guard.
 */
static uint64_t pick_ptr(struct fz *z, uint64_t len, bool kwrite, int *cls)
{
	unsigned int r = below(z, 16);
	struct map *m;
	uint64_t off;

	*cls = P_MAYBE;
	if (len > GUARD_BYTES)
		return (uintptr_t)z->scratch;
	if (r == 8 || r == 9) {
		int s = below(z, NR_SLOTS);

		off = below64(z, SLOT_BYTES);
		if (slot_covers(z, s, off, len, kwrite))
			*cls = P_GOOD;
		return (uintptr_t)slot_addr(z, s) + off;
	}
	if (r == 10 && (m = rand_map(z)) && m->len >= len)
		return (uintptr_t)m->addr + below64(z, m->len - len + 1);
	if (r == 11 && board.arena)
		return (uintptr_t)board.arena + below64(z, NR_BOARD_SLOTS * SLOT_BYTES);
	if (r >= 12) {
		*cls = len ? P_BAD : P_MAYBE;
		return bad_ptr(z);
	}
	off = len >= SCRATCH_BYTES ? 0 : below64(z, SCRATCH_BYTES - len + 1);
	if (one_in(z, 2))
		off &= ~7ull;
	*cls = len <= SCRATCH_BYTES ? P_GOOD : P_MAYBE;
	return (uintptr_t)z->scratch + off;
}

/* A pointer's share of the expected errnos. */
static void ptr_expect(int cls, uint64_t len, uint32_t *defects, uint32_t *ambient)
{
	if (!len)
		return;
	if (cls == P_BAD)
		*defects |= M(EFAULT);
	else if (cls == P_MAYBE)
		*ambient |= M(EFAULT);
}

/* Sizes and offsets around the boundaries of an object of size bytes. */
static uint64_t pick_len(struct fz *z, uint64_t size)
{
	switch (below(z, 14)) {
	case 0: return 0;
	case 1: return 1;
	case 2: return PAGE_SIZE - 1;
	case 3: return PAGE_SIZE;
	case 4: return PAGE_SIZE + 1;
	case 5: return size;
	case 6: return size ? size - 1 : 0;
	case 7: return size + 1;
	case 8: return one_in(z, 2) ? ~0ull : 1ull << 63;
	default: return below64(z, (size < 65536 ? size : 65536) + 1);
	}
}

/* Wait (in polls of at most 10 ms) until handle h is idle: 0 (a failed request too). */
static int wait_idle(struct fz *z, int fdi, uint32_t h, uint32_t ambient)
{
	double t0 = vi_now();

	for (;;) {
		struct drm_i915_gem_wait w = { .bo_handle = h, .timeout_ns = 10 * MS };
		int ret = fz_ioctl(z, I_WAIT, z->fd[fdi], DRM_IOCTL_I915_GEM_WAIT, &w,
				   OK | M(ETIME) | ambient);

		if (ret != -ETIME)
			return ret;
		if (vi_now() - t0 > HANG_SECONDS)
			fz_fail(z, "handle %u still busy after %.0f s of GEM_WAIT", h,
				HANG_SECONDS);
	}
}

static void compare(struct fz *z, const uint8_t *got, const uint8_t *want, size_t len,
		    const char *what)
{
	for (size_t i = 0; i < len; i++)
		if (got[i] != want[i])
			fz_fail(z, "%s: byte %zu of %zu is %#x, expected %#x", what, i, len,
				got[i], want[i]);
}

static void gem_rw(struct fz *z, bool write, int fdi, uint32_t h, uint64_t off, uint64_t len,
		   void *p)
{
	struct drm_i915_gem_pread a = { .handle = h, .offset = off, .size = len,
					.data_ptr = (uintptr_t)p };

	fz_ioctl(z, write ? I_PWRITE : I_PREAD, z->fd[fdi],
		 write ? DRM_IOCTL_I915_GEM_PWRITE : DRM_IOCTL_I915_GEM_PREAD, &a, OK);
}

/* ======================================================================== */
/* Operations: GEM objects                                                   */
/* ======================================================================== */

static const uint64_t good_sizes[] = { 1, PAGE_SIZE - 1, PAGE_SIZE, PAGE_SIZE + 1, 2 * PAGE_SIZE,
	3 * PAGE_SIZE + 5, 16384, 65536, 65537, 262144, 1 << 20, 4 << 20 };

static const struct { uint64_t size; int err; } bad_sizes[] = {
	{ 0, EINVAL }, { ~0ull, EINVAL }, { ~0ull - PAGE_SIZE + 2, EINVAL },
	{ (1ull << 30) + 1, E2BIG }, { 1ull << 40, E2BIG }, { ~0ull << 32, E2BIG },
	{ ~0ull - PAGE_SIZE + 1, E2BIG },
};

/* A GEM_CREATE size (mostly small) and the errno it gives (0: valid). */
static uint64_t pick_create_size(struct fz *z, int *err)
{
	*err = 0;
	if (one_in(z, 10)) {
		int i = below(z, ARRAY_SIZE(bad_sizes));

		*err = bad_sizes[i].err;
		return bad_sizes[i].size;
	}
	return good_sizes[one_in(z, 8) ? below(z, ARRAY_SIZE(good_sizes)) : below(z, 8)];
}

static void check_create(struct fz *z, int fdi, uint64_t asked, uint64_t got, uint32_t h)
{
	uint64_t want = (asked + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);

	if (got != want)
		fz_fail(z, "GEM_CREATE(%llu) wrote back size %llu, expected %llu",
			ULL(asked), ULL(got), ULL(want));
	new_handle(z, fdi, h, "GEM_CREATE");
	obj_add(z, fdi, h, got, false, true, 0, fdi != FD_SHARED);
}

static void op_create(struct fz *z)
{
	int fdi = pick_fdi(z), err;
	struct drm_i915_gem_create c = { 0 };
	uint64_t asked;

	make_room(z, 1);
	asked = c.size = pick_create_size(z, &err);
	if (!fz_ioctl(z, I_CREATE, z->fd[fdi], DRM_IOCTL_I915_GEM_CREATE, &c,
		      expect(err ? M(err) : 0, M(ENOMEM))))
		check_create(z, fdi, asked, c.size, c.handle);
}

static void op_create_ext(struct fz *z)
{
	struct {
		struct drm_i915_gem_create_ext_memory_regions r;
		struct drm_i915_gem_memory_class_instance ci[2];
	} ext = { 0 };
	struct drm_i915_gem_create_ext c = { 0 };
	int fdi = pick_fdi(z), err;
	uint32_t defects = 0;
	uint64_t asked;

	make_room(z, 1);
	asked = c.size = pick_create_size(z, &err);
	defects |= err ? M(err) : 0;
	/*
	 * vi915 today: NEEDS_CPU_ACCESS with system memory only is accepted
	 * (args.rs create_ext_flags); i915_gem_create_ext_ioctl answers EINVAL
	 * when there is a single placement (reported).
	 */
	c.flags = one_in(z, 2) ? I915_GEM_CREATE_EXT_FLAG_NEEDS_CPU_ACCESS : 0;
	if (one_in(z, 10)) {
		c.flags = one_in(z, 2) ? 2 : ~0u;
		defects |= M(EINVAL);
	}
	ext.r.base.name = I915_GEM_CREATE_EXT_MEMORY_REGIONS;
	ext.r.num_regions = 1;
	ext.r.regions = (uintptr_t)ext.ci;
	switch (below(z, 12)) {
	case 0: case 1: case 2: case 3: break;				/* no extension */
	case 4: case 5: c.extensions = (uintptr_t)&ext; break;		/* system memory */
	case 6: ext.r.num_regions = 2; c.extensions = (uintptr_t)&ext; defects |= M(EINVAL); break;
	case 7: ext.ci[0].memory_class = I915_MEMORY_CLASS_DEVICE;
		ext.ci[0].memory_instance = below(z, 2);
		c.extensions = (uintptr_t)&ext; defects |= M(EINVAL); break;
	case 8: ext.r.pad = 1; ext.r.base.rsvd[below(z, 4)] = one_in(z, 2); ext.r.base.flags = 1;
		c.extensions = (uintptr_t)&ext; defects |= M(EINVAL); break;
	case 9: ext.r.base.name = one_in(z, 2) ? I915_GEM_CREATE_EXT_PROTECTED_CONTENT : 99;
		c.extensions = (uintptr_t)&ext; defects |= M(EINVAL); break;
	case 10: ext.r.base.next_extension = (uintptr_t)&ext;	/* a loop: the list repeats */
		c.extensions = (uintptr_t)&ext; defects |= M(EINVAL); break;	/* 2nd region list */
	default:
		if (one_in(z, 2)) {
			c.extensions = bad_ptr(z);
		} else {
			ext.r.regions = bad_ptr(z);
			c.extensions = (uintptr_t)&ext;
		}
		defects |= M(EFAULT);
	}
	if (!fz_ioctl(z, I_CREATE_EXT, z->fd[fdi], DRM_IOCTL_I915_GEM_CREATE_EXT, &c,
		      expect(defects, M(ENOMEM))))
		check_create(z, fdi, asked, c.size, c.handle);
}

/* USERPTR, with the driver's check order (README "USERPTR checks"). */
static void op_userptr(struct fz *z)
{
	static const uint32_t bad_flags[] = { 0x4, 0x100, 0x40000000, ~0u };
	struct drm_i915_gem_userptr a = { 0 };
	uint32_t defects = 0, ambient = M(ENOMEM);
	int s = below(z, NR_SLOTS), probe_fault = P_MAYBE;
	uint8_t *arena_end = z->arena + NR_SLOTS * SLOT_BYTES + GUARD_BYTES;
	struct map *m = NULL;
	uint64_t end;

	make_room(z, 1);
	a.user_ptr = (uintptr_t)slot_addr(z, s) + below(z, SLOT_PAGES) * PAGE_SIZE;
	a.user_size = (1 + below64(z, 2 * SLOT_PAGES)) * PAGE_SIZE;
	switch (below(z, 20)) {
	case 0: a.user_size = 0; break;
	case 1: a.user_ptr += 1 + below(z, PAGE_SIZE - 1); break;
	case 2: a.user_size += 1 + below(z, PAGE_SIZE - 1); break;
	case 3: a.user_size = 1ull << 30; break;			/* huge, valid */
	case 4: a.user_size = 0x80000000ull * PAGE_SIZE; break;	/* INT_MAX + 1 pages */
	case 5: a.user_ptr = 0; a.user_size = PAGE_SIZE; break;	/* the NULL page */
	case 6: a.user_ptr = KERNEL_ADDR; break;
	case 7: a.user_ptr = ~0ull - PAGE_SIZE + 1; a.user_size = 2 * PAGE_SIZE; break; /* wraps */
	case 8:
		if ((m = rand_map(z))) {	/* a GTT or dma-buf mmap: VM_PFNMAP */
			a.user_ptr = (uintptr_t)m->addr;
			a.user_size = m->len & ~(PAGE_SIZE - 1);
		}
		break;
	case 9:
		/* the scratch buffer's third MiB: never a check's buffer (the engine
		 * writes it whenever a request runs) */
		a.user_ptr = board.arena ?
			(uintptr_t)board.arena + below(z, NR_BOARD_SLOTS * SLOT_PAGES) * PAGE_SIZE :
			(uintptr_t)z->scratch + (2 << 20) + below(z, 64) * PAGE_SIZE;
		break;
	}
	switch (below(z, 16)) {
	case 10: a.flags = I915_USERPTR_PROBE; break;
	case 11: a.flags = I915_USERPTR_UNSYNCHRONIZED; break;
	case 12: a.flags = I915_USERPTR_READ_ONLY; break;
	case 13: a.flags = I915_USERPTR_PROBE | I915_USERPTR_UNSYNCHRONIZED; break;
	case 14: a.flags = bad_flags[below(z, ARRAY_SIZE(bad_flags))]; break;
	}
	end = a.user_ptr + a.user_size;
	if (a.flags & ~(I915_USERPTR_READ_ONLY | I915_USERPTR_PROBE | I915_USERPTR_UNSYNCHRONIZED))
		defects |= M(EINVAL);
	if ((a.user_ptr | a.user_size) & (PAGE_SIZE - 1) || !a.user_size)
		defects |= M(EINVAL);
	if (a.user_size / PAGE_SIZE > 0x7fffffffull)
		defects |= M(E2BIG);
	if (end < a.user_ptr || a.user_ptr >= 1ull << 63)
		defects |= M(EFAULT);
	else if (end > USER_TOP)
		ambient |= M(EFAULT);	/* above 47 bits: depends on 5-level paging */
	if (a.flags & I915_USERPTR_READ_ONLY)
		defects |= M(ENODEV);
	if ((a.flags & I915_USERPTR_UNSYNCHRONIZED) && z->unpriv)
		defects |= M(EPERM);
	if (a.flags & I915_USERPTR_PROBE) {
		/* VMA walk: the arena is all VMAs but for holes of GTT mmaps (VM_PFNMAP) */
		if (a.user_ptr >= (uintptr_t)z->arena && end <= (uintptr_t)arena_end) {
			probe_fault = P_GOOD;
			for (int i = 0; i < NR_SLOTS; i++) {
				uint64_t b = (uintptr_t)slot_addr(z, i);
				int kind = z->slots[i].kind;

				if (a.user_ptr >= b + z->slots[i].npages * PAGE_SIZE || end <= b)
					continue;
				if (kind == SLOT_GTT)
					probe_fault = P_BAD;
				else if (kind == SLOT_MIXED && probe_fault == P_GOOD)
					probe_fault = P_MAYBE;	/* may hold a GTT mmap */
			}
		} else if (a.user_ptr < PAGE_SIZE || (m && a.user_ptr == (uintptr_t)m->addr)) {
			probe_fault = P_BAD;
		}
		ptr_expect(probe_fault, 1, &defects, &ambient);
	}
	if (fz_ioctl(z, I_USERPTR, z->fd[FD_OWN], DRM_IOCTL_I915_GEM_USERPTR, &a,
		     expect(defects, ambient)))
		return;
	new_handle(z, FD_OWN, a.handle, "USERPTR");
	obj_add(z, FD_OWN, a.handle, a.user_size, true, true, 0, true);
}

static void op_close(struct fz *z)
{
	int fdi = pick_fdi(z);
	struct hpick p = pick_handle(z, fdi, EINVAL);
	struct drm_gem_close c = { .handle = p.h };
	int ret = fz_ioctl(z, I_CLOSE, z->fd[fdi], DRM_IOCTL_GEM_CLOSE, &c,
			   expect(p.defects, p.ambient & (M(EINVAL) | OK)));

	if (p.o && (!ret || fdi == FD_SHARED))
		obj_forget(z, p.o);
}

static void op_domain(struct fz *z)
{
	enum { CPU = I915_GEM_DOMAIN_CPU, GTT = I915_GEM_DOMAIN_GTT };
	static const struct { uint32_t r, w; bool ok; } doms[] = {
		{ CPU, CPU, 1 }, { GTT, GTT, 1 }, { CPU | GTT, 0, 1 }, { CPU, 0, 1 }, { GTT, 0, 1 },
		{ 0, 0, 1 }, { I915_GEM_DOMAIN_RENDER, 0, 0 }, { CPU, GTT, 0 }, { 0, CPU, 0 },
		{ CPU | GTT, GTT, 0 }, { ~0u, 0, 0 },
	};
	int fdi = pick_fdi(z), d = below(z, ARRAY_SIZE(doms));
	struct hpick p = pick_handle(z, fdi, ENOENT);
	struct drm_i915_gem_set_domain a = { p.h, doms[d].r, doms[d].w };

	fz_ioctl(z, I_SET_DOMAIN, z->fd[fdi], DRM_IOCTL_I915_GEM_SET_DOMAIN, &a,
		 expect(p.defects | (doms[d].ok ? 0 : M(EINVAL)), p.ambient));
}

/* A GTT mmap of object o (own fds; offset off) through its fd or, rarely, the other one. */
static void map_object(struct fz *z, struct obj *o, uint64_t off)
{
	size_t full = o->size < MAP_MAX ? (o->size + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1) : MAP_MAX;
	int fdi = o->fdi, prot = one_in(z, 4) ? PROT_READ : PROT_RW, flags = MAP_SHARED;
	uint32_t defects = 0, ambient = M(ENOMEM);
	bool gem = o->known && !o->userptr;
	size_t len = full;
	int i = free_map(z);

	switch (below(z, 10)) {
	case 0: len = PAGE_SIZE; break;
	case 1: if (o->size < MAP_MAX) { len = full + PAGE_SIZE; defects |= M(EINVAL); } break;
	case 2: flags = MAP_PRIVATE; prot = PROT_RW; defects |= M(EINVAL); break;
	case 3: off = 1ull << 44; defects |= M(EINVAL); break;	/* past the fake offsets */
	case 4: fdi ^= 1; ambient |= M(EACCES) | (defects ? 0 : OK); break; /* OWN <-> OTHER */
	}
	map_at(z, i, len, prot, flags, z->fd[fdi], off, expect(defects, ambient), gem);
}

/* A CPU mmap type (MMAP_OFFSET WC/WB/UC, GEM_MMAP) of the picked handle: ENODEV/ENXIO
 * for a userptr (README), either when the kind is not known. */
static void mmap_cpu_expect(struct hpick p, uint32_t *defects, uint32_t *ambient)
{
	if (p.k && p.k->known) {
		if (p.k->userptr)
			*defects |= M(ENODEV) | M(ENXIO);
	} else if (p.o || p.k) {
		*ambient |= M(ENODEV) | M(ENXIO);
	} else {
		*ambient |= M(ENODEV) | M(ENXIO) | M(EINVAL);
	}
}

static void op_mmap(struct fz *z)
{
	static const uint64_t flags[] = { I915_MMAP_OFFSET_GTT, I915_MMAP_OFFSET_FIXED,
		I915_MMAP_OFFSET_GTT, I915_MMAP_OFFSET_WC, I915_MMAP_OFFSET_WB, I915_MMAP_OFFSET_UC,
		5, ~0ull };
	int fdi = pick_fdi(z);
	struct hpick p = pick_handle(z, fdi, ENOENT);
	/* a userptr may be larger than what is left of the fake offset space */
	uint32_t defects = p.defects, ambient = (p.ambient & ~USER_ERRS) | M(ENOMEM) |
		(p.ambient & USER_ERRS ? M(ENOSPC) : 0);
	uint64_t off;

	if (one_in(z, 2)) {
		struct drm_i915_gem_mmap_gtt a = { .handle = p.h };

		if (fz_ioctl(z, I_MMAP_GTT, z->fd[fdi], DRM_IOCTL_I915_GEM_MMAP_GTT, &a,
			     expect(defects, ambient)))
			return;
		off = a.offset;
	} else {
		struct drm_i915_gem_mmap_offset a = { .handle = p.h };

		a.flags = flags[below(z, ARRAY_SIZE(flags))];
		if (a.flags > I915_MMAP_OFFSET_FIXED)
			defects |= M(EINVAL);
		else if (a.flags != I915_MMAP_OFFSET_GTT && a.flags != I915_MMAP_OFFSET_FIXED)
			/* the CPU types: GEM_CREATE objects only */
			mmap_cpu_expect(p, &defects, &ambient);
		if (one_in(z, 10)) {
			/* the chain is read: a bad pointer faults, a readable link is EINVAL */
			bool bad = one_in(z, 2);

			a.extensions = bad ? bad_ptr(z) : (uintptr_t)z->scratch;
			defects |= bad ? M(EFAULT) : M(EINVAL);
		}
		if (fz_ioctl(z, I_MMAP_OFFSET, z->fd[fdi], DRM_IOCTL_I915_GEM_MMAP_OFFSET, &a,
			     expect(defects, ambient)))
			return;
		off = a.offset;
	}
	if (!off || off & (PAGE_SIZE - 1))
		fz_fail(z, "MMAP_GTT/OFFSET returned offset %#llx", ULL(off));
	if (p.k && p.k->known && !one_in(z, 4))
		map_object(z, p.k, off);
}

/*
 * GEM_MMAP (WB, or WC) of a window around the object's boundaries, read
 * through, then unmapped; and SET_CACHING / GET_CACHING.
 */
static void op_gem_mmap_caching(struct fz *z)
{
	static const uint32_t levels[] = { I915_CACHING_NONE, I915_CACHING_CACHED,
		I915_CACHING_DISPLAY, 3, ~0u };
	int fdi = pick_fdi(z);
	struct hpick p = pick_handle(z, fdi, ENOENT);
	uint32_t defects = p.defects, ambient = p.ambient & ~USER_ERRS;
	uint64_t size = p.k && p.k->known ? p.k->size : 0;

	/*
	 * The kernel places a GEM_MMAP where it likes, which may be a hole a
	 * sibling thread's mm operations punched in its arena and will map over
	 * with MAP_FIXED at any moment: threaded fuzzers only ask for caching.
	 */
	if (z->threaded || one_in(z, 3)) {
		struct drm_i915_gem_caching a = { .handle = p.h };

		if (one_in(z, 2)) {
			fz_ioctl(z, I_GET_CACHING, z->fd[fdi], DRM_IOCTL_I915_GEM_GET_CACHING, &a,
				 expect(defects, ambient));
			if (!p.defects && a.caching > I915_CACHING_CACHED)
				fz_fail(z, "GET_CACHING answered %u", a.caching);
			return;
		}
		a.caching = levels[below(z, ARRAY_SIZE(levels))];
		if (a.caching > I915_CACHING_DISPLAY)
			defects = M(EINVAL);	/* before the handle */
		else if (a.caching != I915_CACHING_CACHED && p.k && p.k->known && p.k->userptr)
			defects |= M(ENXIO);
		else if (a.caching != I915_CACHING_CACHED && !(p.k && p.k->known))
			ambient |= M(ENXIO);
		fz_ioctl(z, I_SET_CACHING, z->fd[fdi], DRM_IOCTL_I915_GEM_SET_CACHING, &a,
			 expect(defects, ambient));
		return;
	}

	struct drm_i915_gem_mmap a = { .handle = p.h };

	a.flags = one_in(z, 8) ? 2 + below(z, 8) : one_in(z, 2) ? I915_MMAP_WC : 0;
	a.offset = one_in(z, 4) ? pick_len(z, size) : 0;
	a.size = one_in(z, 2) ? pick_len(z, size) : size - (a.offset < size ? a.offset : size);
	if (a.flags > I915_MMAP_WC) {
		defects = M(EINVAL);	/* before the handle */
	} else {
		mmap_cpu_expect(p, &defects, &ambient);
		if (!(p.k && p.k->known))
			ambient |= M(EINVAL) | M(ENOMEM);
		else if (!p.k->userptr && (a.offset >= size || a.size > size - a.offset ||
					   !a.size || a.offset % PAGE_SIZE))
			defects |= M(EINVAL);	/* inside the object, from a page (README) */
		ambient |= M(ENOMEM);
	}
	if (fz_ioctl(z, I_GEM_MMAP, z->fd[fdi], DRM_IOCTL_I915_GEM_MMAP, &a,
		     expect(defects, ambient)))
		return;
	if (p.k && p.k->known && !p.k->userptr) {
		/* fault both ends in (reads: the engine may be writing the object) */
		volatile uint8_t *m = (volatile uint8_t *)(uintptr_t)a.addr_ptr;

		(void)m[0];
		(void)m[a.size - 1];
	}
	munmap((void *)(uintptr_t)a.addr_ptr, a.size);
}

static void op_tiling(struct fz *z)
{
	static const uint32_t modes[] = { I915_TILING_NONE, I915_TILING_X, I915_TILING_Y,
		I915_TILING_X, I915_TILING_Y, 3, ~0u };
	static const uint32_t strides[] = { 0, 128, 512, 1024, 2048, 4096, 8192, 100, 640,
		256 * 1024, 512 * 1024, ~0u };
	int fdi = pick_fdi(z);
	struct hpick p = pick_handle(z, fdi, ENOENT);
	uint32_t mode = modes[below(z, ARRAY_SIZE(modes))];
	uint32_t stride = strides[below(z, ARRAY_SIZE(strides))];
	uint32_t tw = mode == I915_TILING_X ? 512 : 128;	/* Gen9 tile widths */
	bool valid = mode == I915_TILING_NONE ||
		     ((mode == I915_TILING_X || mode == I915_TILING_Y) &&
		      stride >= tw && stride % tw == 0 && stride <= 256 * 1024);
	uint32_t ambient = p.ambient & ~USER_ERRS;

	if (one_in(z, 3)) {
		struct drm_i915_gem_get_tiling g = { p.h, 0xdead, 0xdead, 0xdead };

		if (fz_ioctl(z, I_GET_TILING, z->fd[fdi], DRM_IOCTL_I915_GEM_GET_TILING, &g,
			     expect(p.defects, ambient)))
			return;
		if (g.swizzle_mode || g.tiling_mode > I915_TILING_Y)
			fz_fail(z, "GET_TILING: mode %u swizzle %u", g.tiling_mode, g.swizzle_mode);
		if (p.k && p.k->mine && g.tiling_mode != p.k->tiling)
			fz_fail(z, "GET_TILING(%u) says mode %u, the last SET_TILING set %u", p.h,
				g.tiling_mode, p.o->tiling);
		return;
	}
	struct drm_i915_gem_set_tiling t = { p.h, mode, stride, 0xdead };

	if (fz_ioctl(z, I_SET_TILING, z->fd[fdi], DRM_IOCTL_I915_GEM_SET_TILING, &t,
		     expect(p.defects | (valid ? 0 : M(EINVAL)), ambient)))
		return;
	if (t.tiling_mode != mode || t.swizzle_mode ||
	    t.stride != (mode == I915_TILING_NONE ? 0 : stride))
		fz_fail(z, "SET_TILING(mode %u, stride %u) wrote back mode %u stride %u swizzle %u",
			mode, stride, t.tiling_mode, t.stride, t.swizzle_mode);
	if (p.k)
		set_group(z, p.k->group, mode, -1);
}

static void op_rw(struct fz *z)
{
	int fdi = pick_fdi(z), cls;
	struct hpick p = pick_handle(z, fdi, ENOENT);
	bool write = one_in(z, 2);
	uint64_t size = p.k ? p.k->size : PAGE_SIZE;
	struct drm_i915_gem_pread a = { .handle = p.h };
	uint32_t defects = p.defects, ambient = p.ambient & ~USER_ERRS;

	a.offset = one_in(z, 3) ? pick_len(z, size) : below64(z, size < 65536 ? size : 65536);
	a.size = pick_len(z, size);
	a.data_ptr = pick_ptr(z, a.size, !write, &cls);
	if (p.k && p.k->known) {
		if (p.k->userptr)
			defects |= M(EINVAL);	/* modern i915: no PREAD/PWRITE of userptrs */
		if (a.offset + a.size < a.offset || a.offset + a.size > size)
			defects |= M(EINVAL);
	} else if (p.k) {
		ambient |= M(EINVAL);
	}
	ptr_expect(cls, a.size, &defects, &ambient);
	fz_ioctl(z, write ? I_PWRITE : I_PREAD, z->fd[fdi],
		 write ? DRM_IOCTL_I915_GEM_PWRITE : DRM_IOCTL_I915_GEM_PREAD, &a,
		 expect(defects, ambient));
}

static void op_wait_busy(struct fz *z)
{
	static const int64_t timeouts[] = { 0, 0, 1, 1000, MS, 10 * MS };
	int fdi = pick_fdi(z);
	struct hpick p = pick_handle(z, fdi, ENOENT);
	uint32_t ambient = p.ambient & ~USER_ERRS;
	struct drm_i915_gem_busy b = { .handle = p.h, .busy = 0xdeadbeef };
	int ret;

	if (one_in(z, 2)) {
		struct drm_i915_gem_wait w = { .bo_handle = p.h };
		uint32_t defects = p.defects;
		int64_t t = w.timeout_ns = timeouts[below(z, ARRAY_SIZE(timeouts))];

		if (one_in(z, 12)) {
			w.flags = 1u << below(z, 32);
			defects |= M(EINVAL);
		}
		ret = fz_ioctl(z, I_WAIT, z->fd[fdi], DRM_IOCTL_I915_GEM_WAIT, &w,
			       expect(defects, ambient | M(ETIME)));
		if (ret == -ETIME && w.timeout_ns)
			fz_fail(z, "GEM_WAIT timed out and left timeout_ns %lld",
				(long long)w.timeout_ns);
		if (!ret && (w.timeout_ns < 0 || w.timeout_ns > t))
			fz_fail(z, "GEM_WAIT left %lld of %lld ns", (long long)w.timeout_ns,
				(long long)t);
		if (ret || !p.k || !p.k->mine)
			return;
		/* nothing was submitted since: the object must be idle */
		fz_ioctl(z, I_BUSY, z->fd[fdi], DRM_IOCTL_I915_GEM_BUSY, &b, OK);
		if (b.busy)
			fz_fail(z, "GEM_BUSY(%u) = %#x right after GEM_WAIT succeeded", p.h,
				b.busy);
		return;
	}
	if (!fz_ioctl(z, I_BUSY, z->fd[fdi], DRM_IOCTL_I915_GEM_BUSY, &b,
		      expect(p.defects, ambient)) && (b.busy & ~0x20002u))
		fz_fail(z, "GEM_BUSY(%u) = %#x: only the copy engine's 0x20000 | 0x2 exist",
			p.h, b.busy);
}

/* ======================================================================== */
/* Operations: EXECBUFFER2                                                    */
/* ======================================================================== */

static void emit(struct fz *z, unsigned int *n, uint32_t dw)
{
	if (*n < ARRAY_SIZE(z->cs))
		z->cs[(*n)++] = dw;
}

/* A relocated 64-bit address of list entry target + delta (presumed 0). */
static void emit_addr(struct fz *z, unsigned int *n, unsigned int *nrel, unsigned int target,
		      uint32_t delta, bool write)
{
	if (*nrel < ARRAY_SIZE(z->rel))
		z->rel[(*nrel)++] = (struct drm_i915_gem_relocation_entry){
			.target_handle = target, .delta = delta, .offset = 4 * *n,
			.read_domains = I915_GEM_DOMAIN_RENDER,
			.write_domain = write ? I915_GEM_DOMAIN_RENDER : 0,
		};
	emit(z, n, delta);
	emit(z, n, 0);
}

static uint32_t store_offset(struct fz *z, const struct obj *o, unsigned int bytes)
{
	uint64_t room = o->size < (1ull << 31) ? o->size : 1ull << 31;

	return (uint32_t)below64(z, (room - bytes) / 4 + 1) * 4;
}

/* A small blit between list entries dst and src (objects d, s). */
static void emit_blit(struct fz *z, unsigned int *n, unsigned int *nrel, unsigned int dst,
		      unsigned int src, const struct obj *d, const struct obj *s, bool *may_fail,
		      bool can_fail)
{
	uint64_t room = d->size < s->size ? d->size : s->size;
	uint32_t pitch = 256u << below(z, 4), w = 1 + below(z, 64), h = 1 + below(z, 16);
	bool fast = one_in(z, 3), tiled = one_in(z, 8) && can_fail;	/* byte pitches: fails */

	if (w * 4 > pitch)
		w = pitch / 4;
	while (h > 1 && (uint64_t)h * pitch > room)	/* whole rows inside both objects */
		h--;
	*may_fail |= tiled;
	if (fast) {
		emit(z, n, XY_FAST_COPY_BLT | 8 | (tiled ? XY_FAST_COPY_SRC_TILING(1) |
						      XY_FAST_COPY_DST_TILING(2) : 0));
		emit(z, n, 3u << 24 | pitch);
	} else {
		emit(z, n, SRC_COPY_32BPP |
		     (tiled ? XY_SRC_COPY_BLT_SRC_TILED | XY_SRC_COPY_BLT_DST_TILED : 0));
		emit(z, n, 3u << 24 | BLT_ROP_SRCCOPY | pitch);
	}
	emit(z, n, 0);
	emit(z, n, h << 16 | w);
	emit_addr(z, n, nrel, dst, 0, true);
	emit(z, n, 0);
	emit(z, n, pitch);
	emit_addr(z, n, nrel, src, 0, false);
}

/* The batch for targets t[] (list entries first..first+nt-1). */
static void build_batch(struct fz *z, struct obj **t, unsigned int nt, unsigned int first,
			unsigned int *n, unsigned int *nrel, bool *may_fail)
{
	bool can_fail = atomic_load(&failing_requests) < MAX_FAILING;
	unsigned int kind = below(z, 10), k;

	if (!nt && kind < 8)
		kind = 9;
	if (!can_fail && (kind == 7 || kind == 8))
		kind = 9;
	switch (kind) {
	case 0: case 1: case 2: case 3: case 4:	/* MI_STORE_DWORD_IMM / MI_FLUSH_DW stores */
		for (k = 1 + below(z, 3); k; k--) {
			unsigned int i = below(z, nt);
			bool qword = one_in(z, 3), flush = kind == 4;

			uint32_t op = flush ? MI_FLUSH_DW | MI_FLUSH_DW_OP_STOREDW :
				      MI_STORE_DWORD_IMM | (one_in(z, 2) ? MI_USE_GGTT : 0);

			emit(z, n, op | (qword ? 3 : 2));
			emit_addr(z, n, nrel, first + i, store_offset(z, t[i], qword ? 8 : 4),
				  true);
			emit(z, n, (uint32_t)rnd(z));
			if (qword)
				emit(z, n, (uint32_t)rnd(z));
		}
		break;
	case 5: case 6: {
		unsigned int src;

		k = below(z, nt);
		src = one_in(z, 2) ? k : below(z, nt);
		emit_blit(z, n, nrel, first + k, first + src, t[k], t[src], may_fail, can_fail);
		break;
	}
	case 7:	/* a store just past the object: outside the request's objects */
		k = below(z, nt);
		emit(z, n, MI_STORE_DWORD_IMM | 2);
		emit_addr(z, n, nrel, first + k, 4 * below(z, 1024) +
			  (uint32_t)(t[k]->size < (1ull << 31) ? t[k]->size : 0), true);
		emit(z, n, 0xdead);
		*may_fail = true;
		break;
	case 8:	/* garbage (mostly unknown commands), maybe running off the end */
		for (k = 1 + below(z, 16); k; k--) {
			switch (below(z, 4)) {
			case 0: emit(z, n, (uint32_t)rnd(z)); break;
			case 1: emit(z, n, MI_NOOP); break;
			case 2: emit(z, n, 0x7a000004); break;	/* PIPE_CONTROL */
			default: emit(z, n, MI_STORE_DWORD_IMM | 2); emit(z, n, (uint32_t)rnd(z));
				emit(z, n, (uint32_t)rnd(z) & 0xffff); emit(z, n, 0);
			}
		}
		*may_fail = true;
		if (one_in(z, 2))
			return;
		break;
	}
	emit(z, n, MI_BATCH_BUFFER_END);
	emit(z, n, MI_NOOP);
}

static const uint64_t bad_exec_flags[] = { I915_EXEC_CONSTANTS_ABSOLUTE, I915_EXEC_GEN7_SOL_RESET,
	I915_EXEC_SECURE, I915_EXEC_IS_PINNED, I915_EXEC_BSD_RING1, I915_EXEC_RESOURCE_STREAMER,
	I915_EXEC_FENCE_IN /* fd 0: not a sync_file */, 1ull << 20 /* FENCE_SUBMIT */, 1ull << 40 };

/* At most one defect in the execbuf, its list or its relocations: its errnos. */
static uint32_t exec_defect(struct fz *z, struct drm_i915_gem_execbuffer2 *eb, int fdi,
			    unsigned int nrel, unsigned int bi, unsigned int first, uint32_t bsize,
			    bool lut)
{
	uint32_t batch = z->eo[bi].handle;
	struct drm_i915_gem_exec_object2 *eo = z->eo;
	unsigned int count = eb->buffer_count, x = below(z, count);
	struct drm_i915_gem_relocation_entry *r = nrel ? &z->rel[below(z, nrel)] : NULL;

	switch (below(z, 40)) {
	case 0:	/* rings vi915 has not: BSD, VEBOX, unknown */
		eb->flags &= ~0x3full;
		eb->flags |= one_in(z, 2) ? I915_EXEC_BSD : 4 + below(z, 60);
		return M(EINVAL);
	case 1: eb->flags |= bad_exec_flags[below(z, ARRAY_SIZE(bad_exec_flags))]; return M(EINVAL);
	case 2:	/* no such context (op_context's ids count up from 1) */
		eb->rsvd1 = 0xfffffff0u + below(z, 16);
		return M(ENOENT);
	case 3:
		switch (below(z, 5)) {
		case 0: eb->flags |= I915_EXEC_FENCE_IN; eb->rsvd2 = (uint32_t)-1; break;
		case 1: eb->num_cliprects = 1; break;
		case 2: eb->cliprects_ptr = 8; break;
		case 3: eb->DR1 = 1; break;
		default: eb->DR4 = 1;
		}
		return M(EINVAL);
	case 4: eb->batch_start_offset = one_in(z, 2) ? 4 : bsize; return M(EINVAL);
	case 5: eb->batch_len = one_in(z, 2) ? 12 : bsize + 8; return M(EINVAL);
	case 6: eb->buffer_count = one_in(z, 2) ? 0 : 2048; return M(EINVAL);
	case 7: eb->buffers_ptr = bad_ptr(z); return M(EFAULT);
	case 8:	/* softpin outside the GGTT or off a page, or an unknown flag */
		if (one_in(z, 2)) {
			eo[x].flags |= EXEC_OBJECT_PINNED;
			eo[x].offset = one_in(z, 2) ? 1ull << 32 : (1u << 20) + 8;
		} else {
			eo[x].flags |= EXEC_OBJECT_PAD_TO_SIZE;
		}
		return M(EINVAL);
	case 9: if (one_in(z, 2)) eo[x].rsvd1 = 1; else eo[x].rsvd2 = 1; return M(EINVAL);
	case 10: eo[x].alignment = one_in(z, 2) ? 3 : PAGE_SIZE + 1; return M(EINVAL);
	case 11: eo[x].relocation_count = (1u << 22) + 1; return M(EINVAL);
	case 12:
		if (count < 2)
			return 0;
		eo[(first + 1 + below(z, count - 1)) % count].handle = eo[first].handle;
		return M(EINVAL);	/* the same object twice */
	case 13: eo[x].handle = dead_handle(z, fdi, batch); return M(ENOENT);
	case 14: if (!r) return 0; r->offset = one_in(z, 2) ? bsize - 4 : 1ull << 40;
		return M(EINVAL);
	case 15: if (!r) return 0; r->offset += 2; return M(EINVAL);
	case 16: if (!r) return 0;
		r->target_handle = lut ? count + below(z, 4) : dead_handle(z, fdi, batch);
		return M(ENOENT);
	case 17:
		if (!r)
			return 0;
		switch (below(z, 3)) {
		case 0: r->write_domain = r->read_domains =
				I915_GEM_DOMAIN_RENDER | I915_GEM_DOMAIN_SAMPLER; break;
		case 1: r->read_domains = I915_GEM_DOMAIN_CPU; break;
		default: r->write_domain = I915_GEM_DOMAIN_GTT;
		}
		return M(EINVAL);
	case 18: if (!nrel) return 0; eo[bi].relocs_ptr = bad_ptr(z); return M(EFAULT);
	default: return 0;
	}
}

/* After a successful execbuf: offsets and relocation presumed offsets written back. */
static void check_writeback(struct fz *z, const struct drm_i915_gem_execbuffer2 *eb,
			    unsigned int nrel, bool lut)
{
	const struct drm_i915_gem_exec_object2 *eo = z->eo;

	for (unsigned int i = 0; i < eb->buffer_count; i++)
		if (eo[i].offset & (PAGE_SIZE - 1) || eo[i].offset >= GGTT_BYTES)
			fz_fail(z, "exec object %u written back at offset %#llx", i,
				ULL(eo[i].offset));
	if (eb->flags & I915_EXEC_NO_RELOC)
		return;
	for (unsigned int i = 0; i < nrel; i++) {
		unsigned int t = lut ? z->rel[i].target_handle : 0;

		while (!lut && t < eb->buffer_count && eo[t].handle != z->rel[i].target_handle)
			t++;
		if (t < eb->buffer_count && z->rel[i].presumed_offset != eo[t].offset)
			fz_fail(z, "relocation %u: presumed_offset %#llx written back, "
				"exec object %u is at %#llx", i, ULL(z->rel[i].presumed_offset), t,
				ULL(eo[t].offset));
	}
}

static void op_exec(struct fz *z)
{
	static const uint64_t obj_flags[] = { 0, EXEC_OBJECT_WRITE, EXEC_OBJECT_NEEDS_FENCE,
		EXEC_OBJECT_NEEDS_GTT, EXEC_OBJECT_SUPPORTS_48B_ADDRESS, EXEC_OBJECT_ASYNC,
		EXEC_OBJECT_CAPTURE, 0 };
	static const uint64_t rings[] = { I915_EXEC_DEFAULT, I915_EXEC_RENDER, I915_EXEC_BLT };
	int fdi = one_in(z, 4) ? FD_OTHER : FD_OWN;
	bool batch_first = one_in(z, 6), lut = one_in(z, 4), may_fail = false;
	uint32_t ambient = M(ENOSPC) | M(ENOMEM), defects, bsize = PAGE_SIZE << below(z, 2), batch;
	unsigned int nt = 0, want = below(z, 4), n = 0, nrel = 0, first = batch_first, bi;
	struct drm_i915_gem_execbuffer2 eb = { 0 };
	struct obj *t[3];

	for (unsigned int i = 0; i < want; i++) {
		struct obj *o = rand_obj(z, fdi);

		if (!o || same_group(t, nt, o))
			continue;
		t[nt++] = o;
		if (o->userptr || !o->known)
			ambient |= USER_ERRS;
		if (!o->known)
			ambient |= M(EINVAL);	/* may be another handle of a listed object */
	}
	bi = batch_first ? 0 : nt;
	build_batch(z, t, nt, first, &n, &nrel, &may_fail);
	batch = tmp_create(z, fdi, bsize);
	if (!batch)
		return;
	gem_rw(z, true, fdi, batch, 0, 4 * n, z->cs);
	memset(z->eo, 0, sizeof(z->eo));
	for (unsigned int i = 0; i < nt; i++) {
		z->eo[first + i].handle = t[i]->handle;
		z->eo[first + i].flags = obj_flags[below(z, ARRAY_SIZE(obj_flags))];
		if (one_in(z, 4))
			z->eo[first + i].alignment = PAGE_SIZE << below(z, 3);
	}
	z->eo[bi].handle = batch;
	z->eo[bi].relocation_count = nrel;
	z->eo[bi].relocs_ptr = (uintptr_t)z->rel;
	if (!lut)
		for (unsigned int i = 0; i < nrel; i++)
			z->rel[i].target_handle = z->eo[z->rel[i].target_handle].handle;
	eb.buffers_ptr = (uintptr_t)z->eo;
	eb.buffer_count = nt + 1;
	eb.flags = rings[below(z, 3)] | (lut ? I915_EXEC_HANDLE_LUT : 0) |
		   (batch_first ? I915_EXEC_BATCH_FIRST : 0) |
		   (one_in(z, 8) ? I915_EXEC_NO_RELOC : 0);
	if (one_in(z, 2))
		eb.batch_len = (4 * n + 7) & ~7u;
	defects = exec_defect(z, &eb, fdi, nrel, bi, first, bsize, lut);
	/* Exec fences on a well-formed call: wait for the last out-fence, make a new one. */
	if (!defects && z->fence && one_in(z, 4)) {
		eb.flags |= I915_EXEC_FENCE_IN;
		eb.rsvd2 = (uint32_t)(z->fence - 1);
	}
	if (!defects && one_in(z, 4))
		eb.flags |= I915_EXEC_FENCE_OUT;
	if (!fz_ioctl(z, I_EXECBUF, z->fd[fdi], DRM_IOCTL_I915_GEM_EXECBUFFER2_WR, &eb,
		      expect(defects, ambient | (eb.flags & I915_EXEC_FENCE_OUT ? M(EMFILE) : 0)))) {
		if (eb.flags & I915_EXEC_FENCE_OUT) {
			int out = (int)(eb.rsvd2 >> 32), fl = fcntl(out, F_GETFD);

			if (fl < 0 || !(fl & FD_CLOEXEC))
				fz_fail(z, "FENCE_OUT returned fd %d: F_GETFD %d", out, fl);
			if (z->fence)
				close(z->fence - 1);
			z->fence = out + 1;
		}
		check_writeback(z, &eb, nrel, lut);
		if (may_fail)
			atomic_fetch_add(&failing_requests, 1);
		if (one_in(z, 3))
			wait_idle(z, fdi, batch, 0);
	}
	tmp_close(z, fdi, batch);
}

/* ======================================================================== */
/* Operations: PRIME, flink, information, unused numbers                     */
/* ======================================================================== */

/*
 * Whether a dma-buf fd is writable.  Not the export's DRM_RDWR: an object
 * keeps the dma-buf of its first export (obj->dma_buf, referenced while it
 * has handles) and drm_gem_prime_handle_to_dmabuf() hands that one out
 * again, with the access mode it was created with; the file says which.
 */
static bool buf_rdwr(struct fz *z, int dfd)
{
	int fl = fcntl(dfd, F_GETFL);

	if (fl < 0 || ((fl & O_ACCMODE) != O_RDWR && (fl & O_ACCMODE) != O_RDONLY))
		fz_fail(z, "dma-buf fd %d: F_GETFL %#x (%s)", dfd, fl,
			fl < 0 ? strerror(errno) : "neither O_RDONLY nor O_RDWR");
	return (fl & O_ACCMODE) == O_RDWR;
}

static void close_buf(struct fz *z, int i)
{
	close(z->bufs[i].fd);
	z->bufs[i] = z->bufs[--z->nr_bufs];
}

static void prime_export(struct fz *z)
{
	static const uint32_t flags[] = { 0, DRM_CLOEXEC, DRM_RDWR, DRM_CLOEXEC | DRM_RDWR,
		DRM_CLOEXEC | DRM_RDWR, 1, 0x4, ~0u };
	int fdi = pick_fdi(z);
	struct hpick p;
	struct drm_prime_handle a = { .fd = -1 };
	uint32_t defects;

	if (z->nr_bufs == MAX_BUFS)
		close_buf(z, below(z, z->nr_bufs));
	p = pick_handle(z, fdi, ENOENT);
	a.handle = p.h;
	a.flags = flags[below(z, ARRAY_SIZE(flags))];
	defects = p.defects | (a.flags & ~(DRM_CLOEXEC | DRM_RDWR) ? M(EINVAL) : 0);
	/* export gives the object its fake offset first (ENOSPC: see op_mmap) */
	if (fz_ioctl(z, I_PRIME_EXPORT, z->fd[fdi], DRM_IOCTL_PRIME_HANDLE_TO_FD, &a,
		     expect(defects, p.ambient | M(ENOMEM) | M(EMFILE) |
			    (p.ambient & USER_ERRS ? M(ENOSPC) : 0))))
		return;
	if (a.fd < 0)
		fz_fail(z, "PRIME_HANDLE_TO_FD succeeded with fd %d", a.fd);
	z->bufs[z->nr_bufs++] = (struct dmabuf){
		.fd = a.fd, .rdwr = buf_rdwr(z, a.fd), .userptr = p.k ? p.k->userptr : true,
		.known = p.k && p.k->known, .mine = p.k && p.k->mine,
		.group = p.k ? p.k->group : ++z->next_group, .tiling = p.k ? p.k->tiling : 0,
		.size = p.k ? p.k->size : (uint64_t)lseek(a.fd, 0, SEEK_END),
	};
}

static void prime_import(struct fz *z)
{
	int fdi = pick_fdi(z), dfd;
	struct dmabuf *b = NULL;
	uint32_t defects = 0;
	struct drm_prime_handle a = { 0 }, again = { 0 };

	make_room(z, 1);
	switch (below(z, 10)) {
	case 0: dfd = -1; defects = M(EBADF); break;
	case 1: dfd = 4000 + below(z, 64); defects = M(EBADF); break;
	case 2: dfd = z->fd[FD_OWN]; defects = M(EINVAL); break;	/* not a dma-buf */
	case 3: dfd = z->memfd; defects = dfd >= 0 ? M(EINVAL) : M(EBADF); break;
	default:
		if (!z->nr_bufs)
			return;
		b = &z->bufs[below(z, z->nr_bufs)];
		dfd = b->fd;
	}
	a.fd = again.fd = dfd;
	if (fz_ioctl(z, I_PRIME_IMPORT, z->fd[fdi], DRM_IOCTL_PRIME_FD_TO_HANDLE, &a,
		     expect(defects, M(ENOMEM))) || !b)
		return;
	obj_add(z, fdi, a.handle, b->size, b->userptr, b->known, b->group, b->mine);
	set_group(z, b->group, (int)b->tiling, -1);
	if (fdi == FD_SHARED) {	/* siblings can reach it there now */
		set_group(z, b->group, -1, false);
		return;
	}
	/* the fd now has a handle for this dma-buf: importing again gives it back */
	if (!fz_ioctl(z, I_PRIME_IMPORT, z->fd[fdi], DRM_IOCTL_PRIME_FD_TO_HANDLE, &again,
		      OK | M(ENOMEM)) && again.handle != a.handle)
		fz_fail(z, "importing dma-buf fd %d twice gave handles %u and %u", dfd, a.handle,
			again.handle);
}

/*
 * mmap() of a dma-buf: do_mmap (a shared writable mapping of a read-only
 * file: EACCES), dma_buf_mmap_internal (past the buffer's size: EINVAL),
 * drm_gem_prime_mmap -> funcs->mmap (vi915_gem_mmap_setup: a private
 * writable mapping, EINVAL).  Our exports' dma-buf files have the DRM anon
 * inode's mapping (drm_gem_dmabuf_export) and the object got its fake offset
 * at export, so mmap.rs `check` sees a device-file mapping: a userptr's
 * dma-buf mmap succeeds like its GTT mmap (README, uAPI table) and faults
 * the same way (SIGBUS when its pages cannot be had).
 */
static void dmabuf_mmap(struct fz *z)
{
	struct dmabuf *b;
	size_t full, len;
	int prot = one_in(z, 4) ? PROT_READ : PROT_RW, flags = MAP_SHARED, i;
	uint32_t defects = 0, ambient = M(ENOMEM);

	if (!z->nr_bufs)
		return;
	b = &z->bufs[below(z, z->nr_bufs)];
	full = b->size < MAP_MAX ? (b->size + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1) : MAP_MAX;
	len = full ? full : PAGE_SIZE;
	switch (below(z, 6)) {
	case 0: len = PAGE_SIZE; break;
	case 1: if (b->size < MAP_MAX) { len = full + PAGE_SIZE; defects |= M(EINVAL); } break;
	case 2: flags = MAP_PRIVATE; prot = PROT_RW; defects |= M(EINVAL); break;
	}
	if (!b->rdwr && (prot & PROT_WRITE) && flags == MAP_SHARED)
		defects |= M(EACCES);
	i = free_map(z);
	map_at(z, i, len, prot, flags, b->fd, 0, expect(defects, ambient), b->known && !b->userptr);
}

static void dmabuf_sync(struct fz *z)
{
	static const uint64_t flags[] = { DMA_SYNC_READ, DMA_SYNC_WRITE,
		DMA_SYNC_READ | DMA_SYNC_WRITE, DMA_SYNC_READ | DMA_SYNC_END,
		DMA_SYNC_WRITE | DMA_SYNC_END, DMA_SYNC_READ | DMA_SYNC_WRITE | DMA_SYNC_END,
		0, DMA_SYNC_END, 8 };
	struct vi_dma_buf_sync s;
	struct dmabuf *b;
	bool valid;

	if (!z->nr_bufs)
		return;
	b = &z->bufs[below(z, z->nr_bufs)];
	s.flags = flags[below(z, ARRAY_SIZE(flags))];
	/* dma_buf_ioctl: flags, then a direction; no access-mode check */
	valid = !(s.flags & ~7ull) && (s.flags & 3);
	fz_ioctl(z, I_DMABUF_SYNC, b->fd, VI_DMA_BUF_IOCTL_SYNC, &s, valid ? OK : M(EINVAL));
}

static void op_prime(struct fz *z)
{
	switch (below(z, 8)) {
	case 0: case 1: prime_export(z); break;
	case 2: case 3: prime_import(z); break;
	case 4: case 5: dmabuf_mmap(z); break;
	case 6: dmabuf_sync(z); break;
	default: if (z->nr_bufs) close_buf(z, below(z, z->nr_bufs));
	}
}

static void op_flink(struct fz *z)
{
	int fdi = pick_fdi(z);

	if (one_in(z, 2)) {
		struct hpick p = pick_handle(z, fdi, ENOENT);
		struct drm_gem_flink a = { .handle = p.h }, again = { .handle = p.h };

		/* drm_gem_flink_ioctl: lookup (ENOENT), then idr_alloc (ENOMEM) */
		if (fz_ioctl(z, I_FLINK, z->fd[fdi], DRM_IOCTL_GEM_FLINK, &a,
			     auth_expect(z, fdi, expect(p.defects,
							(p.ambient & ~USER_ERRS) | M(ENOMEM)))))
			return;
		if (!a.name)
			fz_fail(z, "GEM_FLINK gave name 0");
		if (fdi != FD_SHARED &&
		    !fz_ioctl(z, I_FLINK, z->fd[fdi], DRM_IOCTL_GEM_FLINK, &again, OK) &&
		    again.name != a.name)
			fz_fail(z, "GEM_FLINK of handle %u twice gave names %u and %u", p.h,
				a.name, again.name);
		/*
		 * A flink name is global: with siblings, one still holding a stale
		 * name from the board that the kernel gave out again opens this
		 * object and may change its tiling (seen in the guest: seed
		 * 110719645635310).
		 */
		if (p.k && z->threaded)
			set_group(z, p.k->group, -1, false);
		if (p.k) {
			int i = z->nr_names < MAX_NAMES ? z->nr_names++ : (int)below(z, MAX_NAMES);

			z->names[i] = (struct flink_name){ a.name, p.k->group, p.k->size,
							  p.k->userptr };
		}
		return;
	}
	struct flink_name *n = z->nr_names && !one_in(z, 4) ?
			       &z->names[below(z, z->nr_names)] : NULL;
	struct drm_gem_open a = { .name = n ? n->name : one_in(z, 2) ? 0 : 0x7fffffff };

	make_room(z, 1);
	/*
	 * A name dies with its object's last handle, and obj_forget() forgets
	 * the names of a group as soon as the fuzzer's own fds hold no handle of
	 * it: a remembered name is alive (drm_gem_open_ioctl: idr_find, ENOENT
	 * for 0 and for names never given).
	 */
	/*
	 * ENOENT is accepted for a remembered name too: the bookkeeping of
	 * which fd still holds a handle of the group is not exact across the
	 * unprivileged child's fds (seen in the guest: seed 106621250013667).
	 */
	if (fz_ioctl(z, I_OPEN, z->fd[fdi], DRM_IOCTL_GEM_OPEN, &a,
		     auth_expect(z, fdi, expect(n ? 0 : M(ENOENT), M(ENOMEM) | M(ENOENT)))) || !n)
		return;
	new_handle(z, fdi, a.handle, "GEM_OPEN");
	if (a.size != n->size) {
		/*
		 * The same inexact bookkeeping the other way round: the named
		 * object died unnoticed and the name, freed with it, now names
		 * another object (seen in the threaded fuzzer: seed
		 * 110815651897458). Forget the name; the handle is of an object
		 * this fuzzer knows nothing about.
		 */
		*n = z->names[--z->nr_names];
		obj_add(z, fdi, a.handle, a.size, false, false, 0, false);
		return;
	}
	/*
	 * With siblings, the same size proves nothing: they flink objects of
	 * the same few sizes all the time, userptrs among them, and a name
	 * freed unnoticed is given to one of those (SET_CACHING on a handle the
	 * table took for a GEM_CREATE object answered ENXIO, a userptr's answer:
	 * seed 110899807934981). The handle is of an object of unknown kind.
	 */
	if (z->threaded) {
		obj_add(z, fdi, a.handle, a.size, false, false, 0, false);
		return;
	}
	obj_add(z, fdi, a.handle, a.size, n->userptr, true, n->group, true);
}

static void info_getparam(struct fz *z)
{
	static const int known[] = { 4, 5, 6, 9, 10, 11, 12, 17, 18, 19, 20, 22, 23, 25, 26, 30,
		31, 35, 37, 40, 41, 43, 44, 45, 48, 49, 50, 52, 53, 55, 56 };
	static const int unknown[] = { 0, 1, 2, 3, 7, 8, 54, 57, 1000, -1, (int)0x80000000 };
	int value = -1, cls = P_GOOD, param;
	uint32_t defects = 0, ambient = 0;
	struct drm_i915_getparam gp;

	switch (below(z, 10)) {
	case 7: param = 33 + below(z, 2); defects |= M(ENODEV); break;	/* SUBSLICE, EU */
	case 8: param = unknown[below(z, ARRAY_SIZE(unknown))]; defects |= M(EINVAL); break;
	default: param = known[below(z, ARRAY_SIZE(known))];
	}
	gp.param = param;
	gp.value = one_in(z, 8) ? (int *)(uintptr_t)pick_ptr(z, 4, true, &cls) : &value;
	ptr_expect(cls, 4, &defects, &ambient);
	if (fz_ioctl(z, I_GETPARAM, z->fd[FD_OWN], DRM_IOCTL_I915_GETPARAM, &gp,
		     expect(defects, ambient)) || gp.value != &value)
		return;
	if ((param == I915_PARAM_CHIPSET_ID && value != 0x1912) || value < 0 ||
	    (param == I915_PARAM_HAS_BLT && value != 1) ||
	    (param == I915_PARAM_HAS_USERPTR_PROBE && value != 1) ||
	    (param == I915_PARAM_HAS_EXEC_SOFTPIN && value != 1))
		fz_fail(z, "GETPARAM(%d) = %d", param, value);
}

struct qspec { int32_t len; uint32_t flags; int cls; bool dirty; };

/* Is got what item i (query id, as sent in s) must come back with? */
static bool query_item_ok(uint64_t id, const struct qspec *s, int32_t got)
{
	int32_t total = id == DRM_I915_QUERY_MEMORY_REGIONS ? 16 + 88 :
			id == DRM_I915_QUERY_ENGINE_INFO ? 16 + 56 : 0;

	if (!total)
		return got == (id >= 1 && id <= 7 ? -ENODEV : -EINVAL);
	if (s->flags)
		return got == -EINVAL;
	if (!s->len)
		return got == total;
	if ((uint32_t)s->len < (uint32_t)total)	/* i915 compares unsigned: -1 is huge */
		return got == -EINVAL;
	if (s->cls == P_BAD)
		return got == -EFAULT;
	if (s->cls == P_MAYBE)
		return got == total || got == -EFAULT || got == -EINVAL;
	return got == (s->dirty ? -EINVAL : total);
}

static void info_query(struct fz *z)
{
	static const uint64_t ids[] = { DRM_I915_QUERY_MEMORY_REGIONS, DRM_I915_QUERY_ENGINE_INFO,
		DRM_I915_QUERY_MEMORY_REGIONS, DRM_I915_QUERY_ENGINE_INFO, 1, 3, 5, 6, 7, 8, 99,
		1ull << 40 };
	static const int32_t lens[] = { 0, 0, 104, 72, 256, 4096, 16, 103, -1 };
	struct drm_i915_query q = { 0 };
	struct qspec s[4];
	bool zero_id = false, bad_items = false;
	unsigned int n = 1 + below(z, 3);
	uint32_t exp;

	memset(z->qitems, 0, sizeof(z->qitems));
	for (unsigned int i = 0; i < n; i++) {
		struct drm_i915_query_item *it = &z->qitems[i];
		uint8_t *area = z->scratch + SCRATCH_BYTES - (i + 1) * 8192;

		it->query_id = ids[below(z, ARRAY_SIZE(ids))];
		s[i] = (struct qspec){ lens[below(z, ARRAY_SIZE(lens))], one_in(z, 8), P_GOOD,
				       one_in(z, 10) };
		it->length = s[i].len;
		it->flags = s[i].flags;
		memset(area, 0, 16);
		if (s[i].dirty)
			area[below(z, 16)] = 1;
		it->data_ptr = (uintptr_t)area;
		if (one_in(z, 6)) {
			it->data_ptr = pick_ptr(z, s[i].len > 0 ? s[i].len : 0, true, &s[i].cls);
			if (s[i].cls == P_GOOD)
				s[i].cls = P_MAYBE;	/* its header need not be zero */
		}
		if (one_in(z, 24)) {
			it->query_id = 0;
			zero_id = true;
		}
	}
	q.num_items = n;
	q.items_ptr = (uintptr_t)z->qitems;
	if (one_in(z, 12)) {
		q.items_ptr = bad_ptr(z);
		bad_items = true;
	}
	if (one_in(z, 16))
		q.flags = 1;
	if (one_in(z, 16))
		q.num_items = one_in(z, 2) ? 0 : 4097;
	/*
	 * query.rs `query`, in order: flags or more than MAX_ITEMS items:
	 * EINVAL; then item by item (none when num_items is 0: success, whatever
	 * items_ptr and the items are): an unreadable item EFAULT, query id 0
	 * EINVAL; any other per-item error goes into the item's length.
	 */
	if (q.flags || q.num_items > 4096)
		exp = M(EINVAL);
	else if (!q.num_items)
		exp = OK;
	else if (bad_items)
		exp = M(EFAULT);
	else
		exp = zero_id ? M(EINVAL) : OK;
	if (fz_ioctl(z, I_QUERY, z->fd[FD_OWN], DRM_IOCTL_I915_QUERY, &q, exp) ||
	    q.items_ptr != (uintptr_t)z->qitems)
		return;
	for (unsigned int i = 0; i < q.num_items; i++)
		if (!query_item_ok(z->qitems[i].query_id, &s[i], z->qitems[i].length))
			fz_fail(z, "QUERY item %u (id %llu, length %d, flags %u): "
				"came back with length %d", i, ULL(z->qitems[i].query_id), s[i].len,
				s[i].flags,
				z->qitems[i].length);
}

static void info_misc(struct fz *z)
{
	switch (below(z, 4)) {
	case 0: {
		struct drm_i915_gem_context_param a = { .param = I915_CONTEXT_PARAM_GTT_SIZE };
		uint32_t defects = 0;

		if (one_in(z, 6)) {
			a.ctx_id = 0xffffff00u + below(z, 100);
			defects |= M(ENOENT);
		}
		if (one_in(z, 5)) {
			/* removed, unknown (0xe on: nothing vi915 keeps) */
			a.param = one_in(z, 2) ? below(z, 3) : 0xe + below64(z, ~0ull - 0xe);
			defects |= M(EINVAL);
		}
		if (!fz_ioctl(z, I_CTX_GETPARAM, z->fd[FD_OWN],
			      DRM_IOCTL_I915_GEM_CONTEXT_GETPARAM, &a, expect(defects, 0)) &&
		    (a.value != GGTT_BYTES || a.size))
			fz_fail(z, "CONTEXT_GETPARAM(GTT_SIZE) = %#llx (size %u)",
				ULL(a.value), a.size);
		break;
	}
	case 1: {
		struct drm_i915_gem_get_aperture a;

		memset(&a, 0xa5, sizeof(a));
		fz_ioctl(z, I_APERTURE, z->fd[FD_OWN], DRM_IOCTL_I915_GEM_GET_APERTURE, &a, OK);
		if (a.aper_size != GGTT_BYTES || a.aper_available_size > a.aper_size)
			fz_fail(z, "GET_APERTURE: size %#llx, available %#llx",
				ULL(a.aper_size), ULL(a.aper_available_size));
		break;
	}
	case 2:
		fz_ioctl(z, I_THROTTLE, z->fd[pick_fdi(z)], DRM_IOCTL_I915_GEM_THROTTLE, NULL, OK);
		break;
	default: {
		static const size_t lens[] = { 0, 1, 4, 64 };
		char name[64] = "", date[64], desc[128];
		struct drm_version v = { .date = date, .desc = desc };
		uint32_t defects = 0, ambient = 0;
		int cls = P_GOOD;

		size_t asked = v.name_len = lens[below(z, ARRAY_SIZE(lens))];

		v.name = name;
		if (one_in(z, 6))
			v.name = (char *)(uintptr_t)pick_ptr(z, v.name_len, true, &cls);
		ptr_expect(cls, v.name_len, &defects, &ambient);
		v.date_len = one_in(z, 2) ? sizeof(date) : 0;
		v.desc_len = one_in(z, 2) ? sizeof(desc) : 0;
		if (fz_ioctl(z, I_VERSION, z->fd[FD_OWN], DRM_IOCTL_VERSION, &v,
			     expect(defects, ambient)))
			break;
		if (v.name_len != 4 || (v.name == name && asked >= 4 && memcmp(name, "i915", 4)))
			fz_fail(z, "VERSION: name_len %zu, name \"%.4s\"", v.name_len, name);
	}
	}
}

static void op_info(struct fz *z)
{
	switch (below(z, 5)) {
	case 0: case 1: info_getparam(z); break;
	case 2: case 3: info_query(z); break;
	default: info_misc(z);
	}
}

/*
 * GEM contexts: CONTEXT_CREATE(_EXT) with at most one defect (an unknown
 * flag, an unreadable or bad SETPARAM extension), then on the new context a
 * SETPARAM, a GETPARAM, an execbuf of an end batch and DESTROY twice.
 */
static void op_context(struct fz *z)
{
	struct vi_context_param_engines map = { 0 };
	struct {
		struct i915_user_extension base;
		struct drm_i915_gem_context_param p;
	} e = { 0 };
	struct drm_i915_gem_context_create_ext c = { 0 };
	struct drm_i915_gem_context_destroy d = { 0 };
	struct drm_i915_gem_context_param p = { 0 };
	int dev = z->fd[FD_OWN];
	uint32_t defects = 0;
	bool with_map = false;

	map.engines[0] = (struct i915_engine_class_instance){ I915_ENGINE_CLASS_COPY, 0 };
	if (one_in(z, 2)) {
		c.flags = I915_CONTEXT_CREATE_FLAGS_USE_EXTENSIONS;
		c.extensions = (uintptr_t)&e;
		switch (below(z, 8)) {
		case 0: e.p.param = I915_CONTEXT_PARAM_ENGINES; e.p.value = (uintptr_t)&map;
			e.p.size = 8 + 4; with_map = true; break;
		case 1: e.p.param = I915_CONTEXT_PARAM_RECOVERABLE; break;
		case 2: e.p.param = I915_CONTEXT_PARAM_PRIORITY; defects = M(ENODEV); break;
		case 3: e.p.param = 0x100 + below(z, 1000); defects = M(EINVAL); break;
		case 4: e.p.ctx_id = 1 + below(z, 9); e.p.param = I915_CONTEXT_PARAM_BANNABLE;
			e.p.value = 1; defects = M(EINVAL); break;
		case 5: c.extensions = bad_ptr(z); defects = M(EFAULT); break;
		case 6: e.base.name = 1 + below(z, 4); defects = M(EINVAL); break;
		default: e.p.param = I915_CONTEXT_PARAM_BANNABLE; e.p.value = 1;
		}
	} else if (one_in(z, 8)) {
		c.flags = 1u << (2 + below(z, 30));
		defects = M(EINVAL);
	}
	if (fz_ioctl(z, I_CTX_CREATE, dev, DRM_IOCTL_I915_GEM_CONTEXT_CREATE_EXT, &c,
		     expect(defects, M(ENOMEM))))
		return;
	if (!c.ctx_id)
		fz_fail(z, "CONTEXT_CREATE gave context 0");
	p.ctx_id = c.ctx_id;
	p.param = one_in(z, 2) ? I915_CONTEXT_PARAM_NO_ERROR_CAPTURE : I915_CONTEXT_PARAM_RECOVERABLE;
	p.value = below(z, 2);
	fz_ioctl(z, I_CTX_SETPARAM, dev, DRM_IOCTL_I915_GEM_CONTEXT_SETPARAM, &p, OK);
	p.param = I915_CONTEXT_PARAM_GTT_SIZE;
	if (!fz_ioctl(z, I_CTX_GETPARAM, dev, DRM_IOCTL_I915_GEM_CONTEXT_GETPARAM, &p, OK) &&
	    p.value != GGTT_BYTES)
		fz_fail(z, "CONTEXT_GETPARAM(%u, GTT_SIZE) = %#llx", c.ctx_id, ULL(p.value));
	if (one_in(z, 2)) {
		uint32_t cs[2] = { MI_BATCH_BUFFER_END, 0 }, h;
		struct drm_i915_gem_exec_object2 o = { 0 };
		struct drm_i915_gem_execbuffer2 eb = {
			.buffers_ptr = (uintptr_t)&o, .buffer_count = 1, .rsvd1 = c.ctx_id,
			.flags = with_map ? 0 : I915_EXEC_BLT,
		};

		if (!__gem_create(dev, 4096, &h)) {
			__gem_pwrite(dev, h, 0, cs, sizeof(cs));
			o.handle = h;
			fz_ioctl(z, I_EXECBUF, dev, DRM_IOCTL_I915_GEM_EXECBUFFER2, &eb,
				 OK | M(ENOMEM));
			if (with_map) {	/* index 1 is past the map */
				eb.flags = 1;
				fz_ioctl(z, I_EXECBUF, dev, DRM_IOCTL_I915_GEM_EXECBUFFER2, &eb,
					 M(EINVAL));
			}
			__gem_close(dev, h);
		}
	}
	d.ctx_id = c.ctx_id;
	fz_ioctl(z, I_CTX_DESTROY, dev, DRM_IOCTL_I915_GEM_CONTEXT_DESTROY, &d, OK);
	fz_ioctl(z, I_CTX_DESTROY, dev, DRM_IOCTL_I915_GEM_CONTEXT_DESTROY, &d, M(ENOENT));
}

/* Driver ioctl numbers vi915 does not serve (GEM_MADVISE, ...): EINVAL. */
static void op_unknown(struct fz *z)
{
	static const uint8_t served[] = { 0x06, 0x17, 0x18, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f, 0x21,
		0x22, 0x23, 0x24, 0x26, 0x29, 0x2c, 0x2d, 0x2e, 0x2f, 0x30, 0x33, 0x34, 0x35, 0x39, 0x3c };
	static const unsigned int sizes[] = { 0, 16, 64 };
	unsigned int nr, size = sizes[below(z, 3)];
	bool taken;

	do {
		nr = below(z, 0x60);
		taken = memchr(served, nr, sizeof(served)) != NULL;
	} while (taken);
	fz_ioctl(z, I_UNKNOWN, z->fd[FD_OWN], _IOC(size ? _IOC_READ | _IOC_WRITE : _IOC_NONE,
						   DRM_IOCTL_BASE, DRM_COMMAND_BASE + nr, size),
		 z->scratch, M(EINVAL));
}

/* ======================================================================== */
/* Operations: the memory under the userptrs                                 */
/* ======================================================================== */

static bool is_mappable(const struct obj *o) { return o->known && o->fdi != FD_SHARED; }

/* A GTT mmap placed with MAP_FIXED over slot s (a VM_PFNMAP range for userptrs). */
static void map_gtt_fixed(struct fz *z, int s)
{
	struct obj *o = rand_obj_if(z, -1, is_mappable);
	struct drm_i915_gem_mmap_gtt a = { 0 };
	uint8_t *p = slot_addr(z, s);
	unsigned int np;
	int err;

	if (!o)
		return;
	a.handle = o->handle;
	if (fz_ioctl(z, I_MMAP_GTT, z->fd[o->fdi], DRM_IOCTL_I915_GEM_MMAP_GTT, &a,
		     OK | M(ENOMEM) | (o->userptr ? M(ENOSPC) : 0)))
		return;
	np = o->size / PAGE_SIZE < SLOT_PAGES - 1 ? o->size / PAGE_SIZE : SLOT_PAGES - 1;
	err = mmap(p, np * PAGE_SIZE, PROT_RW, MAP_SHARED | MAP_FIXED, z->fd[o->fdi],
		   (off_t)a.offset) == MAP_FAILED ? errno : 0;
	record(z, I_MMAP, err, OK | M(ENOMEM));
	if (err) {
		reserve(z, p, SLOT_BYTES);
		z->slots[s] = (struct slot){ 0 };
		return;
	}
	reserve(z, p + np * PAGE_SIZE, SLOT_BYTES - np * PAGE_SIZE);
	z->slots[s] = (struct slot){ SLOT_GTT, PROT_RW, np };
}

/* mremap: move slot s's region to slot j, or shrink it in place. */
static void remap_slot(struct fz *z, int s, int j, bool move)
{
	struct slot *sl = &z->slots[s];
	uint8_t *p = slot_addr(z, s), *q = slot_addr(z, j);
	size_t len = sl->npages * PAGE_SIZE;
	unsigned int np;

	if (!move) {
		if (sl->npages < 2)
			return;
		np = 1 + below(z, sl->npages - 1);
		if (mremap(p, len, np * PAGE_SIZE, 0) == MAP_FAILED)
			return;	/* e.g. a MIXED region spans several VMAs */
		reserve(z, p + np * PAGE_SIZE, len - np * PAGE_SIZE);
		sl->npages = np;
		return;
	}
	if (!len || j == s)
		return;
	if (mremap(p, len, len, MREMAP_MAYMOVE | MREMAP_FIXED, q) == MAP_FAILED) {
		reserve(z, q, SLOT_BYTES);	/* the target may be gone already */
		z->slots[j] = (struct slot){ 0 };
		return;
	}
	reserve(z, q + len, SLOT_BYTES - len);
	z->slots[j] = *sl;
	reserve(z, p, len);
	*sl = (struct slot){ 0 };
}

static void op_mm(struct fz *z)
{
	static const int advice[] = { MADV_DONTNEED, MADV_PAGEOUT, MADV_COLD, MADV_WILLNEED,
		MADV_FREE };
	static const int prots[] = { PROT_READ, PROT_NONE, PROT_RW };
	int s = below(z, NR_SLOTS), j = below(z, NR_SLOTS), prot;
	struct slot *sl = &z->slots[s];
	uint8_t *p = slot_addr(z, s);
	unsigned int a = below(z, sl->npages), b = a + 1 + below(z, sl->npages - a);

	z->nr_mm++;
	switch (below(z, 10)) {
	case 0: case 1:	/* mmap(MAP_FIXED) over whatever is there */
		map_anon(z, s, 1 + below(z, SLOT_PAGES - 1), one_in(z, 3));
		break;
	case 2:
		if (!sl->npages)
			break;
		if (munmap(p + a * PAGE_SIZE, (b - a) * PAGE_SIZE))
			fz_fail(z, "munmap of slot %d: %s", s, strerror(errno));
		reserve(z, p + a * PAGE_SIZE, (b - a) * PAGE_SIZE);
		if (a == 0 && b == sl->npages)
			*sl = (struct slot){ 0 };
		else
			sl->kind = SLOT_MIXED;
		break;
	case 3:
		map_gtt_fixed(z, s);
		break;
	case 4:
		prot = prots[below(z, ARRAY_SIZE(prots))];
		if (sl->npages && !mprotect(p, sl->npages * PAGE_SIZE, prot))
			sl->prot = prot;
		break;
	case 5: case 6:	/* errors (MADV_FREE of shared memory, ...) do not matter */
		if (sl->npages)
			madvise(p + a * PAGE_SIZE, (b - a) * PAGE_SIZE,
				advice[below(z, ARRAY_SIZE(advice))]);
		break;
	case 7: remap_slot(z, s, j, true); break;
	case 8: remap_slot(z, s, j, false); break;
	default:	/* fault every page back in */
		for (unsigned int i = 0; i < sl->npages; i++)
			touch((uint32_t *)(p + i * PAGE_SIZE), sl->kind != SLOT_GTT, i, NULL);
	}
}

static void op_touch(struct fz *z)
{
	bool write = one_in(z, 2);
	uint32_t v = (uint32_t)rnd(z);
	unsigned int r = below(z, 8);
	struct map *m = rand_map(z);
	uint8_t *p;
	int sig;

	if (r < 3 && m) {
		p = m->addr + 4 * below64(z, m->len / 4);
		sig = touch((volatile uint32_t *)p, write && (m->prot & PROT_WRITE), v, NULL);
		if (sig && m->gem)
			fz_fail(z, "touching an mmap of a GEM_CREATE object raised signal %d (%s)",
				sig, strsignal(sig));
		return;
	}
	if (r == 7 && z->memfd >= 0) {	/* /proc/self/mem: the driver's vm_ops->access */
		uint64_t buf, addr = (uintptr_t)slot_addr(z, below(z, NR_SLOTS)) +
				     8 * below(z, SLOT_BYTES / 8);

		if (m && one_in(z, 2))
			addr = (uintptr_t)m->addr + 8 * below64(z, m->len / 8);

		if (pread(z->memfd, &buf, sizeof(buf), (off_t)addr) < 0) {
			/* EIO for a hole or a userptr whose pages need the worker */
		}
		return;
	}
	if (r == 6 && board.arena)
		p = board.arena + 4 * below(z, NR_BOARD_SLOTS * SLOT_BYTES / 4);
	else
		p = slot_addr(z, below(z, NR_SLOTS)) + 4 * below(z, SLOT_BYTES / 4);
	touch((volatile uint32_t *)p, write, v, NULL);
}

/* ---- fork: a child that touches and exits, or exits holding objects ------ */

static bool wait_kid(struct fz *z, pid_t pid, bool block)
{
	double t0 = vi_now();
	int st;

	for (;;) {
		pid_t w = waitpid(pid, &st, WNOHANG);

		if (w == pid)
			break;
		if (w < 0 && errno != EINTR)
			fz_fail(z, "waitpid(%d): %s", pid, strerror(errno));
		if (!block)
			return false;
		if (vi_now() - t0 > HANG_SECONDS) {
			kill(pid, SIGKILL);
			fz_fail(z, "forked child %d still running after %.0f s", pid, HANG_SECONDS);
		}
		usleep(2000);
	}
	if (WIFSIGNALED(st))
		fz_fail(z, "forked child %d killed by signal %d (%s)", pid, WTERMSIG(st),
			strsignal(WTERMSIG(st)));
	if (WEXITSTATUS(st))
		fz_fail(z, "forked child %d exited with status %d", pid, WEXITSTATUS(st));
	return true;
}

static void reap_kids(struct fz *z, bool all)
{
	for (int i = 0; i < z->nr_kids; )
		if (wait_kid(z, z->kids[i], all))
			z->kids[i] = z->kids[--z->nr_kids];
		else
			i++;
}

/* Child: read and copy-on-write its memory, poke the inherited handles, exit. */
static void __attribute__((noreturn)) child_touch(struct fz *z)
{
	z->rng ^= 0x6a09e667f3bcc908ull;
	for (unsigned int k = 1 + below(z, 6); k; k--) {
		int s = below(z, NR_SLOTS);
		const struct slot *sl = &z->slots[s];
		uint32_t *p = (uint32_t *)(slot_addr(z, s) + 4 * below(z, SLOT_BYTES / 4));
		struct map *m = rand_map(z);
		struct obj *o = rand_obj(z, FD_OWN);
		struct drm_i915_gem_busy b = { .handle = o ? o->handle : 0 };
		struct drm_i915_gem_wait w = { .bo_handle = b.handle, .timeout_ns = MS };

		switch (below(z, 5)) {
		case 0: if (m) touch((volatile uint32_t *)m->addr, false, 0, NULL); break;
		case 1: touch(p, sl->kind == SLOT_PRIVATE, k, NULL); break;	/* COW only */
		case 2: ioctl(z->fd[FD_OWN], DRM_IOCTL_I915_GEM_BUSY, &b); break;
		case 3: ioctl(z->fd[FD_OWN], DRM_IOCTL_I915_GEM_WAIT, &w); break;
		default:
			if (sl->npages)
				madvise(slot_addr(z, s), sl->npages * PAGE_SIZE, MADV_DONTNEED);
		}
	}
	if (one_in(z, 2))
		usleep(1000 * below(z, 20));
	_exit(0);
}

/* Child: a store into a userptr of its own memory, in flight when it exits. */
static void child_store(int dev, uint32_t target)
{
	uint32_t cs[6] = { MI_STORE_DWORD_IMM | 2, 0, 0, 0xc0ffee, MI_BATCH_BUFFER_END, MI_NOOP };
	struct drm_i915_gem_relocation_entry rel = { .target_handle = target, .offset = 4,
		.read_domains = I915_GEM_DOMAIN_RENDER, .write_domain = I915_GEM_DOMAIN_RENDER };
	struct drm_i915_gem_exec_object2 eo[2] = { { .handle = target, .flags = EXEC_OBJECT_WRITE },
		{ .relocation_count = 1, .relocs_ptr = (uintptr_t)&rel } };
	struct drm_i915_gem_execbuffer2 eb = { .buffers_ptr = (uintptr_t)eo, .buffer_count = 2,
		.flags = I915_EXEC_BLT };
	struct drm_i915_gem_create c = { .size = PAGE_SIZE };
	struct drm_i915_gem_pwrite pw = { .size = sizeof(cs), .data_ptr = (uintptr_t)cs };
	struct drm_gem_close cl;

	if (ioctl(dev, DRM_IOCTL_I915_GEM_CREATE, &c))
		return;
	pw.handle = eo[1].handle = cl.handle = c.handle;
	if (!ioctl(dev, DRM_IOCTL_I915_GEM_PWRITE, &pw))
		ioctl(dev, DRM_IOCTL_I915_GEM_EXECBUFFER2, &eb);
	ioctl(dev, DRM_IOCTL_GEM_CLOSE, &cl);
}

/*
 * Child: objects on the inherited fd (so the parent holds them after the
 * exit): userptrs of its own copy of private memory, maybe busy, and a GEM
 * object it mapped.  Each handle is reported on out as soon as it exists.
 */
static void __attribute__((noreturn)) child_orphans(struct fz *z, int out)
{
	int dev = z->fd[FD_OWN];

	z->rng ^= 0xbb67ae8584caa73bull;
	for (unsigned int k = 1 + below(z, 3); k; k--) {
		struct drm_i915_gem_userptr u = { 0 };
		struct orphan rec = { 0 };
		int s = rw_slot(z);

		if (k == 1 && one_in(z, 2)) {
			struct drm_i915_gem_create c = { .size = PAGE_SIZE << below(z, 4) };
			struct drm_i915_gem_mmap_gtt m = { 0 };
			void *p;

			if (ioctl(dev, DRM_IOCTL_I915_GEM_CREATE, &c))
				continue;
			rec = (struct orphan){ c.handle, 0, c.size };
			if (write(out, &rec, sizeof(rec)) != sizeof(rec))
				_exit(3);
			m.handle = c.handle;
			if (ioctl(dev, DRM_IOCTL_I915_GEM_MMAP_GTT, &m))
				continue;
			p = mmap(NULL, PAGE_SIZE, PROT_RW, MAP_SHARED, dev, (off_t)m.offset);
			if (p != MAP_FAILED)
				touch(p, true, 1, NULL);	/* dies with the child */
			continue;
		}
		if (s >= 0 && z->slots[s].kind == SLOT_PRIVATE) {
			u.user_ptr = (uintptr_t)slot_addr(z, s);
			u.user_size = (1 + below(z, z->slots[s].npages)) * PAGE_SIZE;
		} else {
			u.user_ptr = (uintptr_t)z->scratch + below(z, 64) * PAGE_SIZE;
			u.user_size = (1 + below(z, 8)) * PAGE_SIZE;
		}
		memset((void *)(uintptr_t)u.user_ptr, (int)k, u.user_size);	/* its copies */
		u.flags = !z->unpriv && one_in(z, 4) ? I915_USERPTR_UNSYNCHRONIZED : 0;
		if (ioctl(dev, DRM_IOCTL_I915_GEM_USERPTR, &u))
			continue;
		rec = (struct orphan){ u.handle, 1, u.user_size };
		if (write(out, &rec, sizeof(rec)) != sizeof(rec))
			_exit(3);
		if (one_in(z, 2))
			child_store(dev, u.handle);
	}
	_exit(0);
}

static void op_fork(struct fz *z)
{
	bool orphans = one_in(z, 2);
	struct orphan recs[8];
	size_t got = 0;
	int pfd[2] = { -1, -1 };
	double t0;
	pid_t pid;

	reap_kids(z, false);
	if (!orphans && z->nr_kids == MAX_KIDS)
		return;
	if (orphans) {
		make_room(z, 4);
		if (pipe(pfd))
			fz_fail(z, "pipe: %s", strerror(errno));
	}
	z->nr_forks++;
	pid = fork();
	if (pid < 0)
		fz_fail(z, "fork: %s", strerror(errno));
	if (pid == 0) {
		if (!orphans)
			child_touch(z);
		close(pfd[0]);
		child_orphans(z, pfd[1]);
	}
	if (!orphans) {
		z->kids[z->nr_kids++] = pid;
		return;
	}
	close(pfd[1]);
	for (t0 = vi_now(); got < sizeof(recs); ) {
		struct pollfd pf = { .fd = pfd[0], .events = POLLIN };
		ssize_t n;

		if (vi_now() - t0 > HANG_SECONDS)
			fz_fail(z, "forked child %d still busy after %.0f s", pid, HANG_SECONDS);
		if (poll(&pf, 1, 100) <= 0)
			continue;
		n = read(pfd[0], (char *)recs + got, sizeof(recs) - got);
		if (n <= 0)
			break;
		got += n;
	}
	close(pfd[0]);
	wait_kid(z, pid, true);
	for (size_t i = 0; i < got / sizeof(recs[0]); i++) {
		new_handle(z, FD_OWN, recs[i].handle, "a forked child's USERPTR / GEM_CREATE");
		obj_add(z, FD_OWN, recs[i].handle, recs[i].size, recs[i].userptr, true, 0, true);
	}
}

/* ---- the board (vi915-fuzz-threads): what the threads pass each other ---- */

/* The shared arena: mm changes nobody keeps track of, and userptrs over it. */
static void shared_mm(struct fz *z)
{
	uint8_t *p = board.arena + below(z, NR_BOARD_SLOTS) * SLOT_BYTES;
	size_t len = (1 + below(z, SLOT_PAGES - 1)) * PAGE_SIZE;
	struct drm_i915_gem_userptr u = { .user_ptr = (uintptr_t)p, .user_size = len };

	z->nr_mm++;
	switch (below(z, 5)) {
	case 0:
		if (mmap(p, len, PROT_RW, MAP_FIXED | MAP_ANONYMOUS |
			 (one_in(z, 2) ? MAP_SHARED : MAP_PRIVATE), -1, 0) == MAP_FAILED)
			reserve(z, p, len);
		break;
	case 1: munmap(p, len); reserve(z, p, len); break;
	case 2: mprotect(p, len, one_in(z, 2) ? PROT_READ : PROT_RW); break;
	case 3: madvise(p, len, one_in(z, 2) ? MADV_DONTNEED : MADV_PAGEOUT); break;
	default:
		make_room(z, 1);
		if (!fz_ioctl(z, I_USERPTR, z->fd[FD_OWN], DRM_IOCTL_I915_GEM_USERPTR, &u,
			      OK | M(ENOMEM))) {
			new_handle(z, FD_OWN, u.handle, "USERPTR");
			obj_add(z, FD_OWN, u.handle, len, true, true, 0, true);
		}
	}
}

static void op_board(struct fz *z)
{
	unsigned int i = below(z, 4);
	struct obj *o = rand_obj_if(z, FD_OWN, is_plain);
	struct drm_prime_handle ph = { .handle = o ? o->handle : 0,
				       .flags = DRM_CLOEXEC | DRM_RDWR };
	struct drm_gem_flink fl = { .handle = ph.handle };
	struct drm_gem_open op = { .name = atomic_load(&board.name[i]) };
	int dfd;

	switch (below(z, 6)) {
	case 0:	/* publish a dma-buf of one of its objects (which is then not its own) */
		if (!o || fz_ioctl(z, I_PRIME_EXPORT, z->fd[FD_OWN], DRM_IOCTL_PRIME_HANDLE_TO_FD,
				   &ph, OK | M(ENOMEM) | M(EMFILE)))
			return;
		set_group(z, o->group, -1, false);
		dfd = atomic_exchange(&board.dmabuf[i], ph.fd);
		if (dfd >= 0)
			close(dfd);
		break;
	case 1:	/* take one */
		dfd = atomic_exchange(&board.dmabuf[i], -1);
		if (dfd < 0)
			return;
		if (z->nr_bufs == MAX_BUFS)
			close_buf(z, below(z, z->nr_bufs));
		z->bufs[z->nr_bufs++] = (struct dmabuf){ .fd = dfd, .rdwr = buf_rdwr(z, dfd),
			.group = ++z->next_group, .size = (uint64_t)lseek(dfd, 0, SEEK_END) };
		break;
	case 2:	/* publish a flink name */
		if (!o || fz_ioctl(z, I_FLINK, z->fd[FD_OWN], DRM_IOCTL_GEM_FLINK, &fl,
				   auth_expect(z, FD_OWN, OK | M(ENOMEM))))
			return;
		set_group(z, o->group, -1, false);
		atomic_store(&board.name[i], fl.name);
		break;
	case 3:	/* open a published name (its object may be gone) */
		if (!op.name)
			return;
		make_room(z, 1);
		if (fz_ioctl(z, I_OPEN, z->fd[FD_OWN], DRM_IOCTL_GEM_OPEN, &op,
			     auth_expect(z, FD_OWN, OK | M(ENOENT) | M(ENOMEM))))
			return;
		new_handle(z, FD_OWN, op.handle, "GEM_OPEN");
		obj_add(z, FD_OWN, op.handle, op.size, false, false, 0, false);
		break;
	case 4:	/* an object on the shared fd, for everyone */
		make_room(z, 1);
		if ((o = create_obj(z, FD_SHARED, PAGE_SIZE << below(z, 4))))
			atomic_store(&board.handle[below(z, ARRAY_SIZE(board.handle))], o->handle);
		break;
	default:
		shared_mm(z);
	}
}

/* ======================================================================== */
/* Data checks: what one path writes, another reads                          */
/* ======================================================================== */

static void check_pwrite_pread(struct fz *z, int fdi, uint32_t h, uint64_t size)
{
	uint64_t off = below64(z, size), room = size - off;
	uint64_t len = 1 + below64(z, room < 65536 ? room : 65536);
	uint8_t *src = z->scratch, *dst = z->scratch + (1 << 20);

	fill_random(z, src, len);
	memset(dst, 0x5a, len);
	gem_rw(z, true, fdi, h, off, len, src);
	gem_rw(z, false, fdi, h, off, len, dst);
	compare(z, dst, src, len, "PWRITE then PREAD");
}

/* Through a fresh GTT mmap (its first fault waits for the engine) and back. */
static void check_gtt(struct fz *z, int fdi, uint32_t h, uint64_t size)
{
	size_t len = size < MAP_MAX ? size : MAP_MAX, stripe = len / 4 / 8;
	struct drm_i915_gem_mmap_gtt a = { .handle = h };
	uint32_t idx[8], val[8], got;
	volatile uint32_t *map;
	int i = free_map(z), sig;

	if (fz_ioctl(z, I_MMAP_GTT, z->fd[fdi], DRM_IOCTL_I915_GEM_MMAP_GTT, &a, OK | M(ENOMEM)))
		return;
	map = (volatile uint32_t *)map_at(z, i, len, PROT_RW, MAP_SHARED, z->fd[fdi],
					  a.offset, OK | M(ENOMEM), true);
	if (!map)
		return;
	for (int k = 0; k < 8; k++) {
		idx[k] = k * stripe + below(z, stripe);
		val[k] = (uint32_t)rnd(z);
		if ((sig = touch(map + idx[k], true, val[k], NULL)))
			fz_fail(z, "writing through a GTT mmap of a GEM object: signal %d", sig);
	}
	for (int k = 0; k < 8; k++) {
		gem_rw(z, false, fdi, h, 4ull * idx[k], 4, &got);
		if (got != val[k])
			fz_fail(z, "GTT mmap write then PREAD: dword %u is %#x, expected %#x",
				idx[k], got, val[k]);
	}
	for (int k = 0; k < 8; k++) {
		val[k] = (uint32_t)rnd(z);
		gem_rw(z, true, fdi, h, 4ull * idx[k], 4, &val[k]);
		if ((sig = touch(map + idx[k], false, 0, &got)) || got != val[k])
			fz_fail(z, "PWRITE then GTT mmap read: dword %u is %#x (signal %d), "
				"expected %#x",
				idx[k], got, sig, val[k]);
	}
}

static void op_check_rw(struct fz *z)
{
	struct obj *o;

	make_room(z, 1);
	o = rand_obj_if(z, -1, is_plain);
	if (!o || one_in(z, 4))
		o = create_obj(z, FD_OWN, PAGE_SIZE << below(z, 5));
	if (!o)
		return;
	if (one_in(z, 2))
		check_pwrite_pread(z, o->fdi, o->handle, o->size);
	else
		check_gtt(z, o->fdi, o->handle, o->size);
}

/* Submit z->cs (n dwords; relocations name list entries) after targets[]. */
static int submit(struct fz *z, const uint32_t *targets, unsigned int nt, unsigned int n,
		  unsigned int nrel, uint32_t ambient)
{
	struct drm_i915_gem_execbuffer2 eb = { .buffer_count = nt + 1, .flags = I915_EXEC_BLT };
	uint32_t batch = tmp_create(z, FD_OWN, PAGE_SIZE);
	int ret;

	if (!batch)
		return -ENOMEM;
	gem_rw(z, true, FD_OWN, batch, 0, 4 * n, z->cs);
	memset(z->eo, 0, sizeof(z->eo));
	for (unsigned int i = 0; i < nt; i++) {
		z->eo[i].handle = targets[i];
		z->eo[i].flags = EXEC_OBJECT_WRITE;
	}
	z->eo[nt].handle = batch;
	z->eo[nt].relocation_count = nrel;
	z->eo[nt].relocs_ptr = (uintptr_t)z->rel;
	for (unsigned int i = 0; i < nrel; i++)
		z->rel[i].target_handle = targets[z->rel[i].target_handle];
	eb.buffers_ptr = (uintptr_t)z->eo;
	eb.flags |= I915_EXEC_FENCE_OUT;
	ret = fz_ioctl(z, I_EXECBUF, z->fd[FD_OWN], DRM_IOCTL_I915_GEM_EXECBUFFER2_WR, &eb,
		       OK | ambient | M(EMFILE));	/* the out-fence needs an fd */
	if (!ret) {
		if (z->check_fence)
			close(z->check_fence - 1);
		z->check_fence = (int)(eb.rsvd2 >> 32) + 1;
	}
	tmp_close(z, FD_OWN, batch);
	return ret;
}

/* dst <- src: npages pages as rows of 4 KiB, 32 bpp, one XY_SRC_COPY_BLT. */
static int engine_copy(struct fz *z, uint32_t dst, uint32_t src, unsigned int npages,
		       uint32_t ambient)
{
	const uint32_t targets[2] = { dst, src };
	unsigned int n = 0, nrel = 0;

	emit(z, &n, SRC_COPY_32BPP);
	emit(z, &n, 3u << 24 | BLT_ROP_SRCCOPY | 4096);
	emit(z, &n, 0);
	emit(z, &n, npages << 16 | 1024);
	emit_addr(z, &n, &nrel, 0, 0, true);
	emit(z, &n, 0);
	emit(z, &n, 4096);
	emit_addr(z, &n, &nrel, 1, 0, false);
	emit(z, &n, MI_BATCH_BUFFER_END);
	emit(z, &n, MI_NOOP);
	return submit(z, targets, 2, n, nrel, ambient);
}

/*
 * The check's last request, on h, is done (GEM_WAIT answers 0, as i915's
 * does even for a failed request) and did not fail (its out-fence).  With
 * threads, a sibling's mm change (a fork) may invalidate the userptr while
 * the request is queued, and an invalidation that gives up waiting cancels
 * it (EIO): then the check is void (false).
 */
static bool expect_done(struct fz *z, uint32_t h)
{
	int status;

	wait_idle(z, FD_OWN, h, 0);
	status = vi_fence_status(z->check_fence - 1, 0);
	if (status == 1)
		return true;
	if (status != -EIO || !z->threaded)
		fz_fail(z, "a valid request of the check on handle %u: out-fence status %d after "
			"GEM_WAIT answered 0", h, status);
	return false;
}

/*
 * user memory -> fresh userptr -> engine copy -> fresh GEM object -> PREAD,
 * then PWRITE -> GEM object -> engine copy -> userptr -> user memory, then
 * MI_STORE_DWORD_IMM into both.
 */
static void op_check_engine(struct fz *z)
{
	/* with threads, a sibling's fork may cancel the request (EAGAIN after retries) */
	uint32_t ambient = M(ENOMEM) | (z->threaded ? M(EAGAIN) : 0);
	uint32_t v = (uint32_t)rnd(z), off, got, targets[2];
	struct drm_i915_gem_userptr u = { 0 };
	unsigned int np, n = 0, nrel = 0;
	uint8_t *user, *back = z->scratch;
	struct obj *g;
	size_t len;
	int s;

	make_room(z, 2);
	if ((s = rw_slot(z)) < 0) {
		s = below(z, NR_SLOTS);
		map_anon(z, s, 1 + below(z, 8), one_in(z, 2));
	}
	np = 1 + below(z, z->slots[s].npages < 8 ? z->slots[s].npages : 8);
	user = slot_addr(z, s) + below(z, z->slots[s].npages - np + 1) * PAGE_SIZE;
	len = np * PAGE_SIZE;
	fill_random(z, user, len);
	u.user_ptr = (uintptr_t)user;
	u.user_size = len;
	if (fz_ioctl(z, I_USERPTR, z->fd[FD_OWN], DRM_IOCTL_I915_GEM_USERPTR, &u, OK | M(ENOMEM)))
		return;
	new_handle(z, FD_OWN, u.handle, "USERPTR");
	obj_add(z, FD_OWN, u.handle, len, true, true, 0, true);
	if (!(g = create_obj(z, FD_OWN, len)))
		return;
	targets[0] = u.handle;
	targets[1] = g->handle;

	if (engine_copy(z, targets[1], targets[0], np, ambient) || !expect_done(z, targets[1]))
		return;
	gem_rw(z, false, FD_OWN, targets[1], 0, len, back);
	compare(z, back, user, len, "user memory -> userptr -> engine copy -> GEM object -> PREAD");

	fill_random(z, back, len);
	gem_rw(z, true, FD_OWN, targets[1], 0, len, back);
	if (engine_copy(z, targets[0], targets[1], np, ambient) || !expect_done(z, targets[0]))
		return;
	compare(z, user, back, len,
		"PWRITE -> GEM object -> engine copy -> userptr -> user memory");

	off = 4 * below(z, len / 4);
	emit(z, &n, MI_STORE_DWORD_IMM | 2);
	emit_addr(z, &n, &nrel, 0, off, true);
	emit(z, &n, v);
	emit(z, &n, MI_STORE_DWORD_IMM | 2);
	emit_addr(z, &n, &nrel, 1, off, true);
	emit(z, &n, ~v);
	emit(z, &n, MI_BATCH_BUFFER_END);
	emit(z, &n, MI_NOOP);
	if (submit(z, targets, 2, n, nrel, ambient) || !expect_done(z, targets[0]) ||
	    !expect_done(z, targets[1]))
		return;
	gem_rw(z, false, FD_OWN, targets[1], off, 4, &got);
	if (*(volatile uint32_t *)(user + off) != v || got != ~v)
		fz_fail(z, "MI_STORE_DWORD_IMM at %#x: user memory %#x (expected %#x), "
			"GEM object %#x (expected %#x)", off, *(volatile uint32_t *)(user + off), v,
			got, ~v);
}

/* ======================================================================== */
/* The run                                                                    */
/* ======================================================================== */

static const struct op {
	const char *name;
	void (*fn)(struct fz *z);
	unsigned int weight;
	bool threads_only;
} ops[] = {
	{ "gem-create", op_create, 7, false },
	{ "gem-create-ext", op_create_ext, 3, false },
	{ "userptr", op_userptr, 8, false },
	{ "gem-close", op_close, 5, false },
	{ "set-domain", op_domain, 4, false },
	{ "mmap-gtt", op_mmap, 5, false },
	{ "gem-mmap-caching", op_gem_mmap_caching, 3, false },
	{ "tiling", op_tiling, 4, false },
	{ "pread-pwrite", op_rw, 6, false },
	{ "execbuf", op_exec, 9, false },
	{ "wait-busy", op_wait_busy, 5, false },
	{ "prime", op_prime, 5, false },
	{ "flink-open", op_flink, 2, false },
	{ "info", op_info, 3, false },
	{ "unused-ioctl", op_unknown, 1, false },
	{ "context", op_context, 2, false },
	{ "touch", op_touch, 6, false },
	{ "mm", op_mm, 8, false },
	{ "fork", op_fork, 1, false },
	{ "check-rw", op_check_rw, 2, false },
	{ "check-engine", op_check_engine, 2, false },
	{ "board", op_board, 4, true },
};

static void run_one(struct fz *z)
{
	unsigned int total = 0, r;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(ops); i++)
		if (!ops[i].threads_only || z->threaded)
			total += ops[i].weight;
	r = below(z, total);
	for (i = 0; ; i++) {
		if (ops[i].threads_only && !z->threaded)
			continue;
		if (r < ops[i].weight)
			break;
		r -= ops[i].weight;
	}
	z->op = z->recent[z->nr_ops % 16] = ops[i].name;
	ops[i].fn(z);
	z->nr_ops++;
}

/* Children reaped, mappings and dma-bufs gone, every handle closed (and idle first). */
static void fz_reset(struct fz *z, bool wait)
{
	reap_kids(z, true);
	for (int i = 0; i < MAX_MAPS; i++)
		unmap_map(z, i);
	while (z->nr_bufs)
		close_buf(z, 0);
	z->nr_names = 0;
	while (z->nr_objs) {
		struct obj *o = &z->objs[z->nr_objs - 1];

		if (wait && o->fdi != FD_SHARED)
			wait_idle(z, o->fdi, o->handle, 0);
		close_obj(z, o);
	}
}

static bool fz_done(struct fz *z)
{
	return z->nr_ops >= z->max_ops || vi_now() >= z->t_end;
}

static void fz_run(struct fz *z)
{
	while (!fz_done(z)) {
		unsigned int len = 4 + below(z, 20);

		if (one_in(z, 24)) {
			z->op = z->recent[z->nr_ops % 16] = "reset";
			fz_reset(z, false);
		}
		for (unsigned int i = 0; i < len && !fz_done(z); i++)
			run_one(z);
		z->nr_seqs++;
		reap_kids(z, false);
	}
	z->op = z->recent[z->nr_ops % 16] = "teardown";
	fz_reset(z, true);
}

static void *fz_thread(void *arg)
{
	fz_run(arg);
	return NULL;
}

static struct fz *fz_new(int id, uint64_t seed, const int fds[NR_FDS], bool unpriv, bool threaded,
			 double t_end, uint64_t max_ops)
{
	struct fz *z = mmap(NULL, sizeof(*z), PROT_RW, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	CHECK(z != MAP_FAILED);
	z->id = id;
	z->seed = z->rng = seed;
	memcpy(z->fd, fds, sizeof(z->fd));
	z->unpriv = unpriv;
	z->threaded = threaded;
	z->t_end = t_end;
	z->max_ops = max_ops ? max_ops : 1;
	z->op = "init";
	for (int i = 0; i < 16; i++)
		z->recent[i] = "-";
	z->arena = reserve_new(NR_SLOTS * SLOT_BYTES + GUARD_BYTES);
	z->maparea = reserve_new(MAX_MAPS * MAP_SLOT);
	z->scratch = reserve_new(SCRATCH_BYTES + GUARD_BYTES);
	CHECK(mprotect(z->scratch, SCRATCH_BYTES, PROT_RW) == 0);
	z->memfd = open("/proc/self/mem", O_RDONLY | O_CLOEXEC);
	for (int s = 0; s < NR_SLOTS / 2; s++)
		map_anon(z, s, 1 + below(z, SLOT_PAGES - 1), s & 1);
	return z;
}

static void fz_free(struct fz *z)
{
	munmap(z->arena, NR_SLOTS * SLOT_BYTES + GUARD_BYTES);
	munmap(z->maparea, MAX_MAPS * MAP_SLOT);
	munmap(z->scratch, SCRATCH_BYTES + GUARD_BYTES);
	for (int i = 0; i < NR_FDS; i++)
		if (z->opened[i])
			close(z->fd[i]);
	if (z->memfd >= 0)
		close(z->memfd);
	if (z->fence)
		close(z->fence - 1);
	if (z->check_fence)
		close(z->check_fence - 1);
	munmap(z, sizeof(*z));
}

/* Rates and the (ioctl, errno) pairs reached, summed over the fuzzers. */
static void report(struct fz **zs, int n, double secs)
{
	uint64_t seqs = 0, nops = 0, ioctls = 0, mm = 0, forks = 0, st[NR_IOC][NR_ERRS] = { { 0 } };

	for (int k = 0; k < n; k++) {
		seqs += zs[k]->nr_seqs;
		nops += zs[k]->nr_ops;
		ioctls += zs[k]->nr_ioctls;
		mm += zs[k]->nr_mm;
		forks += zs[k]->nr_forks;
		for (int i = 0; i < NR_IOC; i++)
			for (unsigned int e = 0; e < NR_ERRS; e++)
				st[i][e] += zs[k]->stats[i][e];
	}
	if (secs < 0.001)
		secs = 0.001;
	info("vi915_fuzz: %s: seed %llu: %llu sequences (%.1f/s), %llu operations, "
	     "%llu ioctls (%.0f/s), "
	     "%llu mm calls, %llu forks, %u failing requests; %d fuzzer%s, %.1f s\n", subtest,
	     ULL(run_seed), ULL(seqs), seqs / secs,
	     ULL(nops), ULL(ioctls), ioctls / secs,
	     ULL(mm), ULL(forks), atomic_load(&failing_requests), n,
	     n > 1 ? "s" : "", secs);
	info("vi915_fuzz: (ioctl, errno) pairs reached, with counts:\n");
	for (int i = 0; i < NR_IOC; i++) {
		char line[512];
		size_t off = 0;

		for (unsigned int e = 0; e < NR_ERRS; e++)
			if (st[i][e] && off < sizeof(line))
				off += snprintf(line + off, sizeof(line) - off, " %s:%llu",
						e < ARRAY_SIZE(errnos) ? ename(errnos[e]) : "other",
						ULL(st[i][e]));
		if (off)
			info("  %-13s%s\n", ioc_names[i], line);
	}
}

/* ======================================================================== */
/* Subtests                                                                  */
/* ======================================================================== */

static double fuzz_seconds(void)
{
	const char *e = getenv("VI915_FUZZ_SECONDS");
	double limit = opt_timeout - WATCHDOG_MARGIN, secs = DEFAULT_SECONDS;
	char *end;

	if (limit < opt_timeout / 2)
		limit = opt_timeout / 2;
	if (e) {
		secs = strtod(e, &end);
		if (end == e || *end || !(secs > 0))
			FAIL("VI915_FUZZ_SECONDS=%s: a positive number of seconds expected", e);
	} else if (opt_timeout > HARNESS_TIMEOUT) {
		secs = limit;	/* a raised watchdog asks for a long run */
	}
	if (secs > limit) {
		info("vi915_fuzz: run length cut from %.0f s to %.0f s by the watchdog (-t %.0f); "
		     "raise -t for longer runs\n", secs, limit, opt_timeout);
		secs = limit;
	}
	return secs;
}

static uint64_t env_number(const char *name, uint64_t dflt)
{
	const char *e = getenv(name);
	unsigned long long v;
	char *end;

	if (!e)
		return dflt;
	errno = 0;
	v = strtoull(e, &end, 0);
	if (end == e || *end || errno)
		FAIL("%s=%s: a number expected", name, e);
	return v;
}

/* Set up the subtest: signals, seed, bounds; prints the seed. */
static void start(const char *name, double *t_end, uint64_t *max_ops)
{
	struct sigaction sa = { .sa_handler = on_fault };
	struct timespec ts;
	double secs;

	subtest = name;
	sigemptyset(&sa.sa_mask);
	CHECK(sigaction(SIGBUS, &sa, NULL) == 0 && sigaction(SIGSEGV, &sa, NULL) == 0);
	clock_gettime(CLOCK_REALTIME, &ts);
	run_seed = ((uint64_t)ts.tv_sec * 1000003u ^ (uint64_t)ts.tv_nsec ^
		    (uint64_t)getpid() << 32) & 0xffffffffffffull;
	run_seed = env_number("VI915_FUZZ_SEED", run_seed);
	*max_ops = env_number("VI915_FUZZ_OPS", DEFAULT_OPS);
	secs = fuzz_seconds();
	*t_end = vi_now() + secs;
	atomic_store(&failing_requests, 0);
	info("vi915_fuzz: %s: seed %llu, for %.0f s or %llu operations "
	     "(VI915_FUZZ_SEED=%llu replays it)\n",
	     name, ULL(run_seed), secs, ULL(*max_ops),
	     ULL(run_seed));
	kmsg_printf("vi915_fuzz: %s: seed %llu\n", name, ULL(run_seed));
}

/* The i915 card node's path (for more fds, and for the unprivileged open). */
static void card_path(char *path, size_t len)
{
	for (int i = 0; i < 16; i++) {
		int f;

		snprintf(path, len, "/dev/dri/card%d", i);
		if ((f = open(path, O_RDWR | O_CLOEXEC)) < 0)
			continue;
		if (is_i915_device(f)) {
			close(f);
			return;
		}
		close(f);
	}
	skip("no /dev/dri/card* node of the i915 (vi915) device found");
}

static int open_card(const char *path)
{
	int f = open(path, O_RDWR | O_CLOEXEC);

	if (f < 0)
		FAIL("open(%s): %s", path, strerror(errno));
	return f;
}

static void run_single(int own, int other, const int auth[2], bool unpriv, double t_end,
		       uint64_t max_ops)
{
	const int fds[NR_FDS] = { own, other, -1 };
	double t0 = vi_now();
	struct fz *z = fz_new(0, run_seed, fds, unpriv, false, t_end, max_ops);

	z->auth[FD_OWN] = auth[0];
	z->auth[FD_OTHER] = auth[1];
	z->opened[FD_OTHER] = true;
	fz_run(z);
	report(&z, 1, vi_now() - t0);
	fz_free(z);
}

/* vi915-fuzz-root: one fuzzer on the harness's fd and a second fd, as root. */
static void test_root(int arg)
{
	static const int auth[2] = { AUTH_YES, AUTH_YES };	/* CAP_SYS_ADMIN at open */
	double t_end;
	uint64_t max_ops;
	char path[64];

	(void)arg;
	start("vi915-fuzz-root", &t_end, &max_ops);
	if (geteuid())
		skip("needs root (vi915-fuzz-unprivileged fuzzes as uid 65534)");
	card_path(path, sizeof(path));
	run_single(fd, open_card(path), auth, false, t_end, max_ops);
}

static int drop_privileges(void)
{
	if (setgroups(0, NULL) || setgid(65534) || setuid(65534))
		return errno;
	prctl(PR_SET_DUMPABLE, 1);	/* /proc/self/mem stays its own */
	return getuid() == 65534 && geteuid() == 65534 && getegid() == 65534 &&
	       getgroups(0, NULL) == 0 ? 0 : EPERM;
}

/*
 * vi915-fuzz-unprivileged: the fuzzer runs in a child that dropped to uid and
 * gid 65534 (no supplementary groups, no capabilities): every ioctl, mmap and
 * mm change is the unprivileged process's, so capable() checks at ioctl time
 * (USERPTR UNSYNCHRONIZED: EPERM) see it.
 *
 * Its two fds: the guest's / is 0700 (the initramfs root comes from a mktemp
 * -d directory), so uid 65534 cannot even reach /dev/dri/card0 by path.  The
 * child, still root, opens its first fd (FD_OWN: authenticated, root being
 * CAP_SYS_ADMIN at open) and an O_PATH fd of the node's directory, then drops
 * privileges and opens FD_OTHER relative to that directory itself, which
 * checks only the node's mode: the root parent grants others rw on the node
 * for that open and restores it once the child reports.  FD_OTHER is then an
 * unprivileged primary client that is neither master (FD_OWN or another
 * client holds that) nor authenticated: GEM_FLINK / GEM_OPEN there are
 * EACCES.  If that open fails (the node's mode cannot be changed), FD_OTHER
 * is a second fd opened before the drop, and the run says so.
 */
static void test_unprivileged(int arg)
{
	int sync[2], err = 0, fds[2] = { -1, -1 }, auth[2] = { AUTH_YES, AUTH_NO }, dir_fd, spare;
	const char *base;
	bool opened_up = false;
	struct stat st;
	double t_end;
	uint64_t max_ops;
	char path[64], dir[64];
	pid_t pid;

	(void)arg;
	start("vi915-fuzz-unprivileged", &t_end, &max_ops);
	card_path(path, sizeof(path));
	if (geteuid()) {	/* already unprivileged: the first open may make a master */
		auth[0] = AUTH_MAYBE;
		run_single(open_card(path), open_card(path), auth, true, t_end, max_ops);
		return;
	}
	base = strrchr(path, '/') + 1;
	snprintf(dir, sizeof(dir), "%.*s", (int)(base - path), path);
	CHECK(stat(path, &st) == 0);
	if ((st.st_mode & 0006) != 0006)
		opened_up = chmod(path, (st.st_mode & 07777) | 0006) == 0;
	CHECK(pipe(sync) == 0);
	pid = fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		close(sync[0]);
		close(fd);	/* the harness's (root's): not the fuzzer's */
		fds[0] = open(path, O_RDWR | O_CLOEXEC);
		spare = open(path, O_RDWR | O_CLOEXEC);
		dir_fd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (fds[0] < 0 || spare < 0 || dir_fd < 0)
			err = errno;
		if (!err)
			err = drop_privileges();
		if (!err) {
			fds[1] = openat(dir_fd, base, O_RDWR | O_CLOEXEC);
			if (fds[1] < 0) {
				info("vi915_fuzz: uid 65534 could not open %s (%s): its second fd "
				     "was opened before the drop (authenticated)\n", path,
				     strerror(errno));
				fds[1] = spare;
				auth[1] = AUTH_YES;
			} else {
				close(spare);
			}
			close(dir_fd);
		}
		if (write(sync[1], &err, sizeof(err)) != sizeof(err) || err)
			_exit(EXIT_SKIP);
		close(sync[1]);
		run_single(fds[0], fds[1], auth, true, t_end, max_ops);
		_exit(0);
	}
	close(sync[1]);
	if (read(sync[0], &err, sizeof(err)) != sizeof(err))
		err = EPIPE;
	close(sync[0]);
	if (opened_up)
		CHECK(chmod(path, st.st_mode & 07777) == 0);
	if (err) {
		waitpid(pid, NULL, 0);
		skip("the unprivileged fuzzer's setup failed: %s", strerror(err));
	}
	wait_child_ok(pid, "the unprivileged fuzzer (uid 65534)");
}

/*
 * vi915-fuzz-threads: NR_THREADS fuzzers (own fds, own arenas) in threads of
 * this process, sharing the harness's fd, the board and its arena, and the mm
 * under all their userptrs (a fork or an mm change in one thread invalidates
 * what the others hold).
 */
static void test_threads(int arg)
{
	struct fz *zs[NR_THREADS];
	pthread_t th[NR_THREADS];
	double t_end, t0;
	uint64_t max_ops;
	char path[64];

	(void)arg;
	start("vi915-fuzz-threads", &t_end, &max_ops);
	card_path(path, sizeof(path));
	board.arena = reserve_new(NR_BOARD_SLOTS * SLOT_BYTES + GUARD_BYTES);
	for (size_t i = 0; i < ARRAY_SIZE(board.dmabuf); i++)
		atomic_store(&board.dmabuf[i], -1);
	for (int i = 0; i < NR_THREADS; i++) {
		const int fds[NR_FDS] = { open_card(path), open_card(path), fd };

		zs[i] = fz_new(i, run_seed + i * 0x9e3779b97f4a7c15ull, fds, geteuid() != 0, true,
			       t_end, max_ops / NR_THREADS);
		zs[i]->opened[FD_OWN] = zs[i]->opened[FD_OTHER] = true;
		for (int k = 0; k < NR_FDS; k++)	/* root: CAP_SYS_ADMIN at open */
			zs[i]->auth[k] = geteuid() ? AUTH_MAYBE : AUTH_YES;
	}
	t0 = vi_now();
	for (int i = 1; i < NR_THREADS; i++)
		CHECK(pthread_create(&th[i], NULL, fz_thread, zs[i]) == 0);
	fz_run(zs[0]);
	for (int i = 1; i < NR_THREADS; i++)
		CHECK(pthread_join(th[i], NULL) == 0);
	for (size_t i = 0; i < ARRAY_SIZE(board.dmabuf); i++)
		if (atomic_load(&board.dmabuf[i]) >= 0)
			close(atomic_load(&board.dmabuf[i]));
	report(zs, NR_THREADS, vi_now() - t0);
	for (int i = 0; i < NR_THREADS; i++)
		fz_free(zs[i]);
	munmap(board.arena, NR_BOARD_SLOTS * SLOT_BYTES + GUARD_BYTES);
}

static void build_subtest_table(void)
{
	add("vi915-fuzz-root", test_root, 0, 0);
	add("vi915-fuzz-unprivileged", test_unprivileged, 0, 0);
	add("vi915-fuzz-threads", test_threads, 0, 0);
}

int main(int argc, char **argv)
{
	opt_verbose = true;	/* the seed and the statistics are always shown */
	return harness_main(argc, argv, "vi915_fuzz", build_subtest_table);
}
