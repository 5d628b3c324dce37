// HTIF as RISC-V test suites use it: the guest writes the ELF symbol `tohost`; 1 passes, (n << 1) | 1
// fails with n, device 1 command 1 prints a character (then the host clears tohost).
#pragma once

#include <cstdint>
#include <cstdio>

#include "models/mem/PhysicalMemory.h"
#include "models/sim/SimControl.h"

namespace sv39sim {

class Htif {
 public:
  Htif(uint64_t tohost_paddr, const RamWindow& ram, SimControl& control, std::FILE* console)
      : tohost_(tohost_paddr), ram_(ram), control_(control), console_(console) {}

  // Called after any store that touched tohost.
  void on_tohost_store();
  uint64_t commands() const { return commands_; }

 private:
  uint64_t tohost_;
  RamWindow ram_;
  SimControl& control_;
  std::FILE* console_;
  uint64_t commands_ = 0;
  static constexpr uint64_t kMaxWarnings = 10;
  uint64_t unsupported_ = 0;
};

}  // namespace sv39sim
