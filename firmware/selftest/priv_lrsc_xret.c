// sv39sim clears the LR reservation on every trap and every xRET (privileged spec 1.12, 3.3.2: "the xRET
// instruction is allowed to clear any outstanding LR address reservation but is not required to").
// Allowed-but-optional behaviour, kept apart from priv_lrsc.c for that reason; QEMU 7.2 clears it too.
// qemu-args: -cpu rv64,f=false,d=false,h=false,sstc=false
#include "priv.h"

static volatile uint64_t cell __attribute__((aligned(64)));

/* LR, ECALL (trap and xRET back), SC on the same address: returns the SC result (0 = success). */
static long lr_ecall_sc(long unused) {
  (void)unused;
  uint64_t v, r;
  __asm__ volatile("lr.d %0, (%2)\n ecall\n sc.d %1, %0, (%2)" : "=&r"(v), "=&r"(r) : "r"(&cell) : "memory");
  return (long)r;
}

int main(void) {
  priv_init();
  static const int prvs[] = {PRV_M, PRV_S, PRV_U};
  /* Trap into M and MRET back, from every privilege. */
  for (unsigned p = 0; p < 3; p++) {
    cell = 5;
    priv_trap_clear();
    long r = priv_run(prvs[p], lr_ecall_sc, 0);
    EXPECT_EQ(1, priv_mtrap.count, 1, "ecall traps into M");
    EXPECT(1, r != 0, "SC after LR + trap + MRET succeeded (privilege %d)", prvs[p]);
    EXPECT_EQ(1, cell, 5, "memory after the failed SC");
  }
  /* Trap into S and SRET back (ecall delegated), from U and S. */
  write_csr(medeleg, (1UL << CAUSE_ECALL_U) | (1UL << CAUSE_ECALL_S));
  for (unsigned p = 1; p < 3; p++) {
    cell = 6;
    priv_trap_clear();
    long r = priv_run(prvs[p], lr_ecall_sc, 0);
    EXPECT_EQ(2, priv_strap.count, 1, "ecall traps into S");
    EXPECT(2, r != 0, "SC after LR + trap + SRET succeeded (privilege %d)", prvs[p]);
    EXPECT_EQ(2, cell, 6, "memory after the failed SC");
  }
  write_csr(medeleg, 0);
  priv_pass("priv_lrsc_xret");
}
