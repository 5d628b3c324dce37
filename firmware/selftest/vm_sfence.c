// SFENCE.VMA, what the spec guarantees (privileged spec v1.12, 4.2.1): after a PTE changes, the fence
// that covers it makes the hart use the new PTE. Each case first fills the TLBs with the old translation
// (a load through it), then changes the PTE, fences and loads again.
// qemu-args: -cpu rv64,f=false,d=false,h=false,sstc=false,svpbmt=false,svnapot=false,svinval=false
//
// 1-2 rs1=x0 rs2=x0: everything, global included. 3-4 rs1=x0 rs2=ASID: that ASID's non-global entries.
// 5-6 rs1=VA rs2=x0: that VA in every ASID, global included. 7 rs1=VA rs2=ASID: that VA in that ASID.
// 8-10 the same fences executed in S-mode. 11-12 a PTE made invalid / read-only, then fenced: the access
// faults. (That a fence which does not cover an entry may leave it stale is in vm_sfence_stale.c.)
#include "vm_sfence.h"

int main(void) {
  priv_init();
  sf_setup();

  /* 1-2: sfence.vma x0, x0 */
  sf_reset_and_warm(1);
  sf_change_all();
  vm_sfence_all();
  SF_EXPECT(2, SA, IX, 1);
  SF_EXPECT(2, SA, IY, 1);
  SF_EXPECT(2, SA, IG, 1);
  SF_EXPECT(2, SB, IX, 1);
  SF_EXPECT(2, SB, IG, 1);

  /* 3-4: sfence.vma x0, asid: the changed non-global entries of that ASID. */
  sf_reset_and_warm(3);
  sf_set(SA, IX, 1);
  sf_set(SA, IY, 1);
  vm_sfence_asid(ASID_A);
  SF_EXPECT(3, SA, IX, 1);
  SF_EXPECT(3, SA, IY, 1);
  sf_set(SB, IX, 1);
  vm_sfence_asid(ASID_B);
  SF_EXPECT(4, SB, IX, 1);

  /* 5-6: sfence.vma va, x0: that VA in all ASIDs, and a global VA. */
  sf_reset_and_warm(5);
  sf_set(SA, IX, 1);
  sf_set(SB, IX, 1);
  vm_sfence_va(VX);
  SF_EXPECT(5, SA, IX, 1);
  SF_EXPECT(5, SB, IX, 1);
  sf_set(SA, IG, 1);
  vm_sfence_va(VG + 0x123); /* any address within the page */
  SF_EXPECT(6, SA, IG, 1);
  SF_EXPECT(6, SB, IG, 1);

  /* 7: sfence.vma va, asid: that VA in that ASID. */
  sf_reset_and_warm(7);
  sf_set(SA, IY, 1);
  vm_sfence_va_asid(VY, ASID_A);
  SF_EXPECT(7, SA, IY, 1);
  sf_set(SB, IX, 1);
  vm_sfence_va_asid(VX + 0xff8, ASID_B);
  SF_EXPECT(7, SB, IX, 1);

  /* 8-10: the fences executed by S-mode code (satp = A while it runs). */
  sf_reset_and_warm(8);
  sf_change_all();
  write_csr(satp, sf_satp(SA));
  priv_run(PRV_S, s_sfence_all, 0);
  SF_EXPECT(8, SA, IX, 1);
  SF_EXPECT(8, SA, IG, 1);
  SF_EXPECT(8, SB, IX, 1);
  sf_reset_and_warm(9);
  sf_set(SA, IX, 1);
  write_csr(satp, sf_satp(SA));
  priv_run(PRV_S, s_sfence_va_asid_a, (long)VX);
  SF_EXPECT(9, SA, IX, 1);
  sf_set(SA, IY, 1);
  write_csr(satp, sf_satp(SA));
  priv_run(PRV_S, s_sfence_asid, (long)ASID_A);
  SF_EXPECT(9, SA, IY, 1);
  sf_reset_and_warm(10);
  sf_set(SA, IG, 1);
  write_csr(satp, sf_satp(SB));
  priv_run(PRV_S, s_sfence_va, (long)VG);
  SF_EXPECT(10, SA, IG, 1);
  SF_EXPECT(10, SB, IG, 1);

  /* 11: a cached translation made invalid and fenced (VA, ASID): the load faults. */
  sf_reset_and_warm(11);
  *vm_pte_ptr(sf_root[SA], VX, VM_LEVEL_4K) &= ~PTE_V;
  vm_sfence_va_asid(VX, ASID_A);
  EXPECT_EQ(11, sf_load(SA, VX + DOFF), VM_NOVAL, "a0 after loading an invalidated page");
  vm_expect_fault(11, CAUSE_LOAD_PAGE_FAULT, VX + DOFF, PRV_S, (uintptr_t)vm_load_pc);
  /* 12: a cached writable global translation made read-only and fenced (VA): the store faults. */
  sf_reset_and_warm(12);
  for (int s = 0; s < 2; s++) *vm_pte_ptr(sf_root[s], VG, VM_LEVEL_4K) &= ~PTE_W;
  vm_sfence_va(VG);
  vm_store_value = 5;
  write_csr(satp, sf_satp(SB));
  priv_trap_clear();
  priv_run(PRV_S, vm_store, (long)(VG + DOFF));
  vm_expect_fault(12, CAUSE_STORE_PAGE_FAULT, VG + DOFF, PRV_S, (uintptr_t)vm_store_pc);
  EXPECT_EQ(12, ((volatile uint64_t *)sf_frame[SA][IG][0])[DOFF / 8], sf_tag(SA, IG, 0), "global frame after the store");

  write_csr(satp, 0);
  priv_pass("vm_sfence");
}
