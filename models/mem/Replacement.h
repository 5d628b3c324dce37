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

#include <algorithm>
#include <cstddef>
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

  // A hit on `way`. FIFO and Random ignore hits. LRU is tested first: it is the default everywhere, and
  // the hart's cache hits come here.
  __attribute__((always_inline)) void touch(unsigned set, unsigned way) {
    touch(set, way, size_t{set} * ways_ + way);
  }
  // The same, for a caller that already knows `slot` = set x ways + way.
  __attribute__((always_inline)) void touch(unsigned set, unsigned way, size_t slot) {
    if (uint64_t* const stamps = stamp_.lru)
      stamp(stamps, slot, way);
    else if (policy_ == ReplacementPolicy::TreePlru)
      plru_touch(set, way);
  }

  // A new entry was written into `way` (an invalid way or the victim).
  void fill(unsigned set, unsigned way) {
    if (stamps_)
      stamp(size_t{set} * ways_ + way, way);
    else if (policy_ == ReplacementPolicy::TreePlru)
      plru_touch(set, way);
  }

  // The way to evict when every way of `set` is valid. Random advances its generator.
  __attribute__((always_inline)) unsigned victim(unsigned set) {
    return stamps_ ? oldest(stamp_.all.data() + size_t{set} * ways_) : other_victim(set);
  }
  // victim() and fill() of the way it names, in one: every cache miss in a full set comes here.
  __attribute__((always_inline)) unsigned replace(unsigned set) {
    if (stamps_) {
      const size_t base = size_t{set} * ways_;
      const unsigned way = oldest(stamp_.all.data() + base);
      stamp(base + way, way);
      return way;
    }
    const unsigned way = other_victim(set);
    if (policy_ == ReplacementPolicy::TreePlru) plru_touch(set, way);
    return way;
  }

  // Back to the state after construction, generator included.
  void reset();
  // For tests of the clock's wrap-around: moves the clock to `ticks` stamps before it runs out.
  void run_clock_to_end(uint64_t ticks) { clock_ = last_clock_ - ticks * clock_step_; }

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
  // LRU and FIFO order ways by stamps: (clock << way bits) | way. The clock moves on at every stamp, so
  // comparing stamps compares clocks, and ways never stamped (clock 0, after a reset) tie-break to the
  // lowest way. With at most 2^20 ways (kMaxEntries) the clock has at least 44 bits: 10^13 stamps; when it
  // runs out, renumber() gives every set the same order with small clocks.
  __attribute__((always_inline)) void stamp(size_t slot, unsigned way) {
    stamp(stamp_.all.data(), slot, way);
  }
  __attribute__((always_inline)) void stamp(uint64_t* stamps, size_t slot, unsigned way) {
    if (__builtin_expect(__builtin_add_overflow(clock_, clock_step_, &clock_), 0)) {  // one jump on carry
      renumber();
      clock_ += clock_step_;
    }
    stamps[slot] = clock_ | way;
  }
  // The way of the smallest of a set's stamps `s`, the lowest way among equals. Always inline: every
  // cache miss comes here (as a call, its spills cost the miss path some 6 host instructions). The way is
  // in each stamp's low bits, so this is a plain minimum, four ways a step.
  __attribute__((always_inline)) unsigned oldest(const uint64_t* s) const {
    if (ways_ == 8) {  // the default L1s: eight loads and a tree of minimums (a loop costs a fifth more)
      const uint64_t a = std::min(std::min(s[0], s[1]), std::min(s[2], s[3]));
      const uint64_t b = std::min(std::min(s[4], s[5]), std::min(s[6], s[7]));
      return static_cast<unsigned>(std::min(a, b) & way_mask_);
    }
    const uint64_t* const end = s + ways_;
    uint64_t a = ~uint64_t{0}, b = a;
    for (; end - s >= 4; s += 4) {
      a = std::min(a, std::min(s[0], s[1]));
      b = std::min(b, std::min(s[2], s[3]));
    }
    for (; s != end; ++s) a = std::min(a, *s);
    return static_cast<unsigned>(std::min(a, b) & way_mask_);
  }
  __attribute__((cold, noinline)) void renumber();
  unsigned other_victim(unsigned set);  // victim() for TreePlru and Random
  uint64_t next_random();

  unsigned sets_;
  unsigned ways_;
  ReplacementPolicy policy_;
  uint64_t seed_;
  uint64_t rng_ = 0;
  bool stamps_;          // Lru or Fifo
  uint64_t clock_ = 0;   // in units of clock_step_
  uint64_t clock_step_;  // 1 << (bits of the largest way number)
  uint64_t way_mask_;    // clock_step_ - 1
  uint64_t last_clock_;  // the largest clock a stamp can hold (the next one carries out)
  // Lru, Fifo: sets x ways stamps; `lru` is their first under Lru (where hits stamp), else null, so that a
  // touch tests one pointer. A copy points into its own stamps.
  struct Stamps {
    std::vector<uint64_t> all;
    uint64_t* lru = nullptr;
    Stamps() = default;
    Stamps(const Stamps& o) : all(o.all), lru(o.lru ? all.data() : nullptr) {}
    Stamps& operator=(const Stamps& o) {
      all = o.all;
      lru = o.lru ? all.data() : nullptr;
      return *this;
    }
  };
  Stamps stamp_;
  std::vector<uint8_t> plru_;  // TreePlru: sets x (ways-1), one byte per node bit
};

}  // namespace sv39sim
