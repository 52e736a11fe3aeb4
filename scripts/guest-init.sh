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
	if step insmod /lib/modules/vi915.ko; then
		step /bin/gem_userptr_blits $args
		step /bin/vi915_uapi $args
		# The revocation matrix; its importer is a test-only module.
		step insmod /lib/modules/vi915_importer.ko
		step /bin/vi915_revoke $args
		step rmmod vi915_importer
		step /bin/vi915_bounds $args
		# Engine copy throughput vs memcpy, side by side in this boot.
		step /bin/vi915_bench
		step rmmod vi915
	fi
	# What outlives the module: it unloads vi915 itself.
	if step insmod /lib/modules/vi915.ko; then
		step /bin/vi915_unload
	fi
	;;
canary|canary-warn)
	if [ "$mode" = canary ]; then cmode=lockdep; else cmode=warn; fi
	step insmod /lib/modules/vi915_canary.ko mode=$cmode
	step rmmod vi915_canary
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
scenario-*)
	# The same scenario on the normal build: must stay clean.
	if step insmod /lib/modules/vi915.ko; then
		step /bin/vi915_negctl "${mode#scenario-}"
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
