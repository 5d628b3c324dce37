// The trace-marker device: the pager kernel says what it is doing (firmware/kernel/abi.h, "Trace
// markers") and each marker becomes one PagerMarker event on the EventBus, at the time of the write.
// Not a QEMU device: the kernel learns the address from the boot arguments (marker=) and writes nothing
// without it.
//
// Registers (64-bit, any width within one register): CODE at +0, ARG0..2 at +8, +16, +24. Writing CODE
// publishes Event{PagerMarker, Pager, outcome = code, data = ARG0, aux = ARG1, va = ARG2}; the ARGs keep
// their values. Reads return the registers (CODE reads 0). A code above 255 is a device error.
#pragma once

#include "models/devices/MmioDevice.h"
#include "models/sim/EventBus.h"

namespace sv39sim {

class TraceMarker : public MmioDevice {
 public:
  static constexpr uint64_t kSize = 0x1000;
  TraceMarker(sc_core::sc_module_name name, EventBus& events) : MmioDevice(name, kSize), events_(events) {}

 protected:
  bool read(uint64_t off, uint8_t* data, unsigned len, const sc_core::sc_time&) override {
    if (!within_register(off, len)) return false;
    const uint64_t r = off / 8 == 0 ? 0 : args_[off / 8 - 1];
    from_value(r >> (8 * (off % 8)), data, len);
    return true;
  }
  bool write(uint64_t off, const uint8_t* data, unsigned len, const sc_core::sc_time& now) override {
    if (!within_register(off, len)) return false;
    const uint64_t v = to_value(data, len);
    if (off / 8 == 0) {
      if (off != 0 || v > 0xff) return false;
      Event e;
      e.kind = EventKind::PagerMarker;
      e.unit = Unit::Pager;
      e.time_ps = now.value();
      e.outcome = static_cast<uint8_t>(v);
      e.data = args_[0];
      e.aux = args_[1];
      e.va = args_[2];
      if (events_.wants(EventKind::PagerMarker)) events_.publish(e);
      return true;
    }
    // Merge a narrower write into its register.
    uint64_t& r = args_[off / 8 - 1];
    const unsigned shift = 8 * (off % 8);
    const uint64_t mask = (len == 8 ? ~0ull : (1ull << (8 * len)) - 1) << shift;
    r = (r & ~mask) | ((v << shift) & mask);
    return true;
  }

 private:
  static bool within_register(uint64_t off, unsigned len) { return off < 32 && off % 8 + len <= 8; }

  EventBus& events_;
  uint64_t args_[3] = {};
};

}  // namespace sv39sim
