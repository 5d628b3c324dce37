// Sv39 superpages (privileged spec v1.12, 4.3.2 step 8 and 4.4): 2 MiB and 1 GiB leaves translate
// VA[20:0] / VA[29:0] straight through (checked at several offsets, for loads, stores, AMOs and fetches,
// from S and U, also at the top of the VA space); a leaf at level 1 with ppn[0] != 0 or at level 2 with
// ppn[1:0] != 0 is a misaligned superpage -> page fault of the access type with mtval = the VA.
// qemu-args: -cpu rv64,f=false,d=false,h=false,sstc=false,svpbmt=false,svnapot=false,svinval=false
#include "vm.h"

#define REGION 0x81000000UL /* 2 MiB-aligned RAM above the image, 4 MiB of it used */
#define PAT(pa) (0xa500000000000000UL | (pa))

/* 2 MiB leaves */
#define V2M_S (VM_WIN + 0x00200000UL)  /* -> REGION, S */
#define V2M_U (VM_WIN + 0x00400000UL)  /* -> REGION + 2 MiB, U */
#define V2M_TOP 0xffffffffffe00000UL   /* -> REGION, S: the last 2 MiB of the VA space */
#define V2M_MIS (VM_WIN + 0x00600000UL) /* -> REGION + 4 KiB: misaligned, S */
#define V2M_MIS_U (VM_WIN + 0x00800000UL) /* -> REGION + 2 MiB - 4 KiB: misaligned, U */
/* 1 GiB leaves (root slots) */
#define V1G_S 0xffffffc000000000UL    /* root 256 -> 0x8000_0000, S (first VA of the upper half) */
#define V1G_U 0x0000000140000000UL    /* root 5 -> 0x8000_0000, U */
#define V1G_MIS1 0x0000000180000000UL /* root 6 -> 0x8020_0000: ppn[1] != 0 */
#define V1G_MIS0 0x00000001c0000000UL /* root 7 -> 0x8000_1000: ppn[0] != 0 */
#define V1G_MIS01 0x0000000200000000UL /* root 8 -> 0xbfff_f000: ppn[1] and ppn[0] != 0 */

static const uint64_t offs2m[] = {0, 8, 0x1000, 0x12348, 0x100000, 0x1ff000, 0x1ffff8};

static long ld(int priv, uint64_t va) { return vm_run(priv, vm_load, (long)va); }

static void expect_pf(int code, int line, int priv, long (*fn)(long), uint64_t va, uint64_t cause, uint64_t epc) {
  long r;
  if (fn == vm_fetch)
    r = vm_run_fetch(priv, va);
  else
    r = vm_run(priv, fn, (long)va);
  vm_expect_fault_at(code, line, cause, va, priv, epc);
  EXPECT(code, fn == vm_store || (uint64_t)r == VM_NOVAL, "line %d: a0 = 0x%lx after the fault", line, r);
}
#define EXPECT_PF(code, priv, fn, va, cause, epc) expect_pf(code, __LINE__, priv, fn, va, cause, epc)

/* Loads that alternate between a 4 KiB page, a 2 MiB leaf and the 1 GiB leaf, n rounds of eight lines
 * each: the hart's run loop then hits D-TLB entries of every level in turn. */
#define V4K_S (VM_WIN + 0x5000UL) /* -> REGION + 0x7000, S */
static volatile uint64_t mixed_vas[3];
static long mixed_levels(long n) {
  uint64_t sum = 0;
  for (long i = 0; i < n; i++)
    for (uint64_t k = 0; k < 3; k++) sum += *(volatile uint64_t *)(mixed_vas[k] + (uint64_t)(i & 7) * 64);
  return (long)sum;
}

static void misaligned(int code, int priv, uint64_t va) {
  vm_store_value = 1;
  EXPECT_PF(code, priv, vm_load, va + 0x10, CAUSE_LOAD_PAGE_FAULT, (uintptr_t)vm_load_pc);
  EXPECT_PF(code, priv, vm_store, va + 0x18, CAUSE_STORE_PAGE_FAULT, (uintptr_t)vm_store_pc);
  EXPECT_PF(code, priv, vm_fetch, va + 0x2000, CAUSE_FETCH_PAGE_FAULT, va + 0x2000);
}

int main(void) {
  priv_init();
  vm_std_setup();
  uint64_t *rs = vm_root_s, *ru = vm_root_u;

  /* Fill the region with PAT(pa) at every 8th byte we look at, and code at a few places. */
  volatile uint64_t *reg = (volatile uint64_t *)REGION;
  for (uint64_t o = 0; o < 0x400000; o += 0x1000) {
    reg[o / 8] = PAT(REGION + o);
    reg[o / 8 + 1] = PAT(REGION + o + 8);
    reg[(o + 0xff8) / 8] = PAT(REGION + o + 0xff8);
  }
  reg[0x12348 / 8] = PAT(REGION + 0x12348);
  reg[(0x200000 + 0x12348) / 8] = PAT(REGION + 0x200000 + 0x12348);
  vm_code((void *)(REGION + 0x2000), 0, 0x201);
  vm_code((void *)(REGION + 0x1ff800), 0, 0x202);
  vm_code((void *)(REGION + 0x200000 + 0x3000), 0x40, 0x203);

  vm_map(rs, V2M_S, REGION, VM_LEVEL_2M, PTE_RWX | PTE_AD);
  vm_map(rs, V2M_U, REGION + 0x200000, VM_LEVEL_2M, PTE_RWX | PTE_AD | PTE_U);
  vm_map(rs, V2M_TOP, REGION, VM_LEVEL_2M, PTE_RWX | PTE_AD);
  vm_map(ru, V2M_TOP, REGION, VM_LEVEL_2M, PTE_RWX | PTE_AD | PTE_U);
  vm_map(rs, V2M_MIS, REGION + 0x1000, VM_LEVEL_2M, PTE_RWX | PTE_AD);
  vm_map(rs, V2M_MIS_U, REGION + 0x1ff000, VM_LEVEL_2M, PTE_RWX | PTE_AD | PTE_U);
  vm_map(rs, V1G_S, VM_RAM_GIGA, VM_LEVEL_1G, PTE_RWX | PTE_AD);
  vm_map(ru, V1G_U, VM_RAM_GIGA, VM_LEVEL_1G, PTE_RWX | PTE_AD | PTE_U);
  uint64_t *roots[2] = {rs, ru};
  for (int r = 0; r < 2; r++) {
    uint64_t u = r ? PTE_U : 0;
    vm_map(roots[r], V1G_MIS1, VM_RAM_GIGA + 0x200000, VM_LEVEL_1G, PTE_RWX | PTE_AD | u);
    vm_map(roots[r], V1G_MIS0, VM_RAM_GIGA + 0x1000, VM_LEVEL_1G, PTE_RWX | PTE_AD | u);
    vm_map(roots[r], V1G_MIS01, VM_RAM_GIGA + 0x3ffff000, VM_LEVEL_1G, PTE_RWX | PTE_AD | u);
  }

  /* 1-3: 2 MiB S leaf: loads at several offsets, stores and an AMO land at REGION + offset, fetches. */
  for (unsigned i = 0; i < sizeof offs2m / sizeof offs2m[0]; i++) {
    uint64_t o = offs2m[i];
    EXPECT_EQ(1, ld(PRV_S, V2M_S + o), PAT(REGION + o), "load through the 2 MiB S leaf");
    expect_no_trap(1, "load through the 2 MiB S leaf");
  }
  vm_store_value = 0x5151;
  vm_run(PRV_S, vm_store, (long)(V2M_S + 0x1ffff0));
  expect_no_trap(2, "store through the 2 MiB leaf");
  EXPECT_EQ(2, reg[0x1ffff0 / 8], 0x5151, "stored doubleword at REGION + 0x1ffff0");
  EXPECT_EQ(2, vm_run(PRV_S, vm_amo, (long)(V2M_S + 0x1ffff0)), 0x5151, "amoadd old value");
  EXPECT_EQ(2, reg[0x1ffff0 / 8], 0x5151 * 2, "amoadd result at REGION + 0x1ffff0");
  EXPECT_EQ(3, vm_run_fetch(PRV_S, V2M_S + 0x2000), 0x201, "fetch through the 2 MiB leaf at +0x2000");
  EXPECT_EQ(3, vm_run_fetch(PRV_S, V2M_S + 0x1ff800), 0x202, "fetch through the 2 MiB leaf at +0x1ff800");
  expect_no_trap(3, "fetch through the 2 MiB leaf");

  /* 4-5: 2 MiB U leaf from U. */
  EXPECT_EQ(4, ld(PRV_U, V2M_U + 0x12348), PAT(REGION + 0x200000 + 0x12348), "U load through a 2 MiB leaf");
  EXPECT_EQ(4, ld(PRV_U, V2M_U + 0x1ffff8), PAT(REGION + 0x3ffff8), "U load through a 2 MiB leaf");
  vm_store_value = 0x5252;
  vm_run(PRV_U, vm_store, (long)(V2M_U + 0x100008));
  expect_no_trap(5, "U store through the 2 MiB leaf");
  EXPECT_EQ(5, reg[0x300008 / 8], 0x5252, "stored doubleword at REGION + 0x300008");
  EXPECT_EQ(5, vm_run_fetch(PRV_U, V2M_U + 0x3040), 0x203, "U fetch through the 2 MiB leaf");
  expect_no_trap(5, "U fetch through the 2 MiB leaf");

  /* 6: the last 2 MiB of the VA space (VA 0xffff_ffff_ffe0_0000, root 511, level-1 slot 511). */
  for (unsigned i = 0; i < sizeof offs2m / sizeof offs2m[0]; i++) {
    uint64_t o = offs2m[i];
    EXPECT_EQ(6, ld(PRV_S, V2M_TOP + o), PAT(REGION + o), "load through the top 2 MiB leaf (S)");
    EXPECT_EQ(6, ld(PRV_U, V2M_TOP + o), PAT(REGION + o), "load through the top 2 MiB leaf (U)");
    expect_no_trap(6, "load through the top 2 MiB leaf");
  }
  EXPECT_EQ(6, vm_run_fetch(PRV_S, V2M_TOP + 0x2000), 0x201, "fetch at the top of the VA space");

  /* 7-9: 1 GiB leaf at the bottom of the upper half (VA 0xffff_ffc0_0000_0000) -> RAM at 0x8000_0000. */
  static const uint64_t offs1g[] = {0x1000000, 0x1000008, 0x1012348, 0x11ff000, 0x13ffff8};
  for (unsigned i = 0; i < sizeof offs1g / sizeof offs1g[0]; i++) {
    uint64_t o = offs1g[i];
    EXPECT_EQ(7, ld(PRV_S, V1G_S + o), PAT(VM_RAM_GIGA + o), "load through the 1 GiB leaf");
    EXPECT_EQ(7, ld(PRV_U, V1G_U + o), PAT(VM_RAM_GIGA + o), "U load through the 1 GiB leaf");
  }
  /* A variable of the image, at its own offset. */
  static volatile uint64_t marker = 0x6d61726b6572UL;
  uint64_t moff = (uintptr_t)&marker - VM_RAM_GIGA;
  EXPECT_EQ(7, ld(PRV_S, V1G_S + moff), 0x6d61726b6572UL, "the marker variable through the 1 GiB leaf");
  expect_no_trap(7, "loads through the 1 GiB leaf");
  vm_store_value = 0x5353;
  vm_run(PRV_S, vm_store, (long)(V1G_S + moff));
  expect_no_trap(8, "store through the 1 GiB leaf");
  EXPECT_EQ(8, marker, 0x5353, "marker after the store through the 1 GiB leaf");
  vm_run(PRV_U, vm_store, (long)(V1G_U + 0x13ffff0));
  EXPECT_EQ(8, reg[0x3ffff0 / 8], 0x5353, "U store through the 1 GiB leaf");
  EXPECT_EQ(9, vm_run_fetch(PRV_S, V1G_S + 0x1002000), 0x201, "fetch through the 1 GiB leaf");
  EXPECT_EQ(9, vm_run_fetch(PRV_U, V1G_U + 0x1203040), 0x203, "U fetch through the 1 GiB leaf");
  expect_no_trap(9, "fetch through the 1 GiB leaf");

  /* 10-11: misaligned 2 MiB leaves (ppn[0] != 0). */
  misaligned(10, PRV_S, V2M_MIS);
  misaligned(11, PRV_U, V2M_MIS_U);
  /* 12-14: misaligned 1 GiB leaves: ppn[1] != 0, ppn[0] != 0, both. */
  misaligned(12, PRV_S, V1G_MIS1);
  misaligned(12, PRV_U, V1G_MIS1 + 0x12345000);
  misaligned(13, PRV_S, V1G_MIS0);
  misaligned(13, PRV_U, V1G_MIS0 + 0x3ff00000);
  misaligned(14, PRV_S, V1G_MIS01 + 0x200000);
  misaligned(14, PRV_U, V1G_MIS01);
  /* 15: nothing was written through the misaligned 2 MiB leaf (with or without its low PPN bits). */
  EXPECT_EQ(15, reg[0x1018 / 8], 0, "REGION + 0x1018 after the faulting stores");
  EXPECT_EQ(15, reg[0x18 / 8], 0, "REGION + 0x18 after the faulting stores");

  /* 16: loads through leaves of all three levels in one loop see each leaf's own frame. */
  vm_map(rs, V4K_S, REGION + 0x7000, VM_LEVEL_4K, PTE_R | PTE_W | PTE_AD);
  mixed_vas[0] = V4K_S;
  mixed_vas[1] = V2M_S + 0x9000;
  mixed_vas[2] = V1G_S + (REGION + 0xb000 - VM_RAM_GIGA);
  uint64_t want = 0;
  for (uint64_t j = 0; j < 8; j++) {
    reg[(0x7000 + j * 64) / 8] = j + 1;
    reg[(0x9000 + j * 64) / 8] = (j + 1) << 16;
    reg[(0xb000 + j * 64) / 8] = (j + 1) << 32;
    want += ((j + 1) + ((j + 1) << 16) + ((j + 1) << 32)) * 25; /* 200 rounds: 25 of each line */
  }
  EXPECT_EQ(16, vm_run(PRV_S, mixed_levels, 200), want, "sum of loads through 4 KiB, 2 MiB and 1 GiB leaves");
  expect_no_trap(16, "loads through leaves of every level");

  write_csr(satp, 0);
  priv_pass("vm_superpages");
}
