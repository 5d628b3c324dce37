#!/usr/bin/env bash
# Issue 9's sweep benchmark: runs testbench/bench/tlb-sweep-42.yaml at -j1 and at -j2, then every point
# again as a plain `sv39sim run` of its effective config.yaml, one after another, and prints
#   - the wall time of each sweep and the -j1/-j2 ratio (how the local backend scales);
#   - the per-point overhead: (sweep at -j1 - the plain runs' total) / points, for the 50 M-instruction
#     points and again for the same 42 points cut to 100 000 instructions (where a fixed cost would show);
#   - whether both sweeps' results.csv agree (host-timing columns aside).
# Figures only: nothing is asserted about speed.
# usage: testbench/bench/bench_sweep.sh [SV39SIM] [OUT]   (defaults: build/sv39sim, /tmp/sv39sim-bench-sweep)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
sim=$(realpath "${1:-build/sv39sim}")
out=${2:-/tmp/sv39sim-bench-sweep}
sweep="$here/tlb-sweep-42.yaml"
rm -rf "$out" && mkdir -p "$out"

now() { date +%s.%N; }
secs() { python3 -c "print(f'{$2 - $1:.1f}')"; }

echo "machine: $(nproc) CPUs, load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
t0=$(now); "$sim" sweep "$sweep" -j1 --out "$out/j1" >"$out/j1.log" 2>&1; t1=$(now)
"$sim" sweep "$sweep" -j2 --out "$out/j2" >"$out/j2.log" 2>&1; t2=$(now)
j1=$(secs "$t0" "$t1"); j2=$(secs "$t1" "$t2")

points=$(ls "$out/j1/points" | wc -l)
t3=$(now)
for p in "$out"/j1/points/*; do
    "$sim" run "$p/config.yaml" --out "$out/plain/$(basename "$p")" --quiet >/dev/null 2>&1
done
t4=$(now)
plain=$(secs "$t3" "$t4")

# The same points cut short: a sweep's fixed cost per point is no longer hidden in the run time.
short="$out/short.yaml"
sed -e "s|^base: .*|base: $(realpath "$here/../../configs/default.yaml")|" \
    -e 's|^set:$|set:\n  sim.max_instructions: 100000|' "$sweep" >"$short"
t5=$(now); "$sim" sweep "$short" -j1 --out "$out/short" >"$out/short.log" 2>&1 || true; t6=$(now)
for p in "$out"/short/points/*; do
    # Cut short, a run ends at its instruction limit: exit 3 is expected.
    "$sim" run "$p/config.yaml" --out "$out/short-plain/$(basename "$p")" --quiet >/dev/null 2>&1 || true
done
t7=$(now)
short_sweep=$(secs "$t5" "$t6"); short_plain=$(secs "$t6" "$t7")

# host.seconds is the one column that may differ between the two sweeps.
strip() { python3 - "$1" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1])))
drop = [i for i, h in enumerate(rows[0]) if h.startswith("host.")]
for r in rows:
    print(",".join(v for i, v in enumerate(r) if i not in drop))
PY
}
same=no; [[ "$(strip "$out/j1/results.csv")" == "$(strip "$out/j2/results.csv")" ]] && same=yes
instr=$(python3 -c "
import csv; r = list(csv.DictReader(open('$out/j1/results.csv')))
v = [int(x['sim.instructions']) for x in r]; print(f'{min(v)/1e6:.1f}..{max(v)/1e6:.1f} M, total {sum(v)/1e9:.2f} G')")

echo "points: $points; guest instructions per point: $instr"
echo "sweep -j1: $j1 s   sweep -j2: $j2 s   ratio j1/j2: $(python3 -c "print(f'{$j1/$j2:.2f}')")"
echo "plain runs, one after another: $plain s; per-point overhead of the sweep: $(python3 -c "print(f'{($j1-$plain)/$points*1000:.0f}')") ms"
echo "short points (100000 instructions): sweep -j1 $short_sweep s, plain runs $short_plain s; per-point overhead: $(python3 -c "print(f'{($short_sweep-$short_plain)/$points*1000:.0f}')") ms"
echo "results.csv at -j1 and -j2 identical (host columns aside): $same"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
