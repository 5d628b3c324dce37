// Misaligned AMOs and SC always raise a store/AMO address-misaligned exception (cause 6), mtval = the
// address, with memory and rd untouched, in M, S and U, and delegated to S with medeleg[6] from S/U.
// qemu: skip
// QEMU 7.2 reports a misaligned AMO as cause 4 (load) and lets a misaligned SC without a reservation fail
// silently; spec: AMO/SC are stores ("Store/AMO address misaligned") and "If the address is not naturally
// aligned, an address-misaligned exception or an access-fault exception will be generated" (A extension).
#include "priv.h"

#define SENT 0x5a5a5a5a5a5a5a5aUL
static volatile uint64_t cells[4] __attribute__((aligned(32)));

#define AMOFN(name, insn)                                                             \
  static long name(long a) {                                                          \
    uint64_t rd = SENT;                                                               \
    __asm__ volatile(insn " %0, %1, (%2)" : "+&r"(rd) : "r"(7UL), "r"(a) : "memory"); \
    return (long)rd;                                                                  \
  }
AMOFN(amoadd_w, "amoadd.w")
AMOFN(amoswap_w, "amoswap.w")
AMOFN(amoand_w, "amoand.w")
AMOFN(amoadd_d, "amoadd.d")
AMOFN(amoor_d, "amoor.d")
AMOFN(amomaxu_d, "amomaxu.d")
AMOFN(amominu_d, "amomin.d")
AMOFN(sc_w, "sc.w")
AMOFN(sc_d, "sc.d")

static const struct {
  long (*fn)(long);
  unsigned off;
  const char *name;
} cases[] = {
    {amoadd_w, 1, "amoadd.w +1"}, {amoswap_w, 2, "amoswap.w +2"}, {amoand_w, 6, "amoand.w +6"},
    {amoadd_d, 4, "amoadd.d +4"}, {amoor_d, 1, "amoor.d +1"},     {amomaxu_d, 7, "amomaxu.d +7"},
    {amominu_d, 2, "amomin.d +2"}, {sc_w, 2, "sc.w +2"},           {sc_d, 4, "sc.d +4"},
    {sc_d, 5, "sc.d +5"},
};

static void check(int code, volatile struct priv_trap *t, int prv, uintptr_t a, long rd, const char *name) {
  if (t->count != 1 || t->cause != CAUSE_MISALIGNED_STORE || t->tval != a || t->from != (uint64_t)prv) {
    rt_printf("FAIL case %d: %s at 0x%lx from %d: want cause 6 xtval=address into %s; got %lu traps "
              "cause=0x%lx tval=0x%lx from=%lu\n",
              code, name, a, prv, t == &priv_mtrap ? "M" : "S", t->count, t->cause, t->tval, t->from);
    rt_exit(code);
  }
  priv_checks++;
  EXPECT(code + 1, (uint64_t)rd == SENT, "%s wrote rd (0x%lx) although it trapped", name, rd);
  for (int k = 0; k < 4; k++)
    EXPECT(code + 1, cells[k] == 0x1111111111111111UL * (k + 1), "%s changed memory", name);
}

int main(void) {
  priv_init();
  static const int prvs[] = {PRV_M, PRV_S, PRV_U};
  for (int deleg = 0; deleg < 2; deleg++) {
    write_csr(medeleg, deleg ? 1UL << CAUSE_MISALIGNED_STORE : 0);
    for (unsigned p = 0; p < 3; p++)
      for (unsigned i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        for (int k = 0; k < 4; k++) cells[k] = 0x1111111111111111UL * (k + 1);
        uintptr_t a = (uintptr_t)cells + cases[i].off;
        priv_trap_clear();
        long rd = priv_run(prvs[p], cases[i].fn, (long)a);
        /* Delegation only applies below M. */
        int to_s = deleg && prvs[p] != PRV_M;
        check(to_s ? 3 : 1, to_s ? &priv_strap : &priv_mtrap, prvs[p], a, rd, cases[i].name);
        EXPECT(5, (to_s ? priv_mtrap.count : priv_strap.count) == 0, "%s: trap also at the other level",
               cases[i].name);
      }
  }
  write_csr(medeleg, 0);
  priv_pass("priv_misaligned_amo");
}
