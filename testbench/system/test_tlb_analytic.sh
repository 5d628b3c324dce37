#!/usr/bin/env bash
# D-TLB misses of a strided loop against counts worked out by hand.
#
# tlbstride.elf reads "N R" from the UART, maps N 4 KiB pages at VA 0x4000_0000 (VPN 0x40000: a multiple
# of every set count used here, so page i falls in set i mod SETS), flushes the TLBs and, in S-mode,
# loads one doubleword from pages 0, 1, ..., N-1, R times over. Nothing else in S-mode touches data
# (code comes through a 1 GiB superpage and occupies only the I-TLB; setup and exit run in M-mode, which
# does not translate), so every D-TLB lookup of the run is one of those N*R loads.
#
# Each case runs R = R1 and R = R2 and compares the DIFFERENCE of mmu.dtlb.misses.load.4k with
# (R2 - R1) * the misses per iteration counted by hand. The first iteration (cold misses) and whatever
# happens before and after the loop cancel out; R1 >= 1, and for every case below the TLB contents
# after one iteration are the same as after any later one, so the accesses after the loop also match.
# Also checked per run: mmu.dtlb.accesses = N * R (the loop is the D-TLB's only traffic).
#
# L2 TLB: it sits behind the D-TLB and only decides where a D-TLB miss is refilled from (the L2 TLB or
# a walk); it never changes what the D-TLB holds or counts. Every case runs twice, with
# mmu.l2tlb.enabled=false and with the default L2 (128 x 12 entries, far larger than 2E), and expects
# the same D-TLB miss difference both times. Without the L2 every D-TLB miss is a walk (extra walks =
# extra D-TLB misses); with it the pages stay in the L2 after the first iteration, so the extra misses
# are all L2 hits and cause no walk. The I-TLB keeps its default 16 x 4 entries: the loop's code is one
# gigapage entry, so it never misses after the first fetch.
#
# usage: test_tlb_analytic.sh SV39SIM FIRMWARE_DIR SOURCE_DIR
set -uo pipefail
sim=$1 fw=$2
elf=$fw/tlbstride.elf
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0 passes=0
R1=2 R2=5

check() { # NAME GOT WANT
  if [ "$2" = "$3" ]; then
    passes=$((passes + 1))
  else
    echo "FAIL $1: got $2, want $3"
    failures=$((failures + 1))
  fi
}

# run N R TAG ARGS...: runs tlbstride with input "N R" and prints the counters we need, one line:
# dtlb_misses_load_4k dtlb_accesses walks l2_hits_load_4k. Empty output if the run failed.
run() {
  local n=$1 r=$2 tag=$3
  shift 3
  local out=$work/out-$tag-$n-$r
  printf '%s %s\n' "$n" "$r" >"$work/in-$n-$r"
  "$sim" run --elf "$elf" --stdin "$work/in-$n-$r" --out "$out" "$@" >"$work/stdout" 2>"$work/stderr"
  local rc=$?
  if [ "$rc" -ne 0 ]; then
    echo "FAIL run N=$n R=$r $tag ($*): exit $rc, stderr:" >&2
    sed 's/^/    /' "$work/stderr" >&2
    return
  fi
  python3 - "$out/stats.json" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
print(s["mmu.dtlb.misses.load.4k"], s["mmu.dtlb.accesses"], s["mmu.walker.walks"], s.get("mmu.l2tlb.hits.load.4k", 0))  # absent when the L2 TLB is disabled
PY
}

# case NAME N PER_ITER DTLB_SETTINGS...: per-iteration D-TLB misses PER_ITER for N pages.
case_() {
  local name=$1 n=$2 per_iter=$3
  shift 3
  local l2 a b
  for l2 in false true; do
    local tag="$name-l2$l2"
    a=$(run "$n" "$R1" "$tag" "$@" --set mmu.l2tlb.enabled=$l2)
    b=$(run "$n" "$R2" "$tag" "$@" --set mmu.l2tlb.enabled=$l2)
    if [ -z "$a" ] || [ -z "$b" ]; then
      failures=$((failures + 1))
      continue
    fi
    read -r m1 acc1 w1 h1 <<<"$a"
    read -r m2 acc2 w2 h2 <<<"$b"
    local dm=$((m2 - m1)) want=$((per_iter * (R2 - R1)))
    check "$tag N=$n: D-TLB load misses R=$R2 minus R=$R1" "$dm" "$want"
    check "$tag N=$n R=$R1: D-TLB accesses = N*R" "$acc1" $((n * R1))
    check "$tag N=$n R=$R2: D-TLB accesses = N*R" "$acc2" $((n * R2))
    if [ "$l2" = false ]; then
      check "$tag N=$n: extra walks = extra D-TLB misses (no L2)" $((w2 - w1)) "$dm"
    else
      check "$tag N=$n: extra walks with the L2 TLB" $((w2 - w1)) 0
      check "$tag N=$n: extra L2 load hits = extra D-TLB misses" $((h2 - h1)) "$dm"
    fi
  done
}

for E in 16 8; do
  fa=(--set mmu.dtlb.sets=1 --set mmu.dtlb.ways=$E --set mmu.dtlb.policy=lru)
  dm=(--set mmu.dtlb.sets=$E --set mmu.dtlb.ways=1 --set mmu.dtlb.policy=lru)

  # --- Fully associative, LRU, E entries; pages touched cyclically 0..N-1, 0..N-1, ... ---
  # N = E-1: after the first (cold) iteration all N pages are resident (N < E, nothing evicted): 0.
  case_ "fa$E" $((E - 1)) 0 "${fa[@]}"
  # N = E: exactly fills the TLB, nothing is ever evicted: 0 per iteration.
  case_ "fa$E" "$E" 0 "${fa[@]}"
  # N = E+1: when page p is touched again, the N-1 = E other pages have been touched since, so LRU
  # evicted p (it was the least recent of E+1 distinct pages): every access misses, N = E+1 per iteration.
  case_ "fa$E" $((E + 1)) $((E + 1)) "${fa[@]}"
  # N = 2E: same argument with 2E-1 > E-1 pages in between: every access misses, N = 2E per iteration.
  case_ "fa$E" $((2 * E)) $((2 * E)) "${fa[@]}"

  # --- Direct-mapped, E sets x 1 way; page i (VPN 0x40000 + i) maps to set i mod E ---
  # N = E: one page per set, no conflicts: 0 per iteration.
  case_ "dm$E" "$E" 0 "${dm[@]}"
  # N = E+1: set 0 holds pages 0 and E, which evict each other every iteration (2 misses); the other
  # E-1 sets hold one page each (hits): 2*(N-E) = 2 per iteration.
  case_ "dm$E" $((E + 1)) 2 "${dm[@]}"
  # N = 2E-1: sets 0..E-2 each hold two pages (i and i+E) that evict each other: 2*(E-1) misses; set E-1
  # holds only page E-1 (hit): 2*(N-E) = 2E-2 per iteration.
  case_ "dm$E" $((2 * E - 1)) $((2 * E - 2)) "${dm[@]}"
  # N = 2E: every set holds two pages that evict each other: all 2E accesses miss, 2*(N-E) = 2E.
  case_ "dm$E" $((2 * E)) $((2 * E)) "${dm[@]}"
done

echo "$passes passed, $failures failed"
[ "$failures" -eq 0 ]
