// SPDX-License-Identifier: GPL-2.0
/*
 * gem_eio - vi915 uAPI subtests mirroring IGT's gem_eio: a request that fails
 * on the engine (unknown command, no batch end, bad blit, address outside the
 * request) signals its out-fence with EIO, and GEM_WAIT and SET_DOMAIN on its
 * objects answer 0, as i915's do after a hang (IGT gem_eio's wait subtest:
 * "if the request we wait on completes due to a hang, the user expects 0").
 *
 * Part of the vi915 uAPI conformance tests (one program per IGT test they
 * mirror; subtest naming, the harness checks and the shared helpers:
 * uapi_common.h).
 *
 * Usage: gem_eio [-d SECONDS] [-t SECONDS] [-s NAME]... [-l] [-v] [-J]
 */
#define _GNU_SOURCE
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "uapi_common.h"

/* GEM_WAIT and SET_DOMAIN on handle, whose last request failed, answer 0. */
static void expect_waits_ok(uint32_t handle, const char *what)
{
	int w = __gem_wait(fd, handle, NULL);
	int d = __gem_set_domain(fd, handle, I915_GEM_DOMAIN_CPU, 0);

	if (w || d)
		FAIL("%s: GEM_WAIT %s, SET_DOMAIN %s after the failed request; i915 answers 0 "
		     "for both", what, errname(w), errname(d));
}

/* The request behind out-fence f failed; GEM_WAIT and SET_DOMAIN on handle answer 0. */
static void expect_eio(int f, uint32_t handle, const char *what)
{
	expect_request_failed(f, what);
	expect_waits_ok(handle, what);
}

/*
 * gem_eio@vi915-unknown-command (IGT gem_eio checks that a failed request
 * shows up as EIO; vi915 has no hangs, an unknown command is its error):
 * 1. a batch storing 0x1111 at T+0, then an unknown command (PIPE_CONTROL),
 *    then a store at T+4 (must be skipped); T is a GEM object, a userptr
 *    U rides along in the list;
 * 2. execbuf succeeds (the error is asynchronous): the out-fence signals
 *    with EIO; GEM_WAIT and SET_DOMAIN on T, U and the batch answer 0;
 * 3. a later good request on T: T shows the first store but not the
 *    skipped one; the old batch and U still wait fine; a good request on U
 *    writes it.
 */
static void test_eio_unknown_command(int arg)
{
	uint32_t *user = mmap_anon(PAGE_SIZE, MAP_SHARED);
	uint32_t t = gem_create(PAGE_SIZE), u = gem_userptr(user, PAGE_SIZE, 0), batch;
	uint32_t targets[2] = { t, u }, got[3];
	struct bb b;
	int f;

	(void)arg;
	/* 1. */
	bb_init(&b);
	bb_store_dword(&b, t, 0, 0x1111, true);
	bb_emit(&b, MI_UNKNOWN_3D);
	bb_emit(&b, 0);
	bb_emit(&b, 0);
	bb_emit(&b, 0);
	bb_emit(&b, 0);
	bb_emit(&b, 0);
	bb_store_dword(&b, t, 4, 0x2222, true);
	bb_emit(&b, MI_BATCH_BUFFER_END);
	/* 2. */
	CHECK_RET(bb_exec_fenced(&b, targets, 2, I915_EXEC_BLT, &batch, NULL, &f), 0);
	expect_eio(f, t, "target of the failed request");
	expect_waits_ok(u, "userptr in the failed request");
	expect_waits_ok(batch, "batch of the failed request");
	/* 3. */
	bb_init(&b);
	bb_store_dword(&b, t, 8, 0x3333, true);
	bb_emit(&b, MI_BATCH_BUFFER_END);
	CHECK_RET(bb_exec(&b, &t, 1, I915_EXEC_BLT, NULL, NULL), 0);
	read_back(t, 0, got, sizeof(got));
	CHECK_RET(__gem_set_domain(fd, t, I915_GEM_DOMAIN_CPU, 0), 0);
	if (got[0] != 0x1111 || got[1] != 0 || got[2] != 0x3333)
		FAIL("after the failed and a good request T holds %#x %#x %#x, expected "
		     "0x1111 (before the bad command), 0 (skipped), 0x3333", got[0], got[1], got[2]);
	expect_waits_ok(batch, "old batch, no newer request");
	expect_waits_ok(u, "userptr, no newer request");
	bb_init(&b);
	bb_store_dword(&b, u, 0, 0x4444, true);
	bb_emit(&b, MI_BATCH_BUFFER_END);
	CHECK_RET(bb_exec(&b, &u, 1, I915_EXEC_BLT, NULL, NULL), 0);
	CHECK_RET(__gem_wait(fd, u, NULL), 0);
	CHECK_RET(__gem_set_domain(fd, u, I915_GEM_DOMAIN_CPU, 0), 0);
	if (user[0] != 0x4444)
		FAIL("userptr dword 0 is %#x after a good store of 0x4444", user[0]);
	gem_close(fd, batch);
	gem_close(fd, u);
	gem_close(fd, t);
	munmap(user, PAGE_SIZE);
}

/*
 * gem_eio@vi915-no-batch-end: a batch that runs off its end (4 KiB of
 * MI_NOOP; and BBE placed just past batch_len) ends in EIO.
 */
static void test_eio_no_bbe(int arg)
{
	const uint32_t cs[4] = { MI_NOOP, MI_NOOP, MI_BATCH_BUFFER_END, MI_NOOP };
	struct exec_fixture f;
	uint32_t zeros = gem_create(PAGE_SIZE);
	int out;

	(void)arg;
	fixture_init(&f);
	f.obj[0].handle = zeros;
	CHECK_RET(fixture_exec_fenced(&f, &out), 0);
	expect_eio(out, zeros, "batch of MI_NOOPs without MI_BATCH_BUFFER_END");
	gem_close(fd, zeros);

	f.obj[0].handle = f.batch;
	gem_write(fd, f.batch, 0, cs, sizeof(cs));
	f.eb.batch_len = 8;		/* BBE at 8: outside the batch */
	CHECK_RET(fixture_exec_fenced(&f, &out), 0);
	expect_eio(out, f.batch, "batch_len 8 with MI_BATCH_BUFFER_END at 8");
	f.eb.batch_len = 16;		/* the whole batch: a good request */
	CHECK_RET(fixture_exec_fenced(&f, &out), 0);
	expect_request_ok(out, "batch_len 16 with MI_BATCH_BUFFER_END at 8");
	fixture_fini(&f);
}

/*
 * gem_eio@vi915-bad-blit: XY_SRC_COPY_BLT with a ROP other than 0xCC;
 * XY_FAST_COPY_BLT with colour depth code 2 (no such depth), Ys tiling (3)
 * or a Yf bit (dw1 bit 31 / bit 30): each request fails (EIO).  A good
 * blit between the same objects afterwards works.  (XY_SRC_COPY_BLT depth
 * code 2 is not tested: the hardware's 16 bpp ARGB1555, which vi915
 * accepts as 16 bpp.)
 */
static void test_eio_bad_blit(int arg)
{
	uint32_t a = gem_create(SURF_SIZE), c = gem_create(SURF_SIZE);
	struct vi_blit good = {
		.dst = { .handle = a, .pitch = SURF_PITCH },
		.src = { .handle = c, .pitch = SURF_PITCH },
		.width = 64, .height = 16, .cpp = 4,
	};
	struct bb b;
	uint32_t cs[16];

	(void)arg;
	for (int k = 0; k < 6; k++) {
		struct vi_blit bad = good;
		uint32_t targets[2] = { a, c };
		unsigned int n;
		int f;

		bb_init(&b);
		if (k == 0)
			bad.rop = 0xf0;			/* PATCOPY */
		if (k >= 1)
			bad.fast = true;
		if (k == 2)
			bad.src.tiling = 3;		/* Ys */
		if (k == 3)
			bad.dst.tiling = 3;
		n = vi_emit_blit(cs, 0, &bad, b.reloc);
		if (k == 1)
			cs[1] = (cs[1] & ~(7u << 24)) | 2u << 24;	/* depth code 2 */
		if (k == 4)
			cs[1] |= 1u << 31;		/* Yf */
		if (k == 5)
			cs[1] |= 1u << 30;
		memcpy(b.cs, cs, 4 * n);
		b.n = n;
		b.nr_relocs = 2;
		bb_emit(&b, MI_BATCH_BUFFER_END);
		CHECK_RET(bb_exec_fenced(&b, targets, 2, I915_EXEC_BLT, NULL, NULL, &f), 0);
		{
			static const char *const what[] = {
				"XY_SRC_COPY_BLT ROP 0xf0", "XY_FAST_COPY_BLT depth code 2",
				"XY_FAST_COPY_BLT src Ys", "XY_FAST_COPY_BLT dst Ys",
				"XY_FAST_COPY_BLT dw1 bit 31", "XY_FAST_COPY_BLT dw1 bit 30",
			};

			expect_eio(f, a, what[k]);
		}
	}
	{
		int f;

		good.out_fence = &f;
		CHECK_RET(vi_blit(fd, &good), 0);
		CHECK_RET(__gem_wait(fd, a, NULL), 0);
		expect_request_ok(f, "a good blit after the bad ones");
	}
	gem_close(fd, a);
	gem_close(fd, c);
}

/*
 * gem_eio@vi915-address-outside: an address outside the request's objects
 * fails it (EIO): a store above 4 GiB, a store to the GGTT address of an
 * object that is not in the request (which must stay untouched), and a
 * blit overrunning its 4 KiB destination.
 */
static void test_eio_address_outside(int arg)
{
	struct drm_i915_gem_exec_object2 obj[2];
	uint32_t other = gem_create(PAGE_SIZE), t = gem_create(PAGE_SIZE), batch, v;
	struct bb b;
	uint64_t addr;
	int f;

	(void)arg;
	/* a store above the 4 GiB GGTT */
	bb_init(&b);
	bb_emit(&b, MI_STORE_DWORD | MI_USE_GGTT);
	bb_emit(&b, 0x1000);
	bb_emit(&b, 0x1);
	bb_emit(&b, 0xdead);
	bb_emit(&b, MI_BATCH_BUFFER_END);
	CHECK_RET(bb_exec_fenced(&b, &t, 1, I915_EXEC_BLT, &batch, NULL, &f), 0);
	expect_eio(f, batch, "store to 4 GiB + 4 KiB");
	gem_close(fd, batch);

	/* learn other's GGTT address, then store there without it in the list */
	bb_init(&b);
	bb_store_dword(&b, other, 0, 0x600d, true);
	bb_emit(&b, MI_BATCH_BUFFER_END);
	CHECK_RET(bb_exec(&b, &other, 1, I915_EXEC_BLT, NULL, obj), 0);
	addr = obj[0].offset;
	CHECK(read_dword(other, 0) == 0x600d);
	bb_init(&b);
	bb_emit(&b, MI_STORE_DWORD | MI_USE_GGTT);
	bb_emit(&b, (uint32_t)addr);
	bb_emit(&b, (uint32_t)(addr >> 32));
	bb_emit(&b, 0xbad);
	bb_emit(&b, MI_BATCH_BUFFER_END);
	CHECK_RET(bb_exec_fenced(&b, &t, 1, I915_EXEC_BLT, &batch, NULL, &f), 0);
	expect_eio(f, batch, "store to the GGTT address of an object outside the request");
	v = read_dword(other, 0);
	if (v != 0x600d)
		FAIL("the object outside the request was written: %#x", v);
	gem_close(fd, batch);

	/*
	 * a blit overrunning its destination: rows 16-17 of pitch 2 KiB, i.e.
	 * 32 KiB past the start of the 4 KiB object (far enough not to land in
	 * the request's batch, which is checked: the rule is about addresses
	 * outside every object of the request)
	 */
	{
		struct vi_blit big = {
			.dst = { .handle = t, .pitch = 2048, .y = 16 },
			.src = { .handle = t, .pitch = 2048 },
			.width = 512, .height = 2, .cpp = 4,
		};
		uint64_t lo, hi;

		bb_init(&b);
		b.n = vi_emit_blit(b.cs, 0, &big, b.reloc);
		b.nr_relocs = 2;
		bb_emit(&b, MI_BATCH_BUFFER_END);
		CHECK_RET(bb_exec_fenced(&b, &t, 1, I915_EXEC_BLT, &batch, obj, &f), 0);
		lo = obj[0].offset + 16 * 2048;
		hi = lo + 2 * 2048;
		if (obj[1].offset < hi && obj[1].offset + PAGE_SIZE > lo) {
			info("  note: the batch landed at the overrun address %#llx: not checked\n",
			     (unsigned long long)lo);
			CHECK_RET(__gem_wait(fd, batch, NULL), 0);
			close(f);
		} else {
			expect_eio(f, t, "blit writing 32 KiB past its 4 KiB destination");
		}
		gem_close(fd, batch);
	}
	gem_close(fd, other);
	gem_close(fd, t);
}

/* ======================================================================== */
/* Subtest table                                                             */
/* ======================================================================== */

static void build_subtest_table(void)
{
	add("vi915-unknown-command", test_eio_unknown_command, 0, 0);
	add("vi915-no-batch-end", test_eio_no_bbe, 0, 0);
	add("vi915-bad-blit", test_eio_bad_blit, 0, 0);
	add("vi915-address-outside", test_eio_address_outside, 0, 0);
}

int main(int argc, char **argv)
{
	return harness_main(argc, argv, "gem_eio", build_subtest_table);
}
