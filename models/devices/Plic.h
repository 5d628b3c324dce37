// Platform-level interrupt controller (SiFive PLIC layout, as in QEMU virt) with two contexts:
// 0 = hart 0 M-mode (drives MEIP), 1 = hart 0 S-mode (drives SEIP). The gateways either follow QEMU's
// PLIC (a request each time a device asserts its line) or are strictly level-triggered (plic.gateway).
#pragma once

#include <array>

#include "models/devices/Interrupts.h"
#include "models/devices/MmioDevice.h"

namespace sv39sim {

class Plic : public MmioDevice, public InterruptSink {
 public:
  static constexpr uint64_t kSize = 0x4000000;
  static constexpr unsigned kSources = 32;  // source 0 does not exist
  static constexpr unsigned kContexts = 2;
  static constexpr unsigned kPriorityMask = 7;

  enum class Gateway {
    // As QEMU's sifive_plic: every call with the line high is a request that makes the source pending
    // (even while it is being serviced); a low line withdraws it; completion does not sample the line.
    // Devices call set_interrupt where QEMU's models update their line, so a driver that leaves a
    // condition standing (THR empty, say) is interrupted once per event, not continually.
    Qemu,
    // Strict level-triggered gateways: pending while the line is high and the source is not in service;
    // completion with the line still high makes it pending again at once.
    Level,
  };

  Plic(sc_core::sc_module_name name, InterruptSink& hart, Gateway gateway = Gateway::Qemu);

  // A device's interrupt line (source 1..31).
  void set_interrupt(unsigned source, bool level) override;

 protected:
  bool read(uint64_t offset, uint8_t* data, unsigned len, const sc_core::sc_time& now) override;
  bool write(uint64_t offset, const uint8_t* data, unsigned len, const sc_core::sc_time& now) override;

 private:
  uint32_t claim(unsigned ctx);
  void complete(unsigned ctx, uint32_t source);
  void update_outputs();
  // Pending and not in service (with level gateways, a source in service is never pending).
  uint32_t claimable() const { return pending_ & ~in_service_; }

  InterruptSink& hart_;
  Gateway gateway_;
  std::array<uint32_t, kSources> priority_{};
  uint32_t level_ = 0;       // input lines
  uint32_t pending_ = 0;     // gateway pending bits
  uint32_t in_service_ = 0;  // claimed and not yet completed
  std::array<uint32_t, kContexts> enable_{};
  std::array<uint32_t, kContexts> threshold_{};
  std::array<bool, kContexts> output_{};  // the lines to the hart (MEIP, SEIP) as last driven
};

}  // namespace sv39sim
