#include "models/core/HartModule.h"

#include <algorithm>
#include <cstring>
#include <string>

#include "models/devices/Clint.h"
#include "models/sim/SimControl.h"

namespace sv39sim {

using sc_core::sc_time;

HartModule::HartModule(sc_core::sc_module_name name, const HartConfig& cfg, const HartTiming& timing,
                       SimControl& control)
    : sc_module(name), bus("bus"), mmu_(*this), hart_(mmu_, cfg), timing_(timing), control_(control) {
  SC_HAS_PROCESS(HartModule);
  SC_THREAD(run_thread);
  hart_.set_time_source(this);
}

sc_time HartModule::local_time() const {
  return sc_time::from_value(hart_.cycles() * timing_.clock_period_ps);
}

void HartModule::sync() {
  const sc_time local = local_time();
  if (local > sc_core::sc_time_stamp()) wait(local - sc_core::sc_time_stamp());
  if (events_) events_->release();
}

void HartModule::sleep_until_interrupt() {
  ++wfi_sleeps_;
  sync();
  const bool timed = timing_.max_time_ps != 0;
  const sc_time limit = sc_time::from_value(timing_.max_time_ps);
  while (!hart_.wake_pending() && !control_.finished()) {
    // The hart's own timer (Sstc stimecmp) ends the sleep at its deadline, as a device line would.
    const uint64_t deadline = hart_.timer_deadline();
    const bool timer = deadline != UINT64_MAX;
    sc_time until = timer ? sc_time::from_value(deadline * timing_.clock_period_ps) : limit;
    if (timed && limit < until) until = limit;
    if (timed || timer) {
      if (timed && sc_core::sc_time_stamp() >= limit) break;
      if (until > sc_core::sc_time_stamp()) wait(until - sc_core::sc_time_stamp(), irq_event_);
    } else if (!hart_.can_wake()) {
      // Only the hart writes mie: with every interrupt disabled no device can end this WFI, and waiting
      // would spin as long as any device (the UART's input poll) keeps simulated time moving.
      control_.finish(RunStatus::Idle, 0, "the hart sleeps in WFI with every interrupt disabled (mie = 0)");
    } else {
      wait(irq_event_);
    }
    advance_clock_to_now();
  }
  advance_clock_to_now();
}

// Time spent asleep still counts cycles: the hart's clock keeps running (and the time limit sees it).
void HartModule::advance_clock_to_now() {
  const uint64_t now_cycles =
      (sc_core::sc_time_stamp().value() + timing_.clock_period_ps - 1) / timing_.clock_period_ps;
  if (now_cycles > hart_.cycles()) hart_.add_cycles(now_cycles - hart_.cycles());
  hart_.clock_advanced();
}

uint64_t HartModule::attempted_instructions() const {
  return hart_.instret() + hart_.exceptions();
}

void HartModule::run_thread() {
  const uint64_t quantum_cycles = std::max<uint64_t>(1, timing_.quantum_ps / timing_.clock_period_ps);
  const uint64_t max_cycles =
      timing_.max_time_ps ? timing_.max_time_ps / timing_.clock_period_ps : UINT64_MAX;
  // The instruction limit counts every instruction the hart attempts, retired or trapped: a hart caught
  // in a trap loop (a handler that faults itself) retires nothing, yet must reach the limit.
  const uint64_t max_attempts = timing_.max_instructions ? timing_.max_instructions : UINT64_MAX;
  uint64_t sync_cycle = hart_.cycles();
  while (!control_.finished()) {
    const uint64_t attempts = attempted_instructions();
    if (attempts >= max_attempts) {
      const uint64_t trapped = attempts - hart_.instret();
      control_.finish(RunStatus::InstructionLimit, 0,
                      trapped
                          ? "instruction limit reached, counting " + std::to_string(trapped) + " that trapped"
                          : std::string("instruction limit reached"));
      break;
    }
    if (hart_.cycles() >= max_cycles) {
      control_.finish(RunStatus::TimeLimit, 0, "simulated time limit reached");
      break;
    }
    // Every attempt takes at least one cycle, so a cycle budget of the attempts left cannot overshoot.
    const uint64_t left = max_attempts - attempts;
    const uint64_t budget = hart_.cycles() + std::min(left, UINT64_MAX - hart_.cycles());
    hart_.run(std::min({sync_cycle + quantum_cycles, max_cycles, budget}), UINT64_MAX);
    if (control_.finished()) break;
    if (hart_.waiting_for_interrupt()) {
      sleep_until_interrupt();
      sync_cycle = hart_.cycles();
      continue;
    }
    if (hart_.cycles() - sync_cycle >= quantum_cycles) {
      sync();
      sync_cycle = hart_.cycles();
    }
  }
  sync();  // leave SystemC time where the hart stopped
}

bool HartModule::transport(tlm::tlm_command cmd, uint64_t paddr, void* data, unsigned len) {
  // Devices see the hart's local time: its lead over SystemC time travels as the annotated delay.
  const sc_time local = local_time();
  const sc_time& now = sc_core::sc_time_stamp();
  sc_time delay = local > now ? local - now : sc_core::SC_ZERO_TIME;
  return bus_access_.issue(bus, cmd, paddr, data, len, delay);
}

bool HartModule::read(uint64_t paddr, void* data, unsigned len) {
  return transport(tlm::TLM_READ_COMMAND, paddr, data, len);
}

bool HartModule::write(uint64_t paddr, const void* data, unsigned len) {
  // The Mmu sends RAM stores here only when they touch the watched window (HTIF tohost).
  const uint64_t off = paddr - ram_.base;
  if (off < ram_.size && ram_.size - off >= len) {
    std::memcpy(ram_.host + off, data, len);
    if (ram_.code) ram_.code->written(paddr, len);
    if (watch_hook_ && paddr < watch_lo_ + watch_len_ && watch_lo_ < paddr + len) watch_hook_();
    return true;
  }
  return transport(tlm::TLM_WRITE_COMMAND, paddr, const_cast<void*>(data), len);
}

void HartModule::set_interrupt(unsigned line, bool level) {
  hart_.set_interrupt_line(line, level);
  irq_event_.notify(sc_core::SC_ZERO_TIME);
}

uint64_t HartModule::mtime_at_cycle(uint64_t cycle) {
  if (!clint_) return 0;
  return clint_->mtime_at(sc_time::from_value(cycle * timing_.clock_period_ps));
}

uint64_t HartModule::cycle_at_mtime(uint64_t mtime, uint64_t from_cycle) {
  sc_time at;
  if (!clint_ ||
      !clint_->when_mtime_reaches(mtime, sc_time::from_value(from_cycle * timing_.clock_period_ps), &at))
    return UINT64_MAX;
  // The first whole cycle at or after that instant: mtime_at_cycle shows the target there and not before.
  const uint64_t cycle = (at.value() + timing_.clock_period_ps - 1) / timing_.clock_period_ps;
  return std::max(cycle, from_cycle + 1);
}

}  // namespace sv39sim
