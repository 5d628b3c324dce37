// With hart.misaligned=trap, every misaligned load raises cause 4 and every misaligned store cause 6,
// xtval = the misaligned effective address, rd and memory untouched; aligned accesses are unaffected.
// Delegated to S with medeleg[4]/medeleg[6] from S and U; from M always into M.
// sv39sim-args: --set hart.misaligned=trap
// qemu: skip
// QEMU performs misaligned loads/stores in hardware and has no switch to trap them.
#include "priv.h"

#define SENT 0x5a5a5a5a5a5a5a5aUL
static volatile uint8_t buf[32] __attribute__((aligned(16)));

#define LOADFN(name, insn)                                                      \
  static long name(long a) {                                                    \
    uint64_t v = SENT;                                                          \
    __asm__ volatile(insn " %0, 0(%1)" : "+&r"(v) : "r"(a) : "memory");         \
    return (long)v;                                                             \
  }
LOADFN(do_lh, "lh")
LOADFN(do_lhu, "lhu")
LOADFN(do_lw, "lw")
LOADFN(do_lwu, "lwu")
LOADFN(do_ld, "ld")
#define STOREFN(name, insn)                                                     \
  static long name(long a) {                                                    \
    __asm__ volatile(insn " %1, 0(%0)" ::"r"(a), "r"(0x0123456789abcdefUL) : "memory"); \
    return 0;                                                                   \
  }
STOREFN(do_sh, "sh")
STOREFN(do_sw, "sw")
STOREFN(do_sd, "sd")

static const struct {
  long (*fn)(long);
  unsigned width, store;
  const char *name;
} ops[] = {
    {do_lh, 2, 0, "lh"}, {do_lhu, 2, 0, "lhu"}, {do_lw, 4, 0, "lw"}, {do_lwu, 4, 0, "lwu"},
    {do_ld, 8, 0, "ld"}, {do_sh, 2, 1, "sh"},   {do_sw, 4, 1, "sw"}, {do_sd, 8, 1, "sd"},
};

static uint8_t pattern(unsigned i) { return (uint8_t)(0x81 + 0x3b * i); }

int main(void) {
  priv_init();
  static const int prvs[] = {PRV_M, PRV_S, PRV_U};
  for (int deleg = 0; deleg < 2; deleg++) {
    write_csr(medeleg, deleg ? (1UL << CAUSE_MISALIGNED_LOAD) | (1UL << CAUSE_MISALIGNED_STORE) : 0);
    for (unsigned p = 0; p < 3; p++)
      for (unsigned o = 0; o < sizeof ops / sizeof ops[0]; o++)
        for (unsigned off = 0; off < 16; off++) {
          for (unsigned i = 0; i < sizeof buf; i++) buf[i] = pattern(i);
          uintptr_t a = (uintptr_t)&buf[off];
          priv_trap_clear();
          long rd = priv_run(prvs[p], ops[o].fn, (long)a);
          if (off % ops[o].width == 0) {
            /* Aligned: no trap, the access happens. */
            expect_no_trap(1, ops[o].name);
            if (!ops[o].store) EXPECT(1, (uint64_t)rd != SENT, "aligned %s did not load", ops[o].name);
            continue;
          }
          uint64_t cause = ops[o].store ? CAUSE_MISALIGNED_STORE : CAUSE_MISALIGNED_LOAD;
          int to_s = deleg && prvs[p] != PRV_M; /* nothing is delegated from M */
          volatile struct priv_trap *t = to_s ? &priv_strap : &priv_mtrap;
          if (t->count != 1 || t->cause != cause || t->tval != a || t->from != (uint64_t)prvs[p] ||
              (to_s ? priv_mtrap.count : priv_strap.count) != 0) {
            rt_printf("FAIL case %d: %s at 0x%lx (offset %u) from %d, medeleg=%d: want cause %lu tval=address into "
                      "%s; got M n=%lu cause=0x%lx tval=0x%lx, S n=%lu cause=0x%lx tval=0x%lx\n",
                      2 + to_s, ops[o].name, a, off, prvs[p], deleg, cause, to_s ? "S" : "M", priv_mtrap.count,
                      priv_mtrap.cause, priv_mtrap.tval, priv_strap.count, priv_strap.cause, priv_strap.tval);
            rt_exit(2 + to_s);
          }
          priv_checks++;
          if (!ops[o].store) EXPECT(4, (uint64_t)rd == SENT, "%s trapped but wrote rd (0x%lx)", ops[o].name, rd);
          for (unsigned i = 0; i < sizeof buf; i++)
            EXPECT(5, buf[i] == pattern(i), "%s at offset %u trapped but changed byte %u", ops[o].name, off, i);
        }
  }
  write_csr(medeleg, 0);
  priv_pass("priv_misaligned_trap");
}
