// Debug triggers: sv39sim's documented choices within Sdtrig 1.0, beyond what priv_triggers.c checks on
// both platforms (QEMU 7.2 writes tval 0 for trigger breakpoints and implements fewer tdata1 fields): 4
// triggers, tinfo version 1 with types 2 and 6, tval = the address that matched, writing 0 disables
// (type 15), dmode and tdata3 stay 0, no tcontrol/mcontext; mcontrol match >= and <, mcontrol6 NAPOT
// (maskmax6 = 63), access and instruction sizes, LR as a load and SC as a store only when it will store.
// qemu: skip
#include "priv.h"
#include "triggers.h"

#define MATCH(m) ((uint64_t)(m) << 7)
#define DMODE (1UL << 59)
#define MC_MASKMAX (0x3fUL << 53)
#define MC_SIZE(s) ((((uint64_t)(s)&3) << 16) | ((((uint64_t)(s) >> 2) & 3) << 21)) /* sizelo, sizehi */
#define MC6_SIZE(s) ((uint64_t)(s) << 16)

extern char trig_target[], trig_ld_insn[], trig_lw_insn[], trig_lr_insn[], trig_sc_insn[];
long trig_target_fn(long), trig_ld(long), trig_lw(long), trig_lr(long), trig_sc(long);
__asm__(
    ".pushsection .text.trig, \"ax\"\n.option push\n.option norvc\n"
    ".balign 64\n"
    ".globl trig_target, trig_target_fn\ntrig_target:\ntrig_target_fn:\n  addi a0, a0, 1\n  ret\n"
    ".globl trig_ld, trig_ld_insn\ntrig_ld:\n  mv t0, a0\ntrig_ld_insn:\n  ld a0, 0(t0)\n  ret\n"
    ".globl trig_lw, trig_lw_insn\ntrig_lw:\n  mv t0, a0\ntrig_lw_insn:\n  lw a0, 0(t0)\n  ret\n"
    ".globl trig_lr, trig_lr_insn\ntrig_lr:\n  mv t0, a0\ntrig_lr_insn:\n  lr.d a0, (t0)\n  ret\n"
    /* sc.d: a0 = address; returns 0 on success, 1 on failure, the address if skipped */
    ".globl trig_sc, trig_sc_insn\ntrig_sc:\n  mv t0, a0\ntrig_sc_insn:\n  sc.d a0, t0, (t0)\n  ret\n"
    ".option pop\n.popsection\n");

static volatile uint64_t data[4] __attribute__((aligned(64)));
#define BASE ((uintptr_t)&data[0])
#define HIGH 0x90000000UL /* above RAM: no device */
#define LOW 0x100UL       /* below every device */

static void expect_break(int code, uint64_t epc, uint64_t tval) {
  expect_trap(code, &priv_mtrap, CAUSE_BREAKPOINT, tval, PRV_M);
  EXPECT_EQ(code, priv_mtrap.epc, epc, "mepc of the breakpoint");
}

static void set(unsigned i, uint64_t tdata1, uint64_t tdata2) {
  tselect_w(i);
  tdata1_w(TYPE(2));
  tdata2_w(tdata2);
  tdata1_w(tdata1);
}

static void off(void) {
  for (unsigned i = 0; i < 4; i++) {
    tselect_w(i);
    tdata1_w(0);
  }
}

int main(void) {
  priv_init();

  /* 1. Four triggers, each taking types 2 and 6, tinfo.version 1; tselect ignores 4 and beyond. */
  for (unsigned i = 0; i < 4; i++) {
    tselect_w(i);
    EXPECT_EQ(1, tselect_r(), i, "tselect");
    EXPECT_EQ(1, tinfo_r(), (1UL << 24) | (1 << 2) | (1 << 6), "tinfo");
    EXPECT_EQ(1, tdata1_r(), TYPE(2), "tdata1 at reset: an mcontrol matching nothing");
  }
  tselect_w(4);
  EXPECT_EQ(1, tselect_r(), 3, "tselect after writing 4");

  /* 2. Writing 0, or a type the trigger cannot take (3, icount), disables it: type 15, nothing else. */
  set(0, TYPE(2) | T_M | T_LOAD, BASE);
  tdata1_w(0);
  EXPECT_EQ(2, tdata1_r(), TYPE(15), "tdata1 after writing 0");
  priv_trap_clear();
  trig_ld(BASE);
  expect_no_trap(2, "load after the trigger was disabled");
  tdata1_w(TYPE(3) | T_M | T_LOAD);
  EXPECT_EQ(2, tdata1_r(), TYPE(15), "tdata1 after writing type 3");

  /* 3. dmode is writable from Debug Mode only; the rest of the write is taken. maskmax reads 0. tdata3
     (textra) is zero: no extra conditions. tcontrol and mcontext do not exist; S-mode has no access. */
  set(0, DMODE | MC_MASKMAX | TYPE(2) | T_M | T_LOAD, BASE);
  EXPECT_EQ(3, tdata1_r(), TYPE(2) | T_M | T_LOAD, "tdata1 after writing dmode and maskmax");
  tdata3_w(~0UL);
  EXPECT_EQ(3, tdata3_r(), 0, "tdata3");
  priv_trap_clear();
  trig_ld(BASE);
  expect_break(3, (uintptr_t)trig_ld_insn, BASE);
  off();
  static const uint16_t absent[] = {0x7a5, 0x7a8, 0x5a8, 0x7aa};
  for (unsigned i = 0; i < 4; i++) {
    priv_trap_clear();
    priv_exec_insn(PRV_M, CSR_READ(absent[i]), 0);
    expect_trap(3, &priv_mtrap, CAUSE_ILLEGAL_INSN, CSR_READ(absent[i]), PRV_M);
  }
  for (uint16_t c = 0x7a0; c <= 0x7a4; c++) {
    priv_trap_clear();
    priv_exec_insn(PRV_S, CSR_READ(c), 0);
    expect_trap(3, &priv_mtrap, CAUSE_ILLEGAL_INSN, CSR_READ(c), PRV_S);
  }

  /* 4. An execute breakpoint's mtval is the instruction's address (the spec's "faulting virtual address"
     for a trigger: the address that fired it). */
  set(0, TYPE(6) | T_M | T_EXEC, (uintptr_t)trig_target);
  priv_trap_clear();
  trig_target_fn(0);
  expect_break(4, (uintptr_t)trig_target, (uintptr_t)trig_target);
  off();

  /* 5. mcontrol: match 2 (>=) and 3 (<) on the accessed bytes; 1 (NAPOT) is not offered (maskmax 0).
     The bounds lie where no RAM or device is, so nothing but the test's own loads can match, and an
     access that does not match takes its access fault instead. */
  set(0, TYPE(2) | T_M | T_LOAD | MATCH(2), HIGH);
  EXPECT_EQ(5, tdata1_r(), TYPE(2) | T_M | T_LOAD | MATCH(2), "mcontrol match 2");
  priv_trap_clear();
  trig_ld(HIGH - 8);
  expect_trap(5, &priv_mtrap, CAUSE_LOAD_ACCESS, HIGH - 8, PRV_M);
  priv_trap_clear();
  trig_ld(HIGH - 4); /* bytes HIGH-4..HIGH+3: the first at or above HIGH fires */
  expect_break(5, (uintptr_t)trig_ld_insn, HIGH);
  set(0, TYPE(2) | T_M | T_LOAD | MATCH(3), LOW);
  priv_trap_clear();
  trig_ld(LOW);
  expect_trap(5, &priv_mtrap, CAUSE_LOAD_ACCESS, LOW, PRV_M);
  priv_trap_clear();
  trig_ld(LOW - 8);
  expect_break(5, (uintptr_t)trig_ld_insn, LOW - 8);
  set(0, TYPE(2) | T_M | T_LOAD | MATCH(1), BASE);
  EXPECT_EQ(5, tdata1_r(), TYPE(2) | T_M | T_LOAD, "mcontrol match 1 (unsupported) reads back");
  off();

  /* 6. mcontrol6 NAPOT: maskmax6 found the spec's way (match=1, write ones to tdata2, the most
     significant 0 bit + 1) is 63; tdata2 = BASE | 7 covers the 16 bytes from BASE. */
  set(0, TYPE(6) | T_M | T_LOAD | MATCH(1), 0);
  EXPECT_EQ(6, tdata1_r(), TYPE(6) | T_M | T_LOAD | MATCH(1), "mcontrol6 match 1");
  tdata2_w(~0UL);
  EXPECT_EQ(6, tdata2_r(), ~0UL & ~(1UL << 62), "tdata2 after writing ones under NAPOT");
  tdata2_w(BASE | 7);
  priv_trap_clear();
  trig_ld(BASE + 16);
  expect_no_trap(6, "load past a NAPOT range");
  trig_ld(BASE + 8);
  expect_break(6, (uintptr_t)trig_ld_insn, BASE + 8);
  off();

  /* 7. Sizes: a 32-bit load trigger ignores 64-bit loads; a 16-bit execute trigger ignores a 32-bit
     instruction (and is asked only once the length is known). Both encodings. */
  set(0, TYPE(6) | T_M | T_LOAD | MC6_SIZE(3), BASE);
  priv_trap_clear();
  trig_ld(BASE);
  expect_no_trap(7, "64-bit load, 32-bit trigger");
  trig_lw(BASE);
  expect_break(7, (uintptr_t)trig_lw_insn, BASE);
  set(0, TYPE(2) | T_M | T_LOAD | MC_SIZE(5), BASE);
  EXPECT_EQ(7, tdata1_r(), TYPE(2) | T_M | T_LOAD | MC_SIZE(5), "mcontrol sizehi:sizelo = 5");
  priv_trap_clear();
  trig_lw(BASE);
  expect_no_trap(7, "32-bit load, 64-bit trigger");
  trig_ld(BASE);
  expect_break(7, (uintptr_t)trig_ld_insn, BASE);
  set(0, TYPE(6) | T_M | T_EXEC | MC6_SIZE(2), (uintptr_t)trig_target);
  priv_trap_clear();
  trig_target_fn(0);
  expect_no_trap(7, "32-bit instruction, 16-bit trigger");
  set(0, TYPE(6) | T_M | T_EXEC | MC6_SIZE(3), (uintptr_t)trig_target);
  trig_target_fn(0);
  expect_break(7, (uintptr_t)trig_target, (uintptr_t)trig_target);
  set(0, TYPE(6) | T_M | T_EXEC | MC6_SIZE(4), (uintptr_t)trig_target);
  EXPECT_EQ(7, tdata1_r(), TYPE(6) | T_M | T_EXEC, "unsupported size 4 (48-bit) reads back as any");
  off();

  /* 8. LR is a load; SC a store only when it will store (without a reservation it fails and writes
     nothing: no store trigger fires). */
  set(0, TYPE(6) | T_M | T_LOAD, BASE);
  priv_trap_clear();
  trig_lr(BASE);
  expect_break(8, (uintptr_t)trig_lr_insn, BASE);
  set(0, TYPE(6) | T_M | T_STORE, BASE);
  priv_trap_clear();
  long r = trig_sc(BASE); /* the breakpoint above ended the reservation: this SC fails */
  expect_no_trap(8, "failing SC");
  EXPECT_EQ(8, r, 1, "SC result");
  trig_lr(BASE + 8);
  r = trig_sc(BASE + 8);
  EXPECT_EQ(8, r, 0, "SC to an unwatched address");
  expect_no_trap(8, "SC elsewhere");
  trig_lr(BASE);
  r = trig_sc(BASE);
  expect_break(8, (uintptr_t)trig_sc_insn, BASE);
  EXPECT_EQ(8, r, BASE, "a0 after the skipped SC");
  off();

  priv_pass("priv_triggers_strict");
}
