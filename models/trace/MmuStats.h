// Memory-system statistics: counts walks, PTE reads, A/D writes and fences from the event stream (a
// counter on the EventBus, so these numbers and the waveforms come from the same events), and registers
// every TLB's inline lookup counters (the hot path counts those itself), so all of them land in stats.json
// and stats.txt.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <string>

#include "models/mmu/Tlb.h"
#include "models/sim/EventBus.h"
#include "models/sim/Stats.h"

namespace sv39sim {

class MmuStats : public EventSink {
 public:
  static constexpr unsigned kHistogramBuckets = 16;  // walk latency: [0,2), [2,4), [4,8) ... cycles

  explicit MmuStats(uint64_t clock_period_ps) : period_ps_(clock_period_ps) {}
  void subscribe(EventBus& bus) {
    bus.subscribe_counter(this, {EventKind::WalkStart, EventKind::PteRead, EventKind::PteWrite,
                                 EventKind::WalkEnd, EventKind::Sfence});
  }

  // `instructions` reads the retired-instruction count for MPKI.
  // `tlb` may be null (not configured): its keys are still registered, as zeros.
  void register_tlb(Stats& stats, const std::string& name, const Tlb* tlb,
                    std::function<uint64_t()> instructions);
  void register_walker(Stats& stats);
  uint64_t walks() const { return walks_; }

  void on_event(const Event& e) override;

 private:
  uint64_t period_ps_;
  uint64_t walks_ = 0, walk_reads_ = 0, walk_cycles_ = 0, walk_faults_ = 0, ad_updates_ = 0, queued_ = 0;
  std::array<uint64_t, sv39::kLevels + 1> pwc_start_{};  // [0]: no PWC hit; [n]: walk started at level n-1
  std::array<uint64_t, 16> walk_faults_by_cause_{};
  std::array<uint64_t, kHistogramBuckets> latency_histogram_{};
  std::array<uint64_t, kFlushKinds> fences_{};
};

}  // namespace sv39sim
