// SPDX-License-Identifier: GPL-2.0
/*
 * gem_pread - vi915 uAPI subtests mirroring IGT's gem_pread: PREAD and PWRITE
 * wait for the engine (test_cpu_access_waits() in uapi_common.c).
 *
 * Part of the vi915 uAPI conformance tests (one program per IGT test they
 * mirror; subtest naming, the harness checks and the shared helpers:
 * uapi_common.h).
 *
 * Usage: gem_pread [-d SECONDS] [-t SECONDS] [-s NAME]... [-l] [-v] [-J]
 */
#define _GNU_SOURCE

#include "uapi_common.h"

/* ======================================================================== */
/* Subtest table                                                             */
/* ======================================================================== */

static void build_subtest_table(void)
{
	add("vi915-waits-for-engine", test_cpu_access_waits, 0, 0);
}

int main(int argc, char **argv)
{
	return harness_main(argc, argv, "gem_pread", build_subtest_table);
}
