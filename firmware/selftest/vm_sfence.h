/* Shared set-up of vm_sfence.c (what the spec guarantees) and vm_sfence_stale.c (sv39sim keeps what a
 * fence does not cover). Header-only: included by exactly one translation unit per image.
 *
 * Two address spaces, A (ASID 1) and B (ASID 2), each with its own root and window tables and the RAM
 * gigapage mapped global (the same PTE in both, as the spec asks of global mappings):
 *   VX  non-global, A -> frame "A.X.v", B -> frame "B.X.v"
 *   VY  non-global, A only  -> "A.Y.v"
 *   VG  global, the same PTE in both -> "G.v"
 * where v is 0 (old) or 1 (new). Every frame holds its own tag at offset DOFF; a load through the VA in
 * S-mode tells which translation the hart used.
 */
#ifndef SV39SIM_VM_SFENCE_H
#define SV39SIM_VM_SFENCE_H

#include "vm.h"

#define ASID_A 1UL
#define ASID_B 2UL
#define VX (VM_WIN + 0x0000UL)
#define VY (VM_WIN + 0x1000UL)
#define VG (VM_WIN + 0x2000UL)
#define DOFF 0x18

enum { SA, SB };
enum { IX, IY, IG };
static uint64_t *sf_root[2];
static uint64_t sf_frame[2][3][2]; /* [space][va][version] physical address (G frames under SA) */

static inline uint64_t sf_tag(int space, int va, int ver) { return 0x7a00 + space * 0x100 + va * 0x10 + ver; }
static const uint64_t sf_va[3] = {VX, VY, VG};
static const char *const sf_va_name[3] = {"VX", "VY", "VG"};

static inline uint64_t sf_satp(int space) { return vm_satp(sf_root[space], space == SA ? ASID_A : ASID_B); }

static inline void sf_setup(void) {
  for (int s = 0; s < 2; s++) {
    sf_root[s] = vm_alloc_table();
    vm_map(sf_root[s], VM_RAM_GIGA, VM_RAM_GIGA, VM_LEVEL_1G, PTE_RWX | PTE_AD | PTE_G);
  }
  for (int s = 0; s < 2; s++)
    for (int v = 0; v < 3; v++)
      for (int ver = 0; ver < 2; ver++) {
        if ((s == SB && v == IY) || (s == SB && v == IG)) continue;
        uint64_t *p = vm_alloc_page();
        p[DOFF / 8] = sf_tag(s, v, ver);
        sf_frame[s][v][ver] = (uintptr_t)p;
      }
}

/* Point va (index v) of space s at version ver; a global VA is changed in both spaces. */
static inline void sf_set(int s, int v, int ver) {
  if (v == IG) {
    for (int t = 0; t < 2; t++) vm_map(sf_root[t], VG, sf_frame[SA][IG][ver], VM_LEVEL_4K, PTE_R | PTE_W | PTE_AD | PTE_G);
  } else {
    vm_map(sf_root[s], sf_va[v], sf_frame[s][v][ver], VM_LEVEL_4K, PTE_R | PTE_W | PTE_AD);
  }
}

/* A load of va in S-mode under space s: satp is written (no fence) and the result returned. */
static inline long sf_load(int s, uint64_t va) {
  write_csr(satp, sf_satp(s));
  priv_trap_clear();
  return priv_run(PRV_S, vm_load, (long)va);
}

/* Expect the load of va (index v) in space s to see version ver. */
static inline void sf_expect_at(int code, int line, int s, int v, int ver) {
  int fs = v == IG ? SA : s;
  long got = sf_load(s, sf_va[v] + DOFF);
  expect_no_trap_at(code, line, "load");
  priv_checks++;
  if ((uint64_t)got != sf_tag(fs, v, ver)) {
    rt_printf("FAIL case %d (line %d): %s in space %c: got tag 0x%lx, want 0x%lx (%s translation)\n", code, line,
              sf_va_name[v], s == SA ? 'A' : 'B', got, sf_tag(fs, v, ver), ver ? "new" : "old (stale)");
    rt_exit(code);
  }
}
#define SF_EXPECT(code, s, v, ver) sf_expect_at(code, __LINE__, s, v, ver)

/* All mappings old, everything flushed, then every (space, VA) loaded once so the TLBs hold it. */
static inline void sf_reset_and_warm(int code) {
  sf_set(SA, IX, 0);
  sf_set(SA, IY, 0);
  sf_set(SA, IG, 0);
  sf_set(SB, IX, 0);
  vm_sfence_all();
  SF_EXPECT(code, SA, IX, 0);
  SF_EXPECT(code, SA, IY, 0);
  SF_EXPECT(code, SA, IG, 0);
  SF_EXPECT(code, SB, IX, 0);
  SF_EXPECT(code, SB, IG, 0);
}

/* Point every mapping at its new frame, without a fence. */
static inline void sf_change_all(void) {
  sf_set(SA, IX, 1);
  sf_set(SA, IY, 1);
  sf_set(SA, IG, 1);
  sf_set(SB, IX, 1);
}

/* S-mode fences (a0 = the operand; run with priv_run under the current satp). */
__attribute__((unused)) static long s_sfence_all(long unused) {
  (void)unused;
  vm_sfence_all();
  return 0;
}
__attribute__((unused)) static long s_sfence_va_asid_a(long va) {
  vm_sfence_va_asid((uint64_t)va, ASID_A);
  return 0;
}
__attribute__((unused)) static long s_sfence_asid(long asid) {
  vm_sfence_asid((uint64_t)asid);
  return 0;
}
__attribute__((unused)) static long s_sfence_va(long va) {
  vm_sfence_va((uint64_t)va);
  return 0;
}

#endif
