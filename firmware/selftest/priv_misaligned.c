// Misaligned loads and stores of every width at every offset, including ones that cross an 8-byte
// boundary, give the right data in M, S and U (sv39sim's default hart.misaligned performs them, as QEMU
// does; the spec allows either that or a trap, see priv_misaligned_trap.c). A misaligned LR always raises
// an address-misaligned exception (A extension: "If the address is not naturally aligned, an
// address-misaligned exception or an access-fault exception will be generated"): cause 4 (load),
// mtval = the address, rd untouched. Misaligned AMOs/SC (cause 6) are in priv_misaligned_amo.c, because
// QEMU 7.2 reports misaligned AMOs as cause 4 and does not trap a misaligned SC without a reservation.
// qemu-args: -cpu rv64,f=false,d=false,h=false,sstc=false
#include "priv.h"

static volatile uint8_t buf[32] __attribute__((aligned(16)));

#define LOADFN(name, insn)                                                          \
  static inline uint64_t name(uintptr_t a) {                                        \
    uint64_t v;                                                                     \
    __asm__ volatile(insn " %0, 0(%1)" : "=r"(v) : "r"(a) : "memory");              \
    return v;                                                                       \
  }
LOADFN(do_lh, "lh")
LOADFN(do_lhu, "lhu")
LOADFN(do_lw, "lw")
LOADFN(do_lwu, "lwu")
LOADFN(do_ld, "ld")
#define STOREFN(name, insn)                                                         \
  static inline void name(uintptr_t a, uint64_t v) {                                \
    __asm__ volatile(insn " %1, 0(%0)" ::"r"(a), "r"(v) : "memory");                \
  }
STOREFN(do_sh, "sh")
STOREFN(do_sw, "sw")
STOREFN(do_sd, "sd")

static uint8_t pattern(unsigned i) { return (uint8_t)(0x81 + 0x3b * i); } /* mixes set and clear bit 7 */

/* Little-endian value of n bytes at buf[off], sign- or zero-extended: the spec's definition, byte by byte. */
static uint64_t expect_le(unsigned off, unsigned n, int sign) {
  uint64_t v = 0;
  for (unsigned i = 0; i < n; i++) v |= (uint64_t)buf[off + i] << (8 * i);
  if (sign && n < 8 && (v >> (8 * n - 1)) & 1) v |= ~0UL << (8 * n);
  return v;
}

static volatile const char *fail_what;
static volatile uint64_t fail_off, fail_got, fail_want;

static long fail(const char *what, unsigned off, uint64_t got, uint64_t want) {
  fail_what = what;
  fail_off = off;
  fail_got = got;
  fail_want = want;
  return 1;
}

/* All loads and stores at offsets 0..15 of buf; runs in any privilege. 0 = all good. */
static long misaligned_all(long unused) {
  (void)unused;
  for (unsigned i = 0; i < sizeof buf; i++) buf[i] = pattern(i);
  for (unsigned off = 0; off < 16; off++) {
    uintptr_t a = (uintptr_t)&buf[off];
    uint64_t g, w;
    if ((g = do_lh(a)) != (w = expect_le(off, 2, 1))) return fail("lh", off, g, w);
    if ((g = do_lhu(a)) != (w = expect_le(off, 2, 0))) return fail("lhu", off, g, w);
    if ((g = do_lw(a)) != (w = expect_le(off, 4, 1))) return fail("lw", off, g, w);
    if ((g = do_lwu(a)) != (w = expect_le(off, 4, 0))) return fail("lwu", off, g, w);
    if ((g = do_ld(a)) != (w = expect_le(off, 8, 0))) return fail("ld", off, g, w);
  }
  static const unsigned widths[] = {2, 4, 8};
  const uint64_t val = 0x0123456789abcdefUL;
  for (unsigned wi = 0; wi < 3; wi++) {
    unsigned n = widths[wi];
    for (unsigned off = 0; off < 16; off++) {
      for (unsigned i = 0; i < sizeof buf; i++) buf[i] = 0xee;
      uintptr_t a = (uintptr_t)&buf[off];
      if (n == 2) do_sh(a, val);
      if (n == 4) do_sw(a, val);
      if (n == 8) do_sd(a, val);
      for (unsigned i = 0; i < sizeof buf; i++) {
        uint8_t want = (i >= off && i < off + n) ? (uint8_t)(val >> (8 * (i - off))) : 0xee;
        if (buf[i] != want) return fail(n == 2 ? "sh" : n == 4 ? "sw" : "sd", off, i, buf[i] | (uint64_t)want << 8);
      }
    }
  }
  return 0;
}

/* ---- Misaligned LR ---- */
#define SENT 0x5a5a5a5a5a5a5a5aUL
static volatile uint64_t amo_cells[4] __attribute__((aligned(32)));
static long lr_w(long a) {
  uint64_t rd = SENT;
  __asm__ volatile("lr.w %0, (%1)" : "+&r"(rd) : "r"(a) : "memory");
  return (long)rd;
}
static long lr_d(long a) {
  uint64_t rd = SENT;
  __asm__ volatile("lr.d %0, (%1)" : "+&r"(rd) : "r"(a) : "memory");
  return (long)rd;
}

static void test_misaligned_lr(void) {
  static const struct {
    long (*fn)(long);
    unsigned off, cause;
    const char *name;
  } cases[] = {
      {lr_w, 1, CAUSE_MISALIGNED_LOAD, "lr.w +1"}, {lr_w, 2, CAUSE_MISALIGNED_LOAD, "lr.w +2"},
      {lr_w, 6, CAUSE_MISALIGNED_LOAD, "lr.w +6"}, {lr_d, 4, CAUSE_MISALIGNED_LOAD, "lr.d +4"},
      {lr_d, 3, CAUSE_MISALIGNED_LOAD, "lr.d +3"}, {lr_d, 7, CAUSE_MISALIGNED_LOAD, "lr.d +7"},
  };
  static const int prvs[] = {PRV_M, PRV_S, PRV_U};
  for (unsigned p = 0; p < 3; p++)
    for (unsigned i = 0; i < sizeof cases / sizeof cases[0]; i++) {
      for (int k = 0; k < 4; k++) amo_cells[k] = 0x1111111111111111UL * (k + 1);
      uintptr_t a = (uintptr_t)amo_cells + cases[i].off;
      priv_trap_clear();
      long rd = priv_run(prvs[p], cases[i].fn, (long)a);
      if (priv_mtrap.count != 1 || priv_mtrap.cause != cases[i].cause || priv_mtrap.tval != a ||
          priv_mtrap.from != (uint64_t)prvs[p]) {
        rt_printf("FAIL case 3: %s at 0x%lx from %d: want cause %u mtval=address; got %lu traps cause=0x%lx "
                  "mtval=0x%lx from=%lu\n",
                  cases[i].name, a, prvs[p], cases[i].cause, priv_mtrap.count, priv_mtrap.cause, priv_mtrap.tval,
                  priv_mtrap.from);
        rt_exit(3);
      }
      priv_checks++;
      EXPECT(4, (uint64_t)rd == SENT, "%s wrote rd (0x%lx) although it trapped", cases[i].name, rd);
      for (int k = 0; k < 4; k++)
        EXPECT(4, amo_cells[k] == 0x1111111111111111UL * (k + 1), "%s changed memory", cases[i].name);
    }
}

int main(void) {
  priv_init();
  static const int prvs[] = {PRV_M, PRV_S, PRV_U};
  for (unsigned p = 0; p < 3; p++) {
    priv_trap_clear();
    long r = priv_run(prvs[p], misaligned_all, 0);
    expect_no_trap(1, "misaligned loads/stores");
    EXPECT(2, r == 0, "privilege %d: %s at offset %lu: got 0x%lx want 0x%lx (stores: got=byte index, "
           "want=found|expected<<8)", prvs[p], fail_what, fail_off, fail_got, fail_want);
  }
  test_misaligned_lr();
  priv_pass("priv_misaligned");
}
