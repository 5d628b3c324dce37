#!/usr/bin/env bash
# The RTL cross-check in lockstep on the pager kernel's whole default mix (configs/default.yaml: some 14.6
# million transactions, fences and ASIDs, swap, fork and copy-on-write, a crashing process) and on a mix
# with A/D bits by page fault (mmu.ad_update=fault) and 2 ASID bits (mmu.asid_bits): zero mismatches, the
# guest passes, and the counts of transactions compared are printed. Label heavy: a few minutes; the sanitizer pass leaves it out.
# usage: test_rtl_pager.sh SV39SIM FIRMWARE_DIR SOURCE_DIR
set -uo pipefail
sim=$1 src=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0

check() { # NAME -- run arguments...
  local name=$1
  shift 2
  "$sim" run "$src/configs/default.yaml" "$@" --set rtl_check.enabled=true --out "$work/$name" --quiet \
    >"$work/$name.console" 2>"$work/$name.err"
  local rc=$?
  local summary
  summary=$(grep 'rtl-check:' "$work/$name.err")
  if [ "$rc" = 0 ] && [[ "$summary" == *", 0 mismatches" ]] && grep -q 'verdict: pass' "$work/$name.console"; then
    echo "ok   $name: ${summary#sv39sim: }"
  else
    echo "FAIL $name: exit $rc: $summary"
    tail -n 30 "$work/$name.err"
    failures=$((failures + 1))
  fi
}

check default --
# A/D by page fault, and 2 ASID bits: the kernel rolls its ASIDs over (and flushes) every few switches.
check ad_fault_asid2 -- --set mmu.ad_update=fault --set mmu.asid_bits=2 \
  --set "workload.run=forkcow pages=16; seqscan pages=64 rounds=1"
[ "$failures" = 0 ]
