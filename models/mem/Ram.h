// Guest DRAM contents. Reserved with mmap(MAP_NORESERVE) so the host backs only pages the guest touches:
// a 4 GiB guest costs what it uses. Timing lives elsewhere (MemoryController, DramTiming).
#pragma once

#include <tlm_utils/simple_target_socket.h>

#include <systemc>
#include <tlm>

#include "models/mem/CodePages.h"
#include "models/mem/PhysicalMemory.h"

namespace sv39sim {

// Zeroes [host, host + len), which must lie in private anonymous memory (the RAM's mapping, or the heap in
// unit tests): whole host pages are released rather than written, so a large bss costs no host memory.
void zero_fill(uint8_t* host, uint64_t len);

class Ram : public sc_core::sc_module {
 public:
  tlm_utils::simple_target_socket<Ram> socket;

  Ram(sc_core::sc_module_name name, uint64_t base, uint64_t size);
  ~Ram() override;
  Ram(const Ram&) = delete;
  Ram& operator=(const Ram&) = delete;

  const RamWindow& window() const { return window_; }

 private:
  void b_transport(tlm::tlm_generic_payload& p, sc_core::sc_time& delay);
  CodePages code_;
  RamWindow window_;
};

}  // namespace sv39sim
