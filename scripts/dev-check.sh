#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# dev-check.sh [ARGS]  - developer loop: rebuild vi915.ko and the test programs against the
# cached kernel, boot the guest once in "check" mode with ARGS (comma separated, passed to
# every test program, e.g. "-s,coherency-sync,-v") and print the verdict.
# Output under ${VI915_DEV_OUT:-build/dev}; needs a kernel already built by `make check`.
# VI915_DEV_SRC=DIR builds vi915.ko from another tree (e.g. a worktree of main, to see a
# new test fail on the old driver) with this tree's test programs.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")
. "$here/config.sh"
out=${VI915_DEV_OUT:-$top/build/dev}
# The layout gate runs in kernel.sh; set KDIR to skip it in a tight loop.
kdir=${KDIR:-$("$here/kernel.sh" 2>/dev/null)}
rm -rf "$out/mod"; mkdir -p "$out/mod"
(cd "${VI915_DEV_SRC:-$top}" && tar -cf - --exclude=./build --exclude=./.git --exclude='*.o' --exclude='*.ko' \
	--exclude='*.cmd' --exclude='*.mod*' --exclude=modules.order --exclude=Module.symvers .) |
	tar -xf - -C "$out/mod"
make -s -C "$kdir" M="$out/mod" modules
rm -rf "$out/importer"; cp -r "$top/tests/importer" "$out/importer"
make -s -C "$kdir" M="$out/importer" modules
make -s -C "$top/tests" O="$out/bin"
"$here/initramfs.sh" "$out/initramfs.cpio.gz" "$out/bin" "$out/mod/vi915.ko" \
	"$out/importer/vi915_importer.ko" >/dev/null
"$here/boot.sh" "$kdir/arch/x86/boot/bzImage" "$out/initramfs.cpio.gz" check "$out/guest.log" \
	"${VI915_DEV_TIMEOUT:-900}" "${1:-}" || true
grep -E '^(SUCCESS|FAIL|SKIP|\[|[0-9]+ passed)|VI915-' "$out/guest.log" | grep -v '^\[ *[0-9]' || true
python3 "$here/verdict.py" "$out/guest.log"
