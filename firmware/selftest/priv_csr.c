// CSR access rules from each privilege (privileged spec v1.12, ch. 2 "CSRs" and ch. 3/4 per-CSR text).
// qemu-args: -cpu rv64,f=false,d=false,h=false,sstc=false
//
// Every access is one hand-encoded CSR instruction run from a RAM buffer (priv_exec_insn) with
// rd = rs1 = a0, so an illegal-instruction trap can be checked for the exact mtval (the instruction
// bits, which sv39sim and QEMU both report; the spec allows 0 or the bits, the model reports the bits).
// A trapping CSR instruction must not write rd, so a0 comes back holding the sentinel it went in with.
#include "priv.h"

#define SENTINEL 0x5a5a5a5a5a5a5a5aL

static const char *prv_name(int p) { return p == PRV_M ? "M" : p == PRV_S ? "S" : "U"; }

static void expect_illegal(int code, int p, uint32_t insn, const char *what) {
  priv_trap_clear();
  long a0 = priv_exec_insn(p, insn, SENTINEL);
  if (priv_mtrap.count != 1 || priv_mtrap.cause != CAUSE_ILLEGAL_INSN || priv_mtrap.tval != insn ||
      priv_mtrap.from != (uint64_t)p || priv_strap.count != 0) {
    rt_printf("FAIL case %d: %s (insn 0x%08x) from %s: want illegal instruction into M with mtval=insn; "
              "got %lu M traps cause=0x%lx mtval=0x%lx from=%lu, %lu S traps\n",
              code, what, insn, prv_name(p), priv_mtrap.count, priv_mtrap.cause, priv_mtrap.tval, priv_mtrap.from,
              priv_strap.count);
    rt_exit(code);
  }
  EXPECT(code, a0 == SENTINEL, "%s from %s trapped but wrote rd (0x%lx)", what, prv_name(p), a0);
  priv_checks++;
}

static long expect_legal(int code, int p, uint32_t insn, long a0, const char *what) {
  priv_trap_clear();
  long r = priv_exec_insn(p, insn, a0);
  if (priv_mtrap.count || priv_strap.count) {
    rt_printf("FAIL case %d: %s (insn 0x%08x) from %s should be legal; got trap cause=0x%lx mtval=0x%lx\n", code,
              what, insn, prv_name(p), priv_mtrap.count ? priv_mtrap.cause : priv_strap.cause,
              priv_mtrap.count ? priv_mtrap.tval : priv_strap.tval);
    rt_exit(code);
  }
  priv_checks++;
  return r;
}

struct csr_name {
  uint16_t num;
  const char *name;
};

/* Machine-level CSRs (address bits 9:8 = 3): only M may touch them. */
static const struct csr_name m_csrs[] = {
    {0x300, "mstatus"}, {0x301, "misa"},      {0x302, "medeleg"},   {0x303, "mideleg"},  {0x304, "mie"},
    {0x305, "mtvec"},   {0x306, "mcounteren"}, {0x340, "mscratch"}, {0x341, "mepc"},     {0x342, "mcause"},
    {0x343, "mtval"},   {0x344, "mip"},       {0x3a0, "pmpcfg0"},   {0x3b0, "pmpaddr0"}, {0xb00, "mcycle"},
    {0xb02, "minstret"}, {0xf11, "mvendorid"}, {0xf12, "marchid"},  {0xf13, "mimpid"},   {0xf14, "mhartid"},
};
/* Supervisor-level CSRs (bits 9:8 = 1): S and M, never U. */
static const struct csr_name s_csrs[] = {
    {0x100, "sstatus"}, {0x104, "sie"},  {0x105, "stvec"}, {0x106, "scounteren"}, {0x140, "sscratch"},
    {0x141, "sepc"},    {0x142, "scause"}, {0x143, "stval"}, {0x144, "sip"},      {0x180, "satp"},
};
/* Read-only CSRs (bits 11:10 = 3). */
static const struct csr_name ro_csrs[] = {
    {0xf11, "mvendorid"}, {0xf12, "marchid"}, {0xf13, "mimpid"}, {0xf14, "mhartid"},
    {0xc00, "cycle"},     {0xc01, "time"},    {0xc02, "instret"},
};
/* Numbers no RV64IMAC+S+U hart without custom extensions or H implements. */
static const struct csr_name unimpl_csrs[] = {
    {0x7ff, "custom 0x7ff"}, {0x5c0, "custom 0x5c0"}, {0x600, "hstatus (no H)"}, {0x003, "fcsr (no F)"},
    {0x3a1, "pmpcfg1 (odd pmpcfg is illegal on RV64)"},
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

static void test_encoding_and_buffer(void) {
  /* csrr a0, mstatus = csrrs a0, 0x300, x0: 0x300<<20 | 0<<15 | 2<<12 | 10<<7 | 0x73 */
  EXPECT_EQ(1, CSR_READ(0x300), 0x30002573, "CSR_READ encoding");
  /* csrw: csrrw a0, mscratch(0x340), a0 = 0x340<<20 | 10<<15 | 1<<12 | 10<<7 | 0x73 */
  EXPECT_EQ(1, CSR_WRITE(0x340), 0x34051573, "CSR_WRITE encoding");
  /* The buffer runner must see fresh instructions after fence.i, in every privilege. */
  static const int prvs[] = {PRV_M, PRV_S, PRV_U};
  for (unsigned i = 0; i < 3; i++) {
    EXPECT_EQ(2, expect_legal(2, prvs[i], INSN_ADDI_A0(42), 0, "addi a0, x0, 42"), 42, "addi result");
    EXPECT_EQ(2, expect_legal(2, prvs[i], INSN_ADDI_A0(43), 0, "addi a0, x0, 43"), 43,
              "addi result after rewrite + fence.i");
  }
}

static void test_privilege_levels(void) {
  for (unsigned i = 0; i < N(m_csrs); i++) {
    expect_illegal(3, PRV_S, CSR_READ(m_csrs[i].num), m_csrs[i].name);
    expect_illegal(3, PRV_U, CSR_READ(m_csrs[i].num), m_csrs[i].name);
    expect_legal(4, PRV_M, CSR_READ(m_csrs[i].num), 0, m_csrs[i].name);
  }
  /* A write attempt from S must trap and leave the CSR alone. */
  uint64_t ms = read_csr(mstatus);
  expect_illegal(5, PRV_S, CSR_WRITE(0x300), "csrw mstatus");
  expect_illegal(5, PRV_U, CSR_SET(0x304), "csrs mie");
  EXPECT_EQ(5, read_csr(mstatus) & ~(MSTATUS_MPP | MSTATUS_MPIE | MSTATUS_MIE), ms & ~(MSTATUS_MPP | MSTATUS_MPIE | MSTATUS_MIE),
            "mstatus after a trapped write from S");
  EXPECT_EQ(5, read_csr(mie), 0, "mie after a trapped csrs from U");

  for (unsigned i = 0; i < N(s_csrs); i++) {
    expect_illegal(6, PRV_U, CSR_READ(s_csrs[i].num), s_csrs[i].name);
    expect_legal(7, PRV_S, CSR_READ(s_csrs[i].num), 0, s_csrs[i].name);
    expect_legal(7, PRV_M, CSR_READ(s_csrs[i].num), 0, s_csrs[i].name);
  }
}

static void test_read_only(void) {
  write_csr(mcounteren, 7); /* cycle/time/instret readable from S */
  write_csr(scounteren, 7); /* ... and from U */
  for (unsigned i = 0; i < N(ro_csrs); i++) {
    uint16_t c = ro_csrs[i].num;
    const char *n = ro_csrs[i].name;
    static const int prvs[] = {PRV_M, PRV_S, PRV_U};
    for (unsigned p = 0; p < 3; p++) {
      int prv = prvs[p];
      if (c >= 0xf00 && prv != PRV_M) continue; /* machine-level: covered above */
      /* Writes of any kind: CSRRW (even rs1=x0), CSRRWI (even uimm=0), CSRRS/C with rs1!=x0, CSRRSI/CI uimm!=0. */
      expect_illegal(8, prv, CSR_INSN(F3_CSRRW, c, REG_A0, REG_A0), n);
      expect_illegal(8, prv, CSR_INSN(F3_CSRRW, c, 0, 0), n); /* csrrw x0, csr, x0 still writes */
      expect_illegal(8, prv, CSR_INSN(F3_CSRRWI, c, REG_A0, 0), n);
      expect_illegal(8, prv, CSR_INSN(F3_CSRRSI, c, REG_A0, 1), n);
      expect_illegal(8, prv, CSR_INSN(F3_CSRRCI, c, REG_A0, 1), n);
      expect_illegal(8, prv, CSR_SET(c), n);   /* rs1 = a0 = SENTINEL, non-zero */
      expect_illegal(8, prv, CSR_CLEAR(c), n);
      /* rs1=x0 / uimm=0 forms of CSRRS/CSRRC/CSRRSI/CSRRCI do not write: plain reads, legal. */
      expect_legal(9, prv, CSR_INSN(F3_CSRRS, c, REG_A0, 0), 0, n);
      expect_legal(9, prv, CSR_INSN(F3_CSRRC, c, REG_A0, 0), 0, n);
      expect_legal(9, prv, CSR_INSN(F3_CSRRSI, c, REG_A0, 0), 0, n);
      expect_legal(9, prv, CSR_INSN(F3_CSRRCI, c, REG_A0, 0), 0, n);
    }
  }
  EXPECT_EQ(10, expect_legal(10, PRV_M, CSR_READ(0xf14), SENTINEL, "mhartid"), 0, "mhartid");
}

static void test_unimplemented(void) {
  static const int prvs[] = {PRV_M, PRV_S, PRV_U};
  for (unsigned i = 0; i < N(unimpl_csrs); i++)
    for (unsigned p = 0; p < 3; p++) {
      expect_illegal(11, prvs[p], CSR_READ(unimpl_csrs[i].num), unimpl_csrs[i].name);
      expect_illegal(11, prvs[p], CSR_WRITE(unimpl_csrs[i].num), unimpl_csrs[i].name);
    }
}

static void test_sstatus_view(void) {
  const uint64_t m_only = MSTATUS_MIE | MSTATUS_MPIE | MSTATUS_MPP | MSTATUS_MPRV | MSTATUS_TVM | MSTATUS_TW |
                          MSTATUS_TSR;
  /* M-only fields set in mstatus are invisible in sstatus. MPRV with MPP=M keeps M's own accesses as M;
     MIE with mie=0 lets nothing in. */
  set_csr(mstatus, m_only);
  uint64_t ss = read_csr(sstatus);
  clear_csr(mstatus, m_only);
  EXPECT_EQ(12, ss & m_only, 0, "sstatus shows M-only fields of mstatus");

  /* Writing all of them through sstatus (from M, and from S) does not reach mstatus. */
  uint64_t before = read_csr(mstatus);
  write_csr(sstatus, read_csr(sstatus) | m_only);
  EXPECT_EQ(13, read_csr(mstatus) & m_only, before & m_only, "mstatus M-only fields after sstatus write from M");
  expect_legal(13, PRV_S, CSR_SET(0x100), MSTATUS_MIE | MSTATUS_MPRV | MSTATUS_TSR, "csrs sstatus, M-only bits");
  EXPECT_EQ(13, read_csr(mstatus) & (MSTATUS_MIE | MSTATUS_MPRV | MSTATUS_TSR), 0,
            "mstatus M-only fields after sstatus write from S");

  /* The shared fields are the same bits: SIE set from S is mstatus.SIE; SPIE/SPP/SUM/MXR round-trip. */
  expect_legal(14, PRV_S, CSR_SET(0x100), MSTATUS_SIE, "csrs sstatus, SIE");
  EXPECT(14, read_csr(mstatus) & MSTATUS_SIE, "sstatus.SIE set from S not visible in mstatus");
  clear_csr(mstatus, MSTATUS_SIE);
  EXPECT(14, !(read_csr(sstatus) & MSTATUS_SIE), "mstatus.SIE cleared from M still set in sstatus");
  const uint64_t shared = MSTATUS_SPIE | MSTATUS_SPP | MSTATUS_SUM | MSTATUS_MXR;
  set_csr(sstatus, shared);
  EXPECT_EQ(15, read_csr(mstatus) & shared, shared, "sstatus SPIE/SPP/SUM/MXR into mstatus");
  clear_csr(mstatus, shared);
  EXPECT_EQ(15, read_csr(sstatus) & shared, 0, "mstatus SPIE/SPP/SUM/MXR clear seen in sstatus");
}

static void test_sie_sip_masking(void) {
  const uint64_t s_ints = MIP_SSIP | MIP_STIP | MIP_SEIP;
  const uint64_t m_ints = MIP_MSIP | MIP_MTIP | MIP_MEIP;
  /* mideleg = 0: sie/sip are read-only zero even when mie/mip have the bits. */
  write_csr(mideleg, 0);
  write_csr(mie, s_ints | m_ints);
  EXPECT_EQ(16, expect_legal(16, PRV_S, CSR_READ(0x104), SENTINEL, "csrr sie"), 0, "sie with mideleg=0");
  write_csr(mie, 0);
  expect_legal(16, PRV_S, CSR_WRITE(0x104), s_ints, "csrw sie");
  EXPECT_EQ(16, read_csr(mie), 0, "mie after sie write with mideleg=0");
  set_csr(mip, MIP_SSIP); /* pending but not enabled anywhere: no trap */
  EXPECT_EQ(17, expect_legal(17, PRV_S, CSR_READ(0x144), SENTINEL, "csrr sip"), 0, "sip with mideleg=0");
  clear_csr(mip, MIP_SSIP);
  expect_legal(17, PRV_S, CSR_SET(0x144), MIP_SSIP, "csrs sip, SSIP");
  EXPECT_EQ(17, read_csr(mip) & MIP_SSIP, 0, "mip.SSIP after sip write with mideleg=0");

  /* Delegate the three S interrupts: sie is mie's S bits, never the M bits. */
  write_csr(mideleg, s_ints);
  EXPECT_EQ(18, read_csr(mideleg) & s_ints, s_ints, "mideleg S interrupt bits writable");
  write_csr(mie, s_ints | m_ints);
  EXPECT_EQ(18, expect_legal(18, PRV_S, CSR_READ(0x104), 0, "csrr sie"), s_ints, "sie with mideleg=S ints");
  expect_legal(18, PRV_S, CSR_WRITE(0x104), 0, "csrw sie, 0");
  EXPECT_EQ(18, read_csr(mie), m_ints, "mie after sie=0 from S (M bits must stay)");
  expect_legal(18, PRV_S, CSR_WRITE(0x104), s_ints | m_ints, "csrw sie, all");
  EXPECT_EQ(18, read_csr(mie), s_ints | m_ints, "mie after sie=all from S");
  write_csr(mie, 0);
  /* sip.SSIP is writable from S when delegated; it is mip.SSIP. (sstatus.SIE=0, mie=0: no trap.) */
  expect_legal(19, PRV_S, CSR_SET(0x144), MIP_SSIP, "csrs sip, SSIP");
  EXPECT(19, read_csr(mip) & MIP_SSIP, "sip.SSIP set from S not in mip");
  EXPECT_EQ(19, expect_legal(19, PRV_S, CSR_READ(0x144), 0, "csrr sip") & MIP_SSIP, MIP_SSIP, "sip.SSIP");
  expect_legal(19, PRV_S, CSR_CLEAR(0x144), MIP_SSIP, "csrc sip, SSIP");
  EXPECT_EQ(19, read_csr(mip) & MIP_SSIP, 0, "mip.SSIP after clear from S");
  write_csr(mideleg, 0);
}

/* counteren: S may read counter i iff mcounteren[i]; U iff mcounteren[i] and scounteren[i]. */
static void test_counteren(void) {
  static const uint8_t masks[] = {0, 1, 2, 4, 5, 7};
  static const struct csr_name ctrs[] = {{0xc00, "cycle"}, {0xc01, "time"}, {0xc02, "instret"}};
  for (unsigned mi = 0; mi < N(masks); mi++)
    for (unsigned si = 0; si < N(masks); si++) {
      write_csr(mcounteren, masks[mi]);
      write_csr(scounteren, masks[si]);
      for (unsigned c = 0; c < 3; c++) {
        uint32_t insn = CSR_READ(ctrs[c].num);
        int m_ok = (masks[mi] >> c) & 1, s_ok = (masks[si] >> c) & 1;
        if (m_ok)
          expect_legal(20, PRV_S, insn, 0, ctrs[c].name);
        else
          expect_illegal(20, PRV_S, insn, ctrs[c].name);
        if (m_ok && s_ok)
          expect_legal(21, PRV_U, insn, 0, ctrs[c].name);
        else
          expect_illegal(21, PRV_U, insn, ctrs[c].name);
        expect_legal(22, PRV_M, insn, 0, ctrs[c].name); /* M is never gated */
      }
    }
  write_csr(mcounteren, 0);
  write_csr(scounteren, 0);
}

static void test_warl_fields(void) {
  /* mstatus.MPP: M, S and U are implemented, so each reads back. (The reserved value 2 must not read
     back; QEMU 7.2 keeps it, so that check is in priv_strict.c.) */
  for (uint64_t v = 0; v < 4; v++) {
    if (v == 2) continue;
    clear_csr(mstatus, MSTATUS_MPP);
    set_csr(mstatus, v << MSTATUS_MPP_SHIFT);
    EXPECT_EQ(23, (read_csr(mstatus) & MSTATUS_MPP) >> MSTATUS_MPP_SHIFT, v, "mstatus.MPP legal value");
  }
  /* SPP is one bit: S or U. */
  set_csr(mstatus, MSTATUS_SPP);
  EXPECT(23, read_csr(mstatus) & MSTATUS_SPP, "mstatus.SPP=1 not kept");
  clear_csr(mstatus, MSTATUS_SPP | MSTATUS_MPP);

  /* satp: Sv39 (MODE=8) is accepted; MODE=1 (reserved) leaves satp untouched entirely. */
  const uint64_t sv39 = 8UL << 60, ppn = 0x80000; /* root page table at 0x8000_0000 */
  write_csr(satp, sv39 | ppn);
  uint64_t s = read_csr(satp);
  EXPECT_EQ(24, s >> 60, 8, "satp.MODE after writing Sv39");
  EXPECT_EQ(24, s & ((1UL << 44) - 1), ppn, "satp.PPN after writing Sv39");
  write_csr(satp, (1UL << 60) | 0x12345);
  EXPECT_EQ(24, read_csr(satp), s, "satp after writing reserved MODE=1 (must be unchanged)");
  write_csr(satp, 0);
  EXPECT_EQ(24, read_csr(satp), 0, "satp after writing Bare");

  /* mtvec/stvec: MODE 0 (direct) and 1 (vectored) kept; MODE 2/3 reserved, must not read back. */
  uint64_t base = (uintptr_t)priv_mtrap_entry; /* 64-byte aligned */
  write_csr(mtvec, base | 1);
  uint64_t mt_vec = read_csr(mtvec);
  write_csr(mtvec, base | 2);
  uint64_t mt_res = read_csr(mtvec);
  write_csr(mtvec, base);
  uint64_t mt_dir = read_csr(mtvec);
  EXPECT_EQ(25, mt_vec, base | 1, "mtvec vectored");
  EXPECT(25, (mt_res & 3) < 2, "mtvec MODE reads back reserved value %lu", mt_res & 3);
  EXPECT_EQ(25, mt_dir, base, "mtvec direct");
  base = (uintptr_t)priv_strap_entry;
  write_csr(stvec, base | 1);
  EXPECT_EQ(26, read_csr(stvec), base | 1, "stvec vectored");
  write_csr(stvec, base | 3);
  EXPECT(26, (read_csr(stvec) & 3) < 2, "stvec MODE reads back reserved value");
  write_csr(stvec, base);
  EXPECT_EQ(26, read_csr(stvec), base, "stvec direct");
}

static void test_pmp_csrs(void) {
  /* Entries 1..15 OFF with distinct addresses; entry 0 keeps its all-memory NAPOT RWX. Values keep
     the low 10 bits clear so a coarser PMP grain (G <= 11) reads them back unchanged. */
#define PMPADDR_RW(n)                                                          \
  do {                                                                         \
    uint64_t v_ = 0x20000000UL + ((uint64_t)(n) << 12);                         \
    write_csr(pmpaddr##n, v_);                                                 \
    EXPECT_EQ(27, read_csr(pmpaddr##n), v_, "pmpaddr" #n " read back");         \
  } while (0)
  PMPADDR_RW(1); PMPADDR_RW(2); PMPADDR_RW(3); PMPADDR_RW(4); PMPADDR_RW(5);
  PMPADDR_RW(6); PMPADDR_RW(7); PMPADDR_RW(8); PMPADDR_RW(9); PMPADDR_RW(10);
  PMPADDR_RW(11); PMPADDR_RW(12); PMPADDR_RW(13); PMPADDR_RW(14); PMPADDR_RW(15);
  /* (pmpaddr bits 63:54 are 0/WARL on RV64; QEMU 7.2 keeps them, so that check is in priv_strict.c.) */
  /* pmpcfg0: entry 0 stays NAPOT RWX, entries 1..7 OFF with assorted legal R/W/X. */
  const uint64_t cfg0 = 0x1f | (0x01UL << 8) | (0x03UL << 16) | (0x05UL << 24) | (0x07UL << 32) | (0x04UL << 40);
  write_csr(pmpcfg0, cfg0);
  EXPECT_EQ(28, read_csr(pmpcfg0), cfg0, "pmpcfg0 read back");
  const uint64_t cfg2 = 0x0001030507040301UL; /* entries 8..15, all OFF */
  write_csr(pmpcfg2, cfg2);
  EXPECT_EQ(28, read_csr(pmpcfg2), cfg2, "pmpcfg2 read back");
  write_csr(pmpcfg2, 0);
  write_csr(pmpcfg0, 0x1f);
  EXPECT_EQ(28, read_csr(pmpcfg0), 0x1f, "pmpcfg0 restore");
  /* Still reachable from S after all that. */
  expect_legal(28, PRV_S, INSN_ADDI_A0(7), 0, "S-mode fetch after PMP rewrite");
}

static void test_tvm_tw_tsr(void) {
  /* TVM=1: satp access and SFENCE.VMA are illegal in S (not in M). */
  set_csr(mstatus, MSTATUS_TVM);
  expect_illegal(29, PRV_S, CSR_READ(0x180), "csrr satp with TVM=1");
  expect_illegal(29, PRV_S, CSR_WRITE(0x180), "csrw satp with TVM=1");
  expect_illegal(29, PRV_S, INSN_SFENCE_VMA_ALL, "sfence.vma with TVM=1");
  expect_legal(29, PRV_M, CSR_READ(0x180), 0, "csrr satp in M with TVM=1");
  expect_legal(29, PRV_M, INSN_SFENCE_VMA_ALL, 0, "sfence.vma in M with TVM=1");
  clear_csr(mstatus, MSTATUS_TVM);
  expect_legal(30, PRV_S, CSR_READ(0x180), 0, "csrr satp with TVM=0");
  expect_legal(30, PRV_S, CSR_WRITE(0x180), 0, "csrw satp, 0 with TVM=0");
  expect_legal(30, PRV_S, INSN_SFENCE_VMA_ALL, 0, "sfence.vma with TVM=0");
  /* SFENCE.VMA is never legal from U. */
  expect_illegal(30, PRV_U, INSN_SFENCE_VMA_ALL, "sfence.vma in U");

  /* TW=1: WFI in S or U that does not complete within the (possibly zero) time limit is illegal. With
     nothing pending it can never complete, so it must trap. */
  write_csr(mie, 0);
  set_csr(mstatus, MSTATUS_TW);
  expect_illegal(31, PRV_S, INSN_WFI, "wfi in S with TW=1");
  expect_illegal(31, PRV_U, INSN_WFI, "wfi in U with TW=1");
  clear_csr(mstatus, MSTATUS_TW);
  /* TW=0, S: WFI may execute. Give it a locally enabled, pending interrupt that is globally disabled in S
     (delegated SSIP, sstatus.SIE=0) so it wakes at once without trapping. */
  write_csr(mideleg, MIP_SSIP);
  write_csr(mie, MIP_SSIP);
  set_csr(mip, MIP_SSIP);
  clear_csr(mstatus, MSTATUS_SIE);
  expect_legal(32, PRV_S, INSN_WFI, 0, "wfi in S with TW=0 and SSIP pending (SIE=0)");
  clear_csr(mip, MIP_SSIP);
  write_csr(mie, 0);
  write_csr(mideleg, 0);
  /* TW=0, U: spec 1.12 (mstatus.TW): "When S-mode is implemented, then executing WFI in U-mode causes an
     illegal instruction exception, unless it completes within an implementation-specific, bounded time
     limit." Nothing is pending here, so it either traps as illegal or completes (e.g. as a NOP); anything
     else (another cause, a hang) is wrong. */
  priv_trap_clear();
  priv_exec_insn(PRV_U, INSN_WFI, 0);
  if (priv_mtrap.count || priv_strap.count)
    expect_trap(33, &priv_mtrap, CAUSE_ILLEGAL_INSN, INSN_WFI, PRV_U);
  priv_checks++;

  /* TSR=1: SRET in S is illegal. SRET in U is always illegal; MRET below M is always illegal. */
  set_csr(mstatus, MSTATUS_TSR);
  expect_illegal(34, PRV_S, INSN_SRET, "sret in S with TSR=1");
  clear_csr(mstatus, MSTATUS_TSR);
  expect_illegal(35, PRV_U, INSN_SRET, "sret in U");
  expect_illegal(35, PRV_S, INSN_MRET, "mret in S");
  expect_illegal(35, PRV_U, INSN_MRET, "mret in U");
}

int main(void) {
  priv_init();
  test_encoding_and_buffer();
  test_privilege_levels();
  test_read_only();
  test_unimplemented();
  test_sstatus_view();
  test_sie_sip_masking();
  test_counteren();
  test_warl_fields();
  test_pmp_csrs();
  test_tvm_tw_tsr();
  priv_pass("priv_csr");
}
