#!/usr/bin/env python3
"""Draws the plots a sweep declares (docs/sweeps.md), from the sweep's results.json.

usage: plot.py RESULTS_JSON OUTDIR

Each plot spec (results.json "plots", as the sweep file gave it):
  name      the files: OUTDIR/<name>.png and OUTDIR/<name>.svg
  x         an axis: the horizontal axis (numbers: a numeric scale; text: one tick per value, in axis order)
  y         a stats column (a stat or a derived value)
  series    an axis (optional): one line per value
  facets    an axis (optional): one subplot per value
  logx, logy  log scales (true/false)
  aggregate mean (default), median, min or max over the points that share x, series and facet -- the
            repeats; with more than one such point an error bar spans their min..max
  title     (optional; default "<sweep name>: <y> vs <x>")
Every axis with more than one value must be x, series or facets: otherwise the plot would silently mix
points that differ in it. Failed points (no stats) are left out.

Every spec is checked before anything is drawn; a spec that cannot be drawn is reported naming the plot
and the field, and the script exits 2 without writing a file. Each file is written next to its name and
renamed into place, so a file that exists is complete.

Each data line carries an SVG id "data:<facet>:<series>" (the values, or "-" without facets/series) and
its error bars "errorbars:<facet>:<series>", so the drawing can be checked from the SVG.
"""

import json
import math
import os
import re
import statistics
import sys

KNOWN_FIELDS = ("name", "x", "y", "series", "facets", "logx", "logy", "aggregate", "title")
AGGREGATES = {"mean": statistics.fmean, "median": statistics.median, "min": min, "max": max}
MAX_COLUMNS = 3  # facets per row of the figure (4 facets: 2 x 2)


class SpecError(Exception):
    """A plot spec (or the results it reads) that cannot be drawn."""


def is_number(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def text(v):
    return v if isinstance(v, str) else json.dumps(v)


class Plot:
    """One plot spec, checked against the results, with its points grouped and aggregated.

    facets: [(facet value or None, [(series value or None, xs, ys, lows, highs)])], in axis order.
    """

    def __init__(self, results, spec):
        self.spec = spec
        self.name = spec.get("name") if isinstance(spec, dict) else None
        if not isinstance(spec, dict):
            raise SpecError(f"plot {json.dumps(spec)}: expected a mapping")
        if not isinstance(self.name, str) or not re.fullmatch(r"[A-Za-z0-9._-]+", self.name):
            raise SpecError(f"plot {json.dumps(self.name)}: name: expected letters, digits, '.', '_' or '-' "
                            "(it names the files)")
        for field in spec:
            if field not in KNOWN_FIELDS:
                self.fail(field, f"unknown field (known: {', '.join(KNOWN_FIELDS)})")
        axes = {a["name"]: a for a in results["axes"]}
        self.x, self.series, self.facets = (self.axis(axes, f, required=f == "x") for f in ("x", "series", "facets"))
        used = [a for a in (self.x, self.series, self.facets) if a]
        for f in ("series", "facets"):
            a = spec.get(f)
            if a is not None and used.count(axes[a]) > 1:
                self.fail(f, f"axis '{a}' is used twice in the plot")
        for a in results["axes"]:
            if a not in used and len(a["values"]) > 1:
                self.fail(None, f"axis '{a['name']}' has {len(a['values'])} values but is not the plot's x, series "
                          "or facets, so its points would be mixed on one line (add series: or facets: for it)")
        self.y = spec.get("y")
        if not isinstance(self.y, str):
            self.fail("y", "needs a stats column")
        if self.y not in results["stats"]:
            self.fail("y", f"'{self.y}' is not a stats column (columns: {', '.join(results['stats']) or 'none'})")
        self.logx, self.logy = self.flag("logx"), self.flag("logy")
        aggregate = spec.get("aggregate", "mean")
        if aggregate not in AGGREGATES:
            self.fail("aggregate", f"expected one of {' | '.join(AGGREGATES)}, got {json.dumps(aggregate)}")
        self.aggregate = AGGREGATES[aggregate]
        self.title = spec.get("title", f"{results['name']}: {self.y} vs {self.x['name']}")
        if not isinstance(self.title, str):
            self.fail("title", "expected text")

        self.numeric_x = all(is_number(v) for v in self.x["values"])
        if self.logx and not self.numeric_x:
            self.fail("logx", f"axis '{self.x['name']}' has values that are not numbers")
        if self.logx and any(v <= 0 for v in self.x["values"]):
            self.fail("logx", f"axis '{self.x['name']}' has values <= 0")
        self.group(results["points"])

    def fail(self, field, why):
        raise SpecError(f"plot '{self.name}': {field + ': ' if field else ''}{why}")

    def axis(self, axes, field, required=False):
        name = self.spec.get(field)
        if name is None:
            if required:
                self.fail(field, "needs an axis")
            return None
        if name not in axes:
            self.fail(field, f"unknown axis {json.dumps(name)} (axes: {', '.join(axes) or 'none'})")
        return axes[name]

    def flag(self, field):
        v = self.spec.get(field, False)
        if not isinstance(v, bool):
            self.fail(field, f"expected true or false, got {json.dumps(v)}")
        return v

    def group(self, points):
        def values(axis):
            return axis["values"] if axis else [None]

        cells = {}  # (facet, series, x) -> [y...], in the order the points come
        for p in points:
            key = tuple(p["axes"][a["name"]] if a else None for a in (self.facets, self.series, self.x))
            y = p.get("stats", {}).get(self.y)
            if y is None:
                continue  # a failed point, or a derived value with no value
            if not is_number(y):
                self.fail("y", f"'{self.y}' is {json.dumps(y)} at point {p['point']}: not a number")
            cells.setdefault(key, []).append(y)
        xs = values(self.x)
        if self.numeric_x:
            xs = sorted(xs)
        self.dropped = 0
        self.data = []
        for f in values(self.facets):
            lines = []
            for s in values(self.series):
                line = ([], [], [], [])
                for x in xs:
                    ys = cells.get((f, s, x), [])
                    if self.logy:
                        self.dropped += sum(1 for y in ys if y <= 0)
                        ys = [y for y in ys if y > 0]
                    if not ys:
                        continue
                    for column, v in zip(line, (x, self.aggregate(ys), min(ys), max(ys))):
                        column.append(v)
                lines.append((s, *line))
            self.data.append((f, lines))
        self.points_drawn = sum(len(line[1]) for _, lines in self.data for line in lines)


def draw(plot):
    """The matplotlib Figure of a checked Plot."""
    from matplotlib.figure import Figure
    from matplotlib.ticker import LogFormatter, NullLocator

    class PlainLogFormatter(LogFormatter):
        """Labels the ticks LogFormatter picks as plain numbers (0.2, 40), not 2e-01: values are read off."""

        def _num_to_string(self, x, vmin, vmax):
            return f"{x:g}"

    n = len(plot.data)
    columns = n if n <= MAX_COLUMNS else min(MAX_COLUMNS, math.ceil(math.sqrt(n)))
    rows = math.ceil(n / columns)
    fig = Figure(figsize=(4.8 * columns + 1.2, 3.6 * rows + 0.6), layout="constrained")
    # Not sharex: a facet above an empty slot of the last row needs its own tick labels.
    grid = fig.subplots(rows, columns, squeeze=False)
    fig.suptitle(plot.title)
    x_label = plot.x["name"]
    keys = plot.x.get("keys", [])
    if keys and keys != [x_label]:
        x_label += f" ({', '.join(keys)})"
    categories = {v: i for i, v in enumerate(plot.x["values"])}
    for i, (facet, lines) in enumerate(plot.data):
        ax = grid[i // columns][i % columns]
        if plot.facets:
            ax.set_title(f"{plot.facets['name']} = {text(facet)}", fontsize="medium")
        for colour, (series, xs, ys, lows, highs) in enumerate(lines):
            where = xs if plot.numeric_x else [categories[x] for x in xs]
            errors = None
            if any(lo != hi for lo, hi in zip(lows, highs)):
                errors = [[y - lo for y, lo in zip(ys, lows)], [hi - y for y, hi in zip(ys, highs)]]
            label = text(series) if plot.series else None
            drawn = ax.errorbar(where, ys, yerr=errors, color=f"C{colour % 10}", marker="o", markersize=4,
                                capsize=3 if errors else 0, label=label)
            tag = f"{'-' if facet is None else text(facet)}:{'-' if series is None else text(series)}"
            drawn.lines[0].set_gid(f"data:{tag}")
            if errors:
                drawn.lines[2][0].set_gid(f"errorbars:{tag}")
        if plot.logx:
            ax.set_xscale("log")
        if plot.logy:
            ax.set_yscale("log")
            ax.yaxis.set_major_formatter(PlainLogFormatter())
            ax.yaxis.set_minor_formatter(PlainLogFormatter(labelOnlyBase=False, minor_thresholds=(2, 0.5)))
        if not plot.numeric_x:
            labels = [text(v) for v in plot.x["values"]]
            ax.set_xticks(range(len(labels)), labels, rotation=30 if sum(map(len, labels)) > 40 else 0)
        elif plot.logx:
            ax.set_xticks(plot.x["values"], [text(v) for v in plot.x["values"]])
            ax.xaxis.set_minor_locator(NullLocator())
        ax.grid(True, which="major", alpha=0.3)
        if i + columns >= n:  # nothing below it
            ax.set_xlabel(x_label)
        if i % columns == 0:
            ax.set_ylabel(plot.y)
        if not any(line[1] for line in lines):
            ax.text(0.5, 0.5, "no successful points", transform=ax.transAxes, ha="center", va="center")
    for i in range(n, rows * columns):
        grid[i // columns][i % columns].set_visible(False)
    # One legend, in the first panel that has lines (every facet has the same series, in the same colours).
    drawn_axes = [ax for ax in fig.axes if ax.get_legend_handles_labels()[0]]
    if plot.series and drawn_axes:
        drawn_axes[0].legend(title=plot.series["name"], fontsize="small")
    return fig


def write(fig, path, fmt):
    tmp = f"{path}.tmp"
    # No date in the SVG and a fixed id salt: the same results give the same bytes.
    fig.savefig(tmp, format=fmt, dpi=100, metadata={"Date": None} if fmt == "svg" else None)
    os.replace(tmp, path)


def load(path):
    with open(path, encoding="utf-8") as f:
        results = json.load(f)
    for key, kind in (("name", str), ("axes", list), ("stats", list), ("points", list), ("plots", list)):
        if not isinstance(results.get(key), kind):
            raise SpecError(f"{path}: '{key}' missing or not a {kind.__name__}")
    return results


def main(argv):
    if len(argv) != 3:
        print("usage: plot.py RESULTS_JSON OUTDIR", file=sys.stderr)
        return 2
    results_path, out_dir = argv[1], argv[2]
    try:
        results = load(results_path)
    except (OSError, ValueError, SpecError) as e:
        print(f"plot.py: error: {e}", file=sys.stderr)
        return 2
    plots, errors = [], []
    for spec in results["plots"]:
        try:
            plots.append(Plot(results, spec))
        except SpecError as e:
            errors.append(str(e))
    for e in errors:
        print(f"plot.py: error: {results_path}: {e}", file=sys.stderr)
    if errors:
        return 2
    try:
        import matplotlib
    except ImportError:
        print("plot.py: error: needs matplotlib (Debian package python3-matplotlib)", file=sys.stderr)
        return 1
    matplotlib.use("Agg")
    matplotlib.rcParams["svg.hashsalt"] = "sv39sim"
    os.makedirs(out_dir, exist_ok=True)
    for plot in plots:
        if plot.dropped:
            print(f"plot.py: warning: plot '{plot.name}': logy: {plot.dropped} value(s) <= 0 left out",
                  file=sys.stderr)
        if plot.points_drawn == 0:
            print(f"plot.py: warning: plot '{plot.name}': no point has a value of '{plot.y}'", file=sys.stderr)
        fig = draw(plot)
        for fmt in ("png", "svg"):
            write(fig, os.path.join(out_dir, f"{plot.name}.{fmt}"), fmt)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
