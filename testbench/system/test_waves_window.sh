#!/usr/bin/env bash
# Which part of the run waves.fst holds (issue 8, deliverable 4; models/trace/WaveWindow.h), end to end on
# the pager kernel running `hello; crasher kind=null` (the crasher loads from address 0 and is killed):
#   - a trigger on the crasher's fault (load page fault at a VA below 4 KiB, in the crasher's pid, learnt
#     from its console line) opens the file at that fault: it is there, and nothing before its time is;
#     a plain time window around the same instant shows that there were events before it, and agrees on it;
#   - a flight recorder of 20us on a run stopped by sim.max_instructions (exit 3) writes only events within
#     the last 20us of the run's end (sim.cycles at 1 GHz); written only on failure, it writes nothing for
#     a passing run and everything it holds when the pager killed a process;
#   - trace.waves.max_bytes keeps the file within it, says so in the file and once on stderr;
#   - bad trace.waves.* values are refused (exit 2) naming the key.
# usage: test_waves_window.sh SV39SIM FIRMWARE_DIR SOURCE_DIR
set -uo pipefail
sim=$1 fw=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL $*"; exit 1; }

# run NAME EXPECTED_EXIT [--set ...]: the kernel with the test workload, output in $work/NAME.
run() {
  local name=$1 want=$2
  shift 2
  timeout 60 "$sim" run --set sim.elf="$fw/kernel.elf" --set disk.image="$fw/disk.img" --set workload.frames=24 \
    --set hart.clock_mhz=1000 --set "workload.run=hello; crasher kind=null" "$@" --out "$work/$name" --quiet \
    >"$work/$name.log" 2>"$work/$name.err"
  local rc=$?
  [ $rc -eq "$want" ] || { tail -5 "$work/$name.err" "$work/$name.log"; fail "$name: exit $rc, expected $want"; }
  if [ -e "$work/$name/waves.fst" ]; then
    fst2vcd "$work/$name/waves.fst" >"$work/$name.vcd" 2>"$work/$name.fst2vcd" || fail "$name: fst2vcd"
  fi
}
stat_of() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$work/$1/stats.json" "$2"; }

# VCD reader: check.py NAME CHECK ARGS... (one check per call, each below).
cat >"$work/check.py" <<'PY'
import re, sys
work, name, check, args = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
ids, scope, changes = {}, [], []  # changes: (time, "scope.signal", value)
t, body = 0, False
with open(f"{work}/{name}.vcd") as f:
    for line in f:
        w = line.split()
        if not w: continue
        if w[0] == "$scope": scope.append(w[2]); continue
        if w[0] == "$upscope": scope.pop(); continue
        if w[0] == "$var": ids[w[3]] = ".".join(scope[1:] + [w[4]]); continue
        if w[0] == "$enddefinitions": body = True
        if not body or w[0].startswith("$"): continue
        if w[0][0] == "#": t = int(w[0][1:]); continue
        if w[0][0] == "b": value, vid = int(w[0][1:], 2) if set(w[0][1:]) <= set("01") else -1, w[1]
        elif w[0][0] == "s": value, vid = re.sub(r"\\([0-7]{3})", lambda m: chr(int(m.group(1), 8)), w[0][1:]), w[1]
        else: value, vid = int(w[0][0]) if w[0][0] in "01" else -1, w[0][1:]
        changes.append((t, ids[vid], value))
later = [c for c in changes if c[0] > 0]  # time 0: the initial values
events = [c for c in later if c[1] == "event"]
notes = [c for c in later if c[1] == "window"]
def value_at(signal, time):  # the signal's last value at `time`
    v = None
    for c in changes:
        if c[0] > time: break
        if c[1] == signal: v = c[2]
    return v
def faults():  # rising edges of the hart's fault strobe: (time, cause, tval)
    return [(c[0], value_at("hart.fault_cause", c[0]), value_at("hart.fault_tval", c[0]))
            for c in changes if c[1] == "hart.fault" and c[2] == 1]
def markers():  # (time, code, arg0, arg1, arg2)
    return [(c[0],) + tuple(value_at(f"pager.{s}", c[0]) for s in ("code", "arg0", "arg1", "arg2"))
            for c in changes if c[1] == "pager.marker" and c[2] == 1]
failures = []
LOAD_PAGE_FAULT, FAULT_END, PROCESS_KILL, BAD = 13, 2, 8, 7  # RISC-V cause; abi.h codes, written out
if check == "trigger":  # pid: the crasher's fault opens the file, nothing before it
    pid = int(args[0])
    if not later: failures.append("nothing after time 0")
    else:
        first = later[0][0]
        f = [x for x in faults() if x[0] == first]
        if f != [(first, LOAD_PAGE_FAULT, 0)]: failures.append(f"at the first time {first}: faults {f}")
        if not notes or notes[0][0] != first or not notes[0][2].startswith("opened by the trigger"):
            failures.append(f"trigger note: {notes[:1]}")
        m = markers()
        if not any(x[1:3] == (FAULT_END, pid) and x[3] == 0 and x[4] == BAD for x in m):
            failures.append(f"no bad fault_end of pid {pid} at va 0 after the trigger: {m}")
        if not any(x[1:3] == (PROCESS_KILL, pid) for x in m): failures.append(f"pid {pid} not killed: {m}")
        print(first)
elif check == "cut":  # T: events before T, and T is the first null-page load fault of the window
    T = int(args[0])
    if not any(c[0] < T for c in events): failures.append(f"no event before {T}")
    null = [x for x in faults() if x[1] == LOAD_PAGE_FAULT and x[2] < 0x1000]
    if not null or null[0][0] != T: failures.append(f"null-page load faults {null}, expected the first at {T}")
elif check == "flight":  # END N: only changes within [END - N, END + 1 ps (strobes drop)]
    end, n = int(args[0]), int(args[1])
    outside = [c for c in later if not end - n <= c[0] <= end + 1]
    if outside: failures.append(f"{len(outside)} changes outside [{end - n}, {end + 1}], first {outside[0]}")
    if len(events) < 100: failures.append(f"only {len(events)} events in the last {n} ps")
    if not notes or not notes[0][2].startswith(f"flight recorder: the last {n} ps before the end at {end} ps"):
        failures.append(f"flight recorder note: {notes[:1]}")
    print(len(events))
elif check == "nothing":  # a run that passed: only the note
    if events: failures.append(f"{len(events)} events written")
    if len(notes) != 1 or "passed" not in notes[0][2]: failures.append(f"notes {notes}")
elif check == "truncated":
    if not notes or not notes[-1][2].startswith("truncated: trace.waves.max_bytes"): failures.append(f"notes {notes}")
    if not events: failures.append("no event before the limit")
for f in failures: print(f"FAIL {name} {check}: {f}")
sys.exit(1 if failures else 0)
PY
check() { python3 "$work/check.py" "$work" "$@"; }

# The crasher's pid, and the run's length.
run plain 0
pid=$(sed -n 's/^crasher: pid=\([0-9]*\) .*/\1/p' "$work/plain.log")
[ -n "$pid" ] || fail "no crasher pid on the console"
instructions=$(stat_of plain sim.instructions)

# Trigger on the crasher's own fault: a load page fault below 4 KiB, in its pid.
run trigger 0 --set trace.waves.enabled=true --set trace.waves.trigger.fault=load_page_fault \
  --set trace.waves.trigger.pid="$pid" --set trace.waves.trigger.va_hi=0x1000
T=$(check trigger trigger "$pid") || { echo "$T"; exit 1; }
run cut 0 --set trace.waves.enabled=true --set trace.waves.start=$((T - 20000000))ps --set trace.waves.stop=$((T + 1))ps
check cut cut "$T" || exit 1

# Flight recorder, written on failure only: a run stopped by the instruction limit (exit 3).
n=20000000  # 20us
run limit 3 --set sim.max_instructions=$((instructions / 2)) --set trace.waves.enabled=true \
  --set trace.waves.flight_recorder=20us --set trace.waves.flight_recorder_when=failure
end=$(($(stat_of limit sim.cycles) * 1000))
written=$(check limit flight "$end" "$n") || { echo "$written"; exit 1; }
run passed 0 --set "workload.run=hello" --set trace.waves.enabled=true --set trace.waves.flight_recorder=20us \
  --set trace.waves.flight_recorder_when=failure
check passed nothing || exit 1
run killed 0 --set trace.waves.enabled=true --set trace.waves.flight_recorder=20us \
  --set trace.waves.flight_recorder_when=failure
check killed flight "$(($(stat_of killed sim.cycles) * 1000))" "$n" >/dev/null || exit 1

# The size bound.
run bounded 0 --set trace.waves.enabled=true --set trace.waves.max_bytes=1MiB
size=$(stat -c %s "$work/bounded/waves.fst")
[ "$size" -le 1048576 ] || fail "waves.fst is $size bytes, trace.waves.max_bytes 1MiB"
[ "$(grep -c 'warning: .*trace.waves.max_bytes' "$work/bounded.err")" -eq 1 ] || { cat "$work/bounded.err"; fail "warning"; }
check bounded truncated || exit 1

# Bad values name their key.
refuse() {
  local key=$1
  shift
  "$sim" run --set trace.waves.enabled=true "$@" --out "$work/refused" >/dev/null 2>"$work/refused.err"
  local rc=$?
  [ $rc -eq 2 ] && grep -q "$key" "$work/refused.err" || { cat "$work/refused.err"; fail "$* -> exit $rc, want 2 naming $key"; }
}
refuse trace.waves.start --set trace.waves.start=2xs
refuse trace.waves.stop --set trace.waves.start=3ms --set trace.waves.stop=2ms
refuse trace.waves.stop_instret --set trace.waves.start_instret=10 --set trace.waves.stop_instret=10
refuse "trace.waves.trigger.marker.*did you mean 'fault_end'" --set trace.waves.trigger.marker=fault_ended
refuse "trace.waves.trigger.fault.*did you mean 'load_page_fault'" --set trace.waves.trigger.fault=load_pagefault
refuse trace.waves.trigger.va_hi --set trace.waves.trigger.va_lo=0x2000 --set trace.waves.trigger.va_hi=0x1000
refuse trace.waves.trigger.duration --set trace.waves.trigger.duration=1us
refuse trace.waves.flight_recorder_when --set trace.waves.flight_recorder_when=failure
refuse trace.waves.max_bytes --set trace.waves.max_bytes=1KiB
echo "ok: trigger at $T ps (pid $pid), flight recorder wrote $written events of the last 20us, bounded file $size bytes"
