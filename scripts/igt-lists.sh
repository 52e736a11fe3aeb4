#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# igt-lists.sh: regenerates tests/igt/fast-feedback.testlist and
# tests/igt/full.testlist from the cached Debian IGT set (the binaries list
# their subtests on the host, through sid's own loader; nothing runs a test).
#   full:  every subtest of the binaries in tests/igt/binaries.txt
#   fast:  all of gem_userptr_blits but its long stress variants (mlocked-*,
#          forked-{sync,unsync}-*, swapping-*, minor-*, major-*, coherency-sync), the entries of IGT's own
#          i915.fast-feedback.testlist for those binaries, and every subtest
#          named basic* of them (the "basic" tier, as Intel CI's BAT), but
#          gem_pwrite@basic-exhaustion (past the per-test limit under TCG)
# The lists are committed; `make check` only reads them.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")
root=$("$here/igt-fetch.sh")
lib=$root/usr/lib/x86_64-linux-gnu
tests=$root/usr/libexec/igt-gpu-tools
bat=$root/usr/share/igt-gpu-tools/i915.fast-feedback.testlist
dir=$top/tests/igt
version=$(grep "^igt-gpu-tools-tests=" "$root/../versions.txt")
subtests() { "$lib/ld-linux-x86-64.so.2" --library-path "$lib" "$tests/$1" --list-subtests 2>/dev/null || true; }
bins=$(grep -v '^#' "$dir/binaries.txt")
{
	echo "# Every subtest of tests/igt/binaries.txt ($version); scripts/igt-lists.sh"
	for b in $bins; do
		s=$(subtests "$b")
		if [ -z "$s" ]; then echo "igt@$b"; else sed "s/^/igt@$b@/" <<<"$s"; fi
	done
} >"$dir/full.testlist"
{
	echo "# Fast feedback ($version; scripts/igt-lists.sh): gem_userptr_blits but its stress variants"
	echo "# (mlocked-*, forked-{sync,unsync}-*, swapping-*, minor-*, major-*, coherency-sync: full list only),"
	echo "# IGT's i915.fast-feedback entries and the basic* subtests of tests/igt/binaries.txt"
	echo "# (but gem_pwrite@basic-exhaustion, past the per-test limit under TCG: full list only)"
	for b in $bins; do
		if [ "$b" = gem_userptr_blits ]; then
			# The stress variants run in the full list: mlocked-* mlock every
			# pinnable page of the guest's RAM first; the forked-* ones
			# (forked children x copy loops, with swap, memory pressure or
			# several fds), swapping-*, minor-* and major-* loop copies under
			# memory pressure. Measured under TCG: 90 s to past the runner's
			# 120 s per-test timeout each, about an hour for the 44 of them.
			# coherency-sync copies between 2 x 2730 1 MiB buffers, more than
			# the 4 GiB GGTT holds (it evicts as they go): past the 120 s under
			# TCG, as vi915-fails.txt expects.
			grep "^igt@$b@" "$dir/full.testlist" |
				grep -vE "@(mlocked-|forked-(sync|unsync)-|swapping-|minor-|major-|coherency-sync$)"
			continue
		fi
		{
			# (a whole-binary entry only where the binary has no subtests)
			grep -E "^igt@$b@" "$bat" || true
			grep -E "^igt@$b@basic" "$dir/full.testlist" || true
			if grep -qxE "igt@$b" "$dir/full.testlist"; then echo "igt@$b"; fi
		} | awk '!seen[$0]++' |
			# gem_pwrite@basic-exhaustion starts threads (each importing a vgem
			# buffer and blocking on a userfaultfd page) until the kernel refuses
			# one, tens of thousands: under TCG it is killed at the runner's 120 s
			# and its teardown takes as long again (measured: 242 s). Full list
			# only, where vi915-fails.txt expects the Timeout.
			grep -vx "igt@gem_pwrite@basic-exhaustion" || true
	done
} >"$dir/fast-feedback.testlist"
echo "igt-lists: full $(grep -c ^igt@ "$dir/full.testlist"), fast $(grep -c ^igt@ "$dir/fast-feedback.testlist") entries"
