// Interrupt wires between modules: a device drives a numbered line of its sink (the PLIC's sources, or the
// hart's mip bits). Direct calls rather than sc_signals, so a level change made during a loosely-timed
// access is visible to the hart before its next instruction.
#pragma once

namespace sv39sim {

class InterruptSink {
 public:
  virtual ~InterruptSink() = default;
  virtual void set_interrupt(unsigned line, bool level) = 0;
};

}  // namespace sv39sim
