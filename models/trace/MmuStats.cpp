#include "models/trace/MmuStats.h"

#include <string>

#include "models/arch/Csr.h"
#include "models/sim/Clock.h"

namespace sv39sim {

namespace {
const char* const kAccessNames[3] = {"fetch", "load", "store"};
const char* const kSizeNames[sv39::kLevels] = {"4k", "2m", "1g"};
}  // namespace

void MmuStats::register_tlb(Stats& stats, const std::string& name, const Tlb* tlb,
                            std::function<uint64_t()> instructions) {
  const std::string p = "mmu." + name + ".";
  // A TLB that is not configured keeps its keys, all zero, so every run has the same set of stats.
  static const Tlb::Counters kNone{};
  const Tlb* t = tlb;
  auto counters = [t]() -> const Tlb::Counters& { return t ? t->counters() : kNone; };
  stats.add_counter(
      p + "accesses", [t] { return t ? t->accesses() : 0; }, "lookups (hits + misses)");
  stats.add_counter(
      p + "hits", [t] { return t ? t->hits() : 0; }, "lookups that found an entry allowing the access");
  stats.add_counter(
      p + "misses", [t] { return t ? t->misses() : 0; },
      "lookups that found no usable entry (absent, or denied by its cached bits)");
  stats.add_counter(
      p + "denied", [t] { return t ? t->denied() : 0; },
      "misses that found the page but whose cached permission or A/D bits did not allow the access; "
      "the entry is dropped and the access resolved as a miss");
  stats.add_real(
      p + "mpki",
      [t, instructions] {
        const uint64_t n = instructions();
        return n && t ? 1000.0 * static_cast<double>(t->misses()) / static_cast<double>(n) : 0.0;
      },
      "misses per thousand retired instructions");
  for (unsigned a = 0; a < 3; ++a) {
    for (unsigned l = 0; l < sv39::kLevels; ++l) {
      const std::string suffix = std::string(kAccessNames[a]) + "." + kSizeNames[l];
      stats.add_counter(
          p + "hits." + suffix, [counters, a, l] { return counters().hits[a][l]; },
          std::string(kAccessNames[a]) + " hits on " + kSizeNames[l] + " entries");
      stats.add_counter(
          p + "misses." + suffix, [counters, a, l] { return counters().misses[a][l]; },
          std::string(kAccessNames[a]) + " misses resolved to a " + kSizeNames[l] + " page");
    }
    stats.add_counter(
        p + "misses." + kAccessNames[a] + ".fault", [counters, a] { return counters().misses_faulted[a]; },
        std::string(kAccessNames[a]) + " misses whose walk faulted");
    stats.add_counter(
        p + "denied." + kAccessNames[a], [counters, a] { return counters().denied[a]; },
        std::string(kAccessNames[a]) + " misses on an entry whose cached bits denied the access");
  }
  stats.add_counter(
      p + "fills", [counters] { return counters().fills; }, "entries inserted");
  stats.add_counter(
      p + "evictions", [counters] { return counters().evictions; }, "valid entries replaced by a fill");
  for (unsigned k = 0; k < kFlushKinds; ++k) {
    const char* kind = flush_kind_name(static_cast<FlushKind>(k));
    stats.add_counter(
        p + "flushes." + kind, [counters, k] { return counters().flushes[k]; },
        std::string("flushes by ") + kind);
    stats.add_counter(
        p + "flushed_entries." + kind, [counters, k] { return counters().flushed_entries[k]; },
        std::string("entries invalidated by ") + kind + " flushes");
  }
}

void MmuStats::register_walker(Stats& stats) {
  const std::string p = "mmu.walker.";
  stats.add_counter(
      p + "walks", [this] { return walks_; }, "page-table walks");
  stats.add_counter(
      p + "memory_reads", [this] { return walk_reads_; }, "PTE reads from memory");
  stats.add_real(
      p + "reads_per_walk",
      [this] { return walks_ ? static_cast<double>(walk_reads_) / static_cast<double>(walks_) : 0.0; },
      "memory references per walk");
  stats.add_counter(
      p + "cycles", [this] { return walk_cycles_; }, "cycles spent walking, queueing included");
  stats.add_real(
      p + "avg_latency",
      [this] { return walks_ ? static_cast<double>(walk_cycles_) / static_cast<double>(walks_) : 0.0; },
      "average walk latency (cycles)");
  for (unsigned b = 0; b < kHistogramBuckets; ++b) {
    const std::string lo = b == 0 ? "0" : std::to_string(1ull << b);
    const std::string hi = b + 1 == kHistogramBuckets ? "inf" : std::to_string(2ull << b);
    stats.add_counter(
        p + "latency." + lo + "-" + hi, [this, b] { return latency_histogram_[b]; },
        "walks with latency in [" + lo + ", " + hi + ") cycles");
  }
  stats.add_counter(
      p + "pwc.misses", [this] { return pwc_start_[0]; }, "walks that started at the root");
  stats.add_counter(
      p + "pwc.hits.level2", [this] { return pwc_start_[2]; },
      "walks that started at level 1 from a cached level-2 pointer");
  stats.add_counter(
      p + "pwc.hits.level1", [this] { return pwc_start_[1]; },
      "walks that started at level 0 from a cached level-1 pointer");
  stats.add_counter(
      p + "ad_updates", [this] { return ad_updates_; }, "PTEs whose A/D bits the walker set");
  stats.add_counter(
      p + "queued", [this] { return queued_; }, "walks that waited for an earlier walk");
  stats.add_counter(
      p + "faults", [this] { return walk_faults_; }, "walks that ended in a fault");
  for (uint64_t c : {cause::kFetchAccess, cause::kLoadAccess, cause::kStoreAccess, cause::kFetchPageFault,
                     cause::kLoadPageFault, cause::kStorePageFault}) {
    stats.add_counter(
        p + "faults." + cause::name(c), [this, c] { return walk_faults_by_cause_[c]; },
        "walks that faulted with cause " + std::to_string(c));
  }
  for (unsigned k = 0; k < kFlushKinds; ++k) {
    const char* kind = flush_kind_name(static_cast<FlushKind>(k));
    stats.add_counter(
        std::string("mmu.fences.") + kind, [this, k] { return fences_[k]; },
        std::string("SFENCE.VMA / satp-write flushes of kind ") + kind);
  }
}

void MmuStats::on_event(const Event& e) {
  switch (e.kind) {
    case EventKind::WalkStart:
      ++walks_;
      // Started at level 2: no PWC hit; at level n < 2: from a cached level-(n+1) pointer.
      ++pwc_start_[e.level >= sv39::kLevels - 1 ? 0 : e.level + 1];
      if (e.aux) ++queued_;
      break;
    case EventKind::PteRead:
      if (!(e.aux & 1)) ++walk_reads_;
      break;
    case EventKind::PteWrite: ++ad_updates_; break;  // at most one per walk: the leaf's
    case EventKind::WalkEnd: {
      const uint64_t cycles = cycles_covering(e.latency_ps, period_ps_);
      walk_cycles_ += cycles;
      unsigned bucket = 0;
      while (bucket + 1 < kHistogramBuckets && (2ull << bucket) <= cycles) ++bucket;
      ++latency_histogram_[bucket];
      if (e.outcome) {
        ++walk_faults_;
        ++walk_faults_by_cause_[e.aux & 15];
      }
      break;
    }
    case EventKind::Sfence: {
      const FlushKind kind = (e.aux & 4)
                                 ? FlushKind::SatpWrite
                                 : flush_kind(SfenceReq{(e.aux & 1) != 0, e.va, (e.aux & 2) != 0, e.asid});
      ++fences_[static_cast<unsigned>(kind)];
      break;
    }
    default: break;
  }
}

}  // namespace sv39sim
