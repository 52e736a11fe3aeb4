// SPDX-License-Identifier: GPL-2.0
/*
 * gem_exec_reloc - vi915 uAPI subtests mirroring IGT's gem_exec_reloc:
 * relocations and their write-back, presumed offsets, NO_RELOC, HANDLE_LUT,
 * targets outside the list.
 *
 * Part of the vi915 uAPI conformance tests (one program per IGT test they
 * mirror; subtest naming, the harness checks and the shared helpers:
 * uapi_common.h).
 *
 * Usage: gem_exec_reloc [-d SECONDS] [-t SECONDS] [-s NAME]... [-l] [-v] [-J]
 */
#define _GNU_SOURCE
#include <errno.h>
#include <string.h>

#include "uapi_common.h"

/*
 * gem_exec_reloc@vi915-write-back: relocations into a batch (slots after
 * the BBE, so only data is relocated) naming two targets with deltas.
 * Afterwards: each slot holds target offset + delta (64-bit), each entry's
 * presumed_offset and each exec object's offset hold the GGTT address.
 */
static void test_reloc_write_back(int arg)
{
	struct drm_i915_gem_relocation_entry reloc[4];
	struct drm_i915_gem_exec_object2 obj[3];
	struct drm_i915_gem_execbuffer2 eb;
	uint32_t t[2] = { gem_create(PAGE_SIZE), gem_create(2 * PAGE_SIZE) };
	uint32_t batch = bbe_batch();
	uint64_t slot[4];

	(void)arg;
	memset(obj, 0, sizeof(obj));
	obj[0].handle = t[0];
	obj[1].handle = t[1];
	obj[2].handle = batch;
	memset(reloc, 0, sizeof(reloc));
	for (int i = 0; i < 4; i++) {
		reloc[i].target_handle = t[i & 1];
		reloc[i].delta = i * 0x100 + (i & 1) * PAGE_SIZE;
		reloc[i].offset = 64 + 8 * i;
		reloc[i].presumed_offset = 0xdead0000ull;	/* wrong on purpose */
		reloc[i].read_domains = I915_GEM_DOMAIN_RENDER;
		reloc[i].write_domain = i == 0 ? I915_GEM_DOMAIN_RENDER : 0;
	}
	obj[2].relocs_ptr = (uintptr_t)reloc;
	obj[2].relocation_count = 4;
	memset(&eb, 0, sizeof(eb));
	eb.buffers_ptr = (uintptr_t)obj;
	eb.buffer_count = 3;
	eb.flags = I915_EXEC_BLT;
	CHECK_RET(__gem_execbuf(fd, &eb), 0);

	if (obj[0].offset == obj[1].offset || obj[0].offset == obj[2].offset ||
	    obj[1].offset == obj[2].offset)
		FAIL("objects written back with overlapping offsets %#llx %#llx %#llx",
		     (unsigned long long)obj[0].offset, (unsigned long long)obj[1].offset,
		     (unsigned long long)obj[2].offset);
	for (int i = 0; i < 3; i++)
		if (obj[i].offset % PAGE_SIZE || obj[i].offset >= (1ull << 32))
			FAIL("object %d written back at %#llx: not a page in the 4 GiB GGTT", i,
			     (unsigned long long)obj[i].offset);
	read_back(batch, 64, slot, sizeof(slot));
	for (int i = 0; i < 4; i++) {
		uint64_t want = obj[i & 1].offset + reloc[i].delta;

		if (reloc[i].presumed_offset != obj[i & 1].offset)
			FAIL("relocation %d: presumed_offset written back %#llx, object at %#llx", i,
			     (unsigned long long)reloc[i].presumed_offset,
			     (unsigned long long)obj[i & 1].offset);
		if (slot[i] != want)
			FAIL("relocation %d: slot holds %#llx, expected %#llx", i,
			     (unsigned long long)slot[i], (unsigned long long)want);
	}
	gem_close(fd, batch);
	gem_close(fd, t[0]);
	gem_close(fd, t[1]);
}

/*
 * gem_exec_reloc@vi915-presumed-offset and gem_exec_reloc@vi915-no-reloc:
 * a first execbuf relocates a slot; the slot is then overwritten with a
 * marker (PWRITE) and the same execbuf is repeated with the written-back
 * (correct) presumed offsets: the kernel must not rewrite the slot,
 * without flags (presumed == actual) and with NO_RELOC.  A wrong presumed
 * offset without NO_RELOC is rewritten again.
 */
static void test_reloc_presumed(int no_reloc)
{
	const uint64_t marker = 0x5a5a5a5a5a5a5a5aull;
	struct drm_i915_gem_relocation_entry reloc;
	struct drm_i915_gem_exec_object2 obj[2];
	struct drm_i915_gem_execbuffer2 eb;
	uint32_t target = gem_create(PAGE_SIZE), batch = bbe_batch();
	uint64_t slot, first;

	memset(obj, 0, sizeof(obj));
	obj[0].handle = target;
	obj[1].handle = batch;
	memset(&reloc, 0, sizeof(reloc));
	reloc.target_handle = target;
	reloc.delta = 0x40;
	reloc.offset = 128;
	reloc.read_domains = I915_GEM_DOMAIN_RENDER;
	reloc.presumed_offset = ~0ull;
	obj[1].relocs_ptr = (uintptr_t)&reloc;
	obj[1].relocation_count = 1;
	memset(&eb, 0, sizeof(eb));
	eb.buffers_ptr = (uintptr_t)obj;
	eb.buffer_count = 2;
	eb.flags = I915_EXEC_BLT;
	CHECK_RET(__gem_execbuf(fd, &eb), 0);
	read_back(batch, 128, &slot, sizeof(slot));
	CHECK(slot == obj[0].offset + 0x40);
	first = obj[0].offset;

	/* correct presumed offsets (as written back): not rewritten */
	gem_write(fd, batch, 128, &marker, sizeof(marker));
	if (no_reloc)
		eb.flags |= I915_EXEC_NO_RELOC;
	CHECK_RET(__gem_execbuf(fd, &eb), 0);
	read_back(batch, 128, &slot, sizeof(slot));
	if (obj[0].offset != first)
		skip("the target moved between two execbufs (%#llx -> %#llx): cannot check",
		     (unsigned long long)first, (unsigned long long)obj[0].offset);
	if (slot != marker)
		FAIL("%s with the correct presumed offset: the slot was rewritten to %#llx",
		     no_reloc ? "NO_RELOC" : "execbuf", (unsigned long long)slot);

	/* a wrong presumed offset (no NO_RELOC): rewritten */
	eb.flags = I915_EXEC_BLT;
	reloc.presumed_offset = first + PAGE_SIZE;
	CHECK_RET(__gem_execbuf(fd, &eb), 0);
	read_back(batch, 128, &slot, sizeof(slot));
	if (slot != obj[0].offset + 0x40)
		FAIL("wrong presumed offset: slot holds %#llx, expected %#llx",
		     (unsigned long long)slot, (unsigned long long)obj[0].offset + 0x40);
	if (reloc.presumed_offset != obj[0].offset)
		FAIL("presumed_offset written back %#llx, object at %#llx",
		     (unsigned long long)reloc.presumed_offset, (unsigned long long)obj[0].offset);
	gem_close(fd, batch);
	gem_close(fd, target);
}

/*
 * gem_exec_reloc@vi915-handle-lut: with HANDLE_LUT a relocation names its
 * target by index in the list (an index past the list -> ENOENT); without
 * it the same index is a handle lookup (not in the list -> ENOENT).
 */
static void test_reloc_handle_lut(int arg)
{
	struct drm_i915_gem_relocation_entry reloc;
	struct drm_i915_gem_exec_object2 obj[3];
	struct drm_i915_gem_execbuffer2 eb;
	uint32_t t0 = gem_create(PAGE_SIZE), t1 = gem_create(PAGE_SIZE), batch = bbe_batch();
	uint64_t slot;

	(void)arg;
	memset(obj, 0, sizeof(obj));
	obj[0].handle = t0;
	obj[1].handle = t1;
	obj[2].handle = batch;
	memset(&reloc, 0, sizeof(reloc));
	reloc.target_handle = 1;	/* index of t1 */
	reloc.offset = 256;
	reloc.read_domains = I915_GEM_DOMAIN_RENDER;
	reloc.presumed_offset = ~0ull;
	obj[2].relocs_ptr = (uintptr_t)&reloc;
	obj[2].relocation_count = 1;
	memset(&eb, 0, sizeof(eb));
	eb.buffers_ptr = (uintptr_t)obj;
	eb.buffer_count = 3;
	eb.flags = I915_EXEC_BLT | I915_EXEC_HANDLE_LUT;
	CHECK_RET(__gem_execbuf(fd, &eb), 0);
	read_back(batch, 256, &slot, sizeof(slot));
	if (slot != obj[1].offset)
		FAIL("HANDLE_LUT index 1: slot holds %#llx, object 1 is at %#llx (object 0 at %#llx)",
		     (unsigned long long)slot, (unsigned long long)obj[1].offset,
		     (unsigned long long)obj[0].offset);
	reloc.target_handle = 3;	/* past the list */
	CHECK_RET(__gem_execbuf(fd, &eb), -ENOENT);
	reloc.target_handle = ~0u;
	CHECK_RET(__gem_execbuf(fd, &eb), -ENOENT);
	/* as a handle, without LUT */
	eb.flags = I915_EXEC_BLT;
	reloc.target_handle = t1;
	CHECK_RET(__gem_execbuf(fd, &eb), 0);
	gem_close(fd, batch);
	gem_close(fd, t0);
	gem_close(fd, t1);
}

/*
 * gem_exec_reloc@vi915-bad-target: a relocation whose target is not in
 * the list -> ENOENT (a valid handle of another object, handle 0, a
 * handle that does not exist).
 */
static void test_reloc_bad_target(int arg)
{
	uint32_t other = gem_create(PAGE_SIZE);
	const uint32_t targets[] = { other, 0, other + 1000 };
	struct drm_i915_gem_relocation_entry reloc;
	struct exec_fixture f;

	(void)arg;
	fixture_init(&f);
	memset(&reloc, 0, sizeof(reloc));
	reloc.offset = 64;
	reloc.read_domains = I915_GEM_DOMAIN_RENDER;
	f.obj[0].relocs_ptr = (uintptr_t)&reloc;
	f.obj[0].relocation_count = 1;
	for (size_t i = 0; i < ARRAY_SIZE(targets); i++) {
		reloc.target_handle = targets[i];
		RUN_FAIL(&f, ENOENT);
	}
	reloc.target_handle = f.batch;	/* itself: in the list */
	CHECK_RET(fixture_exec(&f), 0);
	fixture_fini(&f);
	gem_close(fd, other);
}

/* ======================================================================== */
/* Subtest table                                                             */
/* ======================================================================== */

static void build_subtest_table(void)
{
	add("vi915-write-back", test_reloc_write_back, 0, 0);
	add("vi915-presumed-offset", test_reloc_presumed, 0, 0);
	add("vi915-no-reloc", test_reloc_presumed, 1, 0);
	add("vi915-handle-lut", test_reloc_handle_lut, 0, 0);
	add("vi915-bad-target", test_reloc_bad_target, 0, 0);
}

int main(int argc, char **argv)
{
	return harness_main(argc, argv, "gem_exec_reloc", build_subtest_table);
}
