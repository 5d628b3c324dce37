// The timing of the memory system behind the MMU: optional L1I, L1D and L2 caches, the memory controller
// and DDR4 DRAM, described by the cache.*, memory.controller.*, dram.* and mmu.walker.pte_source keys.
//
// access(who, paddr, write, now) walks the levels in series:
//   - the first level is L1I for Fetch, L1D for Load and Store, and for Walker the level named by
//     mmu.walker.pte_source (l1d | l2 | memory); a disabled cache is skipped (the next level serves);
//   - each cache adds its hit latency (hart cycles x clock period) whether it hits or misses; a hit
//     returns there; a miss allocates the line (write-allocate; a store miss reads the line first, as a
//     load does) and asks the next level for the line at that time; the data is available when the next
//     level returns it (no extra fill latency);
//   - a dirty victim becomes a write of its line to the next level, after the miss's own read: into the L2
//     (a write that allocates without fetching, its time not waited for) or posted to the memory
//     controller;
//   - memory: a line read is line / 64 B DRAM reads issued together (at least one), done when the last
//     one is; a write without a cache in front (a store or a PTE update with no cache) is posted and
//     accepted at once.
// So a read's time is the sum of the latencies of the levels it visits plus the memory controller's
// queueing and DRAM service time, e.g. an L2 miss to a closed DRAM bank costs l1 + l2 cycles + 30 ns.
// Stores return the time they are accepted: an L1 hit's latency, or when the missing line has arrived.
//
// Addresses below the RAM base are not memory (devices are timed by the bus): access() returns now_ps.
// DRAM addresses are paddr - ram_base; DramTiming ignores the bits above its capacity, so RAM larger than
// the DRAM geometry wraps.
//
// Fast path for the hart: l1(who) is the cache that serves `who` first (nullptr if none), and
//   if (Cache* c = h.l1(who); c && c->hit_last(pa, write, who)) t = now + h.l1_hit_ps(who);
//   else t = h.access(who, pa, write, now);
// gives exactly what access() alone gives (access_fast() below is that line).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "models/mem/Cache.h"
#include "models/mem/DramTiming.h"
#include "models/mem/MemoryController.h"
#include "models/mem/MemoryTiming.h"

namespace sv39sim {

class EventBus;
class Stats;

enum class PteSource : uint8_t { L1d, L2, Memory };

// The member defaults (and those of MemoryControllerConfig and DramConfig) are the model's: the config
// schema takes its cache.*, memory.controller.*, dram.* and mmu.walker.pte_source defaults from them
// (seeds aside, which the platform derives from sim.seed).
struct MemoryHierarchyConfig {
  CacheConfig l1i{true, 32 * 1024, 8, 64, ReplacementPolicy::Lru, 1, 5};
  CacheConfig l1d{true, 32 * 1024, 8, 64, ReplacementPolicy::Lru, 4, 6};
  CacheConfig l2{true, 1024 * 1024, 16, 64, ReplacementPolicy::Lru, 12, 7};
  MemoryControllerConfig controller;
  DramConfig dram = ddr4_3200aa();
  PteSource pte_source = PteSource::L1d;
  uint64_t ram_base = 0x80000000;
};

class MemoryHierarchy final : public MemoryTiming {
 public:
  // Throws std::invalid_argument on a configuration memory_hierarchy_config (models/config) would reject.
  MemoryHierarchy(const MemoryHierarchyConfig& config, uint64_t clock_period_ps);

  uint64_t access(Requester who, uint64_t paddr, bool write, uint64_t now_ps) override;
  ServedBy last_served() const override { return served_; }
  // access() for a hart's load or store (`who`), for the hart's L1D misses: the same time and counts,
  // with last_served() left as it was (only the walker reads it, of its own accesses).
  uint64_t data_access(Requester who, uint64_t paddr, bool write, uint64_t now_ps);

  // Publishes CacheMiss (per cache level) and DramAccess events when the bus wants them, and tells the bus
  // how far back the memory controller may still publish. `next_request_ps` is the earliest time a request
  // may still arrive (the hart's clock: the walker's requests come later still).
  void set_event_bus(EventBus* events, std::function<uint64_t()> next_request_ps);
  // Whether accesses may publish events (CacheMiss, DramAccess), which then also read the hart's clock.
  bool publishes_events() const { return publishes_; }

  // The hart's fast path (see above).
  Cache* l1(Requester who) const { return first_[static_cast<unsigned>(who)]; }
  uint64_t l1_hit_ps(Requester who) const { return first_hit_ps_[static_cast<unsigned>(who)]; }
  uint64_t access_fast(Requester who, uint64_t paddr, bool write, uint64_t now_ps) {
    Cache* c = l1(who);
    if (c && c->hit_last(paddr, write, who)) return now_ps + l1_hit_ps(who);
    return access(who, paddr, write, now_ps);
  }

  // End of a run: issues the writes still queued in the controller and the refreshes due by now_ps, so
  // the DRAM and controller counts are complete. Does not write dirty cache lines back.
  void finish(uint64_t now_ps) { controller_.flush(now_ps); }

  // cache.l1i.*, cache.l1d.*, cache.l2.* (enabled caches only), memory.controller.*, dram.*
  void register_stats(Stats& stats);

  const MemoryHierarchyConfig& config() const { return config_; }
  Cache* l1i() const { return l1i_.get(); }  // nullptr when disabled
  Cache* l1d() const { return l1d_.get(); }
  Cache* l2() const { return l2_.get(); }
  MemoryController& controller() { return controller_; }
  const MemoryController& controller() const { return controller_; }
  uint64_t clock_period_ps() const { return period_ps_; }

 private:
  // Level numbers: 0 L1I, 1 L1D, 2 L2, 3 memory.
  static constexpr unsigned kL1i = 0, kL1d = 1, kL2 = 2, kMemory = 3;
  Cache* cache_at(unsigned level) const { return level < kMemory ? cache_[level] : nullptr; }
  // The first enabled level at or below `level` (an L1 is followed by the L2, then memory).
  unsigned serving(unsigned level) const;
  // The access once it reaches the cache at `level`. An L1 miss goes on to the L2 inline (the common miss
  // hits there), so it costs one call; what lies beyond the last cache is miss_to_memory().
  // kServed: notes the level that served it (last_served).
  template <bool kServed>
  __attribute__((always_inline)) uint64_t cache_access(unsigned level, Requester who, uint64_t paddr,
                                                       bool write, uint64_t now_ps);
  // The rest of a miss in the cache at `level` when memory lies below it: `t` is when its latency ends,
  // `outcome` the cache's (Cache::access_word: the dirty line the fill displaced, if any).
  uint64_t miss_to_memory(unsigned level, Requester who, uint64_t paddr, bool write, uint64_t now_ps,
                          uint64_t t, uint64_t outcome);
  // A dirty line from the level above arrives at the L2 at now_ps.
  void write_back_to_l2(uint64_t line_paddr, uint64_t now_ps);
  void publish_miss(unsigned level, Requester who, uint64_t line_paddr, bool write, uint64_t now_ps,
                    uint64_t data_ps);
  uint64_t memory_read(uint64_t paddr, unsigned bytes, AccessSource source, uint64_t now_ps);
  void memory_write(uint64_t paddr, unsigned bytes, AccessSource source, uint64_t now_ps);
  void register_cache_stats(Stats& stats, const std::string& name, const Cache& cache, bool writebacks);

  MemoryHierarchyConfig config_;
  uint64_t period_ps_;
  std::unique_ptr<Cache> l1i_, l1d_, l2_;
  MemoryController controller_;
  Cache* cache_[3] = {};    // per cache level, nullptr when disabled
  unsigned below_[3] = {};  // per cache level: the level serving its misses, serving(level below)
  ServedBy served_by_[3] = {ServedBy::L1d, ServedBy::L1d, ServedBy::L2};  // what a hit there reports
  unsigned entry_[4] = {};                                                // first level per requester
  Cache* first_[4] = {};
  uint64_t first_hit_ps_[4] = {};
  uint64_t latency_ps_[3] = {};  // per cache level
  ServedBy served_ = ServedBy::Memory;
  EventBus* events_ = nullptr;  // set only when someone wants CacheMiss events
  bool publishes_ = false;      // someone wants CacheMiss or DramAccess events
};

}  // namespace sv39sim
