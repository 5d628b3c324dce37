// SetAssocArray and Replacement: hand-worked eviction orders for every policy, geometry edge cases, flush
// predicates, and a randomized cross-check of LRU, tree-PLRU and FIFO against small reference models.
#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <deque>
#include <list>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "models/mem/Replacement.h"
#include "models/mem/SetAssocArray.h"

namespace sv39sim {
namespace {

struct Line {
  uint64_t tag = 0;
  bool dirty = false;
};

// Names ways by their entries: A=0xA, B=0xB, ...
constexpr uint64_t A = 0xA, B = 0xB, C = 0xC, D = 0xD, E = 0xE, F = 0xF, G = 0x10;

// One 4-way set filled with A B C D (ways 0..3, all through invalid-way fills).
SetAssocArray<Line> filled_abcd(ReplacementPolicy p, uint64_t seed = 0) {
  SetAssocArray<Line> a(1, 4, p, seed);
  for (uint64_t t : {A, B, C, D}) {
    const auto f = a.insert(0, Line{t});
    EXPECT_FALSE(f.evicted.has_value());
  }
  return a;
}

void touch_tag(SetAssocArray<Line>& a, uint64_t tag) {
  const int way = a.find_tag(0, tag);
  ASSERT_GE(way, 0);
  a.touch(0, static_cast<unsigned>(way));
}

uint64_t evicted_tag(const SetAssocArray<Line>::Fill& f) {
  EXPECT_TRUE(f.evicted.has_value());
  return f.evicted ? f.evicted->tag : 0;
}

// bits b0 b1 b2 of a 4-way set as the string "b0b1b2", the notation of Replacement.h's worked example.
std::string plru4(const SetAssocArray<Line>& a) {
  std::string s;
  for (unsigned n = 0; n < 3; ++n) s += a.replacement().plru_bit(0, n) ? '1' : '0';
  return s;
}

TEST(SetAssocArray, FillsWaysInOrderLowestInvalidFirst) {
  auto a = filled_abcd(ReplacementPolicy::Lru);
  EXPECT_EQ(a.find_tag(0, A), 0);  // invalid ways are filled lowest first: A B C D in ways 0 1 2 3
  EXPECT_EQ(a.find_tag(0, D), 3);
  EXPECT_EQ(a.find_tag(0, E), -1);
  EXPECT_EQ(a.count_valid(), 4u);
}

TEST(SetAssocArray, LruEvictionOrder) {
  auto a = filled_abcd(ReplacementPolicy::Lru);
  touch_tag(a, A);
  touch_tag(a, C);
  // recency, oldest first: B D A C
  EXPECT_EQ(evicted_tag(a.insert(0, Line{E})), B);  // -> D A C E
  EXPECT_EQ(evicted_tag(a.insert(0, Line{F})), D);  // -> A C E F
  EXPECT_EQ(evicted_tag(a.insert(0, Line{G})), A);  // -> C E F G

  auto b = filled_abcd(ReplacementPolicy::Lru);
  touch_tag(b, A);
  touch_tag(b, B);
  touch_tag(b, C);
  // recency, oldest first: D A B C
  EXPECT_EQ(evicted_tag(b.insert(0, Line{E})), D);
}

// Eight ways (the default L1s, whose victim is found without a loop), in two sets so that the second set's
// ways sit past the first's.
TEST(SetAssocArray, LruEvictionOrderEightWays) {
  SetAssocArray<Line> a(2, 8, ReplacementPolicy::Lru);
  for (uint64_t t = 0; t < 8; ++t) a.insert(1, Line{t});
  for (uint64_t t : {5, 2, 7, 0}) {
    const int way = a.find_tag(1, t);
    ASSERT_GE(way, 0);
    a.touch(1, static_cast<unsigned>(way));
  }
  // recency, oldest first: 1 3 4 6 5 2 7 0; each new line becomes the newest
  for (uint64_t want : {1, 3, 4, 6, 5, 2, 7, 0}) EXPECT_EQ(evicted_tag(a.insert(1, Line{100 + want})), want);
  EXPECT_EQ(a.count_valid(), 8u);  // set 0 untouched
}

TEST(SetAssocArray, TreePlruEvictionOrderAndBits) {
  auto a = filled_abcd(ReplacementPolicy::TreePlru);
  // fills of ways 0,1,2,3 from 000: 110, 100, 001, 000 (Replacement.h's worked example)
  EXPECT_EQ(plru4(a), "000");
  touch_tag(a, A);
  EXPECT_EQ(plru4(a), "110");  // way 0: b1 -> 1 (away from left leaf), b0 -> 1 (away from left half)
  touch_tag(a, C);
  EXPECT_EQ(plru4(a), "011");  // way 2: b2 -> 1, b0 -> 0; b1 keeps 1
  // victim: b0=0 -> node 1, b1=1 -> right leaf -> way 1 = B
  auto f = a.insert(0, Line{E});
  EXPECT_EQ(f.way, 1u);
  EXPECT_EQ(evicted_tag(f), B);
  EXPECT_EQ(plru4(a), "101");  // fill of way 1: b1 -> 0, b0 -> 1
  // victim: b0=1 -> node 2, b2=1 -> way 3 = D; fill of way 3: b2 -> 0, b0 -> 0 -> 000
  EXPECT_EQ(evicted_tag(a.insert(0, Line{F})), D);
  EXPECT_EQ(plru4(a), "000");
  EXPECT_EQ(evicted_tag(a.insert(0, Line{G})), A);  // 000 -> way 0 = A

  // Where PLRU and LRU part: touch A, B, C after the fills.
  auto b = filled_abcd(ReplacementPolicy::TreePlru);
  touch_tag(b, A);             // 110
  touch_tag(b, B);             // 100: b1 -> 0, b0 -> 1
  touch_tag(b, C);             // 001: b2 -> 1, b0 -> 0
  EXPECT_EQ(plru4(b), "001");  // victim: b0=0 -> node 1, b1=0 -> way 0 = A (exact LRU would pick D)
  EXPECT_EQ(evicted_tag(b.insert(0, Line{E})), A);
  EXPECT_EQ(plru4(b), "111");  // fill of way 0: b1 -> 1, b0 -> 1; next victim way 3 = D
  EXPECT_EQ(evicted_tag(b.insert(0, Line{F})), D);
}

TEST(SetAssocArray, FifoIgnoresHitsAndEvictsEarliestFill) {
  auto a = filled_abcd(ReplacementPolicy::Fifo);
  touch_tag(a, A);
  touch_tag(a, C);
  EXPECT_EQ(evicted_tag(a.insert(0, Line{E})), A);  // fill order A B C D; hits do not count
  EXPECT_EQ(evicted_tag(a.insert(0, Line{F})), B);  // B C D E
  EXPECT_EQ(evicted_tag(a.insert(0, Line{G})), C);  // C D E F

  // After an out-of-order refill the earliest fill still goes first.
  auto b = filled_abcd(ReplacementPolicy::Fifo);
  EXPECT_TRUE(b.invalidate(0, 2));  // C gone; fill order A B D
  auto f = b.insert(0, Line{E});    // invalid way 2 first, no eviction; order A B D E
  EXPECT_EQ(f.way, 2u);
  EXPECT_FALSE(f.evicted.has_value());
  EXPECT_EQ(evicted_tag(b.insert(0, Line{F})), A);  // -> B D E F (way 0)
  EXPECT_EQ(evicted_tag(b.insert(0, Line{G})), B);  // -> D E F G (way 1)
  EXPECT_EQ(evicted_tag(b.insert(0, Line{A})), D);  // way 3, though E (way 2) was refilled in between
}

TEST(SetAssocArray, InvalidatedWayIsNextFillTarget) {
  for (auto p : {ReplacementPolicy::Lru, ReplacementPolicy::TreePlru, ReplacementPolicy::Fifo,
                 ReplacementPolicy::Random}) {
    SCOPED_TRACE(replacement_policy_name(p));
    auto a = filled_abcd(p, 7);
    touch_tag(a, B);                  // B is now the most recent for LRU/PLRU, yet goes first below
    EXPECT_TRUE(a.invalidate(0, 1));  // B
    EXPECT_FALSE(a.invalidate(0, 1));
    EXPECT_FALSE(a.valid(0, 1));
    EXPECT_EQ(a.find_tag(0, B), -1);
    auto f = a.insert(0, Line{E});
    EXPECT_EQ(f.way, 1u);
    EXPECT_FALSE(f.evicted.has_value());
    // Two invalid ways: the lower one is filled first.
    a.invalidate(0, 3);
    a.invalidate(0, 0);
    EXPECT_EQ(a.insert(0, Line{F}).way, 0u);
    EXPECT_EQ(a.insert(0, Line{G}).way, 3u);
    EXPECT_EQ(a.count_valid(), 4u);
  }
}

TEST(SetAssocArray, RandomIsSeededReproducibleAndCoversEveryWay) {
  constexpr unsigned kWays = 8, kDraws = 80000;
  auto victims = [&](uint64_t seed, bool with_hits) {
    SetAssocArray<Line> a(1, kWays, ReplacementPolicy::Random, seed);
    for (unsigned w = 0; w < kWays; ++w) a.insert(0, Line{w});
    std::vector<unsigned> out;
    for (unsigned i = 0; i < kDraws; ++i) {
      if (with_hits) a.touch(0, i % kWays);  // hits must not move the generator
      out.push_back(a.insert(0, Line{100 + i}).way);
    }
    return out;
  };
  const auto first = victims(12345, false);
  EXPECT_EQ(first, victims(12345, false));  // same seed, same victims
  EXPECT_EQ(first, victims(12345, true));
  EXPECT_NE(first, victims(12346, false));  // another seed, another sequence
  EXPECT_NE(victims(0, false), victims(1, false));

  // Every way is chosen, and about equally often: expected 10000 each, sd ~94, so +-1000 is >10 sd.
  std::array<unsigned, kWays> hist{};
  for (unsigned w : first) ++hist[w];
  for (unsigned w = 0; w < kWays; ++w) {
    EXPECT_GT(hist[w], kDraws / kWays - 1000) << "way " << w;
    EXPECT_LT(hist[w], kDraws / kWays + 1000) << "way " << w;
  }

  // reset() rewinds the generator too.
  SetAssocArray<Line> a(1, kWays, ReplacementPolicy::Random, 12345);
  for (int round = 0; round < 2; ++round) {
    a.reset();
    for (unsigned w = 0; w < kWays; ++w) a.insert(0, Line{w});
    for (unsigned i = 0; i < 100; ++i) EXPECT_EQ(a.insert(0, Line{100 + i}).way, first[i]);
  }
}

TEST(SetAssocArray, FullyAssociative) {
  SetAssocArray<Line> a(1, 16, ReplacementPolicy::Lru);
  EXPECT_EQ(a.capacity(), 16u);
  for (uint64_t t = 0; t < 16; ++t) {
    EXPECT_EQ(a.set_index(t * 4096), 0u);  // one set: every key maps to it
    const auto f = a.insert(0, Line{t * 4096});
    EXPECT_EQ(f.way, t);
    EXPECT_FALSE(f.evicted.has_value());
  }
  for (uint64_t t = 0; t < 16; ++t)
    EXPECT_EQ(a.lookup(0, [&](const Line& l) { return l.tag == t * 4096; }), static_cast<int>(t));
  // lookups touched 0..15 in order, so 0 is least recent again
  EXPECT_EQ(evicted_tag(a.insert(0, Line{99})), 0u);
  EXPECT_EQ(a.lookup(0, [](const Line& l) { return l.tag == 0; }), -1);
}

TEST(SetAssocArray, DirectMapped) {
  for (auto p : {ReplacementPolicy::Lru, ReplacementPolicy::TreePlru, ReplacementPolicy::Fifo,
                 ReplacementPolicy::Random}) {
    SCOPED_TRACE(replacement_policy_name(p));
    SetAssocArray<Line> a(8, 1, p);
    EXPECT_EQ(a.set_index(3), 3u);
    EXPECT_EQ(a.set_index(11), 3u);  // 11 & 7
    a.insert(a.set_index(3), Line{3});
    a.insert(a.set_index(4), Line{4});
    const auto f = a.insert(a.set_index(11), Line{11});  // same set as 3, one way: 3 goes
    EXPECT_EQ(f.way, 0u);
    EXPECT_EQ(evicted_tag(f), 3u);
    EXPECT_EQ(a.find_tag(3, uint64_t{11}), 0);
    EXPECT_EQ(a.find_tag(4, uint64_t{4}), 0);  // the other set is untouched
    EXPECT_EQ(a.count_valid(), 2u);
  }
}

TEST(SetAssocArray, DirtyBitsTravelWithEvictedEntries) {
  SetAssocArray<Line> a(2, 2, ReplacementPolicy::Lru);
  a.insert(0, Line{0});
  a.insert(0, Line{2});
  a.at(0, static_cast<unsigned>(a.find_tag(0, uint64_t{0}))).dirty = true;  // a store hit
  a.touch(0, 1);                                                            // 2 more recent than 0
  const auto f = a.insert(0, Line{4});
  ASSERT_TRUE(f.evicted.has_value());
  EXPECT_EQ(f.evicted->tag, 0u);
  EXPECT_TRUE(f.evicted->dirty);  // the caller counts a write-back
  EXPECT_FALSE(a.at(0, f.way).dirty);

  // A flush writes back every dirty line it visits.
  a.at(0, 1).dirty = true;
  unsigned writebacks = 0, visited = 0;
  a.for_each_valid([&](unsigned, unsigned, Line& l) {
    ++visited;
    if (l.dirty) ++writebacks, l.dirty = false;
  });
  EXPECT_EQ(visited, 2u);
  EXPECT_EQ(writebacks, 1u);
  EXPECT_FALSE(a.at(0, 1).dirty);
}

struct TlbEntry {
  uint64_t vpn = 0;
  uint16_t asid = 0;
  bool global = false;
};

TEST(SetAssocArray, InvalidateIfCountsLikeSfenceVma) {
  SetAssocArray<TlbEntry> tlb(4, 4, ReplacementPolicy::TreePlru);
  auto add = [&](uint64_t vpn, uint16_t asid, bool global) {
    EXPECT_FALSE(tlb.insert(tlb.set_index(vpn), TlbEntry{vpn, asid, global}).evicted.has_value());
  };
  for (uint64_t v = 0; v < 6; ++v) add(v, 1, false);  // sets 0 1 2 3 0 1
  for (uint64_t v = 0; v < 4; ++v) add(v, 2, false);  // sets 0 1 2 3
  add(100, 1, true);                                  // set 0, global
  add(101, 1, true);                                  // set 1, global
  ASSERT_EQ(tlb.count_valid(), 12u);                  // sets 0 and 1 full, 2 and 3 half

  // rs1=x0, rs2=ASID 1: that ASID except globals: vpn 0..5 of ASID 1
  EXPECT_EQ(tlb.invalidate_if([](const TlbEntry& e) { return e.asid == 1 && !e.global; }), 6u);
  // rs1=VA of vpn 0, rs2=x0: every ASID, globals too: ASID 2's vpn 0
  EXPECT_EQ(tlb.invalidate_if(tlb.set_index(0), [](const TlbEntry& e) { return e.vpn == 0; }), 1u);
  // rs1=VA of vpn 101, rs2=ASID 2: the global mapping stays
  EXPECT_EQ(tlb.invalidate_if(tlb.set_index(101),
                              [](const TlbEntry& e) { return e.vpn == 101 && e.asid == 2 && !e.global; }),
            0u);
  // rs1=VA of vpn 1, rs2=ASID 2
  EXPECT_EQ(tlb.invalidate_if(tlb.set_index(1),
                              [](const TlbEntry& e) { return e.vpn == 1 && e.asid == 2 && !e.global; }),
            1u);
  // rs1=x0, rs2=x0: the rest (ASID 2's vpn 2 and 3, globals 100 and 101)
  unsigned left = 0;
  tlb.for_each_valid([&](unsigned, unsigned, const TlbEntry&) { ++left; });
  EXPECT_EQ(left, 4u);
  EXPECT_EQ(tlb.invalidate_if([](const TlbEntry&) { return true; }), 4u);
  EXPECT_EQ(tlb.count_valid(), 0u);
  EXPECT_EQ(tlb.invalidate_if([](const TlbEntry&) { return true; }), 0u);  // invalid entries are not counted
}

// probe_tag() and place() are the caches' one-pass form of find-then-insert: the same hits, the same fill
// ways (also past the first eight ways, which first_invalid() checks eight at a time) and the same victims.
TEST(SetAssocArray, ProbeAndPlaceAgreeWithFindAndInsert) {
  for (auto p : {ReplacementPolicy::Lru, ReplacementPolicy::TreePlru, ReplacementPolicy::Fifo,
                 ReplacementPolicy::Random}) {
    for (unsigned ways : {1u, 3u, 8u, 11u, 16u}) {
      if (p == ReplacementPolicy::TreePlru && (ways & (ways - 1))) continue;
      SCOPED_TRACE(std::string(replacement_policy_name(p)) + " ways " + std::to_string(ways));
      SetAssocArray<Line> fast(2, ways, p, 3), ref(2, ways, p, 3);
      std::mt19937_64 rng(ways);
      for (int i = 0; i < 20000; ++i) {
        const uint64_t tag = rng() % (3 * ways);
        const unsigned set = static_cast<unsigned>(rng() % 2);
        if (rng() % 50 == 0) {  // invalidations leave holes anywhere in the set
          const auto way = static_cast<unsigned>(rng() % ways);
          ASSERT_EQ(fast.invalidate(set, way), ref.invalidate(set, way));
        }
        const auto probe = fast.probe_tag(set, tag);
        const int want = ref.find_tag(set, tag);
        ASSERT_EQ(probe.hit, want >= 0) << "access " << i;
        if (probe.hit) {
          ASSERT_EQ(probe.way, static_cast<unsigned>(want));
          fast.touch(set, probe.way);
          ref.touch(set, probe.way);
          continue;
        }
        ASSERT_EQ(probe.way, fast.first_invalid(set));
        const auto placed = fast.place(set, probe.way, Line{tag});
        const auto fill = ref.insert(set, Line{tag});
        ASSERT_EQ(placed.way, fill.way) << "access " << i;
        ASSERT_EQ(placed.evicted, fill.evicted.has_value());
        if (placed.evicted) {
          ASSERT_EQ(placed.victim.tag, fill.evicted->tag);
        }
      }
    }
  }
  SetAssocArray<Line> a(1, 16, ReplacementPolicy::Lru);
  for (uint64_t t = 0; t < 16; ++t) a.insert(0, Line{t});
  EXPECT_EQ(a.first_invalid(0), 16u);
  EXPECT_EQ(a.probe_tag(0, uint64_t{99}).way, 16u);  // full: the fill takes the policy's victim
  a.invalidate(0, 13);
  EXPECT_EQ(a.first_invalid(0), 13u);
  a.invalidate(0, 2);
  EXPECT_EQ(a.first_invalid(0), 2u);
  EXPECT_FALSE(a.probe_tag(0, uint64_t{2}).hit);  // an invalidated way never hits, its tag notwithstanding
}

// first_invalid() answers "full" without looking once the array has no invalid entry at all, so every way
// an entry becomes invalid must be noticed: checked against the valid bits themselves, way by way.
TEST(SetAssocArray, FirstInvalidSeesEveryKindOfInvalidation) {
  SetAssocArray<Line> a(4, 3, ReplacementPolicy::Lru);
  auto lowest_invalid = [&a](unsigned set) {
    unsigned w = 0;
    while (w < a.ways() && a.valid(set, w)) ++w;
    return w;
  };
  std::mt19937_64 rng(7);
  for (int i = 0; i < 20000; ++i) {
    const auto set = static_cast<unsigned>(rng() % 4);
    switch (rng() % 40) {
      case 0: a.invalidate(set, static_cast<unsigned>(rng() % 3)); break;
      case 1: {
        const uint64_t tag = rng() % 16;
        a.invalidate_if(set, [tag](const Line& l) { return l.tag == tag; });
        break;
      }
      case 2: {
        const uint64_t tag = rng() % 16;
        a.invalidate_if([tag](const Line& l) { return l.tag == tag; });
        break;
      }
      case 3:
        a.invalidate_each_if(
            set, [](const Line& l) { return l.tag % 5 == 0; }, [](unsigned, unsigned, const Line&) {});
        break;
      case 4:
        a.invalidate_each_if([](const Line& l) { return l.tag % 7 == 0; },
                             [](unsigned, unsigned, const Line&) {});
        break;
      case 5: a.reset(); break;
      default: {
        const uint64_t tag = rng() % 16;
        const auto probe = a.probe_tag(set, tag);
        if (!probe.hit) a.place(set, probe.way, Line{tag});
      }
    }
    for (unsigned s = 0; s < 4; ++s) ASSERT_EQ(a.first_invalid(s), lowest_invalid(s)) << "step " << i;
  }
}

// The whole-array invalidate_each_if reports dropped entries in set then way order with their place, also
// in the last, partial group of eight entries and with long runs of invalid ones.
TEST(SetAssocArray, InvalidateEachReportsPlacesInOrder) {
  SetAssocArray<Line> a(8, 3, ReplacementPolicy::Lru);  // 24 entries
  for (unsigned s = 0; s < 8; ++s)
    for (uint64_t w = 0; w < 3; ++w) a.insert(s, Line{s * 10 + w});
  for (unsigned s = 0; s < 6; ++s)
    for (unsigned w = 0; w < 3; ++w) a.invalidate(s, w);
  a.invalidate(7, 1);  // left: (6,0) (6,1) (6,2) (7,0) (7,2)
  std::vector<std::array<uint64_t, 3>> seen;
  const unsigned n = a.invalidate_each_if([](const Line& l) { return l.tag != 61; },
                                          [&](unsigned s, unsigned w, const Line& l) {
                                            seen.push_back({s, w, l.tag});
                                          });
  EXPECT_EQ(n, 4u);
  const std::vector<std::array<uint64_t, 3>> want = {{6, 0, 60}, {6, 2, 62}, {7, 0, 70}, {7, 2, 72}};
  EXPECT_EQ(seen, want);
  EXPECT_TRUE(a.valid(6, 1));
  EXPECT_EQ(a.count_valid(), 1u);
}

TEST(SetAssocArray, GeometryChecks) {
  using P = ReplacementPolicy;
  EXPECT_EQ(SetAssocArray<Line>::check_geometry(1, 1, P::TreePlru), "");
  EXPECT_EQ(SetAssocArray<Line>::check_geometry(128, 12, P::Lru), "");  // ChampSim STLB
  EXPECT_EQ(SetAssocArray<Line>::check_geometry(1, 3, P::Fifo), "");
  EXPECT_EQ(SetAssocArray<Line>::check_geometry(1, 3, P::Random), "");
  EXPECT_EQ(SetAssocArray<Line>::check_geometry(16, 4, P::TreePlru), "");

  EXPECT_EQ(SetAssocArray<Line>::check_geometry(12, 4, P::Lru),
            "sets must be a power of two (1 = fully associative), got 12");
  EXPECT_EQ(SetAssocArray<Line>::check_geometry(0, 4, P::Lru),
            "sets must be a power of two (1 = fully associative), got 0");
  EXPECT_EQ(SetAssocArray<Line>::check_geometry(4, 0, P::Lru), "ways must be at least 1");
  EXPECT_EQ(SetAssocArray<Line>::check_geometry(1, 3, P::TreePlru),
            "plru (tree pseudo-LRU) needs a power-of-two number of ways, got 3");
  EXPECT_NE(SetAssocArray<Line>::check_geometry(uint64_t{1} << 20, 1024, P::Lru), "");

  EXPECT_THROW(SetAssocArray<Line>(1, 3, P::TreePlru), std::invalid_argument);
  EXPECT_THROW(SetAssocArray<Line>(6, 2, P::Lru), std::invalid_argument);
  EXPECT_THROW(SetAssocArray<Line>(4, 0, P::Random), std::invalid_argument);
  try {
    SetAssocArray<Line> bad(1, 12, P::TreePlru);
    FAIL() << "12-way tree-PLRU accepted";
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(), "plru (tree pseudo-LRU) needs a power-of-two number of ways, got 12");
  }
}

TEST(Replacement, PolicyNamesRoundTrip) {
  for (const auto& name : replacement_policy_names()) {
    ReplacementPolicy p;
    ASSERT_TRUE(parse_replacement_policy(name, &p)) << name;
    EXPECT_EQ(replacement_policy_name(p), name);
  }
  ReplacementPolicy p;
  EXPECT_FALSE(parse_replacement_policy("mru", &p));
  EXPECT_FALSE(parse_replacement_policy("LRU", &p));
}

TEST(Replacement, EightWayPlruPath) {
  // 8 ways: 7 bits, leaves 7..14. touch(5): leaf 12 (right child of 5) -> b5=0; node 5 is the left child
  // of 2 -> b2=1; node 2 is the right child of 0 -> b0=0. Per Replacement.h: way 5 = 101b, bits written
  // NOT 1, NOT 0, NOT 1 = 0 1 0 on nodes 0, 2, 5.
  Replacement r(1, 8, ReplacementPolicy::TreePlru);
  r.touch(0, 5);
  const bool expect[7] = {0, 0, 1, 0, 0, 0, 0};
  for (unsigned n = 0; n < 7; ++n) EXPECT_EQ(r.plru_bit(0, n), expect[n]) << "node " << n;
  EXPECT_EQ(r.victim(0), 0u);  // b0=0 -> 1, b1=0 -> 3, b3=0 -> leaf 7 = way 0
  r.touch(0, 0);               // b0=1, b1=1, b3=1
  EXPECT_EQ(r.victim(0), 6u);  // b0=1 -> 2, b2=1 -> 6, b6=0 -> leaf 13 = way 6
}

// ---- randomized cross-check against reference models written independently of Replacement ----

// Exact LRU as a recency list of ways, most recent first.
struct RefLru {
  std::list<unsigned> order;
  explicit RefLru(unsigned ways) {
    for (unsigned w = 0; w < ways; ++w) order.push_back(w);
  }
  void use(unsigned way) {
    order.remove(way);
    order.push_front(way);
  }
  void touch(unsigned way) { use(way); }
  void fill(unsigned way) { use(way); }
  unsigned victim() const { return order.back(); }
};

// Tree-PLRU from the way-index formulation in Replacement.h: node at depth d on the path to way w is
// 2^d - 1 + (w >> (L-d)); touch writes NOT w[L-1-d]; the victim's bits are the bits read along its path.
struct RefPlru {
  unsigned levels = 0;
  std::vector<bool> bits;
  explicit RefPlru(unsigned ways) : bits(ways - 1, false) {
    while ((1u << levels) < ways) ++levels;
  }
  void touch(unsigned way) {
    for (unsigned d = 0; d < levels; ++d) {
      const unsigned node = (1u << d) - 1 + (way >> (levels - d));
      bits[node] = !((way >> (levels - 1 - d)) & 1);
    }
  }
  void fill(unsigned way) { touch(way); }
  unsigned victim() const {
    unsigned way = 0;
    for (unsigned d = 0; d < levels; ++d) way = (way << 1) | bits[(1u << d) - 1 + way];
    return way;
  }
};

// FIFO as a queue of ways in fill order; a refilled way moves to the back.
struct RefFifo {
  std::deque<unsigned> order;
  explicit RefFifo(unsigned) {}
  void touch(unsigned) {}
  void fill(unsigned way) {
    for (auto it = order.begin(); it != order.end(); ++it) {
      if (*it == way) {
        order.erase(it);
        break;
      }
    }
    order.push_back(way);
  }
  unsigned victim() const { return order.front(); }
};

// Drives the array and a reference with the same random stream of accesses (hit -> touch, miss -> insert)
// and single-entry invalidations; every hit way, fill way and evicted entry must agree.
template <typename Ref>
void cross_check(ReplacementPolicy policy, unsigned sets, unsigned ways, uint64_t seed) {
  SetAssocArray<Line> a(sets, ways, policy);
  std::vector<Ref> ref(sets, Ref(ways));
  std::vector<std::vector<int64_t>> content(sets, std::vector<int64_t>(ways, -1));  // -1: invalid
  std::mt19937_64 rng(seed);
  const uint64_t keys = uint64_t{sets} * ways * 2;  // about half the accesses hit
  unsigned hits = 0, evictions = 0;
  for (unsigned i = 0; i < 100000; ++i) {
    if (rng() % 16 == 0) {  // invalidate one way
      const unsigned s = rng() % sets, w = rng() % ways;
      EXPECT_EQ(a.invalidate(s, w), content[s][w] >= 0);
      content[s][w] = -1;
      continue;
    }
    const uint64_t key = rng() % keys;
    const unsigned s = a.set_index(key);
    int expect_way = -1;
    for (unsigned w = 0; w < ways; ++w)
      if (content[s][w] == static_cast<int64_t>(key)) expect_way = static_cast<int>(w);
    const int way = a.lookup(s, [key](const Line& l) { return l.tag == key; });
    ASSERT_EQ(way, expect_way) << "access " << i;
    if (way >= 0) {
      ref[s].touch(static_cast<unsigned>(way));
      ++hits;
      continue;
    }
    unsigned fill_way = ways;
    for (unsigned w = 0; w < ways && fill_way == ways; ++w)
      if (content[s][w] < 0) fill_way = w;
    const bool evicts = fill_way == ways;
    if (evicts) fill_way = ref[s].victim();
    const auto f = a.insert(s, Line{key});
    ASSERT_EQ(f.way, fill_way) << "access " << i;
    ASSERT_EQ(f.evicted.has_value(), evicts) << "access " << i;
    if (evicts) {
      ASSERT_EQ(static_cast<int64_t>(f.evicted->tag), content[s][fill_way]) << "access " << i;
      ++evictions;
    }
    content[s][fill_way] = static_cast<int64_t>(key);
    ref[s].fill(fill_way);
  }
  // The stream exercised both paths heavily.
  EXPECT_GT(hits, 10000u);
  EXPECT_GT(evictions, 10000u);
}

TEST(Replacement, LruMatchesReferenceOnRandomStream) {
  cross_check<RefLru>(ReplacementPolicy::Lru, 4, 8, 1);
  cross_check<RefLru>(ReplacementPolicy::Lru, 1, 16, 2);  // fully associative
  cross_check<RefLru>(ReplacementPolicy::Lru, 8, 3, 3);   // non-power-of-two ways
}

TEST(Replacement, TreePlruMatchesReferenceOnRandomStream) {
  cross_check<RefPlru>(ReplacementPolicy::TreePlru, 4, 8, 4);
  cross_check<RefPlru>(ReplacementPolicy::TreePlru, 1, 32, 5);
  cross_check<RefPlru>(ReplacementPolicy::TreePlru, 16, 2, 6);
  cross_check<RefPlru>(ReplacementPolicy::TreePlru, 2, 128, 7);  // more bits than fit a word
}

TEST(Replacement, FifoMatchesReferenceOnRandomStream) {
  cross_check<RefFifo>(ReplacementPolicy::Fifo, 4, 8, 8);
  cross_check<RefFifo>(ReplacementPolicy::Fifo, 1, 12, 9);
}

}  // namespace
}  // namespace sv39sim

namespace sv39sim {
namespace {

// LRU and FIFO stamp with a clock that runs out after about 10^13 stamps in the widest arrays: the stamps
// are then renumbered. Started a few hundred stamps before the end, the victims still follow the
// references across the wrap.
template <typename Ref>
void check_across_clock_end(ReplacementPolicy policy, unsigned sets, unsigned ways, uint64_t seed) {
  Replacement r(sets, ways, policy);
  std::vector<Ref> ref(sets, Ref(ways));
  for (unsigned s = 0; s < sets; ++s) {
    for (unsigned w = 0; w < ways; ++w) {
      r.fill(s, w);
      ref[s].fill(w);
    }
  }
  r.run_clock_to_end(300);
  std::mt19937_64 rng(seed);
  for (unsigned i = 0; i < 5000; ++i) {
    const unsigned s = static_cast<unsigned>(rng() % sets);
    if (rng() % 3 == 0) {
      const unsigned victim = r.victim(s);
      ASSERT_EQ(victim, ref[s].victim()) << "step " << i;
      r.fill(s, victim);
      ref[s].fill(victim);
    } else {
      const unsigned w = static_cast<unsigned>(rng() % ways);
      r.touch(s, w);
      ref[s].touch(w);
    }
  }
}

TEST(Replacement, StampsSurviveTheClockRunningOut) {
  check_across_clock_end<RefLru>(ReplacementPolicy::Lru, 4, 8, 21);
  check_across_clock_end<RefLru>(ReplacementPolicy::Lru, 1, 1024, 22);
  check_across_clock_end<RefFifo>(ReplacementPolicy::Fifo, 4, 8, 23);
}

}  // namespace
}  // namespace sv39sim
