/* The compute benchmark (firmware/compute/compute.c, compiled unchanged) run in S-mode under Sv39.
 *
 * M-mode start: builds Sv39 page tables that identity-map the first 8 MiB of RAM (the image, its bss,
 * the stack and these tables) with 4 KiB pages whose A and D bits are clear, so every first load and
 * first store of a page goes through the hardware A/D update of the walker, and the devices
 * (test finisher 0x10_0000, CLINT, PLIC, UART 0x1000_0000) with one 1 GiB superpage at VA = PA 0. Then
 * PMP entry 0 open to S/U (pmpaddr0 = ~0, pmpcfg0 = NAPOT RWX), satp = Sv39 with ASID 1, sfence.vma, and
 * an mret into S-mode that calls the compute kernels. Their return value goes to rt_exit, still in
 * S-mode: rt_exit writes tohost (in RAM) and then the test finisher, both mapped. The console output is
 * exactly compute.elf's (same COMPUTE_SCALE). Traps stay with M (medeleg = 0): an unexpected one reaches
 * the runtime's M-mode handler, which reports it and fails the run. */
#define main compute_main
#include "../compute/compute.c"
#undef main

#include "pte.h"
#define VM_ASID 1UL
#define VM_RAM_MAPPED (8UL << 20) /* identity-mapped RAM, 4 KiB pages */
#define VM_L0_TABLES (VM_RAM_MAPPED >> 21)

extern char _end[];

__attribute__((aligned(4096))) static uint64_t vm_root[512], vm_l1[512], vm_l0[VM_L0_TABLES][512];

static uint64_t vm_pte(uint64_t pa, uint64_t bits) { return ((pa >> 12) << 10) | bits | PTE_V; }

/* mret into S-mode at fn with ra = vm_s_done, so fn's return value goes to rt_exit in S-mode. */
void vm_enter_s(int (*fn)(void)) __attribute__((noreturn));
__asm__(".pushsection .text.vm_enter, \"ax\"\n"
        ".balign 4\n"
        ".globl vm_enter_s\n"
        "vm_enter_s:\n"
        "  csrw mepc, a0\n"
        "  li t0, 0x1800\n" /* mstatus.MPP = S (01) */
        "  csrc mstatus, t0\n"
        "  li t0, 0x0800\n"
        "  csrs mstatus, t0\n"
        "  la ra, vm_s_done\n"
        "  sfence.vma zero, zero\n"
        "  mret\n"
        "vm_s_done:\n"
        "  tail rt_exit\n"
        ".popsection\n");

int main(void) {
  if ((uintptr_t)_end > RAM_BASE + VM_RAM_MAPPED) {
    rt_printf("compute-vm: image ends at %p, beyond the %lu MiB mapped\n", (void *)_end, VM_RAM_MAPPED >> 20);
    return 2;
  }
  /* Devices: one 1 GiB superpage, VA = PA 0 .. 0x3fff_ffff, read/write, A and D set. */
  vm_root[0] = vm_pte(0, PTE_R | PTE_W | PTE_A | PTE_D);
  /* RAM: root -> one level-1 table -> VM_L0_TABLES level-0 tables of 4 KiB leaves, RWX, A/D clear. */
  vm_root[(RAM_BASE >> 30) & 0x1ff] = vm_pte((uintptr_t)vm_l1, 0);
  for (unsigned t = 0; t < VM_L0_TABLES; t++) {
    vm_l1[((RAM_BASE >> 21) + t) & 0x1ff] = vm_pte((uintptr_t)vm_l0[t], 0);
    for (unsigned i = 0; i < 512; i++)
      vm_l0[t][i] = vm_pte(RAM_BASE + ((uint64_t)t << 21) + ((uint64_t)i << 12), PTE_R | PTE_W | PTE_X);
  }
  write_csr(pmpaddr0, ~0UL);
  write_csr(pmpcfg0, 0x1f);
  write_csr(medeleg, 0);
  write_csr(mideleg, 0);
  write_csr(satp, (8UL << 60) | (VM_ASID << 44) | ((uintptr_t)vm_root >> 12));
  vm_enter_s(compute_main);
}
