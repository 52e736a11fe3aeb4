#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Host-side proofs, fast, no QEMU:
# - the verdict can fail: every rule fires on its fixture log (only the clean fixture passes);
# - check-config fails, naming the option, when a fragment line did not stick.
# Prints "host-tests: N passed, N failed".
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
v="python3 $top/scripts/verdict.py"
fx=$top/tests/fixtures
pass=0 fail=0
check() { # name, expected exit, expected rule text (or ""), args...
	local name=$1 want=$2 rule=$3; shift 3
	local out rc
	out=$($v "$@" 2>&1); rc=$?
	if [ "$rc" = "$want" ] && { [ -z "$rule" ] || grep -q "rule $rule:" <<<"$out"; }; then
		pass=$((pass + 1)); echo "  ok   $name"
	else
		fail=$((fail + 1)); echo "  FAIL $name (rc=$rc, wanted $want ${rule:+rule $rule})"; sed 's/^/       /' <<<"$out"
	fi
}
echo "verdict fixtures:"
check clean 0 "" "$fx/clean.log"
for f in "$fx"/*.log; do
	rule=$(basename "$f" .log)
	[ "$rule" = clean ] && continue
	check "$rule" 1 "$rule" "$f"
done
# Expect mode: the expected report passes, a clean log does not, a wrong lock name does not.
check expect-circular 0 "" "$fx/circular-locking.log" --expect circular \
	--expect-lock vi915_canary_lock_a --expect-lock vi915_canary_lock_b
check expect-circular-missing 1 "expected-circular-report-missing" "$fx/clean.log" --expect circular
check expect-wrong-lock 1 "expected-report-lacks-lock /no_such_lock/" "$fx/circular-locking.log" \
	--expect circular --expect-lock no_such_lock
check expect-lockdep-recursive 0 "" "$fx/recursive-locking.log" --expect lockdep --expect-lock 'mmap_lock'
check expect-still-sees-oops 1 "oops" "$fx/oops.log" --expect lockdep
# A real boot of the canary module (captured from this kernel): judged normally it fails,
# judged as the expected report it passes.
check real-canary-is-not-clean 1 "circular-locking" "$fx/real-canary-boot.txt"
check real-canary-expected 0 "" "$fx/real-canary-boot.txt" --expect circular \
	--expect-lock vi915_canary_lock_a --expect-lock vi915_canary_lock_b
# A real boot of the canary in warn mode: the WARN must fail the verdict.
check real-warn-canary 1 "warning" "$fx/real-warn-canary-boot.txt"
check missing-log 1 "missing-log" "$fx/no-such.log"
# kmemleak: a suspect that is not the driver's is only a note.
check kmemleak-foreign-only 0 "" "$fx/kmemleak-foreign.txt"
# The guest echoes its kmemleak markers to the console while the kernel prints (the scan's
# "N new suspected memory leaks"): a kernel line can land on the marker's line. The label
# is still the marker's (the canary check counts suspects per label).
check kmemleak-marker-shares-a-line 1 "kmemleak" "$fx/kmemleak-interleaved.txt"
if $v "$fx/kmemleak-interleaved.txt" | grep -q 'attributed to vi915: after-rmmod 1$'; then
	pass=$((pass + 1)); echo "  ok   kmemleak-marker-label"
else
	fail=$((fail + 1)); echo "  FAIL kmemleak-marker-label"; $v "$fx/kmemleak-interleaved.txt" | sed 's/^/       /'
fi
# Segments of one boot (several canaries, or the normal build's scenarios, in one guest).
check segment-report 1 "warning" "$fx/segments.txt" --segment warn
check segment-clean 0 "" "$fx/segments.txt" --segment scenario-gtt-fault
check segment-missing 1 "segment-missing no-such" "$fx/segments.txt" --segment no-such
check segment-unfinished 1 "segment-unfinished cut-short" "$fx/segments.txt" --segment cut-short
check outside-segments-clean 0 "" "$fx/segments-closed.txt" --outside-segments
check outside-unfinished-segment 1 "missing-result-line" "$fx/segments.txt" --outside-segments
check whole-run-sees-segments 1 "warning" "$fx/segments.txt"
echo "check-config fixtures:"
cfg() { # name, expected exit, text expected in the output, config, fragment...
	local name=$1 want=$2 text=$3 config=$4 out rc
	shift 4
	out=$("$top/scripts/check-config.sh" "${@/#/$fx/config/}" "$fx/config/$config" 2>&1); rc=$?
	if [ "$rc" = "$want" ] && grep -q -- "$text" <<<"$out"; then
		pass=$((pass + 1)); echo "  ok   $name"
	else
		fail=$((fail + 1)); echo "  FAIL $name (rc=$rc)"; sed 's/^/       /' <<<"$out"
	fi
}
cfg all-stuck 0 "all 3 fragment lines stuck" good.config fragment
cfg dropped-option 1 "CONFIG_SCHEDSTATS did not stick" dropped.config fragment
cfg forced-option 1 "CONFIG_WERROR did not stick" forced-on.config fragment
# Two fragments (base + flavour overlay, as the kasan kernel): the overlay's line wins.
cfg overlay-wins 0 "all 3 fragment lines stuck" dropped.config fragment overlay
cfg overlay-checked 1 "CONFIG_SCHEDSTATS did not stick" good.config fragment overlay
echo "IGT results judge fixtures:"
judge() { # name, expected exit, text expected in the output, results fixture
	local out rc
	out=$(python3 "$top/scripts/igt-judge.py" judge "$fx/igt/$4.json" "$fx/igt/fixture.testlist" \
		--expect "$fx/igt/exp" 2>&1); rc=$?
	if [ "$rc" = "$2" ] && grep -q -- "$3" <<<"$out"; then
		pass=$((pass + 1)); echo "  ok   $1"
	else
		fail=$((fail + 1)); echo "  FAIL $1 (rc=$rc)"; sed 's/^/       /' <<<"$out"
	fi
}
judge as-expected 0 "2 passed, 0 failed, 1 skipped (1 expected failures" as-expected
judge unexpected-pass 1 "igt@t@xfail: UnexpectedPass, expected Fail" unexpected-pass
judge unexpected-fail 1 "igt@t@pass: Fail, expected Pass" unexpected-fail
judge dmesg-warn-never-expected 1 "igt@t@pass: DmesgWarn" dmesg-warn
judge missing-result 1 "igt@t@dyn: no result" missing-result
judge unexpected-skip 1 "igt@t@pass: Skip, expected Pass" unexpected-skip
judge runner-aborted 1 "igt@runner@aborted: the runner aborted" aborted
echo "host-tests: $pass passed, $fail failed"
[ "$fail" = 0 ]
