// The Sv39 rules of the RISC-V privileged spec, one table row each: the spec's words, hand-written PTEs
// and the outcome the spec requires, worked out by hand (no value here is computed by the code under
// test). Every row runs against the model's walk (sv39::walk in models/mmu/Sv39.h, which the
// PageTableWalker and the TLB hit path decide with) and against the reference written from the spec
// (reference/Sv39Reference.h), so a wrong rule in either shows up here on its own.
#include <gtest/gtest.h>

#include <cstdint>
#include <map>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "models/mmu/Sv39.h"
#include "testbench/unit/reference/Sv39Reference.h"

namespace sv39sim {
namespace {

// PTE bits as the spec draws the Sv39 PTE: D A G U X W R V in bits 7..0.
constexpr uint64_t V = 0x01, R = 0x02, W = 0x04, X = 0x08, U = 0x10, G = 0x20, A = 0x40, D = 0x80;

// Physical memory: 64 KiB at 0x8000_0000; nothing answers anywhere else.
constexpr uint64_t kMemBase = 0x8000'0000, kMemSize = 0x1'0000;
// The page tables every row uses: root 0x8000_0000 -> level-1 table 0x8000_1000 -> level-0 table
// 0x8000_2000 (satp.PPN = 0x80000).
constexpr uint64_t kRoot = 0x8000'0000;

// The VA most rows translate: VPN[2] = 1, VPN[1] = 1, VPN[0] = 3, offset 0xabc.
constexpr uint64_t kVa = 0x4020'3abc;
// Where its walk reads: root + 1*8, level-1 table + 1*8, level-0 table + 3*8.
constexpr uint64_t kPte2 = 0x8000'0008, kPte1 = 0x8000'1008, kPte0 = 0x8000'2018;

// Pointers (V only) with PPN[2:0] of the next table, shifted to bit 10: 0x80001 << 10 = 0x2000_0400.
constexpr uint64_t kToL1 = 0x2000'0400 | V;
constexpr uint64_t kToL0 = 0x2000'0800 | V;
// Leaf frames (the caller adds the permission bits):
constexpr uint64_t kFrame4k = 0x2000'1400;  // PPN 0x80005: pa 0x8000_5abc
constexpr uint64_t kFrame2m = 0x2010'0000;  // PPN 0x80400, 2 MiB aligned: pa 0x8040_3abc
constexpr uint64_t kFrame1g = 0x3000'0000;  // PPN 0xc0000, 1 GiB aligned: pa 0xc020_3abc
constexpr uint64_t kPa4k = 0x8000'5abc, kPa2m = 0x8040'3abc, kPa1g = 0xc020'3abc;

struct Ctx {
  Priv priv;
  bool sum, mxr;
  bool hardware_ad;  // Svadu (the walk sets A/D) or Svade (A/D missing is a page fault)
};
constexpr Ctx kS{Priv::S, false, false, true};
constexpr Ctx kSSum{Priv::S, true, false, true};
constexpr Ctx kSMxr{Priv::S, false, true, true};
constexpr Ctx kSSumMxr{Priv::S, true, true, true};
constexpr Ctx kU{Priv::U, false, false, true};
constexpr Ctx kUMxr{Priv::U, false, true, true};
constexpr Ctx kSSvade{Priv::S, false, false, false};

struct Outcome {
  uint64_t cause = 0;  // 0: the translation succeeds
  uint64_t pa = 0;
  int level = 0;
  unsigned reads = 0;     // PTE reads made, the failing one included: the first `reads` of the row's PTEs
  uint64_t ad_write = 0;  // the leaf as the walk stores it with A/D set; 0: no store
  bool global = false;
};
Outcome ok(uint64_t pa, int level, uint64_t ad_write = 0, bool global = false) {
  return {0, pa, level, static_cast<unsigned>(3 - level), ad_write, global};
}
Outcome fault(uint64_t cause, unsigned reads) {
  return {cause, 0, 0, reads, 0, false};
}

// Exception codes (mcause), as the spec's table lists them.
constexpr uint64_t kFetchAccess = 1, kLoadAccess = 5, kStoreAccess = 7;
constexpr uint64_t kFetchPage = 12, kLoadPage = 13, kStorePage = 15;

struct Row {
  const char* spec;  // the rule, in the spec's words (or close to them)
  Ctx ctx;
  Access access;
  uint64_t va;
  // The PTEs the walk meets, in the order it reads them (address, value); addresses outside memory
  // are not stored (a read there must fail).
  std::vector<std::pair<uint64_t, uint64_t>> ptes;
  Outcome want;
  uint64_t root = kRoot;
  uint64_t pmp_denies_read = 0;   // a PTE address PMP denies S-mode reads of
  uint64_t pmp_denies_write = 0;  // a PTE address PMP denies S-mode writes of
};

using Ptes = std::vector<std::pair<uint64_t, uint64_t>>;
Ptes level0(uint64_t leaf) {
  return {{kPte2, kToL1}, {kPte1, kToL0}, {kPte0, leaf}};
}
Ptes level1(uint64_t leaf) {
  return {{kPte2, kToL1}, {kPte1, leaf}};
}
Ptes level2(uint64_t leaf) {
  return {{kPte2, leaf}};
}

// clang-format off
const std::vector<Row>& rows() {
  static const std::vector<Row> table = {
    // --- "Instruction fetch addresses and load and store effective addresses, which are 64 bits, must have
    //     bits 63-39 all equal to bit 38, or else a page-fault exception will occur."
    {"bit 39 set, bit 38 clear: page fault, no PTE read", kS, Access::Load, 0x0000'0080'4020'3abc,
     level0(kFrame4k | V | R | W | X | A | D), fault(kLoadPage, 0)},
    {"bit 63 set, bit 38 clear (fetch)", kS, Access::Fetch, 0x8000'0000'4020'3abc,
     level0(kFrame4k | V | R | W | X | A | D), fault(kFetchPage, 0)},
    {"bits 63-39 set, bit 38 clear (store)", kS, Access::Store, 0xffff'ff80'4020'3abc,
     level0(kFrame4k | V | R | W | X | A | D), fault(kStorePage, 0)},
    {"bits 63-38 all set: canonical, VPN[2] = 0x101", kS, Access::Load, 0xffff'ffc0'4020'3abc,
     {{0x8000'0808, kToL1}, {kPte1, kToL0}, {kPte0, kFrame4k | V | R | A}}, ok(kPa4k, 0)},

    // --- Step 2: "If accessing pte violates a PMA or PMP check, raise an access-fault exception
    //     corresponding to the original access type."
    {"root table outside memory: load access fault", kS, Access::Load, kVa,
     {{0x1000'0008, 0}}, fault(kLoadAccess, 1), 0x1000'0000},
    {"root table outside memory: fetch access fault", kS, Access::Fetch, kVa,
     {{0x1000'0008, 0}}, fault(kFetchAccess, 1), 0x1000'0000},
    {"root table outside memory: store access fault", kS, Access::Store, kVa,
     {{0x1000'0008, 0}}, fault(kStoreAccess, 1), 0x1000'0000},
    {"pointer to a table outside memory", kS, Access::Load, kVa,
     {{kPte2, kToL1}, {kPte1, 0x1000'0000 | V}, {0x4000'0018, 0}}, fault(kLoadAccess, 3)},
    {"PMP denies the level-1 PTE read", kS, Access::Store, kVa,
     level0(kFrame4k | V | R | W | A | D), fault(kStoreAccess, 2), kRoot, kPte1},
    {"PMP denies the leaf read: access fault even though the leaf is invalid", kS, Access::Fetch, kVa,
     level0(0), fault(kFetchAccess, 3), kRoot, kPte0},

    // --- Step 3: "If pte.v = 0, or if pte.r = 0 and pte.w = 1, ... stop and raise a page-fault exception
    //     corresponding to the original access type."
    {"V = 0 at level 2", kS, Access::Load, kVa, {{kPte2, 0}}, fault(kLoadPage, 1)},
    {"V = 0 at level 1, every other bit set", kS, Access::Store, kVa,
     {{kPte2, kToL1}, {kPte1, ~V}}, fault(kStorePage, 2)},
    {"V = 0 on a leaf that would allow everything", kS, Access::Fetch, kVa,
     level0(kFrame4k | R | W | X | A | D), fault(kFetchPage, 3)},
    {"R = 0, W = 1 (X = 0) is reserved, even for a store", kS, Access::Store, kVa,
     level0(kFrame4k | V | W | A | D), fault(kStorePage, 3)},
    {"R = 0, W = 1, X = 1 is reserved, even for a fetch", kS, Access::Fetch, kVa,
     level0(kFrame4k | V | W | X | A | D), fault(kFetchPage, 3)},
    {"R = 0, W = 1 on a level-1 'pointer'", kS, Access::Load, kVa,
     {{kPte2, kToL1}, {kPte1, 0x2000'0800 | V | W}}, fault(kLoadPage, 2)},
    //     "... or if any bits or encodings that are reserved for future standard use are set within pte"
    //     (Sv39: "Bits 60-54 ... If any of these bits are set, a page-fault exception is raised"; bit 63
    //     without Svnapot and bits 62-61 without Svpbmt likewise.)
    {"leaf bit 54 set", kS, Access::Load, kVa,
     level0(0x0040'0000'0000'0000 | kFrame4k | V | R | A), fault(kLoadPage, 3)},
    {"leaf bit 60 set", kS, Access::Load, kVa,
     level0(0x1000'0000'0000'0000 | kFrame4k | V | R | A), fault(kLoadPage, 3)},
    {"leaf PBMT (bit 61) without Svpbmt", kS, Access::Store, kVa,
     level0(0x2000'0000'0000'0000 | kFrame4k | V | R | W | A | D), fault(kStorePage, 3)},
    {"leaf PBMT (bit 62) without Svpbmt", kS, Access::Fetch, kVa,
     level0(0x4000'0000'0000'0000 | kFrame4k | V | X | A), fault(kFetchPage, 3)},
    {"leaf N (bit 63) without Svnapot", kS, Access::Load, kVa,
     level0(0x8000'0000'0000'0000 | kFrame4k | V | R | A), fault(kLoadPage, 3)},
    {"pointer with bit 54 set", kS, Access::Load, kVa,
     {{kPte2, 0x0040'0000'0000'0000 | kToL1}}, fault(kLoadPage, 1)},
    //     "For non-leaf PTEs, the D, A, and U bits are reserved for future standard use."
    {"pointer with D", kS, Access::Load, kVa, {{kPte2, kToL1 | D}}, fault(kLoadPage, 1)},
    {"pointer with A", kS, Access::Load, kVa, {{kPte2, kToL1}, {kPte1, kToL0 | A}}, fault(kLoadPage, 2)},
    {"pointer with U", kU, Access::Load, kVa, {{kPte2, kToL1 | U}}, fault(kLoadPage, 1)},
    //     "The RSW field is reserved for use by supervisor software; the implementation shall ignore it."
    {"RSW (bits 9:8) set on pointers and leaf: ignored", kS, Access::Load, kVa,
     {{kPte2, kToL1 | 0x300}, {kPte1, kToL0 | 0x100}, {kPte0, kFrame4k | 0x200 | V | R | A}}, ok(kPa4k, 0)},

    // --- Step 4: "If pte.r = 1 or pte.x = 1, go to step 5. Otherwise, this PTE is a pointer to the next
    //     level of the page table. Let i = i - 1. If i < 0, stop and raise a page-fault exception".
    {"pointer at level 0", kS, Access::Load, kVa, level0(kToL0), fault(kLoadPage, 3)},
    {"leaf at level 1: a 2 MiB megapage", kS, Access::Load, kVa, level1(kFrame2m | V | R | A), ok(kPa2m, 1)},
    {"leaf at level 2: a 1 GiB gigapage", kS, Access::Fetch, kVa, level2(kFrame1g | V | X | A), ok(kPa1g, 2)},
    {"X-only leaf is a leaf (not a pointer)", kS, Access::Fetch, kVa, level0(kFrame4k | V | X | A), ok(kPa4k, 0)},
    //     Step 8: "pa.ppn[LEVELS-1:i] = pte.ppn[LEVELS-1:i]": all 44 PPN bits (PTE 53:10 -> PA 55:12).
    {"PPN of all ones reaches PA bit 55", kS, Access::Load, kVa,
     level0(0x003f'ffff'ffff'fc00 | V | R | A), ok(0x00ff'ffff'ffff'fabc, 0)},

    // --- Step 5: "Determine if the requested memory access is allowed by the pte.r, pte.w, pte.x, and
    //     pte.u bits, given the current privilege mode and the value of the SUM and MXR fields".
    {"fetch needs X", kS, Access::Fetch, kVa, level0(kFrame4k | V | R | W | A | D), fault(kFetchPage, 3)},
    {"load needs R", kS, Access::Load, kVa, level0(kFrame4k | V | X | A), fault(kLoadPage, 3)},
    {"store needs W", kS, Access::Store, kVa, level0(kFrame4k | V | R | X | A | D), fault(kStorePage, 3)},
    {"store to RW", kS, Access::Store, kVa, level0(kFrame4k | V | R | W | A | D), ok(kPa4k, 0)},
    //     MXR: "When MXR=1, loads from pages marked either readable or executable (R=1 or X=1) will succeed."
    {"MXR: X-only page is loadable", kSMxr, Access::Load, kVa, level0(kFrame4k | V | X | A), ok(kPa4k, 0)},
    {"MXR does not make X-only writable", kSMxr, Access::Store, kVa,
     level0(kFrame4k | V | X | A | D), fault(kStorePage, 3)},
    {"MXR does not make R-only executable", kSMxr, Access::Fetch, kVa,
     level0(kFrame4k | V | R | A), fault(kFetchPage, 3)},
    {"MXR in U-mode on a U X-only page", kUMxr, Access::Load, kVa,
     level0(kFrame4k | V | X | U | A), ok(kPa4k, 0)},
    {"MXR on a 2 MiB X-only page", kSMxr, Access::Load, kVa, level1(kFrame2m | V | X | A), ok(kPa2m, 1)},
    //     "U-mode software may only access the page when U=1."
    {"U-mode load of a U=0 page", kU, Access::Load, kVa, level0(kFrame4k | V | R | W | X | A | D),
     fault(kLoadPage, 3)},
    {"U-mode fetch of a U=0 page", kU, Access::Fetch, kVa, level0(kFrame4k | V | R | W | X | A | D),
     fault(kFetchPage, 3)},
    {"U-mode store to a U=0 page", kU, Access::Store, kVa, level0(kFrame4k | V | R | W | X | A | D),
     fault(kStorePage, 3)},
    {"U-mode load of a U=1 page", kU, Access::Load, kVa, level0(kFrame4k | V | R | U | A), ok(kPa4k, 0)},
    {"U-mode fetch of a U=1 page", kU, Access::Fetch, kVa, level0(kFrame4k | V | X | U | A), ok(kPa4k, 0)},
    //     SUM: "When SUM=0, S-mode memory accesses to pages that are accessible by U-mode (U=1) will fault.
    //     When SUM=1, these accesses are permitted." "S-mode can never execute instructions from user pages,
    //     regardless of the state of SUM."
    {"S load of a U page without SUM", kS, Access::Load, kVa,
     level0(kFrame4k | V | R | W | X | U | A | D), fault(kLoadPage, 3)},
    {"S store to a U page without SUM", kS, Access::Store, kVa,
     level0(kFrame4k | V | R | W | X | U | A | D), fault(kStorePage, 3)},
    {"S load of a U page with SUM", kSSum, Access::Load, kVa,
     level0(kFrame4k | V | R | W | X | U | A | D), ok(kPa4k, 0)},
    {"S store to a U page with SUM", kSSum, Access::Store, kVa,
     level0(kFrame4k | V | R | W | X | U | A | D), ok(kPa4k, 0)},
    {"S fetch from a U page, SUM or not", kSSum, Access::Fetch, kVa,
     level0(kFrame4k | V | R | W | X | U | A | D), fault(kFetchPage, 3)},
    {"S fetch from a U page without SUM", kS, Access::Fetch, kVa,
     level0(kFrame4k | V | R | W | X | U | A | D), fault(kFetchPage, 3)},
    {"SUM does not restrict S on a U=0 page", kSSum, Access::Fetch, kVa,
     level0(kFrame4k | V | X | A), ok(kPa4k, 0)},
    {"SUM and MXR: S load of a U X-only page", kSSumMxr, Access::Load, kVa,
     level0(kFrame4k | V | X | U | A), ok(kPa4k, 0)},
    {"MXR without SUM: S load of a U X-only page", kSMxr, Access::Load, kVa,
     level0(kFrame4k | V | X | U | A), fault(kLoadPage, 3)},

    // --- Step 6: "If i > 0 and pte.ppn[i-1:0] != 0, this is a misaligned superpage; stop and raise a
    //     page-fault exception corresponding to the original access type."
    {"2 MiB leaf with PPN[0] = 1", kS, Access::Load, kVa,
     level1(0x2010'0400 | V | R | A), fault(kLoadPage, 2)},
    {"1 GiB leaf with PPN[0] = 1", kS, Access::Store, kVa,
     level2(0x3000'0400 | V | R | W | A | D), fault(kStorePage, 1)},
    {"1 GiB leaf with PPN[1] = 1", kS, Access::Fetch, kVa,
     level2(0x3008'0000 | V | X | A), fault(kFetchPage, 1)},
    {"misaligned megapage with A = 0 and hardware A/D: no A/D write", kS, Access::Load, kVa,
     level1(0x2010'0400 | V | R), fault(kLoadPage, 2)},
    {"a 4 KiB leaf has no alignment rule", kS, Access::Load, kVa, level0(0x2000'1c00 | V | R | A),
     ok(0x8000'7abc, 0)},

    // --- Step 7: "If pte.a = 0, or if the original memory access is a store and pte.d = 0, either raise a
    //     page-fault exception corresponding to the original access type, or: [...] set pte.a to 1 and,
    //     if the original memory access is a store, also set pte.d to 1."
    {"Svadu: load with A = 0 sets A", kS, Access::Load, kVa, level0(kFrame4k | V | R),
     ok(kPa4k, 0, kFrame4k | V | R | A)},
    {"Svadu: fetch with A = 0 sets A only", kS, Access::Fetch, kVa, level0(kFrame4k | V | X | W | R),
     ok(kPa4k, 0, kFrame4k | V | X | W | R | A)},
    {"Svadu: store with A = 1, D = 0 sets D", kS, Access::Store, kVa, level0(kFrame4k | V | R | W | A),
     ok(kPa4k, 0, kFrame4k | V | R | W | A | D)},
    {"Svadu: store with A = 0, D = 0 sets both", kS, Access::Store, kVa, level0(kFrame4k | V | R | W),
     ok(kPa4k, 0, kFrame4k | V | R | W | A | D)},
    {"Svadu: load with A = 1, D = 0 writes nothing", kS, Access::Load, kVa,
     level0(kFrame4k | V | R | W | A), ok(kPa4k, 0)},
    {"Svadu: A set on a 2 MiB leaf", kS, Access::Load, kVa, level1(kFrame2m | V | R),
     ok(kPa2m, 1, kFrame2m | V | R | A)},
    {"Svadu: A set keeps G, U and RSW", kU, Access::Store, kVa, level0(kFrame4k | 0x300 | G | U | V | R | W),
     ok(kPa4k, 0, kFrame4k | 0x300 | G | U | V | R | W | A | D, true)},
    {"Svadu: no A/D write when permissions fail first", kS, Access::Store, kVa,
     level0(kFrame4k | V | R), fault(kStorePage, 3)},
    {"Svade: load with A = 0 faults", kSSvade, Access::Load, kVa, level0(kFrame4k | V | R),
     fault(kLoadPage, 3)},
    {"Svade: fetch with A = 0 faults", kSSvade, Access::Fetch, kVa, level0(kFrame4k | V | X),
     fault(kFetchPage, 3)},
    {"Svade: store with D = 0 faults", kSSvade, Access::Store, kVa, level0(kFrame4k | V | R | W | A),
     fault(kStorePage, 3)},
    {"Svade: load with D = 0 is fine", kSSvade, Access::Load, kVa, level0(kFrame4k | V | R | W | A),
     ok(kPa4k, 0)},
    //     "If a store to pte would violate a PMA or PMP check, raise an access-fault exception
    //     corresponding to the original access type."
    {"Svadu: PMP denies the A update: load access fault", kS, Access::Load, kVa, level0(kFrame4k | V | R),
     fault(kLoadAccess, 3), kRoot, 0, kPte0},
    {"Svadu: PMP denies the D update: store access fault", kS, Access::Store, kVa,
     level0(kFrame4k | V | R | W | A), fault(kStoreAccess, 3), kRoot, 0, kPte0},
    {"Svadu: PMP write denial does not matter when A/D are set", kS, Access::Store, kVa,
     level0(kFrame4k | V | R | W | A | D), ok(kPa4k, 0), kRoot, 0, kPte0},

    // --- G: "For non-leaf PTEs, the global setting implies that all mappings in the subsequent levels of
    //     the page table are global."
    {"no G anywhere: not global", kS, Access::Load, kVa, level0(kFrame4k | V | R | A), ok(kPa4k, 0)},
    {"G on the leaf: global", kS, Access::Load, kVa, level0(kFrame4k | V | R | A | G), ok(kPa4k, 0, 0, true)},
    {"G on the root pointer: the leaf below is global", kS, Access::Load, kVa,
     {{kPte2, kToL1 | G}, {kPte1, kToL0}, {kPte0, kFrame4k | V | R | A}}, ok(kPa4k, 0, 0, true)},
    {"G on the level-1 pointer: the leaf below is global", kS, Access::Load, kVa,
     {{kPte2, kToL1}, {kPte1, kToL0 | G}, {kPte0, kFrame4k | V | R | A}}, ok(kPa4k, 0, 0, true)},
    {"G on the root pointer above a megapage", kS, Access::Load, kVa,
     {{kPte2, kToL1 | G}, {kPte1, kFrame2m | V | R | A}}, ok(kPa2m, 1, 0, true)},
  };
  return table;
}
// clang-format on

bool in_memory(uint64_t pa) {
  return pa >= kMemBase && pa - kMemBase < kMemSize;
}

// The row's physical memory: its PTEs (where memory is), zeros elsewhere; every store recorded.
class RowMemory {
 public:
  explicit RowMemory(const Row& row) : row_(row) {
    for (const auto& [addr, value] : row.ptes)
      if (in_memory(addr)) words_[addr] = value;
  }
  // The reference's interface: memory only (PMP is its predicate).
  bool read64(uint64_t pa, uint64_t* v) const {
    if (!in_memory(pa)) return false;
    const auto it = words_.find(pa);
    *v = it == words_.end() ? 0 : it->second;
    return true;
  }
  bool write64(uint64_t pa, uint64_t v) {
    if (!in_memory(pa)) return false;
    words_[pa] = v;
    writes.emplace_back(pa, v);
    return true;
  }
  // sv39::walk's interface: PMP (as the walker applies it) and memory together.
  bool read_pte(uint64_t pa, unsigned /*level*/, uint64_t* pte) {
    return pa != row_.pmp_denies_read && read64(pa, pte);
  }
  bool update_pte(uint64_t pa, uint64_t expected, uint64_t desired, bool* changed) {
    uint64_t now;
    if (pa == row_.pmp_denies_write || !read64(pa, &now)) return false;
    *changed = now != expected;
    return *changed || write64(pa, desired);
  }
  std::vector<std::pair<uint64_t, uint64_t>> writes;

 private:
  const Row& row_;
  std::map<uint64_t, uint64_t> words_;
};

// What a walk did, in one shape for both implementations.
struct Seen {
  uint64_t cause = 0;
  uint64_t pa = 0;
  int level = 0;
  bool global = false;
  struct Read {
    uint64_t addr, value;
    bool failed;
  };
  std::vector<Read> reads;
  std::vector<std::pair<uint64_t, uint64_t>> writes;
};

Seen run_model(const Row& row) {
  RowMemory mem(row);
  sv39::WalkStart start;
  start.table = row.root;
  const sv39::AccessRights rights{row.ctx.priv, row.ctx.sum, row.ctx.mxr};
  const sv39::WalkResult r = sv39::walk(row.va, row.access, rights, row.ctx.hardware_ad, start, mem);
  Seen s;
  s.cause = r.ok ? 0 : r.cause;
  if (r.ok) {
    s.pa = r.paddr;
    s.level = static_cast<int>(r.level);
    s.global = r.global;
  }
  for (unsigned i = 0; i < r.n_reads; ++i)
    s.reads.push_back({r.reads[i].addr, r.reads[i].data, r.reads[i].err});
  s.writes = mem.writes;
  return s;
}

sv39ref::Access ref_access(Access a) {
  return a == Access::Fetch  ? sv39ref::Access::Fetch
         : a == Access::Load ? sv39ref::Access::Load
                             : sv39ref::Access::Store;
}

Seen run_reference(const Row& row) {
  RowMemory mem(row);
  sv39ref::Context c;
  c.priv = row.ctx.priv == Priv::U ? sv39ref::Priv::U : sv39ref::Priv::S;
  c.sum = row.ctx.sum;
  c.mxr = row.ctx.mxr;
  c.hardware_ad = row.ctx.hardware_ad;
  c.satp = (8ull << 60) | (row.root >> 12);  // MODE = Sv39, ASID 0
  c.pmp = [&row](uint64_t pa, unsigned, sv39ref::Access a, sv39ref::Priv) {
    if (a == sv39ref::Access::Load && pa == row.pmp_denies_read) return false;
    if (a == sv39ref::Access::Store && pa == row.pmp_denies_write) return false;
    return true;
  };
  const sv39ref::Result r = sv39ref::translate(c, row.va, ref_access(row.access), mem);
  Seen s;
  s.cause = r.ok ? 0 : r.cause;
  if (r.ok) {
    EXPECT_EQ(r.tval, 0u);
    s.pa = r.paddr;
    s.level = r.level;
    s.global = r.global;
    EXPECT_EQ(r.ad_written, r.ad_value != 0);
  } else {
    EXPECT_EQ(r.tval, row.va) << "tval is the faulting virtual address";
  }
  for (const auto& rd : r.reads) s.reads.push_back({rd.addr, rd.value, rd.failed});
  s.writes = mem.writes;
  return s;
}

std::string hex(uint64_t v) {
  std::ostringstream os;
  os << "0x" << std::hex << v;
  return os.str();
}

void expect_row(const Row& row, const Seen& s) {
  const Outcome& w = row.want;
  EXPECT_EQ(s.cause, w.cause);
  if (w.cause == 0) {
    EXPECT_EQ(hex(s.pa), hex(w.pa));
    EXPECT_EQ(s.level, w.level);
    EXPECT_EQ(s.global, w.global);
  }
  ASSERT_EQ(s.reads.size(), w.reads) << "PTE reads";
  for (unsigned i = 0; i < w.reads; ++i) {
    const auto& [addr, value] = row.ptes.at(i);
    const bool fails = !in_memory(addr) || addr == row.pmp_denies_read;
    EXPECT_EQ(hex(s.reads[i].addr), hex(addr)) << "read " << i;
    EXPECT_EQ(s.reads[i].failed, fails) << "read " << i;
    if (!fails) {
      EXPECT_EQ(hex(s.reads[i].value), hex(value)) << "read " << i;
    }
  }
  if (w.ad_write) {
    ASSERT_EQ(s.writes.size(), 1u) << "one A/D store to the leaf";
    EXPECT_EQ(hex(s.writes[0].first), hex(row.ptes.at(w.reads - 1).first));
    EXPECT_EQ(hex(s.writes[0].second), hex(w.ad_write));
  } else {
    EXPECT_TRUE(s.writes.empty()) << "no PTE store";
  }
}

TEST(Sv39Rules, ModelWalk) {
  for (size_t i = 0; i < rows().size(); ++i) {
    const Row& row = rows()[i];
    SCOPED_TRACE("row " + std::to_string(i) + ": " + row.spec);
    expect_row(row, run_model(row));
  }
}

TEST(Sv39Rules, Reference) {
  for (size_t i = 0; i < rows().size(); ++i) {
    const Row& row = rows()[i];
    SCOPED_TRACE("row " + std::to_string(i) + ": " + row.spec);
    expect_row(row, run_reference(row));
  }
}

// The table reaches every cause and both A/D policies (so a row cannot silently go missing).
TEST(Sv39Rules, TableCoversEveryCause) {
  std::map<uint64_t, unsigned> causes;
  unsigned ad_writes = 0, svade = 0, global = 0;
  for (const Row& row : rows()) {
    ++causes[row.want.cause];
    ad_writes += row.want.ad_write != 0;
    svade += !row.ctx.hardware_ad;
    global += row.want.global;
  }
  for (uint64_t c : {0ull, 1ull, 5ull, 7ull, 12ull, 13ull, 15ull}) EXPECT_GT(causes[c], 0u) << "cause " << c;
  EXPECT_GT(ad_writes, 0u);
  EXPECT_GT(svade, 0u);
  EXPECT_GT(global, 0u);
}

// What happens around the walk, for the reference alone (the Mmu, which does this part in the model, is
// compared with the reference by test_walker_reference.cpp): which privilege translates, Bare, and the
// PMP check of the final address.
TEST(Sv39Rules, ReferenceTranslateContext) {
  const Row row{"", kS, Access::Load, kVa, level0(kFrame4k | V | R | W | X | A | D), ok(kPa4k, 0)};
  constexpr uint64_t kSatp = (8ull << 60) | 0x80000;  // Sv39, root 0x8000_0000
  constexpr uint64_t kMprv = 1ull << 17, kMppS = 1ull << 11, kMppU = 0;
  struct Case {
    const char* spec;
    sv39ref::Priv priv;
    uint64_t mstatus, satp;
    sv39ref::Access access;
    bool translated;
    sv39ref::Priv eff;
    uint64_t cause;
    uint64_t pa;
  };
  using P = sv39ref::Priv;
  using Acc = sv39ref::Access;
  const Case cases[] = {
      // "The satp register must be active, i.e., the effective privilege mode must be S-mode or U-mode."
      {"M-mode does not translate", P::M, 0, kSatp, Acc::Load, false, P::M, 0, kVa},
      {"S-mode translates", P::S, 0, kSatp, Acc::Load, true, P::S, 0, kPa4k},
      {"Bare: no translation in S-mode", P::S, 0, 0, Acc::Store, false, P::S, 0, kVa},
      // "When MPRV=1, load and store memory addresses are translated and protected ... as though the
      // current privilege mode were set to MPP. Instruction address-translation and protection are
      // unaffected by the setting of MPRV."
      {"MPRV, MPP = S: M-mode load translates as S", P::M, kMprv | kMppS, kSatp, Acc::Load, true, P::S, 0,
       kPa4k},
      {"MPRV, MPP = U: U=0 page faults", P::M, kMprv | kMppU, kSatp, Acc::Store, true, P::U, 15, 0},
      {"MPRV: fetches stay M-mode", P::M, kMprv | kMppS, kSatp, Acc::Fetch, false, P::M, 0, kVa},
      {"MPP = S without MPRV: M-mode", P::M, kMppS, kSatp, Acc::Load, false, P::M, 0, kVa},
  };
  for (const Case& k : cases) {
    SCOPED_TRACE(k.spec);
    RowMemory mem(row);
    sv39ref::Context c = sv39ref::Context::from_csrs(k.priv, k.mstatus, k.satp, true);
    const sv39ref::Result r = sv39ref::translate(c, kVa, k.access, mem);
    EXPECT_EQ(r.translated, k.translated);
    EXPECT_EQ(r.eff_priv, k.eff);
    EXPECT_EQ(r.ok, k.cause == 0);
    EXPECT_EQ(r.cause, k.cause);
    if (k.cause == 0) {
      EXPECT_EQ(hex(r.paddr), hex(k.pa));
    }
    EXPECT_EQ(r.reads.size(), k.translated ? 3u : 0u);
  }

  // "If this access violates a PMA or PMP check, raise an access-fault exception corresponding to the
  // original access type": the final address, checked with the effective privilege, tval = va.
  sv39ref::Context c = sv39ref::Context::from_csrs(P::M, kMprv | kMppS, kSatp, true);
  std::vector<std::pair<uint64_t, P>> asked;
  c.pmp = [&](uint64_t pa, unsigned len, Acc a, P p) {
    if (a == Acc::Load && len == 8 && p == P::S) asked.emplace_back(pa, p);
    return pa != kPa4k;
  };
  RowMemory mem(row);
  const sv39ref::Result r = sv39ref::translate(c, kVa, Acc::Store, mem, 4);
  EXPECT_FALSE(r.ok);
  EXPECT_TRUE(r.mapped);
  EXPECT_EQ(r.cause, 7u);
  EXPECT_EQ(r.tval, kVa);
  // The three PTE reads were checked as S-mode 8-byte reads.
  ASSERT_EQ(asked.size(), 3u);
  EXPECT_EQ(asked[0].first, kPte2);
  EXPECT_EQ(asked[1].first, kPte1);
  EXPECT_EQ(asked[2].first, kPte0);
}

}  // namespace
}  // namespace sv39sim
