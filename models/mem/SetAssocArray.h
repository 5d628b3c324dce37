// The one set-associative array behind TLBs, page-walk caches and caches: sets x ways of caller-defined
// entries with a valid bit each, and pluggable replacement (Replacement.h, which also documents the
// tree-PLRU encoding). sets == 1 is fully associative, ways == 1 direct-mapped.
//
// The array compares no tags: lookups take a predicate, because a TLB hit depends on ASID, the G bit and the
// page size, a cache hit only on the line address. Callers pick the set (set_index() masks a key) and keep
// at most one matching entry per set; find() returns the lowest matching way.
//
// Filling: insert() writes the lowest-numbered invalid way if there is one, else the policy's victim, and
// hands back the valid entry it displaced (for eviction counts and dirty write-backs). So an invalidated way
// is always the next fill target of its set, whatever the policy state says. Caches take the same steps
// through probe_tag() (hit, or where the fill goes, in one pass) and place(), which return no optional.
//
// Hot-path operations are inline and allocate nothing; storage is allocated once at construction.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "models/mem/Replacement.h"

namespace sv39sim {

template <typename Entry>
class SetAssocArray {
 public:
  struct Fill {
    unsigned way;                  // where the new entry now lives
    std::optional<Entry> evicted;  // the valid entry it replaced; empty if an invalid way was filled
  };
  // What probe_tag() found: a hit, or where a fill goes (see place()).
  struct Probe {
    bool hit;
    unsigned way;  // the way hit; on a miss the lowest invalid way, or ways() if the set is full
  };
  // What place() did; insert()'s Fill without the optional, for the caches' miss path.
  struct Placed {
    unsigned way;  // where the new entry now lives
    bool evicted;  // a valid entry was displaced ...
    Entry victim;  // ... and this was it (meaningless unless evicted)
  };

  // Throws std::invalid_argument (message from check_geometry) on a bad geometry.
  SetAssocArray(unsigned sets, unsigned ways, ReplacementPolicy policy, uint64_t seed = 0)
      : sets_(sets),
        ways_(ways),
        repl_(sets, ways, policy, seed),
        entries_(size_t{sets} * ways),
        valid_(size_t{sets} * ways, 0),
        invalid_(size_t{sets} * ways) {}

  // Empty if valid, else why not (for config validation, which reports rather than throws).
  static std::string check_geometry(uint64_t sets, uint64_t ways, ReplacementPolicy policy) {
    return check_set_assoc_geometry(sets, ways, policy);
  }

  unsigned sets() const { return sets_; }
  unsigned ways() const { return ways_; }
  unsigned capacity() const { return sets_ * ways_; }
  ReplacementPolicy policy() const { return repl_.policy(); }
  const Replacement& replacement() const { return repl_; }

  // The set that `key` (e.g. a VPN or a line address) maps to: its low log2(sets) bits.
  unsigned set_index(uint64_t key) const { return static_cast<unsigned>(key & (sets_ - 1)); }

  // Lowest valid way of `set` whose entry satisfies match(const Entry&), or -1. Leaves replacement alone.
  template <typename Match>
  int find(unsigned set, Match&& match) const {
    const size_t base = size_t{set} * ways_;
    for (unsigned w = 0; w < ways_; ++w)
      if (valid_[base + w] && match(entries_[base + w])) return static_cast<int>(w);
    return -1;
  }

  // find() for entries with a `tag` member compared for equality.
  template <typename Tag>
  int find_tag(unsigned set, const Tag& tag) const {
    return find(set, [&tag](const Entry& e) { return e.tag == tag; });
  }

  // find() and, on a hit, touch(): the usual access.
  template <typename Match>
  int lookup(unsigned set, Match&& match) {
    const int way = find(set, match);
    if (way >= 0) repl_.touch(set, static_cast<unsigned>(way));
    return way;
  }

  // Records a hit on (set, way) for LRU and PLRU; FIFO and Random ignore hits.
  __attribute__((always_inline)) void touch(unsigned set, unsigned way) { repl_.touch(set, way); }
  // The same, for a caller that kept the entry's index (set x ways + way, see index()).
  __attribute__((always_inline)) void touch(unsigned set, unsigned way, size_t index) {
    repl_.touch(set, way, index);
  }

  // Places `entry` in `set`: the lowest invalid way, else the policy's victim, whose entry is returned.
  Fill insert(unsigned set, const Entry& entry) {
    const Placed p = place(set, first_invalid(set), entry);
    Fill fill{p.way, std::nullopt};
    if (p.evicted) fill.evicted = p.victim;
    return fill;
  }

  // A cache's find-or-allocate in one pass, for entries with a `tag` member: the lowest valid way whose
  // tag equals `tag`, else where insert() would put a new entry (the lowest invalid way, or ways() for
  // the policy's victim). Leaves replacement alone. The valid bit is read only where the tag matches.
  template <typename Tag>
  Probe probe_tag(unsigned set, const Tag& tag) const {
    const size_t base = size_t{set} * ways_;
    const Entry* const first = entries_.data() + base;
    const Entry* const end = first + ways_;
    const Entry* e = first;
    for (;;) {
      // A miss compares every tag: four a step, with no valid bit read until one matches.
      while (end - e >= 4 && !(e[0].tag == tag) && !(e[1].tag == tag) && !(e[2].tag == tag) &&
             !(e[3].tag == tag))
        e += 4;
      while (e != end && !(e->tag == tag)) ++e;
      if (e == end) break;
      const auto w = static_cast<unsigned>(e - first);
      if (valid_[base + w]) return {true, w};
      ++e;  // a stale tag in an invalid way: keep looking
    }
    return {false, first_invalid(set)};
  }

  // insert() at a way found beforehand: `way` must be the lowest invalid way of `set`, or ways() if
  // there is none (then the policy's victim is displaced), as first_invalid() and probe_tag() give it.
  __attribute__((always_inline)) Placed place(unsigned set, unsigned way, const Entry& entry) {
    const size_t base = size_t{set} * ways_;
    if (way == ways_) {  // a full set: the victim's way, valid already, takes the entry
      way = repl_.replace(set);
      Entry& e = entries_[base + way];
      const Placed p{way, true, e};
      e = entry;
      return p;
    }
    entries_[base + way] = entry;
    --invalid_;
    valid_[base + way] = 1;
    repl_.fill(set, way);
    return {way, false, Entry{}};
  }

  // The lowest invalid way of `set`, or ways() if every way is valid.
  unsigned first_invalid(unsigned set) const {
    if (!invalid_) return ways_;  // a warm array: no set has an invalid way
    const uint8_t* v = valid_.data() + size_t{set} * ways_;
    unsigned w = 0;
    // A full set is the common case once a cache is warm: eight valid bits (bytes of 1) per load.
    for (; w + 8 <= ways_; w += 8) {
      uint64_t eight;
      std::memcpy(&eight, v + w, sizeof eight);
      if (eight != 0x0101010101010101ull) break;
    }
    for (; w < ways_; ++w)
      if (!v[w]) return w;
    return ways_;
  }

  // Where (set, way) lives in the array, for callers that remember entries (see at_index()).
  size_t index(unsigned set, unsigned way) const { return size_t{set} * ways_ + way; }
  Entry& at_index(size_t index) { return entries_[index]; }
  bool valid(unsigned set, unsigned way) const { return valid_[size_t{set} * ways_ + way] != 0; }
  // The entry in (set, way), valid or not; callers change fields such as dirty bits in place.
  Entry& at(unsigned set, unsigned way) { return entries_[size_t{set} * ways_ + way]; }
  const Entry& at(unsigned set, unsigned way) const { return entries_[size_t{set} * ways_ + way]; }

  // Returns whether the way was valid.
  bool invalidate(unsigned set, unsigned way) {
    uint8_t& v = valid_[size_t{set} * ways_ + way];
    const bool was = v != 0;
    v = 0;
    invalid_ += was;
    return was;
  }

  // Invalidates every valid entry of `set` with pred(const Entry&) true; returns how many.
  template <typename Pred>
  unsigned invalidate_if(unsigned set, Pred&& pred) {
    const size_t base = size_t{set} * ways_;
    unsigned count = 0;
    for (size_t i = base; i < base + ways_; ++i) {
      if (valid_[i] && pred(static_cast<const Entry&>(entries_[i]))) {
        valid_[i] = 0;
        ++count;
      }
    }
    invalid_ += count;
    return count;
  }

  // The same over the whole array (SFENCE.VMA, flushes); returns how many entries were invalidated.
  template <typename Pred>
  unsigned invalidate_if(Pred&& pred) {
    unsigned count = 0;
    for (unsigned s = 0; s < sets_; ++s) count += invalidate_if(s, pred);
    return count;
  }

  // invalidate_if that also calls dropped(set, way, const Entry&) for each entry it invalidates (so a
  // TLB can report which entries a fence removed).
  template <typename Pred, typename Dropped>
  unsigned invalidate_each_if(unsigned set, Pred&& pred, Dropped&& dropped) {
    const size_t base = size_t{set} * ways_;
    unsigned count = 0;
    for (unsigned w = 0; w < ways_; ++w) {
      if (valid_[base + w] && pred(static_cast<const Entry&>(entries_[base + w]))) {
        valid_[base + w] = 0;
        ++invalid_;
        dropped(set, w, static_cast<const Entry&>(entries_[base + w]));
        ++count;
      }
    }
    return count;
  }
  template <typename Pred, typename Dropped>
  unsigned invalidate_each_if(Pred&& pred, Dropped&& dropped) {
    // One pass in storage order, which is set then way order (SFENCE.VMA scans whole TLBs, and few
    // entries are dropped, so where they were is worked out only for those).
    unsigned count = 0;
    const size_t n = entries_.size();
    auto visit = [&](size_t i) {
      if (valid_[i] && pred(static_cast<const Entry&>(entries_[i]))) {
        valid_[i] = 0;
        ++invalid_;
        dropped(static_cast<unsigned>(i / ways_), static_cast<unsigned>(i % ways_),
                static_cast<const Entry&>(entries_[i]));
        ++count;
      }
    };
    size_t i = 0;
    // Large TLBs are mostly empty after a few fences: eight invalid entries are skipped per load.
    for (; i + 8 <= n; i += 8) {
      uint64_t eight;
      std::memcpy(&eight, valid_.data() + i, sizeof eight);
      if (eight == 0) continue;
      for (size_t j = i; j < i + 8; ++j) visit(j);
    }
    for (; i < n; ++i) visit(i);
    return count;
  }

  // Calls f(set, way, entry) for every valid entry, in set then way order. The entry may be modified
  // (e.g. clearing dirty bits after a write-back); validity and replacement state are not changed.
  template <typename F>
  void for_each_valid(F&& f) {
    for (unsigned s = 0; s < sets_; ++s)
      for (unsigned w = 0; w < ways_; ++w)
        if (valid_[size_t{s} * ways_ + w]) f(s, w, entries_[size_t{s} * ways_ + w]);
  }
  template <typename F>
  void for_each_valid(F&& f) const {
    for (unsigned s = 0; s < sets_; ++s)
      for (unsigned w = 0; w < ways_; ++w)
        if (valid_[size_t{s} * ways_ + w]) f(s, w, entries_[size_t{s} * ways_ + w]);
  }

  unsigned count_valid() const {
    unsigned n = 0;
    for (uint8_t v : valid_) n += v;
    return n;
  }

  // Invalidates everything and returns the replacement state (and Random's generator) to its start.
  void reset() {
    std::fill(valid_.begin(), valid_.end(), 0);
    invalid_ = valid_.size();
    repl_.reset();
  }

 private:
  unsigned sets_;
  unsigned ways_;
  Replacement repl_;
  std::vector<Entry> entries_;
  std::vector<uint8_t> valid_;
  size_t invalid_;  // how many entries are invalid
};

}  // namespace sv39sim
