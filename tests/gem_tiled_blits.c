// SPDX-License-Identifier: GPL-2.0
/*
 * gem_tiled_blits - vi915 uAPI subtests mirroring IGT's gem_tiled_blits:
 * XY_SRC_COPY_BLT and XY_FAST_COPY_BLT with X and Y tiled surfaces, against a
 * CPU model of the tile layouts (test_blits() in uapi_common.c).
 *
 * Part of the vi915 uAPI conformance tests (one program per IGT test they
 * mirror; subtest naming, the harness checks and the shared helpers:
 * uapi_common.h).
 *
 * Usage: gem_tiled_blits [-d SECONDS] [-t SECONDS] [-s NAME]... [-l] [-v] [-J]
 */
#define _GNU_SOURCE

#include "uapi_common.h"

/* ======================================================================== */
/* Subtest table                                                             */
/* ======================================================================== */

static void build_subtest_table(void)
{
	add("vi915-src-copy-x", test_blits, 1, 0);
	add("vi915-src-copy-y", test_blits, 2, 0);
	add("vi915-fast-copy-x", test_blits, 4, 0);
	add("vi915-fast-copy-y", test_blits, 5, 0);
	add("vi915-whole-tiles", test_blits, 6, 0);
	add("vi915-src-copy-x-mapped", test_blits, 1 | BLITS_MAPPED, 0);
	add("vi915-src-copy-y-mapped", test_blits, 2 | BLITS_MAPPED, 0);
	add("vi915-fast-copy-x-mapped", test_blits, 4 | BLITS_MAPPED, 0);
	add("vi915-fast-copy-y-mapped", test_blits, 5 | BLITS_MAPPED, 0);
	add("vi915-whole-tiles-mapped", test_blits, 6 | BLITS_MAPPED, 0);
}

int main(int argc, char **argv)
{
	return harness_main(argc, argv, "gem_tiled_blits", build_subtest_table);
}
