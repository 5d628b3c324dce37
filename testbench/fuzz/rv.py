"""RV64 instruction encoders and a minimal ELF64 writer: just enough to build guest programs in Python.

Encodings from the RISC-V unprivileged spec, chapter "RV32I Base Integer Instruction Set" (R/I/S/B/U/J
formats); SYSTEM and CSR instructions from the Zicsr chapter and the privileged spec.
"""
import struct

# ABI register numbers used by the generated programs.
ZERO, RA, SP, GP, TP, T0, T1, T2, S0, S1 = range(10)
A0 = 10
T3, T4, T5, T6 = 28, 29, 30, 31

RAM_BASE = 0x8000_0000
FINISHER = 0x0010_0000
CLINT = 0x0200_0000
PLIC = 0x0C00_0000
UART = 0x1000_0000
VIRTIO = 0x1000_1000


def _imm(value, bits):
    lo, hi = -(1 << (bits - 1)), (1 << (bits - 1)) - 1
    if not lo <= value <= hi:
        raise ValueError(f"immediate {value} does not fit {bits} bits")
    return value & ((1 << bits) - 1)


def r_type(opcode, f3, f7, rd, rs1, rs2):
    return (f7 << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | opcode


def i_type(opcode, f3, rd, rs1, imm):
    return (_imm(imm, 12) << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | opcode


def s_type(opcode, f3, rs1, rs2, imm):
    v = _imm(imm, 12)
    return ((v >> 5) << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | ((v & 31) << 7) | opcode


def b_type(f3, rs1, rs2, offset):
    v = _imm(offset, 13)
    return (((v >> 12) & 1) << 31) | (((v >> 5) & 63) << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | \
        (((v >> 1) & 15) << 8) | (((v >> 11) & 1) << 7) | 0x63


def j_type(rd, offset):
    v = _imm(offset, 21)
    return (((v >> 20) & 1) << 31) | (((v >> 1) & 1023) << 21) | (((v >> 11) & 1) << 20) | \
        (((v >> 12) & 255) << 12) | (rd << 7) | 0x6F


def lui(rd, imm20):
    return ((imm20 & 0xFFFFF) << 12) | (rd << 7) | 0x37


def auipc(rd, imm20):
    return ((imm20 & 0xFFFFF) << 12) | (rd << 7) | 0x17


def addi(rd, rs1, imm):
    return i_type(0x13, 0, rd, rs1, imm)


def slli(rd, rs1, sh):
    return (sh << 20) | (rs1 << 15) | (1 << 12) | (rd << 7) | 0x13


def srli(rd, rs1, sh):
    return (sh << 20) | (rs1 << 15) | (5 << 12) | (rd << 7) | 0x13


def andi(rd, rs1, imm):
    return i_type(0x13, 7, rd, rs1, imm)


def ori(rd, rs1, imm):
    return i_type(0x13, 6, rd, rs1, imm)


def add(rd, rs1, rs2):
    return r_type(0x33, 0, 0, rd, rs1, rs2)


def load(width, rd, rs1, imm, unsigned=False):
    f3 = {1: 0, 2: 1, 4: 2, 8: 3}[width] | (4 if unsigned and width < 8 else 0)
    return i_type(0x03, f3, rd, rs1, imm)


def store(width, rs1, rs2, imm):
    return s_type(0x23, {1: 0, 2: 1, 4: 2, 8: 3}[width], rs1, rs2, imm)


def ld(rd, rs1, imm):
    return load(8, rd, rs1, imm)


def sd(rs1, rs2, imm):
    return store(8, rs1, rs2, imm)


def beq(rs1, rs2, off):
    return b_type(0, rs1, rs2, off)


def bne(rs1, rs2, off):
    return b_type(1, rs1, rs2, off)


def blt(rs1, rs2, off):
    return b_type(4, rs1, rs2, off)


def bgeu(rs1, rs2, off):
    return b_type(7, rs1, rs2, off)


def jal(rd, off):
    return j_type(rd, off)


def csrrw(rd, csr, rs1):
    return (csr << 20) | (rs1 << 15) | (1 << 12) | (rd << 7) | 0x73


def csrrs(rd, csr, rs1):
    return (csr << 20) | (rs1 << 15) | (2 << 12) | (rd << 7) | 0x73


def csrrc(rd, csr, rs1):
    return (csr << 20) | (rs1 << 15) | (3 << 12) | (rd << 7) | 0x73


def csrr(rd, csr):
    return csrrs(rd, csr, ZERO)


def csrw(csr, rs1):
    return csrrw(ZERO, csr, rs1)


MRET, SRET, WFI, ECALL, EBREAK = 0x30200073, 0x10200073, 0x10500073, 0x00000073, 0x00100073
FENCE, FENCE_I = 0x0FF0000F, 0x0000100F


def sfence_vma(rs1, rs2):
    return r_type(0x73, 0, 0x09, 0, rs1, rs2)


# CSR numbers.
MSTATUS, MISA, MEDELEG, MIDELEG, MIE, MTVEC, MCOUNTEREN = 0x300, 0x301, 0x302, 0x303, 0x304, 0x305, 0x306
MSCRATCH, MEPC, MCAUSE, MTVAL, MIP = 0x340, 0x341, 0x342, 0x343, 0x344
SSTATUS, SIE, STVEC, SSCRATCH, SEPC, SCAUSE, STVAL, SIP, SATP = \
    0x100, 0x104, 0x105, 0x140, 0x141, 0x142, 0x143, 0x144, 0x180
PMPCFG0, PMPADDR0 = 0x3A0, 0x3B0
CSRS = [MSTATUS, MISA, MEDELEG, MIDELEG, MIE, MTVEC, MCOUNTEREN, MSCRATCH, MEPC, MCAUSE, MTVAL, MIP,
        SSTATUS, SIE, STVEC, SSCRATCH, SEPC, SCAUSE, STVAL, SIP, SATP, PMPCFG0, PMPCFG0 + 2,
        PMPADDR0, PMPADDR0 + 1, PMPADDR0 + 15, 0xB00, 0xB02, 0xC00, 0xC01, 0xC02, 0xF14, 0x7B0, 0x123]


def li32(rd, value):
    """lui + addi loading a sign-extended 32-bit value."""
    value &= 0xFFFF_FFFF
    hi = ((value + 0x800) >> 12) & 0xFFFFF
    lo = value - ((hi << 12) & 0xFFFF_FFFF)
    lo = ((lo + 0x800) & 0xFFF) - 0x800
    return [lui(rd, hi), addi(rd, rd, lo)]


def li_u32(rd, value):
    """An unsigned 32-bit value (e.g. a RAM address above 2 GiB): li32, then clear the sign extension."""
    return li32(rd, value) + ([slli(rd, rd, 32), srli(rd, rd, 32)] if value & 0x8000_0000 else [])


def pc_relative(rd, pc, target):
    """auipc + addi: rd = target, from code at pc."""
    delta = target - pc
    hi = ((delta + 0x800) >> 12) & 0xFFFFF
    lo = delta - (((delta + 0x800) >> 12) << 12)
    return [auipc(rd, hi), addi(rd, rd, lo)]


def words(insns):
    return b"".join(struct.pack("<I", w & 0xFFFF_FFFF) for w in insns)


def elf64(segments, entry, symbols=None):
    """An ET_EXEC RISC-V ELF64: segments is [(paddr, bytes, memsz)], symbols an optional {name: value}."""
    ehsize, phentsize, shentsize = 64, 56, 64
    phoff = ehsize
    data_off = phoff + phentsize * len(segments)
    blobs, phdrs, off = [], [], data_off
    for paddr, data, memsz in segments:
        off = (off + 7) & ~7
        phdrs.append(struct.pack("<IIQQQQQQ", 1, 7, off, paddr, paddr, len(data), max(memsz, len(data)), 8))
        blobs.append((off, data))
        off += len(data)
    out = bytearray(off)
    for o, d in blobs:
        out[o:o + len(d)] = d
    shoff, shnum, shstrndx = 0, 0, 0
    if symbols:
        # .symtab + .strtab + .shstrtab, so the loader's symbol path sees real tables.
        strtab = b"\0" + b"".join(n.encode() + b"\0" for n in symbols)
        syms = bytes(24)
        name = 1
        for n, v in symbols.items():
            syms += struct.pack("<IBBHQQ", name, 0x10, 0, 1, v, 8)
            name += len(n) + 1
        shstr = b"\0.symtab\0.strtab\0.shstrtab\0"
        sym_off = len(out)
        out += syms
        str_off = len(out)
        out += strtab
        shstr_off = len(out)
        out += shstr
        while len(out) % 8:
            out += b"\0"
        shoff = len(out)
        sh = bytes(shentsize)
        sh += struct.pack("<IIQQQQIIQQ", 1, 2, 0, 0, sym_off, len(syms), 2, 1, 8, 24)
        sh += struct.pack("<IIQQQQIIQQ", 9, 3, 0, 0, str_off, len(strtab), 0, 0, 1, 0)
        sh += struct.pack("<IIQQQQIIQQ", 17, 3, 0, 0, shstr_off, len(shstr), 0, 0, 1, 0)
        out += sh
        shnum, shstrndx = 4, 3
    header = b"\x7fELF" + bytes([2, 1, 1]) + bytes(9) + struct.pack(
        "<HHIQQQIHHHHHH", 2, 243, 1, entry, phoff, shoff, 0, ehsize, phentsize, len(segments), shentsize,
        shnum, shstrndx)
    out[0:64] = header
    for i, p in enumerate(phdrs):
        out[phoff + i * phentsize:phoff + (i + 1) * phentsize] = p
    return bytes(out)
