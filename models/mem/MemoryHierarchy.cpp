#include "models/mem/MemoryHierarchy.h"

#include <algorithm>
#include <stdexcept>
#include <vector>

#include "models/sim/EventBus.h"
#include "models/sim/Stats.h"

namespace sv39sim {

MemoryHierarchy::MemoryHierarchy(const MemoryHierarchyConfig& config, uint64_t clock_period_ps)
    : config_(config), period_ps_(clock_period_ps), controller_(config.controller, config.dram) {
  if (config.l1i.enabled) l1i_ = std::make_unique<Cache>(config.l1i);
  if (config.l1d.enabled) l1d_ = std::make_unique<Cache>(config.l1d);
  if (config.l2.enabled) l2_ = std::make_unique<Cache>(config.l2);
  if (l1i_) l1i_->set_read_source(Requester::Fetch);
  cache_[kL1i] = l1i_.get();
  cache_[kL1d] = l1d_.get();
  cache_[kL2] = l2_.get();
  below_[kL1i] = serving(kL2);  // the L1I's misses skip the L1D
  below_[kL1d] = serving(kL2);
  below_[kL2] = kMemory;
  latency_ps_[kL1i] = uint64_t{config.l1i.latency} * period_ps_;
  latency_ps_[kL1d] = uint64_t{config.l1d.latency} * period_ps_;
  latency_ps_[kL2] = uint64_t{config.l2.latency} * period_ps_;
  const unsigned walker = config.pte_source == PteSource::L1d  ? kL1d
                          : config.pte_source == PteSource::L2 ? kL2
                                                               : kMemory;
  const unsigned first[4] = {kL1i, kL1d, kL1d, walker};  // Fetch, Load, Store, Walker
  for (unsigned r = 0; r < 4; ++r) {
    entry_[r] = serving(first[r]);
    first_[r] = cache_at(entry_[r]);
    first_hit_ps_[r] = entry_[r] == kMemory ? 0 : latency_ps_[entry_[r]];
  }
}

unsigned MemoryHierarchy::serving(unsigned level) const {
  if (level <= kL1d && cache_at(level)) return level;
  if (level <= kL2 && l2_) return kL2;
  return kMemory;
}

void MemoryHierarchy::set_event_bus(EventBus* bus, std::function<uint64_t()> next_request_ps) {
  events_ = bus && bus->wants(EventKind::CacheMiss) ? bus : nullptr;
  publishes_ = events_ || (bus && bus->wants(EventKind::DramAccess));
  if (!bus || !bus->wants(EventKind::DramAccess)) return;
  const DramGeometry& g = controller_.dram().config().geometry;
  const uint64_t ram_base = config_.ram_base;
  controller_.set_issue_hook([bus, g, ram_base](const IssuedRequest& r) {
    const DramLocation& at = r.dram.where;
    Event e;
    e.kind = EventKind::DramAccess;
    e.unit = Unit::Dram;
    e.time_ps = r.first_command_ps();
    e.latency_ps = r.dram.done_ps - e.time_ps;
    e.pa = ram_base + r.addr;
    e.aux = r.write ? 1 : 0;
    e.outcome = static_cast<uint8_t>(r.dram.kind);
    e.set = ((at.channel * g.ranks + at.rank) * g.bank_groups + at.bank_group) * g.banks_per_group + at.bank;
    e.way = at.row;
    bus->publish(e);
  });
  // Requests are issued lazily (MemoryController.h): a posted write waits in the queue until the next request
  // arrives, which may be long after it could issue. Deciding now what lies before the next possible arrival
  // changes nothing (that request would make the same decisions first) and bounds how far back it may
  // publish.
  bus->add_horizon([this, next = std::move(next_request_ps)] {
    controller_.settle(next());
    return controller_.earliest_issue_bound();
  });
}

uint64_t MemoryHierarchy::access(Requester who, uint64_t paddr, bool write, uint64_t now_ps) {
  served_ = ServedBy::Memory;
  if (paddr < config_.ram_base) return now_ps;
  const unsigned level = entry_[static_cast<unsigned>(who)];
  if (level != kMemory) return cache_access<true>(level, who, paddr, write, now_ps);
  if (!write) return memory_read(paddr, 0, source_of(who), now_ps);
  memory_write(paddr, 0, source_of(who), now_ps);
  return now_ps;
}

uint64_t MemoryHierarchy::data_access(Requester who, uint64_t paddr, bool write, uint64_t now_ps) {
  if (!l1d_ || paddr < config_.ram_base) return access(who, paddr, write, now_ps);
  return cache_access<false>(kL1d, who, paddr, write, now_ps);
}

template <bool kServed>
inline uint64_t MemoryHierarchy::cache_access(unsigned level, Requester who, uint64_t paddr, bool write,
                                              uint64_t now_ps) {
  Cache& c = *cache_[level];
  const uint64_t out = c.access_word(paddr, write, who);
  const uint64_t t = now_ps + latency_ps_[level];
  if (out == Cache::kHit) {
    if constexpr (kServed) served_ = served_by_[level];
    return t;
  }
  if (below_[level] == kMemory) return miss_to_memory(level, who, paddr, write, now_ps, t, out);
  // An L1 miss: the line is read from the L2 (a read whatever the L1 access was), then the L1's dirty
  // victim is written to it.
  const uint64_t line = c.line_addr(paddr);
  const uint64_t in_l2 = l2_->access_word(line, false, who);
  uint64_t data = t + latency_ps_[kL2];
  if (in_l2 == Cache::kHit) {
    if constexpr (kServed) served_ = ServedBy::L2;
  } else {
    data = miss_to_memory(kL2, who, line, false, t, data, in_l2);
  }
  if (Cache::writes_back(out)) write_back_to_l2(out, t);
  if (events_) publish_miss(level, who, line, write, now_ps, data);
  return data;
}

uint64_t MemoryHierarchy::miss_to_memory(unsigned level, Requester who, uint64_t paddr, bool write,
                                         uint64_t now_ps, uint64_t t, uint64_t outcome) {
  const Cache& c = *cache_[level];
  const uint64_t line = c.line_addr(paddr);
  const uint64_t data = memory_read(line, c.line_bytes(), source_of(who), t);
  if (Cache::writes_back(outcome)) memory_write(outcome, c.line_bytes(), AccessSource::Writeback, t);
  if (events_) publish_miss(level, who, line, write, now_ps, data);
  return data;
}

__attribute__((always_inline)) inline void MemoryHierarchy::write_back_to_l2(uint64_t line_paddr,
                                                                             uint64_t now_ps) {
  Cache& c = *l2_;
  const uint64_t out = c.write_back_word(line_paddr);
  if (Cache::writes_back(out))
    memory_write(out, c.line_bytes(), AccessSource::Writeback, now_ps + latency_ps_[kL2]);
}

void MemoryHierarchy::publish_miss(unsigned level, Requester who, uint64_t line_paddr, bool write,
                                   uint64_t now_ps, uint64_t data_ps) {
  Event e;
  e.kind = EventKind::CacheMiss;
  e.unit = level == kL1i ? Unit::L1i : level == kL1d ? Unit::L1d : Unit::L2;
  e.time_ps = now_ps;
  e.latency_ps = data_ps - now_ps;
  e.pa = line_paddr;
  e.access = static_cast<uint8_t>(who);
  e.aux = write ? 1 : 0;
  events_->publish(e);
}

uint64_t MemoryHierarchy::memory_read(uint64_t paddr, unsigned bytes, AccessSource source, uint64_t now_ps) {
  const unsigned burst = controller_.access_bytes();
  const unsigned n = std::max(1u, bytes / burst);
  const uint64_t base = paddr - config_.ram_base;
  uint64_t done = now_ps;
  for (unsigned i = 0; i < n; ++i)
    done = std::max(done, controller_.read(base + uint64_t{i} * burst, source, now_ps));
  return done;
}

void MemoryHierarchy::memory_write(uint64_t paddr, unsigned bytes, AccessSource source, uint64_t now_ps) {
  const unsigned burst = controller_.access_bytes();
  const unsigned n = std::max(1u, bytes / burst);
  const uint64_t base = paddr - config_.ram_base;
  for (unsigned i = 0; i < n; ++i) controller_.post_write(base + uint64_t{i} * burst, source, now_ps);
}

void MemoryHierarchy::register_cache_stats(Stats& stats, const std::string& name, const Cache& cache,
                                           bool writebacks) {
  const std::string p = "cache." + name + ".";
  const Cache* c = &cache;
  stats.add_counter(
      p + "accesses", [c] { return c->accesses(); }, name + " accesses (all requesters)");
  stats.add_counter(
      p + "hits", [c] { return c->hits(); }, name + " hits (all requesters)");
  stats.add_counter(
      p + "misses", [c] { return c->misses(); }, name + " misses (all requesters)");
  for (unsigned s = 0; s < kAccessSources; ++s) {
    const auto src = static_cast<AccessSource>(s);
    if (src == AccessSource::Writeback && !writebacks) continue;
    const std::string what = src == AccessSource::Writeback
                                 ? "write-backs from the L1s"
                                 : std::string(access_source_name(src)) + " accesses";
    const std::string q = p + access_source_name(src) + ".";
    stats.add_counter(
        q + "accesses", [c, src] { return c->accesses(src); }, name + " " + what);
    stats.add_counter(
        q + "hits", [c, src] { return c->hits(src); }, name + " " + what + " that hit");
    stats.add_counter(
        q + "misses", [c, src] { return c->misses(src); }, name + " " + what + " that missed");
  }
  stats.add_counter(
      p + "fills", [c] { return c->fills(); }, name + " lines allocated (every miss allocates)");
  stats.add_counter(
      p + "evictions", [c] { return c->evictions(); }, name + " valid lines displaced by fills");
  stats.add_counter(
      p + "writebacks", [c] { return c->writebacks(); },
      name + " dirty lines evicted and written to the next level");
}

void MemoryHierarchy::register_stats(Stats& stats) {
  if (l1i_) register_cache_stats(stats, "l1i", *l1i_, false);
  if (l1d_) register_cache_stats(stats, "l1d", *l1d_, false);
  if (l2_) register_cache_stats(stats, "l2", *l2_, true);

  const MemoryController* mc = &controller_;
  const std::string p = "memory.controller.";
  for (auto src : {AccessSource::Fetch, AccessSource::Load, AccessSource::Store, AccessSource::Walker}) {
    const std::string n = access_source_name(src);
    stats.add_counter(
        p + "reads." + n, [mc, src] { return mc->requests(src, false); },
        "reads arriving for " + n + " misses");
  }
  for (auto src : {AccessSource::Store, AccessSource::Walker, AccessSource::Writeback}) {
    const std::string n = access_source_name(src);
    stats.add_counter(
        p + "writes." + n, [mc, src] { return mc->requests(src, true); },
        src == AccessSource::Writeback ? std::string("writes of dirty lines evicted from the last cache")
                                       : "posted " + n + " writes with no cache in front");
  }
  stats.add_counter(
      p + "reads_forwarded", [mc] { return mc->forwarded_reads(); },
      "reads served from a write waiting in the queue");
  for (bool w : {false, true}) {
    const std::string k = w ? "write" : "read";
    stats.add_counter(
        p + k + "s_issued", [mc, w] { return w ? mc->writes() : mc->reads(); }, k + "s issued to DRAM");
    stats.add_counter(
        p + k + "_queueing_ps", [mc, w] { return mc->queueing_ps(w); },
        "total " + k + " queueing time, arrival to first DRAM command (ps)");
    stats.add_counter(
        p + k + "_service_ps", [mc, w] { return mc->service_ps(w); },
        "total " + k + " service time, first DRAM command to end of data (ps)");
    stats.add_real(
        p + k + "_queueing_avg_ps", [mc, w] { return mc->average_queueing_ps(w); },
        "average " + k + " queueing time (ps)");
    stats.add_real(
        p + k + "_service_avg_ps", [mc, w] { return mc->average_service_ps(w); },
        "average " + k + " service time (ps)");
    stats.add_real(
        p + k + "_latency_avg_ps", [mc, w] { return mc->average_latency_ps(w); },
        "average " + k + " latency, arrival to end of data (ps)");
  }
  stats.add_counter(
      p + "row_hit_bypasses", [mc] { return mc->row_hit_bypasses(); },
      "FR-FCFS row hits issued ahead of an older request");
  stats.add_counter(
      p + "row_hit_cap_stops", [mc] { return mc->row_hit_cap_stops(); },
      "times the row-hit cap made FR-FCFS issue the oldest request instead");
  stats.add_counter(
      p + "write_drains", [mc] { return mc->drains(); },
      "times the queued writes reached the write watermark");
  stats.add_counter(
      p + "max_queued", [mc] { return mc->max_queued(); }, "most requests queued at once");
  stats.add_counter(
      p + "queued_writes", [mc] { return mc->queued_writes(); },
      "posted writes still queued (not yet issued to DRAM)");

  const DramTiming* d = &controller_.dram();
  stats.add_counter(
      "dram.reads", [d] { return d->reads(); }, "DRAM read bursts");
  stats.add_counter(
      "dram.writes", [d] { return d->writes(); }, "DRAM write bursts");
  stats.add_counter(
      "dram.row_hits", [d] { return d->row_hits(); }, "accesses to the open row of their bank");
  stats.add_counter(
      "dram.row_empties", [d] { return d->row_empties(); }, "accesses to a bank with no open row (ACT only)");
  stats.add_counter(
      "dram.row_conflicts", [d] { return d->row_conflicts(); },
      "accesses to a bank with another row open (PRE + ACT)");
  stats.add_counter(
      "dram.refreshes", [d] { return d->refreshes(); }, "refresh commands (REF), all ranks");
}

}  // namespace sv39sim
