#!/bin/busybox sh
# SPDX-License-Identifier: GPL-2.0
# /init of the vi915 test guest (busybox). The mode comes from the kernel command line
# (vi915.mode=...). The last thing printed is "VI915-RESULT: rc=N", which the host parses:
# a guest that hangs or panics never prints it, so it can never pass.
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
mount -t debugfs debugfs /sys/kernel/debug
mount -t tmpfs tmpfs /tmp
echo 1 > /proc/sys/kernel/hung_task_panic 2>/dev/null

mode=run args=""
for w in $(cat /proc/cmdline); do
	case "$w" in
	vi915.mode=*) mode=${w#vi915.mode=} ;;
	vi915.args=*) args=$(echo "${w#vi915.args=}" | tr ',' ' ') ;;
	vi915.duration=*) export VI915_DURATION=${w#vi915.duration=} ;;
	esac
done
echo "VI915-MODE: $mode"

debug_locks() { sed -n 's/^ *debug_locks: *//p' /proc/lockdep_stats; }
# An in-memory swap device (memory-backed null_blk, see boot.sh), so that
# swap-out really happens in tests (MADV_PAGEOUT, the swapping-* subtests).
setup_swap() {
	[ -b /dev/nullb0 ] || { echo "VI915-SWAP: no /dev/nullb0"; return 1; }
	mkswap /dev/nullb0 >/dev/null && swapon /dev/nullb0 &&
		echo "VI915-SWAP: $(tail -n +2 /proc/swaps | tr -s ' ' | cut -d' ' -f1,3)"
}
# run_igt NAME TEST_ROOT TESTLIST: IGT's own runner (Debian's igt_runner) over a
# test list, results in /tmp/results/NAME (one directory per test, with its
# stdout, stderr and the kernel log it produced, judged by the runner), then
# shipped to the host on the second serial port (send_results). MULTI (4th
# argument "multi"): the runner's multiple mode, one execution per binary for the
# list's consecutive subtests of it (the project's own programs: each subtest still
# runs in a child of its own, judged on its own kernel log by the runner, which
# splits it at the "[IGT] ... starting subtest" markers). Measured in the guest:
# a separate execution per subtest costs ~0.3 s of the runner's on top of the
# subtest (12 subtests: 10.4 s one by one, 6.6 s in one execution).
run_igt() {
	local name=$1 root=$2 list=$3 multi= rc
	[ "${4:-}" = multi ] && multi=-m
	mkdir -p /tmp/results
	echo "VI915-IGT: $name: $(grep -c '^igt@' "$list") entries from $list${multi:+ (multiple mode)}"
	igt_runner $multi -o --test-list "$list" --per-test-timeout "${IGT_TIMEOUT:-120}" \
		--overall-timeout "${IGT_OVERALL:-2400}" --dmesg-warn-level 4 \
		"$root" "/tmp/results/$name" >"/tmp/results/$name.runner.log" 2>&1
	rc=$?
	tail -n 5 "/tmp/results/$name.runner.log"
	send_results "$name"
	return $rc
}
# The results directory, as a gzipped tar in base64, on /dev/ttyS1 (a serial
# port of its own: the kernel's console output cannot interleave with it).
send_results() {
	stty -F /dev/ttyS1 raw -echo 2>/dev/null
	{
		echo "VI915-RESULTS-BEGIN $1"
		tar -C /tmp/results -cf - "$1" "$1.runner.log" | gzip -1 | base64
		echo "VI915-RESULTS-END $1"
	} >/dev/ttyS1
}
# The project's own programs, from their test list.
own_programs() {
	sed -n 's/^igt@\([^@]*\).*/\1/p' /etc/vi915/vi915.testlist | sort -u
}
# A test root for the project's own programs: igt_runner wants one directory
# with the binaries and a test-list.txt.
own_root() {
	mkdir -p /tmp/own
	for p in $(own_programs); do
		ln -sf "/bin/$p" "/tmp/own/$p"
	done
	printf 'TESTLIST\n%s\nEND TESTLIST\n' "$(ls /tmp/own | tr '\n' ' ')" >/tmp/own/test-list.txt
	echo /tmp/own
}
# kmemleak (the KASAN kernel; absent on the GCC one). kmemleak_quiet turns off the
# automatic scans (the first comes 60 s after boot, then every 10 min, each many seconds
# of a TCG guest's CPU): only the scans asked for here. Nothing forgets what the boot
# itself left unreferenced (a scan, 12 s here; none seen): the verdict judges only the
# suspects attributed to vi915 and notes the others. kmemleak_report lets objects age
# past kmemleak's minimum (5 s), scans twice and prints every suspect between markers
# the verdict reads (it fails on those whose allocation backtrace is vi915's).
KML=/sys/kernel/debug/kmemleak
kmemleak_quiet() {
	[ -e $KML ] || return 0
	echo scan=off >$KML 2>/dev/null
}
kmemleak_report() { # label [aged: what it must see is older than 5 s already]
	[ -e $KML ] || return 0
	[ "${2:-}" = aged ] || sleep 6
	if echo scan >$KML 2>/dev/null && echo scan >$KML 2>/dev/null; then
		# A scan that finds new suspects says so on the console ("kmemleak: N new
		# suspected memory leaks"), printed after the write returns: let it out
		# before the marker, which it once split in two (a failed CI run).
		sleep 1
		echo "VI915-KMEMLEAK-BEGIN $1"
		cat $KML
		echo "VI915-KMEMLEAK-END $1"
	else
		echo "VI915-KMEMLEAK: disabled (scan refused)"
	fi
}
# Segments of one boot that the host judges on their own (verdict.py --segment):
# the markers go through the kernel log, so the kernel's own reports stay in order
# with them.
segment_begin() { echo "VI915-SEGMENT-BEGIN $1" >/dev/kmsg; }
segment_end() { sleep 0.3; echo "VI915-SEGMENT-END $1" >/dev/kmsg; sleep 0.3; }
# The normal build's side of the negative controls: the scenarios that the pre-seed
# and bad-engine builds make lockdep report must stay clean here, each its own segment.
SCENARIOS="gtt-fault process-exit-gtt ioctl-vs-fault engine-signalling"
scenarios_clean() {
	for sc in $SCENARIOS; do
		segment_begin "scenario-$sc"
		step /bin/vi915_negctl "$sc"
		segment_end "scenario-$sc"
	done
}
rc=0
step() { # run a command, remember the first failure
	echo "VI915-STEP: $*"
	"$@"
	r=$?
	[ $r = 0 ] || { echo "VI915-STEP-FAILED: rc=$r: $*"; [ $rc = 0 ] && rc=$r; }
	return $r
}

case "$mode" in
run)
	step insmod /lib/modules/vi915.ko && step /bin/vi915_demo
	step rmmod vi915
	;;
check)
	step setup_swap
	kmemleak_quiet
	if step insmod /lib/modules/vi915.ko; then
		scenarios_clean
		# The own programs, all run by IGT's runner. The revocation
		# matrix's importer is a test-only module, loaded for the run;
		# vgem exports the foreign dma-bufs prime_vgem imports.
		step insmod /lib/modules/vi915_importer.ko
		insmod /lib/modules/drm_shmem_helper.ko 2>/dev/null
		step insmod /lib/modules/vgem.ko
		if [ -n "$args" ]; then
			# A developer's selection (dev-check.sh): the programs directly.
			for p in $(own_programs); do
				step "/bin/$p" $args
			done
		else
			step run_igt vi915 "$(own_root)" /etc/vi915/vi915.testlist multi
		fi
		step rmmod vgem
		step rmmod vi915_importer
		step rmmod vi915
	fi
	# The modern userptr rules (uapi=2021): the own subtests that need them.
	if [ -z "$args" ] && [ -s /etc/vi915/vi915-current.testlist ] &&
		step insmod /lib/modules/vi915.ko uapi=2021; then
		step run_igt vi915-current "$(own_root)" /etc/vi915/vi915-current.testlist multi
		step rmmod vi915
	fi
	# What outlives the module: it unloads vi915 itself.
	if step insmod /lib/modules/vi915.ko; then
		step /bin/vi915_unload
	fi
	kmemleak_report after-rmmod
	;;
bench)
	# The benchmarks (the GCC kernel in make check, booted with slub_debug=-,
	# see boot.sh), in the default generation: the GTT fault maps a userptr,
	# which uapi=2021 refuses.
	if step insmod /lib/modules/vi915.ko; then
		step /bin/vi915_bench
		step rmmod vi915
	fi
	;;
igt|demo-igt)
	# Debian's IGT, unmodified, over the test list the host put in
	# /etc/vi915/igt.testlist (fast feedback, or one shard of the full list).
	# demo-igt (the GCC kernel in make check) first runs the demonstration, in
	# the default generation. IGT 2.x expects modern i915's userptr rules:
	# uapi=2021.
	step setup_swap
	if [ "$mode" = demo-igt ] && step insmod /lib/modules/vi915.ko; then
		step /bin/vi915_demo
		step rmmod vi915
	fi
	if step insmod /lib/modules/vi915.ko uapi=2021; then
		insmod /lib/modules/drm_shmem_helper.ko 2>/dev/null
		step insmod /lib/modules/vgem.ko
		step run_igt igt /usr/libexec/igt-gpu-tools /etc/vi915/igt.testlist
		step rmmod vgem
		step rmmod vi915
	fi
	;;
canaries)
	# Every detector's canary in one boot, each its own segment. Lockdep turns
	# itself off after its report, and KASAN's report turns lockdep off (taint):
	# those two come last. kmemleak reports the leak while the module is loaded
	# (its backtrace names vi915_canary_leak) and again after rmmod (an address in
	# module space that no longer resolves: still attributed to the driver).
	kmemleak_quiet
	for cmode in warn leak lockdep kasan; do
		segment_begin $cmode
		step insmod /lib/modules/vi915_canary.ko mode=$cmode
		[ $cmode = leak ] && kmemleak_report loaded
		step rmmod vi915_canary
		# The leaks are old enough already (aged and scanned twice above).
		[ $cmode = leak ] && kmemleak_report after-rmmod aged
		segment_end $cmode
	done
	;;
negctl-*)
	# The negative control: the pre-seed build must make lockdep report.
	if step insmod /lib/modules/vi915-preseed.ko; then
		/bin/vi915_negctl "${mode#negctl-}"
		step rmmod vi915
	fi
	;;
negengine-*)
	# Engine negative control: the bad-engine build must make lockdep report.
	if step insmod /lib/modules/vi915-badengine.ko; then
		/bin/vi915_negctl "${mode#negengine-}"
		step rmmod vi915
	fi
	;;
*)
	echo "unknown mode $mode"; rc=2 ;;
esac
echo "VI915-DEBUG-LOCKS: $(debug_locks)"
echo "VI915-RESULT: rc=$rc"
sync
reboot -f
