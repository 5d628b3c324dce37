// Trap entry and return (privileged spec v1.12, 3.1.6-3.1.9, 3.1.15-16, 3.3.2, 4.1.1): ECALL/EBREAK/illegal
// instruction causes, every exception delegation combination, interrupt delegation, the xIE/xPIE/xPP
// stack on entry and on MRET/SRET, MPRV on MRET, and vectored mtvec/stvec.
// qemu-args: -cpu rv64,f=false,d=false,h=false,sstc=false
#include "priv.h"

/* ---- Vectored-mode tables ----
 * Entry k counts itself in vec_hits_{m,s}[k] and then runs the common handler (priv_run's own return
 * trap passes through entry 0 too). The stub borrows t0/t1, parking them just below the area the common
 * handler's frame will use on the trap stack. */
volatile uint64_t vec_hits_m[16], vec_hits_s[16];
extern char vec_m_table[], vec_s_table[];
#define VEC_STUBS(lvl, scratch)                                             \
  ".balign 256\n"                                                           \
  "vec_" lvl "_table:\n"                                                    \
  ".irp k, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15\n"                          \
  "  j vec_" lvl "_stub_\\k\n"                                              \
  ".endr\n"                                                                 \
  ".irp k, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15\n"                          \
  "vec_" lvl "_stub_\\k:\n"                                                 \
  "  csrrw sp, " scratch ", sp\n"                                           \
  "  sd t0, -264(sp)\n"                                                     \
  "  sd t1, -272(sp)\n"                                                     \
  "  la t1, vec_hits_" lvl "+8*\\k\n"                                      \
  "  ld t0, 0(t1)\n"                                                        \
  "  addi t0, t0, 1\n"                                                      \
  "  sd t0, 0(t1)\n"                                                        \
  "  ld t0, -264(sp)\n"                                                     \
  "  ld t1, -272(sp)\n"                                                     \
  "  csrrw sp, " scratch ", sp\n"                                           \
  "  j priv_" lvl "trap_entry\n"                                            \
  ".endr\n"
__asm__(".pushsection .text.vec, \"ax\"\n.option push\n.option norvc\n" VEC_STUBS("m", "mscratch")
            VEC_STUBS("s", "sscratch") ".option pop\n.popsection\n");

/* S-mode snippet: set sstatus.SIE; a pending delegated interrupt is taken at the next instruction. */
extern char s_sie_on[], s_sie_on_after[];
__asm__(".pushsection .text.snip, \"ax\"\n.option push\n.option norvc\n"
        ".globl s_sie_on\ns_sie_on:\n"
        "  csrsi sstatus, 2\n"
        ".globl s_sie_on_after\ns_sie_on_after:\n"
        "  nop\n"
        "  ret\n"
        /* M-mode snippet: set mstatus.MIE, same idea. */
        ".globl m_mie_on\nm_mie_on:\n"
        "  csrsi mstatus, 8\n"
        ".globl m_mie_on_after\nm_mie_on_after:\n"
        "  nop\n"
        "  csrci mstatus, 8\n"
        "  ret\n"
        ".option pop\n.popsection\n");
extern char m_mie_on[], m_mie_on_after[];

static uint64_t buf_addr(void) { return (uintptr_t)priv_insn_buf; }

static void test_causes(void) {
  static const int prvs[] = {PRV_U, PRV_S, PRV_M};
  static const uint64_t ecall_cause[] = {CAUSE_ECALL_U, CAUSE_ECALL_S, CAUSE_ECALL_M};
  for (unsigned i = 0; i < 3; i++) {
    /* ECALL: cause 8/9/11 by privilege, mepc = the ecall itself, mtval = 0. */
    priv_trap_clear();
    priv_exec_insn(prvs[i], INSN_ECALL, 0);
    expect_trap(1, &priv_mtrap, ecall_cause[i], 0, prvs[i]);
    EXPECT_EQ(1, priv_mtrap.epc, buf_addr(), "mepc of ecall");
    /* EBREAK: cause 3, mepc = the ebreak. mtval is "either set to zero or" the faulting address (3.1.16);
       QEMU writes 0, sv39sim the address (checked in priv_strict.c). */
    priv_trap_clear();
    priv_exec_insn(prvs[i], INSN_EBREAK, 0);
    expect_trap(2, &priv_mtrap, CAUSE_BREAKPOINT, ANY_TVAL, prvs[i]);
    EXPECT_EQ(2, priv_mtrap.epc, buf_addr(), "mepc of ebreak");
    EXPECT(2, priv_mtrap.tval == 0 || priv_mtrap.tval == buf_addr(), "mtval of ebreak 0x%lx", priv_mtrap.tval);
    /* C.EBREAK (0x9002) then C.NOP (0x0001): same cause; the handler's 2-byte skip lands on the c.nop. */
    priv_trap_clear();
    priv_exec_insn(prvs[i], 0x00019002u, 0);
    expect_trap(3, &priv_mtrap, CAUSE_BREAKPOINT, ANY_TVAL, prvs[i]);
    EXPECT_EQ(3, priv_mtrap.epc, buf_addr(), "mepc of c.ebreak");
    /* The all-zero 16-bit parcel is defined illegal; mtval = its bits (0), then C.NOP. */
    priv_trap_clear();
    priv_exec_insn(prvs[i], 0x00010000u, 0);
    expect_trap(4, &priv_mtrap, CAUSE_ILLEGAL_INSN, 0, prvs[i]);
    EXPECT_EQ(4, priv_mtrap.epc, buf_addr(), "mepc of illegal instruction");
  }
}

/* An exception from U or S goes to S iff its medeleg bit is set; from M it always stays in M. */
static void test_exception_delegation(void) {
  /* ECALL from U: medeleg[8] clear -> M; set -> S with sepc, scause, stval=0, SPP=U. */
  write_csr(medeleg, 0);
  priv_trap_clear();
  priv_exec_insn(PRV_U, INSN_ECALL, 0);
  expect_trap(5, &priv_mtrap, CAUSE_ECALL_U, 0, PRV_U);
  write_csr(medeleg, 1UL << CAUSE_ECALL_U);
  priv_trap_clear();
  priv_exec_insn(PRV_U, INSN_ECALL, 0);
  expect_trap(6, &priv_strap, CAUSE_ECALL_U, 0, PRV_U);
  EXPECT_EQ(6, priv_strap.epc, buf_addr(), "sepc of delegated ecall from U");
  /* medeleg[9] only affects S: ecall from U goes to M again. */
  write_csr(medeleg, 1UL << CAUSE_ECALL_S);
  priv_trap_clear();
  priv_exec_insn(PRV_U, INSN_ECALL, 0);
  expect_trap(7, &priv_mtrap, CAUSE_ECALL_U, 0, PRV_U);
  /* ECALL from S with medeleg[9]: S handles it, SPP=S. Without: M, MPP=S. */
  priv_trap_clear();
  priv_exec_insn(PRV_S, INSN_ECALL, 0);
  expect_trap(8, &priv_strap, CAUSE_ECALL_S, 0, PRV_S);
  write_csr(medeleg, 0);
  priv_trap_clear();
  priv_exec_insn(PRV_S, INSN_ECALL, 0);
  expect_trap(9, &priv_mtrap, CAUSE_ECALL_S, 0, PRV_S);

  /* Illegal instruction and breakpoint, delegated and not, from U and S. */
  static const int prvs[] = {PRV_U, PRV_S};
  for (unsigned p = 0; p < 2; p++) {
    uint32_t bad = CSR_READ(0x300); /* csrr a0, mstatus: illegal below M, mtval = the bits */
    write_csr(medeleg, 1UL << CAUSE_ILLEGAL_INSN);
    priv_trap_clear();
    priv_exec_insn(prvs[p], bad, 0);
    expect_trap(10, &priv_strap, CAUSE_ILLEGAL_INSN, bad, prvs[p]);
    write_csr(medeleg, 1UL << CAUSE_BREAKPOINT);
    priv_trap_clear();
    priv_exec_insn(prvs[p], bad, 0);
    expect_trap(11, &priv_mtrap, CAUSE_ILLEGAL_INSN, bad, prvs[p]);
    priv_trap_clear();
    priv_exec_insn(prvs[p], INSN_EBREAK, 0);
    expect_trap(12, &priv_strap, CAUSE_BREAKPOINT, ANY_TVAL, prvs[p]);
    EXPECT_EQ(12, priv_strap.epc, buf_addr(), "sepc of delegated ebreak");
  }

  /* From M nothing is ever delegated: set every delegable bit, ecall/ebreak/illegal stay in M. */
  write_csr(medeleg, ~0UL);
  priv_trap_clear();
  priv_exec_insn(PRV_M, INSN_ECALL, 0);
  expect_trap(13, &priv_mtrap, CAUSE_ECALL_M, 0, PRV_M);
  priv_trap_clear();
  priv_exec_insn(PRV_M, INSN_EBREAK, 0);
  expect_trap(13, &priv_mtrap, CAUSE_BREAKPOINT, ANY_TVAL, PRV_M);
  priv_trap_clear();
  priv_exec_insn(PRV_M, CSR_READ(0x7ff), 0);
  expect_trap(13, &priv_mtrap, CAUSE_ILLEGAL_INSN, CSR_READ(0x7ff), PRV_M);
  write_csr(medeleg, 0);
}

/* xIE/xPIE/xPP on entry: xPIE <- xIE, xIE <- 0, xPP <- previous privilege. */
static long s_ecall_report(long sie) {
  if (sie)
    set_csr(sstatus, MSTATUS_SIE);
  else
    clear_csr(sstatus, MSTATUS_SIE);
  __asm__ volatile("ecall" ::: "memory"); /* medeleg[9]: into S, and back here by SRET */
  return (long)read_csr(sstatus);
}

static long s_sret_to_s(long spie) {
  /* SRET with SPP=S: stays in S. After it: SIE = old SPIE, SPIE = 1, SPP = U (least privileged). */
  uint64_t st;
  clear_csr(sstatus, MSTATUS_SIE | MSTATUS_SPIE);
  set_csr(sstatus, MSTATUS_SPP | (spie ? MSTATUS_SPIE : 0));
  __asm__ volatile("la t0, 1f\n csrw sepc, t0\n sret\n 1: csrr %0, sstatus" : "=r"(st) : : "t0", "memory");
  clear_csr(sstatus, MSTATUS_SIE);
  return (long)st;
}

static uint64_t mret_to_m(uint64_t set, uint64_t clear) {
  uint64_t st;
  __asm__ volatile("csrc mstatus, %2\n csrs mstatus, %1\n la t0, 1f\n csrw mepc, t0\n mret\n 1: csrr %0, mstatus"
                   : "=r"(st)
                   : "r"(set), "r"(clear)
                   : "t0", "memory");
  return st;
}

static void test_status_stack(void) {
  /* Into M from U and S: MPIE = the MIE the lower mode ran with (MRET loaded it from MPIE), MIE = 0. */
  static const int prvs[] = {PRV_U, PRV_S};
  for (unsigned p = 0; p < 2; p++)
    for (int mpie = 0; mpie < 2; mpie++) {
      if (mpie)
        set_csr(mstatus, MSTATUS_MPIE);
      else
        clear_csr(mstatus, MSTATUS_MPIE);
      priv_trap_clear();
      priv_exec_insn(prvs[p], INSN_ECALL, 0);
      expect_trap(14, &priv_mtrap, prvs[p] == PRV_U ? CAUSE_ECALL_U : CAUSE_ECALL_S, 0, prvs[p]);
      EXPECT_EQ(14, !!(priv_mtrap.status & MSTATUS_MPIE), mpie, "mstatus.MPIE on entry (= MIE before)");
      EXPECT_EQ(14, priv_mtrap.status & MSTATUS_MIE, 0, "mstatus.MIE on entry");
    }
  clear_csr(mstatus, MSTATUS_MPIE);
  /* Into M from M with MIE=1 (nothing enabled in mie): MPIE=1, MIE=0, MPP=M. */
  set_csr(mstatus, MSTATUS_MIE);
  priv_trap_clear();
  __asm__ volatile("ecall" ::: "memory");
  clear_csr(mstatus, MSTATUS_MIE);
  expect_trap(15, &priv_mtrap, CAUSE_ECALL_M, 0, PRV_M);
  EXPECT(15, (priv_mtrap.status & (MSTATUS_MPIE | MSTATUS_MIE)) == MSTATUS_MPIE,
         "M->M entry: mstatus=0x%lx, want MPIE=1 MIE=0", priv_mtrap.status);

  /* Into S from S: SPIE = SIE before, SIE = 0, SPP = S; after SRET: SIE restored, SPIE = 1, SPP = U. */
  write_csr(medeleg, 1UL << CAUSE_ECALL_S);
  for (int sie = 0; sie < 2; sie++) {
    priv_trap_clear();
    uint64_t after = (uint64_t)priv_run(PRV_S, s_ecall_report, sie);
    expect_trap(16, &priv_strap, CAUSE_ECALL_S, 0, PRV_S);
    EXPECT_EQ(16, !!(priv_strap.status & MSTATUS_SPIE), sie, "sstatus.SPIE on entry");
    EXPECT_EQ(16, priv_strap.status & MSTATUS_SIE, 0, "sstatus.SIE on entry");
    EXPECT_EQ(17, !!(after & MSTATUS_SIE), sie, "sstatus.SIE after SRET");
    EXPECT_EQ(17, !!(after & MSTATUS_SPIE), 1, "sstatus.SPIE after SRET");
    EXPECT_EQ(17, after & MSTATUS_SPP, 0, "sstatus.SPP after SRET (U)");
  }
  write_csr(medeleg, 1UL << CAUSE_ECALL_U);
  /* Into S from U: SPP = U. */
  priv_trap_clear();
  priv_exec_insn(PRV_U, INSN_ECALL, 0);
  expect_trap(18, &priv_strap, CAUSE_ECALL_U, 0, PRV_U);
  EXPECT_EQ(18, priv_strap.status & MSTATUS_SPP, 0, "sstatus.SPP from U");
  write_csr(medeleg, 0);

  /* SRET from S to S: SIE = SPIE, SPIE = 1, SPP = U. */
  for (int spie = 0; spie < 2; spie++) {
    priv_trap_clear();
    uint64_t st = (uint64_t)priv_run(PRV_S, s_sret_to_s, spie);
    expect_no_trap(19, "sret S->S");
    EXPECT_EQ(19, !!(st & MSTATUS_SIE), spie, "SIE after SRET");
    EXPECT_EQ(19, !!(st & MSTATUS_SPIE), 1, "SPIE after SRET");
    EXPECT_EQ(19, st & MSTATUS_SPP, 0, "SPP after SRET");
  }

  /* MRET from M to M: MIE = MPIE, MPIE = 1, MPP = U; MPRV untouched because MPP was M. */
  for (int mpie = 0; mpie < 2; mpie++) {
    uint64_t st = mret_to_m((3UL << MSTATUS_MPP_SHIFT) | (mpie ? MSTATUS_MPIE : 0) | MSTATUS_MPRV,
                            MSTATUS_MIE | MSTATUS_MPIE);
    clear_csr(mstatus, MSTATUS_MPRV | MSTATUS_MIE); /* MPRV with MPP=U would make our stores U stores */
    EXPECT_EQ(20, !!(st & MSTATUS_MIE), mpie, "MIE after MRET");
    EXPECT_EQ(20, !!(st & MSTATUS_MPIE), 1, "MPIE after MRET");
    EXPECT_EQ(20, (st & MSTATUS_MPP) >> MSTATUS_MPP_SHIFT, PRV_U, "MPP after MRET");
    EXPECT(20, st & MSTATUS_MPRV, "MRET to M cleared MPRV");
  }
  /* (MRET to S or U must clear MPRV (1.12); QEMU 7.2 does not, so that check is in priv_strict.c.) */
}

static void clear_ssip_hook(uint64_t cause) {
  (void)cause;
  clear_csr(mip, MIP_SSIP); /* M hook; also used from S via sip below */
}
static void s_clear_ssip_hook(uint64_t cause) {
  (void)cause;
  clear_csr(sip, MIP_SSIP);
}
static long nothing(long x) { return x; }

static void test_interrupt_delegation(void) {
  priv_m_irq_hook = clear_ssip_hook;
  priv_s_irq_hook = s_clear_ssip_hook;
  write_csr(mie, MIP_SSIP);

  /* mideleg[1]=0: SSIP is an M-handled interrupt, always enabled in U and S, epc = first instruction. */
  write_csr(mideleg, 0);
  static const int prvs[] = {PRV_U, PRV_S};
  for (unsigned p = 0; p < 2; p++) {
    priv_trap_clear();
    set_csr(mip, MIP_SSIP);
    priv_run(prvs[p], nothing, 0);
    expect_trap(22, &priv_mtrap, CAUSE_IRQ(IRQ_S_SOFT), 0, prvs[p]);
    EXPECT_EQ(22, priv_mtrap.epc, (uintptr_t)priv_lower_entry, "mepc of the interrupt");
  }
  /* In M it waits for mstatus.MIE and is taken right after the csrsi that sets it. */
  priv_trap_clear();
  set_csr(mip, MIP_SSIP);
  expect_no_trap(23, "SSIP pending in M with MIE=0");
  ((void (*)(void))(uintptr_t)m_mie_on)();
  expect_trap(23, &priv_mtrap, CAUSE_IRQ(IRQ_S_SOFT), 0, PRV_M);
  EXPECT_EQ(23, priv_mtrap.epc, (uintptr_t)m_mie_on_after, "mepc after csrsi mstatus.MIE");

  /* mideleg[1]=1: goes to S. From U always (epc = first U instruction, SPP=U). */
  write_csr(mideleg, MIP_SSIP);
  priv_trap_clear();
  set_csr(mip, MIP_SSIP);
  priv_run(PRV_U, nothing, 0);
  expect_trap(24, &priv_strap, CAUSE_IRQ(IRQ_S_SOFT), 0, PRV_U);
  EXPECT_EQ(24, priv_strap.epc, (uintptr_t)priv_lower_entry, "sepc of the interrupt from U");
  /* From S only once sstatus.SIE is set. */
  clear_csr(mstatus, MSTATUS_SIE);
  priv_trap_clear();
  set_csr(mip, MIP_SSIP);
  priv_run(PRV_S, (long (*)(long))(uintptr_t)s_sie_on, 0);
  expect_trap(25, &priv_strap, CAUSE_IRQ(IRQ_S_SOFT), 0, PRV_S);
  EXPECT_EQ(25, priv_strap.epc, (uintptr_t)s_sie_on_after, "sepc after csrsi sstatus.SIE");
  EXPECT(25, priv_strap.status & MSTATUS_SPIE, "SPIE on interrupt entry (SIE was 1)");
  clear_csr(mstatus, MSTATUS_SIE);
  /* Delegated interrupts are never taken in M, even with MIE=1 (and S interrupts are masked in M). */
  priv_trap_clear();
  set_csr(mip, MIP_SSIP);
  set_csr(mstatus, MSTATUS_MIE | MSTATUS_SIE);
  for (volatile int i = 0; i < 100; i++) {
  }
  clear_csr(mstatus, MSTATUS_MIE | MSTATUS_SIE);
  expect_no_trap(26, "delegated SSIP pending in M with MIE=1");
  clear_csr(mip, MIP_SSIP);
  write_csr(mideleg, 0);
  write_csr(mie, 0);
  priv_m_irq_hook = 0;
  priv_s_irq_hook = 0;
}

static void m_irq_clear_all(uint64_t cause) {
  switch (cause & 63) {
    case IRQ_S_SOFT: clear_csr(mip, MIP_SSIP); break;
    case IRQ_M_SOFT: MMIO32(CLINT_MSIP) = 0; break;
    case IRQ_M_TIMER: clint_set_mtimecmp(~0UL); break;
    case IRQ_S_TIMER: clear_csr(mip, MIP_STIP); break;
    default: clear_csr(mie, 1UL << (cause & 63)); break;
  }
}

static void vec_clear(void) {
  for (int k = 0; k < 16; k++) vec_hits_m[k] = vec_hits_s[k] = 0;
}

/* Exactly one pass through entry `k` of the M (or S) table since vec_clear(), none elsewhere, apart
   from `m0` passes through M entry 0 (priv_run's return trap). */
static void expect_vec(int code, volatile uint64_t *hits, unsigned k, const volatile uint64_t *other, uint64_t m0) {
  for (unsigned i = 0; i < 16; i++) {
    uint64_t want = (i == k ? 1 : 0) + (hits == vec_hits_m && i == 0 ? m0 : 0);
    EXPECT(code, hits[i] == want, "%s vector entry %u used %lu times, want %lu", hits == vec_hits_m ? "mtvec" : "stvec",
           i, hits[i], want);
    want = other == vec_hits_m && i == 0 ? m0 : 0;
    EXPECT(code, other[i] == want, "%s vector entry %u used %lu times, want %lu",
           other == vec_hits_m ? "mtvec" : "stvec", i, other[i], want);
  }
}

static void test_vectored(void) {
  priv_m_irq_hook = m_irq_clear_all;
  write_csr(mtvec, (uintptr_t)vec_m_table | 1);
  write_csr(stvec, (uintptr_t)vec_s_table | 1);
  EXPECT_EQ(27, read_csr(mtvec), (uintptr_t)vec_m_table | 1, "mtvec vectored");
  EXPECT_EQ(27, read_csr(stvec), (uintptr_t)vec_s_table | 1, "stvec vectored");

  /* Exceptions go to BASE: the ecall, then priv_run's return ecall. */
  vec_clear();
  priv_trap_clear();
  priv_exec_insn(PRV_U, INSN_ECALL, 0);
  expect_trap(28, &priv_mtrap, CAUSE_ECALL_U, 0, PRV_U);
  expect_vec(28, vec_hits_m, 0, vec_hits_s, 1);

  /* Interrupts go to BASE + 4*cause: SSIP (1), MSIP via the CLINT (3), MTIP via mtimecmp (7), STIP (5). */
  static const unsigned irqs[] = {IRQ_S_SOFT, IRQ_M_SOFT, IRQ_M_TIMER, IRQ_S_TIMER};
  for (unsigned i = 0; i < 4; i++) {
    unsigned irq = irqs[i];
    vec_clear();
    priv_trap_clear();
    write_csr(mie, 1UL << irq);
    switch (irq) {
      case IRQ_S_SOFT: set_csr(mip, MIP_SSIP); break;
      case IRQ_M_SOFT: MMIO32(CLINT_MSIP) = 1; break;
      case IRQ_M_TIMER: clint_set_mtimecmp(0); break;
      case IRQ_S_TIMER: set_csr(mip, MIP_STIP); break;
    }
    priv_run(PRV_U, nothing, 0); /* M-handled interrupts are always enabled in U */
    expect_trap(29, &priv_mtrap, CAUSE_IRQ(irq), 0, PRV_U);
    expect_vec(29, vec_hits_m, irq, vec_hits_s, 1);
  }
  write_csr(mie, 0);

  /* stvec: delegated exception to BASE, delegated SSIP to entry 1, delegated STIP to entry 5. */
  write_csr(medeleg, 1UL << CAUSE_ECALL_U);
  vec_clear();
  priv_trap_clear();
  priv_exec_insn(PRV_U, INSN_ECALL, 0);
  expect_trap(30, &priv_strap, CAUSE_ECALL_U, 0, PRV_U);
  expect_vec(30, vec_hits_s, 0, vec_hits_m, 1);
  write_csr(medeleg, 0);
  write_csr(mideleg, MIP_SSIP | MIP_STIP);
  priv_s_irq_hook = s_clear_ssip_hook;
  vec_clear();
  priv_trap_clear();
  write_csr(mie, MIP_SSIP);
  set_csr(mip, MIP_SSIP);
  priv_run(PRV_U, nothing, 0);
  expect_trap(31, &priv_strap, CAUSE_IRQ(IRQ_S_SOFT), 0, PRV_U);
  expect_vec(31, vec_hits_s, IRQ_S_SOFT, vec_hits_m, 1);
  /* STIP cannot be cleared from S (read-only in sip): the S hook disables sie.STIE, M clears STIP. */
  priv_s_irq_hook = 0;
  vec_clear();
  priv_trap_clear();
  write_csr(mie, MIP_STIP);
  set_csr(mip, MIP_STIP);
  priv_run(PRV_U, nothing, 0);
  clear_csr(mip, MIP_STIP);
  expect_trap(32, &priv_strap, CAUSE_IRQ(IRQ_S_TIMER), 0, PRV_U);
  expect_vec(32, vec_hits_s, IRQ_S_TIMER, vec_hits_m, 1);
  EXPECT_EQ(32, read_csr(mie), 0, "mie.STIE cleared through sie by the S handler");

  write_csr(mideleg, 0);
  write_csr(mtvec, (uintptr_t)priv_mtrap_entry);
  write_csr(stvec, (uintptr_t)priv_strap_entry);
  priv_m_irq_hook = 0;
}

int main(void) {
  priv_init();
  test_causes();
  test_exception_delegation();
  test_status_stack();
  test_interrupt_delegation();
  test_vectored();
  priv_pass("priv_traps");
}
