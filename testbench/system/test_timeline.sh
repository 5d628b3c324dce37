#!/usr/bin/env bash
# The timeline end to end (issue 8, deliverable 6): a pager run with trace.timeline.enabled writes
# OUT/timeline.csv and OUT/timeline_pid.csv. Read back with Python's csv module, each column must add up to
# the counter of the same run that counts the same thing (stats.json), each process's faults to the
# kernel's own per-process table (its console report), the intervals must tile the run, and recording must
# change nothing: stats.json with the timeline on and off are identical (host.* aside). A timeline file of
# an earlier run must not survive a run without the timeline.
# usage: test_timeline.sh SV39SIM FIRMWARE_DIR SOURCE_DIR
set -uo pipefail
sim=$1 fw=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
run="forkcow pages=4 scratch=8; thrash pages=24 rounds=1; crasher kind=null"
mkdir -p "$work/false"
echo stale >"$work/false/timeline.csv"
for timeline in true false; do
  timeout 250 "$sim" run --set sim.elf="$fw/kernel.elf" --set disk.image="$fw/disk.img" --set sim.max_time=20s \
    --set "workload.run=$run" --set workload.frames=20 --set trace.timeline.enabled=$timeline \
    --set trace.timeline.interval=50us --out "$work/$timeline" --quiet >"$work/$timeline.log" 2>"$work/$timeline.err" ||
    { echo "FAIL timeline=$timeline: exit $?"; tail "$work/$timeline.err" "$work/$timeline.log"; exit 1; }
done
for f in timeline.csv timeline_pid.csv; do
  [ ! -e "$work/false/$f" ] || { echo "FAIL $f present with trace.timeline.enabled=false"; exit 1; }
  [ ! -e "$work/true/$f.tmp" ] || { echo "FAIL $f.tmp left behind"; exit 1; }
done
python3 - "$work" <<'PY'
import collections, csv, json, re, sys
work = sys.argv[1]
failures = []
INTERVAL_US = 50

def read(name, header):
    with open(f"{work}/true/{name}", newline="") as f:
        rows = list(csv.reader(f))
    if rows[0] != header:
        failures.append(f"{name}: header {rows[0]}, expected {header}")
        return []
    out = []
    for i, r in enumerate(rows[1:], 2):
        # Tidy: every cell one number, no units; times and busy time in us may have decimals.
        try:
            out.append({k: (float(v) if k.endswith("_us") else int(v)) for k, v in zip(header, r, strict=True)})
        except ValueError as e:
            failures.append(f"{name} line {i}: {r}: {e}")
    return out

COLS = ["instructions", "itlb_misses", "dtlb_misses", "l2tlb_misses", "walks", "pwc_hits", "minor_faults",
        "major_faults", "bad_faults", "swap_ins", "swap_outs", "disk_busy_us", "context_switches"]
PID_COLS = ["pid", "instructions", "minor_faults", "major_faults", "bad_faults", "swap_ins", "swap_outs",
            "context_switches"]
rows = read("timeline.csv", ["start_us", "end_us"] + COLS)
pid_rows = read("timeline_pid.csv", ["start_us", "end_us"] + PID_COLS)
stats = json.load(open(f"{work}/true/stats.json"))
off = json.load(open(f"{work}/false/stats.json"))
strip = lambda d: {k: v for k, v in d.items() if not k.startswith("host.")}
if strip(stats) != strip(off):
    diff = sorted(k for k in set(stats) | set(off) if not k.startswith("host.") and stats.get(k) != off.get(k))
    failures.append(f"stats.json differs with the timeline on/off: {diff}")

# The intervals tile the run: from 0, each where the last ended, all 50 us but the last, which ends with it.
end = 0.0
for i, r in enumerate(rows):
    if r["start_us"] != end: failures.append(f"row {i} starts at {r['start_us']}, the one before ends at {end}")
    length = r["end_us"] - r["start_us"]
    last = i == len(rows) - 1
    if not (0 < length <= INTERVAL_US if last else abs(length - INTERVAL_US) < 1e-9):
        failures.append(f"row {i}: [{r['start_us']}, {r['end_us']}) is not a {INTERVAL_US} us interval")
    if r["disk_busy_us"] > length + 1e-9: failures.append(f"row {i}: disk busy {r['disk_busy_us']} us > {length} us")
    end = r["end_us"]
if abs(end - stats["sim.seconds"] * 1e6) > 1e-5 * end:  # sim.seconds has 6 significant digits
    failures.append(f"last interval ends at {end} us, the run at {stats['sim.seconds'] * 1e6} us")

total = lambda col: sum(r[col] for r in rows)
s = lambda k: stats[k]
checks = {
    "instructions": s("sim.instructions"),
    "itlb_misses": s("mmu.itlb.misses"),
    "dtlb_misses": s("mmu.dtlb.misses"),
    "l2tlb_misses": s("mmu.l2tlb.misses"),
    "walks": s("mmu.walker.walks"),
    "pwc_hits": s("mmu.walker.pwc.hits.level2") + s("mmu.walker.pwc.hits.level1"),
    "minor_faults": s("pager.minor_faults"),
    "major_faults": s("pager.major_faults"),
    "bad_faults": s("pager.bad_faults"),
    "swap_ins": s("pager.swap_ins"),
    "swap_outs": s("pager.swap_outs"),
    "context_switches": s("pager.context_switches"),
}
for col, want in checks.items():
    print(f"{col}: {total(col)} (stats {want})")
    if total(col) != want: failures.append(f"sum of {col} is {total(col)}, stats.json says {want}")
# The disk serves one request at a time, back to back while any wait: time with one outstanding is its
# busy time, give or take the moment a request waits to be picked up.
busy, want = total("disk_busy_us") * 1e-6, s("disk.busy_seconds")
print(f"disk_busy_us: {busy * 1e6:.3f} (stats {want * 1e6:.3f})")
if abs(busy - want) > 0.01 * want + 1e-6: failures.append(f"disk busy {busy} s, disk.busy_seconds {want}")

# Per process: each interval's pid rows add up to its faults, swaps and switches (every one has a pid);
# instructions may also be the kernel's own.
by_interval = collections.defaultdict(list)
for r in pid_rows: by_interval[r["start_us"]].append(r)
system = {r["start_us"]: r for r in rows}
for start, prs in by_interval.items():
    if start not in system:
        failures.append(f"timeline_pid.csv interval at {start} us is not in timeline.csv")
        continue
    pids = [r["pid"] for r in prs]
    if pids != sorted(set(pids)): failures.append(f"interval {start} us: pids {pids} not sorted and unique")
    for col in PID_COLS[1:]:
        got, sys_value = sum(r[col] for r in prs), system[start][col]
        if col == "instructions" and got > sys_value or col != "instructions" and got != sys_value:
            failures.append(f"interval {start} us: {col} of the pids {got}, system {sys_value}")
# The kernel's per-process table (report.c): PID NAME MINFLT MAJFLT COW SWAPIN SWAPOUT STATUS. SWAPOUT
# there is of the process's pages; the timeline's swap_outs are the writes the running process waited for.
kernel = {}
for line in open(f"{work}/true.log", errors="replace"):
    m = re.match(r"\s*(\d+) (\S+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+) ", line)
    if m: kernel[int(m[1])] = {"minor_faults": int(m[3]), "major_faults": int(m[4]), "swap_ins": int(m[6])}
per_pid = collections.defaultdict(collections.Counter)
for r in pid_rows:
    for col in PID_COLS[1:]: per_pid[r["pid"]][col] += r[col]
if not kernel: failures.append("no per-process table in the console output")
for pid, want in kernel.items():
    got = {col: per_pid[pid][col] for col in want}
    if got != want: failures.append(f"pid {pid}: timeline {got}, kernel {want}")
    if not per_pid[pid]["instructions"]: failures.append(f"pid {pid}: no instructions")
if set(per_pid) != set(kernel): failures.append(f"pids {sorted(per_pid)}, kernel's table {sorted(kernel)}")
if not (total("swap_ins") and total("swap_outs") and total("bad_faults") and total("major_faults")):
    failures.append("the workload made no swaps, major or bad faults")
for f in failures: print("FAIL", f)
print(f"{len(rows)} intervals, {len(pid_rows)} pid rows, {len(failures)} failures")
sys.exit(1 if failures else 0)
PY
