#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# initramfs.sh OUT.cpio.gz BIN_DIR MODULE... : a busybox initramfs holding the modules
# (in /lib/modules), the static test programs of BIN_DIR (in /bin) and the init script.
# With IGT_ROOT=<unpacked Debian IGT set> and IGT_LISTS="<name>=<testlist> ...": also
# Debian's IGT runner, the test binaries those lists name and their libraries
# (scripts/igt-root.py), and the lists themselves as /etc/vi915/<name>.testlist.
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
mkdir -p "$root/etc/vi915"
lists=()
for nl in ${IGT_LISTS:-}; do
	cp "${nl#*=}" "$root/etc/vi915/${nl%%=*}.testlist"
	# (the own programs' list names this initramfs's /bin programs, not IGT's)
	case ${nl%%=*} in vi915*) ;; *) lists+=("${nl#*=}") ;; esac
done
if [ -n "${IGT_ROOT:-}" ]; then
	python3 "$here/igt-root.py" "$IGT_ROOT" "$root" "${lists[@]}" >&2
	ln -s /usr/bin/igt_runner /usr/bin/igt_results "$root/bin/"
fi
install -m 0755 "$here/guest-init.sh" "$root/init"
(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0) | gzip -1 >"$out"
