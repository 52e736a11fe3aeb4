#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# initramfs.sh OUT.cpio.gz BIN_DIR MODULE... : a busybox initramfs holding the modules
# (in /lib/modules), the static test programs of BIN_DIR (in /bin) and the init script.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=$1 bindir=$2; shift 2
root=$(mktemp -d "${TMPDIR:-/tmp}/vi915-initramfs.XXXXXX")
trap 'rm -rf "$root"' EXIT
mkdir -p "$root"/{bin,dev,proc,sys,tmp,lib/modules}
cp /bin/busybox "$root/bin/busybox"
ln -s busybox "$root/bin/sh"
file -L /bin/busybox | grep -q 'statically linked' || { echo "initramfs: /bin/busybox is not static (install busybox-static)" >&2; exit 1; }
for m in "$@"; do cp "$m" "$root/lib/modules/"; done
for b in "$bindir"/*; do
	[ -x "$b" ] || continue
	if ! file -L "$b" | grep -q 'statically linked'; then
		echo "initramfs: $b is not statically linked" >&2; exit 1
	fi
	cp "$b" "$root/bin/"
done
install -m 0755 "$here/guest-init.sh" "$root/init"
(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0) | gzip -1 >"$out"
