#include "models/mmu/Tlb.h"

#include <algorithm>

namespace sv39sim {

const char* flush_kind_name(FlushKind k) {
  switch (k) {
    case FlushKind::All: return "all";
    case FlushKind::Asid: return "asid";
    case FlushKind::Va: return "va";
    case FlushKind::VaAsid: return "va_asid";
    case FlushKind::SatpWrite: return "satp_write";
  }
  return "?";
}

Tlb::Tlb(const TlbConfig& cfg, EventBus* events, Unit unit)
    : cfg_(cfg), events_(events), unit_(unit), main_(cfg.sets, cfg.ways, cfg.policy, cfg.seed) {
  if (cfg.superpages == SuperpageMode::Separate) {
    super_ = std::make_unique<SetAssocArray<TlbEntry>>(1, cfg.superpage_entries, cfg.policy, cfg.seed + 1);
  }
  newest_[0].assign(main_.sets(), nullptr);
  newest_[1].assign(super_ ? super_->sets() : 0, nullptr);
  set_indexed(true);
}

void Tlb::set_indexed(bool on) {
  index_.clear();
  index_main_ = on && main_.ways() > kIndexedWays;
  index_super_ = on && super_ && super_->ways() > kIndexedWays;
  for (const bool super : {false, true}) {
    if (!indexed(super)) continue;
    const auto& arr = super ? *super_ : main_;
    for (unsigned set = 0; set < arr.sets(); ++set)
      for (unsigned way = 0; way < arr.ways(); ++way)
        if (arr.valid(set, way)) index_.add(WayIndex::key(super, arr.at(set, way)), way);
  }
}

void Tlb::WayIndex::add(uint64_t key, unsigned way) {
  std::vector<uint16_t>& ways = ways_[key];
  ways.insert(std::lower_bound(ways.begin(), ways.end(), way), static_cast<uint16_t>(way));
}

void Tlb::WayIndex::remove(uint64_t key, unsigned way) {
  const auto it = ways_.find(key);
  if (it == ways_.end()) return;
  std::vector<uint16_t>& ways = it->second;
  const auto w = std::lower_bound(ways.begin(), ways.end(), way);
  if (w != ways.end() && *w == way) ways.erase(w);
  if (ways.empty()) ways_.erase(it);
}

const TlbEntry* Tlb::lookup_slow(uint64_t vpn, uint16_t asid) {
  for (unsigned level = 0; level < sv39::kLevels; ++level) {
    if (!holds(level)) continue;
    auto& arr = array_for(level);
    const bool super = &arr != &main_;
    const unsigned set = set_for(arr, vpn, level);
    int way = -1;
    if (indexed(super)) {
      // The ways holding this page at this size, lowest first: the first whose ASID matches.
      if (const std::vector<uint16_t>* ways = index_.find(WayIndex::key(super, vpn, level))) {
        for (const uint16_t w : *ways) {
          if (arr.at(set, w).matches(vpn, asid)) {
            way = w;
            arr.touch(set, w);
            break;
          }
        }
      }
    } else {
      way = arr.lookup(set, [&](const TlbEntry& e) { return e.level == level && e.matches(vpn, asid); });
    }
    if (way >= 0) {
      last_ = &arr.at(set, static_cast<unsigned>(way));
      newest_in_set(super, set) = last_;
      return last_;
    }
  }
  return nullptr;
}

void Tlb::fill(const TlbEntry& in, uint64_t va, uint64_t now_ps) {
  TlbEntry e = in;
  if (!holds(e.level)) {
    // Keep just the 4 KiB frame of the superpage that this access touched.
    const uint64_t frame = (va >> sv39::kPageShift) & ((1ull << (sv39::kVpnBits * e.level)) - 1);
    e.vpn = (e.vpn & ~((1ull << (sv39::kVpnBits * e.level)) - 1)) | frame;
    e.ppn = (e.ppn & ~((1ull << (sv39::kVpnBits * e.level)) - 1)) | frame;
    if (e.level > e.page_level) e.page_level = e.level;
    e.level = 0;
  }
  auto& arr = array_for(e.level);
  const bool super = &arr != &main_;
  const unsigned set = set_for(arr, e.vpn, e.level);
  // A stale copy of the same page (e.g. before an A/D update) must not stay beside the new one.
  const auto stale = [&](const TlbEntry& x) {
    return x.level == e.level && x.vpn == e.vpn && x.asid == e.asid;
  };
  const auto drop_stale = [&](unsigned s, unsigned w, const TlbEntry& x) {
    indexed_remove(super, w, x);
    dropped(x, s, w, super, InvalidateReason::Refill, now_ps);
    forget(&x, x);
  };
  if (indexed(super)) {
    // Only the ways the index holds for this page can hold a stale copy.
    if (const std::vector<uint16_t>* ways = index_.find(WayIndex::key(super, e))) {
      for (const uint16_t w : std::vector<uint16_t>(*ways)) {
        if (stale(arr.at(set, w))) {
          arr.invalidate(set, w);
          drop_stale(set, w, arr.at(set, w));
        }
      }
    }
  } else {
    arr.invalidate_each_if(set, stale, drop_stale);
  }
  const auto result = arr.insert(set, e);
  ++counters_.fills;
  if (result.evicted) ++counters_.evictions;
  TlbEntry& stored = arr.at(set, result.way);
  if (result.evicted) indexed_remove(super, result.way, *result.evicted);
  indexed_add(super, result.way, stored);
  if (e.page_level > e.level) splinters_ = true;
  if (result.evicted) forget(&stored, *result.evicted);
  stored.set = set;
  stored.way = static_cast<uint16_t>(result.way);
  stored.in_super = super;
  stored.newest_in_set = &newest_in_set(super, set);
  *stored.newest_in_set = &stored;
  last_ = &stored;
  if (events_ && events_->wants(EventKind::TlbFill)) {
    Event ev;
    ev.kind = EventKind::TlbFill;
    ev.unit = unit_;
    ev.time_ps = now_ps;
    ev.va = e.vpn << sv39::kPageShift;
    ev.pa = e.ppn << sv39::kPageShift;
    ev.asid = e.asid;
    ev.level = e.level;
    ev.set = set;
    ev.way = result.way + (super ? cfg_.ways : 0);
    ev.data = e.pte;
    ev.aux = (e.global ? 1u : 0u) | uint64_t{std::max(e.level, e.page_level)} << 8;
    ev.outcome = static_cast<uint8_t>(result.evicted ? FillReason::Replaced : FillReason::Invalid);
    if (result.evicted) {
      ev.victim_va = result.evicted->vpn << sv39::kPageShift;
      ev.victim_asid = result.evicted->asid;
    }
    events_->publish(ev);
  }
}

void Tlb::dropped(const TlbEntry& e, unsigned set, unsigned way, bool super, InvalidateReason why,
                  uint64_t now_ps) const {
  if (!events_ || !events_->wants(EventKind::TlbInvalidate)) return;
  Event ev;
  ev.kind = EventKind::TlbInvalidate;
  ev.unit = unit_;
  ev.time_ps = now_ps;
  ev.va = e.vpn << sv39::kPageShift;
  ev.asid = e.asid;
  ev.level = e.level;
  ev.set = set;
  ev.way = way + (super ? cfg_.ways : 0);
  ev.outcome = static_cast<uint8_t>(why);
  events_->publish(ev);
}

void Tlb::publish_lookup(Access a, uint64_t va, uint16_t asid, LookupOutcome outcome, const TlbEntry* e,
                         uint64_t now_ps) const {
  Event ev;
  ev.kind = EventKind::TlbLookup;
  ev.unit = unit_;
  ev.time_ps = now_ps;
  ev.access = static_cast<uint8_t>(a);
  ev.va = va;
  ev.asid = asid;
  ev.outcome = static_cast<uint8_t>(outcome);
  if (e) {
    ev.level = e->level;
    ev.set = e->set;
    ev.way = e->way + (e->in_super ? cfg_.ways : 0);
  }
  events_->publish(ev);
}

void Tlb::invalidate(uint64_t va, uint16_t asid, uint64_t now_ps) {
  const uint64_t vpn = va >> sv39::kPageShift;
  for (unsigned level = 0; level < sv39::kLevels; ++level) {
    if (!holds(level)) continue;
    auto& arr = array_for(level);
    const bool super = &arr != &main_;
    arr.invalidate_each_if(
        set_for(arr, vpn, level), [&](const TlbEntry& e) { return e.level == level && e.matches(vpn, asid); },
        [&](unsigned s, unsigned w, const TlbEntry& e) {
          indexed_remove(super, w, e);
          dropped(e, s, w, super, InvalidateReason::Denied, now_ps);
          forget(&e, e);
        });
  }
  last_ = nullptr;
}

unsigned Tlb::flush(const SfenceReq& req, FlushKind kind, uint64_t now_ps) {
  const uint64_t vpn = req.va >> sv39::kPageShift;
  // The four SFENCE.VMA cases: globals survive only the ASID-scoped ones.
  auto doomed = [&](const TlbEntry& e) {
    if (req.has_asid && (e.global || e.asid != req.asid)) return false;
    return !req.has_va || e.leaf_covers(vpn);
  };
  static constexpr InvalidateReason kReason[kFlushKinds] = {
      InvalidateReason::FenceAll, InvalidateReason::FenceAsid, InvalidateReason::FenceVa,
      InvalidateReason::FenceVaAsid, InvalidateReason::SatpWrite};
  const InvalidateReason why = kReason[static_cast<unsigned>(kind)];
  auto drop_main = [&](unsigned s, unsigned w, const TlbEntry& e) {
    indexed_remove(false, w, e);
    dropped(e, s, w, false, why, now_ps);
    forget(&e, e);
  };
  unsigned n = 0;
  if (req.has_va && !splinters_) {
    // An entry that covers the page sits in the set its own size indexes with the page, so only those
    // sets need a look: visited in ascending order, as the whole-array pass would meet them.
    std::array<unsigned, sv39::kLevels> sets{};
    unsigned k = 0;
    for (unsigned level = 0; level < sv39::kLevels; ++level)
      if (holds(level) && (level == 0 || !super_)) sets[k++] = set_for(main_, vpn, level);
    for (unsigned i = 1; i < k; ++i)
      for (unsigned j = i; j > 0 && sets[j - 1] > sets[j]; --j) std::swap(sets[j - 1], sets[j]);
    for (unsigned i = 0; i < k; ++i)
      if (i == 0 || sets[i] != sets[i - 1]) n += main_.invalidate_each_if(sets[i], doomed, drop_main);
  } else {
    n = main_.invalidate_each_if(doomed, drop_main);
  }
  if (super_) {
    n += super_->invalidate_each_if(doomed, [&](unsigned s, unsigned w, const TlbEntry& e) {
      indexed_remove(true, w, e);
      dropped(e, s, w, true, why, now_ps);
      forget(&e, e);
    });
  }
  ++counters_.flushes[static_cast<unsigned>(kind)];
  counters_.flushed_entries[static_cast<unsigned>(kind)] += n;
  last_ = nullptr;
  return n;
}

void Tlb::reset() {
  main_.reset();
  if (super_) super_->reset();
  for (auto& n : newest_) std::fill(n.begin(), n.end(), nullptr);
  index_.clear();
  last_ = nullptr;
  splinters_ = false;
}

uint64_t Tlb::hits() const {
  uint64_t n = 0;
  for (const auto& by_level : counters_.hits)
    for (uint64_t c : by_level) n += c;
  return n;
}

uint64_t Tlb::misses() const {
  uint64_t n = 0;
  for (const auto& by_level : counters_.misses)
    for (uint64_t c : by_level) n += c;
  for (uint64_t c : counters_.misses_faulted) n += c;
  return n;
}

}  // namespace sv39sim
