// Sv39 page faults and access faults from S and U (privileged spec v1.12, 4.3.1-4.3.2, 4.4): every cause
// (12/13/15 and 1/5/7) with mtval = the faulting VA and mepc = the faulting instruction.
// qemu-args: -cpu rv64,f=false,d=false,h=false,sstc=false,svpbmt=false,svnapot=false,svinval=false
//
// Walk failures: V=0 (at each level), R=0&W=1, PTE bits 63:54 set (leaf and pointer), a pointer at level
// 0, a non-canonical VA. Permissions: missing X/R/W, AMO on a read-only page, U pages from S (fetch never,
// load/store without SUM), S pages from U. Access faults: a leaf at an unmapped PA (the data access
// faults). An instruction straddling into an invalid or non-executable page (mtval = the second page,
// mepc = the instruction). Load/store/AMO faults delegated to S (scause/stval/sepc).
// Not here because QEMU 7.2 departs from the spec (see vm_faults_strict.c): AMOs on pages that are not
// readable either (QEMU reports a load fault), a PTE read from an unmapped PA (QEMU: page fault), an
// instruction straddling into a page at an unmapped PA (QEMU aborts).
#include "vm_faults.h"

int main(void) {
  priv_init();
  setup();

  /* 1-2: sanity: the S page works from S, the U page from U, for every access type. */
  for (int k = LD; k <= FX; k++) {
    OK(1, PRV_S, k, P_S);
    OK(2, PRV_U, k, P_U);
  }

  /* AMOs are in vm_faults_strict.c: QEMU 7.2 checks them as loads first. */
  for (int k = LD; k <= FX; k++) {
    if (k == AMO) continue;
    for (int p = 0; p < 2; p++) {
      int prv = prvs[p];
      int u = prv == PRV_U;
      /* 3: V=0 leaf. */
      PF(3, prv, k, u ? P_INVALID_U : P_INVALID);
      /* 4: R=0 W=1 leaf (reserved), with and without X. */
      PF(4, prv, k, u ? P_W_U : P_W);
      if (!u) PF(5, prv, k, P_WX);
      /* 6-8: reserved PTE bits 63:54 in a leaf (Svpbmt/Svnapot absent). */
      PF(6, prv, k, u ? P_RSV54_U : P_RSV54);
      if (!u) {
        PF(7, prv, k, P_RSV60);
        PF(8, prv, k, P_RSV63);
      }
      /* 9: a pointer PTE at level 0. */
      PF(9, prv, k, u ? P_PTR0_U : P_PTR0);
      /* 10-12: failures at level 1 (V=0, R=0&W=1, a reserved bit in a pointer). */
      PF(10, prv, k, L1_INVALID + 5 * VM_PAGE);
      PF(11, prv, k, L1_W + 6 * VM_PAGE);
      PF(12, prv, k, L1_RSV + 7 * VM_PAGE);
      /* 13-14: failures at the root (an empty slot, a reserved bit in a pointer). */
      PF(13, prv, k, ROOT_EMPTY);
      PF(14, prv, k, ROOT_RSV + 0x3000);
      /* 15-17: non-canonical VAs (bits 63:39 != bit 38) whose low 39 bits name a good page. */
      uint64_t good = u ? P_U : P_S;
      PF(15, prv, k, good | (1UL << 39));
      PF(16, prv, k, good | (1UL << 63));
      PF(17, prv, k, good | 0xffffff8000000000UL);
      /* 18: a leaf at an unmapped PA: the translation is fine, the access itself faults. */
      FAULT(18, prv, k, kva(k, u ? P_BADPA_U : P_BADPA), af_cause[k]);
    }
  }
  /* 21: the level-1 and root paths of cases 10 and 14 work once the bad PTEs are repaired. */
  {
    uint64_t *l0 = (uint64_t *)(uintptr_t)vm_pte_pa(*vm_pte_ptr(vm_root_s, L1_INVALID, VM_LEVEL_2M));
    *vm_pte_ptr(vm_root_s, L1_INVALID, VM_LEVEL_2M) = vm_pte((uintptr_t)l0, PTE_V);
    vm_root_s[vm_vpn(ROOT_RSV, 2)] &= ~(1UL << 54);
    vm_root_u[vm_vpn(ROOT_RSV, 2)] &= ~(1UL << 54);
    for (int k = LD; k <= FX; k++) {
      OK(21, PRV_U, k, L1_INVALID + 5 * VM_PAGE);
      OK(21, PRV_U, k, ROOT_RSV + 0x3000);
    }
  }

  /* 22-25: permission bits. */
  OK(22, PRV_S, LD, P_RW);
  OK(22, PRV_S, ST, P_RW);
  PF(23, PRV_S, FX, P_RW); /* no X */
  OK(24, PRV_S, FX, P_X);
  PF(24, PRV_S, LD, P_X); /* no R (and MXR=0) */
  PF(24, PRV_S, ST, P_X);
  OK(25, PRV_S, LD, P_RX);
  OK(25, PRV_S, FX, P_RX);
  PF(25, PRV_S, ST, P_RX); /* no W */
  PF(25, PRV_S, AMO, P_RX); /* AMO on a read-only page: store/AMO page fault */
  /* 26-28: the same from U on user pages. */
  OK(26, PRV_U, LD, P_URW);
  OK(26, PRV_U, ST, P_URW);
  OK(26, PRV_U, AMO, P_URW);
  PF(26, PRV_U, FX, P_URW);
  OK(27, PRV_U, FX, P_UX);
  PF(27, PRV_U, LD, P_UX);
  PF(27, PRV_U, ST, P_UX);
  OK(28, PRV_U, LD, P_URX);
  PF(28, PRV_U, ST, P_URX);
  PF(28, PRV_U, AMO, P_URX);

  /* 29-30: a U page from S (SUM=0): everything faults. With SUM=1 the fetch still faults. */
  clear_csr(mstatus, MSTATUS_SUM);
  for (int k = LD; k <= FX; k++) if (k != AMO) PF(29, PRV_S, k, P_U);
  set_csr(mstatus, MSTATUS_SUM);
  PF(30, PRV_S, FX, P_U);
  PF(30, PRV_S, FX, P_UX);
  clear_csr(mstatus, MSTATUS_SUM);
  /* 31: an S page from U: everything faults (SUM does not matter). */
  for (int k = LD; k <= FX; k++) if (k != AMO) PF(31, PRV_U, k, P_S);
  set_csr(mstatus, MSTATUS_SUM);
  for (int k = LD; k <= FX; k++) if (k != AMO) PF(31, PRV_U, k, P_S);
  clear_csr(mstatus, MSTATUS_SUM);
  /* 32: the U page with an unmapped PA from S without SUM: the page fault wins over the access fault. */
  for (int k = LD; k <= FX; k++) if (k != AMO) PF(32, PRV_S, k, P_BADPA_U);

  /* 33-35: a 32-bit instruction straddling two pages. The second page invalid -> fetch page fault with
     mtval = the second page (the faulting portion), mepc = the instruction. */
  priv_m_resume = (uintptr_t)vm_fetch_resume;
  long r = vm_run(PRV_S, vm_fetch, (long)(P_CROSS + VM_PAGE - 2));
  priv_m_resume = 0;
  vm_expect_fault(33, CAUSE_FETCH_PAGE_FAULT, P_CROSS + VM_PAGE, PRV_S, P_CROSS + VM_PAGE - 2);
  EXPECT_EQ(33, r, VM_NOVAL, "a0 after the straddling fetch fault");
  r = vm_run_fetch(PRV_U, P_CROSS_U + VM_PAGE - 2);
  vm_expect_fault(34, CAUSE_FETCH_PAGE_FAULT, P_CROSS_U + VM_PAGE, PRV_U, P_CROSS_U + VM_PAGE - 2);
  r = vm_run_fetch(PRV_S, P_CROSS_OK + VM_PAGE - 2);
  expect_no_trap(35, "straddling instruction, both pages mapped");
  EXPECT_EQ(35, r, 0x55, "straddling addi result");
  /* 36: the second page without X (but R): also a fetch page fault at the second page. */
  *vm_win_pte(P_CROSS_OK + VM_PAGE) &= ~PTE_X;
  r = vm_run_fetch(PRV_S, P_CROSS_OK + VM_PAGE - 2);
  vm_expect_fault(36, CAUSE_FETCH_PAGE_FAULT, P_CROSS_OK + VM_PAGE, PRV_S, P_CROSS_OK + VM_PAGE - 2);
  /* 37-39: delegated to S: scause/stval/sepc from S-mode loads, stores and AMOs. */
  write_csr(medeleg, (1UL << CAUSE_LOAD_PAGE_FAULT) | (1UL << CAUSE_STORE_PAGE_FAULT) |
                         (1UL << CAUSE_LOAD_ACCESS) | (1UL << CAUSE_STORE_ACCESS));
  static const struct {
    int code, kind;
    uint64_t va, cause;
  } deleg[] = {
      {37, LD, P_INVALID + DOFF, CAUSE_LOAD_PAGE_FAULT},   {37, ST, P_RX + DOFF, CAUSE_STORE_PAGE_FAULT},
      {38, AMO, P_RX + DOFF, CAUSE_STORE_PAGE_FAULT},      {38, LD, (P_S + DOFF) | (1UL << 63), CAUSE_LOAD_PAGE_FAULT},
      {39, LD, P_BADPA + DOFF, CAUSE_LOAD_ACCESS},         {39, ST, P_BADPA + DOFF, CAUSE_STORE_ACCESS},
  };
  for (unsigned i = 0; i < sizeof deleg / sizeof deleg[0]; i++) {
    frame_reset();
    long v = do_access(PRV_S, deleg[i].kind, deleg[i].va);
    expect_trap(deleg[i].code, &priv_strap, deleg[i].cause, deleg[i].va, PRV_S);
    EXPECT_EQ(deleg[i].code, priv_strap.epc, kind_pc(deleg[i].kind, 0), "sepc");
    if (deleg[i].kind != ST) EXPECT_EQ(deleg[i].code, v, VM_NOVAL, "a0 after the delegated fault");
  }
  write_csr(medeleg, 0);

  write_csr(satp, 0);
  priv_pass("vm_faults");
}
