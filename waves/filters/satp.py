#!/usr/bin/env python3
"""GTKWave translate filter process: a 64-bit satp value (hex, as GTKWave shows it) -> mode, ASID, root table.

RV64 satp: MODE [63:60] (0 Bare, 8 Sv39, 9 Sv48, 10 Sv57), ASID [59:44], PPN [43:0] (the root page table's
physical page number). One line in, one line out, as GTKWave requires.
"""
import sys

MODES = {0: "bare", 8: "sv39", 9: "sv48", 10: "sv57"}


def translate(text):
    try:
        satp = int(text, 16)
    except ValueError:
        return text  # x / z, or a format other than hex
    mode = satp >> 60
    if mode == 0:
        return "bare"
    asid = (satp >> 44) & 0xFFFF
    root = (satp & ((1 << 44) - 1)) << 12
    return "%s asid=%d root=%#x" % (MODES.get(mode, "mode%d" % mode), asid, root)


for line in sys.stdin:
    print(translate(line.strip()), flush=True)
