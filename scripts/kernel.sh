#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# kernel.sh [gcc|kasan]
# Builds (or reuses) a test kernel in a cache outside the repo and prints its build dir.
#   gcc   (default) GCC, tinyconfig + kernel/vi915.config
#   kasan clang (LLVM=-19), tinyconfig + kernel/vi915.config + kernel/kasan.config
#         (generic inline KASAN, kmemleak, page poisoning; lockdep as in gcc)
# Key: flavour + kernel source version + fragments + compiler, rustc and bindgen versions.
# The build dir's .vi915-llvm holds the LLVM= value that modules must be built with.
# Every fragment line is verified after olddefconfig; the layout gate proves every kernel
# build (and that it can fail, with an injected mismatch); on reuse it reports that proof.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")
. "$here/config.sh"

flavour=${1:-gcc}
case $flavour in
gcc) fragments=("$top/kernel/vi915.config") llvm="" cc=gcc ;;
kasan) fragments=("$top/kernel/vi915.config" "$top/kernel/kasan.config") llvm=-19 cc=clang-19 ;;
*) echo "kernel: unknown flavour '$flavour' (gcc|kasan)" >&2; exit 1 ;;
esac
src=$VI915_CACHE/src/linux-source-$LINUX_SOURCE_DEB_VERSION
[ -f "$src/.unpacked" ] || { echo "kernel: no kernel source at $src (run scripts/install.sh)" >&2; exit 1; }

key=$( {
	echo "linux-source $LINUX_SOURCE_DEB_VERSION"
	cat "${fragments[@]}"
	[ "$flavour" = gcc ] || { echo "flavour $flavour"; "$cc" --version | head -1; }
	rustc --version
	bindgen --version
} | sha256sum | cut -c1-16)
build=$VI915_CACHE/kernel/$key
log() { printf 'kernel: %s\n' "$*" >&2; }

if [ -f "$build/.vi915-built" ]; then
	log "reusing $build (key $key)"
	# The layouts were proven when this build was made; the gate reports that (or proves
	# them again if the gate itself changed since, see layout-gate.sh).
	"$here/layout-gate.sh" "$build" >&2
	echo "$build"
	exit 0
fi

log "building the $flavour kernel in $build (key $key); this takes a few minutes"
mkdir -p "$build"
printf '%s\n' "$llvm" >"$build/.vi915-llvm"
start=$(date +%s)
mk() { make -s -C "$src" O="$build" LLVM="$llvm" "$@"; }
mk rustavailable >&2
mk tinyconfig >&2
"$src/scripts/kconfig/merge_config.sh" -m -O "$build" "$build/.config" "${fragments[@]}" >/dev/null
mk olddefconfig >&2
"$here/check-config.sh" "${fragments[@]}" "$build/.config"
mk -j"$(nproc)" all >&2
"$here/layout-gate.sh" "$build" >&2
"$here/layout-gate.sh" "$build" --selftest >&2
touch "$build/.vi915-built"
log "built the $flavour kernel in $(( $(date +%s) - start )) s"
printf '%s\n' "$flavour" >"$build/.vi915-flavour"
# Keep this build and the previous one of each flavour; older keys are only disk.
# (An if, not `[ ] && echo`: a loop whose last test is false fails the pipeline under
# pipefail, and so the script after a build: seen when the last directory was the other flavour.)
for d in "$VI915_CACHE"/kernel/*/; do
	if [ "$(cat "$d/.vi915-flavour" 2>/dev/null || echo gcc)" = "$flavour" ]; then echo "$d"; fi
done | xargs -r ls -dt | tail -n +3 | while read -r old; do
	log "pruning old kernel build $old"
	rm -rf "$old"
done
echo "$build"
