// The TLB's tag index (wide arrays) against its own scan of every way: the same random fills, lookups,
// invalidations and fences on two TLBs, one indexed and one not, must find the same entries in the same
// places, touch the same replacement state (so evict the same victims) and drop the same entries.
#include <gtest/gtest.h>

#include <random>
#include <tuple>
#include <vector>

#include "models/mmu/Tlb.h"
#include "testbench/unit/tlb_test_support.h"

namespace sv39sim {
namespace {

void record(void* log, const TlbEntry* where, uint64_t vpn, unsigned level) {
  static_cast<std::vector<DroppedEntry>*>(log)->push_back(
      {where->set, where->way, where->in_super, vpn, level});
}

void run_pair(const TlbConfig& cfg, uint64_t seed) {
  Tlb indexed(cfg, nullptr, Unit::Dtlb), scanned(cfg, nullptr, Unit::Dtlb);
  scanned.set_indexed(false);
  std::vector<DroppedEntry> drops_indexed, drops_scanned;
  indexed.set_drop_hook(&record, &drops_indexed);
  scanned.set_drop_hook(&record, &drops_scanned);
  std::mt19937_64 rng(seed);
  const auto below = [&rng](uint64_t n) { return rng() % n; };
  // A small pool of pages so that sizes overlap, ASIDs share pages and sets fill up.
  const auto random_vpn = [&] { return (below(4) << 18) | (below(4) << 9) | below(400); };
  for (unsigned step = 0; step < 20000; ++step) {
    const uint64_t vpn = random_vpn();
    const uint16_t asid = static_cast<uint16_t>(below(4));
    const uint64_t op = below(100);
    if (op < 40) {
      const TlbEntry* a = indexed.lookup(vpn << 12, asid);
      const TlbEntry* b = scanned.lookup(vpn << 12, asid);
      ASSERT_EQ(a == nullptr, b == nullptr) << "step " << step;
      if (a) {
        EXPECT_EQ(std::tie(a->set, a->way, a->in_super, a->vpn, a->asid, a->level),
                  std::tie(b->set, b->way, b->in_super, b->vpn, b->asid, b->level))
            << "step " << step;
      }
    } else if (op < 93) {
      TlbEntry e;
      e.level = static_cast<uint8_t>(below(10) < 7 ? 0 : below(10) < 7 ? 1 : 2);
      e.vpn = vpn & ~((1ull << (9 * e.level)) - 1);
      e.ppn = e.vpn ^ 0x5000;
      e.asid = asid;
      e.global = below(8) == 0;
      e.pte = 0xcf;
      e.page_level = e.level;
      indexed.fill(e, vpn << 12, step);
      scanned.fill(e, vpn << 12, step);
    } else if (op < 98) {
      indexed.invalidate(vpn << 12, asid, step);
      scanned.invalidate(vpn << 12, asid, step);
    } else {
      SfenceReq req;
      req.has_va = below(8) != 0;
      req.va = vpn << 12;
      req.has_asid = below(2) == 0;
      req.asid = asid;
      EXPECT_EQ(indexed.flush(req, flush_kind(req), step), scanned.flush(req, flush_kind(req), step));
    }
    ASSERT_EQ(drops_indexed.size(), drops_scanned.size()) << "step " << step;
  }
  EXPECT_TRUE(drops_indexed == drops_scanned);
  EXPECT_EQ(indexed.counters().fills, scanned.counters().fills);
  EXPECT_EQ(indexed.counters().evictions, scanned.counters().evictions);
  EXPECT_EQ(indexed.counters().flushed_entries, scanned.counters().flushed_entries);
  EXPECT_GT(indexed.counters().evictions, 500u) << "the arrays must fill up for the test to mean anything";
}

TEST(TlbIndexTest, FindsWhatAScanFinds) {
  for_each_tlb_organisation({SuperpageMode::Main, SuperpageMode::Separate, SuperpageMode::Splinter},
                            {{1, 64}, {4, 32}}, 32, 1, run_pair);
}

}  // namespace
}  // namespace sv39sim
