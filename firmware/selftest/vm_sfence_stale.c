// SFENCE.VMA scope, observed through stale translations that sv39sim's TLBs keep (privileged spec v1.12,
// 4.2.1: a fence need not, and in sv39sim does not, drop entries it does not cover).
// qemu: skip
// The spec allows but does not require keeping stale entries; QEMU 7.2 flushes its whole TLB on every
// SFENCE.VMA and on satp writes. No extra simulator arguments: the default TLBs hold far more than the
// handful of pages used here.
//
// Each case: every mapping old and flushed, each (space, VA) loaded once, every PTE pointed at a new frame
// without a fence, then the fence under test, then each (space, VA) loaded again: new if the fence covers
// it, else old (stale). Spaces A (ASID 1) and B (ASID 2); VX, VY non-global; VG global (vm_sfence.h).
//  1 no fence: all stale               2 x0,x0: all new
//  3 x0,A: A's VX VY new; VG, B stale  4 x0,B: B's VX new; A's, VG stale
//  5 VX,x0: VX new in A and B; rest stale     6 VG,x0: VG new in both; rest stale
//  7 VX,A: A's VX new; B's VX, VY, VG stale   8 VG,A: nothing (VG is global): all stale
//  9 satp written with ASID 3 and back to A, and A -> B -> A: no flush, all stale
// 10 sfence.vma x0, 3 from S: all stale
#include "vm_sfence.h"

/* Expected version per (space, va) after the fence: A.X A.Y A.G B.X B.G */
static void observe(int code, int ax, int ay, int g, int bx) {
  /* Read order does not matter for correctness: a stale entry read again stays stale, a flushed one is
     refilled with the new PTE. The global VA is read under both spaces. */
  SF_EXPECT(code, SA, IX, ax);
  SF_EXPECT(code, SA, IY, ay);
  SF_EXPECT(code, SB, IX, bx);
  SF_EXPECT(code, SA, IG, g);
  SF_EXPECT(code, SB, IG, g);
}

int main(void) {
  priv_init();
  sf_setup();

  sf_reset_and_warm(1);
  sf_change_all();
  observe(1, 0, 0, 0, 0);

  sf_reset_and_warm(2);
  sf_change_all();
  vm_sfence_all();
  observe(2, 1, 1, 1, 1);

  sf_reset_and_warm(3);
  sf_change_all();
  vm_sfence_asid(ASID_A);
  observe(3, 1, 1, 0, 0);

  sf_reset_and_warm(4);
  sf_change_all();
  vm_sfence_asid(ASID_B);
  observe(4, 0, 0, 0, 1);

  sf_reset_and_warm(5);
  sf_change_all();
  vm_sfence_va(VX + 0x40);
  observe(5, 1, 0, 0, 1);

  sf_reset_and_warm(6);
  sf_change_all();
  vm_sfence_va(VG);
  observe(6, 0, 0, 1, 0);

  sf_reset_and_warm(7);
  sf_change_all();
  vm_sfence_va_asid(VX, ASID_A);
  observe(7, 1, 0, 0, 0);

  sf_reset_and_warm(8);
  sf_change_all();
  vm_sfence_va_asid(VG, ASID_A);
  observe(8, 0, 0, 0, 0);

  /* 9: satp writes alone: to an unused ASID (same root) and back, then A -> B -> A. */
  sf_reset_and_warm(9);
  sf_change_all();
  write_csr(satp, vm_satp(sf_root[SA], 3));
  write_csr(satp, sf_satp(SA));
  write_csr(satp, sf_satp(SB));
  write_csr(satp, sf_satp(SA));
  observe(9, 0, 0, 0, 0);
  /* 10: ... and an S-mode sfence.vma x0, 3 (an ASID with no entries) does not touch A's or B's. */
  write_csr(satp, vm_satp(sf_root[SA], 3));
  priv_run(PRV_S, s_sfence_asid, 3);
  observe(10, 0, 0, 0, 0);

  write_csr(satp, 0);
  priv_pass("vm_sfence_stale");
}
