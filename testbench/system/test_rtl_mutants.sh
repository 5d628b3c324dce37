#!/usr/bin/env bash
# Mutation tests of the RTL cross-check: hw/ built with one deliberate bug (an SV39_MUT_* define) must be
# caught, on a program that exercises it, with a report that names the right block, event and field.
# Each mutant is its own RTL build (rtl_check.defines), cached in $SV39SIM_RTL_CACHE.
# usage: test_rtl_mutants.sh SV39SIM FIRMWARE_DIR SOURCE_DIR
set -uo pipefail
sim=$1 fw=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0 passes=0
echo "24 50" >"$work/stride.in"  # tlbstride: 24 pages, 50 rounds: every 4-way set of a 4x4 D-TLB overflows

# mutant NAME DEFINE EXPECTED_DIFFERENCE_LINE_REGEX -- run arguments...
mutant() {
  local name=$1 define=$2 want=$3
  shift 4
  "$sim" run "$@" --set rtl_check.enabled=true --set rtl_check.defines="SV39_MUT_$define" \
    --set rtl_check.waves=false --out "$work/$name" --quiet >/dev/null 2>"$work/$name.err"
  local rc=$?
  # The difference line is the third line of the report.
  local line
  line=$(grep -A2 '^RTL mismatch at' "$work/$name.err" | sed -n 3p)
  if [ "$rc" = 5 ] && [[ "$line" =~ $want ]]; then
    passes=$((passes + 1))
    echo "ok   $name: $line"
  else
    echo "FAIL $name: exit $rc, difference line '$line', wanted /$want/"
    tail -n 20 "$work/$name.err"
    failures=$((failures + 1))
  fi
}

stride=(--elf "$fw/tlbstride.elf" --stdin "$work/stride.in" --set mmu.dtlb.policy=plru --set mmu.dtlb.sets=4)
mutant plru_update PLRU_UPDATE 'dtlb event #[0-9]+ \(tlb_fill\): way' -- "${stride[@]}"
mutant set_index SET_INDEX 'tlb event #[0-9]+ \(tlb_fill\): set differs' -- "${stride[@]}"
mutant asid_ignored ASID_IGNORED 'tlb event #[0-9]+ \(tlb_lookup\): outcome' -- --elf "$fw/selftest-vm_asid.elf"
mutant global_asid_fence GLOBAL_ASID_FENCE 'the RTL made a tlb_invalidate the model did not' -- \
  --elf "$fw/selftest-vm_sfence.elf"
mutant misaligned_superpage MISALIGNED_SUPERPAGE 'walker event #[0-9]+ \(walk_end\): fault' -- \
  --elf "$fw/selftest-vm_superpages.elf"
mutant superpage_level SUPERPAGE_LEVEL 'tlb event #[0-9]+ \(tlb_fill\): level' -- --elf "$fw/selftest-vm_superpages.elf"
mutant a_not_set A_NOT_SET 'walker event #[0-9]+ \(pte_write\): new differs' -- --elf "$fw/selftest-vm_ad.elf"
mutant pmp_ignored PMP_IGNORED 'walker event #[0-9]+ \(walk_end\): cause differs' -- --elf "$fw/selftest-vm_pmp_pte.elf"

echo "test_rtl_mutants: $passes passed, $failures failed"
[ "$failures" = 0 ]
