#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Builds (or reuses) the test kernel in a cache outside the repo and prints its build dir.
# Key: kernel source version + config fragment + rustc + bindgen versions.
# Every fragment line is verified after olddefconfig; the layout gate runs on every run
# (and proves it can fail, with an injected mismatch, on every kernel build).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")
. "$here/config.sh"

fragment=$top/kernel/vi915.config
src=$VI915_CACHE/src/linux-source-$LINUX_SOURCE_DEB_VERSION
[ -f "$src/.unpacked" ] || { echo "kernel: no kernel source at $src (run scripts/install.sh)" >&2; exit 1; }

key=$( {
	echo "linux-source $LINUX_SOURCE_DEB_VERSION"
	cat "$fragment"
	rustc --version
	bindgen --version
} | sha256sum | cut -c1-16)
build=$VI915_CACHE/kernel/$key
log() { printf 'kernel: %s\n' "$*" >&2; }

if [ -f "$build/.vi915-built" ]; then
	log "reusing $build (key $key)"
	# The layouts are proven on every run, not only when the kernel was built.
	"$here/layout-gate.sh" "$build" >&2
	echo "$build"
	exit 0
fi

log "building in $build (key $key); this takes a few minutes"
mkdir -p "$build"
start=$(date +%s)
mk() { make -s -C "$src" O="$build" LLVM= "$@"; }
mk rustavailable >&2
mk tinyconfig >&2
"$src/scripts/kconfig/merge_config.sh" -m -O "$build" "$build/.config" "$fragment" >/dev/null
mk olddefconfig >&2
"$here/check-config.sh" "$fragment" "$build/.config"
mk -j"$(nproc)" all >&2
"$here/layout-gate.sh" "$build" >&2
"$here/layout-gate.sh" "$build" --selftest >&2
touch "$build/.vi915-built"
log "built in $(( $(date +%s) - start )) s"
# Keep this build and the previous one; older keys are only disk.
ls -dt "$VI915_CACHE"/kernel/*/ 2>/dev/null | tail -n +3 | while read -r old; do
	log "pruning old kernel build $old"
	rm -rf "$old"
done
echo "$build"
