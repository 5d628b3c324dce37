#!/usr/bin/env python3
"""Writes a copy of a GTKWave layout (waves/*.gtkw) focused on one moment of a run's waves.fst.

  focus.py [--sim SV39SIM] [--nth N] [--pos X Y] [--out FILE] WAVES_FST walk|fault|switch

walk    the Nth page walk: from the TLB lookup that missed, through the walker's PTE reads, to the TLB fill;
fault   the Nth major page fault (the pager's fault_end says file or swapin): from the trap into the kernel,
        through the pager's markers and the disk, to the return to the process;
switch  the Nth context switch (the pager's context_switch marker): the satp write, fences and TLB
        invalidations, up to the return to the new process.

The copy (default: LAYOUT.gtkw beside the FST) names the FST as its dump file, has the filters' absolute
paths, and sets the time window ([timestart] and the zoom on the `*` line), the primary marker and named
markers A, B, ... on the steps above. Prints its path. Events come from `sv39sim waves-events FST`.
Exit status 2 when the FST lacks what the layout shows (for example no walk: the unit was not recorded).
"""
import argparse
import csv
import io
import math
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.realpath(__file__))
LAYOUTS = ("walk", "fault", "switch")
# The wave area is the window's width less the signal pane, which GTKWave sizes itself to the names and
# values (ignoring [signals_width]): 354 to 430 px for these layouts on GTKWave 3.3.118. Taking a little
# more keeps every point in view; the right side just gets more room than the left.
SIGNAL_PANE_PX = 460
PAD = 0.08  # of the span, on each side
LABEL_PX = 90  # named markers closer than this share one label
# Field values (models/sim/Event.h; the privileged spec's privilege levels).
LOOKUP_MISS = 1
PRIV_U = 0


class Missing(Exception):
    pass


# ---- events ---------------------------------------------------------------------------------------------


def read_events(sim, fst):
    """The run's events as dicts of the CSV's columns (numbers as ints; unit and kind as names)."""
    out = subprocess.run([sim, "waves-events", fst], capture_output=True, text=True)
    if out.returncode != 0:
        raise SystemExit("focus.py: %s waves-events %s failed:\n%s" % (sim, fst, out.stderr.strip()))
    events = []
    for row in csv.DictReader(io.StringIO(out.stdout)):
        e = {}
        for k, v in row.items():
            try:
                e[k] = int(v, 0)
            except (TypeError, ValueError):
                e[k] = v
        events.append(e)
    return events


def marker_codes():
    """Pager marker name -> code, from abi.h (the list the kernel and the recorder share)."""
    text = open(os.path.join(HERE, "..", "firmware", "kernel", "abi.h")).read()
    codes = {n: int(c) for n, c in re.findall(r'X\((\w+),\s*(\d+),', text)}
    kinds = {k.lower(): int(v) for k, v in re.findall(r"#define MARK_FAULT_([A-Z]+) (\d+)", text)}
    return codes, kinds


def first(events, start, pred):
    for i in range(start, len(events)):
        if pred(events[i]):
            return i
    return None


def last(events, end, pred):
    for i in range(end, -1, -1):
        if pred(events[i]):
            return i
    return None


def is_(unit, kind):
    units = unit if isinstance(unit, tuple) else (unit,)
    return lambda e: e["unit"] in units and e["kind"] == kind


# ---- what each layout focuses on ------------------------------------------------------------------------
# Each returns [(label, time_ps)], the first being the primary marker; the window spans them all.


def walk_points(events, nth, min_reads=0):
    """The Nth walk that ended in a TLB fill (and read at least min_reads PTEs)."""
    walks = []
    for s in (i for i, e in enumerate(events) if is_("walker", "walk_start")(e)):
        end = first(events, s, is_("walker", "walk_end"))
        if end is None or events[end]["outcome"] != 0:
            continue  # cut off by the end of the waves, or a page fault (the fault layout shows those)
        reads = sum(1 for e in events[s:end] if is_("walker", "pte_read")(e))
        if reads >= min_reads:
            walks.append((s, end))
    if len(walks) < nth:
        raise Missing("%d page walk(s) ending in a TLB fill%s in the waves, asked for walk %d"
                      % (len(walks), " with %d PTE reads" % min_reads if min_reads else "", nth))
    s, end = walks[nth - 1]
    page = events[s]["va"] >> 12
    l1 = lambda kind: lambda e: is_(("itlb", "dtlb"), kind)(e) and e["va"] >> 12 == page
    miss = last(events, s, lambda e: l1("tlb_lookup")(e) and e["outcome"] == LOOKUP_MISS)
    fill = first(events, end, l1("tlb_fill"))
    points = [("walk start", s), ("TLB miss", miss), ("walk end", end), ("TLB fill", fill)]
    return [(label, events[i]["time_ps"]) for label, i in points if i is not None]


def fault_points(events, nth):
    """The Nth major fault, from the page-fault trap to the return to the process."""
    codes, kinds = marker_codes()
    pager = lambda name: lambda e: is_("pager", "pager_marker")(e) and e["outcome"] == codes[name]
    major = (kinds["file"], kinds["swapin"])
    ends = [i for i, e in enumerate(events) if pager("fault_end")(e) and e["va"] in major]  # va: arg2, kind
    if len(ends) < nth:
        raise Missing("%d major fault(s) in the waves, asked for fault %d" % (len(ends), nth))
    fe = ends[nth - 1]
    pid, va = events[fe]["data"], events[fe]["aux"]  # arg0, arg1
    fb = last(events, fe, lambda e: pager("fault_begin")(e) and e["data"] == pid and e["aux"] == va)
    if fb is None:
        raise Missing("the fault_end of pid %d at %#x (%d ps) has no fault_begin in the waves"
                      % (pid, va, events[fe]["time_ps"]))
    # The kernel entry it began in: a page-fault trap, or a system call touching the page.
    trap = last(events, fb, lambda e: is_("hart", "trap_enter")(e) and e["priv"] == PRIV_U)
    request = first(events, fb, is_("disk", "disk_request"))
    complete = first(events, request, is_("disk", "disk_complete")) if request is not None else None
    back = last(events, fe, lambda e: pager("context_switch")(e) and e["data"] == pid)
    ret = first(events, fe, lambda e: is_("hart", "trap_return")(e) and e["priv_to"] == PRIV_U)
    points = [("fault_begin", fb), ("trap", trap), ("disk request", request), ("disk complete", complete),
              ("switch back", back if back is not None and back > fb else None), ("fault_end", fe),
              ("return", ret)]
    return [(label, events[i]["time_ps"]) for label, i in points if i is not None]


def switch_points(events, nth):
    """The Nth context switch, within the kernel's stay around it (from the trap out of the process
    before it to the return to a process after it)."""
    codes, _ = marker_codes()
    switches = [i for i, e in enumerate(events)
                if is_("pager", "pager_marker")(e) and e["outcome"] == codes["context_switch"]]
    if len(switches) < nth:
        raise Missing("%d context switch(es) in the waves, asked for switch %d" % (len(switches), nth))
    cs = switches[nth - 1]
    entry = last(events, cs, lambda e: is_("hart", "trap_enter")(e) and e["priv"] == PRIV_U)
    ret = first(events, cs, lambda e: is_("hart", "trap_return")(e) and e["priv_to"] == PRIV_U)
    lo, hi = entry if entry is not None else 0, ret if ret is not None else len(events) - 1
    within = lambda pred: next((i for i in range(lo, hi + 1) if pred(events[i])), None)
    points = [("context_switch", cs), ("trap", entry), ("satp write", within(is_("hart", "satp_write"))),
              ("sfence", within(is_("hart", "sfence"))),
              ("TLB invalidate", within(is_(("itlb", "dtlb", "l2tlb"), "tlb_invalidate"))), ("return", ret)]
    if ret is not None:
        # The new process's first page walk, if it comes soon: its TLBs warming up.
        walk = first(events, ret, is_("walker", "walk_end"))
        stay = events[ret]["time_ps"] - events[lo]["time_ps"]
        if walk is not None and events[walk]["time_ps"] - events[ret]["time_ps"] <= max(stay, 1000):
            points.append(("first walk", walk))
    return [(label, events[i]["time_ps"]) for label, i in points if i is not None]


POINTS = {"walk": walk_points, "fault": fault_points, "switch": switch_points}


# ---- the layout copy ------------------------------------------------------------------------------------


def window(points, wave_px):
    """[timestart], the zoom that shows every point with some room on both sides, and the time one
    pixel stands for."""
    times = [t for _, t in points]
    lo, hi = min(times), max(times)
    span = max(hi - lo, 1000)  # at least 1 ns
    start = max(0, lo - int(span * PAD))
    shown = span * (1 + 2 * PAD)
    # GTKWave (calczoom): time per pixel = 2**(-zoom) / 200, zoom base 2 and 200 pixels a frame.
    per_px = max(shown / wave_px, 1 / 200)
    return start, -math.log2(per_px * 200), per_px


def named_markers(points, per_px):
    """Named markers A, B, ... in time order; points closer than a label's width share one marker."""
    merged = []
    for label, t in sorted(points, key=lambda p: p[1]):
        if merged and t - merged[-1][1] < LABEL_PX * per_px:
            merged[-1][0].append(label)
        else:
            merged.append(([label], t))
    return [(", ".join(labels), t) for labels, t in merged[:26]]


def focus(layout_path, fst, points, out, pos=None):
    text = open(layout_path).read()
    size = re.search(r"^\[size\] (\d+) (\d+)", text, re.M)
    width = int(size.group(1)) if size else 1000
    start, zoom, per_px = window(points, max(width - SIGNAL_PANE_PX, 200))
    # Filters by absolute path: the copy lives elsewhere, and GTKWave finds them from [savefile] only
    # when the copy keeps the layout's folder depth.
    text = text.replace("/sv39sim/waves/", HERE + "/")
    drop = ("[savefile]", "[dumpfile", "[timestart]", "[markername", "*")
    lines = [l for l in text.splitlines() if not l.startswith(drop)]
    if pos:
        lines = [("[pos] %d %d" % tuple(pos)) if l.startswith("[pos]") else l for l in lines]
    markers = named_markers(points, per_px)
    times = [str(t) for _, t in markers] + ["-1"] * (26 - len(markers))
    head = ['[dumpfile] "%s"' % os.path.abspath(fst), "[timestart] %d" % start,
            "*%f %d %s" % (zoom, points[0][1], " ".join(times))]
    head += ["[markername] %s%s" % (chr(ord("A") + i), label) for i, (label, _) in enumerate(markers)]
    at = next(i for i, l in enumerate(lines) if not l.startswith("[*]"))
    lines[at:at] = head
    with open(out, "w") as f:
        f.write("\n".join(lines) + "\n")


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("fst")
    p.add_argument("layout", choices=LAYOUTS)
    p.add_argument("--sim", default=os.path.join(HERE, "..", "build", "sv39sim"))
    p.add_argument("--nth", type=int, default=1)
    p.add_argument("--min-reads", type=int, default=0, help="walk: only walks that read this many PTEs")
    p.add_argument("--pos", type=int, nargs=2)
    p.add_argument("--out")
    a = p.parse_args()
    if not os.path.exists(a.fst):
        raise SystemExit("focus.py: no waves file %s (run with --set trace.waves.enabled=true)" % a.fst)
    events = read_events(a.sim, a.fst)
    try:
        points = POINTS[a.layout](events, a.nth, *([a.min_reads] if a.layout == "walk" else []))
    except Missing as m:
        print("focus.py: %s: %s" % (a.fst, m), file=sys.stderr)
        sys.exit(2)
    out = a.out or os.path.join(os.path.dirname(os.path.abspath(a.fst)), a.layout + ".gtkw")
    focus(os.path.join(HERE, a.layout + ".gtkw"), a.fst, points, out, a.pos)
    for label, t in points:
        print("%-14s %d ps" % (label, t), file=sys.stderr)
    print(out)


if __name__ == "__main__":
    main()
