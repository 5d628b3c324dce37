#include "models/mmu/PageTableWalker.h"

namespace sv39sim {

namespace {
// The VPN bits above the level a pointer PTE at `level` translates: vpn[2] for level 2, vpn[2:1] for 1.
uint64_t pwc_tag(uint64_t va, unsigned level) {
  const unsigned shift = sv39::kPageShift + sv39::kVpnBits * level;
  return (va >> shift) & ((1ull << (39 - shift)) - 1);
}
// The lowest VA a pointer covers (what events report for it).
uint64_t pwc_va(const PwcEntry& e) {
  return e.tag << (sv39::kPageShift + sv39::kVpnBits * e.level);
}
// A page-walk-cache event about the pointer of `level` for `va` in `asid`, at (set, way).
Event pwc_event(EventKind kind, uint64_t now_ps, uint64_t va, uint16_t asid, unsigned level, unsigned set,
                unsigned way) {
  Event ev;
  ev.kind = kind;
  ev.unit = Unit::Pwc;
  ev.time_ps = now_ps;
  ev.va = va;
  ev.asid = asid;
  ev.level = static_cast<uint8_t>(level);
  ev.set = set;
  ev.way = way;
  return ev;
}
}  // namespace

class PageTableWalker::Port {
 public:
  Port(PageTableWalker& w, uint64_t now_ps, uint64_t va, Access a)
      : w_(w), now_ps_(now_ps), va_(va), access_(a) {}

  bool read_pte(uint64_t pa, unsigned level, uint64_t* pte) {
    now_ps_ += w_.cfg_.step_cycles * w_.period_ps_;
    const uint64_t start = now_ps_;
    // Page-table accesses are checked by PMP as S-mode accesses.
    const bool ok = w_.pmp_.allows(pa, sv39::kPteSize, Access::Load, Priv::S) &&
                    w_.transport(tlm::TLM_READ_COMMAND, pa, pte);
    if (ok) now_ps_ = w_.timing_.access(Requester::Walker, pa, false, now_ps_);
    if (w_.wants(EventKind::PteRead)) {
      Event e = event(EventKind::PteRead, start, pa);
      e.level = static_cast<uint8_t>(level);
      e.data = ok ? *pte : 0;
      e.aux = ok ? 0 : 1;
      e.outcome = static_cast<uint8_t>(ok ? w_.timing_.last_served() : ServedBy::Memory);
      e.latency_ps = now_ps_ - start;
      w_.publish(e);
    }
    return ok;
  }

  bool update_pte(uint64_t pa, uint64_t expected, uint64_t desired, bool* changed) {
    if (!w_.pmp_.allows(pa, sv39::kPteSize, Access::Store, Priv::S)) return false;
    uint64_t current;
    if (!w_.transport(tlm::TLM_READ_COMMAND, pa, &current)) return false;
    *changed = current != expected;
    if (*changed) return true;
    if (!w_.transport(tlm::TLM_WRITE_COMMAND, pa, &desired)) return false;
    const uint64_t start = now_ps_;
    now_ps_ = w_.timing_.access(Requester::Walker, pa, true, now_ps_);
    if (w_.wants(EventKind::PteWrite)) {
      Event e = event(EventKind::PteWrite, start, pa);
      e.data = desired;
      e.aux = expected;
      e.latency_ps = now_ps_ - start;
      w_.publish(e);
    }
    return true;
  }

  uint64_t now_ps() const { return now_ps_; }

 private:
  Event event(EventKind kind, uint64_t time_ps, uint64_t pa) const {
    Event e;
    e.kind = kind;
    e.unit = Unit::Walker;
    e.time_ps = time_ps;
    e.va = va_;
    e.access = static_cast<uint8_t>(access_);
    e.pa = pa;
    return e;
  }

  PageTableWalker& w_;
  uint64_t now_ps_;
  uint64_t va_;
  Access access_;
};

PageTableWalker::PageTableWalker(sc_core::sc_module_name name, const WalkerConfig& cfg, Pmp& pmp,
                                 MemoryTiming& timing, EventBus* events, uint64_t clock_period_ps)
    : sc_module(name),
      mem("mem"),
      cfg_(cfg),
      pmp_(pmp),
      timing_(timing),
      events_(events),
      period_ps_(clock_period_ps) {
  if (cfg.pwc_enabled) {
    if (cfg.pwc_per_level) {
      pwc_l2_ =
          std::make_unique<SetAssocArray<PwcEntry>>(cfg.pwc_sets, cfg.pwc_ways, cfg.pwc_policy, cfg.pwc_seed);
      pwc_l1_ = std::make_unique<SetAssocArray<PwcEntry>>(cfg.pwc_sets, cfg.pwc_ways, cfg.pwc_policy,
                                                          cfg.pwc_seed + 1);
    } else {
      pwc_shared_ =
          std::make_unique<SetAssocArray<PwcEntry>>(cfg.pwc_sets, cfg.pwc_ways, cfg.pwc_policy, cfg.pwc_seed);
    }
  }
}

bool PageTableWalker::transport(tlm::tlm_command cmd, uint64_t pa, uint64_t* data) {
  sc_core::sc_time delay = sc_core::SC_ZERO_TIME;  // time comes from the memory hierarchy, not the bus
  return mem_access_.issue(mem, cmd, pa, data, sv39::kPteSize, delay);
}

SetAssocArray<PwcEntry>* PageTableWalker::pwc_for(unsigned level) {
  if (pwc_shared_) return pwc_shared_.get();
  return level == 2 ? pwc_l2_.get() : pwc_l1_.get();
}

// In events a pointer's place is (set, way) of its array; with per-level arrays, level tells which.
bool PageTableWalker::pwc_lookup(uint64_t va, uint16_t asid, sv39::WalkStart* start, uint64_t now_ps) {
  if (!cfg_.pwc_enabled) return false;
  // The deepest cached pointer skips the most reads: try the level-1 pointer first.
  for (unsigned level = 1; level < sv39::kLevels; ++level) {
    auto* arr = pwc_for(level);
    const uint64_t tag = pwc_tag(va, level);
    const unsigned set = arr->set_index(tag);
    const int way = arr->lookup(set, [&](const PwcEntry& e) {
      return e.level == level && e.tag == tag && (e.global || e.asid == asid);
    });
    if (wants(EventKind::PwcLookup)) {
      Event ev = pwc_event(EventKind::PwcLookup, now_ps, va, asid, level, set, way >= 0 ? way : 0);
      ev.outcome = static_cast<uint8_t>(way >= 0 ? LookupOutcome::Hit : LookupOutcome::Miss);
      if (way >= 0) ev.pa = arr->at(set, static_cast<unsigned>(way)).table;
      probes_[n_probes_++] = ev;  // published after the walk's start event
    }
    if (way >= 0) {
      const PwcEntry& e = arr->at(set, static_cast<unsigned>(way));
      start->level = level - 1;
      start->table = e.table;
      start->global = e.global;
      return true;
    }
  }
  return false;
}

void PageTableWalker::pwc_fill(const sv39::WalkResult& w, uint64_t va, uint16_t asid,
                               const sv39::WalkStart& start, uint64_t now_ps) {
  if (!cfg_.pwc_enabled) return;
  bool global = start.global;
  for (unsigned i = 0; i < w.n_reads; ++i) {
    const sv39::PteRead& r = w.reads[i];
    if (r.err || sv39::classify(r.data, r.level) != sv39::Step::Pointer) continue;
    global |= (r.data & sv39::pte::kG) != 0;
    PwcEntry e;
    e.level = static_cast<uint8_t>(r.level);
    e.tag = pwc_tag(va, r.level);
    e.table = sv39::ppn(r.data) << sv39::kPageShift;
    e.asid = asid;
    e.global = global;
    auto* arr = pwc_for(r.level);
    const unsigned set = arr->set_index(e.tag);
    arr->invalidate_each_if(
        set, [&](const PwcEntry& x) { return x.level == e.level && x.tag == e.tag && x.asid == asid; },
        [&](unsigned s, unsigned way, const PwcEntry& x) { publish_drop(x, s, way, now_ps); });
    const auto fill = arr->insert(set, e);
    if (wants(EventKind::PwcFill)) {
      Event ev = pwc_event(EventKind::PwcFill, now_ps, va, asid, e.level, set, fill.way);
      ev.pa = e.table;
      ev.outcome = static_cast<uint8_t>(fill.evicted ? FillReason::Replaced : FillReason::Invalid);
      if (fill.evicted) ev.victim_va = pwc_va(*fill.evicted);
      publish(ev);
    }
  }
}

void PageTableWalker::publish_drop(const PwcEntry& x, unsigned set, unsigned way, uint64_t now_ps) const {
  if (!wants(EventKind::PwcInvalidate)) return;
  publish(pwc_event(EventKind::PwcInvalidate, now_ps, pwc_va(x), x.asid, x.level, set, way));
}

PageTableWalker::Result PageTableWalker::walk(const Request& req) {
  Result res;
  uint64_t start_ps = req.now_ps;
  // One walk at a time: a request behind an unfinished walk queues.
  if (busy_until_ps_ > start_ps) start_ps = busy_until_ps_;
  const uint16_t asid = sv39::satp_asid(req.satp);
  sv39::WalkStart start;
  start.table = sv39::satp_root(req.satp);
  // The start event names the level the walk starts at, which the PWC lookup decides: the lookup's events
  // wait for it, so the stream reads start, lookups, PTE reads.
  n_probes_ = 0;
  if (sv39::canonical(req.va)) pwc_lookup(req.va, asid, &start, start_ps);
  Event ev;
  ev.unit = Unit::Walker;
  ev.va = req.va;
  ev.access = static_cast<uint8_t>(req.access);
  ev.asid = asid;
  if (wants(EventKind::WalkStart)) {
    ev.kind = EventKind::WalkStart;
    ev.time_ps = req.now_ps;
    ev.data = req.satp;
    ev.level = static_cast<uint8_t>(start.level);
    ev.aux = start_ps - req.now_ps;
    publish(ev);
  }
  for (unsigned i = 0; i < n_probes_; ++i) publish(probes_[i]);

  Port port(*this, start_ps, req.va, req.access);
  res.walk = sv39::walk(req.va, req.access, req.rights, req.hardware_ad, start, port);
  res.done_ps = port.now_ps();
  busy_until_ps_ = res.done_ps;
  if (res.walk.n_reads) pwc_fill(res.walk, req.va, asid, start, res.done_ps);

  if (wants(EventKind::WalkEnd)) {
    ev.kind = EventKind::WalkEnd;
    ev.time_ps = res.done_ps;
    ev.data = 0;
    ev.outcome = res.walk.ok ? 0 : 1;
    ev.aux = res.walk.ok ? 0 : res.walk.cause;
    ev.level = static_cast<uint8_t>(res.walk.ok ? res.walk.level : 0);
    ev.pa = res.walk.ok ? res.walk.paddr : 0;
    ev.latency_ps = res.done_ps - req.now_ps;
    publish(ev);
  }
  return res;
}

void PageTableWalker::flush(const SfenceReq& req, uint64_t now_ps) {
  if (!cfg_.pwc_enabled) return;
  if (req.has_va && !cfg_.pwc_flush_on_va_fence) return;
  // Non-leaf entries: an ASID-scoped fence keeps globals; a VA-scoped one (when configured to) drops the
  // pointers on that VA's path.
  auto doomed = [&](const PwcEntry& e) {
    if (req.has_asid && (e.global || e.asid != req.asid)) return false;
    return !req.has_va || e.tag == pwc_tag(req.va, e.level);
  };
  for (auto* arr : {pwc_shared_.get(), pwc_l2_.get(), pwc_l1_.get()}) {
    if (arr) {
      arr->invalidate_each_if(
          doomed, [&](unsigned s, unsigned way, const PwcEntry& x) { publish_drop(x, s, way, now_ps); });
    }
  }
}

void PageTableWalker::reset() {
  for (auto* arr : {pwc_shared_.get(), pwc_l2_.get(), pwc_l1_.get()})
    if (arr) arr->reset();
  busy_until_ps_ = 0;
}

}  // namespace sv39sim
