/* Hand-countable translation traffic for testbench/system/test_counters.sh. M-mode maps the code through one
 * identity 1 GiB superpage and PAGES data pages at VA 0x4000_0000 whose leaf PTEs have A and D clear (the
 * walker sets them: run with mmu.ad_update=hardware), then runs this in S-mode, every instruction 4 bytes:
 *
 *     mv t0, a0 ; mv t1, a1                       2 instructions
 *   loop, once per page:                          6 per page
 *     ld t3, 0(t0)    first touch: miss, walk sets A
 *     sd t3, 8(t0)    entry cached with D clear: denied, walk sets D
 *     ld t3, 16(t0)   hit
 *     add t0, t0, t2 ; addi t1, t1, -1 ; bnez t1, loop
 *   sfence.vma a0, zero                           3 instructions
 *   ld t3, 0(a0)      the fence dropped page 0's leaf: miss, walk
 *   ecall             back to M-mode
 *
 * The test derives every expected count (fetches, TLB hits/misses/denials, walks, PTE reads, A/D updates)
 * from this listing. The TLBs are flushed right before the mret, so S-mode starts with them empty. */
#include "runtime.h"

#include "pte.h"
#define DATA_VA 0x40000000UL
#define PAGES 8
#define CAUSE_ECALL_S 9

extern char _end[];

__attribute__((aligned(4096))) static uint64_t root[512], mid[512], leaf[512];

static uint64_t make_pte(uint64_t pa, uint64_t bits) { return ((pa >> 12) << 10) | bits | PTE_V; }

/* long count_run(va, pages): the S-mode listing above; returns the mcause that brought it back to M. */
long count_run(uint64_t va, uint64_t pages);
__asm__(".pushsection .text.count, \"ax\"\n"
        ".option push\n"
        ".option norvc\n"
        ".balign 4\n"
        ".globl count_run\n"
        "count_run:\n"
        "  csrr t4, mtvec\n"
        "  la t0, 9f\n"
        "  csrw mtvec, t0\n"
        "  la t0, 1f\n"
        "  csrw mepc, t0\n"
        "  li t0, 0x1800\n"
        "  csrc mstatus, t0\n"
        "  li t0, 0x0800\n" /* MPP = S */
        "  csrs mstatus, t0\n"
        "  li t2, 4096\n"
        "  sfence.vma zero, zero\n"
        "  mret\n"
        "1:\n"
        "  mv t0, a0\n"
        "  mv t1, a1\n"
        "2:\n"
        "  ld t3, 0(t0)\n"
        "  sd t3, 8(t0)\n"
        "  ld t3, 16(t0)\n"
        "  add t0, t0, t2\n"
        "  addi t1, t1, -1\n"
        "  bnez t1, 2b\n"
        "  sfence.vma a0, zero\n"
        "  ld t3, 0(a0)\n"
        "  ecall\n"
        ".balign 4\n"
        "9:\n"
        "  csrw mtvec, t4\n"
        "  csrr a0, mcause\n"
        "  ret\n"
        ".option pop\n"
        ".popsection\n");

int main(void) {
  uint64_t frames = ((uintptr_t)_end + 4095) & ~4095UL;
  root[(RAM_BASE >> 30) & 0x1ff] = make_pte(RAM_BASE, PTE_R | PTE_W | PTE_X | PTE_A | PTE_D);
  root[(DATA_VA >> 30) & 0x1ff] = make_pte((uintptr_t)mid, 0);
  mid[(DATA_VA >> 21) & 0x1ff] = make_pte((uintptr_t)leaf, 0);
  for (unsigned i = 0; i < PAGES; i++) leaf[((DATA_VA >> 12) + i) & 0x1ff] = make_pte(frames + i * 4096UL, PTE_R | PTE_W);

  write_csr(pmpaddr0, ~0UL);
  write_csr(pmpcfg0, 0x1f);
  write_csr(satp, (8UL << 60) | ((uintptr_t)root >> 12));
  long cause = count_run(DATA_VA, PAGES);
  write_csr(satp, 0);
  if (cause != CAUSE_ECALL_S) {
    rt_printf("tlbcount: unexpected trap from S-mode: mcause=%lx mtval=%lx\n", (unsigned long)cause, read_csr(mtval));
    return 3;
  }
  for (unsigned i = 0; i < PAGES; i++) {
    if ((leaf[((DATA_VA >> 12) + i) & 0x1ff] & (PTE_A | PTE_D)) != (PTE_A | PTE_D)) {
      rt_printf("tlbcount: page %u: A/D not set by the walker\n", i);
      return 4;
    }
  }
  rt_printf("tlbcount: pages=%d done\n", PAGES);
  return 0;
}
