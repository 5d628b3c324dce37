#include "models/mmu/Pmp.h"

namespace sv39sim {

namespace {
constexpr uint64_t kAddrMask = (1ull << 54) - 1;  // pmpaddr holds physical address bits 55:2
}

uint64_t Pmp::read_cfg(unsigned reg) const {
  uint64_t v = 0;
  for (unsigned i = 0; i < 8; ++i) v |= static_cast<uint64_t>(cfg_[reg * 4 + i]) << (8 * i);
  return v;
}

void Pmp::write_cfg(unsigned reg, uint64_t value) {
  for (unsigned i = 0; i < 8; ++i) {
    const unsigned e = reg * 4 + i;
    if (cfg_[e] & kL) continue;
    uint8_t c = static_cast<uint8_t>(value >> (8 * i)) & (kL | kAMask | kX | kW | kR);
    if ((c & (kR | kW)) == kW) c &= ~kW;  // W without R is reserved: keep it unwritable
    cfg_[e] = c;
  }
  any_locked_ = false;
  for (uint8_t c : cfg_) any_locked_ |= (c & kL) != 0;
  ++generation_;
}

bool Pmp::locked(unsigned i) const {
  // A locked TOR entry also locks the address register below it (its lower bound).
  return (cfg_[i] & kL) || (i + 1 < kEntries && (cfg_[i + 1] & kL) && (cfg_[i + 1] & kAMask) == kTor);
}

void Pmp::write_addr(unsigned i, uint64_t value) {
  if (locked(i)) return;
  addr_[i] = value & kAddrMask;
  ++generation_;
}

void Pmp::range(unsigned i, uint64_t* lo, uint64_t* hi) const {
  const uint64_t a = addr_[i];
  switch (cfg_[i] & kAMask) {
    case kTor:
      *lo = i == 0 ? 0 : addr_[i - 1] << 2;
      *hi = a << 2;
      if (*hi < *lo) *hi = *lo;  // an empty range matches nothing
      return;
    case kNa4:
      *lo = a << 2;
      *hi = *lo + 4;
      return;
    case kNapot: {
      // Trailing ones in pmpaddr encode the size: t ones give 2^(t+3) bytes.
      const unsigned t = static_cast<unsigned>(__builtin_ctzll(~a));
      const uint64_t size = t >= 54 ? (1ull << 56) : (8ull << t);
      *lo = (a << 2) & ~(size - 1);
      *hi = *lo + size;
      return;
    }
    default: *lo = *hi = 0;
  }
}

bool Pmp::check(uint64_t pa, unsigned len, Access a, Priv priv) const {
  const uint8_t need = needed(a);
  for (unsigned i = 0; i < kEntries; ++i) {
    uint64_t lo, hi;
    range(i, &lo, &hi);
    if (lo == hi) continue;
    const bool first = pa >= lo && pa < hi, last = pa + len - 1 >= lo && pa + len - 1 < hi;
    if (!first && !last && !(pa < lo && pa + len > hi)) continue;
    // The lowest-numbered entry that matches any byte decides; matching only some bytes fails.
    if (!(first && last)) return false;
    if (priv == Priv::M && !(cfg_[i] & kL)) return true;
    return (cfg_[i] & need) != 0;
  }
  return priv == Priv::M;  // no match: M-mode succeeds, S/U fail (entries are implemented)
}

int Pmp::compute_page_permissions(uint64_t page_pa, Priv priv) const {
  int perms = 0;
  for (uint8_t bit : {kR, kW, kX}) {
    const Access a = bit == kR ? Access::Load : bit == kW ? Access::Store : Access::Fetch;
    const bool whole = check(page_pa, 4096, a, priv);
    if (whole) {
      perms |= bit;
      continue;
    }
    // Not granted for the whole page: uniform only if no single byte is granted either. Probing the
    // first and last bytes and every entry boundary inside the page decides that.
    if (check(page_pa, 1, a, priv) || check(page_pa + 4095, 1, a, priv)) return -1;
    for (unsigned i = 0; i < kEntries; ++i) {
      uint64_t lo, hi;
      range(i, &lo, &hi);
      if (lo > page_pa && lo < page_pa + 4096 && check(lo, 1, a, priv)) return -1;
      if (hi > page_pa && hi < page_pa + 4096 && check(hi, 1, a, priv)) return -1;
    }
  }
  return perms;
}

}  // namespace sv39sim
