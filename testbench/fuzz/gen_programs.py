"""Guest programs for the fuzzer: random instruction streams, random page tables, random device traffic.

Every program shares one layout at the start of RAM and one M-mode trap handler that skips the trapping
instruction, so a random stream keeps going after each fault; after a budget of traps the handler ends the
run through the test finisher. Nothing protects the handler from the stream (it may rewrite mtvec, PMP,
the handler's own code): whatever the program does, sv39sim must end with a verdict, never crash or spin.
"""
import struct

from rv import *  # noqa: F401,F403  (the encoders are this module's vocabulary)

STUB = RAM_BASE              # entry: registers, trap vector, paging, then into the stream
HANDLER = RAM_BASE + 0x400
FINISH = RAM_BASE + 0x800    # writes "pass" to the test finisher
SAVE = RAM_BASE + 0x1000     # handler save area: t0, t1, t2, trap count, trap budget
REGS = RAM_BASE + 0x1100     # initial values of x1..x31
CODE = RAM_BASE + 0x2000     # the random stream, in 4-byte slots
CODE_SIZE = 0x4000
DATA = RAM_BASE + 0x8000     # random bytes: operands, virtio rings and descriptors
DATA_SIZE = 0x8000
TABLES = RAM_BASE + 0x10000  # page-table pages (paging programs)
TABLE_PAGES = 4
IMAGE_SIZE = TABLES - RAM_BASE + TABLE_PAGES * 0x1000


def handler_code(code_slots):
    """Skips the trapping 4-byte slot; a fetch fault restarts somewhere in the stream; interrupts are
    disabled in mie (a level-triggered source would otherwise trap forever); the budget ends the run."""
    h = [
        csrrw(SP, MSCRATCH, SP),
        sd(SP, T0, 0), sd(SP, T1, 8), sd(SP, T2, 16),
        lui(T1, 0x20), csrrc(ZERO, MSTATUS, T1),      # MPRV off: the handler's loads are physical
        ld(T0, SP, 24), addi(T0, T0, 1), sd(SP, T0, 24),
        ld(T1, SP, 32),
    ]
    budget_check = len(h)
    h += [0]  # bgeu t0, t1, finish (patched below)
    h += [csrr(T0, MCAUSE)]
    irq_branch = len(h)
    h += [0]  # blt t0, zero, irq
    h += [beq(T0, ZERO, 0)]  # patched: fetch faults
    fetch_branches = [len(h) - 1]
    for cause in (1, 12):
        h += [addi(T1, ZERO, cause), beq(T0, T1, 0)]
        fetch_branches.append(len(h) - 1)
    # Any other exception: the next 4-byte slot.
    h += [csrr(T0, MEPC), ori(T0, T0, 3), addi(T0, T0, 1), csrw(MEPC, T0)]
    out = len(h)
    h += [ld(T0, SP, 0), ld(T1, SP, 8), ld(T2, SP, 16), csrrw(SP, MSCRATCH, SP), MRET]
    fetch = len(h)
    # Restart at slot (count * 17) mod slots: a spread of places in the stream.
    h += [ld(T0, SP, 24), addi(T1, ZERO, 17), r_type(0x33, 0, 1, T0, T0, T1)]  # mul t0, t0, 17
    h += li32(T1, code_slots) + [r_type(0x33, 7, 1, T0, T0, T1), slli(T0, T0, 2)]  # remu; x 4 bytes
    h += pc_relative(T1, HANDLER + 4 * len(h), CODE)
    h += [add(T0, T0, T1), csrw(MEPC, T0)]
    h.append(jal(ZERO, 4 * (out - len(h))))
    irq = len(h)
    h.append(csrw(MIE, ZERO))
    h.append(jal(ZERO, 4 * (out - len(h))))
    finish = len(h)
    h.append(jal(ZERO, FINISH - (HANDLER + 4 * len(h))))
    h[budget_check] = bgeu(T0, T1, 4 * (finish - budget_check))
    h[irq_branch] = blt(T0, ZERO, 4 * (irq - irq_branch))
    for b in fetch_branches:
        rs1, rs2 = (h[b] >> 15) & 31, (h[b] >> 20) & 31
        h[b] = beq(rs1, rs2, 4 * (fetch - b))
    return words(h)


def finish_code():
    return words(li32(T0, FINISHER) + li32(T1, 0x5555) + [store(4, T0, T1, 0), jal(ZERO, 0)])


def interesting_values(rng, paging):
    vals = [0, 1, 2, 3, 4, 8, 0x7FF, 0x800, 0xFFF, 0x1000, (1 << 63), (1 << 64) - 1, (1 << 38), (1 << 39),
            (1 << 38) - 8, 0xFFFF_FFC0_0000_0000, RAM_BASE, DATA, DATA + 0x800, DATA + DATA_SIZE - 8,
            TABLES, TABLES + 0x1000, CODE, HANDLER, SAVE, FINISHER + 0x8, CLINT, CLINT + 0x4000,
            CLINT + 0xBFF8, PLIC, PLIC + 0x2000, PLIC + 0x200000, PLIC + 0x200004, UART, UART + 5, VIRTIO,
            VIRTIO + 0x50, VIRTIO + 0x70, RAM_BASE + 0x800_0000 - 8, RAM_BASE + 0x800_0000,
            0x1_0000_0000, 0x4000_0000]
    if paging:
        vals += [(8 << 60) | (TABLES >> 12), (8 << 60) | (rng.randrange(1 << 16) << 44) | (TABLES >> 12)]
    return vals


def random_va(rng):
    """A virtual address through random root, level-1 and level-0 slots; mostly canonical (bits 63:39 copy
    bit 38), which the upper half of the root's slots needs."""
    va = (rng.randrange(512) << 30) | (rng.randrange(512) << 21) | (rng.randrange(512) << 12) | \
        rng.choice([0, 8, 0xFF8, 0xFFC, rng.randrange(4096)])
    if va >> 38 and rng.random() < 0.9:
        va |= ((1 << 25) - 1) << 39
    return va


def random_insn(rng):
    """One 4-byte slot: a plausible instruction (operands from registers that hold interesting values),
    two compressed instructions, or a random word."""
    r = lambda: rng.randrange(32)
    k = rng.random()
    if k < 0.05:
        return rng.getrandbits(32)
    if k < 0.12:  # two compressed instructions (low bits 00, 01 or 10)
        halves = [(rng.getrandbits(16) & ~3) | rng.randrange(3) for _ in range(2)]
        return halves[0] | (halves[1] << 16)
    if k < 0.30:
        w = rng.choice([1, 2, 4, 8])
        return load(w, r(), r(), rng.choice([0, 0, 8, -8, 4, 2, 1, 0x7F8, -0x800]), rng.random() < 0.3)
    if k < 0.45:
        return store(rng.choice([1, 2, 4, 8]), r(), r(), rng.choice([0, 0, 8, -8, 4, 2, 1, 0x7F8]))
    if k < 0.55:
        f3 = rng.choice([0, 2, 3, 4, 6, 7])
        return i_type(0x13, f3, r(), r(), rng.randrange(-2048, 2048))
    if k < 0.62:
        return r_type(0x33, rng.randrange(8), rng.choice([0, 1, 0x20]), r(), r(), r())
    if k < 0.66:
        return r_type(0x3B, rng.randrange(8), rng.choice([0, 1, 0x20]), r(), r(), r())
    if k < 0.72:
        csr = rng.choice(CSRS) if rng.random() < 0.9 else rng.randrange(4096)
        return (csr << 20) | (r() << 15) | (rng.choice([1, 2, 3, 5, 6, 7]) << 12) | (r() << 7) | 0x73
    if k < 0.77:
        # AMOs and LR/SC (funct5 in the top bits), word or double.
        f5 = rng.choice([0, 1, 2, 3, 4, 8, 12, 16, 20, 24, 28])
        return r_type(0x2F, rng.choice([2, 3]), (f5 << 2) | rng.randrange(4), r(), r(), r())
    if k < 0.83:
        return b_type(rng.randrange(8) if rng.random() < 0.9 else 0, r(), r(), rng.randrange(-64, 64) * 2)
    if k < 0.86:
        return jal(r() if rng.random() < 0.5 else 0, rng.randrange(-256, 256) * 4)
    if k < 0.88:
        return i_type(0x67, 0, r(), r(), rng.randrange(-64, 64) * 4)
    if k < 0.91:
        return rng.choice([MRET, SRET, WFI, ECALL, EBREAK, FENCE, FENCE_I, 0x8330_000F])
    if k < 0.95:
        return sfence_vma(rng.choice([0, r()]), rng.choice([0, r()]))
    if k < 0.98:
        return lui(r(), rng.getrandbits(20))
    return auipc(r(), rng.getrandbits(20))


def random_tables(rng, user):
    """TABLE_PAGES pages of PTEs: pointers to the other table pages, leaves of every size and permission,
    reserved bits, misaligned superpages; the root maps RAM's first GiB identically so the stream runs."""
    pages = []
    for p in range(TABLE_PAGES):
        ptes = []
        for i in range(512):
            k = rng.random()
            if k < 0.35:
                pte = 0
            elif k < 0.55:  # pointer to another table page
                pte = (((TABLES >> 12) + rng.randrange(TABLE_PAGES)) << 10) | 1 | (rng.random() < 0.1) * (1 << 5)
            elif k < 0.85:  # leaf somewhere in RAM
                ppn = (RAM_BASE >> 12) + rng.randrange(0x8000)
                pte = (ppn << 10) | 1 | (rng.getrandbits(7) << 1)
            else:
                pte = rng.getrandbits(64)
            ptes.append(pte)
        pages.append(ptes)
    flags = 0b1100_1111 | (0x10 if user else 0)  # D A - U X W R V
    if rng.random() < 0.85:
        pages[0][2] = ((RAM_BASE >> 12) << 10) | flags
    return b"".join(struct.pack("<512Q", *p) for p in pages)


def device_ops(rng):
    """Straight-line device traffic: stores and loads of random values at register offsets of every device,
    with pauses and WFIs between them. Returns slots (4-byte words)."""
    regs = {
        UART: list(range(8)),
        PLIC: [4, 8, 0x28, 0x1000, 0x2000, 0x2080, 0x2100, 0x200000, 0x200004, 0x201000, 0x201004, 0x3FFFFFC],
        CLINT: [0, 4, 0x4000, 0x4004, 0xBFF8, 0xBFFC, 0x8, 0xFFFC],
        VIRTIO: [0x0, 0x10, 0x14, 0x20, 0x24, 0x30, 0x34, 0x38, 0x44, 0x50, 0x60, 0x64, 0x70, 0x80, 0x84,
                 0x90, 0x94, 0xA0, 0xA4, 0xFC, 0x100, 0x104, 0x108, 0x1F8],
        FINISHER: [0, 4, 8],
    }
    out = []
    for _ in range(rng.randrange(20, 120)):
        if rng.random() < 0.05:
            # A driver resetting the device, then setting up some of the queue again in any order,
            # while requests may still be in service.
            out += li32(T0, VIRTIO + 0x70) + [store(4, T0, ZERO, 0)]
            setup = [(0x38, rng.choice([8, 1, 128])), (0x80, DATA), (0x90, DATA + 0x800), (0xA0, DATA + 0xC00),
                     (0x44, 1), (0x70, 15)]
            for off, value in rng.sample(setup, rng.randrange(len(setup) + 1)):
                out += li32(T0, VIRTIO + off) + li32(T1, value) + [store(4, T0, T1, 0)]
            continue
        base = rng.choice(list(regs))
        off = rng.choice(regs[base]) if rng.random() < 0.9 else rng.randrange(0x1000)
        k = rng.random()
        if base == VIRTIO and off in (0x80, 0x90, 0xA0) and rng.random() < 0.8:
            value = DATA + rng.randrange(0, DATA_SIZE, 16)       # ring addresses inside RAM
        elif base == VIRTIO and off == 0x38:
            value = rng.choice([1, 2, 4, 8, 16, 128, 0, 3, 256])
        elif base == VIRTIO and off == 0x70:
            value = rng.choice([0, 1, 3, 11, 15, 0x40, rng.getrandbits(8)])
        elif base == CLINT and off in (0x4000, 0xBFF8):
            # 64-bit: li32 sign-extends, so high-bit values sit just below 2^64 and make mtime wrap.
            value = rng.choice([0, 1, 100, 10000, 0xFFFF_FFFF, 0xFFFF_FFF0, 0xFFFF_0000, rng.getrandbits(32)])
        elif base == FINISHER and off == 0:
            value = rng.choice([0x1234, 0x4444, 0x7777 if rng.random() < 0.1 else 0, 0x5555 if rng.random() < 0.1 else 1])
        else:
            value = rng.choice([0, 1, 2, 0xFF, 0xFFFF_FFFF, rng.getrandbits(32), rng.getrandbits(8)])
        out += li32(T0, base + off)
        if k < 0.75:
            width = 8 if base == CLINT and off in (0x4000, 0xBFF8) and rng.random() < 0.7 else \
                rng.choice([4, 4, 4, 1, 2, 8])
            out += li32(T1, value) + [store(width, T0, T1, 0)]
        else:
            out += [load(rng.choice([4, 4, 1, 8]), T2, T0, 0)]
        if rng.random() < 0.15:  # let simulated time pass: a countdown
            out += li32(T2, rng.choice([10, 100, 1000, 20000])) + [addi(T2, T2, -1), bne(T2, ZERO, -4)]
        if rng.random() < 0.08:  # sleep until a timer interrupt due soon (the handler disables it)
            out += li32(T0, CLINT + 0xBFF8) + [ld(T1, T0, 0), addi(T1, T1, rng.choice([1, 10, 100]))]
            out += li32(T0, CLINT + 0x4000) + [sd(T0, T1, 0)]
            out += li32(T1, rng.choice([0x80, 0x880, 0x8A0, 0xAAA])) + [csrw(MIE, T1), WFI]
    return out


def virtio_request(rng):
    """A driver that sets the virtio-blk queue up properly (rings in DATA) and posts a few well-formed
    requests, so that the random register traffic after it meets requests in service."""
    desc, avail, used = DATA, DATA + 0x800, DATA + 0xC00
    hdr, buf, status = DATA + 0x1000, DATA + 0x2000, DATA + 0x1F00
    out = []

    def w32(off, value):
        out.extend(li32(T0, VIRTIO + off) + li32(T1, value) + [store(4, T0, T1, 0)])

    def mem64(addr, value_lo, value_hi=0):
        out.extend(li_u32(T0, addr) + li32(T1, value_lo) + [store(4, T0, T1, 0)] + li32(T1, value_hi) +
                   [store(4, T0, T1, 4)])
    for v in (0, 1, 3):
        w32(0x70, v)
    w32(0x24, 1), w32(0x20, 1), w32(0x70, 11), w32(0x30, 0), w32(0x38, 8)
    w32(0x80, desc), w32(0x90, avail), w32(0xA0, used), w32(0x44, 1), w32(0x70, 15)
    n = rng.randrange(1, 3)  # chains of 3 in a queue of 8
    for i in range(n):
        sector = rng.choice([0, 1, 5, 100, 127, 128, rng.randrange(200)])
        kind = rng.choice([0, 0, 0, 1, 1, 4, 8, 3])  # in, out, flush, get-id, unsupported
        mem64(hdr + 16 * i, kind, 0)
        mem64(hdr + 16 * i + 8, sector, 0)
        d = desc + 48 * i
        # Descriptors: addr, then len with flags | next << 16 (NEXT = 1, WRITE = 2).
        mem64(d, hdr + 16 * i), mem64(d + 8, 16, 1 | ((3 * i + 1) << 16))
        into_guest = 2 if kind in (0, 8) else 0
        mem64(d + 16, buf + 0x400 * i), mem64(d + 24, rng.choice([512, 1024]), 1 | into_guest | ((3 * i + 2) << 16))
        mem64(d + 32, status + i), mem64(d + 40, 1, 2)
        out.extend(li_u32(T0, avail + 4 + 2 * i) + li32(T1, 3 * i) + [store(2, T0, T1, 0)])
    out.extend(li_u32(T0, avail + 2) + li32(T1, n) + [store(2, T0, T1, 0)])
    w32(0x50, 0)
    return out


def program(rng, kind):
    """kind: 'random' (M-mode stream), 'paging' (stream in S or U mode under random page tables),
    'devices' (device traffic, with a little random stream mixed in)."""
    paging = kind == "paging"
    user = paging and rng.random() < 0.5
    slots = CODE_SIZE // 4
    if kind == "devices":
        code = device_ops(rng)
        for _ in range(rng.randrange(0, 20)):
            code.insert(rng.randrange(len(code) + 1), random_insn(rng))
        if rng.random() < 0.6:
            code = virtio_request(rng) + code
        # Time for requests still in service to complete (up to ~100 us) before the run passes.
        code += li32(T2, rng.choice([1000, 60000, 100000])) + [addi(T2, T2, -1), bne(T2, ZERO, -4)]
        code = code[:slots - 1] + [jal(ZERO, FINISH - (CODE + 4 * min(len(code), slots - 1)))]
    else:
        n = rng.randrange(16, slots - 1)
        code = [random_insn(rng) for _ in range(n)]
        code.append(jal(ZERO, FINISH - (CODE + 4 * n)))
    code_bytes = words(code)

    values = interesting_values(rng, paging)
    regs = [rng.choice(values) if rng.random() < 0.8 else rng.getrandbits(64) for _ in range(31)]
    if paging:
        regs = [random_va(rng) if rng.random() < 0.5 else v for v in regs]
    budget = rng.choice([50, 200, 1000, 3000])
    save = struct.pack("<5Q", 0, 0, 0, 0, budget)

    stub = pc_relative(T0, STUB, HANDLER) + [csrw(MTVEC, T0)]
    stub += pc_relative(T0, STUB + 4 * len(stub), SAVE) + [csrw(MSCRATCH, T0)]
    # PMP entry 0 grants S and U mode everything (NAPOT over the whole address space), as boot firmware does.
    stub += [addi(T0, ZERO, -1), csrw(PMPADDR0, T0), addi(T0, ZERO, 0x1F), csrw(PMPCFG0, T0)]
    if paging:
        satp = (8 << 60) | (rng.randrange(1 << 16) << 44) | (TABLES >> 12)
        mpp = 0 if user else 1
        stub += pc_relative(T0, STUB + 4 * len(stub), REGS + 8 * 31) + [ld(T0, T0, 0), csrw(SATP, T0)]
        stub += [sfence_vma(0, 0)]
        stub += li32(T1, 3 << 11) + [csrrc(ZERO, MSTATUS, T1)]
        stub += li32(T1, mpp << 11) + [csrrs(ZERO, MSTATUS, T1)]
        if rng.random() < 0.3:  # SUM / MXR
            stub += li32(T1, rng.choice([1 << 18, 1 << 19, 3 << 18])) + [csrrs(ZERO, MSTATUS, T1)]
        stub += pc_relative(T0, STUB + 4 * len(stub), CODE) + [csrw(MEPC, T0)]
    else:
        satp = 0
    stub += pc_relative(T6, STUB + 4 * len(stub), REGS)
    stub += [ld(i, T6, 8 * (i - 1)) for i in range(1, 32)]  # x31 (t6) last: it was the base
    stub += [MRET] if paging else [jal(ZERO, CODE - (STUB + 4 * len(stub)))]
    assert len(stub) * 4 <= HANDLER - STUB

    image = bytearray(IMAGE_SIZE)

    def put(addr, data):
        image[addr - RAM_BASE:addr - RAM_BASE + len(data)] = data
    put(STUB, words(stub))
    put(HANDLER, handler_code(slots))
    put(FINISH, finish_code())
    put(SAVE, save)
    put(REGS, struct.pack("<32Q", *[v & ((1 << 64) - 1) for v in regs], satp))
    put(CODE, code_bytes)
    put(DATA, random_data(rng))
    if paging:
        put(TABLES, random_tables(rng, user))
    return elf64([(RAM_BASE, bytes(image), IMAGE_SIZE)], STUB)


def random_data(rng):
    """Operands for loads, and virtio rings: some descriptors point into RAM with plausible lengths."""
    out = bytearray(rng.getrandbits(8) for _ in range(DATA_SIZE)) if rng.random() < 0.5 else bytearray(DATA_SIZE)
    for i in range(rng.randrange(0, 64)):
        off = rng.randrange(0, DATA_SIZE - 16, 16)
        addr = DATA + rng.randrange(0, DATA_SIZE, 8) if rng.random() < 0.8 else rng.getrandbits(64)
        length = rng.choice([16, 512, 1024, 1, 0, 4096, 0xFFFF_FFFF, 513])
        flags = rng.choice([0, 1, 2, 3, 4, 7])
        nxt = rng.randrange(0, 16) if rng.random() < 0.9 else rng.getrandbits(16)
        out[off:off + 16] = struct.pack("<QIHH", addr, length, flags, nxt)
    for _ in range(rng.randrange(0, 8)):  # avail-ring-like headers: flags, idx, ring entries
        off = rng.randrange(0, DATA_SIZE - 8, 2)
        out[off:off + 8] = struct.pack("<HHHH", rng.choice([0, 1]), rng.randrange(0, 8), rng.randrange(16),
                                       rng.randrange(16))
    return bytes(out)
