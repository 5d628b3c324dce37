// For the TLB tests that run one TLB against another on many organisations and compare what each drops.
#pragma once

#include <gtest/gtest.h>

#include <initializer_list>
#include <tuple>
#include <utility>

#include "models/mmu/Tlb.h"

namespace sv39sim {

// One entry a TLB dropped (its drop hook's arguments): where it was and what it held.
struct DroppedEntry {
  uint32_t set;
  uint16_t way;
  bool super;
  uint64_t vpn;
  unsigned level;
  bool operator==(const DroppedEntry& o) const {
    return std::tie(set, way, super, vpn, level) == std::tie(o.set, o.way, o.super, o.vpn, o.level);
  }
};

// Every replacement policy with each of the given superpage modes and geometries (sets, ways), each run
// with a seed of its own and a trace naming the organisation in any failure.
template <typename Run>
void for_each_tlb_organisation(std::initializer_list<SuperpageMode> modes,
                               std::initializer_list<std::pair<unsigned, unsigned>> geometries,
                               unsigned superpage_entries, uint64_t seed, Run&& run) {
  for (const SuperpageMode mode : modes) {
    for (const ReplacementPolicy policy : {ReplacementPolicy::Lru, ReplacementPolicy::TreePlru,
                                           ReplacementPolicy::Fifo, ReplacementPolicy::Random}) {
      for (const auto& [sets, ways] : geometries) {
        const TlbConfig cfg{"dtlb", sets, ways, policy, seed, 1, mode, superpage_entries};
        SCOPED_TRACE(testing::Message()
                     << "sets " << sets << " ways " << ways << " policy " << static_cast<int>(policy)
                     << " superpages " << static_cast<int>(mode));
        run(cfg, ++seed);
      }
    }
  }
}

}  // namespace sv39sim
