#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# dev-check.sh [ARGS]  - developer loop: rebuild vi915.ko and the test programs against the
# cached kernel, boot the guest once in "check" mode with ARGS (comma separated, passed to
# every test program, e.g. "-s,coherency-sync,-v") and print the verdict.
# Output under ${VI915_DEV_OUT:-build/dev}; needs a kernel already built by `make check`.
# VI915_DEV_SRC=DIR builds vi915.ko from another tree (e.g. a worktree of main, to see a
# new test fail on the old driver) with this tree's test programs.
# Without ARGS the own programs run under IGT's runner over VI915_DEV_OWN_LIST (default
# tests/igt/vi915.testlist: a shorter list runs a selection); VI915_DEV_MODE=igt boots Debian's
# IGT instead, over VI915_DEV_LIST (default the fast-feedback list).
# VI915_DEV_FLAVOUR=kasan|gcc picks the kernel (default kasan, the one `make check` tests on).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")
. "$here/config.sh"
out=${VI915_DEV_OUT:-$top/build/dev}
# The layout gate runs in kernel.sh; set KDIR to skip it in a tight loop.
kdir=${KDIR:-$("$here/kernel.sh" "${VI915_DEV_FLAVOUR:-kasan}" 2>/dev/null)}
llvm=$(cat "$kdir/.vi915-llvm" 2>/dev/null || true)
rm -rf "$out/mod"; mkdir -p "$out/mod"
(cd "${VI915_DEV_SRC:-$top}" && tar -cf - --exclude=./build --exclude=./.git --exclude='*.o' --exclude='*.ko' \
	--exclude='*.cmd' --exclude='*.mod*' --exclude=modules.order --exclude=Module.symvers .) |
	tar -xf - -C "$out/mod"
make -s -C "$kdir" M="$out/mod" LLVM="$llvm" modules
rm -rf "$out/importer"; cp -r "$top/tests/importer" "$out/importer"
make -s -C "$kdir" M="$out/importer" LLVM="$llvm" modules
make -s -C "$top/tests" O="$out/bin"
mode=${VI915_DEV_MODE:-check}
IGT_ROOT=$("$here/igt-fetch.sh" 2>/dev/null) \
IGT_LISTS="vi915=${VI915_DEV_OWN_LIST:-$top/tests/igt/vi915.testlist} igt=${VI915_DEV_LIST:-$top/tests/igt/fast-feedback.testlist}" \
	"$here/initramfs.sh" "$out/initramfs.cpio.gz" "$out/bin" "$out/mod/vi915.ko" \
	"$out/importer/vi915_importer.ko" "$kdir/drivers/gpu/drm/vgem/vgem.ko" \
	"$kdir/drivers/gpu/drm/drm_shmem_helper.ko" >/dev/null
"$here/boot.sh" "$kdir/arch/x86/boot/bzImage" "$out/initramfs.cpio.gz" "$mode" "$out/guest.log" \
	"${VI915_DEV_TIMEOUT:-900}" "${1:-}" || true
grep -E '^(SUCCESS|FAIL|SKIP|\[|[0-9]+ passed)|VI915-' "$out/guest.log" | grep -v '^\[ *[0-9]' || true
rm -rf "$out/results"
python3 "$here/igt-judge.py" extract "$out/guest.log.results" "$out/results" || true
for r in "$out"/results/*/results.json; do
	[ -f "$r" ] || continue
	n=$(basename "$(dirname "$r")")
	if [ "$n" = igt ]; then
		python3 "$here/igt-judge.py" judge "$r" "${VI915_DEV_LIST:-$top/tests/igt/fast-feedback.testlist}" \
			--expect "$top/tests/igt/vi915" --label "Debian IGT" || true
	else
		python3 "$here/igt-judge.py" judge "$r" "${VI915_DEV_OWN_LIST:-$top/tests/igt/vi915.testlist}" \
			--label "own programs" || true
	fi
done
python3 "$here/verdict.py" "$out/guest.log"
