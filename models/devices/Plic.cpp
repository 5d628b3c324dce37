#include "models/devices/Plic.h"

#include "models/arch/Csr.h"

namespace sv39sim {

namespace {
constexpr uint64_t kPending = 0x1000, kEnable = 0x2000, kEnableStride = 0x80;
constexpr uint64_t kContextBase = 0x200000, kContextStride = 0x1000;
}  // namespace

Plic::Plic(sc_core::sc_module_name name, InterruptSink& hart, Gateway gateway)
    : MmioDevice(name, kSize), hart_(hart), gateway_(gateway) {}

void Plic::set_interrupt(unsigned source, bool level) {
  if (source == 0 || source >= kSources) return;
  const uint32_t bit = 1u << source;
  level_ = level ? (level_ | bit) : (level_ & ~bit);
  if (!level) {
    pending_ &= ~bit;
  } else if (gateway_ == Gateway::Qemu || !(in_service_ & bit)) {
    // A level gateway forwards one request at a time: a source in service stays quiet until completed.
    // QEMU's records the request now; it becomes claimable once the source is completed.
    pending_ |= bit;
  }
  update_outputs();
}

uint32_t Plic::claim(unsigned ctx) {
  // Only sources above the threshold can be claimed (as QEMU does): ties go to the lowest ID.
  uint32_t best = 0, best_prio = threshold_[ctx];
  for (unsigned s = 1; s < kSources; ++s) {
    const uint32_t bit = 1u << s;
    if ((claimable() & enable_[ctx] & bit) && priority_[s] > best_prio) {
      best = s;
      best_prio = priority_[s];
    }
  }
  if (best != 0) {
    pending_ &= ~(1u << best);
    in_service_ |= 1u << best;
    update_outputs();
  }
  return best;
}

void Plic::complete(unsigned ctx, uint32_t source) {
  if (source == 0 || source >= kSources || !(enable_[ctx] & (1u << source))) return;
  const uint32_t bit = 1u << source;
  in_service_ &= ~bit;
  if (gateway_ == Gateway::Level && (level_ & bit)) pending_ |= bit;
  update_outputs();
}

// Only a change of an output reaches the hart: an unchanged line would stop its run loop for nothing.
void Plic::update_outputs() {
  for (unsigned ctx = 0; ctx < kContexts; ++ctx) {
    bool irq = false;
    for (uint32_t live = claimable() & enable_[ctx]; live && !irq; live &= live - 1)
      irq = priority_[__builtin_ctz(live)] > threshold_[ctx];
    if (irq == output_[ctx]) continue;
    output_[ctx] = irq;
    hart_.set_interrupt(ctx == 0 ? irq::kMei : irq::kSei, irq);
  }
}

bool Plic::read(uint64_t off, uint8_t* data, unsigned len, const sc_core::sc_time&) {
  if (len != 4 || (off & 3)) return false;  // 32-bit registers only, as the PLIC spec says
  uint32_t v = 0;
  if (off < kPending) {
    v = off / 4 < kSources ? priority_[off / 4] : 0;
  } else if (off < kEnable) {
    v = off == kPending ? pending_ : 0;
  } else if (off < kContextBase) {
    const uint64_t ctx = (off - kEnable) / kEnableStride;
    v = ctx < kContexts && (off - kEnable) % kEnableStride == 0 ? enable_[ctx] : 0;
  } else {
    const uint64_t ctx = (off - kContextBase) / kContextStride, reg = (off - kContextBase) % kContextStride;
    if (ctx < kContexts && reg == 0) v = threshold_[ctx];
    if (ctx < kContexts && reg == 4) v = claim(static_cast<unsigned>(ctx));
  }
  from_value(v, data, 4);
  return true;
}

bool Plic::write(uint64_t off, const uint8_t* data, unsigned len, const sc_core::sc_time&) {
  if (len != 4 || (off & 3)) return false;
  const uint32_t v = static_cast<uint32_t>(to_value(data, 4));
  if (off < kPending) {
    if (off / 4 < kSources && off != 0) priority_[off / 4] = v & kPriorityMask;
  } else if (off < kEnable) {
    // pending bits are read-only
  } else if (off < kContextBase) {
    const uint64_t ctx = (off - kEnable) / kEnableStride;
    if (ctx < kContexts && (off - kEnable) % kEnableStride == 0) enable_[ctx] = v & ~1u;
  } else {
    const uint64_t ctx = (off - kContextBase) / kContextStride, reg = (off - kContextBase) % kContextStride;
    if (ctx < kContexts && reg == 0) threshold_[ctx] = v & kPriorityMask;
    if (ctx < kContexts && reg == 4) complete(static_cast<unsigned>(ctx), v);
  }
  update_outputs();
  return true;
}

}  // namespace sv39sim
