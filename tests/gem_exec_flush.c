// SPDX-License-Identifier: GPL-2.0
/*
 * gem_exec_flush - vi915 uAPI subtests mirroring IGT's gem_exec_flush:
 * MI_FLUSH_DW and its post-sync store.
 *
 * Part of the vi915 uAPI conformance tests (one program per IGT test they
 * mirror; subtest naming, the harness checks and the shared helpers:
 * uapi_common.h).
 *
 * Usage: gem_exec_flush [-d SECONDS] [-t SECONDS] [-s NAME]... [-l] [-v] [-J]
 */
#define _GNU_SOURCE

#include "uapi_common.h"

/*
 * gem_exec_flush@vi915-flush-dw: MI_FLUSH_DW is a no-op unless its
 * post-sync op (bits 15:14) is 01 "store immediate": length 2 stores a
 * dword, length 3 a qword, at the address of dwords 1-2.  Lengths 1 and 2
 * without post-sync op store nothing.
 */
static void test_exec_flush_dw(int arg)
{
	uint32_t obj = gem_create(PAGE_SIZE), got[8];
	struct bb b;

	(void)arg;
	bb_init(&b);
	bb_emit(&b, MI_FLUSH_DW | 1);			/* plain flush, 3 dwords */
	bb_emit(&b, 0);
	bb_emit(&b, 0);
	bb_emit(&b, MI_FLUSH_DW | 2);			/* op 00: nothing stored */
	bb_emit_reloc(&b, obj, 0, true);
	bb_emit(&b, 0xbad00bad);
	bb_emit(&b, MI_FLUSH_DW | 2 | MI_FLUSH_DW_OP_STOREDW);	/* dword */
	bb_emit_reloc(&b, obj, 8, true);
	bb_emit(&b, 0xf1a5f1a5);
	bb_emit(&b, MI_FLUSH_DW | 3 | MI_FLUSH_DW_OP_STOREDW);	/* qword */
	bb_emit_reloc(&b, obj, 16, true);
	bb_emit(&b, 0x01234567);
	bb_emit(&b, 0x89abcdef);
	bb_emit(&b, MI_BATCH_BUFFER_END);
	CHECK_RET(bb_exec(&b, &obj, 1, I915_EXEC_BLT, NULL, NULL), 0);
	read_back(obj, 0, got, sizeof(got));
	if (got[0] || got[1])
		FAIL("MI_FLUSH_DW without post-sync op stored %#x %#x", got[0], got[1]);
	if (got[2] != 0xf1a5f1a5 || got[3])
		FAIL("MI_FLUSH_DW dword post-sync store: read %#x %#x", got[2], got[3]);
	if (got[4] != 0x01234567 || got[5] != 0x89abcdef)
		FAIL("MI_FLUSH_DW qword post-sync store: read %#x %#x", got[4], got[5]);
	gem_close(fd, obj);
}

/* ======================================================================== */
/* Subtest table                                                             */
/* ======================================================================== */

static void build_subtest_table(void)
{
	add("vi915-flush-dw", test_exec_flush_dw, 0, 0);
}

int main(int argc, char **argv)
{
	return harness_main(argc, argv, "gem_exec_flush", build_subtest_table);
}
