#!/usr/bin/env python3
"""GTKWave translate filter process: a 64-bit Sv39 PTE (hex, as GTKWave shows it) -> what it maps.

Bits (privileged spec, Sv39): V R W X U G A D in [7:0], PPN [53:10]. A valid PTE with R=W=X=0 points to the
next-level table; any of R/W/X set makes it a leaf. Flags print as DAGUXWRV, '-' where clear.
"""
import sys


def translate(text):
    try:
        pte = int(text, 16)
    except ValueError:
        return text  # x / z, or a format other than hex
    if not pte & 1:
        return "invalid" if pte == 0 else "invalid %#x" % pte
    target = ((pte >> 10) & ((1 << 44) - 1)) << 12
    flags = "".join(c if pte & (1 << bit) else "-" for bit, c in zip(range(7, -1, -1), "DAGUXWRV"))
    kind = "leaf" if pte & 0b1110 else "table"
    return "%s %#x %s" % (kind, target, flags)


for line in sys.stdin:
    print(translate(line.strip()), flush=True)
