// The pure reference translation: what one fetch, load or store must do under Sv39 and PMP, with no TLB,
// no page-walk cache and no timing. Unit tests compare the Mmu against it, and the RTL cross-check
// harness compares the RTL against it. Every Sv39 rule comes from Sv39.h (the same functions the model
// uses); what lives here is only the glue the model spreads over Mmu and PageTableWalker:
//   1. MPRV: data accesses in M-mode with mstatus.MPRV = 1 use the privilege in MPP; fetches never do.
//   2. No translation when the effective privilege is M or satp.MODE is not Sv39 (Bare): pa = va.
//   3. Otherwise sv39::walk() from the root in satp; its PTE reads and A/D updates are checked by PMP as
//      S-mode accesses (an implicit page-table access is a supervisor access, whatever the privilege).
//   4. PMP check of the final physical address with the effective privilege: access fault of the access
//      type, tval = va.
// Whether the final physical address is backed by memory or a device is the access's business, not the
// translation's: callers check that themselves.
#pragma once

#include <cstdint>
#include <cstring>
#include <map>
#include <utility>
#include <vector>

#include "models/core/Csr.h"
#include "models/mmu/Pmp.h"
#include "models/mmu/Sv39.h"

namespace sv39sim {

// Everything of the hart's state that a translation depends on.
struct ReferenceContext {
  Priv priv = Priv::M;
  bool mprv = false;
  Priv mpp = Priv::U;
  bool sum = false;
  bool mxr = false;
  uint64_t satp = 0;
  bool hardware_ad = true;   // true: the walk sets A/D (Svadu); false: A=0, or a store to D=0, faults (Svade)
  const Pmp* pmp = nullptr;  // nullptr: no PMP unit (every physical access allowed)

  // The same state from the CSR values the hart hands to Mmu::set_context.
  static ReferenceContext from_csrs(Priv priv, uint64_t mstatus, uint64_t satp, bool hardware_ad,
                                    const Pmp* pmp) {
    ReferenceContext c;
    c.priv = priv;
    c.mprv = (mstatus & mstatus::kMprv) != 0;
    c.mpp = static_cast<Priv>((mstatus & mstatus::kMpp) >> mstatus::kMppShift);
    c.sum = (mstatus & mstatus::kSum) != 0;
    c.mxr = (mstatus & mstatus::kMxr) != 0;
    c.satp = satp;
    c.hardware_ad = hardware_ad;
    c.pmp = pmp;
    return c;
  }
};

struct ReferenceResult {
  bool ok = false;
  uint64_t cause = 0;  // when !ok: page fault or access fault of the access type
  uint64_t tval = 0;   // when !ok: the virtual address
  Priv eff_priv = Priv::M;
  bool translated = false;  // Sv39 applied (else pa = va)
  bool mapped = false;      // a physical address was found (it may still have failed the final PMP check)
  uint64_t paddr = 0;       // valid when mapped
  unsigned level = 0;       // leaf level when translated and mapped
  sv39::WalkResult walk;    // the walk, when translated (PTE reads, leaf, A/D update)
};

// A plain physical memory for the reference: 8-byte words in a map, inside declared ranges. Words never
// written read as zero; anything outside the ranges does not exist (a PTE read there is an access fault).
class ReferenceMemory {
 public:
  void add_range(uint64_t base, uint64_t size) { ranges_.emplace_back(base, size); }
  bool contains(uint64_t pa, uint64_t len) const {
    for (const auto& [base, size] : ranges_)
      if (pa - base < size && size - (pa - base) >= len) return true;
    return false;
  }
  void set64(uint64_t pa, uint64_t value) { words_[pa] = value; }
  uint64_t get64(uint64_t pa) const {
    const auto it = words_.find(pa);
    return it == words_.end() ? 0 : it->second;
  }
  // The interface reference_translate() needs (aligned 8-byte accesses; false: no memory there).
  bool read64(uint64_t pa, uint64_t* value) const {
    if (!contains(pa, 8)) return false;
    *value = get64(pa);
    return true;
  }
  bool write64(uint64_t pa, uint64_t value) {
    if (!contains(pa, 8)) return false;
    words_[pa] = value;
    return true;
  }
  const std::map<uint64_t, uint64_t>& words() const { return words_; }

 private:
  std::vector<std::pair<uint64_t, uint64_t>> ranges_;
  std::map<uint64_t, uint64_t> words_;
};

namespace reference_detail {

// sv39::walk()'s memory concept over a plain memory, with the walker's PMP checks (as S-mode).
template <typename Memory>
class WalkMemory {
 public:
  WalkMemory(Memory& mem, const Pmp* pmp) : mem_(mem), pmp_(pmp) {}

  bool read_pte(uint64_t pa, uint64_t* pte) {
    if (pmp_ && !pmp_->allows(pa, sv39::kPteSize, Access::Load, Priv::S)) return false;
    return mem_.read64(pa, pte);
  }
  bool update_pte(uint64_t pa, uint64_t expected, uint64_t desired, bool* changed) {
    if (pmp_ && !pmp_->allows(pa, sv39::kPteSize, Access::Store, Priv::S)) return false;
    uint64_t current;
    if (!mem_.read64(pa, &current)) return false;
    *changed = current != expected;
    if (*changed) return true;
    return mem_.write64(pa, desired);
  }

 private:
  Memory& mem_;
  const Pmp* pmp_;
};

}  // namespace reference_detail

// Translates one access of `size` bytes at `va` (size only matters to the final PMP check: fetch parcels
// are 2 bytes, loads and stores 1 to 8). Memory provides bool read64(pa, uint64_t*) and
// bool write64(pa, uint64_t) for aligned words (false: nothing there); A/D updates are written to it.
template <typename Memory>
ReferenceResult reference_translate(const ReferenceContext& ctx, uint64_t va, Access a, Memory& mem,
                                    unsigned size = 1) {
  ReferenceResult r;
  r.eff_priv = (a != Access::Fetch && ctx.priv == Priv::M && ctx.mprv) ? ctx.mpp : ctx.priv;
  r.translated = r.eff_priv != Priv::M && sv39::satp_mode(ctx.satp) == sv39::kSatpModeSv39;
  if (!r.translated) {
    r.paddr = va;
  } else {
    sv39::WalkStart start;  // the root, every time: nothing is cached
    start.table = sv39::satp_root(ctx.satp);
    const sv39::AccessRights rights{r.eff_priv, ctx.sum, ctx.mxr};
    reference_detail::WalkMemory<Memory> port(mem, ctx.pmp);
    r.walk = sv39::walk(va, a, rights, ctx.hardware_ad, start, port);
    if (!r.walk.ok) {
      r.cause = r.walk.cause;
      r.tval = va;
      return r;
    }
    r.paddr = r.walk.paddr;
    r.level = r.walk.level;
  }
  r.mapped = true;
  if (ctx.pmp && !ctx.pmp->allows(r.paddr, size, a, r.eff_priv)) {
    r.cause = sv39::access_fault_cause(a);
    r.tval = va;
    return r;
  }
  r.ok = true;
  return r;
}

}  // namespace sv39sim
