// SPDX-License-Identifier: GPL-2.0
/*
 * core_getversion - vi915 uAPI subtests mirroring IGT's core_getversion: the
 * driver ioctl numbers vi915 does not serve answer EINVAL.
 *
 * Part of the vi915 uAPI conformance tests (one program per IGT test they
 * mirror; subtest naming, the harness checks and the shared helpers:
 * uapi_common.h).
 *
 * Usage: core_getversion [-d SECONDS] [-t SECONDS] [-s NAME]... [-l] [-v] [-J]
 */
#define _GNU_SOURCE
#include <errno.h>
#include <string.h>

#include "uapi_common.h"

/*
 * core_getversion@vi915-unknown-driver-ioctl: vi915 extension (no IGT
 * subtest; the DRM core answers what the driver table does not serve).
 * README: the ioctl table is sparse; unused numbers in the driver range
 * (DRM_COMMAND_BASE .. 0x9f) answer EINVAL.
 */
static void test_unknown_ioctl(int arg)
{
	/* i915 numbers vi915 does not implement, and numbers past its table */
	static const unsigned int nrs[] = {
		0x00 /* INIT */, 0x01, 0x02, 0x05, 0x07, 0x13 /* GEM_INIT */,
		0x14 /* GEM_EXECBUFFER */, 0x16 /* GEM_UNPIN */, 0x19 /* ENTERVT */,
		0x20 /* SW_FINISH */, 0x31 /* REG_READ */,
		0x32 /* GET_RESET_STATS */, 0x36 /* PERF_OPEN */, 0x3a, 0x3b, 0x3d, 0x3f, 0x5f,
	};
	unsigned char buf[64];

	(void)arg;
	for (size_t i = 0; i < ARRAY_SIZE(nrs); i++) {
		unsigned int nr = DRM_COMMAND_BASE + nrs[i];
		int r1, r2, r3;

		memset(buf, 0, sizeof(buf));
		r1 = ioctl_err(fd, _IO(DRM_IOCTL_BASE, nr), NULL);
		r2 = ioctl_err(fd, _IOWR(DRM_IOCTL_BASE, nr, char[16]), buf);
		r3 = ioctl_err(fd, _IOW(DRM_IOCTL_BASE, nr, char[64]), buf);
		if (r1 != -EINVAL || r2 != -EINVAL || r3 != -EINVAL)
			FAIL("driver ioctl nr %#x (DRM_COMMAND_BASE + %#x): IO %s, IOWR(16) %s, "
			     "IOW(64) %s; expected EINVAL", nr, nrs[i], errname(r1), errname(r2),
			     errname(r3));
	}
	/* the device still works */
	CHECK_RET(ioctl_err(fd, DRM_IOCTL_I915_GEM_THROTTLE, NULL), 0);
}

/* ======================================================================== */
/* Subtest table                                                             */
/* ======================================================================== */

static void build_subtest_table(void)
{
	add("vi915-unknown-driver-ioctl", test_unknown_ioctl, 0, 0);
}

int main(int argc, char **argv)
{
	return harness_main(argc, argv, "core_getversion", build_subtest_table);
}
