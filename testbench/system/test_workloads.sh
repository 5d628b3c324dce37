#!/usr/bin/env bash
# The TLB-study workloads of the pager OS (gups, graph, kvstore, mcf; firmware/user/): each passes its own
# check, its result line matches an independent recomputation (firmware/tools/suite_oracle.py via
# workloads.py), it survives swapping, it refuses bad parameters, its footprint drives the D-TLB as
# worked out by hand (gups), the Zipf mix is Zipf, and QEMU prints the same result lines and ps rows.
# usage: test_workloads.sh SV39SIM FIRMWARE_DIR SOURCE_DIR
set -uo pipefail
sim=$1 fw=$2 src=$3
kernel=$fw/kernel.elf disk=$fw/disk.img
tools=$src/firmware/tools
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passes=0 failures=0
ok() { passes=$((passes + 1)); }
bad() { echo "FAIL $*"; failures=$((failures + 1)); }
stat() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1])).get(sys.argv[2], "missing"))' "$work/$1/stats.json" "$2"; }

# pager NAME "run=..." [--set k=v ...]: boot the kernel with that workload; console in $work/NAME.log.
pager() {
  local name=$1 run=$2
  shift 2
  timeout 60 "$sim" run --set sim.elf="$kernel" --set disk.image="$disk" --set sim.max_time=20s \
    --set "workload.run=$run" "$@" --out "$work/$name" --quiet >"$work/$name.log" 2>"$work/$name.err"
}
# expect_run NAME RUN COUNT [--set ...]: exit 0, COUNT lines ending in PASS, every result recomputed.
expect_run() {
  local name=$1 run=$2 count=$3
  shift 3
  local t0=$SECONDS
  pager "$name" "$run" "$@"
  local rc=$?
  [ $rc -eq 0 ] && ok || { bad "$name: exit $rc"; tail -n 20 "$work/$name.err" "$work/$name.log"; }
  [ "$(grep -cE '^(gups|graph|kvstore|mcf): .* PASS$' "$work/$name.log")" = "$count" ] && ok ||
    bad "$name: expected $count PASS lines: $(grep -E '^[a-z]+: ' "$work/$name.log")"
  python3 "$tools/workloads.py" check "$work/$name.log" >"$work/$name.check" 2>&1 && ok ||
    { bad "$name: results differ from the oracle"; cat "$work/$name.check"; }
  [ $((SECONDS - t0)) -le 15 ] && ok || bad "$name: took $((SECONDS - t0)) s"
}

# --- defaults and small variants: odd sizes (a vertex count that is not a power of two: R-MAT edges
# drawn again), seed 0, uniform keys (theta=0), a steep skew, one value word, a tree with one extra arc ---
expect_run defaults "gups; graph; kvstore; mcf" 4
variants="gups pages=7 updates=1000 seed=0; graph vertices=1000 degree=3 roots=2 seed=9"
variants+="; kvstore keys=1000 theta=0 get=50 vwords=1 seed=3; kvstore keys=300 theta=250 requests=5000"
variants+="; mcf pages=16 fanout=1 rounds=3 seed=5"
expect_run variants "$variants" 5
# The oracle really checks these lines: each result moved by one is caught.
python3 - "$work/defaults.log" >"$work/tampered.log" <<'PY'
import re, sys
for line in open(sys.argv[1]):
    key = "depth" if line.startswith("graph: ") else "sum"
    print(re.sub(r"\b%s=(-?(0x)?[0-9a-f]+)" % key, lambda m: "%s=%d" % (key, int(m.group(1), 0) + 1), line), end="")
PY
python3 "$tools/workloads.py" check "$work/tampered.log" >"$work/tampered.check"
[ "$(grep -c '^MISMATCH' "$work/tampered.check")" = 4 ] && ok || { bad "oracle missed tampering"; cat "$work/tampered.check"; }

# --- memory pressure: each workload's footprint is about twice the frame pool, so its pages go to swap
# and come back while it works; every self-check and recomputation still holds ---
for wl in "gups pages=80 updates=3000" "graph vertices=4096 degree=4 roots=1" "kvstore keys=4096 requests=3000" \
  "mcf pages=80 rounds=1"; do
  name=swap-${wl%% *}
  expect_run "$name" "$wl" 1 --set workload.frames=40
  [ "$(stat "$name" pager.swap_ins)" -gt 20 ] && ok || bad "$name: pager.swap_ins $(stat "$name" pager.swap_ins)"
done

# --- bad parameters: a FAIL line naming the parameter, exit 1 with the verdict on stderr ---
pager badargs "gups pages=0; graph vertices=1; kvstore theta=1000; mcf pages=0; gups pages=100000"
[ $? -eq 1 ] && ok || bad "badargs: exit status, expected 1"
for want in "gups: FAIL pages=0" "graph: FAIL vertices=1" "kvstore: FAIL theta=1000" "mcf: FAIL pages=0 " \
  "gups: FAIL pages=100000"; do
  grep -q "^$want" "$work/badargs.log" && ok || bad "badargs: no '$want' line"
done
grep -q "^sv39sim: guest verdict: .* exited 1" "$work/badargs.err" && ok || bad "badargs: verdict: $(cat "$work/badargs.err")"

# --- the Zipf mix: the rank groups' probabilities (integer fixed point, mirrored by the oracle, whose
# sums match the program's) against the Zipf law in floating point: total variation distance < 0.5%,
# P(rank 1) within 1% ---
python3 - "$tools" <<'PY' && ok || bad "zipf: the rank distribution is not Zipf"
import sys
sys.path.insert(0, sys.argv[1])
import suite_oracle
for keys, theta in ((4096, 99), (100000, 99), (4096, 250), (1000, 0), (5, 50)):
    los, cdf = suite_oracle.zipf_groups(keys, theta)
    h = sum(r ** (-theta / 100) for r in range(1, keys + 1))
    tv, prev = 0.0, 0
    for g, c in enumerate(cdf):
        exact = sum(r ** (-theta / 100) for r in range(los[g], los[g + 1])) / h
        tv += abs((c - prev) / cdf[-1] - exact) / 2
        prev = c
    p1 = cdf[0] / cdf[-1] * h
    print(f"zipf keys={keys} theta={theta / 100}: {len(cdf)} groups, TV distance {tv:.5f}, P(rank 1) / exact {p1:.5f}")
    assert tv < 0.005 and abs(p1 - 1) < 0.01
PY

# --- the footprint drives the D-TLB (16 sets x 4 ways, LRU). gups on 16 pages fits: compulsory misses
# only. On P = 1024 pages each update's page is uniformly random, so it is in the TLB with probability
# 64/P: 2 passes x U updates x (1 - 64/P) misses, plus 4 per page for the sequential passes (fill: a miss,
# then the zero-fill fault's retry; the sum; the final check). Within 3%. ---
u=20000
pager tlb16 "gups pages=16 updates=$u" --set workload.frames=2048
pager tlb1024 "gups pages=1024 updates=$u" --set workload.frames=2048
small=$(stat tlb16 mmu.dtlb.misses) big=$(stat tlb1024 mmu.dtlb.misses)
[ "$small" -le $((4 * 16 + 100)) ] && ok || bad "tlb16: $small D-TLB misses for a table that fits"
expect=$((2 * u * (1024 - 64) / 1024 + 4 * 1024))
[ "$big" -ge $((expect * 97 / 100)) ] && [ "$big" -le $((expect * 103 / 100)) ] && ok ||
  bad "tlb1024: $big D-TLB misses, expected $expect +- 3%"
echo "gups D-TLB misses: pages=16: $small; pages=1024: $big (hand count $expect)"

# --- QEMU: the same image and arguments print the same result lines and ps rows (room for every page,
# so the fault counts do not depend on timing) ---
if command -v qemu-system-riscv64 >/dev/null; then
  xrun="gups pages=32 updates=20000; graph vertices=1024 degree=8 roots=2; kvstore keys=1024 requests=8192; mcf pages=64 rounds=2"
  expect_run xsim "$xrun" 4
  QEMU_TIMEOUT=60 bash "$tools/run-qemu.sh" "$kernel" "$disk" "run=$xrun" frames=512 >"$work/xqemu.log" 2>&1 || true
  pick() { tr -d '\r' <"$1" | grep -E '^[a-z]+: |^ +[0-9]+ [a-z]' | grep -v '^vmstat' | sed -E 's/ +/ /g' | sort; }
  if diff <(pick "$work/xsim.log") <(pick "$work/xqemu.log") >"$work/xdiff"; then ok; else
    bad "qemu cross-run differs:"; cat "$work/xdiff"; fi
  [ "$(pick "$work/xqemu.log" | grep -c ' PASS$')" = 4 ] && ok || bad "qemu: $(pick "$work/xqemu.log")"
fi

echo "$passes passed, $failures failed"
[ "$failures" -eq 0 ]
