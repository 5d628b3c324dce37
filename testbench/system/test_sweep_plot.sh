#!/usr/bin/env bash
# The sweep plotter (testbench/sweep/plot.py) on a hand-written results.json: valid PNG and SVG files, the
# lines, points and error bars the spec asks for, and exit 2 naming plot and field for specs it cannot draw.
# usage: test_sweep_plot.sh SV39SIM FIRMWARE_DIR SOURCE_DIR
set -uo pipefail
src=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# The python3 that has matplotlib: the one on PATH, else Debian's (a PATH python3 of its own, e.g. pyenv's,
# does not see python3-matplotlib).
py=
for p in python3 /usr/bin/python3; do
  if "$p" -c 'import matplotlib' 2>/dev/null; then py=$p && break; fi
done
[ -n "$py" ] || { echo "FAIL no python3 with matplotlib (Debian package python3-matplotlib)"; exit 1; }
"$py" "$src/testbench/system/check_sweep_plot.py" "$src" "$work"
