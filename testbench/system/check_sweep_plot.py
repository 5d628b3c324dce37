#!/usr/bin/env python3
"""testbench/sweep/plot.py against a hand-written results.json (test_sweep_plot.sh runs it).

The sweep: entries {4, 8, 16} x policy {lru, fifo} x workload {thrash, seqscan}, two repeats, some points
failed. The expected lines below are worked out by hand from the MPKI table, not by plot.py's code.
usage: check_sweep_plot.py SOURCE_DIR WORK_DIR
"""

import importlib.util
import json
import os
import struct
import subprocess
import sys
import xml.etree.ElementTree as ET
import zlib

source, work = sys.argv[1], sys.argv[2]
script = os.path.join(source, "testbench/sweep/plot.py")
failures = []


def check(ok, what):
    if not ok:
        failures.append(what)
    return ok


# mmu.dtlb.mpki per (workload, policy, entries): (repeat 0, repeat 1); None = that point failed.
MPKI = {
    ("thrash", "lru"): {4: (10, 14), 8: (6, 6), 16: (2, 4)},
    ("thrash", "fifo"): {4: (12, 12), 8: (None, 9), 16: (3, 3)},
    ("seqscan", "lru"): {4: (1, 1), 8: (0.5, 0.5), 16: (0.25, 0.25)},
    ("seqscan", "fifo"): {4: (2, 2), 8: (None, None), 16: (0.5, 1.5)},
}
points = []
for entries in (4, 8, 16):  # first axis slowest, repeats innermost, as sv39sim sweep orders them
    for policy in ("lru", "fifo"):
        for workload in ("thrash", "seqscan"):
            for repeat, mpki in enumerate(MPKI[(workload, policy)][entries]):
                ok = mpki is not None
                axes = {"entries": entries, "policy": policy, "workload": workload}
                points.append({"point": len(points), "axes": axes, "repeat": repeat, "seed": 1 + repeat,
                               "exit_status": 0 if ok else 1,
                               "stats": {"mmu.dtlb.mpki": mpki, "sim.exit_status": "pass" if ok else None}})
results = {
    "name": "plottest",
    "axes": [{"name": "entries", "keys": ["mmu.dtlb.ways"], "values": [4, 8, 16]},
             {"name": "policy", "keys": ["mmu.dtlb.policy"], "values": ["lru", "fifo"]},
             {"name": "workload", "keys": ["workload.run"], "values": ["thrash", "seqscan"]}],
    "repeats": 2,
    "stats": ["mmu.dtlb.mpki", "sim.exit_status"],
    "points": points,
    "plots": [
        {"name": "mpki", "x": "entries", "y": "mmu.dtlb.mpki", "series": "policy", "facets": "workload",
         "logx": True, "title": "D-TLB MPKI"},
        {"name": "by_policy", "x": "policy", "y": "mmu.dtlb.mpki", "series": "entries", "facets": "workload",
         "aggregate": "max"},
    ],
}
good = os.path.join(work, "good.json")
with open(good, "w") as f:
    json.dump(results, f, indent=1)


def run(results_path, out):
    return subprocess.run([sys.executable, script, results_path, out], capture_output=True, text=True)


# --- the files: valid PNG (every chunk's CRC, IHDR first, IEND last) and SVG ---
def png_size(path):
    data = open(path, "rb").read()
    if not check(data[:8] == b"\x89PNG\r\n\x1a\n", f"{path}: no PNG signature"):
        return None
    pos, chunks = 8, []
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        crc = struct.unpack(">I", data[pos + 8 + length:pos + 12 + length])[0]
        check(zlib.crc32(kind + body) == crc, f"{path}: bad CRC in chunk {kind}")
        chunks.append((kind, body))
        pos += 12 + length
    check(chunks[0][0] == b"IHDR" and chunks[-1][0] == b"IEND", f"{path}: chunks {[c[0] for c in chunks]}")
    check(any(k == b"IDAT" for k, _ in chunks), f"{path}: no image data")
    return struct.unpack(">II", chunks[0][1][:8])


SVG = "{http://www.w3.org/2000/svg}"


def svg_lines(path):
    """{gid: number of markers drawn} of every data line, and the set of error-bar gids."""
    root = ET.parse(path).getroot()
    check(root.tag == SVG + "svg", f"{path}: root element {root.tag}")
    data, bars = {}, set()
    for g in root.iter(SVG + "g"):
        gid = g.get("id", "")
        if gid.startswith("data:"):
            data[gid] = sum(1 for _ in g.iter(SVG + "use"))
        elif gid.startswith("errorbars:"):
            bars.add(gid)
    return data, bars


out = os.path.join(work, "plots")
r = run(good, out)
check(r.returncode == 0, f"plot.py exited {r.returncode}: {r.stderr}")
check(sorted(os.listdir(out)) == ["by_policy.png", "by_policy.svg", "mpki.png", "mpki.svg"],
      f"files: {sorted(os.listdir(out))}")
for name in ("mpki", "by_policy"):
    size = png_size(os.path.join(out, f"{name}.png"))
    check(size and size[0] > 400 and size[1] > 300, f"{name}.png: size {size}")

# mpki: one line per (workload, policy); thrash/fifo's 8 keeps its one good repeat, seqscan/fifo's 8 has none.
data, bars = svg_lines(os.path.join(out, "mpki.svg"))
check(data == {"data:thrash:lru": 3, "data:thrash:fifo": 3, "data:seqscan:lru": 3, "data:seqscan:fifo": 2},
      f"mpki.svg lines: {data}")
check(bars == {"errorbars:thrash:lru", "errorbars:seqscan:fifo"}, f"mpki.svg error bars: {bars}")
data, bars = svg_lines(os.path.join(out, "by_policy.svg"))
check(data == {"data:thrash:4": 2, "data:thrash:8": 2, "data:thrash:16": 2,
               "data:seqscan:4": 2, "data:seqscan:8": 1, "data:seqscan:16": 2}, f"by_policy.svg lines: {data}")

# --- the values drawn, from the figure objects ---
spec = importlib.util.spec_from_file_location("plot", script)
plot = importlib.util.module_from_spec(spec)
spec.loader.exec_module(plot)


def drawn(fig):
    """{gid: (xs, ys)} of the data lines, and {gid: [(y_lo, y_hi)...]} of the error bars."""
    lines, bars = {}, {}
    for ax in fig.axes:
        for line in ax.lines:
            if (line.get_gid() or "").startswith("data:"):
                lines[line.get_gid()] = (list(line.get_xdata()), [float(y) for y in line.get_ydata()])
        for coll in ax.collections:
            if (coll.get_gid() or "").startswith("errorbars:"):
                bars[coll.get_gid()] = [(float(s[0][1]), float(s[1][1])) for s in coll.get_segments()]
    return lines, bars


lines, bars = drawn(plot.draw(plot.Plot(results, results["plots"][0])))
expect = {
    "data:thrash:lru": ([4, 8, 16], [12.0, 6.0, 3.0]),
    "data:thrash:fifo": ([4, 8, 16], [12.0, 9.0, 3.0]),
    "data:seqscan:lru": ([4, 8, 16], [1.0, 0.5, 0.25]),
    "data:seqscan:fifo": ([4, 16], [2.0, 1.0]),
}
check(lines == expect, f"mpki lines {lines}")
# Error bars span min..max of the repeats (zero-length where the repeats agree).
check(bars == {"errorbars:thrash:lru": [(10.0, 14.0), (6.0, 6.0), (2.0, 4.0)],
               "errorbars:seqscan:fifo": [(2.0, 2.0), (0.5, 1.5)]}, f"mpki error bars {bars}")
fig = plot.draw(plot.Plot(results, results["plots"][0]))
check([ax.get_xscale() for ax in fig.axes] == ["log", "log"], "mpki: logx")
check(fig._suptitle.get_text() == "D-TLB MPKI", f"mpki title {fig._suptitle.get_text()}")

# by_policy: categorical x (lru at 0, fifo at 1, axis order), the max of the repeats.
lines, _ = drawn(plot.draw(plot.Plot(results, results["plots"][1])))
check(lines == {"data:thrash:4": ([0, 1], [14.0, 12.0]), "data:thrash:8": ([0, 1], [6.0, 9.0]),
                "data:thrash:16": ([0, 1], [4.0, 3.0]), "data:seqscan:4": ([0, 1], [1.0, 2.0]),
                "data:seqscan:8": ([0], [0.5]), "data:seqscan:16": ([0, 1], [0.25, 1.5])}, f"by_policy lines {lines}")

# The same results give the same SVG bytes.
again = os.path.join(work, "again")
run(good, again)
for name in ("mpki.svg", "by_policy.svg", "mpki.png"):
    check(open(os.path.join(out, name), "rb").read() == open(os.path.join(again, name), "rb").read(),
          f"{name} differs between two runs")

# --- specs it cannot draw: exit 2, the plot and the field named, nothing written ---
BAD = [
    ({"name": "p1", "x": "entries", "y": "mmu.dtlb.mpki", "series": "policy"}, "plot 'p1': axis 'workload'"),
    ({"name": "p2", "x": "entries", "y": "mmu.dtlb.mpkj", "series": "policy", "facets": "workload"},
     "plot 'p2': y: 'mmu.dtlb.mpkj' is not a stats column"),
    ({"name": "p3", "x": "policy", "y": "mmu.dtlb.mpki", "series": "entries", "facets": "workload", "logx": True},
     "plot 'p3': logx:"),
    ({"name": "p4", "x": "entries", "y": "sim.exit_status", "series": "policy", "facets": "workload"},
     "plot 'p4': y: 'sim.exit_status' is \"pass\""),
    ({"name": "p5", "x": "entries", "y": "mmu.dtlb.mpki", "series": "entries", "facets": "workload"},
     "plot 'p5': series: axis 'entries' is used twice"),
    ({"name": "p6", "x": "entries", "y": "mmu.dtlb.mpki", "series": "policy", "facets": "workloads"},
     "plot 'p6': facets: unknown axis \"workloads\""),
    ({"name": "p7", "x": "entries", "y": "mmu.dtlb.mpki", "series": "policy", "facets": "workload",
      "aggregate": "mode"}, "plot 'p7': aggregate:"),
]
for bad, message in BAD:
    path = os.path.join(work, f"{bad['name']}.json")
    with open(path, "w") as f:
        json.dump(dict(results, plots=[results["plots"][0], bad]), f)
    bad_out = os.path.join(work, f"out-{bad['name']}")
    r = run(path, bad_out)
    check(r.returncode == 2, f"{bad['name']}: exit {r.returncode}, expected 2")
    check(message in r.stderr, f"{bad['name']}: stderr {r.stderr!r} lacks {message!r}")
    check(not os.path.exists(bad_out), f"{bad['name']}: files written for a bad spec")

for f in failures:
    print("FAIL", f)
sys.exit(1 if failures else 0)
