#include "testbench/rtl/RtlInterface.h"

#include <string>

namespace sv39sim::rtl {

namespace {

// hw/common/sv39_pkg.sv tlb_entry_t, packed MSB first: vpn, ppn, asid, level, page_level, pte, global.
constexpr unsigned kEntryBits = 100;
struct Entry {
  uint64_t vpn, ppn;
  uint16_t asid;
  uint8_t level, page_level, pte;
  bool global;
};
Entry entry_at(const RtlTop::Port& p, unsigned index) {
  const unsigned b = index * kEntryBits;
  Entry e;
  e.global = p.bits(b, 1) != 0;
  e.pte = static_cast<uint8_t>(p.bits(b + 1, 8));
  e.page_level = static_cast<uint8_t>(p.bits(b + 9, 2));
  e.level = static_cast<uint8_t>(p.bits(b + 11, 2));
  e.asid = static_cast<uint16_t>(p.bits(b + 13, 16));
  e.ppn = p.bits(b + 29, 44);
  e.vpn = p.bits(b + 73, 27);
  return e;
}
// The VA of a page from its 27-bit VPN, sign-extended as the model's 52-bit VPNs are.
uint64_t page_va(uint64_t vpn) {
  return static_cast<uint64_t>(static_cast<int64_t>(vpn << 37) >> 25);
}
// The lowest VA a page-walk-cache pointer of `level` with `tag` covers (as the model reports it).
uint64_t pwc_va(uint64_t tag, unsigned level) {
  return tag << (12 + 9 * level);
}

Event event(EventKind kind, Unit unit, const RtlRequest& r) {
  Event e;
  e.kind = kind;
  e.unit = unit;
  e.va = r.va;
  e.access = r.access;
  e.asid = static_cast<uint16_t>(r.satp >> 44);
  return e;
}

}  // namespace

RtlInterface::TlbPorts RtlInterface::tlb_ports(const char* name, Unit unit, unsigned ways) const {
  const std::string p = std::string("obs_") + name + "_";
  TlbPorts t;
  t.unit = unit;
  t.ways = ways;
  t.lookup = top_.output(p + "lookup_o");
  t.found = top_.output(p + "found_o");
  t.hit = top_.output(p + "hit_o");
  t.set = top_.output(p + "set_o");
  t.way = top_.output(p + "way_o");
  t.entry = top_.output(p + "entry_o");
  t.fill = top_.output(p + "fill_o");
  t.fill_set = top_.output(p + "fill_set_o");
  t.fill_way = top_.output(p + "fill_way_o");
  t.fill_entry = top_.output(p + "fill_entry_o");
  t.fill_evict = top_.output(p + "fill_evict_o");
  t.fill_victim = top_.output(p + "fill_victim_o");
  t.inv = top_.output(p + "inv_o");
  t.inv_reason = top_.output(p + "inv_reason_o");
  t.inv_set = top_.output(p + "inv_set_o");
  t.inv_super = top_.output(p + "inv_super_o");
  t.inv_ways = top_.output(p + "inv_ways_o");
  t.inv_entries = top_.output(p + "inv_entries_o");
  return t;
}

RtlInterface::RtlInterface(RtlTop& top, const RtlGeometry& g) : top_(top) {
  tlbs_[n_tlbs_++] = tlb_ports("itlb", Unit::Itlb, g.itlb_ways);
  tlbs_[n_tlbs_++] = tlb_ports("dtlb", Unit::Dtlb, g.dtlb_ways);
  if (g.l2tlb) tlbs_[n_tlbs_++] = tlb_ports("l2tlb", Unit::L2tlb, g.l2tlb_ways);
  req_valid_ = top.input("req_valid_i");
  req_ready_ = top.output("req_ready_o");
  req_va_ = top.input("req_va_i");
  req_access_ = top.input("req_access_i");
  req_priv_ = top.input("req_priv_i");
  req_sum_ = top.input("req_sum_i");
  req_mxr_ = top.input("req_mxr_i");
  req_satp_ = top.input("req_satp_i");
  req_hw_ad_ = top.input("req_hw_ad_i");
  rsp_valid_ = top.output("rsp_valid_o");
  rsp_fault_ = top.output("rsp_fault_o");
  rsp_cause_ = top.output("rsp_cause_o");
  rsp_pa_ = top.output("rsp_pa_o");
  rsp_level_ = top.output("rsp_level_o");
  rsp_source_ = top.output("rsp_source_o");
  fence_valid_ = top.input("fence_valid_i");
  fence_req_ = top.input("fence_req_i");
  fence_done_ = top.output("fence_done_o");
  mem_req_valid_ = top.output("mem_req_valid_o");
  mem_req_ready_ = top.input("mem_req_ready_i");
  mem_req_cas_ = top.output("mem_req_cas_o");
  mem_req_addr_ = top.output("mem_req_addr_o");
  mem_req_level_ = top.output("mem_req_level_o");
  mem_req_expected_ = top.output("mem_req_expected_o");
  mem_req_desired_ = top.output("mem_req_desired_o");
  mem_rsp_valid_ = top.input("mem_rsp_valid_i");
  mem_rsp_rdata_ = top.input("mem_rsp_rdata_i");
  mem_rsp_err_ = top.input("mem_rsp_err_i");
  mem_rsp_changed_ = top.input("mem_rsp_changed_i");
  walk_start_ = top.output("obs_walk_start_o");
  walk_start_level_ = top.output("obs_walk_start_level_o");
  walk_end_ = top.output("obs_walk_end_o");
  walk_ok_ = top.output("obs_walk_ok_o");
  walk_cause_ = top.output("obs_walk_cause_o");
  walk_level_ = top.output("obs_walk_level_o");
  walk_pa_ = top.output("obs_walk_pa_o");
  pwc_probe_ = top.output("obs_pwc_probe_o");
  pwc_probe_level_ = top.output("obs_pwc_probe_level_o");
  pwc_probe_set_ = top.output("obs_pwc_probe_set_o");
  pwc_probe_way_ = top.output("obs_pwc_probe_way_o");
  pwc_probe_hit_ = top.output("obs_pwc_probe_hit_o");
  pwc_probe_table_ = top.output("obs_pwc_probe_table_o");
  pwc_fill_ = top.output("obs_pwc_fill_o");
  pwc_fill_level_ = top.output("obs_pwc_fill_level_o");
  pwc_fill_set_ = top.output("obs_pwc_fill_set_o");
  pwc_fill_way_ = top.output("obs_pwc_fill_way_o");
  pwc_fill_table_ = top.output("obs_pwc_fill_table_o");
  pwc_fill_evict_ = top.output("obs_pwc_fill_evict_o");
  pwc_fill_victim_tag_ = top.output("obs_pwc_fill_victim_tag_o");
  pwc_fill_victim_level_ = top.output("obs_pwc_fill_victim_level_o");
  pwc_inv_ = top.output("obs_pwc_inv_o");
  pwc_inv_set_ = top.output("obs_pwc_inv_set_o");
  pwc_inv_ways_ = top.output("obs_pwc_inv_ways_o");
  pwc_inv_tags_ = top.output("obs_pwc_inv_tags_o");
  pwc_inv_asids_ = top.output("obs_pwc_inv_asids_o");
  pwc_inv_levels_ = top.output("obs_pwc_inv_levels_o");
  mem_req_ready_.set(1);
  drive_request(false, RtlRequest());
  drive_fence(false, RtlFence());
  drive_memory_response(false, 0, false, false);
}

void RtlInterface::drive_request(bool valid, const RtlRequest& r) {
  req_valid_.set(valid);
  req_va_.set(r.va);
  req_access_.set(r.access);
  req_priv_.set(r.priv);
  req_sum_.set(r.sum);
  req_mxr_.set(r.mxr);
  req_satp_.set(r.satp);
  req_hw_ad_.set(r.hardware_ad);
}

void RtlInterface::drive_fence(bool valid, const RtlFence& f) {
  // hw/common/sv39_pkg.sv fence_t, MSB first: has_va, vpn[26:0], has_asid, asid, reason[2:0].
  const uint64_t reason = f.satp_write ? static_cast<uint64_t>(InvalidateReason::SatpWrite)
                                       : (f.has_va ? 2u : 0u) | (f.has_asid ? 1u : 0u);
  const uint64_t vpn = (f.va >> 12) & ((1u << 27) - 1);
  fence_req_.set(reason | uint64_t{f.asid} << 3 | uint64_t{f.has_asid} << 19 | vpn << 20 |
                 uint64_t{f.has_va} << 47);
  fence_valid_.set(valid);
}

void RtlInterface::drive_memory_response(bool valid, uint64_t data, bool err, bool changed) {
  mem_rsp_valid_.set(valid);
  mem_rsp_rdata_.set(data);
  mem_rsp_err_.set(err);
  mem_rsp_changed_.set(changed);
}

RtlInterface::MemRequest RtlInterface::memory_request() const {
  MemRequest m;
  m.valid = mem_req_valid_.get() != 0;
  if (!m.valid) return m;
  m.cas = mem_req_cas_.get() != 0;
  m.addr = mem_req_addr_.get();
  m.level = static_cast<unsigned>(mem_req_level_.get());
  m.expected = mem_req_expected_.get();
  m.desired = mem_req_desired_.get();
  return m;
}

bool RtlInterface::response(const RtlRequest& r, Event* out) const {
  if (!rsp_valid_.get()) return false;
  Event e = event(EventKind::Translation, Unit::Hart, r);
  e.priv = r.priv;
  e.outcome = static_cast<uint8_t>(rsp_source_.get());
  const bool fault = rsp_fault_.get() != 0;
  e.data = fault ? 1 : 0;
  e.aux = fault ? rsp_cause_.get() : 0;
  e.pa = fault ? 0 : rsp_pa_.get();
  e.level = fault ? 0 : static_cast<uint8_t>(rsp_level_.get());
  e.set = (r.sum ? 1u : 0u) | (r.mxr ? 2u : 0u);
  *out = e;
  return true;
}

void RtlInterface::observe_tlb(const TlbPorts& t, const RtlRequest& r, std::vector<Event>* out) const {
  if (t.lookup.get()) {
    Event e = event(EventKind::TlbLookup, t.unit, r);
    const bool found = t.found.get() != 0;
    e.outcome = static_cast<uint8_t>(t.hit.get() ? LookupOutcome::Hit
                                     : found     ? LookupOutcome::Denied
                                                 : LookupOutcome::Miss);
    if (found) {
      e.level = entry_at(t.entry, 0).level;
      e.set = static_cast<uint32_t>(t.set.get());
      e.way = static_cast<uint32_t>(t.way.get());
    }
    out->push_back(e);
  }
  if (t.inv.get()) {
    const bool super = t.inv_super.get() != 0;
    for (unsigned w = 0; w < t.inv_ways.width(); ++w) {
      if (!t.inv_ways.bits(w, 1)) continue;
      const Entry x = entry_at(t.inv_entries, w);
      Event e = event(EventKind::TlbInvalidate, t.unit, r);
      e.access = 0;
      e.va = page_va(x.vpn);
      e.asid = x.asid;
      e.level = x.level;
      e.set = static_cast<uint32_t>(t.inv_set.get());
      e.way = w + (super ? t.ways : 0);
      e.outcome = static_cast<uint8_t>(t.inv_reason.get());
      out->push_back(e);
    }
  }
  if (t.fill.get()) {
    const Entry s = entry_at(t.fill_entry, 0);
    Event e = event(EventKind::TlbFill, t.unit, r);
    e.va = page_va(s.vpn);
    e.pa = s.ppn << 12;
    e.asid = s.asid;
    e.level = s.level;
    e.set = static_cast<uint32_t>(t.fill_set.get());
    e.way = static_cast<uint32_t>(t.fill_way.get());
    e.data = s.pte;
    e.aux = (s.global ? 1u : 0u) | uint64_t{s.level > s.page_level ? s.level : s.page_level} << 8;
    const bool evict = t.fill_evict.get() != 0;
    e.outcome = static_cast<uint8_t>(evict ? FillReason::Replaced : FillReason::Invalid);
    if (evict) {
      const Entry v = entry_at(t.fill_victim, 0);
      e.victim_va = page_va(v.vpn);
      e.victim_asid = v.asid;
    }
    out->push_back(e);
  }
}

void RtlInterface::observe(const RtlRequest& r, std::vector<Event>* out) const {
  for (unsigned i = 0; i < n_tlbs_; ++i) observe_tlb(tlbs_[i], r, out);
  if (walk_start_.get()) {
    Event e = event(EventKind::WalkStart, Unit::Walker, r);
    e.data = r.satp;
    e.level = static_cast<uint8_t>(walk_start_level_.get());
    out->push_back(e);
  }
  if (pwc_probe_.get()) {
    Event e = event(EventKind::PwcLookup, Unit::Pwc, r);
    e.access = 0;
    e.level = static_cast<uint8_t>(pwc_probe_level_.get());
    e.set = static_cast<uint32_t>(pwc_probe_set_.get());
    e.way = static_cast<uint32_t>(pwc_probe_way_.get());
    const bool hit = pwc_probe_hit_.get() != 0;
    e.outcome = static_cast<uint8_t>(hit ? LookupOutcome::Hit : LookupOutcome::Miss);
    if (hit) e.pa = pwc_probe_table_.get();
    out->push_back(e);
  }
  if (pwc_inv_.get()) {
    for (unsigned w = 0; w < pwc_inv_ways_.width(); ++w) {
      if (!pwc_inv_ways_.bits(w, 1)) continue;
      Event e = event(EventKind::PwcInvalidate, Unit::Pwc, r);
      e.access = 0;
      e.level = static_cast<uint8_t>(pwc_inv_levels_.bits(2 * w, 2));
      e.va = pwc_va(pwc_inv_tags_.bits(18 * w, 18), e.level);
      e.asid = static_cast<uint16_t>(pwc_inv_asids_.bits(16 * w, 16));
      e.set = static_cast<uint32_t>(pwc_inv_set_.get());
      e.way = w;
      out->push_back(e);
    }
  }
  if (pwc_fill_.get()) {
    Event e = event(EventKind::PwcFill, Unit::Pwc, r);
    e.access = 0;
    e.level = static_cast<uint8_t>(pwc_fill_level_.get());
    e.set = static_cast<uint32_t>(pwc_fill_set_.get());
    e.way = static_cast<uint32_t>(pwc_fill_way_.get());
    e.pa = pwc_fill_table_.get();
    const bool evict = pwc_fill_evict_.get() != 0;
    e.outcome = static_cast<uint8_t>(evict ? FillReason::Replaced : FillReason::Invalid);
    if (evict)
      e.victim_va = pwc_va(pwc_fill_victim_tag_.get(), static_cast<unsigned>(pwc_fill_victim_level_.get()));
    out->push_back(e);
  }
  if (walk_end_.get()) {
    Event e = event(EventKind::WalkEnd, Unit::Walker, r);
    const bool ok = walk_ok_.get() != 0;
    e.outcome = ok ? 0 : 1;
    e.aux = ok ? 0 : walk_cause_.get();
    e.level = ok ? static_cast<uint8_t>(walk_level_.get()) : 0;
    e.pa = ok ? walk_pa_.get() : 0;
    out->push_back(e);
  }
}

}  // namespace sv39sim::rtl
