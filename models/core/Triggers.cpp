// Sdtrig address match triggers: the tdata1 encodings of mcontrol and mcontrol6 (RV64), what a write
// keeps (WARL), and matching.
#include "models/core/Triggers.h"

namespace sv39sim {

namespace {
constexpr unsigned kTypeShift = 60;
constexpr uint64_t kTypeMcontrol = 2, kTypeMcontrol6 = 6, kTypeDisabled = 15;
// Fields shared by both types.
constexpr uint64_t kLoad = 1u << 0, kStore = 1u << 1, kExecute = 1u << 2, kU = 1u << 3, kS = 1u << 4,
                   kM = 1u << 6;
constexpr unsigned kMatchShift = 7;
constexpr uint64_t kMatch = 0xfull << kMatchShift;
// mcontrol: sizelo 17:16, sizehi 22:21 (maskmax 58:53 reads 0: NAPOT is offered by mcontrol6 only, and
// riscv-tests' rv64mi breakpoint test expects a written mcontrol to read back exactly).
constexpr unsigned kSizeloShift = 16, kSizehiShift = 21;
// mcontrol6: size 18:16 (ratified 1.0 encoding, tinfo.version 1).
constexpr unsigned kSize6Shift = 16;
// tinfo: version 1 (Sdtrig 1.0) in 31:24, one bit per type this trigger can take.
constexpr uint64_t kTinfo = (1ull << 24) | (1u << kTypeMcontrol) | (1u << kTypeMcontrol6);

// Access sizes in bytes by size encoding, 0 where unsupported: 48-bit and wider instructions do not exist
// on this hart and no access is wider than 64 bits. Encodings 0..5 are the same for both types.
constexpr unsigned size_bytes(unsigned code) {
  switch (code) {
    case 1: return 1;
    case 2: return 2;
    case 3: return 4;
    case 5: return 8;
    default: return 0;
  }
}

bool match_supported(uint64_t type, unsigned match) {
  switch (match) {
    case 0:   // equal
    case 2:   // greater or equal
    case 3:   // less than
    case 4:   // mask low
    case 5:   // mask high
    case 8:   // not equal
    case 12:  // not mask low
    case 13: return true;
    case 1:  // NAPOT and its negation: only where maskmax can say how large (mcontrol6)
    case 9: return type == kTypeMcontrol6;
    default: return false;
  }
}
}  // namespace

void Triggers::reset() {
  // Every trigger starts as an mcontrol that matches nothing (no mode or access bit), as QEMU's do:
  // software that looks for type 2 before configuring finds one.
  for (Trigger& t : t_) t = Trigger{kTypeMcontrol << kTypeShift, 0};
  select_ = 0;
  update_armed();
}

void Triggers::write_tdata1(uint64_t v) {
  const uint64_t type = v >> kTypeShift;
  uint64_t kept;
  if (type == kTypeMcontrol || type == kTypeMcontrol6) {
    kept = (type << kTypeShift) | (v & (kLoad | kStore | kExecute | kU | kS | kM));
    const unsigned match = static_cast<unsigned>((v & kMatch) >> kMatchShift);
    if (match_supported(type, match)) kept |= v & kMatch;
    if (type == kTypeMcontrol) {
      const unsigned code =
          static_cast<unsigned>(((v >> kSizeloShift) & 3) | (((v >> kSizehiShift) & 3) << 2));
      if (size_bytes(code)) kept |= v & ((3ull << kSizeloShift) | (3ull << kSizehiShift));
    } else if (size_bytes(static_cast<unsigned>((v >> kSize6Shift) & 7))) {
      kept |= v & (7ull << kSize6Shift);
    }
  } else {
    // Writing 0, or a type this trigger cannot take, leaves it disabled; the other bits are ignored.
    kept = kTypeDisabled << kTypeShift;
  }
  t_[select_].tdata1 = kept;  // dmode (bit 59) is writable from Debug Mode only: it stays 0
  update_armed();
}

void Triggers::write_tdata2(uint64_t v) {
  // With NAPOT selected, tdata2 tells the largest range (maskmax6 = 63): writing bits 62:0 all ones
  // clears bit 62, as the spec's discovery sequence expects.
  const Fields f = fields(t_[select_].tdata1);
  constexpr uint64_t kLow63 = ~0ull >> 1;
  if (f.type == kTypeMcontrol6 && (f.match & 7) == 1 && (v & kLow63) == kLow63) v &= ~(1ull << 62);
  t_[select_].tdata2 = v;
}

uint64_t Triggers::tinfo() const {
  return kTinfo;  // every trigger exists and takes both types
}

Triggers::Fields Triggers::fields(uint64_t tdata1) {
  Fields f{};
  f.type = static_cast<unsigned>(tdata1 >> kTypeShift);
  f.match = static_cast<unsigned>((tdata1 & kMatch) >> kMatchShift);
  const unsigned code =
      f.type == kTypeMcontrol6
          ? static_cast<unsigned>((tdata1 >> kSize6Shift) & 7)
          : static_cast<unsigned>(((tdata1 >> kSizeloShift) & 3) | (((tdata1 >> kSizehiShift) & 3) << 2));
  f.size_bytes = size_bytes(code);
  f.m = tdata1 & kM;
  f.s = tdata1 & kS;
  f.u = tdata1 & kU;
  f.execute = tdata1 & kExecute;
  f.store = tdata1 & kStore;
  f.load = tdata1 & kLoad;
  if (f.type != kTypeMcontrol && f.type != kTypeMcontrol6) f.execute = f.store = f.load = false;
  return f;
}

// One compare value against tdata2 under a match encoding without its negation bit (match & 7).
bool Triggers::compare(unsigned match, uint64_t tdata2, uint64_t value) {
  const uint64_t lo = tdata2 & 0xffffffffu, hi = tdata2 >> 32;
  switch (match) {
    case 0: return value == tdata2;
    case 1: {
      // The bits above tdata2's least-significant 0 are compared.
      if (tdata2 == ~0ull) return true;
      const unsigned zero = static_cast<unsigned>(__builtin_ctzll(~tdata2));
      const uint64_t mask = zero == 63 ? 0 : ~0ull << (zero + 1);
      return ((value ^ tdata2) & mask) == 0;
    }
    case 2: return value >= tdata2;
    case 3: return value < tdata2;
    case 4: return ((value & 0xffffffffu) & hi) == lo;
    case 5: return ((value >> 32) & hi) == lo;
    default: return false;
  }
}

bool Triggers::enabled_in(const Fields& f, Priv priv) {
  switch (priv) {
    case Priv::U: return f.u;
    case Priv::S: return f.s;
    default: return f.m;
  }
}

void Triggers::update_armed() {
  uint8_t modes = 0;
  for (const Trigger& t : t_) {
    const Fields f = fields(t.tdata1);
    if (!f.execute && !f.load && !f.store) continue;
    if (f.u) modes |= 1u << static_cast<unsigned>(Priv::U);
    if (f.s) modes |= 1u << static_cast<unsigned>(Priv::S);
    if (f.m) modes |= 1u << static_cast<unsigned>(Priv::M);
  }
  armed_modes_ = modes;
}

bool Triggers::match_execute(Priv priv, uint64_t pc, unsigned len, uint64_t* tval) const {
  for (const Trigger& t : t_) {
    const Fields f = fields(t.tdata1);
    if (!f.execute || !enabled_in(f, priv) || f.size_bytes != len) continue;
    // The instruction's address is its one compare value.
    if (compare(f.match & 7, t.tdata2, pc) != ((f.match & 8) != 0)) {
      *tval = pc;
      return true;
    }
  }
  return false;
}

bool Triggers::match_access(Priv priv, uint64_t va, unsigned len, bool load, bool store,
                            uint64_t* tval) const {
  for (const Trigger& t : t_) {
    const Fields f = fields(t.tdata1);
    if (!((load && f.load) || (store && f.store)) || !enabled_in(f, priv)) continue;
    if (f.size_bytes && f.size_bytes != len) continue;
    unsigned hit = len;  // the first byte whose address matches
    for (unsigned i = 0; i < len && hit == len; ++i)
      if (compare(f.match & 7, t.tdata2, va + i)) hit = i;
    // A negated match fires when no byte would match the plain one.
    if (f.match & 8) {
      if (hit != len) continue;
      hit = 0;
    } else if (hit == len) {
      continue;
    }
    *tval = va + hit;
    return true;
  }
  return false;
}

}  // namespace sv39sim
