/* Strided D-TLB probe: reads "N R\n" (two decimal numbers) from the UART, maps an array of N 4 KiB pages
 * under Sv39, drops to S-mode and runs a hand-written loop that loads one doubleword from each of pages
 * 0..N-1 in order, R times over, then returns to M-mode and exits 0.
 *
 * The point is to make the D-TLB traffic of the measured loop exactly known, so that
 * testbench/system/test_tlb_analytic.sh can compare mmu.dtlb.misses.load.4k with counts worked out by
 * hand:
 *   - Only the loop runs in S-mode, and it is inline asm whose body holds a single `ld` (the loop keeps
 *     everything in registers: no stack, no other data). M-mode does not translate (MPRV stays clear),
 *     so setup, UART input and rt_exit never touch the D-TLB. The D-TLB is flushed (sfence.vma) right
 *     before the mret into S-mode, so the loop starts with an empty D-TLB.
 *   - Code is reached through one 1 GiB superpage (VA = PA 0x8000_0000), which occupies I-TLB entries
 *     only: no S-mode load or store goes through it.
 *   - The array lives at VA 0x4000_0000 (VPN 0x40000, a multiple of any power-of-two set count up to
 *     2^18), page i at VA 0x4000_0000 + i * 4096, each a 4 KiB leaf with A and D already set (no A/D
 *     update walks). Physical frames are distinct pages of RAM above the image (never written; RAM
 *     reads as zero).
 * The trap from the final `ecall` (S -> M) ends the loop; any other trap fails the run. */
#include "runtime.h"

#define UART_RBR 0
#define UART_IER 1
#define UART_LSR 5
#define MIP_MEIP (1UL << 11)

#include "pte.h"
#define PAGE 4096UL
#define ARRAY_VA 0x40000000UL
#define MAX_PAGES 512 /* one level-0 table */
#define ASID 1UL
#define CAUSE_ECALL_S 9

extern char _end[];

__attribute__((aligned(4096))) static uint64_t root[512], l1[512], l0[512];

/* UART receive, sleeping in WFI on the receive interrupt (as echo.c does). */
static void wait_for_byte(void) {
  while (!(MMIO8(UART_BASE + UART_LSR) & 1)) {
    __asm__ volatile("wfi");
    uint32_t src = MMIO32(PLIC_CLAIM(0));
    if (src) MMIO32(PLIC_CLAIM(0)) = src;
  }
}

static char read_char(void) {
  wait_for_byte();
  return (char)MMIO8(UART_BASE + UART_RBR);
}

/* Next decimal number: skips anything that is not a digit, stops at the first non-digit after it. */
static unsigned long read_number(void) {
  char c;
  do c = read_char();
  while (c < '0' || c > '9');
  unsigned long v = 0;
  while (c >= '0' && c <= '9') {
    v = v * 10 + (unsigned long)(c - '0');
    c = read_char();
  }
  return v;
}

static uint64_t pte(uint64_t pa, uint64_t bits) { return ((pa >> 12) << 10) | bits | PTE_V; }

/* long stride_loop(va, n, r): mret into S-mode at 1:, run the loop, ecall back to M at 3:. Returns mcause
 * of the trap that came back (CAUSE_ECALL_S when all went well). The S-mode part uses only a0-a2 and
 * t0-t3; t4 (old mtvec) and ra survive it untouched. */
long stride_loop(uint64_t va, uint64_t n, uint64_t r);
__asm__(".pushsection .text.stride, \"ax\"\n"
        ".option push\n"
        ".option norvc\n"
        ".balign 4\n"
        ".globl stride_loop\n"
        "stride_loop:\n"
        "  csrr t4, mtvec\n"
        "  la t0, 3f\n"
        "  csrw mtvec, t0\n"
        "  la t0, 1f\n"
        "  csrw mepc, t0\n"
        "  li t0, 0x1800\n" /* mstatus.MPP = S (01) */
        "  csrc mstatus, t0\n"
        "  li t0, 0x0800\n"
        "  csrs mstatus, t0\n"
        "  li t2, 4096\n"
        "  sfence.vma zero, zero\n"
        "  mret\n"
        /* ---- S-mode: for (r = R; r; r--) for (p = va, i = N; i; i--, p += 4096) load *p ---- */
        "1:\n"
        "  beqz a2, 4f\n"
        "  beqz a1, 4f\n"
        "5:\n"
        "  mv t0, a0\n"
        "  mv t1, a1\n"
        "2:\n"
        "  ld t3, 0(t0)\n" /* the only memory access of the loop */
        "  add t0, t0, t2\n"
        "  addi t1, t1, -1\n"
        "  bnez t1, 2b\n"
        "  addi a2, a2, -1\n"
        "  bnez a2, 5b\n"
        "4:\n"
        "  ecall\n"
        /* ---- back in M-mode ---- */
        ".balign 4\n"
        "3:\n"
        "  csrw mtvec, t4\n"
        "  csrr a0, mcause\n"
        "  ret\n"
        ".option pop\n"
        ".popsection\n");

int main(void) {
  MMIO32(PLIC_PRIORITY(UART_IRQ)) = 1;
  MMIO32(PLIC_ENABLE(0)) = 1u << UART_IRQ;
  MMIO32(PLIC_THRESHOLD(0)) = 0;
  MMIO8(UART_BASE + UART_IER) = 1; /* received-data interrupt */
  set_csr(mie, MIP_MEIP);
  unsigned long n = read_number();
  unsigned long r = read_number();
  MMIO8(UART_BASE + UART_IER) = 0;
  clear_csr(mie, MIP_MEIP);
  if (n > MAX_PAGES) {
    rt_printf("tlbstride: N=%lu is more than %d pages\n", n, MAX_PAGES);
    return 2;
  }

  /* Page tables: code/data gigapage at 0x8000_0000 (identity), array pages at ARRAY_VA. */
  uint64_t frames = ((uintptr_t)_end + PAGE - 1) & ~(PAGE - 1);
  root[(RAM_BASE >> 30) & 0x1ff] = pte(RAM_BASE, PTE_R | PTE_W | PTE_X | PTE_A | PTE_D);
  root[(ARRAY_VA >> 30) & 0x1ff] = pte((uintptr_t)l1, 0);
  l1[(ARRAY_VA >> 21) & 0x1ff] = pte((uintptr_t)l0, 0);
  for (unsigned long i = 0; i < n; i++) l0[((ARRAY_VA >> 12) + i) & 0x1ff] = pte(frames + i * PAGE, PTE_R | PTE_W | PTE_A | PTE_D);

  /* PMP entry 0 open to S-mode; Sv39 with an ASID. */
  write_csr(pmpaddr0, ~0UL);
  write_csr(pmpcfg0, 0x1f);
  write_csr(medeleg, 0);
  write_csr(mideleg, 0);
  write_csr(satp, (8UL << 60) | (ASID << 44) | ((uintptr_t)root >> 12));

  long cause = stride_loop(ARRAY_VA, n, r);
  write_csr(satp, 0);
  if (cause != CAUSE_ECALL_S) {
    rt_printf("tlbstride: unexpected trap from S-mode: mcause=%lx mepc=%lx mtval=%lx\n", (unsigned long)cause,
              read_csr(mepc), read_csr(mtval));
    return 3;
  }
  rt_printf("tlbstride: N=%lu R=%lu done\n", n, r);
  return 0;
}
