#!/usr/bin/env bash
# Pager trace markers end to end (issue 8, deliverable 2): the kernel, told the trace-marker device's
# address by the boot arguments, writes a marker for each thing it does; trace.waves.enabled records them
# in OUT/waves.fst. Read back with `sv39sim waves-events`, the markers must agree with the kernel's own pager.* counters
# of the same run, fault begin/end must pair up, time never goes backwards, and recording must change
# nothing: stats.json with waves on and off are identical (host.* aside).
# usage: test_waves_pager.sh SV39SIM FIRMWARE_DIR SOURCE_DIR
set -uo pipefail
sim=$1 fw=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
run="forkcow pages=4 scratch=8; thrash pages=24 rounds=1; crasher kind=null; hello"
for waves in true false; do
  timeout 120 "$sim" run --set sim.elf="$fw/kernel.elf" --set disk.image="$fw/disk.img" --set sim.max_time=20s \
    --set "workload.run=$run" --set workload.frames=24 --set trace.waves.enabled=$waves \
    --out "$work/$waves" --quiet >"$work/$waves.log" 2>"$work/$waves.err" ||
    { echo "FAIL waves=$waves: exit $?"; tail "$work/$waves.err" "$work/$waves.log"; exit 1; }
done
[ ! -e "$work/false/waves.fst" ] || { echo "FAIL waves.fst written with trace.waves.enabled=false"; exit 1; }
# The pager's rows of the recorded events (sv39sim waves-events reads the FST back: test_wave_reader checks
# it against the recorder field by field); the rest of the stream is test_waves_stream's business.
"$sim" waves-events "$work/true/waves.fst" 2>"$work/events.err" | grep ',pager,' >"$work/pager.csv" ||
  { echo "FAIL waves-events"; cat "$work/events.err"; exit 1; }
python3 - "$work" <<'PY'
import json, sys
work = sys.argv[1]
# Marker codes and fault kinds as firmware/kernel/abi.h numbers them (written out here, not derived).
CS, FB, FE, VICTIM, SWAP_SUB, SWAP_DONE, CREATE, EXIT, KILL, SYS_IN, SYS_OUT = range(11)
ZERO, COW, AD, SPURIOUS, SWAPCACHE, FILE, SWAPIN, BAD = range(8)

# Columns: seq,time_ps,instret,unit,kind,access,level,outcome,priv,priv_to,asid,victim_asid,set,way,va,pa,
# data,aux,victim_va,latency_ps. A marker: outcome = code, data/aux/va = arg0/arg1/arg2.
markers, failures, t = [], [], 0
for line in open(f"{work}/pager.csv"):
    c = line.rstrip("\n").split(",")
    if c[4] != "pager_marker": failures.append(f"pager row of kind {c[4]}"); continue
    time_ps = int(c[1])
    if time_ps < t: failures.append(f"time goes backwards: {time_ps} after {t}")
    t = time_ps
    markers.append((time_ps, int(c[7]), int(c[16], 16), int(c[17], 16), int(c[14], 16)))

stats = json.load(open(f"{work}/true/stats.json"))
off = json.load(open(f"{work}/false/stats.json"))
strip = lambda d: {k: v for k, v in d.items() if not k.startswith("host.")}
if strip(stats) != strip(off):
    diff = sorted(k for k in set(stats) | set(off) if not k.startswith("host.") and stats.get(k) != off.get(k))
    failures.append(f"stats.json differs with waves on/off: {diff}")

count = lambda code, kind=None: sum(1 for m in markers if m[1] == code and (kind is None or m[4] == kind))
p = lambda k: stats[f"pager.{k}"]
checks = {
    "context switches": (count(CS), p("context_switches")),
    "processes created": (count(CREATE), p("processes")),
    "processes killed": (count(KILL), p("killed")),
    "processes exited": (count(EXIT), p("processes")),
    "syscalls entered": (count(SYS_IN), p("syscalls")),
    "victims": (count(VICTIM), p("evictions")),
    "swap writes submitted": (sum(1 for m in markers if m[1] == SWAP_SUB and m[3] == 1), p("swap_outs")),
    "swap reads submitted": (sum(1 for m in markers if m[1] == SWAP_SUB and m[3] == 0), p("swap_ins")),
    "swap I/O completed": (count(SWAP_DONE), count(SWAP_SUB)),
    "zero-fill faults": (count(FE, ZERO), p("zero_fills")),
    "copy-on-write faults": (count(FE, COW), p("cow_faults")),
    "file-read faults": (count(FE, FILE), p("file_reads")),
    "swap-in faults": (count(FE, SWAPIN), p("swap_ins")),
    "resolved faults": (sum(1 for m in markers if m[1] == FE and m[4] != BAD), p("minor_faults") + p("major_faults")),
    "bad faults": (count(FE, BAD), p("bad_faults")),
    "fault begins": (count(FB), p("page_faults") + p("sys_faults")),
}
for what, (got, want) in checks.items():
    if got != want: failures.append(f"{what}: {got} markers, expected {want}")
# Faults sleep on the disk and interleave across processes, but each pid's begin/end alternate on the
# same va, and every dirty victim is followed by its swap write.
open_fault = {}
for _, code, a0, a1, a2 in markers:
    if code == FB:
        if a0 in open_fault: failures.append(f"pid {a0}: fault at {a1:#x} begins inside the one at {open_fault[a0]:#x}")
        open_fault[a0] = a1
    elif code == FE:
        if open_fault.pop(a0, None) != a1: failures.append(f"pid {a0}: fault end at {a1:#x} without its begin")
if open_fault: failures.append(f"faults never ended: {open_fault}")
if not (count(FB) and count(SWAP_SUB) and count(KILL)): failures.append("the workload made no faults, swaps or kills")
for f in failures: print("FAIL", f)
print(f"{len(markers)} markers, {len(failures)} failures")
sys.exit(1 if failures else 0)
PY
