"""Mutated input files for the fuzzer: ELF images and YAML configurations."""
import re

# ELF64 field offsets (System V gABI): (offset, size) in the ELF header, a program header, a section header.
EHDR = {"ei_class": (4, 1), "ei_data": (5, 1), "e_type": (16, 2), "e_machine": (18, 2), "e_entry": (24, 8),
        "e_phoff": (32, 8), "e_shoff": (40, 8), "e_phentsize": (54, 2), "e_phnum": (56, 2),
        "e_shentsize": (58, 2), "e_shnum": (60, 2), "e_shstrndx": (62, 2)}
PHDR = {"p_type": (0, 4), "p_offset": (8, 8), "p_vaddr": (16, 8), "p_paddr": (24, 8), "p_filesz": (32, 8),
        "p_memsz": (40, 8)}
SHDR = {"sh_type": (4, 4), "sh_offset": (24, 8), "sh_size": (32, 8), "sh_link": (40, 4), "sh_entsize": (56, 8)}


def _get(data, off, size):
    return int.from_bytes(data[off:off + size], "little") if off + size <= len(data) else 0


def _put(data, off, size, value):
    if 0 <= off and off + size <= len(data):
        data[off:off + size] = (value & ((1 << (8 * size)) - 1)).to_bytes(size, "little")


def _interesting(rng, data, old):
    n = len(data)
    return rng.choice([0, 1, 2, 7, 8, 0x38, 0x40, n, n - 1, n + 1, old + 1, old - 1, old * 2, old + 0x1000,
                       0x7FFF_FFFF, 0xFFFF_FFFF, 1 << 63, (1 << 64) - 1, 0x8000_0000, 0x8800_0000,
                       0x87FF_FFF8, 0x8000_0000 - 8, 0xFFFF, 1 << 32, 64 << 30, rng.getrandbits(64),
                       rng.getrandbits(16)])


def mutate_elf(rng, original):
    data = bytearray(original)
    for _ in range(rng.randrange(1, 5)):
        phoff, phnum = _get(data, 32, 8), _get(data, 56, 2)
        shoff, shnum = _get(data, 40, 8), _get(data, 60, 2)
        k = rng.random()
        if k < 0.25:
            off, size = rng.choice(list(EHDR.values()))
        elif k < 0.55 and phnum:
            field = rng.choice(list(PHDR.values()))
            off, size = phoff + 56 * rng.randrange(min(phnum, 64)) + field[0], field[1]
        elif k < 0.70 and shnum:
            field = rng.choice(list(SHDR.values()))
            off, size = shoff + 64 * rng.randrange(min(shnum, 64)) + field[0], field[1]
        elif k < 0.78 and phnum >= 1:
            # Copy one program header over another (two segments at the same place), or append one.
            src, dst = rng.randrange(phnum), rng.randrange(phnum + 1)
            hdr = data[phoff + 56 * src:phoff + 56 * src + 56]
            if dst == phnum and phoff + 56 * (dst + 1) <= len(data):
                _put(data, 56, 2, phnum + 1)
            data[phoff + 56 * dst:phoff + 56 * dst + 56] = hdr
            continue
        elif k < 0.86:
            for _ in range(rng.randrange(1, 16)):
                pos = rng.randrange(min(len(data), 4096)) if rng.random() < 0.7 else rng.randrange(len(data))
                data[pos] ^= 1 << rng.randrange(8)
            continue
        elif k < 0.93:
            del data[rng.randrange(len(data) + 1):]
            if not data:
                return bytes(data)
            continue
        else:
            data += bytes(rng.getrandbits(8) for _ in range(rng.randrange(1, 256)))
            continue
        _put(data, off, size, _interesting(rng, data, _get(data, off, size)))
    return bytes(data)


def config_keys(dump):
    """(section, key, default) of every key in `sv39sim config` output: keys set appear as `  key: "v"`, keys
    at their default commented out as `  # key: "v"  (default)`, a section with nothing set as `# section:`."""
    keys, section = [], None
    for line in dump.splitlines():
        m = re.fullmatch(r"(?:# )?([a-z0-9_]+):", line)
        if m:
            section = m.group(1)
            continue
        m = re.fullmatch(r'  (?:# )?([A-Za-z0-9_.]+): "(.*?)"(?:  \(default\)|  # from .*)?', line)
        if m and section:
            keys.append((section, m.group(1), m.group(2)))
    return keys


NAMES = ["lru", "plru", "fifo", "random", "hdd", "nvme", "sata_ssd", "trap", "perform", "hardware", "fault",
         "l1d", "l2", "memory", "fcfs", "frfcfs", "clock", "main", "separate", "splinter", "ddr4_3200"]


def plausible(rng, default):
    """A value of the same shape as the key's default, often valid: numbers scaled, units kept."""
    if default in ("true", "false"):
        return rng.choice(["true", "false"])
    m = re.fullmatch(r"(0x)?([0-9]+)(\.[0-9]+)?([a-zA-Z]*)", default)
    if m:
        n = int(m.group(2))
        return str(rng.choice([0, 1, 2, n, n * 2, max(1, n // 2), n * 4, n + 1, 1 << rng.randrange(24)])) + m.group(4)
    return rng.choice(NAMES) if default or rng.random() < 0.5 else rng.choice(VALUES)


VALUES = ["0", "1", "-1", "2", "3", "7", "1023", "1024", "65536", "1048576", "4294967296",
          "18446744073709551615", "18446744073709551616", "99999999999999999999999", "1e309", "0x", "0x10",
          "0xffffffffffffffff", "4KiB", "3KiB", "1.5GiB", "64GiB", "65GiB", "1GiB", "100MiB", "1ps", "0.5ns",
          "1ns", "1us", "1ms", "1s", "1000000s", "-1s", "nan", "inf", "true", "false", "yes", "null", "~",
          "''", '""', "[1, 2]", "{a: 1}", "&a 5", "*a", "!!binary aGVsbG8=", '"a\\0b"', "'\u00e9'", "x" * 300,
          "lru", "plru", "fifo", "random", "hdd", "nvme", "sata_ssd", "trap", "perform", "hardware", "fault",
          "l1d", "l2", "memory", "fcfs", "frfcfs", "clock", "/", "/dev/null", "/dev/zero", "nonexistent.img",
          '"hello; hello; hello"', '"nosuchprogram"', '"forkcow pages=100000"', '"seqscan pages=-1"',
          '"; ; ;"', "'a: b'", "|\n    multi\n    line"]


def mutate_config(rng, base, keys):
    text = base.decode(errors="replace")
    lines = text.split("\n")
    # Half the cases only set a few keys to plausible values: configurations that mostly run.
    gentle = rng.random() < 0.5
    for _ in range(rng.randrange(1, 4 if gentle else 6)):
        k = 0.0 if gentle else rng.random()
        if k < 0.45:
            section, key, default = rng.choice(keys)
            value = plausible(rng, default) if gentle or rng.random() < 0.3 else rng.choice(VALUES)
            line = f"  {key}: {value}"
            # Over the key's own line when the file has it (or a duplicate key would be the only error),
            # else into its section, else in a new section.
            try:
                at = lines.index(f"{section}:")
                end = next((i for i in range(at + 1, len(lines)) if lines[i] and not lines[i].startswith((" ", "#"))),
                           len(lines))
                own = [i for i in range(at + 1, end) if lines[i].startswith(f"  {key}:")]
                if own:
                    lines[own[0]] = line
                else:
                    lines.insert(at + 1, line)
            except ValueError:
                lines += [f"{section}:", line]
        elif k < 0.55 and lines:
            del lines[rng.randrange(len(lines))]
        elif k < 0.63 and lines:
            i = rng.randrange(len(lines))
            lines.insert(i, lines[i])  # a duplicate key (or section)
        elif k < 0.70 and lines:
            i = rng.randrange(len(lines))
            lines[i] = rng.choice(["\t", " ", "   ", ""]) + lines[i].lstrip()
        elif k < 0.76 and lines:
            i = rng.randrange(len(lines))
            s = lines[i]
            if s:
                j = rng.randrange(len(s))
                lines[i] = s[:j] + rng.choice(["", "x", "_", ":", "\0", "#", "'", '"', "{", "[", "&", "*"]) + s[j + 1:]
        elif k < 0.80:
            lines.insert(rng.randrange(len(lines) + 1), rng.choice(["---", "...", "%YAML 1.2", "? complex",
                                                                   "- item", "unknown_section:", "  orphan: 1"]))
        elif k < 0.85:
            section, key, _ = rng.choice(keys)
            lines.append(f"{section}: {{{key}: {rng.choice(VALUES)}}}")  # flow style
        elif k < 0.90:
            lines = lines[:rng.randrange(len(lines) + 1)]
        elif k < 0.95:
            section, key, _ = rng.choice(keys)
            nest = rng.randrange(2, 40)
            lines.append(f"{section}:\n" + "".join("  " * (d + 1) + f"{key}{d}:\n" for d in range(nest)))
        else:
            lines.insert(rng.randrange(len(lines) + 1), "".join(chr(rng.randrange(1, 0x250)) for _ in range(20)))
    return "\n".join(lines).encode(errors="replace")
