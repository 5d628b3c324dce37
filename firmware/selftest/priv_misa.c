// misa on sv39sim: exactly RV64 with A, C, I, M, S, U (the model's hart configuration).
// qemu: skip
// The value is sv39sim's configuration; QEMU's depends on its -cpu options (it matches only with f,d,h off).
#include "priv.h"

int main(void) {
  priv_init();
  /* MXL (bits 63:62) = 2 for XLEN 64; extension bits: A=0, C=2, I=8, M=12, S=18, U=20.
     0x8000000000000000 | 1<<0 | 1<<2 | 1<<8 | 1<<12 | 1<<18 | 1<<20 = 0x8000000000141105 */
  const uint64_t want = (2UL << 62) | (1UL << ('A' - 'A')) | (1UL << ('C' - 'A')) | (1UL << ('I' - 'A')) |
                        (1UL << ('M' - 'A')) | (1UL << ('S' - 'A')) | (1UL << ('U' - 'A'));
  EXPECT_EQ(1, want, 0x8000000000141105UL, "hand-worked misa constant");
  EXPECT_EQ(2, read_csr(misa), want, "misa");
  /* misa is WARL; sv39sim does not let software turn extensions off, so a write leaves it unchanged. Writing
     the same value back is always safe. */
  write_csr(misa, want);
  EXPECT_EQ(3, read_csr(misa), want, "misa after writing its own value");
  priv_pass("priv_misa");
}
