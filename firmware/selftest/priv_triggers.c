// Debug triggers (Sdtrig, RISC-V Debug Specification 1.0): enumeration the way the spec (and OpenSBI)
// probes, and mcontrol (type 2) / mcontrol6 (type 6) address triggers with action 0 on execute, load and
// store: breakpoint exception (cause 3) at the instruction, which does not execute, with tval the address
// that matched; only in the privilege modes the trigger enables; above the access faults of the same
// instruction in priority; delegable through medeleg.
// qemu-args: -cpu rv64,f=false,d=false,h=false
#include "priv.h"
#include "triggers.h"


#define UNMAPPED 0x00200000UL /* no device: accesses there raise access faults (platform_unmapped.c) */

/* The instructions the triggers watch, each at a label so mepc can be checked:
 *   trig_target:  addi a0, a0, 1 ; ret          (called: returns a0+1 unless the addi was skipped)
 *   trig_ld:      ld a0, 0(a0) at trig_ld_insn  (a0 = address; returns the value, or the address if skipped)
 *   trig_sd:      sd a1, 0(a0) at trig_sd_insn (trig_sd1: the same, for priv_run, storing whatever a1 holds)
 *   trig_amo:     amoadd.d a0, a1, (a0) at trig_amo_insn
 *   trig_jump:    jalr a0, resuming at trig_jump_back after a fetch trap (priv_m_resume) */
extern char trig_target[], trig_ld_insn[], trig_sd_insn[], trig_amo_insn[], trig_jump_back[];
long trig_target_fn(long), trig_ld(long), trig_sd(long, long), trig_sd1(long), trig_amo(long, long),
    trig_jump(long);
__asm__(
    ".pushsection .text.trig, \"ax\"\n.option push\n.option norvc\n"
    ".balign 64\n"
    ".globl trig_target, trig_target_fn\ntrig_target:\ntrig_target_fn:\n"
    "  addi a0, a0, 1\n  ret\n"
    ".globl trig_ld, trig_ld_insn\ntrig_ld:\n  mv t0, a0\ntrig_ld_insn:\n  ld a0, 0(t0)\n  ret\n"
    ".globl trig_sd, trig_sd1, trig_sd_insn\ntrig_sd:\ntrig_sd1:\ntrig_sd_insn:\n  sd a1, 0(a0)\n  ret\n"
    ".globl trig_amo, trig_amo_insn\ntrig_amo:\n  mv t0, a0\n  li a0, -1\n"
    "trig_amo_insn:\n  amoadd.d a0, a1, (t0)\n  ret\n"
    ".globl trig_jump, trig_jump_back\ntrig_jump:\n  mv t1, ra\n  jalr a0\n"
    "trig_jump_back:\n  mv ra, t1\n  ret\n"
    ".option pop\n.popsection\n");

static volatile uint64_t data[4] __attribute__((aligned(64)));
#define DATA ((uintptr_t)&data[1]) /* the watched doubleword; data[0] and data[2] are its neighbours */

static unsigned triggers; /* how many triggers the probe found */

/* Trigger `i` becomes `type` with `bits` on `addr`; the write must read back as written. */
static void set_trigger(int code, unsigned i, unsigned type, uint64_t bits, uint64_t addr) {
  tselect_w(i);
  tdata1_w(TYPE(type)); /* matches nothing while tdata2 changes */
  tdata2_w(addr);
  tdata1_w(TYPE(type) | bits);
  EXPECT_EQ(code, tdata1_r(), TYPE(type) | bits, "tdata1 read back");
}

static void clear_triggers(void) {
  for (unsigned i = 0; i < triggers; i++) {
    tselect_w(i);
    tdata1_w(TYPE(2)); /* an mcontrol with no mode and no access bit matches nothing */
  }
}

/* The spec's enumeration: tselect reads back what was written while a trigger exists there, and tinfo
 * (or tdata1.type when tinfo traps) tells which types it takes; tinfo = 1 means no trigger. */
static void probe(void) {
  for (triggers = 0; triggers < 64; triggers++) {
    tselect_w(triggers);
    if (tselect_r() != triggers) break;
    uint64_t info = tinfo_r();
    if ((info & 0xffff) == 1) break;
    EXPECT(1, (info & ((1 << 2) | (1 << 6))) != 0,
           "trigger %u: tinfo 0x%lx offers neither mcontrol nor mcontrol6", triggers, info);
    EXPECT(1, (tdata1_r() >> 60) != 0, "trigger %u exists but tdata1.type is 0", triggers);
  }
  EXPECT(1, triggers >= 2, "only %u triggers", triggers);
  tselect_w(triggers);
  EXPECT(1, tselect_r() != triggers, "tselect holds %u, past the last trigger", triggers);
  /* Writing tselect does not change the triggers: the last one probed is still selectable. */
  tselect_w(triggers - 1);
  EXPECT_EQ(1, tselect_r(), triggers - 1, "tselect");
}

/* One trap into M with cause 3 at `epc`, tval = `tval` or 0: the privileged spec allows "either zero or
 * the faulting virtual address" for breakpoints, and QEMU 7.2 writes 0 (priv_triggers_strict.c checks
 * sv39sim's address). */
static void expect_break(int code, uint64_t epc, uint64_t tval, int from) {
  expect_trap(code, &priv_mtrap, CAUSE_BREAKPOINT, ANY_TVAL, from);
  EXPECT_EQ(code, priv_mtrap.epc, epc, "mepc of the breakpoint");
  EXPECT(code, priv_mtrap.tval == tval || priv_mtrap.tval == 0, "mtval 0x%lx, want 0x%lx", priv_mtrap.tval,
         tval);
}

static void test_type(unsigned type, int base) {
  /* Execute: the instruction at tdata2 does not run. */
  set_trigger(base + 1, 0, type, T_M | T_EXEC, (uintptr_t)trig_target);
  priv_trap_clear();
  long r = trig_target_fn(41);
  expect_break(base + 1, (uintptr_t)trig_target, (uintptr_t)trig_target, PRV_M);
  EXPECT_EQ(base + 1, r, 41, "a0 after the skipped addi");
  /* Neither loads nor stores of that address fire an execute trigger. */
  priv_trap_clear();
  trig_ld((uintptr_t)trig_target);
  expect_no_trap(base + 1, "load from an execute-trigger address");
  clear_triggers();

  /* Load: fires before the load, whose destination keeps its value; tval = the matching address. */
  data[1] = 0x1234;
  set_trigger(base + 2, 0, type, T_M | T_LOAD, DATA);
  priv_trap_clear();
  r = trig_ld(DATA);
  expect_break(base + 2, (uintptr_t)trig_ld_insn, DATA, PRV_M);
  EXPECT_EQ(base + 2, r, DATA, "a0 after the skipped load");
  /* A store there, and loads of the neighbouring doublewords, do not fire. */
  priv_trap_clear();
  trig_sd(DATA, 0x5678);
  r = trig_ld(DATA - 8) + trig_ld(DATA + 8);
  expect_no_trap(base + 2, "store to a load-trigger address, loads next to it");
  /* A load whose bytes include the address fires too, tval = the address. */
  priv_trap_clear();
  trig_ld(DATA - 4);
  expect_break(base + 2, (uintptr_t)trig_ld_insn, DATA, PRV_M);
  clear_triggers(); /* before C code reads the watched doubleword: that load would fire too */
  EXPECT_EQ(base + 2, data[1], 0x5678, "the store");

  /* Store: fires before the store, which does not happen. */
  set_trigger(base + 3, 0, type, T_M | T_STORE, DATA);
  priv_trap_clear();
  trig_sd(DATA, 0x9999);
  expect_break(base + 3, (uintptr_t)trig_sd_insn, DATA, PRV_M);
  EXPECT_EQ(base + 3, data[1], 0x5678, "memory after the skipped store");
  priv_trap_clear();
  r = trig_ld(DATA);
  expect_no_trap(base + 3, "load from a store-trigger address");
  EXPECT_EQ(base + 3, r, 0x5678, "load");
  /* An AMO writes: it fires a store trigger, and neither reads nor writes. */
  priv_trap_clear();
  r = trig_amo(DATA, 1);
  expect_break(base + 3, (uintptr_t)trig_amo_insn, DATA, PRV_M);
  EXPECT_EQ(base + 3, r, -1, "a0 after the skipped AMO");
  EXPECT_EQ(base + 3, data[1], 0x5678, "memory after the skipped AMO");
  clear_triggers();

  /* Two triggers at once, each firing on its own address. */
  set_trigger(base + 4, 0, type, T_M | T_LOAD, DATA);
  set_trigger(base + 4, 1, type, T_M | T_STORE, DATA + 8);
  priv_trap_clear();
  trig_ld(DATA);
  expect_break(base + 4, (uintptr_t)trig_ld_insn, DATA, PRV_M);
  priv_trap_clear();
  trig_sd(DATA + 8, 7);
  expect_break(base + 4, (uintptr_t)trig_sd_insn, DATA + 8, PRV_M);
  priv_trap_clear();
  trig_sd(DATA, 7);
  trig_ld(DATA + 8);
  expect_no_trap(base + 4, "the other access type at each address");
  /* Disabled again (no mode bits): nothing fires. */
  clear_triggers();
  priv_trap_clear();
  trig_ld(DATA);
  trig_sd(DATA + 8, 8);
  trig_target_fn(0);
  expect_no_trap(base + 4, "after clearing the triggers");

  /* Priority: an address breakpoint ranks above the access fault of the same fetch, load or store. */
  set_trigger(base + 5, 0, type, T_M | T_EXEC | T_LOAD | T_STORE, UNMAPPED);
  priv_trap_clear();
  priv_m_resume = (uintptr_t)trig_jump_back;
  trig_jump(UNMAPPED);
  expect_break(base + 5, UNMAPPED, UNMAPPED, PRV_M);
  priv_trap_clear();
  trig_ld(UNMAPPED);
  expect_break(base + 5, (uintptr_t)trig_ld_insn, UNMAPPED, PRV_M);
  priv_trap_clear();
  trig_sd(UNMAPPED, 1);
  expect_break(base + 5, (uintptr_t)trig_sd_insn, UNMAPPED, PRV_M);
  clear_triggers();
  priv_m_resume = 0;

  /* Modes: a trigger enabled for U only stays silent in M and S, and fires in U; likewise for S. */
  set_trigger(base + 6, 0, type, T_U | T_EXEC, (uintptr_t)trig_target);
  set_trigger(base + 6, 1, type, T_U | T_LOAD, DATA);
  priv_trap_clear();
  r = priv_run(PRV_M, trig_target_fn, 1) + priv_run(PRV_S, trig_target_fn, 1) +
      priv_run(PRV_M, trig_ld, DATA) + priv_run(PRV_S, trig_ld, DATA);
  expect_no_trap(base + 6, "U-only triggers in M and S");
  priv_trap_clear();
  r = priv_run(PRV_U, trig_target_fn, 5);
  expect_break(base + 6, (uintptr_t)trig_target, (uintptr_t)trig_target, PRV_U);
  EXPECT_EQ(base + 6, r, 5, "a0 after the skipped addi in U");
  priv_trap_clear();
  priv_run(PRV_U, trig_ld, DATA);
  expect_break(base + 6, (uintptr_t)trig_ld_insn, DATA, PRV_U);
  set_trigger(base + 7, 0, type, T_S | T_EXEC, (uintptr_t)trig_target);
  set_trigger(base + 7, 1, type, T_S | T_STORE, DATA);
  priv_trap_clear();
  priv_run(PRV_U, trig_target_fn, 1);
  trig_target_fn(1);
  priv_run(PRV_U, trig_sd1, DATA);
  trig_sd(DATA, 3);
  expect_no_trap(base + 7, "S-only triggers in U and M");
  priv_trap_clear();
  priv_run(PRV_S, trig_target_fn, 1);
  expect_break(base + 7, (uintptr_t)trig_target, (uintptr_t)trig_target, PRV_S);
  priv_trap_clear();
  priv_run(PRV_S, trig_sd1, DATA);
  expect_break(base + 7, (uintptr_t)trig_sd_insn, DATA, PRV_S);

  /* Delegated (medeleg bit 3): the U-mode breakpoint goes to S with scause 3 and stval the address. */
  set_trigger(base + 8, 0, type, T_U | T_LOAD, DATA);
  tselect_w(1);
  tdata1_w(TYPE(type));
  write_csr(medeleg, 1UL << CAUSE_BREAKPOINT);
  priv_trap_clear();
  priv_run(PRV_U, trig_ld, DATA);
  write_csr(medeleg, 0);
  expect_trap(base + 8, &priv_strap, CAUSE_BREAKPOINT, ANY_TVAL, PRV_U);
  EXPECT_EQ(base + 8, priv_strap.epc, (uintptr_t)trig_ld_insn, "sepc");
  EXPECT(base + 8, priv_strap.tval == DATA || priv_strap.tval == 0, "stval 0x%lx", priv_strap.tval);
  clear_triggers();
}

int main(void) {
  priv_init();
  probe();
  tselect_w(0);
  uint64_t info = tinfo_r();
  if (info & (1 << 2)) test_type(2, 10);
  if (info & (1 << 6)) test_type(6, 30);
  priv_pass("priv_triggers");
}
