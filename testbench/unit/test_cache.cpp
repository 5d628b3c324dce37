// Cache: a known geometry on a known address sequence (hits, misses, evictions and dirty write-backs
// counted by hand), write-allocate, geometry checks, and hit_last() exactness against the full access path.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <stdexcept>
#include <vector>

#include "models/mem/Cache.h"

namespace sv39sim {
namespace {

CacheConfig geometry(uint64_t size, unsigned ways, unsigned line,
                     ReplacementPolicy p = ReplacementPolicy::Lru, uint64_t seed = 0) {
  CacheConfig c;
  c.size = size;
  c.ways = ways;
  c.line = line;
  c.policy = p;
  c.seed = seed;
  return c;
}

// 4 sets x 2 ways x 16-byte lines, LRU: the set is bits 5:4, lines 0, 4, 8, 12 all map to set 0.
TEST(Cache, HandCountedSequence) {
  Cache c(geometry(128, 2, 16));
  ASSERT_EQ(c.array().sets(), 4u);

  Cache::Outcome o = c.access(0x000, false, Requester::Load);  // line 0 -> set 0 way 0: miss
  EXPECT_FALSE(o.hit);
  EXPECT_EQ(o.way, 0u);
  EXPECT_FALSE(o.evicted);
  EXPECT_TRUE(c.access(0x004, false, Requester::Load).hit);  // same line
  o = c.access(0x040, true, Requester::Store);               // line 4 -> way 1, dirty
  EXPECT_FALSE(o.hit);
  EXPECT_EQ(o.way, 1u);
  o = c.access(0x080, false, Requester::Load);  // line 8: LRU is line 0 (clean)
  EXPECT_FALSE(o.hit);
  EXPECT_EQ(o.way, 0u);
  EXPECT_TRUE(o.evicted);
  EXPECT_FALSE(o.writeback);
  EXPECT_EQ(o.victim_paddr, 0x000u);
  EXPECT_TRUE(c.access(0x044, false, Requester::Load).hit);  // line 4 becomes MRU
  o = c.access(0x0c0, false, Requester::Load);               // line 12: LRU is line 8 (clean)
  EXPECT_TRUE(o.evicted);
  EXPECT_FALSE(o.writeback);
  EXPECT_EQ(o.victim_paddr, 0x080u);
  o = c.access(0x000, false, Requester::Load);  // line 0 again: LRU is line 4, dirty since the store
  EXPECT_FALSE(o.hit);
  EXPECT_TRUE(o.evicted);
  EXPECT_TRUE(o.writeback);
  EXPECT_EQ(o.victim_paddr, 0x040u);
  EXPECT_FALSE(c.access(0x010, true, Requester::Store).hit);  // line 1 -> set 1
  EXPECT_TRUE(c.access(0x01c, false, Requester::Walker).hit);

  EXPECT_EQ(c.accesses(), 9u);
  EXPECT_EQ(c.hits(), 3u);
  EXPECT_EQ(c.misses(), 6u);
  EXPECT_EQ(c.accesses(AccessSource::Load), 6u);
  EXPECT_EQ(c.hits(AccessSource::Load), 2u);
  EXPECT_EQ(c.misses(AccessSource::Load), 4u);
  EXPECT_EQ(c.misses(AccessSource::Store), 2u);
  EXPECT_EQ(c.hits(AccessSource::Store), 0u);
  EXPECT_EQ(c.hits(AccessSource::Walker), 1u);
  EXPECT_EQ(c.accesses(AccessSource::Fetch), 0u);
  EXPECT_EQ(c.fills(), 6u);
  EXPECT_EQ(c.evictions(), 3u);
  EXPECT_EQ(c.writebacks(), 1u);
  EXPECT_TRUE(c.contains(0x000));
  EXPECT_TRUE(c.contains(0x0cf));
  EXPECT_FALSE(c.contains(0x040));
  EXPECT_TRUE(c.contains(0x010));
}

// Direct-mapped, 2 sets of 64 bytes: a store miss allocates the line dirty; its eviction is a write-back.
TEST(Cache, WriteAllocateAndWriteBack) {
  Cache c(geometry(128, 1, 64));
  Cache::Outcome o = c.access(0x1000, true, Requester::Store);
  EXPECT_FALSE(o.hit);
  EXPECT_TRUE(c.contains(0x1000));  // allocated on the write miss
  EXPECT_EQ(c.fills(), 1u);
  EXPECT_TRUE(c.access(0x1008, false, Requester::Load).hit);
  o = c.access(0x1080, false, Requester::Load);  // set 0 again: the dirty line goes
  EXPECT_TRUE(o.writeback);
  EXPECT_EQ(o.victim_paddr, 0x1000u);
  o = c.access(0x1000, false, Requester::Load);  // clean line 0x1080 goes: no write-back
  EXPECT_TRUE(o.evicted);
  EXPECT_FALSE(o.writeback);
  EXPECT_EQ(c.writebacks(), 1u);

  // A write-back from above allocates without a fetch, dirty, counted separately.
  o = c.write_back(0x1040);  // set 1, empty
  EXPECT_FALSE(o.hit);
  EXPECT_EQ(c.misses(AccessSource::Writeback), 1u);
  EXPECT_TRUE(c.write_back(0x1040).hit);
  EXPECT_EQ(c.hits(AccessSource::Writeback), 1u);
  o = c.access(0x10c0, false, Requester::Load);  // set 1: the written-back line is dirty
  EXPECT_TRUE(o.writeback);
  EXPECT_EQ(o.victim_paddr, 0x1040u);
}

TEST(Cache, GeometryChecks) {
  EXPECT_EQ(check_cache_geometry(geometry(32768, 8, 64)), "");
  EXPECT_NE(check_cache_geometry(geometry(96, 2, 16)), "");   // 3 sets
  EXPECT_NE(check_cache_geometry(geometry(128, 2, 24)), "");  // line not a power of two
  EXPECT_NE(check_cache_geometry(geometry(100, 2, 16)), "");  // not whole sets
  EXPECT_NE(check_cache_geometry(geometry(16, 2, 16)), "");   // smaller than one set
  EXPECT_NE(check_cache_geometry(geometry(48 * 4, 3, 16, ReplacementPolicy::TreePlru)),
            "");  // 4 sets, 3 ways
  EXPECT_EQ(check_cache_geometry(geometry(48 * 4, 3, 16, ReplacementPolicy::Lru)), "");
  EXPECT_THROW(Cache(geometry(96, 2, 16)), std::invalid_argument);
}

TEST(Cache, HitLastRemembersOnlyTheLastLine) {
  Cache c(geometry(1024, 4, 64));
  EXPECT_FALSE(c.hit_last(0x100, false));  // nothing touched yet
  c.access(0x100, false, Requester::Load);
  EXPECT_TRUE(c.hit_last(0x13f, false));
  EXPECT_FALSE(c.hit_last(0x140, false));
  EXPECT_TRUE(c.hit_last(0x100, true));  // a store hit makes the line dirty
  EXPECT_EQ(c.hits(AccessSource::Load), 1u);
  EXPECT_EQ(c.hits(AccessSource::Store), 1u);
  c.access(0x200, false, Requester::Load);  // another line is now the last
  EXPECT_FALSE(c.hit_last(0x100, false));
  c.access(0x100, false, Requester::Load);
  EXPECT_TRUE(c.invalidate(0x100));
  EXPECT_FALSE(c.hit_last(0x100, false));  // invalidation forgets it
  c.access(0x100, false, Requester::Load);
  c.invalidate_all();
  EXPECT_FALSE(c.hit_last(0x100, false));
  // The dirty bit set by hit_last is real: evicting the line writes it back.
  Cache d(geometry(64, 1, 64));
  d.access(0x0, false, Requester::Load);
  EXPECT_TRUE(d.hit_last(0x8, true));
  EXPECT_TRUE(d.access(0x40, false, Requester::Load).writeback);
  // An instruction cache counts fast-path reads as fetches.
  Cache i(geometry(1024, 4, 64));
  i.set_read_source(Requester::Fetch);
  i.access(0x0, false, Requester::Fetch);
  EXPECT_TRUE(i.hit_last(0x4, false));
  EXPECT_EQ(i.hits(AccessSource::Fetch), 1u);
}

// A cache that tries hit_last() first must behave exactly like one that always takes the full path: the
// same hit/miss for every access, the same victims, the same statistics and the same final contents.
// The same for hit_recent(), which also replays hits on remembered lines other than the last one, with
// invalidations mixed in (they must retire what it remembers).
void check_fast_path_is_exact(bool recent) {
  for (ReplacementPolicy policy : {ReplacementPolicy::Lru, ReplacementPolicy::TreePlru,
                                   ReplacementPolicy::Fifo, ReplacementPolicy::Random}) {
    SCOPED_TRACE(replacement_policy_name(policy));
    // 4 sets x 4 ways x 16 B = 16 lines; the working set is 48 lines, so there are plenty of evictions.
    const CacheConfig cfg = geometry(256, 4, 16, policy, 42);
    Cache fast(cfg), full(cfg);
    std::mt19937_64 rng(7 + static_cast<int>(policy));
    uint64_t addr = 0, fast_hits = 0;
    for (int i = 0; i < 100000; ++i) {
      // Half the accesses stay in the previous line (the case hit_last serves), the rest go anywhere.
      if (rng() % 2) addr = (rng() % 48) * 16;
      const uint64_t a = (addr & ~uint64_t{15}) | (rng() % 16);
      const bool write = rng() % 10 < 3;
      const auto who = static_cast<Requester>(rng() % 4);
      if (recent && rng() % 1000 == 0) {
        const uint64_t victim = (rng() % 48) * 16;
        ASSERT_EQ(fast.invalidate(victim), full.invalidate(victim));
      }
      const Cache::Outcome ref = full.access(a, write, who);
      if (recent ? fast.hit_recent(a, write, who) : fast.hit_last(a, write, who)) {
        ++fast_hits;
        ASSERT_TRUE(ref.hit) << "access " << i;
        continue;
      }
      const Cache::Outcome got = fast.access(a, write, who);
      ASSERT_EQ(got.hit, ref.hit) << "access " << i;
      ASSERT_EQ(got.way, ref.way) << "access " << i;
      ASSERT_EQ(got.evicted, ref.evicted) << "access " << i;
      ASSERT_EQ(got.writeback, ref.writeback) << "access " << i;
      ASSERT_EQ(got.victim_paddr, ref.victim_paddr) << "access " << i;
    }
    EXPECT_GT(fast_hits, 30000u);  // the fast path really was exercised
    for (unsigned s = 0; s < kAccessSources; ++s) {
      const auto src = static_cast<AccessSource>(s);
      EXPECT_EQ(fast.hits(src), full.hits(src));
      EXPECT_EQ(fast.misses(src), full.misses(src));
    }
    EXPECT_EQ(fast.fills(), full.fills());
    EXPECT_EQ(fast.evictions(), full.evictions());
    EXPECT_EQ(fast.writebacks(), full.writebacks());
    EXPECT_GT(full.writebacks(), 1000u);
    for (unsigned s = 0; s < 4; ++s) {
      for (unsigned w = 0; w < 4; ++w) {
        ASSERT_EQ(fast.array().valid(s, w), full.array().valid(s, w));
        EXPECT_EQ(fast.array().at(s, w).tag, full.array().at(s, w).tag);
        EXPECT_EQ(fast.array().at(s, w).dirty, full.array().at(s, w).dirty);
      }
    }
  }
}

TEST(Cache, HitLastIsExactForEveryPolicy) {
  check_fast_path_is_exact(false);
}
TEST(Cache, HitRecentIsExactForEveryPolicy) {
  check_fast_path_is_exact(true);
}

// The table behind hit_recent() outlives fills: a remembered line is still served after other lines were
// filled, and only its own eviction or invalidation (or invalidate_all) retires it.
TEST(Cache, HitRecentForgetsOnlyEvictedLines) {
  // 2 sets x 4 ways x 16 B; lines 0, 2, 4, 6, 8 map to set 0. The table has a slot per line the cache
  // holds (8): line L is remembered in slot L % 8, so line 8 takes line 0's slot but not line 2's.
  Cache c(geometry(128, 4, 16));
  for (uint64_t a : {0x00, 0x20, 0x40, 0x60}) c.access(a, false, Requester::Load);  // set 0, ways 0-3
  c.access(0x10, false, Requester::Load);                                           // line 1, set 1
  EXPECT_TRUE(c.hit_recent(0x08, false, Requester::Load));          // line 0 after a fill elsewhere
  EXPECT_TRUE(c.hit_recent(0x44, true, Requester::Store));          // line 4
  const Cache::Outcome o = c.access(0x80, false, Requester::Load);  // line 8 evicts the LRU line, 2
  ASSERT_TRUE(o.evicted);
  EXPECT_EQ(o.victim_paddr, 0x20u);
  EXPECT_FALSE(c.hit_recent(0x20, false, Requester::Load));  // the evicted line is forgotten ...
  EXPECT_TRUE(c.hit_recent(0x60, false, Requester::Load));   // ... its set's other lines are not
  EXPECT_TRUE(c.hit_recent(0x14, false, Requester::Load));   // nor the other sets' lines
  EXPECT_EQ(c.hits(AccessSource::Load), 3u);
  EXPECT_EQ(c.hits(AccessSource::Store), 1u);
  EXPECT_FALSE(c.array().at(0, 1).dirty);  // line 8 took way 1; line 4's store hit made way 2 dirty
  EXPECT_TRUE(c.array().at(0, 2).dirty);
  EXPECT_TRUE(c.invalidate(0x80));
  EXPECT_FALSE(c.hit_recent(0x80, false, Requester::Load));  // an invalidated line is forgotten ...
  EXPECT_TRUE(c.hit_recent(0x44, false, Requester::Load));   // ... the lines still present are not
  EXPECT_EQ(c.hits(AccessSource::Load), 4u);
  EXPECT_FALSE(c.access(0x80, false, Requester::Load).hit);  // line 8 really is gone: refilled in way 1
  c.invalidate_all();
  EXPECT_FALSE(c.hit_recent(0x44, false, Requester::Load));  // invalidate_all forgets every line
  EXPECT_FALSE(c.hit_recent(0x14, false, Requester::Load));
  EXPECT_FALSE(c.access(0x44, false, Requester::Load).hit);
}

// The cache against a reference built from the array's generic find() and insert() (no probe, no table):
// the same outcome for every access and the same statistics, for every policy, with invalidations mixed
// in. Once on a cache whose table has fewer slots than it has lines, once on a small cache whose table
// has eight slots per line: there present lines take each other's slots now and then, and the cache skips
// the search only while none lacks its slot.
struct ReferenceCase {
  unsigned sets, ways;
  unsigned pool;  // addresses come from this many lines, drawn at random from the first million
  unsigned invalidate_one_in;
};

void match_generic_reference(const ReferenceCase& k, ReplacementPolicy policy) {
  const CacheConfig cfg = geometry(uint64_t{k.sets} * k.ways * 16, k.ways, 16, policy, 5);
  Cache c(cfg);
  SetAssocArray<Cache::Line> ref(k.sets, k.ways, policy, 5);
  std::mt19937_64 rng(11);
  std::vector<uint64_t> lines(k.pool);
  for (uint64_t& l : lines) l = rng() % 1000000;
  uint64_t evictions = 0, writebacks = 0, hits = 0;
  for (int i = 0; i < 200000; ++i) {
    const uint64_t a = lines[rng() % k.pool] * 16 + rng() % 16;
    const bool write = rng() % 4 == 0;
    const uint64_t tag = a >> 4;
    const unsigned set = ref.set_index(tag);
    if (rng() % k.invalidate_one_in == 0) {
      const int way = ref.find_tag(set, tag);
      if (way >= 0) ref.invalidate(set, static_cast<unsigned>(way));
      ASSERT_EQ(c.invalidate(a), way >= 0);
    }
    const Cache::Outcome got = c.access(a, write, Requester::Load);
    const int way = ref.lookup(set, [tag](const Cache::Line& l) { return l.tag == tag; });
    ASSERT_EQ(got.hit, way >= 0) << "access " << i;
    if (way >= 0) {
      ASSERT_EQ(got.way, static_cast<unsigned>(way));
      if (write) ref.at(set, got.way).dirty = true;
      ++hits;
      continue;
    }
    const auto fill = ref.insert(set, Cache::Line{tag, write});
    ASSERT_EQ(got.way, fill.way) << "access " << i;
    ASSERT_EQ(got.evicted, fill.evicted.has_value());
    if (fill.evicted) {
      ++evictions;
      ASSERT_EQ(got.victim_paddr, fill.evicted->tag << 4);
      ASSERT_EQ(got.writeback, fill.evicted->dirty);
      writebacks += fill.evicted->dirty;
    }
  }
  EXPECT_EQ(c.hits(), hits);
  EXPECT_EQ(c.evictions(), evictions);
  EXPECT_EQ(c.writebacks(), writebacks);
  EXPECT_GT(hits, 20000u);
  EXPECT_GT(evictions, 10000u);
}

TEST(Cache, MatchesGenericArrayReference) {
  for (const ReferenceCase& k : {ReferenceCase{512, 16, 12000, 5000}, ReferenceCase{4, 4, 40, 500}}) {
    for (ReplacementPolicy policy : {ReplacementPolicy::Lru, ReplacementPolicy::TreePlru,
                                     ReplacementPolicy::Fifo, ReplacementPolicy::Random}) {
      SCOPED_TRACE(std::string(replacement_policy_name(policy)) + " sets " + std::to_string(k.sets));
      match_generic_reference(k, policy);
    }
  }
}

}  // namespace
}  // namespace sv39sim

namespace sv39sim {
namespace {

// touch_placed() exactness: hits on a few present lines, replayed later line by line in the order of each
// line's last hit (as Mmu's fetch window does), leave every policy where replaying each hit in turn through
// access() leaves it. Checked by the misses and victims that a following random sequence produces.
TEST(Cache, DeferredHitsInLastHitOrderMatchEveryHitReplayed) {
  for (ReplacementPolicy p : {ReplacementPolicy::Lru, ReplacementPolicy::TreePlru, ReplacementPolicy::Fifo,
                              ReplacementPolicy::Random}) {
    std::mt19937_64 rng(7);
    for (int trial = 0; trial < 200; ++trial) {
      Cache every(geometry(512, 4, 16, p, 3)), deferred(geometry(512, 4, 16, p, 3));  // 8 sets
      auto line = [&] { return (rng() % 64) * 16; };
      for (int i = 0; i < 60; ++i) {  // the same warm-up on both
        const uint64_t a = line();
        every.access(a, false, Requester::Load);
        deferred.access(a, false, Requester::Load);
      }
      // A few lines, each touched once for real (placed), then hit again and again: `every` replays each
      // hit, `deferred` notes the order and replays the last hits at the end.
      std::vector<uint64_t> lines;
      std::vector<Cache::Placed> placed;
      while (lines.size() < 3) {  // distinct lines, often of one set (16 lines over 8 sets)
        const uint64_t a = (rng() % 16) * 16 * 4;
        if (std::find(lines.begin(), lines.end(), a) != lines.end()) continue;
        every.access(a, false, Requester::Load);
        deferred.access(a, false, Requester::Load);
        lines.push_back(a);
        placed.push_back(deferred.last_placed());
      }
      // A placed line stays in the cache (the window places lines only while nothing evicts them).
      bool all_present = true;
      for (uint64_t a : lines) all_present &= deferred.contains(a);
      if (!all_present) continue;
      std::vector<uint64_t> last(lines.size(), 0);
      for (uint64_t t = 1; t <= 20; ++t) {
        const size_t k = rng() % lines.size();
        ASSERT_TRUE(every.access(lines[k], false, Requester::Load).hit);
        last[k] = t;
      }
      std::vector<size_t> order;
      for (size_t k = 0; k < lines.size(); ++k)
        if (last[k]) order.push_back(k);
      std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return last[a] < last[b]; });
      for (size_t k : order) deferred.touch_placed(placed[k]);
      for (int i = 0; i < 200; ++i) {
        const uint64_t a = line();
        const Cache::Outcome x = every.access(a, false, Requester::Load);
        const Cache::Outcome y = deferred.access(a, false, Requester::Load);
        ASSERT_EQ(x.hit, y.hit) << "policy " << static_cast<int>(p) << " trial " << trial << " step " << i;
        ASSERT_EQ(x.way, y.way);
        ASSERT_EQ(x.evicted, y.evicted);
        ASSERT_EQ(x.victim_paddr, y.victim_paddr);
      }
    }
  }
}

}  // namespace
}  // namespace sv39sim
