#!/usr/bin/env bash
# Counters against counts worked out by hand from the programs' listings, not from the model's formulas.
#
# tlbcount.elf (firmware/tlbcount/tlbcount.c, PAGES = 8) runs in S-mode, every instruction 4 bytes:
#   2 set-up instructions, 8 x {ld, sd, ld, add, addi, bnez}, then sfence.vma a0 / ld / ecall.
#   Fetches in S-mode: 2 + 6*8 + 3 = 53, all through the code's one 1 GiB page: I-TLB 1 miss, 52 hits.
#   D-TLB per page: ld misses (the walk sets A), sd finds the entry with D clear (denied: a miss, and a
#   walk that sets D), ld hits; then the fence drops page 0 and the last ld misses:
#     accesses 3*8 + 1 = 25, hits 8, misses 2*8 + 1 = 17 (load 9, store 8), denied 8 (stores).
#   L2 TLB: every D-TLB/I-TLB miss reaches it and none hits (each page's entry is clean or flushed there
#   too): misses 1 + 17 = 18, denied 8, hits 0. Walks: one per L2 miss = 18. A/D updates: 8 A + 8 D = 16.
#   PTE reads with the page-walk cache: code walk 1 (gigapage leaf at the root), first data walk 3 (fills
#   both pointers), the other 15 data walks of the loop 1 each (level-1 pointer hit), the walk after the
#   VA fence 1 (the spec lets a VA fence keep pointers; the default does) = 20, PWC misses 2, level-1
#   hits 16. With mmu.pwc.flush_on_va_fence=true the last walk reads 3: 22, PWC misses 3, level-1 hits 15.
#   Without an L2 TLB, walks = I-TLB misses + D-TLB misses = 1 + 17 = 18, and the L2 keys stay, all zero.
# Fetch accounting: each fetched instruction is one L1I access, whether or not the decode cache knew it:
#   cache.l1i.accesses = retired instructions + instructions that trapped after being fetched.
# usage: test_counters.sh SV39SIM FIRMWARE_DIR SOURCE_DIR
set -uo pipefail
sim=$1 fw=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passes=0 failures=0

# run TAG ELF [--set ...]: one run into $work/TAG; failing runs are reported.
run() {
  local tag=$1 elf=$2
  shift 2
  "$sim" run --elf "$elf" --out "$work/$tag" --quiet "$@" >"$work/$tag.log" 2>"$work/$tag.err" ||
    { echo "FAIL $tag: exit $?"; cat "$work/$tag.err"; failures=$((failures + 1)); }
}
# expect TAG KEY=VALUE...: each stat of run TAG equals the hand-counted value.
expect() {
  local tag=$1
  shift
  local out
  out=$(python3 - "$work/$tag/stats.json" "$@" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
for kv in sys.argv[2:]:
    k, want = kv.split("=")
    got = s.get(k, "missing")
    print(("ok " if str(got) == want else "FAIL ") + f"{k}: got {got}, want {want}")
PY
)
  while read -r verdict line; do
    if [ "$verdict" = ok ]; then passes=$((passes + 1)); else echo "FAIL $tag $line"; failures=$((failures + 1)); fi
  done <<<"$out"
}

tlb=(--set mmu.ad_update=hardware --set mmu.itlb.sets=1 --set mmu.itlb.ways=8 --set mmu.dtlb.sets=1
     --set mmu.dtlb.ways=32 --set mmu.l2tlb.sets=16 --set mmu.l2tlb.ways=4 --set mmu.pwc.enabled=true
     --set mmu.pwc.per_level=false --set mmu.pwc.sets=1 --set mmu.pwc.ways=4)

run l2 "$fw/tlbcount.elf" "${tlb[@]}"
expect l2 mmu.itlb.accesses=53 mmu.itlb.hits=52 mmu.itlb.misses=1 \
  mmu.dtlb.accesses=25 mmu.dtlb.hits=8 mmu.dtlb.misses=17 mmu.dtlb.misses.load.4k=9 mmu.dtlb.misses.store.4k=8 \
  mmu.dtlb.denied=8 mmu.dtlb.denied.store=8 mmu.dtlb.denied.load=0 \
  mmu.l2tlb.misses=18 mmu.l2tlb.hits=0 mmu.l2tlb.denied=8 \
  mmu.walker.walks=18 mmu.walker.ad_updates=16 mmu.walker.memory_reads=20 \
  mmu.walker.pwc.misses=2 mmu.walker.pwc.hits.level1=16 hart.traps.ecall_s=1

run vaflush "$fw/tlbcount.elf" "${tlb[@]}" --set mmu.pwc.flush_on_va_fence=true
expect vaflush mmu.walker.walks=18 mmu.walker.memory_reads=22 mmu.walker.pwc.misses=3 mmu.walker.pwc.hits.level1=15

run nol2 "$fw/tlbcount.elf" "${tlb[@]}" --set mmu.l2tlb.enabled=false
expect nol2 mmu.itlb.misses=1 mmu.dtlb.misses=17 mmu.dtlb.denied=8 mmu.walker.walks=18 \
  mmu.l2tlb.accesses=0 mmu.l2tlb.misses=0 mmu.l2tlb.denied=0 mmu.l2tlb.fills=0 mmu.l2tlb.mpki=0

# The same keys with and without the L2 TLB: a sweep over mmu.l2tlb.enabled gets a rectangle.
if [ -f "$work/l2/stats.json" ] && [ -f "$work/nol2/stats.json" ] &&
  diff <(python3 -c 'import json,sys; print("\n".join(json.load(open(sys.argv[1]))))' "$work/l2/stats.json") \
       <(python3 -c 'import json,sys; print("\n".join(json.load(open(sys.argv[1]))))' "$work/nol2/stats.json") >"$work/keys.diff"; then
  passes=$((passes + 1))
else
  echo "FAIL stat keys differ with mmu.l2tlb.enabled=false:"; cat "$work/keys.diff"; failures=$((failures + 1))
fi

# One fetch, one L1I access: Bare mode without traps, L1I accesses = retired instructions; under Sv39 the
# S-mode ecall is fetched but does not retire.
run bare "$fw/compute-small.elf"
instr=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["sim.instructions"])' "$work/bare/stats.json")
expect bare "cache.l1i.accesses=$instr"
instr=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["sim.instructions"])' "$work/l2/stats.json")
expect l2 "cache.l1i.accesses=$((instr + 1))"

echo "$passes passed, $failures failed"
[ "$failures" -eq 0 ]
