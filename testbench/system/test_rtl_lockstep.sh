#!/usr/bin/env bash
# The RTL cross-check in lockstep on real runs, zero mismatches: the pager kernel's first million
# instructions (its boot: some 1.2 million transactions) with both A/D policies, and the strided D-TLB
# probe and the pager under several TLB, superpage and page-walk-cache geometries (one RTL build each,
# cached in $SV39SIM_RTL_CACHE). Prints how many transactions each compared. The pager's whole default mix
# is test_rtl_pager.sh; the Sv39 self-tests run under the check as rtl.selftest.*.
# usage: test_rtl_lockstep.sh SV39SIM FIRMWARE_DIR SOURCE_DIR
set -uo pipefail
sim=$1 fw=$2 src=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0 passes=0

# lockstep NAME MIN_TRANSACTIONS WANT_EXIT -- run arguments...
lockstep() {
  local name=$1 min=$2 want=$3
  shift 4
  "$sim" run "$@" --set rtl_check.enabled=true --out "$work/$name" --quiet >/dev/null 2>"$work/$name.err"
  local rc=$?
  local summary n
  summary=$(grep 'rtl-check:' "$work/$name.err")
  n=$(sed -n 's/.*rtl-check: \([0-9]*\) transactions.*/\1/p' <<<"$summary")
  if [ "$rc" = "$want" ] && [[ "$summary" == *", 0 mismatches" ]] && [ "${n:-0}" -ge "$min" ]; then
    passes=$((passes + 1))
    echo "ok   $name: ${summary#sv39sim: }"
  else
    echo "FAIL $name: exit $rc (want $want), at least $min transactions wanted: $summary"
    tail -n 30 "$work/$name.err"
    failures=$((failures + 1))
  fi
}

pager=("$src/configs/default.yaml" --max-instructions 1000000)
lockstep pager 1000000 3 -- "${pager[@]}"
lockstep pager_ad_fault 1000000 3 -- "${pager[@]}" --set mmu.ad_update=fault

# The strided probe (test_tlb_analytic.sh): N pages, R rounds, both sides of N = entries.
for n in 7 9 24; do echo "$n 200" >"$work/stride-$n.in"; done
stride() { echo --elf "$fw/tlbstride.elf" --stdin "$work/stride-$1.in"; }
# Fully associative 8-entry LRU D-TLB, no L2 TLB, no page-walk cache.
for n in 7 9; do
  # shellcheck disable=SC2046
  lockstep "fa8_lru_n$n" 1000 0 -- $(stride $n) --set mmu.dtlb.sets=1 --set mmu.dtlb.ways=8 \
    --set mmu.l2tlb.enabled=false --set mmu.pwc.enabled=false
done
# Direct-mapped 8-entry D-TLB (PLRU over one way), a small FIFO L2 TLB, a per-level PLRU page-walk cache.
# shellcheck disable=SC2046
lockstep dm8_plru 1000 0 -- $(stride 24) --set mmu.dtlb.sets=8 --set mmu.dtlb.ways=1 --set mmu.dtlb.policy=plru \
  --set mmu.l2tlb.sets=4 --set mmu.l2tlb.ways=3 --set mmu.l2tlb.policy=fifo \
  --set mmu.pwc.per_level=true --set mmu.pwc.sets=2 --set mmu.pwc.ways=2 --set mmu.pwc.policy=plru
# shellcheck disable=SC2046
lockstep dm8_plru_ad_fault 1000 0 -- $(stride 24) --set mmu.dtlb.sets=8 --set mmu.dtlb.ways=1 --set mmu.dtlb.policy=plru \
  --set mmu.l2tlb.sets=4 --set mmu.l2tlb.ways=3 --set mmu.l2tlb.policy=fifo \
  --set mmu.pwc.per_level=true --set mmu.pwc.sets=2 --set mmu.pwc.ways=2 --set mmu.pwc.policy=plru \
  --set mmu.ad_update=fault
# Superpages in a separate array (D-TLB) and splintered (I-TLB, L2 TLB); fences also drop the page-walk
# cache's pointers on a VA's path; the pager, so fences, ASIDs and both page sizes all occur.
lockstep superpages 250000 3 -- "$src/configs/default.yaml" --max-instructions 300000 \
  --set mmu.dtlb.superpages=separate --set mmu.dtlb.superpage_entries=4 --set mmu.itlb.superpages=splinter \
  --set mmu.l2tlb.superpages=splinter --set mmu.l2tlb.policy=plru --set mmu.l2tlb.ways=8 \
  --set mmu.pwc.flush_on_va_fence=true

echo "test_rtl_lockstep: $passes passed, $failures failed"
[ "$failures" = 0 ]
