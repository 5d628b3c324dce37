/* Shared helpers for the privileged-architecture self-tests (priv_*.c).
 *
 * Header-only on purpose: every selftest .c file is its own ELF, so this header is included by exactly one
 * translation unit per image and may define globals and a top-level asm trap vector. No CMake change.
 *
 * What it gives a test:
 *   priv_init()              M and S trap vectors, trap stacks, PMP entry 0 = all memory RWX (without a
 *                            matching PMP entry S/U accesses fail), no delegation, bare satp.
 *   priv_mtrap / priv_strap  what the last trap into M / S recorded: cause, epc, tval, status at entry,
 *                            the privilege the trap came from, xip at entry, and how many traps arrived.
 *                            Exceptions are resumed at the next instruction (2 or 4 bytes, read from
 *                            memory), so a faulting instruction simply "did nothing".
 *                            Interrupts call priv_m_irq_hook / priv_s_irq_hook, which must clear the source;
 *                            without a hook the handler clears the interrupt's enable bit (mie or sie) so
 *                            a level-triggered source cannot trap forever.
 *   priv_run(p, fn, arg)     run fn(arg) in privilege p (U, S or M) and return its result. The way back to M
 *                            is a trap from a fixed return stub (ecall, or ebreak / illegal instruction if
 *                            medeleg would send the ecall to S), so it works under any delegation the test
 *                            sets up, as long as one of those three stays with M.
 *   priv_exec_insn(p, i, a)  write instruction word i followed by `ret` into a RAM buffer, fence.i, and run
 *                            it in privilege p with a0 = a; returns a0 afterwards. Lets tables of CSR
 *                            instructions (rd = rs1 = a0) be checked with exactly known encodings.
 *   EXPECT / EXPECT_EQ / expect_trap / expect_no_trap
 *                            check, print one line and rt_exit(case) on failure.
 */
#ifndef SV39SIM_PRIV_H
#define SV39SIM_PRIV_H

#include "runtime.h"

/* ---- Architectural constants (privileged spec v1.12) ---- */
#define PRV_U 0
#define PRV_S 1
#define PRV_M 3

#define MSTATUS_SIE (1UL << 1)
#define MSTATUS_MIE (1UL << 3)
#define MSTATUS_SPIE (1UL << 5)
#define MSTATUS_MPIE (1UL << 7)
#define MSTATUS_SPP (1UL << 8)
#define MSTATUS_MPP_SHIFT 11
#define MSTATUS_MPP (3UL << 11)
#define MSTATUS_MPRV (1UL << 17)
#define MSTATUS_SUM (1UL << 18)
#define MSTATUS_MXR (1UL << 19)
#define MSTATUS_TVM (1UL << 20)
#define MSTATUS_TW (1UL << 21)
#define MSTATUS_TSR (1UL << 22)

#define CAUSE_MISALIGNED_FETCH 0
#define CAUSE_FETCH_ACCESS 1
#define CAUSE_ILLEGAL_INSN 2
#define CAUSE_BREAKPOINT 3
#define CAUSE_MISALIGNED_LOAD 4
#define CAUSE_LOAD_ACCESS 5
#define CAUSE_MISALIGNED_STORE 6
#define CAUSE_STORE_ACCESS 7
#define CAUSE_ECALL_U 8
#define CAUSE_ECALL_S 9
#define CAUSE_ECALL_M 11

#define IRQ_S_SOFT 1
#define IRQ_M_SOFT 3
#define IRQ_S_TIMER 5
#define IRQ_M_TIMER 7
#define IRQ_S_EXT 9
#define IRQ_M_EXT 11
#define CAUSE_INTERRUPT (1UL << 63)
#define CAUSE_IRQ(n) (CAUSE_INTERRUPT | (n))

#define MIP_SSIP (1UL << IRQ_S_SOFT)
#define MIP_MSIP (1UL << IRQ_M_SOFT)
#define MIP_STIP (1UL << IRQ_S_TIMER)
#define MIP_MTIP (1UL << IRQ_M_TIMER)
#define MIP_SEIP (1UL << IRQ_S_EXT)
#define MIP_MEIP (1UL << IRQ_M_EXT)

/* Zicsr encodings: csr[31:20] rs1/uimm[19:15] funct3[14:12] rd[11:7] opcode SYSTEM = 0x73. */
#define F3_CSRRW 1
#define F3_CSRRS 2
#define F3_CSRRC 3
#define F3_CSRRWI 5
#define F3_CSRRSI 6
#define F3_CSRRCI 7
#define REG_A0 10
#define CSR_INSN(f3, csr, rd, rs1) \
  ((uint32_t)(((uint32_t)(csr) << 20) | ((uint32_t)(rs1) << 15) | ((uint32_t)(f3) << 12) | ((uint32_t)(rd) << 7) | 0x73))
/* The common shapes, all with rd = a0: read only (CSRRS rs1=x0), write a0 (CSRRW rs1=a0), ... */
#define CSR_READ(csr) CSR_INSN(F3_CSRRS, csr, REG_A0, 0)
#define CSR_WRITE(csr) CSR_INSN(F3_CSRRW, csr, REG_A0, REG_A0)
#define CSR_SET(csr) CSR_INSN(F3_CSRRS, csr, REG_A0, REG_A0)
#define CSR_CLEAR(csr) CSR_INSN(F3_CSRRC, csr, REG_A0, REG_A0)

/* Fixed SYSTEM instructions (privileged spec, "Instruction listing"). */
#define INSN_ECALL 0x00000073u
#define INSN_EBREAK 0x00100073u
#define INSN_SRET 0x10200073u
#define INSN_MRET 0x30200073u
#define INSN_WFI 0x10500073u
#define INSN_SFENCE_VMA_ALL 0x12000073u /* sfence.vma x0, x0 */
#define INSN_RET 0x00008067u            /* jalr x0, 0(ra) */
#define INSN_ADDI_A0(imm) ((uint32_t)(((uint32_t)(imm) << 20) | (10u << 7) | 0x13)) /* addi a0, x0, imm */

/* ---- Checking helpers ---- */
unsigned long priv_checks;

#define EXPECT(code, cond, ...)                                        \
  do {                                                                 \
    priv_checks++;                                                     \
    if (!(cond)) {                                                     \
      rt_printf("FAIL case %d (%s:%d): ", (int)(code), __FILE__, __LINE__); \
      rt_printf(__VA_ARGS__);                                          \
      rt_putc('\n');                                                   \
      rt_exit(code);                                                   \
    }                                                                  \
  } while (0)

#define EXPECT_EQ(code, got, want, what)                                                              \
  do {                                                                                                \
    uint64_t got_ = (uint64_t)(got), want_ = (uint64_t)(want);                                        \
    EXPECT(code, got_ == want_, "%s: got 0x%lx, want 0x%lx", (what), got_, want_);                  \
  } while (0)

/* ---- Trap records ---- */
struct priv_trap {
  uint64_t count;  /* traps taken since the last priv_trap_clear() */
  uint64_t cause;  /* mcause / scause */
  uint64_t epc;    /* mepc / sepc at entry */
  uint64_t tval;   /* mtval / stval */
  uint64_t status; /* mstatus (M handler) or sstatus (S handler) at entry */
  uint64_t from;   /* privilege the trap came from: MPP (M handler) or SPP (S handler) */
  uint64_t ip;     /* mip / sip at entry */
};
volatile struct priv_trap priv_mtrap, priv_strap;
/* Interrupt hooks: called with the cause; must clear the interrupt source. The S hook runs in S-mode. */
void (*volatile priv_m_irq_hook)(uint64_t cause);
void (*volatile priv_s_irq_hook)(uint64_t cause);
/* If non-zero, the next exception into M resumes here instead of at the next instruction (one-shot). */
volatile uint64_t priv_m_resume;

static inline void priv_trap_clear(void) {
  memset((void *)&priv_mtrap, 0, sizeof priv_mtrap);
  memset((void *)&priv_strap, 0, sizeof priv_strap);
}

#define ANY_TVAL (~0UL)
/* Exactly one trap arrived at handler t (and none at the other) with this cause, tval and origin. */
static inline void expect_trap_at(int code, int line, volatile struct priv_trap *t, uint64_t cause, uint64_t tval,
                                  int from) {
  const char *lvl = t == &priv_mtrap ? "M" : "S";
  volatile struct priv_trap *other = t == &priv_mtrap ? &priv_strap : &priv_mtrap;
  priv_checks++;
  if (t->count != 1 || other->count != 0 || t->cause != cause || (tval != ANY_TVAL && t->tval != tval) ||
      t->from != (uint64_t)from) {
    rt_printf("FAIL case %d (line %d): want 1 trap into %s cause=0x%lx tval=0x%lx from=%d; got M: n=%lu "
              "cause=0x%lx tval=0x%lx from=%lu epc=0x%lx, S: n=%lu cause=0x%lx tval=0x%lx from=%lu epc=0x%lx\n",
              code, line, lvl, cause, tval, from, priv_mtrap.count, priv_mtrap.cause, priv_mtrap.tval,
              priv_mtrap.from, priv_mtrap.epc, priv_strap.count, priv_strap.cause, priv_strap.tval, priv_strap.from,
              priv_strap.epc);
    rt_exit(code);
  }
}
#define expect_trap(code, t, cause, tval, from) expect_trap_at(code, __LINE__, t, cause, tval, from)

static inline void expect_no_trap_at(int code, int line, const char *what) {
  priv_checks++;
  if (priv_mtrap.count || priv_strap.count) {
    rt_printf("FAIL case %d (line %d): %s: unexpected trap; M: n=%lu cause=0x%lx epc=0x%lx tval=0x%lx, "
              "S: n=%lu cause=0x%lx epc=0x%lx tval=0x%lx\n",
              code, line, what, priv_mtrap.count, priv_mtrap.cause, priv_mtrap.epc, priv_mtrap.tval,
              priv_strap.count, priv_strap.cause, priv_strap.epc, priv_strap.tval);
    rt_exit(code);
  }
}
#define expect_no_trap(code, what) expect_no_trap_at(code, __LINE__, what)

__attribute__((noreturn)) static inline void priv_pass(const char *name) {
  rt_printf("%s: %lu checks passed\n", name, priv_checks);
  rt_exit(0);
}

/* ---- Trap handlers (C part) ---- */
extern char priv_ret_start[], priv_ret_end[];

static inline unsigned priv_insn_len(uint64_t pc) {
  /* Low two bits 11 = 32-bit instruction, else 16-bit (RVC). Fetch parcels are 16-bit aligned. */
  return (*(volatile uint16_t *)(uintptr_t)pc & 3) == 3 ? 4 : 2;
}

/* Returns 1 when the trap is the way back from priv_run (the asm then resumes priv_run's caller). */
__attribute__((used)) static int priv_mtrap_c(void) {
  uint64_t cause = read_csr(mcause), epc = read_csr(mepc);
  if (!(cause & CAUSE_INTERRUPT) && epc >= (uintptr_t)priv_ret_start && epc < (uintptr_t)priv_ret_end)
    return 1;
  uint64_t status = read_csr(mstatus);
  priv_mtrap.cause = cause;
  priv_mtrap.epc = epc;
  priv_mtrap.tval = read_csr(mtval);
  priv_mtrap.status = status;
  priv_mtrap.from = (status & MSTATUS_MPP) >> MSTATUS_MPP_SHIFT;
  priv_mtrap.ip = read_csr(mip);
  priv_mtrap.count++;
  if (cause & CAUSE_INTERRUPT) {
    if (priv_m_irq_hook)
      priv_m_irq_hook(cause);
    else
      clear_csr(mie, 1UL << (cause & 63));
  } else if (priv_m_resume) {
    write_csr(mepc, priv_m_resume);
    priv_m_resume = 0;
  } else {
    write_csr(mepc, epc + priv_insn_len(epc));
  }
  return 0;
}

__attribute__((used)) static void priv_strap_c(void) {
  uint64_t cause = read_csr(scause), epc = read_csr(sepc);
  uint64_t status = read_csr(sstatus);
  priv_strap.cause = cause;
  priv_strap.epc = epc;
  priv_strap.tval = read_csr(stval);
  priv_strap.status = status;
  priv_strap.from = (status & MSTATUS_SPP) ? PRV_S : PRV_U;
  priv_strap.ip = read_csr(sip);
  priv_strap.count++;
  if (cause & CAUSE_INTERRUPT) {
    if (priv_s_irq_hook)
      priv_s_irq_hook(cause);
    else
      clear_csr(sie, 1UL << (cause & 63));
  } else {
    write_csr(sepc, epc + priv_insn_len(epc));
  }
}

/* ---- Trap vectors, lower-privilege runner (asm) ----
 * Both vectors swap sp with xscratch, which holds the top of a private trap stack, so a trap from any
 * privilege (including M into M) lands on a good stack. The frame keeps all 31 registers; x2 (sp) is
 * the interrupted sp taken back from xscratch.
 * Both vectors are 64-byte aligned so they also work as vectored-mode bases (MODE=1) when a test
 * fills in its own table; here they are installed in direct mode. */
#define PRIV_FRAME 256
__attribute__((used, aligned(16))) static uint8_t priv_mstack[4096];
__attribute__((used, aligned(16))) static uint8_t priv_sstack[4096];
/* priv_run's saved M context: sp, mstatus. */
__attribute__((used)) static uint64_t priv_run_ctx[2];
/* Which instruction the return stub traps with: 0 ecall, 1 ebreak, 2 illegal (write to cycle). */
__attribute__((used)) static volatile uint64_t priv_return_kind;

#define PRIV_SAVE_REGS                                                                                       \
  "sd x1, 8(sp); sd x3, 24(sp); sd x4, 32(sp); sd x5, 40(sp); sd x6, 48(sp); sd x7, 56(sp)\n"               \
  "sd x8, 64(sp); sd x9, 72(sp); sd x10, 80(sp); sd x11, 88(sp); sd x12, 96(sp); sd x13, 104(sp)\n"        \
  "sd x14, 112(sp); sd x15, 120(sp); sd x16, 128(sp); sd x17, 136(sp); sd x18, 144(sp); sd x19, 152(sp)\n" \
  "sd x20, 160(sp); sd x21, 168(sp); sd x22, 176(sp); sd x23, 184(sp); sd x24, 192(sp); sd x25, 200(sp)\n" \
  "sd x26, 208(sp); sd x27, 216(sp); sd x28, 224(sp); sd x29, 232(sp); sd x30, 240(sp); sd x31, 248(sp)\n"
#define PRIV_RESTORE_REGS                                                                                    \
  "ld x1, 8(sp); ld x3, 24(sp); ld x4, 32(sp); ld x5, 40(sp); ld x6, 48(sp); ld x7, 56(sp)\n"               \
  "ld x8, 64(sp); ld x9, 72(sp); ld x10, 80(sp); ld x11, 88(sp); ld x12, 96(sp); ld x13, 104(sp)\n"        \
  "ld x14, 112(sp); ld x15, 120(sp); ld x16, 128(sp); ld x17, 136(sp); ld x18, 144(sp); ld x19, 152(sp)\n" \
  "ld x20, 160(sp); ld x21, 168(sp); ld x22, 176(sp); ld x23, 184(sp); ld x24, 192(sp); ld x25, 200(sp)\n" \
  "ld x26, 208(sp); ld x27, 216(sp); ld x28, 224(sp); ld x29, 232(sp); ld x30, 240(sp); ld x31, 248(sp)\n"

__asm__(
    ".pushsection .text.priv, \"ax\"\n"
    ".option push\n"
    ".option norvc\n" /* 4-byte ebreak/ecall in the return stub; fixed sizes everywhere below */
    /* -- M-mode vector -- */
    ".balign 64\n"
    ".globl priv_mtrap_entry\n"
    "priv_mtrap_entry:\n"
    "  csrrw sp, mscratch, sp\n"
    "  addi sp, sp, -256\n" PRIV_SAVE_REGS
    "  csrr t0, mscratch\n"
    "  sd t0, 16(sp)\n"
    "  call priv_mtrap_c\n"
    "  bnez a0, 1f\n"
    "  addi t0, sp, 256\n"
    "  csrw mscratch, t0\n" PRIV_RESTORE_REGS
    "  ld sp, 16(sp)\n"
    "  mret\n"
    /* Back from priv_run: result = the a0 the lower-privilege code had, then resume priv_run's caller
       with its callee-saved registers and its mstatus.MIE (trap entry cleared MIE). */
    "1:\n"
    "  ld a0, 80(sp)\n"
    "  addi t0, sp, 256\n"
    "  csrw mscratch, t0\n"
    "  la t0, priv_run_ctx\n"
    "  ld sp, 0(t0)\n"
    "  ld t1, 8(t0)\n"
    "  andi t1, t1, 8\n" /* MSTATUS_MIE */
    "  csrs mstatus, t1\n"
    "  ld ra, 0(sp); ld s0, 8(sp); ld s1, 16(sp); ld s2, 24(sp); ld s3, 32(sp); ld s4, 40(sp)\n"
    "  ld s5, 48(sp); ld s6, 56(sp); ld s7, 64(sp); ld s8, 72(sp); ld s9, 80(sp); ld s10, 88(sp)\n"
    "  ld s11, 96(sp)\n"
    "  addi sp, sp, 112\n"
    "  ret\n"
    /* -- S-mode vector -- */
    ".balign 64\n"
    ".globl priv_strap_entry\n"
    "priv_strap_entry:\n"
    "  csrrw sp, sscratch, sp\n"
    "  addi sp, sp, -256\n" PRIV_SAVE_REGS
    "  csrr t0, sscratch\n"
    "  sd t0, 16(sp)\n"
    "  call priv_strap_c\n"
    "  addi t0, sp, 256\n"
    "  csrw sscratch, t0\n" PRIV_RESTORE_REGS
    "  ld sp, 16(sp)\n"
    "  sret\n"
    /* -- long priv_run_lower(priv a0, fn a1, arg a2): mret into priv with a0 = arg, then call fn -- */
    ".globl priv_run_lower\n"
    "priv_run_lower:\n"
    "  addi sp, sp, -112\n"
    "  sd ra, 0(sp); sd s0, 8(sp); sd s1, 16(sp); sd s2, 24(sp); sd s3, 32(sp); sd s4, 40(sp)\n"
    "  sd s5, 48(sp); sd s6, 56(sp); sd s7, 64(sp); sd s8, 72(sp); sd s9, 80(sp); sd s10, 88(sp)\n"
    "  sd s11, 96(sp)\n"
    "  la t0, priv_run_ctx\n"
    "  sd sp, 0(t0)\n"
    "  csrr t1, mstatus\n"
    "  sd t1, 8(t0)\n"
    "  li t2, 0x1800\n" /* MSTATUS_MPP */
    "  csrc mstatus, t2\n"
    "  slli t3, a0, 11\n"
    "  csrs mstatus, t3\n"
    "  la t4, priv_lower_entry\n"
    "  csrw mepc, t4\n"
    "  mv a0, a2\n"
    "  mret\n"
    ".globl priv_lower_entry\n"
    "priv_lower_entry:\n"
    "  jalr a1\n"
    "  la t0, priv_return_kind\n"
    "  ld t0, 0(t0)\n"
    "  beqz t0, 2f\n"
    "  addi t0, t0, -1\n"
    "  beqz t0, 3f\n"
    ".globl priv_ret_start\n"
    "priv_ret_start:\n"
    "  .4byte 0xc0001073\n" /* csrrw x0, cycle, x0: write to a read-only CSR, illegal everywhere */
    "  j .\n"
    "2: ecall\n"
    "  j .\n"
    "3: ebreak\n"
    "  j .\n"
    ".globl priv_ret_end\n"
    "priv_ret_end:\n"
    ".option pop\n"
    ".popsection\n");

extern char priv_mtrap_entry[], priv_strap_entry[];
/* First instruction run in the lower privilege by priv_run (where a pending interrupt is taken). */
extern char priv_lower_entry[];
long priv_run_lower(long priv, long (*fn)(long), long arg);

/* Run fn(arg) in privilege `priv` and return its result (see the top of this file). */
static inline long priv_run(int priv, long (*fn)(long), long arg) {
  if (priv == PRV_M) return fn(arg);
  uint64_t deleg = read_csr(medeleg);
  unsigned ecall_cause = priv == PRV_U ? CAUSE_ECALL_U : CAUSE_ECALL_S;
  if (!((deleg >> ecall_cause) & 1))
    priv_return_kind = 0;
  else if (!((deleg >> CAUSE_BREAKPOINT) & 1))
    priv_return_kind = 1;
  else if (!((deleg >> CAUSE_ILLEGAL_INSN) & 1))
    priv_return_kind = 2;
  else {
    rt_printf("priv_run: medeleg=0x%lx delegates every return trap\n", deleg);
    rt_exit(254);
  }
  return priv_run_lower(priv, fn, arg);
}

/* Instruction buffer for priv_exec_insn: [insn][ret]. */
__attribute__((aligned(16))) static uint32_t priv_insn_buf[4];

static inline long priv_exec_insn(int priv, uint32_t insn, long a0) {
  priv_insn_buf[0] = insn;
  priv_insn_buf[1] = INSN_RET;
  __asm__ volatile("fence.i" ::: "memory");
  return priv_run(priv, (long (*)(long))(uintptr_t)priv_insn_buf, a0);
}

/* CLINT helpers (M-mode). */
static inline uint64_t clint_mtime(void) { return MMIO64(CLINT_MTIME); }
static inline void clint_set_mtimecmp(uint64_t v) { MMIO64(CLINT_MTIMECMP) = v; }

/* M-mode setup every priv test starts with. */
static inline void priv_init(void) {
  /* PMP entry 0: NAPOT over the whole address space, R W X, so S and U may touch everything. */
  write_csr(pmpaddr0, ~0UL);
  write_csr(pmpcfg0, 0x1f);
  write_csr(mscratch, (uintptr_t)(priv_mstack + sizeof priv_mstack));
  write_csr(sscratch, (uintptr_t)(priv_sstack + sizeof priv_sstack));
  write_csr(mtvec, (uintptr_t)priv_mtrap_entry);
  write_csr(stvec, (uintptr_t)priv_strap_entry);
  write_csr(medeleg, 0);
  write_csr(mideleg, 0);
  write_csr(mie, 0);
  write_csr(satp, 0);
  /* mtimecmp has no architectural reset value (QEMU starts it at 0, i.e. MTIP pending): park it. */
  clint_set_mtimecmp(~0UL);
  MMIO32(CLINT_MSIP) = 0;
  clear_csr(mip, MIP_SSIP | MIP_STIP);
  clear_csr(mstatus, MSTATUS_MIE | MSTATUS_SIE | MSTATUS_MPRV | MSTATUS_TVM | MSTATUS_TW | MSTATUS_TSR);
  priv_m_irq_hook = 0;
  priv_s_irq_hook = 0;
  priv_m_resume = 0;
  priv_trap_clear();
}


#endif
