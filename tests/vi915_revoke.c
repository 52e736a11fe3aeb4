// SPDX-License-Identifier: GPL-2.0
/*
 * vi915_revoke - the revocation matrix (vi915-only; IGT has no such test).
 *
 * Every way a userptr's pages are exposed, crossed with every way the user
 * range changes; subtest "<exposure>-<change>", e.g. dmabuf-mmap-munmap:
 *
 *   exposures  gtt-mmap     MMAP_GTT of the userptr, read through it
 *              gtt-partial-mmap  the same, mapped from page PARTIAL_FIRST on
 *                           only (a partial mapping: its VMA starts inside
 *                           the object's fake offset range)
 *              dmabuf-mmap  PRIME export, mmap of the dma-buf fd, read
 *              importer     PRIME export, mapped by an in-kernel importer
 *                           (tests/importer/vi915_importer.ko)
 *              engine       a long request copying into the userptr, in flight
 *              reloc        relocations written by the CPU into the userptr
 *   changes    munmap, map-fixed (MAP_FIXED replacement), dontneed
 *              (MADV_DONTNEED), mremap (moved away), fork-cow (fork, then the
 *              parent writes every page), exit (the owning process exits;
 *              the exposure lives in another process through GEM_FLINK),
 *              pageout (MADV_PAGEOUT to the guest's swap; the pages
 *              are first made clean swap-cache pages -- swapped out, then
 *              mapped back by a read, which leaves them in the swap cache
 *              of the guest's asynchronous swap device -- so only the
 *              driver dirtying them saves the device's writes)
 *
 * The rule checked in every cell: after the change returns, no exposure
 * reaches a page the object no longer holds a reference on. Detected for
 * real: a fresh allocation filled with a known pattern right after the
 * change must never show through an exposure, the importer's PFNs must not
 * be in that allocation (/proc/self/pagemap) nor free (/proc/kpageflags
 * BUDDY), the fresh allocation must stay intact (no device write lands in
 * it), and the documented outcome (README, "Revocation") is checked:
 *
 *   CPU mappings: the old pages (still referenced) until the revoke work
 *     has zapped the PTEs, then a refault: SIGBUS where the range is gone
 *     (munmap, mremap, exit), the range's new contents otherwise.
 *   importer: the old pages, referenced, until the attachment goes.
 *   engine: the change returns only once the request is done; its writes
 *     are where the pages went (mremap: at the new address; pageout: after
 *     swap-in; fork-cow: in the parent).
 *   reloc: the relocation values likewise.
 *
 * Plus engine-cancelled-in-order: a request cancelled after its fence was
 * published (its userptr invalidated meanwhile) must not signal before the
 * request ahead of it, whose fence it replaced in a shared object.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"

#define NPAGES		16
#define SIZE		(NPAGES * PAGE_SIZE)
#define WORDS		(PAGE_SIZE / 4)
#define FRESH_PAGES	4096
#define IMPORTER	"/sys/kernel/debug/vi915_importer"
#define ENGINE_COPIES	48
#define PARTIAL_FIRST	5	/* gtt-partial-mmap maps pages PARTIAL_FIRST.. */

enum exposure { X_GTT, X_GTT_PARTIAL, X_DMABUF, X_IMPORTER, X_ENGINE, X_RELOC, NR_X };
enum change { C_MUNMAP, C_MAP_FIXED, C_DONTNEED, C_MREMAP, C_FORK_COW, C_EXIT, C_PAGEOUT, NR_C };

static const char *const x_names[NR_X] = {
	"gtt-mmap", "gtt-partial-mmap", "dmabuf-mmap", "importer", "engine", "reloc",
};
static const char *const c_names[NR_C] = {
	"munmap", "map-fixed", "dontneed", "mremap", "fork-cow", "exit", "pageout",
};

/* Who wrote a page: word w of page p of owner t holds pat(t, p, w). */
enum tag { T_ZERO = 0, T_OLD = 0x11, T_NEW = 0x22, T_FRESH = 0x33, T_GPU = 0x44,
	   T_SIGBUS = -1, T_MIXED = -2 };

static uint32_t pat(int tag, unsigned int page, unsigned int word)
{
	return (uint32_t)tag << 24 | (page & 0xfff) << 12 | (word & 0xfff);
}

static void fill(uint32_t *p, unsigned int npages, int tag)
{
	for (unsigned int i = 0; i < npages; i++)
		for (unsigned int w = 0; w < WORDS; w++)
			p[i * WORDS + w] = pat(tag, i, w);
}

static const char *tag_name(int t)
{
	switch (t) {
	case T_ZERO: return "zeros";
	case T_OLD: return "old contents";
	case T_NEW: return "the range's new contents";
	case T_FRESH: return "A FRESH ALLOCATION's pattern (page reused!)";
	case T_GPU: return "the engine's data";
	case T_SIGBUS: return "SIGBUS";
	default: return "mixed/unknown bytes";
	}
}

/* ---- reads that may SIGBUS ---------------------------------------------- */

static sigjmp_buf bus_jmp;
static volatile sig_atomic_t probing;

static void on_sigbus(int sig)
{
	if (probing)
		siglongjmp(bus_jmp, 1);
	signal(sig, SIG_DFL);
	raise(sig);
}

static void catch_sigbus(void)
{
	struct sigaction sa = { .sa_handler = on_sigbus };

	sigemptyset(&sa.sa_mask);
	CHECK(sigaction(SIGBUS, &sa, NULL) == 0);
}

/*
 * Who page p looks like through mapping m: words 1..WORDS-1 are compared
 * (word 0 is the fork-cow marker, words 2-3 the relocation values).
 */
static int classify(volatile uint32_t *m, unsigned int p)
{
	int tag;

	probing = 1;
	if (sigsetjmp(bus_jmp, 1)) {
		probing = 0;
		return T_SIGBUS;
	}
	tag = m[p * WORDS + 1] >> 24;
	for (unsigned int w = 4; w < WORDS; w += 61) {
		uint32_t v = m[p * WORDS + w];

		if (tag == T_ZERO ? v != 0 : v != pat(tag, p, w)) {
			probing = 0;
			return T_MIXED;
		}
	}
	probing = 0;
	return tag;
}

/* ---- PFNs ----------------------------------------------------------------- */

/* PFNs of the n pages at addr (0: not present), from /proc/self/pagemap. */
static void pfns_of(const void *addr, unsigned int n, uint64_t *pfn)
{
	int fdp = open("/proc/self/pagemap", O_RDONLY);
	size_t len = (size_t)n * 8;

	CHECK(fdp >= 0);
	CHECK(pread(fdp, pfn, len, (off_t)((uintptr_t)addr / PAGE_SIZE) * 8) == (ssize_t)len);
	close(fdp);
	for (unsigned int i = 0; i < n; i++)
		pfn[i] = pfn[i] >> 63 & 1 ? pfn[i] & ((1ULL << 55) - 1) : 0;
}

#define KPF_DIRTY	4
#define KPF_BUDDY	10
#define KPF_SWAPCACHE	13

static uint64_t kpageflags(uint64_t pfn)
{
	int fdf = open("/proc/kpageflags", O_RDONLY);
	uint64_t f = 0;

	CHECK(fdf >= 0);
	CHECK(pread(fdf, &f, 8, (off_t)pfn * 8) == 8);
	close(fdf);
	return f;
}

static bool pfn_is_free(uint64_t pfn)
{
	return kpageflags(pfn) >> KPF_BUDDY & 1;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* ---- the in-kernel importer ---------------------------------------------- */

struct imported {
	unsigned int n;
	uint64_t pfn[NPAGES];
	uint64_t first[NPAGES];
};

static void importer_cmd(const char *cmd)
{
	int f = open(IMPORTER, O_WRONLY);

	if (f < 0)
		FAIL("%s: %s (is vi915_importer.ko loaded?)", IMPORTER, strerror(errno));
	if (write(f, cmd, strlen(cmd)) != (ssize_t)strlen(cmd))
		FAIL("importer '%s': %s", cmd, strerror(errno));
	close(f);
}

static void importer_read(struct imported *im)
{
	FILE *f = fopen(IMPORTER, "r");
	int refs;

	CHECK(f);
	memset(im, 0, sizeof(*im));
	CHECK(fscanf(f, "pages %u", &im->n) == 1);
	CHECK(im->n <= NPAGES);
	for (unsigned int i = 0; i < im->n; i++)
		CHECK(fscanf(f, "%" SCNu64 " %d %" SCNx64, &im->pfn[i], &refs, &im->first[i]) == 3);
	fclose(f);
}

/* ---- one cell -------------------------------------------------------------- */

struct cell {
	enum exposure x;
	enum change c;
	uint32_t *b;			/* the user range (NULL in the exit cells) */
	uint32_t *moved;		/* mremap: where it went */
	uint32_t handle;		/* the userptr, in our fd */
	uint64_t pfn_old[NPAGES];
	/*
	 * gtt-mmap / dmabuf-mmap: object page i at map[i * WORDS], for i from
	 * first (gtt-partial-mmap: PARTIAL_FIRST; the mapping starts there).
	 */
	volatile uint32_t *map;
	unsigned int first;
	int dmabuf;
	uint32_t src, batch;		/* engine / reloc objects */
	uint64_t reloc_value[NPAGES];	/* reloc: what the CPU wrote at word 2 of page i */
	pid_t owner, cow_child;		/* exit: the owner; fork-cow: the child */
	int go[2];			/* tells the owner / cow child to exit */
	uint32_t *fresh;
	uint64_t fresh_pfn[FRESH_PAGES];
};

static bool have_swap(void)
{
	FILE *f = fopen("/proc/swaps", "r");
	char line[256];
	int n = 0;

	if (!f)
		return false;
	while (fgets(line, sizeof(line), f))
		n++;
	fclose(f);
	return n > 1;
}

/* The range, its userptr and its pages (SET_DOMAIN: the fast path, our mm). */
static void make_range(struct cell *c)
{
	c->b = mmap_anon(SIZE, MAP_PRIVATE);
	fill(c->b, NPAGES, T_OLD);
	if (c->c == C_PAGEOUT) {
		/*
		 * Clean swap-cache pages: swapped out, then mapped back by a
		 * read, writable and clean, still in the swap cache (a
		 * synchronous swap device like zram would drop them from it on
		 * swap-in: the guest swaps to null_blk).
		 */
		CHECK(madvise(c->b, SIZE, MADV_PAGEOUT) == 0);
		for (unsigned int i = 0; i < NPAGES; i++)
			CHECK(classify(c->b, i) == T_OLD);
	}
	c->handle = gem_userptr(c->b, SIZE, 0);
	CHECK_RET(__gem_set_domain(fd, c->handle, I915_GEM_DOMAIN_CPU, 0), 0);
	pfns_of(c->b, NPAGES, c->pfn_old);
	for (unsigned int i = 0; i < NPAGES; i++) {
		uint64_t f;

		CHECK(c->pfn_old[i] != 0);
		f = kpageflags(c->pfn_old[i]);
		if (c->c == C_PAGEOUT && (!(f >> KPF_SWAPCACHE & 1) || (f >> KPF_DIRTY & 1)))
			FAIL("setup: page %u is not a clean swap-cache page (kpageflags %#llx)",
			     i, (unsigned long long)f);
	}
}

/* exit: a child owns the range and its userptr; we open it by flink name. */
static void make_range_in_owner(struct cell *c)
{
	int up[2];
	uint32_t name;

	CHECK(pipe(up) == 0 && pipe(c->go) == 0);
	c->owner = fork();
	CHECK(c->owner >= 0);
	if (c->owner == 0) {
		char byte;

		close(up[0]);
		close(c->go[1]);
		fd = drm_open_i915(NULL, 0);
		CHECK(fd >= 0);
		make_range(c);
		CHECK_RET(__gem_flink(fd, c->handle, &name), 0);
		CHECK(write(up[1], &name, sizeof(name)) == sizeof(name));
		CHECK(write(up[1], c->pfn_old, sizeof(c->pfn_old)) == sizeof(c->pfn_old));
		(void)!read(c->go[0], &byte, 1);
		_exit(0);
	}
	close(up[1]);
	close(c->go[0]);
	CHECK(read(up[0], &name, sizeof(name)) == sizeof(name));
	CHECK(read(up[0], c->pfn_old, sizeof(c->pfn_old)) == sizeof(c->pfn_old));
	close(up[0]);
	CHECK_RET(__gem_open(fd, name, &c->handle), 0);
}

static int export(struct cell *c)
{
	int dmabuf;

	CHECK_RET(__prime_handle_to_fd(fd, c->handle, DRM_CLOEXEC | DRM_RDWR, &dmabuf), 0);
	return dmabuf;
}

/* A batch object holding `dw` at offset 0. */
static uint32_t make_batch(const uint32_t *dw, unsigned int n, uint64_t size)
{
	uint32_t h = gem_create(size);

	CHECK_RET(__gem_pwrite(fd, h, 0, dw, n * 4), 0);
	return h;
}

static void expose_engine(struct cell *c)
{
	struct drm_i915_gem_relocation_entry relocs[2 * ENGINE_COPIES];
	uint32_t cs[10 * ENGINE_COPIES + 2];
	unsigned int n = 0;
	uint32_t *data = malloc(SIZE);
	struct vi_blit b = {
		.dst = { .handle = c->handle, .pitch = PAGE_SIZE },
		.width = WORDS, .height = NPAGES, .cpp = 4,
	};

	CHECK(data);
	fill(data, NPAGES, T_GPU);
	c->src = gem_create(SIZE);
	CHECK_RET(__gem_pwrite(fd, c->src, 0, data, SIZE), 0);
	free(data);
	b.src = (struct vi_surface) { .handle = c->src, .pitch = PAGE_SIZE };
	/* The same copy many times over: a request that runs for a while. */
	for (unsigned int i = 0; i < ENGINE_COPIES; i++)
		n += vi_emit_blit(cs + n, 4 * n, &b, relocs + 2 * i);
	cs[n++] = MI_BATCH_BUFFER_END;
	cs[n++] = MI_NOOP;
	c->batch = make_batch(cs, n, 4 * PAGE_SIZE);

	CHECK_RET(vi_exec_copy(fd, c->handle, c->src, c->batch, relocs, 2 * ENGINE_COPIES), 0);
}

static void expose_reloc(struct cell *c)
{
	struct drm_i915_gem_relocation_entry relocs[NPAGES];
	struct drm_i915_gem_exec_object2 obj[2];
	struct drm_i915_gem_execbuffer2 eb;
	uint32_t cs[2] = { MI_BATCH_BUFFER_END, MI_NOOP };
	int64_t forever = -1;

	c->batch = make_batch(cs, 2, PAGE_SIZE);
	for (unsigned int i = 0; i < NPAGES; i++)
		relocs[i] = (struct drm_i915_gem_relocation_entry) {
			.target_handle = c->batch,
			.delta = i,
			.offset = i * PAGE_SIZE + 8,	/* words 2-3 of page i */
			.presumed_offset = ~0ULL,	/* wrong: the CPU writes it */
			.read_domains = I915_GEM_DOMAIN_RENDER,
		};
	memset(obj, 0, sizeof(obj));
	obj[0].handle = c->handle;
	obj[0].relocation_count = NPAGES;
	obj[0].relocs_ptr = (uintptr_t)relocs;
	obj[1].handle = c->batch;
	memset(&eb, 0, sizeof(eb));
	eb.buffers_ptr = (uintptr_t)obj;
	eb.buffer_count = 2;
	eb.flags = I915_EXEC_BLT;
	CHECK_RET(__gem_execbuf(fd, &eb), 0);
	for (unsigned int i = 0; i < NPAGES; i++)
		c->reloc_value[i] = obj[1].offset + i;
	CHECK_RET(__gem_wait(fd, c->batch, &forever), 0);
	if (c->b)
		for (unsigned int i = 0; i < NPAGES; i++)
			CHECK(*(uint64_t *)&c->b[i * WORDS + 2] == c->reloc_value[i]);
}

static void expose(struct cell *c)
{
	struct imported im;
	char cmd[32];

	switch (c->x) {
	case X_GTT:
		c->map = gem_mmap_gtt(fd, c->handle, SIZE, PROT_READ | PROT_WRITE);
		break;
	case X_GTT_PARTIAL: {
		uint64_t off = gem_mmap_gtt_offset(fd, c->handle) + PARTIAL_FIRST * PAGE_SIZE;
		void *p = mmap(NULL, SIZE - PARTIAL_FIRST * PAGE_SIZE, PROT_READ | PROT_WRITE,
			       MAP_SHARED, fd, (off_t)off);

		if (p == MAP_FAILED)
			FAIL("mmap of the userptr's GTT offset from page %d: %s", PARTIAL_FIRST,
			     strerror(errno));
		c->first = PARTIAL_FIRST;
		c->map = (volatile uint32_t *)((uintptr_t)p - PARTIAL_FIRST * PAGE_SIZE);
		break;
	}
	case X_DMABUF:
		c->dmabuf = export(c);
		c->map = mmap(NULL, SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, c->dmabuf, 0);
		CHECK(c->map != MAP_FAILED);
		break;
	case X_IMPORTER:
		if (access(IMPORTER, W_OK))
			FAIL("%s missing: vi915_importer.ko is not loaded", IMPORTER);
		c->dmabuf = export(c);
		/* A failed subtest before may have left its attachment. */
		importer_cmd("detach");
		snprintf(cmd, sizeof(cmd), "attach %d", c->dmabuf);
		importer_cmd(cmd);
		importer_read(&im);
		CHECK(im.n == NPAGES);
		for (unsigned int i = 0; i < NPAGES; i++) {
			CHECK(im.pfn[i] == c->pfn_old[i]);
			CHECK((uint32_t)(im.first[i] >> 32) == pat(T_OLD, i, 1));
		}
		break;
	case X_ENGINE:
		expose_engine(c);
		break;
	case X_RELOC:
		expose_reloc(c);
		break;
	case NR_X:
		break;
	}
	if (c->map)
		for (unsigned int i = c->first; i < NPAGES; i++)
			if (classify(c->map, i) != T_OLD)
				FAIL("page %u through the %s before any change: %s", i,
				     x_names[c->x], tag_name(classify(c->map, i)));
}

static void change(struct cell *c)
{
	void *dst;

	switch (c->c) {
	case C_MUNMAP:
		CHECK(munmap(c->b, SIZE) == 0);
		c->b = NULL;
		break;
	case C_MAP_FIXED:
		CHECK(mmap(c->b, SIZE, PROT_READ | PROT_WRITE,
			   MAP_FIXED | MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) == c->b);
		fill(c->b, NPAGES, T_NEW);
		break;
	case C_DONTNEED:
		CHECK(madvise(c->b, SIZE, MADV_DONTNEED) == 0);
		break;
	case C_MREMAP:
		dst = mmap_anon(SIZE, MAP_PRIVATE);
		c->moved = mremap(c->b, SIZE, SIZE, MREMAP_MAYMOVE | MREMAP_FIXED, dst);
		CHECK(c->moved == dst);
		c->b = NULL;
		break;
	case C_FORK_COW:
		CHECK(pipe(c->go) == 0);
		c->cow_child = fork();
		CHECK(c->cow_child >= 0);
		if (c->cow_child == 0) {
			char byte;

			close(c->go[1]);
			(void)!read(c->go[0], &byte, 1);
			_exit(0);
		}
		close(c->go[0]);
		/* The parent writes every page (word 0): each is copied. */
		for (unsigned int i = 0; i < NPAGES; i++)
			c->b[i * WORDS] = pat(T_NEW, i, 0);
		break;
	case C_EXIT:
		close(c->go[1]);
		wait_child_ok(c->owner, "owner");
		c->owner = 0;
		break;
	case C_PAGEOUT:
		CHECK(madvise(c->b, SIZE, MADV_PAGEOUT) == 0);
		break;
	case NR_C:
		break;
	}
}

/* What a CPU mapping must show once the revocation has run. */
static int final_outcome(enum change ch)
{
	switch (ch) {
	case C_MUNMAP: case C_MREMAP: case C_EXIT: return T_SIGBUS;
	case C_MAP_FIXED: return T_NEW;
	case C_DONTNEED: return T_ZERO;
	case C_FORK_COW: case C_PAGEOUT: default: return T_OLD;
	}
}

static void fresh_allocation(struct cell *c)
{
	c->fresh = mmap_anon(FRESH_PAGES * PAGE_SIZE, MAP_PRIVATE);
	fill(c->fresh, FRESH_PAGES, T_FRESH);
	pfns_of(c->fresh, FRESH_PAGES, c->fresh_pfn);
	qsort(c->fresh_pfn, FRESH_PAGES, 8, cmp_u64);
}

static bool in_fresh(struct cell *c, uint64_t pfn)
{
	return bsearch(&pfn, c->fresh_pfn, FRESH_PAGES, 8, cmp_u64) != NULL;
}

static void check_mapping(struct cell *c)
{
	int want = final_outcome(c->c), seen[NPAGES];
	double until = vi_now() + 5.0;
	bool done;

	/* Until the revoke work has run: old (referenced) pages or the final outcome. */
	do {
		done = true;
		for (unsigned int i = c->first; i < NPAGES; i++) {
			seen[i] = classify(c->map, i);
			if (seen[i] != want && seen[i] != T_OLD)
				FAIL("page %u through the %s after %s: %s (allowed: %s, or %s until revoked)",
				     i, x_names[c->x], c_names[c->c], tag_name(seen[i]),
				     tag_name(want), tag_name(T_OLD));
			done &= seen[i] == want;
		}
		if (!done)
			usleep(10000);
	} while (!done && vi_now() < until);
	for (unsigned int i = c->first; i < NPAGES; i++)
		if (seen[i] != want)
			FAIL("page %u through the %s still shows %s 5 s after %s (documented: %s)",
			     i, x_names[c->x], tag_name(seen[i]), c_names[c->c], tag_name(want));
}

static void check_importer(struct cell *c)
{
	struct imported im;

	importer_read(&im);
	CHECK(im.n == NPAGES);
	for (unsigned int i = 0; i < NPAGES; i++) {
		if (in_fresh(c, im.pfn[i]))
			FAIL("importer page %u (pfn %#llx) was handed to a new allocation after %s",
			     i, (unsigned long long)im.pfn[i], c_names[c->c]);
		if (pfn_is_free(im.pfn[i]))
			FAIL("importer page %u (pfn %#llx) is free after %s", i,
			     (unsigned long long)im.pfn[i], c_names[c->c]);
		if (im.pfn[i] != c->pfn_old[i])
			FAIL("importer page %u changed pfn", i);
		/* Stale but referenced: the old contents, until detached. */
		if ((uint32_t)(im.first[i] >> 32) != pat(T_OLD, i, 1))
			FAIL("importer page %u after %s: %#llx, expected the old contents %#x",
			     i, c_names[c->c], (unsigned long long)im.first[i], pat(T_OLD, i, 1));
	}
}

/* Where the device's writes went, per change (engine and reloc cells). */
static void check_device_writes(struct cell *c)
{
	uint32_t *where = c->c == C_MREMAP ? c->moved : c->b;
	bool gone = c->c == C_MUNMAP || c->c == C_EXIT || c->c == C_MAP_FIXED ||
		    c->c == C_DONTNEED;

	if (c->x == X_ENGINE) {
		uint32_t busy = 0;

		/* The invalidation waited for the request. */
		CHECK_RET(__gem_busy(fd, c->handle, &busy), 0);
		if (busy)
			FAIL("the request on the userptr is still running after %s returned (busy %#x)",
			     c_names[c->c], busy);
	}
	if (gone || !where)
		return;
	for (unsigned int i = 0; i < NPAGES; i++) {
		if (c->x == X_ENGINE && classify(where, i) != T_GPU)
			FAIL("page %u after %s: %s, expected the engine's data", i,
			     c_names[c->c], tag_name(classify(where, i)));
		if (c->x == X_RELOC && *(uint64_t *)&where[i * WORDS + 2] != c->reloc_value[i])
			FAIL("page %u after %s: relocation value %#llx, expected %#llx", i,
			     c_names[c->c], (unsigned long long)*(uint64_t *)&where[i * WORDS + 2],
			     (unsigned long long)c->reloc_value[i]);
	}
}

static void cleanup(struct cell *c)
{
	int64_t forever = -1;

	if (c->map)
		CHECK(munmap((void *)&c->map[c->first * WORDS], SIZE - c->first * PAGE_SIZE) == 0);
	if (c->x == X_IMPORTER)
		importer_cmd("detach");
	if (c->dmabuf > 0)
		close(c->dmabuf);
	if (c->batch)
		CHECK_RET(__gem_wait(fd, c->batch, &forever), 0);
	/* Nothing the device did may have landed in the fresh allocation. */
	for (unsigned int i = 0; i < FRESH_PAGES; i++)
		if (classify(c->fresh, i) != T_FRESH)
			FAIL("fresh allocation page %u was overwritten: %s", i,
			     tag_name(classify(c->fresh, i)));
	gem_close(fd, c->handle);
	if (c->src)
		gem_close(fd, c->src);
	if (c->batch)
		gem_close(fd, c->batch);
	if (c->cow_child) {
		close(c->go[1]);
		wait_child_ok(c->cow_child, "fork-cow child");
	}
}

static void test_cell(int arg)
{
	struct cell *c = calloc(1, sizeof(*c));

	CHECK(c);
	c->x = arg / NR_C;
	c->c = arg % NR_C;
	catch_sigbus();
	if (c->c == C_PAGEOUT && !have_swap())
		FAIL("no swap device in /proc/swaps: the guest must swap");
	if (c->c == C_EXIT)
		make_range_in_owner(c);
	else
		make_range(c);
	expose(c);
	change(c);
	fresh_allocation(c);
	if (c->map)
		check_mapping(c);
	if (c->x == X_IMPORTER)
		check_importer(c);
	if (c->x == X_ENGINE || c->x == X_RELOC)
		check_device_writes(c);
	cleanup(c);
	free(c);
}

/* ---- engine-cancelled-in-order ------------------------------------------ */

#define ORDER_SIZE	(4 << 20)
#define ORDER_COPIES	6	/* 24 MiB: well inside the 2 s engine budget even on a slow TCG run */
#define ORDER_RELOCS	2000

#define ORDER_SENTINEL	0x5e5e5e5e5e5e5e5eULL
#define ORDER_DONE	0xc0dec0deu

static atomic_bool order_stop;
static atomic_int order_go;	/* 1: execbuf n+1 is starting */
static void *order_range;
static volatile uint64_t *order_marker;	/* word 0 of the marker userptr's memory */

/*
 * Invalidate page 0 of n+1's userptr exactly inside the window between its
 * get_pages and the publication of its fence: execbuf applies relocations
 * object by object, in list order, with the CPU; the marker object is a
 * userptr whose one relocation lands in our own memory, so once it shows
 * there the 2000 relocations of the batch (and the publication) are still
 * to come.
 */
static void *invalidator(void *arg)
{
	(void)arg;
	while (!atomic_load(&order_stop)) {
		if (atomic_load(&order_go) != 1) {
			usleep(100);
			continue;
		}
		if (*order_marker == ORDER_SENTINEL)
			continue;
		madvise(order_range, PAGE_SIZE, MADV_DONTNEED);
		atomic_store(&order_go, 0);
	}
	return NULL;
}

static void test_cancelled_in_order(int arg)
{
	struct drm_i915_gem_relocation_entry *relocs, blit_relocs[2 * ORDER_COPIES + 1], marker;
	struct drm_i915_gem_exec_object2 obj[4];
	struct drm_i915_gem_execbuffer2 eb;
	uint32_t cs[10 * ORDER_COPIES + 6], end[2] = { MI_BATCH_BUFFER_END, MI_NOOP };
	uint32_t a, s, blit_batch, reloc_batch, marker_obj, up, *data, last[WORDS];
	uint64_t *mbuf = alloc_page_aligned(PAGE_SIZE);
	uint32_t *range = mmap_anon(SIZE, MAP_PRIVATE);
	int64_t forever = -1;
	unsigned int n, iterations = 0, eagain = 0, busy_after = 0;
	double t0, t_exec = 0;
	uint32_t busy;
	pthread_t thr;
	struct vi_blit b = {
		.width = WORDS, .height = ORDER_SIZE / PAGE_SIZE, .cpp = 4,
	};

	(void)arg;
	a = gem_create(ORDER_SIZE);
	s = gem_create(ORDER_SIZE);
	data = malloc(ORDER_SIZE);
	CHECK(data);
	fill(data, ORDER_SIZE / PAGE_SIZE, T_GPU);
	CHECK_RET(__gem_pwrite(fd, s, 0, data, ORDER_SIZE), 0);
	b.dst = (struct vi_surface) { .handle = a, .pitch = PAGE_SIZE };
	b.src = (struct vi_surface) { .handle = s, .pitch = PAGE_SIZE };
	/* Request n: the same 4 MiB copy many times (longer than n+1's execbuf). */
	n = 0;
	for (unsigned int i = 0; i < ORDER_COPIES; i++)
		n += vi_emit_blit(cs + n, 4 * n, &b, blit_relocs + 2 * i);
	/* ... and, last of all, a marker into word 1 of A's last page. */
	cs[n++] = MI_STORE_DWORD_IMM | 2 | MI_USE_GGTT;
	blit_relocs[2 * ORDER_COPIES] = (struct drm_i915_gem_relocation_entry) {
		.target_handle = a,
		.delta = ORDER_SIZE - PAGE_SIZE + 4,
		.offset = 4 * n,
		.read_domains = I915_GEM_DOMAIN_RENDER,
		.write_domain = I915_GEM_DOMAIN_RENDER,
	};
	cs[n++] = 0;
	cs[n++] = 0;
	cs[n++] = ORDER_DONE;
	cs[n++] = MI_BATCH_BUFFER_END;
	cs[n++] = MI_NOOP;
	blit_batch = make_batch(cs, n, PAGE_SIZE);
	reloc_batch = make_batch(end, 2, 64 << 10);
	fill(range, NPAGES, T_OLD);
	up = gem_userptr(range, SIZE, 0);
	relocs = calloc(ORDER_RELOCS, sizeof(*relocs));
	CHECK(relocs);
	memset(mbuf, 0, PAGE_SIZE);
	marker_obj = gem_userptr(mbuf, PAGE_SIZE, 0);
	order_range = range;
	order_marker = mbuf;
	mbuf[0] = ORDER_SENTINEL;
	CHECK(pthread_create(&thr, NULL, invalidator, NULL) == 0);

	while (time_left()) {
		/* Request n: a long copy into A (pwrite waits for A to be idle). */
		memset(last, 0, sizeof(last));
		CHECK_RET(__gem_pwrite(fd, a, ORDER_SIZE - PAGE_SIZE, last, PAGE_SIZE), 0);
		CHECK_RET(vi_exec_copy(fd, a, s, blit_batch, blit_relocs, 2 * ORDER_COPIES + 1), 0);

		/*
		 * Request n+1 writes A too (its fence replaces n's there) and
		 * holds the userptr; its many CPU relocations keep the window
		 * between get_pages and publication open while the thread
		 * invalidates. No retry: an EAGAIN is what we are after.
		 */
		for (unsigned int i = 0; i < ORDER_RELOCS; i++)
			relocs[i] = (struct drm_i915_gem_relocation_entry) {
				.target_handle = up,
				.offset = 8 + (i % 1000) * 8,
				.presumed_offset = 1,
				.read_domains = I915_GEM_DOMAIN_RENDER,
			};
		marker = (struct drm_i915_gem_relocation_entry) {
			.target_handle = up,
			.offset = 0,
			.presumed_offset = 1,	/* wrong: the CPU writes it */
			.read_domains = I915_GEM_DOMAIN_RENDER,
		};
		mbuf[0] = ORDER_SENTINEL;
		CHECK_RET(__gem_set_domain(fd, marker_obj, I915_GEM_DOMAIN_CPU, 0), 0);
		memset(obj, 0, sizeof(obj));
		obj[0].handle = a;
		/* A writer, like n: its fence replaces n's in A's reservation. */
		obj[0].flags = EXEC_OBJECT_WRITE;
		obj[1].handle = up;
		obj[2].handle = marker_obj;
		obj[2].relocation_count = 1;
		obj[2].relocs_ptr = (uintptr_t)&marker;
		obj[3].handle = reloc_batch;
		obj[3].relocation_count = ORDER_RELOCS;
		obj[3].relocs_ptr = (uintptr_t)relocs;
		memset(&eb, 0, sizeof(eb));
		eb.buffers_ptr = (uintptr_t)obj;
		eb.buffer_count = 4;
		eb.flags = I915_EXEC_BLT;
		/* The userptr's pages present and held (no worker in the way). */
		range[0] = 1;
		CHECK_RET(__gem_set_domain(fd, up, I915_GEM_DOMAIN_CPU, 0), 0);
		atomic_store(&order_go, 1);
		t0 = vi_now();
		if (ioctl(fd, DRM_IOCTL_I915_GEM_EXECBUFFER2, &eb) && errno == EAGAIN)
			eagain++;
		t_exec += vi_now() - t0;
		CHECK_RET(__gem_busy(fd, a, &busy), 0);
		busy_after += busy != 0;
		/* (If execbuf failed before the marker, nothing invalidates.) */
		atomic_store(&order_go, 0);
		/* Whatever happened to n+1, waiting for A means n is done. */
		CHECK_RET(__gem_wait(fd, a, &forever), 0);
		CHECK_RET(__gem_pread(fd, a, ORDER_SIZE - PAGE_SIZE, last, PAGE_SIZE), 0);
		if (last[1] != ORDER_DONE)
			FAIL("iteration %u: GEM_WAIT on A returned while the request ahead of the "
			     "cancelled one was still writing it (%#x)", iterations, last[1]);
		iterations++;
	}
	atomic_store(&order_stop, true);
	pthread_join(thr, NULL);
	info("%u iterations, %u answered EAGAIN, A busy after n+1 in %u, n+1 took %.1f ms\n",
	     iterations, eagain, busy_after, iterations ? 1e3 * t_exec / iterations : 0.0);
	kmsg_printf("vi915_revoke: engine-cancelled-in-order: %u iterations, %u EAGAIN, %u busy\n",
		    iterations, eagain, busy_after);
	CHECK_RET(__gem_wait(fd, reloc_batch, &forever), 0);
	gem_close(fd, up);
	gem_close(fd, a);
	gem_close(fd, s);
	gem_close(fd, blit_batch);
	gem_close(fd, reloc_batch);
	gem_close(fd, marker_obj);
	free(mbuf);
	free(relocs);
	free(data);
}

static void build(void)
{
	static char names[NR_X * NR_C][40];

	for (int x = 0; x < NR_X; x++)
		for (int c = 0; c < NR_C; c++) {
			char *n = names[x * NR_C + c];

			snprintf(n, sizeof(names[0]), "%s-%s", x_names[x], c_names[c]);
			add(n, test_cell, x * NR_C + c, 0);
		}
	add("engine-cancelled-in-order", test_cancelled_in_order, 0, 0);
}

int main(int argc, char **argv)
{
	return harness_main(argc, argv, "vi915_revoke", build);
}
