#include "models/sim/EventBus.h"

#include <algorithm>
#include <limits>
#include <stdexcept>
#include <string>

namespace sv39sim {

const char* unit_name(Unit u) {
  static const char* const kNames[] = {"hart", "itlb", "dtlb",   "l2tlb", "walker", "pwc",  "l1i",
                                       "l1d",  "l2",   "memctl", "dram",  "disk",   "pager"};
  static_assert(sizeof(kNames) / sizeof(kNames[0]) == kUnits, "one name per unit");
  const auto i = static_cast<unsigned>(u);
  return i < kUnits ? kNames[i] : "?";
}

const char* event_kind_name(EventKind k) {
  static const char* const kNames[] = {
      "tlb_lookup",    "tlb_fill",     "tlb_invalidate", "pwc_lookup", "pwc_fill",    "pwc_invalidate",
      "walk_start",    "pte_read",     "pte_write",      "walk_end",   "fault",       "sfence",
      "satp_write",    "trap_enter",   "trap_return",    "cache_miss", "dram_access", "disk_request",
      "disk_complete", "pager_marker", "translation"};
  static_assert(sizeof(kNames) / sizeof(kNames[0]) == kEventKinds, "one name per event kind");
  const auto i = static_cast<unsigned>(k);
  return i < kEventKinds ? kNames[i] : "?";
}

void EventBus::release() {
  if (held_.empty()) return;
  uint64_t limit = std::numeric_limits<uint64_t>::max();
  for (const auto& h : horizons_) limit = std::min(limit, h());
  deliver_before(limit);
}

void EventBus::end(uint64_t time_ps) {
  deliver_before(std::numeric_limits<uint64_t>::max());
  for (EventSink* s : ordered_) s->on_end(std::max(time_ps, last_time_ps_));
}

void EventBus::deliver_before(uint64_t limit_ps) {
  // Mostly in order already; a stable sort keeps publication order among events of the same time.
  const auto earlier = [](const Event& a, const Event& b) { return a.time_ps < b.time_ps; };
  if (!std::is_sorted(held_.begin(), held_.end(), earlier))
    std::stable_sort(held_.begin(), held_.end(), earlier);
  size_t n = 0;
  while (n < held_.size() && held_[n].time_ps < limit_ps) {
    Event& e = held_[n++];
    // A module published earlier than the horizon it declared: the stream would go back in time.
    if (e.time_ps < last_time_ps_) {
      throw std::logic_error(std::string("event stream: ") + event_kind_name(e.kind) + " of " +
                             unit_name(e.unit) + " at " + std::to_string(e.time_ps) +
                             " ps published after events up to " + std::to_string(last_time_ps_) + " ps");
    }
    last_time_ps_ = e.time_ps;
    e.seq = seq_++;
    for (EventSink* s : ordered_) s->on_event(e);
  }
  held_.erase(held_.begin(), held_.begin() + static_cast<std::ptrdiff_t>(n));
}

}  // namespace sv39sim
