#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# boot.sh BZIMAGE INITRAMFS MODE LOG [TIMEOUT_S] [ARGS]
# Boots the guest under QEMU/TCG with a bounded time limit; the serial console goes to LOG
# (kept after the run). KVM only when VI915_KVM=1 (the pipeline probes whether a guest boots under it).
set -uo pipefail
kernel=$1 initrd=$2 mode=$3 log=$4 limit=${5:-300} args=${6:-}
# VI915_CPU overrides the TCG CPU model.
accel=(-accel tcg -cpu "${VI915_CPU:-max}")
[ "${VI915_KVM:-0}" = 1 ] && accel=(-accel kvm -cpu host)
# init_on_free=1: freed pages are zeroed, so a use of freed memory (a lock in an
# unloaded module's data, a page released too early) reads zeros instead of
# its old contents, which lock debugging and the tests then see.
# null_blk.memory_backed=1: /dev/nullb0 keeps what is written to it (2 GiB by default, in
# memory): the guest's swap device (guest-init.sh). The second serial port
# (/dev/ttyS1) carries the IGT runner's results to LOG.results.
# no5lvl: 4-level paging. QEMU's `max` CPU has LA57, and with 5-level paging the KASAN
# kernel reports a wild-memory-access it made up when an interrupt arrives while
# identify_boot_cpu() has cleared boot_cpu_data's feature bits: in that window
# pgtable_l5_enabled() is false, KASAN's shadow bounds are computed for 47-bit addresses,
# and the irq_desc lock's address in the 5-level direct map (0xff11...) looks unshadowed
# (do_raw_spin_lock under handle_edge_irq, identify_cpu on the stack, at 0.007 s). A CI
# run failed on it (lockdep and KASAN then silent for the whole boot: its canaries
# failed); reproduced in 1 of 6 canary boots with two host busy loops beside the guest.
append="console=ttyS0 no5lvl panic=-1 oops=panic loglevel=7 init_on_free=1"
append+=" null_blk.memory_backed=1 null_blk.gb=${VI915_GUEST_SWAP_GB:-2} vi915.mode=$mode"
append+=" vi915.duration=${VI915_DURATION:-2}"
[ -n "$args" ] && append+=" vi915.args=$args"
# VI915_BOOT_APPEND: more kernel parameters, for development runs only (make check never sets it).
[ -n "${VI915_BOOT_APPEND:-}" ] && append+=" $VI915_BOOT_APPEND"
# The benchmarks' boot: no SLUB debugging (the GCC kernel has CONFIG_SLUB_DEBUG_ON, which
# poisons, red-zones and records a stack trace for every slab allocation and free: in one boot
# of each, an empty batch's EXECBUFFER2 + GEM_WAIT took 1649 us with it and 342 us without).
# The figures are the driver's, not the debug allocator's; lockdep, init_on_free and every
# other option stay as the tests boot them.
[ "$mode" = bench ] && append+=" slub_debug=-"
# The KASAN kernel (kernel.sh kasan): freed pages are poisoned and the poison is
# checked when they are allocated again (this takes precedence over init_on_free).
kbuild=${kernel%/arch/x86/boot/bzImage}
[ "$(cat "$kbuild/.vi915-flavour" 2>/dev/null)" = kasan ] && append+=" page_poison=1"
start=$(date +%s.%N)
timeout --kill-after=10 "$limit" qemu-system-x86_64 "${accel[@]}" -m "${VI915_GUEST_MEM:-6G}" -smp 2 \
	-nographic -no-reboot -monitor none -serial "file:$log" -serial "file:$log.results" -display none \
	-kernel "$kernel" -initrd "$initrd" -append "$append" </dev/null >/dev/null 2>"$log.qemu-stderr"
rc=$?
end=$(date +%s.%N)
if [ $rc = 124 ] || [ $rc = 137 ]; then
	echo "VI915-HOST: guest timed out after ${limit}s" >>"$log"
fi
printf '%.1f\n' "$(echo "$end - $start" | bc)" >"$log.seconds"
exit $rc
