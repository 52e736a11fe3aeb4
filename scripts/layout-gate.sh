#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# layout-gate.sh KBUILD_DIR [--selftest]
# Proves that bindgen's struct layouts equal the C compiler's for this kernel build:
# reruns the kernel's own bindgen command with layout tests on, then compiles the
# size/align/offset assertions as a throwaway module. A mismatch fails with the struct's name.
# The verdict is a function of the build (its cache key names the kernel source, fragments,
# compiler, rustc and bindgen) and of this gate: a success is recorded in the build dir with
# the gate's own hash, and a later run on the same build with the same gate reports it
# (VI915_GATE_RERUN=1 proves it again). A failure is never recorded.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "$1" && pwd)
selftest=${2:-}
cmdfile=$build/rust/bindings/.bindings_generated.rs.cmd
[ -f "$cmdfile" ] || { echo "layout-gate: $cmdfile missing (kernel not built with Rust?)" >&2; exit 1; }
gate_hash=$(cat "$here/layout-gate.sh" "$here/layout-gate/layout_gate.rs" "$cmdfile" | sha256sum | cut -c1-16)
stamp=$build/.vi915-layout-gate${selftest:+-selftest}
if [ -z "${VI915_GATE_RERUN:-}" ] && [ -f "$stamp" ] && [ "$(head -1 "$stamp")" = "$gate_hash" ]; then
	echo "$(tail -1 "$stamp") (proven on this build by this gate, gate $gate_hash)" >&2
	exit 0
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/vi915-layout.XXXXXX")
trap 'rm -rf "$work"' EXIT
out=$work/layout_bindings.rs

# The saved command is "bindgen ... -o rust/bindings/bindings_generated.rs -- cflags; sed ... $@".
cmd=$(sed -n 's/^savedcmd_[^ ]* := //p' "$cmdfile")
cmd=${cmd%%; *}
cmd=${cmd//--no-layout-tests/}
cmd=${cmd//\$(pound)/#}
cmd=${cmd//-o rust\/bindings\/bindings_generated.rs/-o $out}
[[ $cmd == *"-o $out"* ]] || { echo "layout-gate: cannot parse $cmdfile" >&2; exit 1; }
(cd "$build" && set -f && eval "$cmd")
# cfi_encoding attributes are unstable for modules and carry no layout.
sed -i -E 's/#\[cfi_encoding *= *"[^"]*"\]//g' "$out"
n=$(grep -c '\["\(Size\|Alignment\|Offset\) of' "$out" || true)
[ "$n" -gt 0 ] || { echo "layout-gate: bindgen produced no layout tests" >&2; exit 1; }

if [ "$selftest" = --selftest ]; then
	# Prove the gate can fail: pretend C's task_struct is 64 bytes bigger than bindgen says
	# (the GCC/SCHEDSTATS trap) and require the gate to fail naming task_struct.
	perl -0pi -e 's/(\["Size of task_struct"\]\[[^\]]*size_of::<task_struct>\(\) - )(\d+)usize/$1.($2+64)."usize"/e' "$out"
	grep -q 'Size of task_struct' "$out" || { echo "layout-gate selftest: no task_struct assertion" >&2; exit 1; }
fi
cp "$here/layout-gate/layout_gate.rs" "$work/"
printf 'obj-m := layout_gate.o\n' >"$work/Kbuild"
# The module build uses the kernel's compiler (clang for the kasan flavour: LLVM=-19).
llvm=$(cat "$build/.vi915-llvm" 2>/dev/null || true)
if ! make -s -C "$build" M="$work" LLVM="$llvm" modules >"$work/log" 2>&1; then
	echo "layout-gate: FAILED: bindgen and the C compiler disagree on these layouts:" >&2
	# rustc names the failing assertion: ["Size of task_struct"][...] etc.
	awk '/^error\[E0080\]/ { want = 8 } want > 0 { want--; if (match($0, /(Size|Alignment|Offset) of [A-Za-z0-9_:]+/)) { print "  " substr($0, RSTART, RLENGTH); want = 0 } }' \
		"$work/log" | sort -u >&2
	grep -m20 -E '^error' "$work/log" >&2 || true
	if [ "$selftest" = --selftest ]; then
		awk '/^error\[E0080\]/ { want = 8 } want > 0 { want--; if (/Size of task_struct/) found = 1 } END { exit !found }' "$work/log" ||
			{ echo "layout-gate selftest: failed, but did not name task_struct" >&2; exit 1; }
		msg="layout-gate selftest: a 64-byte task_struct mismatch is caught and named"
		printf '%s\n%s\n' "$gate_hash" "$msg" >"$stamp"
		echo "$msg" >&2
		exit 0
	fi
	exit 1
fi
if [ "$selftest" = --selftest ]; then
	echo "layout-gate selftest: the injected mismatch was NOT caught" >&2
	exit 1
fi
msg="layout-gate: $n layout assertions agree (bindgen vs C compiler)"
printf '%s\n%s\n' "$gate_hash" "$msg" >"$stamp"
echo "$msg" >&2
