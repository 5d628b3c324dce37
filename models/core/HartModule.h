// The thin SystemC wrapper around Hart (riscv-vp style): one SC_THREAD runs the hart a quantum at a time,
// turns its cycle count into simulated time, sleeps through WFI until an interrupt line changes, and
// carries the hart's non-RAM accesses onto the bus as loosely-timed TLM transactions.
#pragma once

#include <tlm_utils/simple_initiator_socket.h>

#include <functional>
#include <systemc>
#include <tlm>

#include "models/core/Hart.h"
#include "models/devices/Interrupts.h"
#include "models/mmu/Mmu.h"
#include "models/sim/EventBus.h"
#include "models/sim/TlmAccess.h"

namespace sv39sim {

class Clint;
class SimControl;

struct HartTiming {
  uint64_t clock_period_ps = 1000;
  uint64_t quantum_ps = 1000000;
  uint64_t max_instructions = 0;  // 0 = none
  uint64_t max_time_ps = 0;       // 0 = none
};

class HartModule : public sc_core::sc_module, public PhysicalMemory, public InterruptSink, public TimeSource {
 public:
  tlm_utils::simple_initiator_socket<HartModule> bus;

  HartModule(sc_core::sc_module_name name, const HartConfig& cfg, const HartTiming& timing,
             SimControl& control);

  Hart& hart() { return hart_; }
  Mmu& mmu() { return mmu_; }
  void set_clint(const Clint* clint) { clint_ = clint; }
  // The bus whose held events each quantum sync releases.
  void set_event_bus(EventBus* events) { events_ = events; }
  // Called after every store that reached the watched window (see Mmu::set_store_watch).
  void set_store_watch_hook(std::function<void()> hook) { watch_hook_ = std::move(hook); }
  void set_ram(const RamWindow& ram) {
    ram_ = ram;
    mmu_.set_ram(ram);
  }
  void set_store_watch(uint64_t addr, uint64_t len) {
    watch_lo_ = addr;
    watch_len_ = len;
    mmu_.set_store_watch(addr, len);
  }

  // The hart's own notion of now: its cycle count in simulated time (ahead of SystemC within a quantum).
  sc_core::sc_time local_time() const;
  uint64_t wfi_sleeps() const { return wfi_sleeps_; }

  bool read(uint64_t paddr, void* data, unsigned len) override;
  bool write(uint64_t paddr, const void* data, unsigned len) override;
  void set_interrupt(unsigned line, bool level) override;
  uint64_t mtime_at_cycle(uint64_t cycle) override;
  uint64_t cycle_at_mtime(uint64_t mtime, uint64_t from_cycle) override;

 private:
  void run_thread();
  // Instructions retired plus exceptions taken: what the instruction limit counts.
  uint64_t attempted_instructions() const;
  void sync();
  void sleep_until_interrupt();
  void advance_clock_to_now();
  bool transport(tlm::tlm_command cmd, uint64_t paddr, void* data, unsigned len);

  Mmu mmu_;
  Hart hart_;
  HartTiming timing_;
  SimControl& control_;
  const Clint* clint_ = nullptr;
  EventBus* events_ = nullptr;
  RamWindow ram_;
  uint64_t watch_lo_ = 0, watch_len_ = 0;
  std::function<void()> watch_hook_;
  sc_core::sc_event irq_event_;
  uint64_t wfi_sleeps_ = 0;
  PlainAccess bus_access_;
};

}  // namespace sv39sim
