#!/usr/bin/env bash
# Issue 11's speed benchmark: figures only, nothing about speed is asserted (it is not a test).
#
# usage: testbench/bench/bench_speed.sh [--quick] [--runs N] [--startup-runs N] [--no-callgrind] [--no-qemu]
#                                       [--qemu QEMU] [--out DIR] [SV39SIM [BUILD_DIR]]
#   SV39SIM    the binary (default: build/sv39sim of this repository)
#   BUILD_DIR  the build folder whose firmware/ holds compute*.elf, kernel.elf, disk.img, hello.elf,
#              memloop-O*.elf
#              (default: SV39SIM's folder)
#   --quick    compute-small.elf / compute-vm-small.elf instead of compute.elf / compute-vm.elf (some
#              8.6 M instead of 407 M guest instructions); everything else still runs
#   --runs N   timed runs per workload, sv39sim and QEMU alternating (default 5: the medians of 5)
#   --out DIR  keep every run's stats.json, console, stderr, and callgrind.out with its summary
#
# For compute.elf (Bare), compute-vm.elf (Sv39), `sv39sim run configs/default.yaml` (the pager kernel
# and the build's disk image) and memloop-O0/O1/O2.elf (byte-wise page clearing and copying, as small
# kernels do it) it prints: guest instructions (stats.json sim.instructions); callgrind's
# "Collected" host instructions of the whole process (start-up included) and per guest instruction; the
# wall time of N runs and their MIPS three ways (stats.json host.mips, which times sc_start only;
# sim.instructions / process wall time; and / process CPU time, which load disturbs less), with medians;
# QEMU's wall time for the same ELF (for the pager run the same kernel and boot arguments, with -icount as
# firmware/tools/run-qemu.sh) and the ratio of the medians. Then the start-up of a sweep point: the median
# of 21 runs of `run configs/default.yaml --set sim.max_instructions=1` (config, ELF and disk image load;
# exit 3 expected) and of the hello firmware, beside `sv39sim --version`. Also the date, git describe,
# host CPU and the load average before and after. The binary and firmware are copied first, so a rebuild
# of the build folder meanwhile changes no figure. The full run takes 7-15 minutes (callgrind of
# compute.elf and compute-vm.elf dominates); --quick under a minute.
# Exit status: 0; 1 if a run failed (unexpected exit code, timeout, missing stats, differing instruction
# counts); 2 on bad usage. The work is done by bench_speed.py beside this script (Python 3 stdlib).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
exec /usr/bin/python3 "$here/bench_speed.py" "$@"
