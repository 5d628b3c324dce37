// Tlb::rehit() (the micro-TLB's replay of an L1 TLB hit) skips the replacement update when the entry's way
// is the one its set touched or filled last. The replacement rules say such a touch changes no future
// victim; this checks it against a TLB that touches on every hit: the same random fills, lookups,
// invalidations and fences on two TLBs, where one replays hits on entries it found earlier and the other
// looks them up in full, must evict the same entries from the same places.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <tuple>
#include <vector>

#include "models/mmu/Tlb.h"
#include "testbench/unit/tlb_test_support.h"

namespace sv39sim {
namespace {

struct Log {
  std::vector<DroppedEntry> drops;
  std::vector<const TlbEntry*>* found = nullptr;  // entries a replay may name: a dropped one leaves
};

void record(void* p, const TlbEntry* where, uint64_t vpn, unsigned level) {
  auto* log = static_cast<Log*>(p);
  log->drops.push_back({where->set, where->way, where->in_super, vpn, level});
  if (log->found)
    log->found->erase(std::remove(log->found->begin(), log->found->end(), where), log->found->end());
}

struct Found {
  const TlbEntry* entry;
  uint64_t vpn;
  uint16_t asid;
};

void run_pair(const TlbConfig& cfg, uint64_t seed) {
  Tlb replaying(cfg, nullptr, Unit::Dtlb), looking(cfg, nullptr, Unit::Dtlb);
  std::vector<const TlbEntry*> live;  // entries of `replaying` found by lookups and not dropped since
  Log log_replaying, log_looking;
  log_replaying.found = &live;
  replaying.set_drop_hook(&record, &log_replaying);
  looking.set_drop_hook(&record, &log_looking);
  std::vector<Found> found;
  std::mt19937_64 rng(seed);
  const auto below = [&rng](uint64_t n) { return rng() % n; };
  const auto random_vpn = [&] { return (below(2) << 18) | (below(2) << 9) | below(48); };
  uint64_t replays = 0;
  for (unsigned step = 0; step < 30000; ++step) {
    const uint64_t op = below(100);
    if (op < 50 && !found.empty()) {
      // A replay of an earlier hit, where the micro-TLB would still hold it: the full lookup must find
      // the same entry (else a fill since has put another match first, and both TLBs look up).
      const Found f = found[below(found.size())];
      const bool still = std::find(live.begin(), live.end(), f.entry) != live.end();
      const TlbEntry* b = looking.lookup(f.vpn << 12, f.asid);
      if (still && b && b->set == f.entry->set && b->way == f.entry->way &&
          b->in_super == f.entry->in_super) {
        replaying.rehit(f.entry, Access::Load);
        ++replays;
      } else {
        const TlbEntry* a = replaying.lookup(f.vpn << 12, f.asid);
        ASSERT_EQ(a == nullptr, b == nullptr) << "step " << step;
      }
    } else if (op < 80) {
      const uint64_t vpn = random_vpn();
      const uint16_t asid = static_cast<uint16_t>(below(2));
      const TlbEntry* a = replaying.lookup(vpn << 12, asid);
      const TlbEntry* b = looking.lookup(vpn << 12, asid);
      ASSERT_EQ(a == nullptr, b == nullptr) << "step " << step;
      if (a) {
        ASSERT_EQ(std::tie(a->set, a->way, a->in_super), std::tie(b->set, b->way, b->in_super))
            << "step " << step;
        if (std::find(live.begin(), live.end(), a) == live.end()) live.push_back(a);
        found.push_back({a, vpn, asid});
        if (found.size() > 64) found.erase(found.begin());
      }
    } else if (op < 97) {
      const uint64_t vpn = random_vpn();
      TlbEntry e;
      e.level = static_cast<uint8_t>(below(10) < 8 ? 0 : 1);
      e.vpn = vpn & ~((1ull << (9 * e.level)) - 1);
      e.ppn = e.vpn ^ 0x5000;
      e.asid = static_cast<uint16_t>(below(2));
      e.pte = 0xcf;
      e.page_level = e.level;
      replaying.fill(e, vpn << 12, step);
      looking.fill(e, vpn << 12, step);
    } else if (op < 99) {
      const uint64_t vpn = random_vpn();
      replaying.invalidate(vpn << 12, 0, step);
      looking.invalidate(vpn << 12, 0, step);
    } else {
      SfenceReq req;
      req.has_va = below(4) != 0;
      req.va = random_vpn() << 12;
      replaying.flush(req, flush_kind(req), step);
      looking.flush(req, flush_kind(req), step);
    }
    ASSERT_EQ(log_replaying.drops.size(), log_looking.drops.size()) << "step " << step;
  }
  EXPECT_TRUE(log_replaying.drops == log_looking.drops);
  EXPECT_EQ(replaying.counters().evictions, looking.counters().evictions);
  EXPECT_GT(replaying.counters().evictions, 1000u) << "the sets must fill up for the test to mean anything";
  EXPECT_GT(replays, 800u);
}

TEST(TlbRehitTest, ReplayedHitsEvictWhatFullLookupsEvict) {
  for_each_tlb_organisation({SuperpageMode::Main, SuperpageMode::Separate}, {{4, 4}, {2, 8}, {1, 16}}, 4, 11,
                            run_pair);
}

}  // namespace
}  // namespace sv39sim
