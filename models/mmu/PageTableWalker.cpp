#include "models/mmu/PageTableWalker.h"

#include "models/sim/TlmAccess.h"

namespace sv39sim {

namespace {
// The VPN bits above the level a pointer PTE at `level` translates: vpn[2] for level 2, vpn[2:1] for 1.
uint64_t pwc_tag(uint64_t va, unsigned level) {
  const unsigned shift = sv39::kPageShift + sv39::kVpnBits * level;
  return (va >> shift) & ((1ull << (39 - shift)) - 1);
}
}  // namespace

class PageTableWalker::Port {
 public:
  Port(PageTableWalker& w, uint64_t now_ps) : w_(w), now_ps_(now_ps) {}

  bool read_pte(uint64_t pa, uint64_t* pte) {
    now_ps_ += w_.cfg_.step_cycles * w_.period_ps_;
    times_[n_++ % sv39::kLevels] = now_ps_;
    // Page-table accesses are checked by PMP as S-mode accesses.
    if (!w_.pmp_.allows(pa, sv39::kPteSize, Access::Load, Priv::S)) return false;
    if (!w_.transport(tlm::TLM_READ_COMMAND, pa, pte)) return false;
    now_ps_ = w_.timing_.access(Requester::Walker, pa, false, now_ps_);
    ++reads_;
    return true;
  }

  bool update_pte(uint64_t pa, uint64_t expected, uint64_t desired, bool* changed) {
    if (!w_.pmp_.allows(pa, sv39::kPteSize, Access::Store, Priv::S)) return false;
    uint64_t current;
    if (!w_.transport(tlm::TLM_READ_COMMAND, pa, &current)) return false;
    *changed = current != expected;
    if (*changed) return true;
    if (!w_.transport(tlm::TLM_WRITE_COMMAND, pa, &desired)) return false;
    now_ps_ = w_.timing_.access(Requester::Walker, pa, true, now_ps_);
    return true;
  }

  uint64_t now_ps() const { return now_ps_; }
  unsigned reads() const { return reads_; }
  uint64_t time_of(unsigned i) const { return times_[i]; }

 private:
  PageTableWalker& w_;
  uint64_t now_ps_;
  uint64_t times_[sv39::kLevels] = {};
  unsigned n_ = 0, reads_ = 0;
};

PageTableWalker::PageTableWalker(sc_core::sc_module_name name, const WalkerConfig& cfg, Pmp& pmp,
                                 MemoryTiming& timing, MmuObserver* observer, uint64_t clock_period_ps)
    : sc_module(name),
      mem("mem"),
      cfg_(cfg),
      pmp_(pmp),
      timing_(timing),
      observer_(observer),
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
  return tlm_access(mem, cmd, pa, data, sv39::kPteSize, delay);
}

SetAssocArray<PwcEntry>* PageTableWalker::pwc_for(unsigned level) {
  if (pwc_shared_) return pwc_shared_.get();
  return level == 2 ? pwc_l2_.get() : pwc_l1_.get();
}

bool PageTableWalker::pwc_lookup(uint64_t va, uint16_t asid, sv39::WalkStart* start) {
  if (!cfg_.pwc_enabled) return false;
  // The deepest cached pointer skips the most reads: try the level-1 pointer first.
  for (unsigned level = 1; level < sv39::kLevels; ++level) {
    auto* arr = pwc_for(level);
    const uint64_t tag = pwc_tag(va, level);
    const unsigned set = arr->set_index(tag);
    const int way = arr->lookup(set, [&](const PwcEntry& e) {
      return e.level == level && e.tag == tag && (e.global || e.asid == asid);
    });
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
                               const sv39::WalkStart& start) {
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
    arr->invalidate_if(
        set, [&](const PwcEntry& x) { return x.level == e.level && x.tag == e.tag && x.asid == asid; });
    arr->insert(set, e);
  }
}

PageTableWalker::Result PageTableWalker::walk(const Request& req) {
  Result res;
  uint64_t start_ps = req.now_ps;
  // One walk at a time: a request behind an unfinished walk queues.
  if (busy_until_ps_ > start_ps) start_ps = busy_until_ps_;
  const uint16_t asid = sv39::satp_asid(req.satp);
  sv39::WalkStart start;
  start.table = sv39::satp_root(req.satp);
  const bool pwc_hit = sv39::canonical(req.va) && pwc_lookup(req.va, asid, &start);
  const unsigned pwc_level = pwc_hit ? start.level + 1 : 0;

  Port port(*this, start_ps);
  res.walk = sv39::walk(req.va, req.access, req.rights, req.hardware_ad, start, port);
  res.done_ps = port.now_ps();
  busy_until_ps_ = res.done_ps;
  if (res.walk.n_reads) pwc_fill(res.walk, req.va, asid, start);

  if (observer_) {
    for (unsigned i = 0; i < res.walk.n_reads; ++i)
      observer_->on_walk_step(res.walk.reads[i], port.time_of(i));
    WalkEvent ev;
    ev.seq = req.seq;
    ev.va = req.va;
    ev.access = req.access;
    ev.ok = res.walk.ok;
    ev.cause = res.walk.cause;
    ev.level = res.walk.level;
    ev.pwc_hit_level = pwc_level;
    ev.memory_reads = port.reads();
    ev.ad_updated = res.walk.ad_updated;
    ev.start_ps = start_ps;
    ev.end_ps = res.done_ps;
    ev.queued_ps = start_ps - req.now_ps;
    observer_->on_walk(ev);
  }
  return res;
}

void PageTableWalker::flush(const SfenceReq& req) {
  if (!cfg_.pwc_enabled) return;
  if (req.has_va && !cfg_.pwc_flush_on_va_fence) return;
  // Non-leaf entries: an ASID-scoped fence keeps globals; a VA-scoped one (when configured to) drops the
  // pointers on that VA's path.
  auto doomed = [&](const PwcEntry& e) {
    if (req.has_asid && (e.global || e.asid != req.asid)) return false;
    return !req.has_va || e.tag == pwc_tag(req.va, e.level);
  };
  for (auto* arr : {pwc_shared_.get(), pwc_l2_.get(), pwc_l1_.get()})
    if (arr) arr->invalidate_if(doomed);
}

void PageTableWalker::reset() {
  for (auto* arr : {pwc_shared_.get(), pwc_l2_.get(), pwc_l1_.get()})
    if (arr) arr->reset();
  busy_until_ps_ = 0;
}

}  // namespace sv39sim
