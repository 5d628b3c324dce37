#include "models/mmu/Tlb.h"

#include "models/mmu/MmuObserver.h"

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

Tlb::Tlb(const TlbConfig& cfg, MmuObserver* observer)
    : cfg_(cfg), observer_(observer), main_(cfg.sets, cfg.ways, cfg.policy, cfg.seed) {
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
  const unsigned set = set_for(arr, e.vpn, e.level);
  // A stale copy of the same page (e.g. before an A/D update) must not stay beside the new one.
  arr.invalidate_if(
      set, [&](const TlbEntry& x) { return x.level == e.level && x.vpn == e.vpn && x.asid == e.asid; });
  const auto result = arr.insert(set, e);
  ++counters_.fills;
  if (observer_) observer_->on_tlb_fill(cfg_.name.c_str(), e, now_ps);
  if (result.evicted) {
    ++counters_.evictions;
    if (observer_) observer_->on_tlb_evict(cfg_.name.c_str(), *result.evicted, now_ps);
  }
  TlbEntry& stored = arr.at(set, result.way);
  stored.set = set;
  stored.way = static_cast<uint16_t>(result.way);
  stored.in_super = &arr != &main_;
  last_ = &stored;
}

void Tlb::invalidate(uint64_t va, uint16_t asid) {
  const uint64_t vpn = va >> sv39::kPageShift;
  for (unsigned level = 0; level < sv39::kLevels; ++level) {
    if (!holds(level)) continue;
    auto& arr = array_for(level);
    arr.invalidate_if(set_for(arr, vpn, level),
                      [&](const TlbEntry& e) { return e.level == level && e.matches(vpn, asid); });
  }
  last_ = nullptr;
}

unsigned Tlb::flush(const SfenceReq& req, FlushKind kind) {
  const uint64_t vpn = req.va >> sv39::kPageShift;
  // The four SFENCE.VMA cases: globals survive only the ASID-scoped ones.
  auto doomed = [&](const TlbEntry& e) {
    if (req.has_asid && (e.global || e.asid != req.asid)) return false;
    return !req.has_va || e.leaf_covers(vpn);
  };
  unsigned n = main_.invalidate_if(doomed);
  if (super_) n += super_->invalidate_if(doomed);
  ++counters_.flushes[static_cast<unsigned>(kind)];
  counters_.flushed_entries[static_cast<unsigned>(kind)] += n;
  last_ = nullptr;
  return n;
}

void Tlb::reset() {
  main_.reset();
  if (super_) super_->reset();
  last_ = nullptr;
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
