// SPDX-License-Identifier: GPL-2.0
/*
 * gem_blits - vi915 uAPI subtests mirroring IGT's gem_blits: XY_SRC_COPY_BLT
 * and XY_FAST_COPY_BLT between linear surfaces, against a CPU model
 * (test_blits() in uapi_common.c).
 *
 * Part of the vi915 uAPI conformance tests (one program per IGT test they
 * mirror; subtest naming, the harness checks and the shared helpers:
 * uapi_common.h).
 *
 * Usage: gem_blits [-d SECONDS] [-t SECONDS] [-s NAME]... [-l] [-v] [-J]
 */
#define _GNU_SOURCE

#include "uapi_common.h"

/* ======================================================================== */
/* Subtest table                                                             */
/* ======================================================================== */

static void build_subtest_table(void)
{
	add("basic", test_blits, 0, 0);
	add("vi915-fast-copy-linear", test_blits, 3, 0);
	add("vi915-basic-mapped", test_blits, 0 | BLITS_MAPPED, 0);
	add("vi915-fast-copy-linear-mapped", test_blits, 3 | BLITS_MAPPED, 0);
}

int main(int argc, char **argv)
{
	return harness_main(argc, argv, "gem_blits", build_subtest_table);
}
