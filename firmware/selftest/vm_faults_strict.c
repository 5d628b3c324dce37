// Sv39 faults where QEMU 7.2 departs from the privileged spec (v1.12); same pages as vm_faults.c.
// qemu: skip
// QEMU 7.2 reports an AMO on a page that is not readable either as a load page fault (13, spec: 15), a PTE
// read from an unmapped PA as a page fault (spec: access fault 1/5/7), and aborts on an instruction that
// straddles into a page mapped at an unmapped PA (assertion in translator_access).
//
// 1-11: AMOs raise store/AMO faults (15, or 7 for access faults) for every walk or permission failure.
// 12-13: a page-table pointer to an unmapped PA: the PTE read fails -> access fault of the access type
// (fetch 1, load 5, store/AMO 7) with mtval = the VA, from S and U, at level 1 and at the root.
// 14: an instruction straddling into a page at an unmapped PA: fetch access fault, mtval = second page.
// 15: the PTE-read access faults delegated to S.
#include "vm_faults.h"

int main(void) {
  priv_init();
  setup();

  for (int p = 0; p < 2; p++) {
    int prv = prvs[p];
    int u = prv == PRV_U;
    PF(1, prv, AMO, u ? P_INVALID_U : P_INVALID);
    PF(2, prv, AMO, u ? P_W_U : P_W);
    if (!u) PF(2, prv, AMO, P_WX);
    PF(3, prv, AMO, u ? P_RSV54_U : P_RSV54);
    if (!u) {
      PF(3, prv, AMO, P_RSV60);
      PF(3, prv, AMO, P_RSV63);
    }
    PF(4, prv, AMO, u ? P_PTR0_U : P_PTR0);
    PF(5, prv, AMO, L1_INVALID + 5 * VM_PAGE);
    PF(5, prv, AMO, L1_W + 6 * VM_PAGE);
    PF(5, prv, AMO, L1_RSV + 7 * VM_PAGE);
    PF(6, prv, AMO, ROOT_EMPTY);
    PF(6, prv, AMO, ROOT_RSV + 0x3000);
    uint64_t good = u ? P_U : P_S;
    PF(7, prv, AMO, good | (1UL << 39));
    PF(7, prv, AMO, good | (1UL << 63));
    PF(7, prv, AMO, good | 0xffffff8000000000UL);
    /* 8: an AMO on a leaf at an unmapped PA: store/AMO access fault. */
    FAULT(8, prv, AMO, kva(AMO, u ? P_BADPA_U : P_BADPA), CAUSE_STORE_ACCESS);
  }
  /* 9: AMO on an execute-only page (no R, no W). */
  PF(9, PRV_S, AMO, P_X);
  PF(9, PRV_U, AMO, P_UX);
  /* 10: AMO on a U page from S without SUM, and on an S page from U. */
  clear_csr(mstatus, MSTATUS_SUM);
  PF(10, PRV_S, AMO, P_U);
  PF(10, PRV_S, AMO, P_BADPA_U);
  PF(11, PRV_U, AMO, P_S);

  /* 12-13: pointer PTEs to an unmapped PA (level 1 and root): the PTE read is an access fault. */
  for (int k = LD; k <= FX; k++)
    for (int p = 0; p < 2; p++) {
      FAULT(12, prvs[p], k, kva(k, L1_BADPTR + 3 * VM_PAGE), af_cause[k]);
      FAULT(13, prvs[p], k, kva(k, ROOT_BADPTR + 0x5000), af_cause[k]);
    }

  /* 14: the second page of a straddling instruction at an unmapped PA. */
  *vm_win_pte(P_CROSS_OK + VM_PAGE) = vm_pte(UNMAPPED_PA, PTE_V | PTE_X | PTE_AD);
  vm_run_fetch(PRV_S, P_CROSS_OK + VM_PAGE - 2);
  vm_expect_fault(14, CAUSE_FETCH_ACCESS, P_CROSS_OK + VM_PAGE, PRV_S, P_CROSS_OK + VM_PAGE - 2);

  /* 15: delegated to S. */
  write_csr(medeleg, (1UL << CAUSE_LOAD_ACCESS) | (1UL << CAUSE_STORE_ACCESS));
  static const struct {
    int kind;
    uint64_t va, cause;
  } deleg[] = {
      {LD, L1_BADPTR + DOFF, CAUSE_LOAD_ACCESS},
      {ST, ROOT_BADPTR + DOFF, CAUSE_STORE_ACCESS},
      {AMO, ROOT_BADPTR + DOFF, CAUSE_STORE_ACCESS},
  };
  for (unsigned i = 0; i < sizeof deleg / sizeof deleg[0]; i++) {
    frame_reset();
    do_access(PRV_S, deleg[i].kind, deleg[i].va);
    expect_trap(15, &priv_strap, deleg[i].cause, deleg[i].va, PRV_S);
    EXPECT_EQ(15, priv_strap.epc, kind_pc(deleg[i].kind, 0), "sepc");
  }
  write_csr(medeleg, 0);

  write_csr(satp, 0);
  priv_pass("vm_faults_strict");
}
