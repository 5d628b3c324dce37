#!/usr/bin/env python3
"""Build, inspect and patch sv39sim pager-OS disk images (layout: firmware/kernel/abi.h). Stdlib only.

  mkdisk.py [build] --out disk.img [--swap-blocks N] [--arg KEY=VALUE]... [--args TEXT]
                    [--data NAME=FILE]... [--gen-data NAME=SIZE[:SEED]]... PROGRAM.elf...
      Programs are named by their ELF basename without extension (user/seqscan.elf -> "seqscan").
      Each --arg is one boot-argument line; --args TEXT holds several lines separated by newlines.
      --gen-data adds a generated, checksummed data file (see gen-data) without a file on disk.
  mkdisk.py set-args IMAGE [--from SRC] [--merge] KEY=VALUE...
      Rewrites the boot arguments of IMAGE (a copy of SRC first, with --from). Each KEY=VALUE word is
      one line, e.g.  set-args t.img --from disk.img "run=seqscan pages=64; hello" frames=32
      --merge keeps the image's other keys; without it the new lines replace all arguments.
  mkdisk.py show IMAGE [--json | --args]
      Prints header, directory and boot arguments (--args: only the argument text).
  mkdisk.py gen-data OUT [--size BYTES] [--seed S]
      Writes the mmapfile data format: "SV39DATA", u64 size, xorshift64 words, and in the last
      8 bytes an FNV-1a-style checksum over the u64 words before it (checksum() below).

Exit status 0 on success, 2 on invalid input (message on stderr).
"""
import argparse
import json
import os
import re
import shutil
import struct
import sys

DISK_MAGIC = b"SV39DSK1"
VERSION = 1
BLOCK = 4096
ARGS_OFFSET = 512
ARGS_SIZE = BLOCK - ARGS_OFFSET  # including the terminating NUL
DIR_BLOCK = 1
DIR_ENTRIES = 64
NAME_LEN = 32
FILE_PROGRAM = 1
FILE_DATA = 2
HEADER = struct.Struct("<8s7I7I")  # magic, version..total_blocks, reserved[7]
DIRENT = struct.Struct("<32sIIQ4I")
assert HEADER.size == 64 and DIRENT.size == 64

USER_TOP = 1 << 38  # user half of Sv39
NAME_RE = re.compile(r"^[A-Za-z0-9_.+-]{1,%d}$" % (NAME_LEN - 1))
KEY_RE = re.compile(r"^[a-z0-9_]+$")
KERNEL_KEYS = ("run", "frames", "replacement", "asids", "timeslice_us", "seed", "verbose", "asid_max")
# The kernel refuses fewer frames than one process's working-set minimum (kernel.h WS_MIN).
MIN_FRAMES = 4

DATA_MAGIC = b"SV39DATA"
FNV_OFFSET = 0xCBF29CE484222325
FNV_PRIME = 0x100000001B3
MASK = (1 << 64) - 1


class DiskError(Exception):
    pass


# ---- data files ------------------------------------------------------------------------------------
def xorshift64(x):
    x ^= (x << 13) & MASK
    x ^= x >> 7
    x ^= (x << 17) & MASK
    return x


def checksum(data):
    """FNV-1a over little-endian u64 words: h = (h ^ w) * prime, mod 2^64."""
    h = FNV_OFFSET
    for (w,) in struct.iter_unpack("<Q", data):
        h = ((h ^ w) * FNV_PRIME) & MASK
    return h


def gen_data(size, seed=1):
    if size < 24 or size % 8:
        raise DiskError("data size %d: must be a multiple of 8 and at least 24" % size)
    if not 0 <= seed < 1 << 64:
        raise DiskError("data seed %d: must fit in 64 bits" % seed)
    x = seed or 1
    words = []
    for _ in range((size - 24) // 8):
        x = xorshift64(x)
        words.append(x)
    body = DATA_MAGIC + struct.pack("<Q", size) + struct.pack("<%dQ" % len(words), *words)
    return body + struct.pack("<Q", checksum(body))


# ---- validation --------------------------------------------------------------------------------------
def check_elf(name, data):
    """A static little-endian ELF64 RISC-V executable whose PT_LOAD segments the kernel can page in."""
    def bad(msg):
        raise DiskError("program %s: %s" % (name, msg))

    if len(data) < 64 or data[:4] != b"\x7fELF":
        bad("not an ELF file")
    if data[4] != 2 or data[5] != 1:
        bad("not ELF64 little-endian")
    e_type, e_machine = struct.unpack_from("<HH", data, 16)
    if e_machine != 243:
        bad("not RISC-V (e_machine %d)" % e_machine)
    if e_type != 2:
        bad("not a static executable (e_type %d; link with -static, no PIE)" % e_type)
    e_entry, e_phoff = struct.unpack_from("<QQ", data, 24)
    e_phentsize, e_phnum = struct.unpack_from("<HH", data, 54)
    if e_phnum == 0 or e_phentsize != 56 or e_phoff + e_phnum * 56 > len(data):
        bad("no usable program headers")
    pages = {}
    entry_ok = False
    loads = 0
    for i in range(e_phnum):
        p_type, p_flags, p_offset, p_vaddr, _paddr, p_filesz, p_memsz, _align = struct.unpack_from(
            "<IIQQQQQQ", data, e_phoff + i * 56)
        if p_type == 3:
            bad("has a PT_INTERP (dynamic linking is not supported)")
        if p_type != 1 or p_memsz == 0:
            continue
        loads += 1
        seg = "segment %d (vaddr 0x%x)" % (i, p_vaddr)
        if p_offset % BLOCK != p_vaddr % BLOCK:
            bad("%s: p_offset %% 4096 != p_vaddr %% 4096 (link with -z max-page-size=4096)" % seg)
        if p_filesz > p_memsz:
            bad("%s: p_filesz > p_memsz" % seg)
        if p_offset + p_filesz > len(data):
            bad("%s: extends past the end of the file" % seg)
        if p_vaddr < BLOCK or p_vaddr + p_memsz > USER_TOP:
            bad("%s: outside user space [0x1000, 0x%x)" % (seg, USER_TOP))
        for page in range(p_vaddr // BLOCK, (p_vaddr + p_memsz - 1) // BLOCK + 1):
            if page in pages:
                bad("%s shares page 0x%x with segment %d (give each segment its own pages)"
                    % (seg, page * BLOCK, pages[page]))
            pages[page] = i
        if p_flags & 1 and p_vaddr <= e_entry < p_vaddr + p_memsz:
            entry_ok = True
    if loads == 0:
        bad("no PT_LOAD segments")
    if not entry_ok:
        bad("entry 0x%x is not in an executable segment" % e_entry)


def check_name(name, what):
    if not NAME_RE.match(name):
        raise DiskError("%s name %r: use 1..%d characters of [A-Za-z0-9_.+-]" % (what, name, NAME_LEN - 1))


def parse_lines(lines, programs=None):
    """Validates boot-argument lines; returns [(key, value)]. programs: names a run= may start."""
    out = []
    seen = set()
    for line in lines:
        if "\n" in line or "\0" in line:
            raise DiskError("argument %r: no newlines or NULs inside one line" % line)
        if "=" not in line:
            raise DiskError("argument %r: expected key=value" % line)
        key, value = line.split("=", 1)
        key = key.strip()
        if not KEY_RE.match(key):
            raise DiskError("argument %r: key must be [a-z0-9_]+" % line)
        if key in seen:
            raise DiskError("argument key %r given twice" % key)
        seen.add(key)
        check_value(key, value, programs)
        out.append((key, value))
    return out


def check_value(key, value, programs):
    def bad(msg):
        raise DiskError("%s=%s: %s" % (key, value, msg))

    def integer(minimum):
        try:
            v = int(value, 0)
        except ValueError:
            bad("not an integer")
        if v < minimum:
            bad("must be >= %d" % minimum)

    if key == "run":
        cmds = [c.strip() for c in value.split(";")]
        if not any(cmds):
            bad("names no program")
        for c in cmds:
            if not c:
                bad("empty command between ';'")
            prog = c.split()[0]
            if programs is not None and prog not in programs:
                bad("program %r is not on the disk (programs: %s)" % (prog, " ".join(sorted(programs)) or "none"))
    elif key == "frames":
        integer(MIN_FRAMES)
    elif key == "timeslice_us":
        integer(1)
    elif key in ("seed", "asid_max"):
        integer(0)
    elif key == "replacement":
        if value not in ("clock", "fifo", "random"):
            bad("expected clock, fifo or random")
    elif key == "asids":
        if value not in ("on", "off"):
            bad("expected on or off")
    elif key == "verbose":
        if value not in ("0", "1"):
            bad("expected 0 or 1")
    else:
        print("mkdisk.py: warning: %s is not a key the kernel knows (%s)" % (key, ", ".join(KERNEL_KEYS)),
              file=sys.stderr)


def args_text(pairs):
    text = "".join("%s=%s\n" % kv for kv in pairs).encode()
    if len(text) + 1 > ARGS_SIZE:
        raise DiskError("boot arguments are %d bytes; at most %d fit" % (len(text), ARGS_SIZE - 1))
    return text


# ---- images ------------------------------------------------------------------------------------------
def build_image(out, programs, datas, swap_blocks, arg_lines):
    """programs: [(name, bytes)], datas: [(name, bytes)]; writes the image, returns its description."""
    if not 0 <= swap_blocks < 1 << 32:
        raise DiskError("--swap-blocks %d: must be 0..2^32-1" % swap_blocks)
    files = [(n, FILE_PROGRAM, d) for n, d in programs] + [(n, FILE_DATA, d) for n, d in datas]
    if len(files) > DIR_ENTRIES:
        raise DiskError("%d files; the directory holds at most %d" % (len(files), DIR_ENTRIES))
    names = set()
    for n, _t, _d in files:
        check_name(n, "file")
        if n in names:
            raise DiskError("two files named %r" % n)
        names.add(n)
    pairs = parse_lines(arg_lines, {n for n, t, _ in files if t == FILE_PROGRAM})
    text = args_text(pairs)

    block = DIR_BLOCK + 1
    dirents = b""
    placed = []
    for n, t, d in files:
        dirents += DIRENT.pack(n.encode().ljust(NAME_LEN, b"\0"), t, block, len(d), 0, 0, 0, 0)
        placed.append((block, d))
        block += (len(d) + BLOCK - 1) // BLOCK
    swap_start = block
    total = swap_start + swap_blocks
    if total >= 1 << 32:
        raise DiskError("image of %d blocks is too large" % total)
    header = HEADER.pack(DISK_MAGIC, VERSION, BLOCK, DIR_BLOCK, len(files), swap_start, swap_blocks, total,
                         *([0] * 7))
    tmp = out + ".tmp"
    with open(tmp, "wb") as f:
        f.write(header.ljust(ARGS_OFFSET, b"\0") + text.ljust(ARGS_SIZE, b"\0"))
        f.write(dirents.ljust(BLOCK, b"\0"))
        for start, d in placed:
            f.seek(start * BLOCK)
            f.write(d)
        f.truncate(total * BLOCK)  # the swap area stays sparse (zero)
    os.replace(tmp, out)
    return read_image(out)


def read_image(path):
    try:
        with open(path, "rb") as f:
            head = f.read(2 * BLOCK)
            size = os.fstat(f.fileno()).st_size
    except OSError as e:
        raise DiskError("cannot read %s: %s" % (path, e.strerror))
    if len(head) < 2 * BLOCK:
        raise DiskError("%s: too small for a disk image (%d bytes)" % (path, len(head)))
    h = HEADER.unpack_from(head, 0)
    if h[0] != DISK_MAGIC:
        raise DiskError("%s: bad magic %r (expected %r)" % (path, h[0], DISK_MAGIC))
    version, block_size, dir_block, entries, swap_start, swap_blocks, total = h[1:8]
    if version != VERSION or block_size != BLOCK or dir_block != DIR_BLOCK or entries > DIR_ENTRIES:
        raise DiskError("%s: unsupported header (version %d, block %d, dir %d, entries %d)"
                        % (path, version, block_size, dir_block, entries))
    if size < total * BLOCK:
        raise DiskError("%s: %d bytes, header says %d blocks" % (path, size, total))
    files = []
    for i in range(entries):
        name, typ, start, fsize = DIRENT.unpack_from(head, BLOCK + i * DIRENT.size)[:4]
        files.append({"name": name.rstrip(b"\0").decode(errors="replace"), "type": typ,
                      "type_name": {FILE_PROGRAM: "program", FILE_DATA: "data"}.get(typ, "?"),
                      "start_block": start, "size": fsize})
    text = head[ARGS_OFFSET:BLOCK].split(b"\0", 1)[0].decode(errors="replace")
    return {"path": path, "version": version, "block_size": block_size, "dir_block": dir_block,
            "dir_entries": entries, "swap_start": swap_start, "swap_blocks": swap_blocks,
            "total_blocks": total, "files": files, "args": text}


def set_args(path, lines, merge=False, src=None):
    if src is not None:
        read_image(src)
        try:
            shutil.copyfile(src, path)
        except OSError as e:
            raise DiskError("cannot copy %s to %s: %s" % (src, path, e.strerror))
    info = read_image(path)
    programs = {f["name"] for f in info["files"] if f["type"] == FILE_PROGRAM}
    pairs = parse_lines(lines, programs)
    if merge:
        new = dict(pairs)
        old = [tuple(l.split("=", 1)) for l in info["args"].splitlines() if "=" in l]
        pairs = [(k, v) for k, v in old if k not in new] + pairs
    text = args_text(pairs)
    with open(path, "r+b") as f:
        f.seek(ARGS_OFFSET)
        f.write(text.ljust(ARGS_SIZE, b"\0"))
    return read_image(path)


def describe(info):
    lines = ["%s: %d blocks (%d bytes), %d files, swap blocks %d..%d (%d)" % (
        info["path"], info["total_blocks"], info["total_blocks"] * BLOCK, info["dir_entries"],
        info["swap_start"], info["swap_start"] + info["swap_blocks"] - 1, info["swap_blocks"])]
    for f in info["files"]:
        lines.append("  %-31s %-7s block %6d  %8d bytes" % (f["name"], f["type_name"], f["start_block"], f["size"]))
    lines.append("boot arguments:")
    lines += ["  " + l for l in info["args"].splitlines()] or ["  (none)"]
    return "\n".join(lines)


# ---- command line ------------------------------------------------------------------------------------
def split_pair(spec, what):
    if "=" not in spec:
        raise DiskError("%s %r: expected NAME=..." % (what, spec))
    return spec.split("=", 1)


def cmd_build(a):
    programs = []
    for p in a.programs:
        name = os.path.splitext(os.path.basename(p))[0]
        try:
            data = open(p, "rb").read()
        except OSError as e:
            raise DiskError("program %s: %s" % (p, e.strerror))
        check_elf(name, data)
        programs.append((name, data))
    datas = []
    for spec in a.data:
        name, path = split_pair(spec, "--data")
        try:
            datas.append((name, open(path, "rb").read()))
        except OSError as e:
            raise DiskError("--data %s: %s" % (spec, e.strerror))
    for spec in a.gen_data:
        name, rest = split_pair(spec, "--gen-data")
        size, _, seed = rest.partition(":")
        try:
            datas.append((name, gen_data(int(size, 0), int(seed, 0) if seed else 1)))
        except ValueError:
            raise DiskError("--gen-data %s: expected NAME=SIZE[:SEED] with integers" % spec)
    lines = list(a.arg)
    if a.args:
        lines += [l.strip() for l in a.args.splitlines() if l.strip()]
    if not any(l.startswith("run=") for l in lines):
        lines.insert(0, "run=hello" if any(n == "hello" for n, _ in programs) else "run=" + programs[0][0]
                     if programs else "run=hello")
    if not programs:
        print("mkdisk.py: warning: no programs on the disk", file=sys.stderr)
        lines = [l for l in lines if not l.startswith("run=")]
    info = build_image(a.out, programs, datas, a.swap_blocks, lines)
    if a.verbose:
        print(describe(info))


def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    commands = ("build", "set-args", "show", "gen-data")
    if not argv or argv[0] not in commands + ("-h", "--help"):
        argv.insert(0, "build")
    ap = argparse.ArgumentParser(prog="mkdisk.py", description=__doc__.split("\n")[0],
                                 epilog=__doc__.split("\n", 1)[1], formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd")
    b = sub.add_parser("build", help="build an image")
    b.add_argument("--out", required=True, help="image to write")
    b.add_argument("--swap-blocks", type=int, default=4096, help="swap area in 4 KiB blocks [4096 = 16 MiB]")
    b.add_argument("--arg", action="append", default=[], metavar="KEY=VALUE", help="one boot-argument line")
    b.add_argument("--args", metavar="TEXT", help="boot-argument lines separated by newlines")
    b.add_argument("--data", action="append", default=[], metavar="NAME=FILE", help="a data file")
    b.add_argument("--gen-data", action="append", default=[], metavar="NAME=SIZE[:SEED]",
                   help="a generated, checksummed data file")
    b.add_argument("-v", "--verbose", action="store_true", help="print the resulting layout")
    b.add_argument("programs", nargs="*", metavar="PROGRAM.elf")
    s = sub.add_parser("set-args", help="rewrite the boot arguments of an image")
    s.add_argument("image")
    s.add_argument("lines", nargs="+", metavar="KEY=VALUE")
    s.add_argument("--from", dest="src", metavar="SRC", help="copy SRC to IMAGE first")
    s.add_argument("--merge", action="store_true", help="keep the image's other keys")
    s.add_argument("-v", "--verbose", action="store_true")
    w = sub.add_parser("show", help="print an image's header, directory and arguments")
    w.add_argument("image")
    g = w.add_mutually_exclusive_group()
    g.add_argument("--json", action="store_true")
    g.add_argument("--args", action="store_true", help="only the boot-argument text")
    d = sub.add_parser("gen-data", help="write a checksummed data file for mmapfile")
    d.add_argument("out")
    d.add_argument("--size", type=lambda v: int(v, 0), default=65536)
    d.add_argument("--seed", type=lambda v: int(v, 0), default=1)
    a = ap.parse_args(argv)
    try:
        if a.cmd == "build":
            cmd_build(a)
        elif a.cmd == "set-args":
            info = set_args(a.image, a.lines, a.merge, a.src)
            if a.verbose:
                print(describe(info))
        elif a.cmd == "show":
            info = read_image(a.image)
            if a.json:
                print(json.dumps(info, indent=2))
            elif a.args:
                sys.stdout.write(info["args"])
            else:
                print(describe(info))
        elif a.cmd == "gen-data":
            data = gen_data(a.size, a.seed)
            with open(a.out, "wb") as f:
                f.write(data)
        else:
            ap.print_help()
            return 2
    except DiskError as e:
        print("mkdisk.py: error: %s" % e, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
