#!/usr/bin/env bash
# The RTL cross-check's speed (docs/performance.md): the default pager run (configs/default.yaml) plain
# (median wall time of RUNS runs) and with the check in lockstep (rtl_check.enabled; CHECKED_RUNS runs, some
# two minutes each; the RTL model built beforehand, so no run pays the build), the transactions compared
# per second, and the slowdown; then the same run recording its event log (trace.events.enabled) and the
# replay of that log (sv39sim rtl-check). Figures only: nothing is asserted about speed.
# usage: testbench/bench/bench_rtl_check.sh [SV39SIM] [RUNS] [CHECKED_RUNS]   (defaults: build/sv39sim, 5, 1)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
sim=$(realpath "${1:-build/sv39sim}")
runs=${2:-5}
checked_runs=${3:-1}
cfg=$here/../../configs/default.yaml
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
export SV39SIM_RTL_CACHE=${SV39SIM_RTL_CACHE:-$(dirname "$sim")/rtl-cache}

now() { date +%s.%N; }
median() { python3 -c "import statistics,sys; print(f'{statistics.median(float(x) for x in sys.argv[1:]):.2f}')" "$@"; }
timed() { # prints the wall seconds of "$@" (stdout and stderr to $out/last.*)
  local t0 t1
  t0=$(now)
  "$@" >"$out/last.out" 2>"$out/last.err" || true
  t1=$(now)
  python3 -c "print($t1 - $t0)"
}

echo "machine: $(nproc) CPUs, load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
"$sim" run "$cfg" --max-instructions 1000 --set rtl_check.enabled=true --out "$out/warm" --quiet >/dev/null 2>&1 || true

plain=() checked=()
for _ in $(seq "$runs"); do
  plain+=("$(timed "$sim" run "$cfg" --out "$out/plain" --quiet)")
done
for _ in $(seq "$checked_runs"); do
  checked+=("$(timed "$sim" run "$cfg" --set rtl_check.enabled=true --out "$out/check" --quiet)")
done
summary=$(grep 'rtl-check:' "$out/last.err" | sed 's/^sv39sim: //')
n=$(sed -n 's/^rtl-check: \([0-9]*\) transactions.*/\1/p' <<<"$summary")
p=$(median "${plain[@]}") c=$(median "${checked[@]}")
echo "default pager run: plain $p s (median of $runs), with the RTL check $c s (median of $checked_runs) (slowdown $(python3 -c "print(f'{$c/$p:.0f}')")x)"
echo "  $summary"
echo "  transactions compared per second: $(python3 -c "print(f'{$n/$c:,.0f}')")"

t=$(timed "$sim" run "$cfg" --set trace.events.enabled=true --out "$out/log" --quiet)
size=$(stat -c %s "$out/log/events.gz")
instr=$(python3 -c "import json; print(json.load(open('$out/log/stats.json'))['sim.instructions'])")
echo "recording the event log: $(printf %.2f "$t") s, events.gz $(python3 -c "print(f'{$size/1e6:.1f} MB, {$size/$instr:.1f} bytes per instruction')")"
t=$(timed "$sim" rtl-check "$out/log/events.gz")
echo "replaying it: $(printf %.2f "$t") s: $(grep 'rtl-check:' "$out/last.err" | sed 's/^sv39sim: //')"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
