// SPDX-License-Identifier: GPL-2.0
/*
 * gem_exec_store - vi915 uAPI subtests mirroring IGT's gem_exec_store:
 * MI_STORE_DWORD_IMM (dword and qword) into GEM objects and userptrs.
 *
 * Part of the vi915 uAPI conformance tests (one program per IGT test they
 * mirror; subtest naming, the harness checks and the shared helpers:
 * uapi_common.h).
 *
 * Usage: gem_exec_store [-d SECONDS] [-t SECONDS] [-s NAME]... [-l] [-v] [-J]
 */
#define _GNU_SOURCE
#include <sys/mman.h>
#include <unistd.h>

#include "uapi_common.h"

/*
 * gem_exec_store@basic (IGT: MI_STORE_DWORD_IMM into a target, read back):
 * dwords at several offsets of a GEM object and of a userptr, with and
 * without the GGTT bit (bit 22 is accepted either way), and with deltas.
 */
static void test_exec_store(int arg)
{
	uint32_t *user = mmap_anon(2 * PAGE_SIZE, MAP_SHARED);
	uint32_t obj = gem_create(2 * PAGE_SIZE), up = gem_userptr(user, 2 * PAGE_SIZE, 0);
	uint32_t targets[2] = { obj, up }, got[2 * PAGE_SIZE / 4];
	static const uint32_t offsets[] = { 0, 4, 64, PAGE_SIZE - 4, PAGE_SIZE, 2 * PAGE_SIZE - 4 };
	struct bb b;

	(void)arg;
	bb_init(&b);
	for (size_t i = 0; i < ARRAY_SIZE(offsets); i++) {
		bb_store_dword(&b, obj, offsets[i], 0xc0de0000 | (uint32_t)i, i & 1);
		bb_store_dword(&b, up, offsets[i], 0xbeef0000 | (uint32_t)i, !(i & 1));
	}
	bb_emit(&b, MI_BATCH_BUFFER_END);
	CHECK_RET(bb_exec(&b, targets, 2, I915_EXEC_BLT, NULL, NULL), 0);

	read_back(obj, 0, got, sizeof(got));
	CHECK_RET(__gem_wait(fd, up, NULL), 0);
	for (size_t i = 0; i < ARRAY_SIZE(offsets); i++) {
		if (got[offsets[i] / 4] != (0xc0de0000 | (uint32_t)i))
			FAIL("GEM object dword at %#x is %#x, expected %#x", offsets[i],
			     got[offsets[i] / 4], 0xc0de0000 | (uint32_t)i);
		if (user[offsets[i] / 4] != (0xbeef0000 | (uint32_t)i))
			FAIL("userptr dword at %#x is %#x, expected %#x", offsets[i],
			     user[offsets[i] / 4], 0xbeef0000 | (uint32_t)i);
	}
	/* nothing else was written */
	for (size_t i = 0, k = 0; i < ARRAY_SIZE(got); i++) {
		bool stored = k < ARRAY_SIZE(offsets) && offsets[k] == 4 * i;

		if (stored)
			k++;
		else if (got[i] || user[i])
			FAIL("dword %zu written (%#x / %#x) but no store targeted it", i, got[i], user[i]);
	}
	gem_close(fd, up);
	gem_close(fd, obj);
	munmap(user, 2 * PAGE_SIZE);
}

/* gem_exec_store@vi915-qword: MI_STORE_DWORD_IMM length 3 stores a qword. */
static void test_exec_store_qword(int arg)
{
	uint32_t obj = gem_create(PAGE_SIZE), got[4];
	struct bb b;

	(void)arg;
	bb_init(&b);
	bb_emit(&b, MI_STORE_QWORD | MI_USE_GGTT);
	bb_emit_reloc(&b, obj, 8, true);
	bb_emit(&b, 0x11112222);
	bb_emit(&b, 0x33334444);
	bb_emit(&b, MI_STORE_QWORD);
	bb_emit_reloc(&b, obj, 0, true);
	bb_emit(&b, 0x55556666);
	bb_emit(&b, 0x77778888);
	bb_emit(&b, MI_BATCH_BUFFER_END);
	CHECK_RET(bb_exec(&b, &obj, 1, I915_EXEC_BLT, NULL, NULL), 0);
	read_back(obj, 0, got, sizeof(got));
	if (got[0] != 0x55556666 || got[1] != 0x77778888 || got[2] != 0x11112222 ||
	    got[3] != 0x33334444)
		FAIL("qword stores: read %#x %#x %#x %#x", got[0], got[1], got[2], got[3]);
	gem_close(fd, obj);
}

/* A batch written by hand, over three pages, with its relocations. */
struct hand_batch {
	uint32_t cs[3 * 1024];
	struct drm_i915_gem_relocation_entry rel[8];
	unsigned int nr;
};

/* A 64-bit address of target + delta at dword `at` (two dwords, relocated). */
static void hb_addr(struct hand_batch *hb, unsigned int at, uint32_t target, uint32_t delta,
		    bool write)
{
	hb->rel[hb->nr++] = (struct drm_i915_gem_relocation_entry) {
		.target_handle = target, .delta = delta, .offset = 4 * at,
		.read_domains = I915_GEM_DOMAIN_RENDER,
		.write_domain = write ? I915_GEM_DOMAIN_RENDER : 0 };
}

/* MI_STORE_DWORD_IMM of value at target + delta, at dword *n. */
static void hb_store(struct hand_batch *hb, unsigned int *n, uint32_t target, uint32_t delta,
		     uint32_t value)
{
	hb->cs[(*n)++] = MI_STORE_DWORD;
	hb_addr(hb, *n, target, delta, true);
	*n += 2;
	hb->cs[(*n)++] = value;
}

/* MI_BATCH_BUFFER_START (second_level: returns) to batch + delta, at dword *n. */
static void hb_start(struct hand_batch *hb, unsigned int *n, uint32_t batch, uint32_t delta,
		     bool second_level)
{
	hb->cs[(*n)++] = (0x31 << 23) | (second_level ? 1 << 22 : 0) | (1 << 8) | 1;
	hb_addr(hb, *n, batch, delta, false);
	*n += 2;
}

/*
 * gem_exec_store@vi915-second-level: MI_BATCH_BUFFER_START with the
 * second-level bit calls a batch in another page, whose
 * MI_BATCH_BUFFER_END returns to the caller; a chained start (no bit)
 * never returns.
 */
static void test_exec_store_second_level(int arg)
{
	uint32_t obj = gem_create(PAGE_SIZE), batch = gem_create(3 * PAGE_SIZE);
	struct drm_i915_gem_exec_object2 eo[2];
	struct drm_i915_gem_execbuffer2 eb;
	static struct hand_batch hb;
	unsigned int n;
	uint32_t got[4];

	(void)arg;
	memset(&hb, 0, sizeof(hb));
	/* page 0: call page 1, store 1 at obj+4, chain to page 2 */
	n = 0;
	hb_start(&hb, &n, batch, PAGE_SIZE, true);
	hb_store(&hb, &n, obj, 4, 1);
	hb_start(&hb, &n, batch, 2 * PAGE_SIZE, false);
	hb_store(&hb, &n, obj, 12, 0xbad);	/* never reached: a chained start does not return */
	hb.cs[n++] = MI_BATCH_BUFFER_END;
	/* page 1: store 2 at obj+0, end (returns) */
	n = 1024;
	hb_store(&hb, &n, obj, 0, 2);
	hb.cs[n++] = MI_BATCH_BUFFER_END;
	/* page 2: store 3 at obj+8, end (ends the request) */
	n = 2048;
	hb_store(&hb, &n, obj, 8, 3);
	hb.cs[n++] = MI_BATCH_BUFFER_END;
	gem_write(fd, batch, 0, hb.cs, sizeof(hb.cs));
	memset(eo, 0, sizeof(eo));
	eo[0].handle = obj;
	eo[1].handle = batch;
	eo[1].relocs_ptr = (uintptr_t)hb.rel;
	eo[1].relocation_count = hb.nr;
	memset(&eb, 0, sizeof(eb));
	eb.buffers_ptr = (uintptr_t)eo;
	eb.buffer_count = 2;
	eb.batch_len = PAGE_SIZE;
	eb.flags = I915_EXEC_BLT;
	CHECK_RET(__gem_execbuf(fd, &eb), 0);
	read_back(obj, 0, got, sizeof(got));
	if (got[0] != 2 || got[1] != 1 || got[2] != 3 || got[3] != 0)
		FAIL("stores %#x %#x %#x %#x, expected 2 1 3 0", got[0], got[1], got[2], got[3]);
	gem_close(fd, batch);
	gem_close(fd, obj);
}

/*
 * gem_exec_store@vi915-semaphore-poll (what IGT's semaphore users emit:
 * MI_SEMAPHORE_WAIT, Gen8 form, poll mode, GGTT address): a batch waits until
 * a dword equals 1, stores, waits until a second dword is at least 7, stores
 * again. The CPU writes the dwords through a GTT mmap (faulted in before the
 * submission) while the request runs: before each write the request is still
 * busy and the store after the wait has not happened; after the last it ends
 * cleanly (not by the request budget). Signal mode (no poll bit) fails the
 * request: nothing would ever signal it.
 */
#define MI_SEMAPHORE_WAIT_POLL	((0x1c << 23) | (1 << 22) | (1 << 15) | 2)
#define SAD_GTE_SDD		(1 << 12)
#define SAD_EQ_SDD		(4 << 12)

static void test_semaphore_poll(int arg)
{
	uint32_t sem = gem_create(PAGE_SIZE), dst = gem_create(PAGE_SIZE);
	uint32_t *map = gem_mmap_gtt(fd, sem, PAGE_SIZE, PROT_READ | PROT_WRITE);
	uint32_t targets[2] = { sem, dst }, batch, busy, got[2];
	struct bb b;
	int out;

	(void)arg;
	map[0] = 0;
	map[1] = 5;
	bb_init(&b);
	bb_emit(&b, MI_SEMAPHORE_WAIT_POLL | SAD_EQ_SDD);
	bb_emit(&b, 1);
	bb_emit_reloc(&b, sem, 0, false);
	bb_store_dword(&b, dst, 0, 0xabc, true);
	bb_emit(&b, MI_SEMAPHORE_WAIT_POLL | SAD_GTE_SDD);
	bb_emit(&b, 7);
	bb_emit_reloc(&b, sem, 4, false);
	bb_store_dword(&b, dst, 4, 0xdef, true);
	bb_emit(&b, MI_BATCH_BUFFER_END);
	CHECK_RET(bb_exec(&b, targets, 2, I915_EXEC_BLT, &batch, NULL), 0);
	for (int step = 0; step < 2; step++) {
		usleep(100 * 1000);
		CHECK_RET(__gem_busy(fd, dst, &busy), 0);
		if (!busy)
			FAIL("the request ended before the CPU wrote semaphore %d", step);
		map[step] = step ? 6 : 1;	/* 6: still below 7 */
		__sync_synchronize();
		if (step) {
			usleep(100 * 1000);
			CHECK_RET(__gem_busy(fd, dst, &busy), 0);
			if (!busy)
				FAIL("MI_SEMAPHORE_WAIT (>= 7) ended on 6");
			map[1] = 9;
		}
	}
	CHECK_RET(__gem_wait(fd, dst, NULL), 0);
	read_back(dst, 0, got, sizeof(got));
	if (got[0] != 0xabc || got[1] != 0xdef)
		FAIL("stores after the waits: %#x %#x, expected 0xabc 0xdef", got[0], got[1]);
	gem_close(fd, batch);

	bb_init(&b);
	bb_emit(&b, (MI_SEMAPHORE_WAIT_POLL & ~(1 << 15)) | SAD_EQ_SDD);
	bb_emit(&b, 1);
	bb_emit_reloc(&b, sem, 0, false);
	bb_emit(&b, MI_BATCH_BUFFER_END);
	CHECK_RET(bb_exec_fenced(&b, targets, 2, I915_EXEC_BLT, &batch, NULL, &out), 0);
	expect_request_failed(out, "MI_SEMAPHORE_WAIT without poll mode");
	CHECK_RET(__gem_wait(fd, batch, NULL), 0);
	gem_close(fd, batch);
	munmap(map, PAGE_SIZE);
	gem_close(fd, dst);
	gem_close(fd, sem);
}

/* ======================================================================== */
/* Subtest table                                                             */
/* ======================================================================== */

static void build_subtest_table(void)
{
	add("basic", test_exec_store, 0, 0);
	add("vi915-qword", test_exec_store_qword, 0, 0);
	add("vi915-second-level", test_exec_store_second_level, 0, 0);
	add("vi915-semaphore-poll", test_semaphore_poll, 0, 0);
}

int main(int argc, char **argv)
{
	return harness_main(argc, argv, "gem_exec_store", build_subtest_table);
}
