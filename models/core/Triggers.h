// The Trigger Module of the Sdtrig extension (RISC-V Debug Specification 1.0, "Sdtrig"): kCount address
// match triggers, each mcontrol (type 2) or mcontrol6 (type 6), on execute, load and store, with
// action 0 (breakpoint exception) only: there is no Debug Mode, so dmode stays 0 and triggers that would
// need it (action 1) are not offered. Fields not implemented read as zero (WARL): hit, select (address
// only), timing (before), chain, uncertain, and mcontrol6's vs/vu (no H extension). tdata3 (textra) is
// hard-wired to zero, which means "no extra conditions". Neither tcontrol nor the context registers are
// implemented (as in QEMU 7.2), so M-mode triggers fire whatever mstatus.MIE says: software that sets one
// on its own trap handler traps again there, as it would on QEMU.
#pragma once

#include <array>
#include <cstdint>

#include "models/arch/Csr.h"

namespace sv39sim {

class Triggers {
 public:
  static constexpr unsigned kCount = 4;

  void reset();

  // CSR views (tselect, tdata1, tdata2, tdata3, tinfo). Writes take what the selected trigger supports.
  uint64_t tselect() const { return select_; }
  void write_tselect(uint64_t v) {
    if (v < kCount) select_ = static_cast<unsigned>(v);  // others would select no trigger: ignored
  }
  uint64_t tdata1() const { return t_[select_].tdata1; }
  void write_tdata1(uint64_t v);
  uint64_t tdata2() const { return t_[select_].tdata2; }
  void write_tdata2(uint64_t v);
  uint64_t tinfo() const;

  // Bit (1 << privilege) set when some trigger may fire in that privilege mode.
  uint8_t armed_modes() const { return armed_modes_; }

  // Execute-address triggers on the instruction at `pc`. `len` is the instruction's length in bytes, or
  // 0 before it is fetched: then only triggers that match any length are asked (an instruction address
  // breakpoint ranks above every fetch fault), and the others once the length is known. True, with the
  // address that fired in *tval, if one fires.
  bool match_execute(Priv priv, uint64_t pc, unsigned len, uint64_t* tval) const;
  // Load or store address triggers on an access of `len` bytes at `va`: every byte accessed is a compare
  // value, and *tval gets the lowest that matched.
  bool match_access(Priv priv, uint64_t va, unsigned len, bool load, bool store, uint64_t* tval) const;

 private:
  struct Trigger {
    uint64_t tdata1 = 0;
    uint64_t tdata2 = 0;
  };
  // A trigger's fields that matching needs, whatever its type.
  struct Fields {
    unsigned type, match, size_bytes;  // size_bytes 0 = any size
    bool m, s, u, execute, store, load;
  };
  static Fields fields(uint64_t tdata1);
  static bool compare(unsigned match, uint64_t tdata2, uint64_t value);
  static bool enabled_in(const Fields& f, Priv priv);
  void update_armed();

  std::array<Trigger, kCount> t_{};
  unsigned select_ = 0;
  uint8_t armed_modes_ = 0;
};

}  // namespace sv39sim
