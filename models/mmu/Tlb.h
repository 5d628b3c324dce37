// A translation lookaside buffer on the one SetAssocArray: entries tagged with ASID and G, pages of
// 4 KiB, 2 MiB and 1 GiB. Superpages live in the main array (each size probed at its own index), in a
// separate small fully associative array (as in Rocket), or are splintered into 4 KiB entries.
// Lookups, hits and misses are counted inline (the hot path); every fill (with its victim) and every entry
// dropped (by a fence, a denied hit, a refill) is published on the EventBus, and lookups are published by
// the Mmu, which decides whether an entry found allows the access.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "models/mem/SetAssocArray.h"
#include "models/mmu/Sv39.h"
#include "models/sim/EventBus.h"

namespace sv39sim {

enum class SuperpageMode : uint8_t { Main, Separate, Splinter };

// No defaults here: each TLB's live in MmuConfig.
struct TlbConfig {
  std::string name;
  unsigned sets = 0;  // 1 = fully associative
  unsigned ways = 0;
  ReplacementPolicy policy = ReplacementPolicy::Lru;
  uint64_t seed = 0;
  unsigned latency = 0;  // cycles added to every lookup of this TLB
  SuperpageMode superpages = SuperpageMode::Main;
  unsigned superpage_entries = 0;  // size of the separate array (SuperpageMode::Separate)
};

struct TlbEntry {
  uint64_t vpn = 0;  // virtual page number of the page's first 4 KiB frame
  uint64_t ppn = 0;  // physical page number of the same frame
  uint16_t asid = 0;
  uint8_t level = 0;  // 0: 4 KiB, 1: 2 MiB, 2: 1 GiB
  uint8_t pte = 0;    // the leaf's V R W X U G A D bits
  // Size of the leaf PTE the entry came from: larger than `level` for a splintered superpage, whose
  // 4 KiB pieces all belong to one leaf and so all go when SFENCE.VMA names any address in it.
  uint8_t page_level = 0;
  bool global = false;
  // Where the entry sits, recorded at fill so a repeated hit can be replayed without a search.
  uint32_t set = 0;
  uint16_t way = 0;
  bool in_super = false;
  const TlbEntry** newest_in_set = nullptr;  // where the TLB holding it notes its set's newest entry

  bool covers(uint64_t va_vpn) const { return ((va_vpn ^ vpn) >> (sv39::kVpnBits * level)) == 0; }
  bool leaf_covers(uint64_t va_vpn) const {
    return ((va_vpn ^ vpn) >> (sv39::kVpnBits * (level > page_level ? level : page_level))) == 0;
  }
  bool matches(uint64_t va_vpn, uint16_t a) const { return covers(va_vpn) && (global || asid == a); }
};

// The four operand cases of SFENCE.VMA.
struct SfenceReq {
  bool has_va = false;
  uint64_t va = 0;
  bool has_asid = false;
  uint16_t asid = 0;
};

enum class FlushKind : uint8_t { All, Asid, Va, VaAsid, SatpWrite };
constexpr unsigned kFlushKinds = 5;
const char* flush_kind_name(FlushKind k);
inline FlushKind flush_kind(const SfenceReq& r) {
  return r.has_va ? (r.has_asid ? FlushKind::VaAsid : FlushKind::Va)
                  : (r.has_asid ? FlushKind::Asid : FlushKind::All);
}

class Tlb {
 public:
  struct Counters {
    std::array<std::array<uint64_t, sv39::kLevels>, 3> hits{};    // [access][level]
    std::array<std::array<uint64_t, sv39::kLevels>, 3> misses{};  // [access][level], level of the fill
    std::array<uint64_t, 3> misses_faulted{};                     // misses whose walk faulted
    // Lookups that found the page but whose cached permission or A/D bits did not allow the access. The
    // design drops such an entry and resolves the access like any other miss (the PTE in memory decides),
    // so these are also counted in `misses`, under the level the walk or next TLB resolved them to.
    std::array<uint64_t, 3> denied{};
    uint64_t fills = 0, evictions = 0;
    std::array<uint64_t, kFlushKinds> flushes{}, flushed_entries{};
  };

  // `events` may be null (no publishing); `unit` names this TLB in the event stream.
  Tlb(const TlbConfig& cfg, EventBus* events, Unit unit);

  const TlbConfig& config() const { return cfg_; }
  Unit unit() const { return unit_; }
  const Counters& counters() const { return counters_; }

  // Looks `va` up for `asid` and touches the entry it finds. The caller decides whether the entry allows
  // the access and counts the outcome: count_hit, or count_denied and then count_miss once resolved.
  // The entry is the lowest matching way of the smallest page size that has one, whatever was touched
  // last: the answer is a function of the TLB's contents (the RTL's is too).
  const TlbEntry* lookup(uint64_t va, uint16_t asid) { return lookup_slow(va >> sv39::kPageShift, asid); }
  void count_hit(Access a, unsigned level) { ++counters_.hits[static_cast<unsigned>(a)][level]; }
  // Hits replayed elsewhere (the Mmu's data window), counted as count_hit would.
  void add_hits(Access a, unsigned level, uint64_t n) {
    counters_.hits[static_cast<unsigned>(a)][level] += n;
  }
  // Where count_hit counts, for a caller that replays hits (the Mmu's fetch window).
  uint64_t* hit_count(Access a, unsigned level) { return &counters_.hits[static_cast<unsigned>(a)][level]; }
  void count_denied(Access a) { ++counters_.denied[static_cast<unsigned>(a)]; }
  // Replays a hit on an entry found earlier (still valid: the caller tracks changes through
  // generation()): the same replacement update and count that lookup() would make.
  __attribute__((always_inline)) void rehit(const TlbEntry* e, Access a) {
    if (e != last_) {
      if (*e->newest_in_set != e) {
        (e->in_super ? *super_ : main_).touch(e->set, e->way);
        *e->newest_in_set = e;
      }
      last_ = e;
    }
    ++counters_.hits[static_cast<unsigned>(a)][e->level];
  }
  // Whether `e` is the only entry that a lookup of page `vpn` could find, for whatever ASID.
  bool sole_cover(const TlbEntry* e, uint64_t vpn) const {
    for (unsigned level = 0; level < sv39::kLevels; ++level) {
      if (!holds(level)) continue;
      const auto& arr = level > 0 && super_ ? *super_ : main_;
      const unsigned set = set_for(arr, vpn, level);
      if (arr.find(set, [&](const TlbEntry& x) { return &x != e && x.level == level && x.covers(vpn); }) >= 0)
        return false;
    }
    return true;
  }
  // The entry the last lookup or fill touched (what a repeated hit would touch again).
  const TlbEntry* last() const { return last_; }
  void count_miss(Access a, int level) {
    if (level < 0)
      ++counters_.misses_faulted[static_cast<unsigned>(a)];
    else
      ++counters_.misses[static_cast<unsigned>(a)][level];
  }
  // Inserts a translation (splintered to 4 KiB if this TLB does not hold superpages).
  void fill(const TlbEntry& e, uint64_t va, uint64_t now_ps);
  // Drops the entry for `va` in `asid` (a cached translation whose permissions no longer suffice).
  void invalidate(uint64_t va, uint16_t asid, uint64_t now_ps);
  unsigned flush(const SfenceReq& req, FlushKind kind, uint64_t now_ps);
  // Told of every entry that stops holding what it held (evicted or superseded by a fill, dropped by an
  // invalidation or a fence; not by reset()), with the place it lived and its page, so that whoever
  // remembers entries (the Mmu's micro-TLB) can forget just those.
  using DropHook = void (*)(void* owner, const TlbEntry* where, uint64_t vpn, unsigned level);
  void set_drop_hook(DropHook hook, void* owner) {
    drop_hook_ = hook;
    drop_owner_ = owner;
  }
  // One lookup's outcome as an event (the Mmu decides it: see lookup()); `e` on Hit and Denied.
  void publish_lookup(Access a, uint64_t va, uint16_t asid, LookupOutcome outcome, const TlbEntry* e,
                      uint64_t now_ps) const;
  void reset();
  // Arrays with more than kIndexedWays ways find entries through a tag index rather than by comparing
  // every way; tests switch it off to compare the two.
  static constexpr unsigned kIndexedWays = 16;
  void set_indexed(bool on);

  uint64_t accesses() const { return hits() + misses(); }
  uint64_t hits() const;
  uint64_t misses() const;
  uint64_t denied() const { return counters_.denied[0] + counters_.denied[1] + counters_.denied[2]; }

 private:
  const TlbEntry* lookup_slow(uint64_t vpn, uint16_t asid);
  SetAssocArray<TlbEntry>& array_for(unsigned level) { return level > 0 && super_ ? *super_ : main_; }
  unsigned set_for(const SetAssocArray<TlbEntry>& arr, uint64_t vpn, unsigned level) const {
    return arr.set_index(vpn >> (sv39::kVpnBits * level));
  }
  bool holds(unsigned level) const { return level == 0 || cfg_.superpages != SuperpageMode::Splinter; }
  // Publishes the invalidation of `e` (at set, way) if anyone wants it.
  void dropped(const TlbEntry& e, unsigned set, unsigned way, bool super, InvalidateReason why,
               uint64_t now_ps) const;

  // The ways of each array, page size and tag (virtual page number at that size) that hold a valid entry,
  // lowest first: one per ASID at most. A wide array's lookup reads the few ways its page could be in
  // instead of comparing all of them; every fill and drop keeps it exact.
  class WayIndex {
   public:
    static uint64_t key(bool super, const TlbEntry& e) {
      return (e.vpn >> (sv39::kVpnBits * e.level)) << 3 | uint64_t{e.level} << 1 | uint64_t{super};
    }
    static uint64_t key(bool super, uint64_t vpn, unsigned level) {
      return (vpn >> (sv39::kVpnBits * level)) << 3 | uint64_t{level} << 1 | uint64_t{super};
    }
    void add(uint64_t key, unsigned way);
    void remove(uint64_t key, unsigned way);
    const std::vector<uint16_t>* find(uint64_t key) const {
      const auto it = ways_.find(key);
      return it == ways_.end() ? nullptr : &it->second;
    }
    void clear() { ways_.clear(); }

   private:
    std::unordered_map<uint64_t, std::vector<uint16_t>> ways_;
  };
  bool indexed(bool super) const { return super ? index_super_ : index_main_; }
  void indexed_add(bool super, unsigned way, const TlbEntry& e) {
    if (indexed(super)) index_.add(WayIndex::key(super, e), way);
  }
  void indexed_remove(bool super, unsigned way, const TlbEntry& e) {
    if (indexed(super)) index_.remove(WayIndex::key(super, e), way);
  }

  TlbConfig cfg_;
  EventBus* events_;
  Unit unit_;
  SetAssocArray<TlbEntry> main_;
  std::unique_ptr<SetAssocArray<TlbEntry>> super_;
  WayIndex index_;
  bool index_main_ = false, index_super_ = false;
  void forget(const TlbEntry* where, const TlbEntry& old) const {
    if (drop_hook_) drop_hook_(drop_owner_, where, old.vpn, old.level);
  }

  const TlbEntry* last_ = nullptr;  // most recently touched or filled entry, for the fast path
  // Per array (main, super) and set: the entry touched or filled last, null if none since the reset.
  // Touching it again moves no policy's future victims (LRU: it holds the set's newest stamp; tree PLRU:
  // its path already points away from it; FIFO and random ignore hits), so rehit() skips that touch, as
  // Cache::hit_last does for lines. Every touch and fill of the arrays goes through here and keeps it.
  std::vector<const TlbEntry*> newest_[2];
  const TlbEntry*& newest_in_set(bool super, unsigned set) { return newest_[super][set]; }
  DropHook drop_hook_ = nullptr;
  // Some entry filled since the last reset is a 4 KiB piece of a larger leaf, which a fence naming any
  // page of that leaf drops wherever it sits.
  bool splinters_ = false;
  void* drop_owner_ = nullptr;
  Counters counters_;
};

}  // namespace sv39sim
