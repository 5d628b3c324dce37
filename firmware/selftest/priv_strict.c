// CSR rules where QEMU 7.2 departs from the privileged spec (v1.12) or where sv39sim's choice differs.
// qemu: skip
// QEMU 7.2 keeps MPP=2 and pmpaddr bits 63:54, treats CSRRS/CSRRC with a zero-valued rs1!=x0 as a read,
// does not clear MPRV on MRET to S/U, writes mtval=0 for EBREAK, and accepts Sv48/Sv57 in satp.
#include "priv.h"

#define SENTINEL 0x5a5a5a5a5a5a5a5aL

int main(void) {
  priv_init();

  /* 1. mstatus.MPP is WARL over {U, S, M}; 2 is reserved and must not read back. */
  clear_csr(mstatus, MSTATUS_MPP);
  set_csr(mstatus, 2UL << MSTATUS_MPP_SHIFT);
  uint64_t mpp = (read_csr(mstatus) & MSTATUS_MPP) >> MSTATUS_MPP_SHIFT;
  clear_csr(mstatus, MSTATUS_MPP);
  EXPECT(1, mpp != 2, "mstatus.MPP reads back the reserved value 2");

  /* 2. RV64 pmpaddr holds physical address bits 55:2; bits 63:54 are zero (WARL). */
  write_csr(pmpaddr15, ~0UL);
  uint64_t pa = read_csr(pmpaddr15);
  write_csr(pmpaddr15, 0);
  EXPECT_EQ(2, pa >> 54, 0, "pmpaddr15 bits 63:54 after writing all ones");

  /* 3. Zicsr: CSRRS/CSRRC with rs1 != x0 always attempt the write ("will still attempt to write the
     unmodified value back"), so they are illegal on a read-only CSR even when rs1 holds zero. */
  static const uint16_t ro[] = {0xf14, 0xf11, 0xc00, 0xc01, 0xc02};
  for (unsigned i = 0; i < sizeof ro / sizeof ro[0]; i++) {
    static const uint8_t f3s[] = {F3_CSRRS, F3_CSRRC};
    for (unsigned f = 0; f < 2; f++) {
      uint32_t insn = CSR_INSN(f3s[f], ro[i], REG_A0, REG_A0);
      priv_trap_clear();
      priv_exec_insn(PRV_M, insn, 0); /* a0 = 0: writes back the unmodified value */
      EXPECT(3, priv_mtrap.count == 1 && priv_mtrap.cause == CAUSE_ILLEGAL_INSN && priv_mtrap.tval == insn,
             "insn 0x%08x (csr 0x%x, rs1=a0 holding 0) should be illegal; traps=%lu cause=0x%lx", insn, ro[i],
             priv_mtrap.count, priv_mtrap.cause);
    }
  }

  /* 4. satp: sv39sim implements Bare and Sv39 only. Writing Sv48 (9) or Sv57 (10) is an unsupported MODE,
     so "the entire write has no effect; no fields in satp are modified". */
  const uint64_t sv39 = (8UL << 60) | 0x80000;
  write_csr(satp, sv39);
  uint64_t before = read_csr(satp);
  write_csr(satp, (9UL << 60) | 0x80123);
  EXPECT_EQ(4, read_csr(satp), before, "satp after writing MODE=Sv48");
  write_csr(satp, (10UL << 60) | 0x80456);
  EXPECT_EQ(4, read_csr(satp), before, "satp after writing MODE=Sv57");
  write_csr(satp, 0);

  /* 5. MRET to a privilege y != M sets MPRV=0 (1.12, 3.1.6.1). priv_run enters S/U with MRET; the ecall
     there shows mstatus as the lower mode left it. PMP entry 0 lets the MPRV=1 accesses before it through. */
  static const int lower[] = {PRV_S, PRV_U};
  for (unsigned p = 0; p < 2; p++) {
    clear_csr(mstatus, MSTATUS_MPP);
    set_csr(mstatus, MSTATUS_MPRV | ((uint64_t)lower[p] << MSTATUS_MPP_SHIFT));
    priv_trap_clear();
    priv_exec_insn(lower[p], INSN_ECALL, 0);
    uint64_t st = read_csr(mstatus);
    clear_csr(mstatus, MSTATUS_MPRV);
    expect_trap(5, &priv_mtrap, lower[p] == PRV_U ? CAUSE_ECALL_U : CAUSE_ECALL_S, 0, lower[p]);
    EXPECT_EQ(5, priv_mtrap.status & MSTATUS_MPRV, 0, "mstatus.MPRV at an ecall right after MRET to S/U");
    EXPECT_EQ(5, st & MSTATUS_MPRV, 0, "mstatus.MPRV after returning to M");
  }

  /* 6. sv39sim writes the EBREAK's address to xtval (the spec also allows 0, which QEMU writes). */
  static const int prvs[] = {PRV_M, PRV_S, PRV_U};
  for (unsigned p = 0; p < 3; p++) {
    priv_trap_clear();
    priv_exec_insn(prvs[p], INSN_EBREAK, 0);
    expect_trap(6, &priv_mtrap, CAUSE_BREAKPOINT, (uintptr_t)priv_insn_buf, prvs[p]);
  }

  priv_pass("priv_strict");
}
