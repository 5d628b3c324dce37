#!/usr/bin/env python3
"""Builds the QEMU-style kernel's program disk (layout: disk.h).

usage: mkdisk.py OUT.img PROGRAM.elf...

Each program is stored under its ELF basename (without .elf) as the flat bytes of its loadable segments
from USER_BASE; the directory records the file size, the size up to the end of .bss and the entry point.
One zeroed scratch sector follows the programs.
"""
import os
import struct
import sys

SECTOR = 512
USER_BASE = 0x1000
MAGIC = 0x53464B51
MAX_FILES = 8


def flat_image(path):
    data = open(path, "rb").read()
    if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
        sys.exit(f"mkdisk.py: {path}: not a 64-bit little-endian ELF")
    entry, phoff = struct.unpack_from("<QQ", data, 24)
    phentsize, phnum = struct.unpack_from("<HH", data, 54)
    segments = []
    for i in range(phnum):
        p_type, _, p_offset, p_vaddr, _, p_filesz, p_memsz, _ = struct.unpack_from(
            "<IIQQQQQQ", data, phoff + i * phentsize)
        if p_type == 1 and p_memsz:
            segments.append((p_vaddr, data[p_offset:p_offset + p_filesz], p_memsz))
    if not segments or min(s[0] for s in segments) != USER_BASE:
        sys.exit(f"mkdisk.py: {path}: loadable segments must start at {USER_BASE:#x}")
    memory_size = max(v + m for v, _, m in segments) - USER_BASE
    image = bytearray(max(v + len(b) for v, b, _ in segments) - USER_BASE)
    for v, b, _ in segments:
        image[v - USER_BASE:v - USER_BASE + len(b)] = b
    return bytes(image), memory_size, entry


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    out, elves = sys.argv[1], sys.argv[2:]
    if len(elves) > MAX_FILES:
        sys.exit(f"mkdisk.py: at most {MAX_FILES} programs")
    sector = 1
    entries, blobs = [], []
    for path in elves:
        name = os.path.basename(path).removesuffix(".elf").encode()
        if len(name) > 15:
            sys.exit(f"mkdisk.py: {path}: name longer than 15 bytes")
        image, memory_size, entry = flat_image(path)
        entries.append(struct.pack("<16sIIII", name, sector, len(image), memory_size, entry))
        blob = image + bytes(-len(image) % SECTOR)
        blobs.append(blob)
        sector += len(blob) // SECTOR
    scratch = sector
    directory = struct.pack("<IIII", MAGIC, len(entries), scratch, 0) + b"".join(entries)
    disk = directory + bytes(SECTOR - len(directory)) + b"".join(blobs) + bytes(SECTOR)
    with open(out, "wb") as f:
        f.write(disk)


if __name__ == "__main__":
    main()
