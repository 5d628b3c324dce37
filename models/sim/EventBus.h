// The one place every Event goes through (VCML's idea: one tracer sees every transaction, sinks plug in).
//
// Two kinds of subscriber:
//   - counters (statistics) see each event at once, in publication order; they only count, so order does
//     not matter to them;
//   - ordered sinks (waveforms, the RTL cross-check, stream files) see the stream in time order, each event
//     numbered by its position in it (seq). Modules publish in host order, which is not time order: the hart
//     runs ahead of SystemC time by up to a quantum while devices act at SystemC time, and the memory
//     controller decides posted writes lazily. So the bus holds events back and releases, sorted, only those
//     older than every time a module could still publish at (each module that publishes late says how
//     late, through a horizon).
// A counter names the kinds it counts; an ordered sink takes every kind. Publishing a kind no one takes
// costs one test of a bit (wants()), so modules guard every publication with it, and a module asks
// wants() before taking a fast path that skips events (the MMU's micro-TLB replays TLB hits without a
// lookup: it counts them directly, and stands aside while anyone wants TlbLookup events). With no ordered
// sink nothing is held.
#pragma once

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <vector>

#include "models/sim/Event.h"

namespace sv39sim {

class EventSink {
 public:
  virtual ~EventSink() = default;
  virtual void on_event(const Event& e) = 0;
  // The stream ended at `time_ps` (end of the run, whatever ended it): write out what is held.
  virtual void on_end(uint64_t /*time_ps*/) {}
};

class EventBus {
 public:
  void subscribe_counter(EventSink* s, std::initializer_list<EventKind> kinds) {
    counters_.push_back(s);
    for (EventKind k : kinds) wanted_ |= bit(k);
  }
  void subscribe_ordered(EventSink* s) {
    ordered_.push_back(s);
    wanted_ = ~uint32_t{0};
  }
  // The earliest time a module may still publish at (e.g. the hart's clock, SystemC time, the oldest
  // request the memory controller has not yet scheduled). Events before the minimum are final.
  void add_horizon(std::function<uint64_t()> earliest_ps) { horizons_.push_back(std::move(earliest_ps)); }
  void set_instret_source(const uint64_t* instret) { instret_ = instret; }

  bool wants(EventKind k) const { return (wanted_ & bit(k)) != 0; }
  bool wants_every_event() const { return !ordered_.empty(); }

  // Callers test wants(e.kind) first. A counter also sees kinds it did not name (another subscriber
  // wanted them) and ignores them: counters switch on kind.
  void publish(Event e) {
    e.instret = instret_ ? *instret_ : 0;
    for (EventSink* s : counters_) s->on_event(e);
    if (!ordered_.empty()) held_.push_back(e);
  }

  // Delivers, in time order, every held event older than all horizons. Cheap when nothing is held.
  void release();
  // End of the stream: delivers everything held, then tells every sink.
  void end(uint64_t time_ps);

  uint64_t delivered() const { return seq_; }

 private:
  void deliver_before(uint64_t limit_ps);
  static constexpr uint32_t bit(EventKind k) { return uint32_t{1} << static_cast<unsigned>(k); }
  static_assert(kEventKinds <= 32, "one bit per kind in wanted_");

  std::vector<EventSink*> counters_, ordered_;
  std::vector<std::function<uint64_t()>> horizons_;
  std::vector<Event> held_;
  const uint64_t* instret_ = nullptr;
  uint64_t seq_ = 0;
  uint64_t last_time_ps_ = 0;
  uint32_t wanted_ = 0;
};

}  // namespace sv39sim
