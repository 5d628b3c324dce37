// Replacement state of a set-associative array, one policy for the whole array: exact LRU, tree pseudo-LRU,
// FIFO and seeded random. The array (SetAssocArray.h) fills invalid ways first and asks victim() only when
// every way of the set is valid, so this state never needs to know about validity.
//
// Tree-PLRU encoding (the RTL in hw/ uses exactly this; cross-checks compare these bits):
//   - W ways, W a power of two, W-1 state bits per set, numbered as a heap: node 0 is the root, node i has
//     children 2i+1 (left) and 2i+2 (right). Nodes W-1 .. 2W-2 are the leaves; leaf W-1+w is way w, so the
//     left subtree of any node holds the lower-numbered ways.
//   - bit[i] = 0: the victim is in the left subtree of node i; bit[i] = 1: it is in the right subtree.
//   - victim: start at the root, go to child 2i+1+bit[i] until a leaf is reached.
//   - touch(w) (a hit, or a fill of w): on every node on the path from the root to leaf W-1+w, set the bit to
//     point away from w: bit = 1 if w lies in the node's left subtree, 0 if in its right subtree.
//   - equivalently, with L = log2(W): the node at depth d on the path to way w is 2^d - 1 + (w >> (L-d));
//     touch writes it with NOT w[L-1-d]; the victim's index bits, MSB first, are the bits read on its path.
//   - reset: all bits 0 (victim way 0). W = 1 has no bits; the victim is way 0.
//   Worked example, 4 ways, one set: bits written b0 b1 b2 (node 0 = root, node 1 = ways 0-1, node 2 = 2-3).
//     reset            000  victim 0
//     fill way 0       110  (b1: way 0 is left of node 1 -> 1; b0: node 1 is left of root -> 1)
//     fill way 1       100  (b1 -> 0, b0 -> 1)
//     fill way 2       001  (b2 -> 1, b0 -> 0)
//     fill way 3       000  (b2 -> 0, b0 -> 0)
//     touch way 0      110
//     touch way 2      011  victim: b0=0 -> node 1, b1=1 -> right -> way 1
//
// LRU is exact: every touch and fill stamps the way with a per-array counter; the victim is the way with the
// smallest stamp. FIFO stamps only on fill (hits are ignored), so it evicts the way filled earliest, also
// after single ways were invalidated and refilled out of order; without invalidations this is the same as a
// round-robin pointer. Random draws from a private xorshift64* generator seeded at construction; only
// victim() draws (fills and hits do not), so the same seed and the same miss sequence give the same victims.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace sv39sim {

enum class ReplacementPolicy : uint8_t { Lru, TreePlru, Fifo, Random };

// Names as written in configs: "lru", "plru", "fifo", "random".
const char* replacement_policy_name(ReplacementPolicy p);
bool parse_replacement_policy(const std::string& name, ReplacementPolicy* out);
const std::vector<std::string>& replacement_policy_names();

// Empty if `sets` x `ways` with `policy` is a valid geometry, else a message saying what is wrong, so config
// validation can report bad YAML without catching exceptions.
std::string check_set_assoc_geometry(uint64_t sets, uint64_t ways, ReplacementPolicy policy);

class Replacement {
 public:
  // Throws std::invalid_argument with check_set_assoc_geometry's message on a bad geometry.
  Replacement(unsigned sets, unsigned ways, ReplacementPolicy policy, uint64_t seed = 0);

  ReplacementPolicy policy() const { return policy_; }
  unsigned sets() const { return sets_; }
  unsigned ways() const { return ways_; }

  // A hit on `way`. FIFO and Random ignore hits.
  void touch(unsigned set, unsigned way) {
    switch (policy_) {
      case ReplacementPolicy::Lru: stamp_[set * ways_ + way] = ++clock_; break;
      case ReplacementPolicy::TreePlru: plru_touch(set, way); break;
      case ReplacementPolicy::Fifo:
      case ReplacementPolicy::Random: break;
    }
  }

  // A new entry was written into `way` (an invalid way or the victim).
  void fill(unsigned set, unsigned way) {
    switch (policy_) {
      case ReplacementPolicy::Lru:
      case ReplacementPolicy::Fifo: stamp_[set * ways_ + way] = ++clock_; break;
      case ReplacementPolicy::TreePlru: plru_touch(set, way); break;
      case ReplacementPolicy::Random: break;
    }
  }

  // The way to evict when every way of `set` is valid. Random advances its generator.
  unsigned victim(unsigned set) {
    if (policy_ == ReplacementPolicy::Lru || policy_ == ReplacementPolicy::Fifo) {
      // Inline, the caches' misses all come here. The smallest stamp, the lowest way among equals.
      const uint64_t* stamps = stamp_.data() + size_t{set} * ways_;
      unsigned oldest = 0;
      uint64_t min = stamps[0];
      for (unsigned w = 1; w < ways_; ++w) {
        if (stamps[w] < min) {
          min = stamps[w];
          oldest = w;
        }
      }
      return oldest;
    }
    return other_victim(set);
  }

  // Back to the state after construction, generator included.
  void reset();

  // Tree-PLRU node bit (see the encoding above), for tests and the RTL cross-check.
  bool plru_bit(unsigned set, unsigned node) const { return plru_[set * (ways_ - 1) + node] != 0; }

 private:
  void plru_touch(unsigned set, unsigned way) {
    uint8_t* bits = plru_.data() + size_t{set} * (ways_ - 1);  // no bits at all when ways == 1
    // Walk up from the leaf: an odd node is a left child, so its parent must point right (1), away from it.
    for (unsigned n = ways_ - 1 + way; n != 0;) {
      const unsigned parent = (n - 1) >> 1;
      bits[parent] = n & 1;
      n = parent;
    }
  }
  unsigned other_victim(unsigned set);  // victim() for TreePlru and Random
  uint64_t next_random();

  unsigned sets_;
  unsigned ways_;
  ReplacementPolicy policy_;
  uint64_t seed_;
  uint64_t rng_ = 0;
  uint64_t clock_ = 0;
  std::vector<uint64_t> stamp_;  // Lru, Fifo: sets x ways
  std::vector<uint8_t> plru_;    // TreePlru: sets x (ways-1), one byte per node bit
};

}  // namespace sv39sim
