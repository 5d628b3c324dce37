// LR/SC reservation rules that every implementation must follow (unprivileged spec 20191213, 8.2 "Load-
// Reserved/Store-Conditional"), checked from M, S and U: an LR/SC pair with nothing in between succeeds,
// SC without a reservation fails, any SC (successful or not) ends the reservation, SC to an address other
// than the reserved one fails, and a constrained LR/SC loop succeeds. Clearing on trap/xRET is allowed but
// not required, so that sv39sim behaviour is in priv_lrsc_xret.c.
// qemu-args: -cpu rv64,f=false,d=false,h=false,sstc=false
#include "priv.h"

static volatile uint64_t cells[8] __attribute__((aligned(64)));

static inline uint64_t lr_d(volatile uint64_t *p) {
  uint64_t v;
  __asm__ volatile("lr.d %0, (%1)" : "=r"(v) : "r"(p) : "memory");
  return v;
}
static inline uint64_t sc_d(volatile uint64_t *p, uint64_t v) {
  uint64_t r;
  __asm__ volatile("sc.d %0, %2, (%1)" : "=&r"(r) : "r"(p), "r"(v) : "memory");
  return r;
}
static inline uint32_t lr_w(volatile uint32_t *p) {
  uint32_t v;
  __asm__ volatile("lr.w %0, (%1)" : "=r"(v) : "r"(p) : "memory");
  return v;
}
static inline uint64_t sc_w(volatile uint32_t *p, uint32_t v) {
  uint64_t r;
  __asm__ volatile("sc.w %0, %2, (%1)" : "=&r"(r) : "r"(p), "r"(v) : "memory");
  return r;
}

/* The whole sequence as one function so it can run in any privilege. Returns 0 or the failing step. */
static long lrsc_rules(long base_code) {
  volatile uint64_t *a = &cells[0], *b = &cells[4]; /* 32 bytes apart: different reservation granules
                                                        are not guaranteed, so only "not the reserved
                                                        address" rules are used with b */
  /* SC with no reservation: fails (non-zero), memory unchanged. Nothing before this ran LR. */
  *a = 11;
  if (sc_d(a, 12) == 0 || *a != 11) return base_code + 1;
  /* LR then SC, same address, nothing between: succeeds (0) and stores. */
  if (lr_d(a) != 11) return base_code + 2;
  if (sc_d(a, 13) != 0 || *a != 13) return base_code + 3;
  /* That SC consumed the reservation: a second SC fails. */
  if (sc_d(a, 14) == 0 || *a != 13) return base_code + 4;
  /* SC to an address other than the one reserved fails and leaves both untouched... */
  *b = 21;
  lr_d(a);
  if (sc_d(b, 22) == 0 || *b != 21) return base_code + 5;
  /* ...and, being an SC, ends the reservation on a too. */
  if (sc_d(a, 15) == 0 || *a != 13) return base_code + 6;
  /* Word forms, sign-extended LR.W. */
  volatile uint32_t *w = (volatile uint32_t *)&cells[2];
  *w = 0x80000001u;
  uint32_t lv = lr_w(w);
  uint64_t lv64;
  __asm__ volatile("lr.w %0, (%1)" : "=r"(lv64) : "r"(w) : "memory");
  if (lv != 0x80000001u || lv64 != 0xffffffff80000001UL) return base_code + 7;
  if (sc_w(w, 0x7ffffffe) != 0 || *w != 0x7ffffffe) return base_code + 8;
  if (sc_w(w, 5) == 0 || *w != 0x7ffffffe) return base_code + 9;
  /* A constrained LR/SC loop (<=16 instructions, no other memory accesses) must eventually succeed. */
  uint64_t old, fail, tries = 0;
  do {
    __asm__ volatile("lr.d %0, (%2)\n addi %0, %0, 1\n sc.d %1, %0, (%2)" : "=&r"(old), "=&r"(fail) : "r"(a) : "memory");
  } while (fail && ++tries < 1000);
  if (fail || *a != 14) return base_code + 10;
  return 0;
}

int main(void) {
  priv_init();
  static const int prvs[] = {PRV_M, PRV_S, PRV_U};
  static const char *const names[] = {"M", "S", "U"};
  for (unsigned p = 0; p < 3; p++) {
    priv_trap_clear();
    long r = priv_run(prvs[p], lrsc_rules, 10 * (long)(p + 1));
    expect_no_trap(1, "LR/SC sequence");
    EXPECT(r == 0 ? 1 : (int)r, r == 0, "LR/SC rule %ld failed in %s-mode (case = 10*(1+M/S/U index)+step)",
           r % 10, names[p]);
  }
  priv_pass("priv_lrsc");
}
