// The Sv39 rules of the privileged spec ("Sv39", "Virtual Address Translation Process"), in one place:
// the model's PageTableWalker and the TLB hit path decide with these functions, so a rule is written once
// in the model. The tests' oracle (testbench/unit/reference/) is written separately from the spec.
#pragma once

#include <cstdint>

#include "models/arch/Csr.h"

namespace sv39sim {

enum class Access : uint8_t { Fetch, Load, Store };

namespace sv39 {

constexpr unsigned kLevels = 3;
constexpr unsigned kPageShift = 12;
constexpr unsigned kVpnBits = 9;
constexpr uint64_t kPteSize = 8;
constexpr uint64_t kSatpModeSv39 = 8;

namespace pte {
constexpr uint64_t kV = 1 << 0, kR = 1 << 1, kW = 1 << 2, kX = 1 << 3, kU = 1 << 4, kG = 1 << 5;
constexpr uint64_t kA = 1 << 6, kD = 1 << 7;
constexpr unsigned kPpnShift = 10;
constexpr uint64_t kPpnMask = (1ull << 44) - 1;
constexpr uint64_t kReserved = ~0ull << 54;  // Svpbmt/Svnapot bits: must be zero here
}  // namespace pte

inline uint64_t vpn(uint64_t va, unsigned level) {
  return (va >> (kPageShift + kVpnBits * level)) & 0x1ff;
}
inline uint64_t ppn(uint64_t pte) {
  return (pte >> pte::kPpnShift) & pte::kPpnMask;
}
// Bits 63:39 must all equal bit 38.
inline bool canonical(uint64_t va) {
  return static_cast<uint64_t>(static_cast<int64_t>(va << 25) >> 25) == va;
}
inline uint64_t page_size(unsigned level) {
  return 1ull << (kPageShift + kVpnBits * level);
}

inline uint64_t satp_mode(uint64_t satp) {
  return satp >> 60;
}
inline uint16_t satp_asid(uint64_t satp) {
  return static_cast<uint16_t>(satp >> 44);
}
inline uint64_t satp_root(uint64_t satp) {
  return (satp & pte::kPpnMask) << kPageShift;
}

inline uint64_t page_fault_cause(Access a) {
  return a == Access::Fetch  ? cause::kFetchPageFault
         : a == Access::Load ? cause::kLoadPageFault
                             : cause::kStorePageFault;
}
inline uint64_t access_fault_cause(Access a) {
  return a == Access::Fetch  ? cause::kFetchAccess
         : a == Access::Load ? cause::kLoadAccess
                             : cause::kStoreAccess;
}

// What one PTE read at `level` means for the walk.
enum class Step : uint8_t { Pointer, Leaf, Fault };

inline Step classify(uint64_t pte, unsigned level) {
  if (!(pte & pte::kV)) return Step::Fault;
  if (!(pte & pte::kR) && (pte & pte::kW)) return Step::Fault;  // W without R is reserved
  if (pte & pte::kReserved) return Step::Fault;
  if (!(pte & (pte::kR | pte::kX))) {
    // A pointer may not carry D, A or U (reserved for future use); a level-0 pointer is a fault.
    if (level == 0 || (pte & (pte::kD | pte::kA | pte::kU))) return Step::Fault;
    return Step::Pointer;
  }
  // A superpage leaf must be aligned: its low PPN fields are zero.
  if (level > 0 && (ppn(pte) & ((1ull << (kVpnBits * level)) - 1)) != 0) return Step::Fault;
  return Step::Leaf;
}

// Privilege and status bits that decide a leaf's permissions (MPRV already resolved into `priv`).
struct AccessRights {
  Priv priv = Priv::S;
  bool sum = false;
  bool mxr = false;
};

// R/W/X with MXR, and the U-bit rules with SUM. A/D are checked separately (see needs_ad).
inline bool permits(uint64_t pte, Access a, const AccessRights& r) {
  if (pte & pte::kU) {
    if (r.priv == Priv::S && (a == Access::Fetch || !r.sum)) return false;
  } else if (r.priv == Priv::U) {
    return false;
  }
  switch (a) {
    case Access::Fetch: return pte & pte::kX;
    case Access::Load: return (pte & pte::kR) || (r.mxr && (pte & pte::kX));
    case Access::Store: return pte & pte::kW;
  }
  return false;
}

// The A/D bits this access needs set; 0 when the PTE already has them.
inline uint64_t needs_ad(uint64_t pte, Access a) {
  const uint64_t want = pte::kA | (a == Access::Store ? pte::kD : 0);
  return want & ~pte;
}

// Physical address of `va` through a leaf at `level` (superpages take their low VPN bits from va).
inline uint64_t leaf_paddr(uint64_t pte, unsigned level, uint64_t va) {
  const uint64_t offset_mask = page_size(level) - 1;
  return ((ppn(pte) << kPageShift) & ~offset_mask) | (va & offset_mask);
}

// One PTE read of a walk, as the walker reports it (and as the RTL cross-check compares it).
struct PteRead {
  uint64_t addr = 0;
  uint64_t data = 0;
  unsigned level = 0;
  bool err = false;  // the read itself failed (no memory there, or PMP denied it)
};

// Where a walk starts: the root from satp, or a table found in a page-walk cache.
struct WalkStart {
  unsigned level = kLevels - 1;
  uint64_t table = 0;
  bool global = false;  // a G pointer above the start makes everything below global
};

struct WalkResult {
  bool ok = false;
  uint64_t cause = 0;  // page fault or access fault of the access type; tval is always the VA
  uint64_t paddr = 0;
  uint64_t pte = 0;  // the leaf, with any A/D bits this walk set
  uint64_t pte_addr = 0;
  unsigned level = 0;
  bool global = false;
  bool ad_updated = false;
  PteRead reads[kLevels];
  unsigned n_reads = 0;
};

// The translation process as a flat list of spec rules, each breaking to one fault exit.
// Memory provides `bool read_pte(uint64_t pa, unsigned level, uint64_t* pte)` (false: access fault) and
// `bool update_pte(uint64_t pa, uint64_t expected, uint64_t desired, bool* changed)` — an atomic
// compare-and-swap; false: access fault; *changed: the PTE no longer held `expected`.
template <typename Memory>
WalkResult walk(uint64_t va, Access a, const AccessRights& rights, bool hardware_ad, const WalkStart& start,
                Memory& mem) {
  WalkResult r;
  if (!canonical(va)) {
    r.cause = page_fault_cause(a);
    return r;
  }
  unsigned level = start.level;
  uint64_t table = start.table;
  bool global = start.global;
  // A failed compare-and-swap sends the walk back to step 2 for the same PTE (the spec); reads[] keeps
  // the last read of each level. Nothing in this single-hart model can change a PTE during a walk, so the
  // bound only keeps the host from spinning on a memory that misbehaves.
  unsigned retries = 0;
  for (;;) {
    const uint64_t pte_addr = table + vpn(va, level) * kPteSize;
    PteRead& rd = r.reads[r.n_reads++];
    uint64_t pte = 0;
    rd.addr = pte_addr;
    rd.level = level;
    rd.err = !mem.read_pte(pte_addr, level, &pte);
    rd.data = rd.err ? 0 : pte;
    if (rd.err) {
      r.cause = access_fault_cause(a);
      return r;
    }
    const Step step = classify(pte, level);
    if (step == Step::Fault) {
      r.cause = page_fault_cause(a);
      return r;
    }
    if (step == Step::Pointer) {
      global |= (pte & pte::kG) != 0;
      table = ppn(pte) << kPageShift;
      --level;
      continue;
    }
    if (!permits(pte, a, rights)) {
      r.cause = page_fault_cause(a);
      return r;
    }
    if (const uint64_t ad = needs_ad(pte, a)) {
      if (!hardware_ad) {
        r.cause = page_fault_cause(a);
        return r;
      }
      bool changed = false;
      if (!mem.update_pte(pte_addr, pte, pte | ad, &changed)) {
        r.cause = access_fault_cause(a);
        return r;
      }
      if (changed) {
        if (++retries > 16) {
          r.cause = page_fault_cause(a);
          return r;
        }
        --r.n_reads;  // re-read this PTE in place of the stale read
        continue;
      }
      pte |= ad;
      r.ad_updated = true;
    }
    r.ok = true;
    r.pte = pte;
    r.pte_addr = pte_addr;
    r.level = level;
    r.global = global || (pte & pte::kG) != 0;
    r.paddr = leaf_paddr(pte, level, va);
    return r;
  }
}

}  // namespace sv39
}  // namespace sv39sim
