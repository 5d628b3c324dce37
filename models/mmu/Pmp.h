// Physical memory protection: 16 entries (OFF/TOR/NA4/NAPOT, R/W/X, L), checked on every fetch, load,
// store and page-table access (the walker's accesses are checked as S-mode, per the spec). The CSR state
// lives here so permission checks stay in one place; the hart forwards pmpcfg/pmpaddr accesses.
#pragma once

#include <array>
#include <cstdint>

#include "models/arch/Csr.h"
#include "models/mmu/Sv39.h"

namespace sv39sim {

class Pmp {
 public:
  static constexpr unsigned kEntries = 16;
  static constexpr uint8_t kR = 1, kW = 2, kX = 4, kAMask = 0x18, kL = 0x80;
  static constexpr uint8_t kOff = 0x00, kTor = 0x08, kNa4 = 0x10, kNapot = 0x18;

  // The permission bit an access needs.
  static uint8_t needed(Access a) { return a == Access::Fetch ? kX : a == Access::Load ? kR : kW; }

  // pmpcfg0 / pmpcfg2 (eight entries each on RV64) and pmpaddr0..15, with WARL and lock rules.
  uint64_t read_cfg(unsigned reg) const;  // reg 0 or 2
  void write_cfg(unsigned reg, uint64_t value);
  uint64_t read_addr(unsigned i) const { return addr_[i]; }
  void write_addr(unsigned i, uint64_t value);

  // May an access of `len` bytes at `pa` by privilege `priv` proceed?
  bool allows(uint64_t pa, unsigned len, Access a, Priv priv) const {
    if (priv == Priv::M && !any_locked_) return true;  // M-mode ignores unlocked entries
    return check(pa, len, a, priv);
  }
  // Permissions (kR|kW|kX) granted uniformly to every byte of the 4 KiB page at `page_pa` for `priv`,
  // or -1 if some entry boundary falls inside the page (then each access must be checked on its own).
  int page_permissions(uint64_t page_pa, Priv priv) const {
    Memo& m = memo_[(page_pa >> 12) & (kMemoEntries - 1)];
    if (m.page != page_pa || m.generation != generation_ || m.priv != priv) {
      m = {page_pa, generation_, priv, compute_page_permissions(page_pa, priv)};
    }
    return m.perms;
  }

  bool any_locked() const { return any_locked_; }
  // Bumped on every change, so cached PMP results can be recognised as stale.
  uint64_t generation() const { return generation_; }

 private:
  bool check(uint64_t pa, unsigned len, Access a, Priv priv) const;
  int compute_page_permissions(uint64_t page_pa, Priv priv) const;

  // page_permissions() results, remembered until the next PMP change: the hart asks on every new page.
  struct Memo {
    uint64_t page = ~0ull;
    uint64_t generation = 0;
    Priv priv = Priv::M;
    int perms = 0;
  };
  static constexpr unsigned kMemoEntries = 512;
  mutable std::array<Memo, kMemoEntries> memo_{};
  bool locked(unsigned i) const;
  // [lo, hi) covered by entry i, or lo == hi when it is OFF.
  void range(unsigned i, uint64_t* lo, uint64_t* hi) const;

  std::array<uint8_t, kEntries> cfg_{};
  std::array<uint64_t, kEntries> addr_{};
  bool any_locked_ = false;
  uint64_t generation_ = 0;
};

}  // namespace sv39sim
