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
}

const TlbEntry* Tlb::lookup_slow(uint64_t vpn, uint16_t asid) {
  for (unsigned level = 0; level < sv39::kLevels; ++level) {
    if (!holds(level)) continue;
    auto& arr = array_for(level);
    const unsigned set = set_for(arr, vpn, level);
    const int way =
        arr.lookup(set, [&](const TlbEntry& e) { return e.level == level && e.matches(vpn, asid); });
    if (way >= 0) {
      last_ = &arr.at(set, static_cast<unsigned>(way));
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
  arr.invalidate_each_if(
      set, [&](const TlbEntry& x) { return x.level == e.level && x.vpn == e.vpn && x.asid == e.asid; },
      [&](unsigned s, unsigned w, const TlbEntry& x) {
        dropped(x, s, w, super, InvalidateReason::Refill, now_ps);
        forget(&x, x);
      });
  const auto result = arr.insert(set, e);
  ++counters_.fills;
  if (result.evicted) ++counters_.evictions;
  TlbEntry& stored = arr.at(set, result.way);
  if (e.page_level > e.level) splinters_ = true;
  if (result.evicted) forget(&stored, *result.evicted);
  stored.set = set;
  stored.way = static_cast<uint16_t>(result.way);
  stored.in_super = super;
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
