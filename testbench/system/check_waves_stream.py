#!/usr/bin/env python3
"""Checks the events of a run's waves.fst (as `sv39sim waves-events` prints them) against the same run's
stats.json: the statistics count from the MMU's, the hart's and the pager's own counters, the waves from
the event stream, so the two must agree event for event.

usage: check_waves_stream.py EVENTS.csv STATS.json [--pager]     (EVENTS.csv "-": stdin)
  --pager  also check the pager kernel's markers (fault begin/end pairs) against its pager.* counters
"""
import json
import sys
from collections import Counter

# mcause exception codes of the memory faults (privileged spec, table 3.6), written out here.
MEMORY_FAULTS = {1: "fetch_access", 5: "load_access", 7: "store_access",
                 12: "fetch_page_fault", 13: "load_page_fault", 15: "store_page_fault"}
TLBS = ("itlb", "dtlb", "l2tlb")
HIT, MISS, DENIED = 0, 1, 2          # LookupOutcome
SERVED_BY_PWC = 3                    # ServedBy::Pwc: no memory read
# firmware/kernel/abi.h PAGER_MARKERS: codes, and fault_end's kind argument.
FAULT_BEGIN, FAULT_END = 1, 2
BAD_FAULT = 7


def main():
    if len(sys.argv) not in (3, 4) or (len(sys.argv) == 4 and sys.argv[3] != "--pager"):
        sys.exit(__doc__)
    events_path, stats_path = sys.argv[1], sys.argv[2]
    pager = len(sys.argv) == 4
    stats = json.load(open(stats_path))
    failures = []

    count = Counter()        # (unit, kind)
    lookups = Counter()      # (tlb, outcome)
    walk_faults = Counter()  # cause
    fault_causes = Counter()
    start_levels = Counter()
    memory_reads = 0
    open_faults = {}         # pid -> va of the fault it is in
    fault_begins = fault_ends = bad_ends = 0
    n = 0
    last_time = 0
    with (sys.stdin if events_path == "-" else open(events_path)) as f:
        header = f.readline().strip().split(",")
        col = {name: i for i, name in enumerate(header)}
        SEQ, TIME, UNIT, KIND, LEVEL, OUTCOME = (col[k] for k in ("seq", "time_ps", "unit", "kind", "level", "outcome"))
        VA, DATA, AUX = col["va"], col["data"], col["aux"]
        for line in f:  # millions of lines: plain splits, ints parsed only where needed
            row = line.split(",")
            seq, t = int(row[SEQ]), int(row[TIME])
            if seq != n:
                failures.append(f"event {n} has seq {seq}")
                n = seq
            if t < last_time:
                failures.append(f"seq {seq}: time goes back from {last_time} to {t} ps")
            n += 1
            last_time = t
            unit, kind = row[UNIT], row[KIND]
            count[unit, kind] += 1
            if kind == "translation":
                continue
            outcome, aux = int(row[OUTCOME]), int(row[AUX], 16)
            if kind == "tlb_lookup":
                lookups[unit, outcome] += 1
            elif kind == "walk_start":
                start_levels[int(row[LEVEL])] += 1
            elif kind == "walk_end" and outcome:
                walk_faults[aux] += 1
            elif kind == "pte_read" and not aux and outcome != SERVED_BY_PWC:
                memory_reads += 1
            elif kind == "fault":
                fault_causes[aux] += 1
            elif kind == "pager_marker" and outcome in (FAULT_BEGIN, FAULT_END):
                pid, va = int(row[DATA], 16), aux
                if outcome == FAULT_BEGIN:
                    fault_begins += 1
                    if pid in open_faults:
                        failures.append(f"seq {seq}: pid {pid} begins a fault at {va:#x} inside one at "
                                        f"{open_faults[pid]:#x}")
                    open_faults[pid] = va
                else:
                    fault_ends += 1
                    bad_ends += int(row[VA], 16) == BAD_FAULT
                    if open_faults.pop(pid, None) != va:
                        failures.append(f"seq {seq}: pid {pid} ends a fault at {va:#x} it did not begin")

    def expect(what, got, want):
        if got != want:
            failures.append(f"{what}: {got} in the waves, {want} in stats.json")

    s = stats
    expect("walk starts", count["walker", "walk_start"], s["mmu.walker.walks"])
    expect("walk ends", count["walker", "walk_end"], s["mmu.walker.walks"])
    expect("faulting walks", sum(walk_faults.values()), s["mmu.walker.faults"])
    for cause, name in MEMORY_FAULTS.items():
        expect(f"walks faulting with {name}", walk_faults[cause], s[f"mmu.walker.faults.{name}"])
        expect(f"{name} faults", fault_causes[cause], s[f"hart.traps.{name}"])
    expect("walks from the root", start_levels[2], s["mmu.walker.pwc.misses"])
    expect("walks from a cached level-2 pointer", start_levels[1], s["mmu.walker.pwc.hits.level2"])
    expect("walks from a cached level-1 pointer", start_levels[0], s["mmu.walker.pwc.hits.level1"])
    expect("PTE reads from memory", memory_reads, s["mmu.walker.memory_reads"])
    expect("A/D updates", count["walker", "pte_write"], s["mmu.walker.ad_updates"])
    for tlb in TLBS:
        expect(f"{tlb} hits", lookups[tlb, HIT], s[f"mmu.{tlb}.hits"])
        expect(f"{tlb} misses", lookups[tlb, MISS] + lookups[tlb, DENIED], s[f"mmu.{tlb}.misses"])
        expect(f"{tlb} denied", lookups[tlb, DENIED], s[f"mmu.{tlb}.denied"])
        expect(f"{tlb} fills", count[tlb, "tlb_fill"], s[f"mmu.{tlb}.fills"])
    if pager:
        p = lambda k: s[f"pager.{k}"]
        expect("fault begin markers", fault_begins, p("page_faults") + p("sys_faults"))
        expect("fault end markers, resolved", fault_ends - bad_ends, p("minor_faults") + p("major_faults"))
        expect("fault end markers, bad", bad_ends, p("bad_faults"))
        if open_faults:
            failures.append(f"faults that never ended: {open_faults}")
        if not fault_begins:
            failures.append("the pager made no faults")
    if not count["walker", "walk_start"]:
        failures.append("no walks in the waves")

    for f in failures[:50]:
        print("FAIL", f)
    summary = ", ".join(f"{k[0]}.{k[1]} {v}" for k, v in sorted(count.items()))
    print(f"{n} events ({summary}); {len(failures)} failures")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
