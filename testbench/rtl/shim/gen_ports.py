#!/usr/bin/env python3
"""Writes the port table of a Verilated top (RtlAbi.h) from its generated header.

usage: gen_ports.py VTOP.h PREFIX OUT.inc

Verilator declares each top port in PREFIX.h with one macro: VL_IN8(&name,msb,lsb), VL_OUT16, VL_IN (32
bits), VL_OUT64, VL_INW(&name,msb,lsb,words). OUT.inc gets one initializer per port:
  {"name", width, words, is_input, &top->name}   (wide ports: top->name.data())
"""
import re
import sys

header, prefix, out = sys.argv[1:4]
pat = re.compile(r"VL_(IN|OUT)(8|16|64|W)?\(&(\w+),(\d+),(\d+)(?:,(\d+))?\)")
lines = []
for m in pat.finditer(open(header).read()):
    direction, size, name, msb, lsb, words = m.groups()
    width = int(msb) - int(lsb) + 1
    storage = f"top->{name}.data()" if size == "W" else f"&top->{name}"
    lines.append(f'  {{"{name}", {width}, {int(words) if words else 0}, {1 if direction == "IN" else 0}, '
                 f'static_cast<void*>({storage})}},')
if not lines:
    sys.exit(f"gen_ports.py: {header}: no ports found (is this a Verilated top's header?)")
with open(out, "w") as f:
    f.write("\n".join(lines) + "\n")
