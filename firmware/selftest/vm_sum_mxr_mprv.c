// mstatus.SUM, MXR and MPRV under Sv39 (privileged spec v1.12, 3.1.6.3 and 4.3.2 step 5).
// qemu-args: -cpu rv64,f=false,d=false,h=false,sstc=false,svpbmt=false,svnapot=false,svinval=false
//
// SUM=1 lets S load/store/AMO U pages, never fetch from them; SUM=0 faults. MXR=1 makes X-only pages
// loadable (not storable), from S and U, and with SUM for U pages from S. MPRV=1 in M-mode translates
// loads/stores (not fetches: this code runs from physical addresses while satp maps only the test window)
// with MPP's privilege: MPP=S -> S pages ok, U pages only with SUM; MPP=U -> U pages ok, S pages fault;
// MPP=M -> no translation. MXR also applies under MPRV.
#include "vm.h"

#define DATA 0x0123456789abcdefUL
#define PG(n) (VM_WIN + (n) * VM_PAGE)
#define P_S PG(0)   /* S RW */
#define P_U PG(1)   /* U RW */
#define P_SX PG(2)  /* S X only */
#define P_UX PG(3)  /* U X only */
#define P_URWX PG(4) /* U RWX */

static uint64_t *frame;
static volatile uint64_t *fdata;

static void reset(void) { *fdata = DATA; }

static long ld(int priv, uint64_t va) {
  reset();
  return vm_run(priv, vm_load, (long)va);
}
static void st(int priv, uint64_t va, uint64_t v) {
  reset();
  vm_store_value = v;
  vm_run(priv, vm_store, (long)va);
}

#define LOAD_OK(code, priv, va)                                     \
  do {                                                              \
    EXPECT_EQ(code, ld(priv, va), DATA, "loaded value");            \
    expect_no_trap(code, "load");                                   \
  } while (0)
#define LOAD_PF(code, priv, va)                                                          \
  do {                                                                                   \
    EXPECT_EQ(code, ld(priv, va), VM_NOVAL, "a0 after a faulting load");                \
    vm_expect_fault(code, CAUSE_LOAD_PAGE_FAULT, va, priv, (uintptr_t)vm_load_pc);     \
  } while (0)
#define STORE_OK(code, priv, va)                                    \
  do {                                                              \
    st(priv, va, 0x77);                                             \
    expect_no_trap(code, "store");                                  \
    EXPECT_EQ(code, *fdata, 0x77, "stored value");                  \
  } while (0)
#define STORE_PF(code, priv, va)                                                         \
  do {                                                                                   \
    st(priv, va, 0x77);                                                                  \
    vm_expect_fault(code, CAUSE_STORE_PAGE_FAULT, va, priv, (uintptr_t)vm_store_pc);   \
    EXPECT_EQ(code, *fdata, DATA, "memory after a faulting store");                      \
  } while (0)
#define FETCH_PF(code, priv, va)                                                  \
  do {                                                                            \
    EXPECT_EQ(code, vm_run_fetch(priv, va), VM_NOVAL, "a0 after a fetch fault"); \
    vm_expect_fault(code, CAUSE_FETCH_PAGE_FAULT, va, priv, va);                 \
  } while (0)

/* ---- M-mode accesses with MPRV: a1 = the mstatus bits to set (MPRV | MPP); MPP is cleared first and
   both are cleared right after the access (a trap into M and its MRET change MPP but not MPRV). ---- */
extern char mprv_load_pc[], mprv_store_pc[];
long mprv_load(uint64_t va, uint64_t bits);
void mprv_store(uint64_t va, uint64_t bits, uint64_t value);
__asm__(".pushsection .text.mprv, \"ax\"\n.option push\n.option norvc\n"
        ".globl mprv_load\nmprv_load:\n"
        "  mv t0, a0\n"
        "  li a0, -1\n"
        "  li t2, 0x1800\n"
        "  csrc mstatus, t2\n"
        "  csrs mstatus, a1\n"
        ".globl mprv_load_pc\nmprv_load_pc:\n"
        "  ld a0, 0(t0)\n"
        "  csrc mstatus, a1\n"
        "  ret\n"
        ".globl mprv_store\nmprv_store:\n"
        "  li t2, 0x1800\n"
        "  csrc mstatus, t2\n"
        "  csrs mstatus, a1\n"
        ".globl mprv_store_pc\nmprv_store_pc:\n"
        "  sd a2, 0(a0)\n"
        "  csrc mstatus, a1\n"
        "  ret\n"
        ".option pop\n.popsection\n");

#define MPRV_AS(p) (MSTATUS_MPRV | ((uint64_t)(p) << MSTATUS_MPP_SHIFT))

static void m_load_ok(int code, int line, uint64_t va, int mpp) {
  reset();
  priv_trap_clear();
  long v = mprv_load(va, MPRV_AS(mpp));
  expect_no_trap_at(code, line, "MPRV load");
  EXPECT(code, (uint64_t)v == DATA, "line %d: MPRV (MPP=%d) load of 0x%lx = 0x%lx", line, mpp, va, v);
}
static void m_load_pf(int code, int line, uint64_t va, int mpp) {
  reset();
  priv_trap_clear();
  long v = mprv_load(va, MPRV_AS(mpp));
  vm_expect_fault_at(code, line, CAUSE_LOAD_PAGE_FAULT, va, PRV_M, (uintptr_t)mprv_load_pc);
  EXPECT(code, (uint64_t)v == VM_NOVAL, "line %d: a0 = 0x%lx after the fault", line, v);
}
static void m_store_ok(int code, int line, uint64_t va, int mpp) {
  reset();
  priv_trap_clear();
  mprv_store(va, MPRV_AS(mpp), 0x99);
  expect_no_trap_at(code, line, "MPRV store");
  EXPECT(code, *fdata == 0x99, "line %d: MPRV (MPP=%d) store to 0x%lx did not land", line, mpp, va);
}
static void m_store_pf(int code, int line, uint64_t va, int mpp) {
  reset();
  priv_trap_clear();
  mprv_store(va, MPRV_AS(mpp), 0x99);
  vm_expect_fault_at(code, line, CAUSE_STORE_PAGE_FAULT, va, PRV_M, (uintptr_t)mprv_store_pc);
  EXPECT(code, *fdata == DATA, "line %d: a faulting MPRV store changed memory", line);
}
#define M_LOAD_OK(code, va, mpp) m_load_ok(code, __LINE__, va, mpp)
#define M_LOAD_PF(code, va, mpp) m_load_pf(code, __LINE__, va, mpp)
#define M_STORE_OK(code, va, mpp) m_store_ok(code, __LINE__, va, mpp)
#define M_STORE_PF(code, va, mpp) m_store_pf(code, __LINE__, va, mpp)

int main(void) {
  priv_init();
  vm_std_setup();
  frame = vm_alloc_page();
  fdata = (volatile uint64_t *)frame + 2;
  uint64_t f = (uintptr_t)frame;
  vm_map_win(P_S, f, PTE_R | PTE_W | PTE_AD);
  vm_map_win(P_U, f, PTE_R | PTE_W | PTE_AD | PTE_U);
  vm_map_win(P_SX, f, PTE_X | PTE_AD);
  vm_map_win(P_UX, f, PTE_X | PTE_AD | PTE_U);
  vm_map_win(P_URWX, f, PTE_RWX | PTE_AD | PTE_U);
  vm_code(frame, 0x100, 0x42);
  const uint64_t D = 0x10; /* data offset in every page */

  /* ---- SUM ---- */
  clear_csr(mstatus, MSTATUS_SUM | MSTATUS_MXR);
  /* 1: SUM=0: S cannot load/store a U page. */
  LOAD_PF(1, PRV_S, P_U + D);
  STORE_PF(1, PRV_S, P_U + D);
  /* 2: SUM=1: S can load, store and AMO a U page. */
  set_csr(mstatus, MSTATUS_SUM);
  LOAD_OK(2, PRV_S, P_U + D);
  STORE_OK(2, PRV_S, P_U + D);
  reset();
  vm_store_value = 1;
  EXPECT_EQ(2, vm_run(PRV_S, vm_amo, (long)(P_U + D)), DATA, "S amoadd on a U page with SUM");
  expect_no_trap(2, "S amoadd on a U page with SUM");
  EXPECT_EQ(2, *fdata, DATA + 1, "amoadd result");
  /* 3: SUM=1 never allows S to fetch from a U page (and it still works from U). */
  FETCH_PF(3, PRV_S, P_URWX + 0x100);
  FETCH_PF(3, PRV_S, P_UX + 0x100);
  EXPECT_EQ(3, vm_run_fetch(PRV_U, P_URWX + 0x100), 0x42, "U fetch from the U page");
  expect_no_trap(3, "U fetch from the U page");
  /* 4: SUM does not affect S pages from S, nor grant U access to S pages. */
  LOAD_OK(4, PRV_S, P_S + D);
  STORE_OK(4, PRV_S, P_S + D);
  LOAD_PF(4, PRV_U, P_S + D);
  STORE_PF(4, PRV_U, P_S + D);
  clear_csr(mstatus, MSTATUS_SUM);

  /* ---- MXR ---- */
  /* 5: MXR=0: X-only pages are not loadable (S and U). */
  LOAD_PF(5, PRV_S, P_SX + D);
  LOAD_PF(5, PRV_U, P_UX + D);
  /* 6: MXR=1: they are, from S and U; stores still fault. */
  set_csr(mstatus, MSTATUS_MXR);
  LOAD_OK(6, PRV_S, P_SX + D);
  LOAD_OK(6, PRV_U, P_UX + D);
  STORE_PF(6, PRV_S, P_SX + D);
  STORE_PF(6, PRV_U, P_UX + D);
  /* 7: MXR does not bypass the U check: S loading an X-only U page needs SUM too. */
  LOAD_PF(7, PRV_S, P_UX + D);
  set_csr(mstatus, MSTATUS_SUM);
  LOAD_OK(7, PRV_S, P_UX + D);
  clear_csr(mstatus, MSTATUS_MXR);
  LOAD_PF(7, PRV_S, P_UX + D); /* SUM without MXR: X-only still not readable */
  clear_csr(mstatus, MSTATUS_SUM);

  /* ---- MPRV ---- satp maps only the test window: M keeps fetching (untranslated) while its loads and
     stores go through the window. */
  uint64_t *root_w = vm_alloc_table();
  root_w[vm_vpn(VM_WIN, 2)] = vm_root_s[vm_vpn(VM_WIN, 2)];
  write_csr(satp, vm_satp(root_w, 0));
  vm_sfence_all();
  /* 8: MPRV=0: M ignores satp (and MPP). */
  clear_csr(mstatus, MSTATUS_MPP);
  set_csr(mstatus, (uint64_t)PRV_S << MSTATUS_MPP_SHIFT);
  reset();
  EXPECT_EQ(8, *(volatile uint64_t *)(f + D), DATA, "M load with MPRV=0");
  /* 9: MPRV=1 MPP=S: S pages translate; U pages fault without SUM and work with it. */
  M_LOAD_OK(9, P_S + D, PRV_S);
  M_STORE_OK(9, P_S + D, PRV_S);
  M_LOAD_PF(10, P_U + D, PRV_S);
  M_STORE_PF(10, P_U + D, PRV_S);
  set_csr(mstatus, MSTATUS_SUM);
  M_LOAD_OK(11, P_U + D, PRV_S);
  M_STORE_OK(11, P_U + D, PRV_S);
  clear_csr(mstatus, MSTATUS_SUM);
  /* 12: an unmapped VA faults; so does the frame's own PA (not mapped in this satp): it is translated. */
  M_LOAD_PF(12, PG(100) + D, PRV_S);
  M_LOAD_PF(12, f + D, PRV_S);
  M_STORE_PF(12, f + D, PRV_S);
  /* 13: MPRV=1 MPP=U: U pages translate, S pages fault (SUM irrelevant). */
  M_LOAD_OK(13, P_U + D, PRV_U);
  M_STORE_OK(13, P_U + D, PRV_U);
  M_LOAD_PF(14, P_S + D, PRV_U);
  M_STORE_PF(14, P_S + D, PRV_U);
  set_csr(mstatus, MSTATUS_SUM);
  M_LOAD_PF(14, P_S + D, PRV_U);
  clear_csr(mstatus, MSTATUS_SUM);
  /* 15: MXR under MPRV: X-only pages load with MXR=1 only. */
  M_LOAD_PF(15, P_SX + D, PRV_S);
  set_csr(mstatus, MSTATUS_MXR);
  M_LOAD_OK(15, P_SX + D, PRV_S);
  M_LOAD_OK(15, P_UX + D, PRV_U);
  M_STORE_PF(15, P_SX + D, PRV_S);
  clear_csr(mstatus, MSTATUS_MXR);
  /* 16: MPRV=1 MPP=M: no translation, the PA is used as is. */
  M_LOAD_OK(16, f + D, PRV_M);
  M_STORE_OK(16, f + D, PRV_M);
  EXPECT_EQ(17, read_csr(mstatus) & MSTATUS_MPRV, 0, "MPRV left set");

  write_csr(satp, 0);
  priv_pass("vm_sum_mxr_mprv");
}
