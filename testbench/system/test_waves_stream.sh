#!/usr/bin/env bash
# The waves against the statistics (issue 8): runs with trace.waves.enabled, read back with
# `sv39sim waves-events`, must tell the same story as the run's stats.json, which counts from the models'
# own counters: walks, walk faults by cause, where walks start (PWC), PTE reads and A/D writes, TLB hits,
# misses, denials and fills per TLB, hart memory faults by cause, and the pager's fault begin/end markers
# (check_waves_stream.py); the stream is numbered 0, 1, 2, ... and never goes back in time. And every
# page walk must read the PTEs, and end, where the spec-written reference walker says (check_walks).
# Runs: the pager kernel (faults, swapping, a kill) and the Sv39 self-tests that fault, update A/D, use
# superpages and PMP-protected page tables, and hit the page-walk cache.
# usage: test_waves_stream.sh SV39SIM FIRMWARE_DIR SOURCE_DIR
set -uo pipefail
sim=$1 fw=$2 src=$3
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
check_walks=$(dirname "$sim")/check_walks
[ -x "$check_walks" ] || { echo "FAIL $check_walks missing (the check_walks target builds it)"; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
status=0

# NAME ARGS...: one run with waves into $work/NAME.
run() {
  local name=$1
  shift
  timeout 240 "$sim" run "$@" --set trace.waves.enabled=true --out "$work/$name" --quiet \
    >"$work/$name.log" 2>"$work/$name.err" ||
    { echo "FAIL $name: sv39sim exit $?"; tail -5 "$work/$name.err" "$work/$name.log"; status=1; return 1; }
}

# NAME [--pager]: its waves against its stats.json, and its walks against the reference (in parallel:
# both read the whole file).
check() {
  local name=$1 out=$work/$1
  shift
  "$check_walks" "$out/waves.fst" >"$out/walks.txt" 2>&1 &
  local walks_pid=$!
  "$sim" waves-events "$out/waves.fst" | python3 "$here/check_waves_stream.py" - "$out/stats.json" "$@" \
    >"$out/stream.txt" 2>&1
  local stream=$?
  wait $walks_pid
  local walks=$?
  echo "$name: $(tail -1 "$out/walks.txt")"
  echo "$name: $(tail -1 "$out/stream.txt" | sed 's/ (.*)//')"
  if [ $stream -ne 0 ] || [ $walks -ne 0 ]; then
    grep -h "FAIL\|error" "$out/stream.txt" "$out/walks.txt" | head -20
    status=1
  fi
}

run pager --set sim.elf="$fw/kernel.elf" --set disk.image="$fw/disk.img" --set sim.max_time=20s \
  --set "workload.run=thrash pages=16 rounds=1; crasher kind=null" --set workload.frames=12 &&
  check pager --pager

for t in vm_faults vm_pmp_pte vm_ad vm_superpages vm_sfence; do
  # The self-test's own simulator arguments, as its CTest passes them.
  extra=$(head -20 "$src/firmware/selftest/$t.c" | sed -n 's/.*sv39sim-args:\(.*\)$/\1/p' |
    sed "s|@FIRMWARE_DIR@|$fw|g")
  # shellcheck disable=SC2086
  run "$t" --elf "$fw/selftest-$t.elf" --max-instructions 200000000 $extra && check "$t"
done
exit $status
