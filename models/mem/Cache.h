// A timing-only cache: tags, valid and dirty bits in the shared SetAssocArray, no data (data always lives
// in Ram). Write-back and write-allocate: a store (or a write-back from the level above) that misses
// allocates the line; a dirty victim is reported to the caller, which turns it into a write to the next
// level. The cache decides hit or miss and keeps the books; MemoryHierarchy turns that into time.
//
// Fast path: hit_last() checks only the line this cache touched last (by a hit, a fill or a write-back).
// Touching the most recently touched line again cannot change any policy's future victims (LRU: that way
// already has the newest stamp; tree PLRU: the path already points away from it; FIFO and random ignore
// hits), so hit_last() skips the replacement update and stays exact. Every fill and invalidation resets
// the remembered line, so it is never stale.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <type_traits>
#include <vector>

#include "models/mem/MemoryTiming.h"
#include "models/mem/SetAssocArray.h"

namespace sv39sim {

// Who an access to a cache or to the memory controller is for: the requester whose access caused it, or a
// write-back of a dirty line from the level above.
enum class AccessSource : uint8_t { Fetch, Load, Store, Walker, Writeback };
constexpr unsigned kAccessSources = 5;
inline AccessSource source_of(Requester who) {
  return static_cast<AccessSource>(who);
}
const char* access_source_name(AccessSource s);  // "fetch", "load", "store", "walker", "writeback"

// No geometry defaults here: each cache's live in MemoryHierarchyConfig.
struct CacheConfig {
  bool enabled = true;
  uint64_t size = 0;  // bytes
  unsigned ways = 0;
  unsigned line = 0;  // bytes, a power of two
  ReplacementPolicy policy = ReplacementPolicy::Lru;
  unsigned latency = 0;  // hit latency in hart cycles
  uint64_t seed = 0;     // for ReplacementPolicy::Random

  uint64_t sets() const { return ways && line ? size / (uint64_t{ways} * line) : 0; }
};

// Empty if the geometry is usable (line a power of two >= 4, size = sets x ways x line with sets a power of
// two, the policy's constraints), else one sentence saying what is wrong.
std::string check_cache_geometry(const CacheConfig& config);

class Cache {
 public:
  struct Line {
    uint64_t tag = 0;  // line number: paddr >> log2(line)
    bool dirty = false;
  };

  struct Outcome {
    bool hit = false;
    unsigned way = 0;           // the way hit or filled
    bool evicted = false;       // a valid line was displaced by the fill
    bool writeback = false;     // ... and it was dirty: the caller writes it to the next level
    uint64_t victim_paddr = 0;  // the displaced line's first byte, when evicted
  };

  // Throws std::invalid_argument with check_cache_geometry's message on a bad geometry.
  explicit Cache(const CacheConfig& config);

  const CacheConfig& config() const { return config_; }
  unsigned line_bytes() const { return config_.line; }
  uint64_t line_addr(uint64_t paddr) const { return paddr & ~uint64_t{config_.line - 1}; }
  const SetAssocArray<Line>& array() const { return array_; }

  // The fast path: true (and the hit counted, the line made dirty on a write) if `paddr` lies in the line
  // this cache touched last; false, with nothing changed, otherwise (the caller then calls access()).
  // The two-argument form counts the hit as a Store for writes and as `read_source` (Fetch for an
  // instruction cache, Load otherwise; see set_read_source) for reads.
  __attribute__((always_inline)) bool hit_last(uint64_t paddr, bool write, Requester who) {
    if ((paddr >> line_shift_) != last_line_) return false;
    ++hits_[static_cast<unsigned>(who)];
    if (write) array_.at_index(last_index_).dirty = true;
    return true;
  }
  bool hit_last(uint64_t paddr, bool write) {
    return hit_last(paddr, write, write ? Requester::Store : read_source_);
  }
  void set_read_source(Requester who) { read_source_ = who; }
  // Whether `paddr` lies in the line touched last (where hit_last hits), and where hit_last counts: for a
  // caller that replays such hits itself.
  bool is_last_line(uint64_t paddr) const { return (paddr >> line_shift_) == last_line_; }
  uint64_t* hit_count(Requester who) { return &hits_[static_cast<unsigned>(who)]; }

  // A wider fast path for the hart: also hits on any of the last lines looked up that are still present
  // (remembered per slot until that line is evicted or invalidated). It replays exactly what access()
  // does on a hit — the replacement update, the count, the dirty bit — without the search.
  __attribute__((always_inline)) bool hit_recent(uint64_t paddr, bool write, Requester who) {
    return hit_last(paddr, write, who) || hit_remembered(paddr, write, who);
  }
  // hit_recent() after hit_last() said no: a remembered line other than the one touched last.
  __attribute__((always_inline)) bool hit_remembered(uint64_t paddr, bool write, Requester who) {
    const uint64_t line = paddr >> line_shift_;
    const Recent& r = recent_[line & recent_mask_];
    if (r.line != line) return false;
    array_.touch(array_.set_index(line), r.way, r.index);
    last_line_ = line;
    last_index_ = r.index;
    ++hits_[static_cast<unsigned>(who)];
    if (write) array_.at_index(r.index).dirty = true;
    return true;
  }

  // A store to a line the caller knows to be the newest of its set (so the hit moves no replacement
  // state), counted by the caller: sets the line's dirty bit if the line has its slot in the table of
  // recent lines, which says where it lives; false, with nothing done, otherwise.
  bool mark_newest_dirty(uint64_t paddr) {
    const uint64_t line = paddr >> line_shift_;
    const Recent& r = recent_[line & recent_mask_];
    if (r.line != line) return false;
    array_.at_index(r.index).dirty = true;
    return true;
  }

  // Where a present line lives, for a caller that replays hits on it later (touch_placed).
  struct Placed {
    uint64_t line = kNoLine;
    uint32_t index = 0;  // array_.index(set, way)
  };
  // The line touched last, which hit_last()/hit_recent() just hit or access() just looked up.
  Placed last_placed() const { return {last_line_, last_index_}; }
  // The replacement update and last line of a hit on `p` (counted by the caller): for a caller that
  // defers the hits on lines it placed. Deferring stays exact while the cache sees nothing else, and the
  // deferred lines are touched in the order of their last hits: each policy's state then ends as if every
  // hit had been replayed in turn (LRU and tree PLRU keep only each line's last touch; FIFO and random
  // ignore hits).
  void touch_placed(const Placed& p) {
    const unsigned set = array_.set_index(p.line);
    array_.touch(set, p.index - set * array_.ways(), p.index);
    last_line_ = p.line;
    last_index_ = p.index;
  }

  // The full path: look up, update replacement, and on a miss allocate the line (write-allocate), dirty if
  // `write`. Counts the access under `who`.
  __attribute__((always_inline)) Outcome access(uint64_t paddr, bool write, Requester who) {
    return lookup<true>(paddr, write, static_cast<unsigned>(who));
  }
  // A dirty line written back from the level above: a write that allocates without fetching (the whole
  // line arrives). Counted under AccessSource::Writeback.
  __attribute__((always_inline)) Outcome write_back(uint64_t paddr) {
    return lookup<true>(paddr, true, static_cast<unsigned>(AccessSource::Writeback));
  }
  // access() and write_back() with the outcome in one word, for the memory system's own path (a word
  // stays in a register where the Outcome goes through memory): kHit, kCleanMiss (nothing to write
  // back), or the first byte of the dirty line the fill displaced (a line address: its two low bits 0).
  static constexpr uint64_t kHit = ~uint64_t{0}, kCleanMiss = 1;
  static bool writes_back(uint64_t outcome) { return (outcome & 3) == 0; }
  __attribute__((always_inline)) uint64_t access_word(uint64_t paddr, bool write, Requester who) {
    return lookup<false>(paddr, write, static_cast<unsigned>(who));
  }
  __attribute__((always_inline)) uint64_t write_back_word(uint64_t paddr) {
    return lookup<false>(paddr, true, static_cast<unsigned>(AccessSource::Writeback));
  }

  // Whether `paddr`'s line is present, without touching anything.
  bool contains(uint64_t paddr) const;
  // Drops `paddr`'s line (dirty data is discarded: timing only); returns whether it was present.
  bool invalidate(uint64_t paddr);
  // Drops every line and returns replacement state to its start; statistics are kept.
  void invalidate_all();

  // Statistics.
  uint64_t hits(AccessSource s) const { return hits_[static_cast<unsigned>(s)]; }
  uint64_t misses(AccessSource s) const { return misses_[static_cast<unsigned>(s)]; }
  uint64_t accesses(AccessSource s) const { return hits(s) + misses(s); }
  uint64_t hits() const { return sum(hits_); }
  uint64_t misses() const { return sum(misses_); }
  uint64_t accesses() const { return hits() + misses(); }
  uint64_t fills() const { return fills_; }            // lines allocated (every miss allocates)
  uint64_t evictions() const { return evictions_; }    // valid lines displaced by fills
  uint64_t writebacks() const { return writebacks_; }  // dirty lines among them
  uint64_t invalidations() const { return invalidations_; }

 private:
  static uint64_t sum(const std::array<uint64_t, kAccessSources>& a) {
    uint64_t n = 0;
    for (uint64_t v : a) n += v;
    return n;
  }
  // Inline: MemoryHierarchy's access path is mostly this. Returns the Outcome (kOutcome), else its word
  // (access_word).
  template <bool kOutcome>
  __attribute__((always_inline)) std::conditional_t<kOutcome, Outcome, uint64_t> lookup(uint64_t paddr,
                                                                                        bool write,
                                                                                        unsigned source) {
    const uint64_t tag = paddr >> line_shift_;
    const unsigned set = array_.set_index(tag);
    Recent& r = recent_[tag & recent_mask_];
    Outcome out;
    if (r.line == tag) {  // a remembered line: a hit, no search
      array_.touch(set, r.way, r.index);
      if (write) array_.at_index(r.index).dirty = true;
      ++hits_[source];
      last_line_ = tag;
      last_index_ = r.index;
      if constexpr (kOutcome) {
        out.hit = true;
        out.way = r.way;
        return out;
      } else {
        return kHit;
      }
    }
    uint64_t word = kHit;
    // With every present line in its slot, the table has answered: a miss, no search.
    const auto probe =
        orphans_ ? array_.probe_tag(set, tag) : SetAssocArray<Line>::Probe{false, array_.first_invalid(set)};
    unsigned way = probe.way;
    if (probe.hit) {
      array_.touch(set, probe.way);
      if (write) array_.at(set, probe.way).dirty = true;
      ++hits_[source];
      --orphans_;  // it had no slot; it takes its own below
      if constexpr (kOutcome) out.hit = true;
    } else {
      ++misses_[source];
      ++fills_;
      const auto placed = array_.place(set, probe.way, Line{tag, write});
      way = placed.way;
      word = kCleanMiss;
      if (placed.evicted) {
        if (!forget_recent(placed.victim.tag)) --orphans_;
        ++evictions_;
        if constexpr (kOutcome) {
          out.evicted = true;
          out.victim_paddr = placed.victim.tag << line_shift_;
        }
        if (placed.victim.dirty) {
          ++writebacks_;
          if constexpr (kOutcome)
            out.writeback = true;
          else
            word = placed.victim.tag << line_shift_;
        }
      }
    }
    const auto index = static_cast<uint32_t>(array_.index(set, way));
    last_line_ = tag;
    last_index_ = index;
    if (r.line != kNoLine) ++orphans_;  // a present line loses its slot
    r = {tag, index, way};              // after forget_recent: the victim may have had this slot
    if constexpr (kOutcome) {
      out.way = way;
      return out;
    } else {
      return word;
    }
  }
  void forget_last() { last_line_ = kNoLine; }
  // An evicted or invalidated line. A line is remembered only in its own slot, and only where it lives, so
  // this retires exactly the stale entry and leaves the others (a fill evicts one line, not the table).
  // Returns whether the line had its slot.
  bool forget_recent(uint64_t line) {
    Recent& r = recent_[line & recent_mask_];
    if (r.line != line) return false;
    r.line = kNoLine;
    return true;
  }

  static constexpr uint64_t kNoLine = ~uint64_t{0};  // paddr >> line_shift_ (>= 2) never reaches it

  CacheConfig config_;
  unsigned line_shift_;
  SetAssocArray<Line> array_;
  Requester read_source_ = Requester::Load;

  uint64_t last_line_ = kNoLine;
  uint32_t last_index_ = 0;  // array_.index(set, way) of last_line_

  struct Recent {
    uint64_t line = kNoLine;
    uint32_t index = 0;  // array_.index(set, way): capacity is below 2^20 (kMaxEntries)
    uint32_t way = 0;
  };
  // Eight slots per line the cache holds, up to kMaxRecent, so that lookup() finds most hits here without
  // the search, in the L2 too: a line the L1 writes back was read through the L2 not long before. (With one
  // slot per line, an L1's lines of one set share slots whenever their tags agree in the low bits.)
  static constexpr unsigned kMaxRecent = 4096;
  std::vector<Recent> recent_;
  uint64_t recent_mask_ = 0;
  // Present lines whose slot another present line holds. Every slot holds no line or a present one; while
  // no present line lacks its slot, a line the table does not hold is a miss.
  uint64_t orphans_ = 0;

  std::array<uint64_t, kAccessSources> hits_{}, misses_{};
  uint64_t fills_ = 0, evictions_ = 0, writebacks_ = 0, invalidations_ = 0;
};

}  // namespace sv39sim
