// Core-local interruptor (SiFive CLINT layout, as in QEMU virt): msip, mtimecmp and mtime for hart 0.
// mtime is derived from simulated time, so it advances while the hart sleeps in WFI at no host cost.
#pragma once

#include "models/devices/Interrupts.h"
#include "models/devices/MmioDevice.h"

namespace sv39sim {

class Clint : public MmioDevice {
 public:
  static constexpr uint64_t kSize = 0x10000;
  Clint(sc_core::sc_module_name name, uint64_t timebase_hz, InterruptSink& hart);

  uint64_t mtime_at(const sc_core::sc_time& t) const;
  // When mtime, counting up from its value at `now` (below `target`), reaches `target`: false for instants
  // beyond ~100 days of simulated time, which are never reached.
  bool when_mtime_reaches(uint64_t target, const sc_core::sc_time& now, sc_core::sc_time* at) const;
  uint64_t timebase_hz() const { return hz_; }

 protected:
  bool read(uint64_t offset, uint8_t* data, unsigned len, const sc_core::sc_time& now) override;
  bool write(uint64_t offset, const uint8_t* data, unsigned len, const sc_core::sc_time& now) override;

 private:
  void update_timer(const sc_core::sc_time& now);
  void on_timer_event() { update_timer(sc_core::sc_time_stamp()); }

  uint64_t hz_;
  InterruptSink& hart_;
  bool msip_ = false;
  uint64_t mtimecmp_ = ~0ull;
  uint64_t mtime_offset_ = 0;  // added to the time-derived count after software writes mtime
  sc_core::sc_event timer_event_;
};

}  // namespace sv39sim
