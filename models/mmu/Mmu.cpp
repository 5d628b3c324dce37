#include "models/mmu/Mmu.h"

#include <algorithm>

#include "models/mmu/PageTableWalker.h"

namespace sv39sim {

Mmu::Mmu(PhysicalMemory& mem) : mem_(mem) {
  itlb_ = std::make_unique<Tlb>(cfg_.itlb, nullptr, Unit::Itlb);
  dtlb_ = std::make_unique<Tlb>(cfg_.dtlb, nullptr, Unit::Dtlb);
  itlb_->set_drop_hook(&Mmu::tlb_dropped, &fetch_);
  dtlb_->set_drop_hook(&Mmu::tlb_dropped, &data_);
}

Mmu::~Mmu() = default;

void Mmu::configure(const MmuConfig& cfg, PageTableWalker* walker, EventBus* events,
                    uint64_t clock_period_ps) {
  close_fetch_window();  // its counts belong to the TLBs about to be replaced
  cfg_ = cfg;
  walker_ = walker;
  events_ = events;
  lookups_on_ = events && events->wants(EventKind::TlbLookup);
  translations_on_ = events && events->wants(EventKind::Translation);
  period_ps_ = clock_period_ps;
  itlb_ = std::make_unique<Tlb>(cfg_.itlb, events, Unit::Itlb);
  dtlb_ = std::make_unique<Tlb>(cfg_.dtlb, events, Unit::Dtlb);
  l2tlb_ = cfg_.l2tlb_enabled ? std::make_unique<Tlb>(cfg_.l2tlb, events, Unit::L2tlb) : nullptr;
  itlb_->set_drop_hook(&Mmu::tlb_dropped, &fetch_);
  dtlb_->set_drop_hook(&Mmu::tlb_dropped, &data_);
  set_context(priv_, mstatus_, satp_);
  invalidate_fast_paths();  // micro entries point into the TLBs just replaced
}

void Mmu::set_memory_hierarchy(MemoryHierarchy* h) {
  close_fetch_window();
  if (data_window_) close_data_window(*data_window_);  // its counts are the old caches'
  hierarchy_ = h;
  // Without the fast paths every access asks the hierarchy in full (no line replay).
  l1i_ = h && cfg_.fast_paths ? h->l1(Requester::Fetch) : nullptr;
  l1d_ = h && cfg_.fast_paths ? h->l1(Requester::Load) : nullptr;
  // The data window needs an L1D of its own (fetches must not move its lines) with lines from a window
  // slot's size to a page; without caches there is none.
  data_line_ = 0;
  if (h && l1d_ && l1d_ == h->l1d() && l1d_ != l1i_ && l1d_->line_bytes() <= 0x1000 &&
      l1d_->line_bytes() >= sizeof(DataWindow::Slot)) {
    data_line_ = l1d_->line_bytes();
    data_line_shift_ = static_cast<unsigned>(__builtin_ctzll(data_line_));
    const uint64_t slots = std::min<uint64_t>({l1d_->array().sets(), 0x1000 / data_line_, 64});
    data_slot_mask_ = (slots - 1) << data_line_shift_;
  }
  if (data_window_) data_window_->slot_mask = data_slot_mask_;
  fetch_lines_ = l1i_ && l1i_ == h->l1i() && l1i_->line_bytes() <= 0x1000;
  fetch_page_in_one_way_ = fetch_lines_ && l1i_->config().sets() * l1i_->line_bytes() >= 0x1000;
}

void Mmu::add_data_window_counts(DataWindow& w) {
  if (w.entry) {
    dtlb_->add_hits(Access::Load, w.entry->level, w.loads);
    dtlb_->add_hits(Access::Store, w.entry->level, w.stores);
  }
  if (hierarchy_) {
    *l1d_->hit_count(Requester::Load) += w.loads;
    *l1d_->hit_count(Requester::Store) += w.stores;
  }
  w.loads = w.stores = 0;
}

uint64_t Mmu::stall_cycles(uint64_t pa, bool write, Requester who, uint64_t now_ps) {
  return stall_inline(pa, write, who, now_ps);
}

void Mmu::reset() {
  pmp_ = Pmp();
  itlb_->reset();
  dtlb_->reset();
  if (l2tlb_) l2tlb_->reset();
  if (walker_) walker_->reset();
  set_context(Priv::M, 0, 0);
  invalidate_fast_paths();  // the TLB resets told nobody what they dropped
}

void Mmu::set_context(Priv priv, uint64_t mstatus, uint64_t satp) {
  priv_ = priv;
  mstatus_ = mstatus;
  satp_ = satp;
  asid_ = sv39::satp_asid(satp);
  const bool sv39_on = walker_ && sv39::satp_mode(satp) == sv39::kSatpModeSv39;
  const Priv mpp = static_cast<Priv>((mstatus & mstatus::kMpp) >> mstatus::kMppShift);
  fetch_.priv = priv;
  data_.priv = (priv == Priv::M && (mstatus & mstatus::kMprv)) ? mpp : priv;
  for (Side* s : {&fetch_, &data_}) {
    s->translate = sv39_on && s->priv != Priv::M;
    s->rights = {s->priv, (mstatus & mstatus::kSum) != 0, (mstatus & mstatus::kMxr) != 0};
  }
  close_fetch_window();  // its page's I-TLB hit may not be allowed in the new context
  update_side_flags();
  enter_context(fetch_);
  enter_context(data_);
}

void Mmu::update_side_flags() {
  for (Side* s : {&fetch_, &data_}) {
    s->pmp_bypass = s->priv == Priv::M && !pmp_.any_locked();
    s->identity = !s->translate && s->pmp_bypass && cfg_.fast_paths;
    s->direct = s->identity && !cfg_.trap_misaligned;
  }
  for (unsigned k = 0; k < 4; ++k) direct_limit_[k] = data_.direct ? ram_limit_[k] : 0;
}

// The side's micro entries made in this context, if it was entered lately and nothing has retired
// every context since, become live again; otherwise the context starts with a new generation.
void Mmu::enter_context(Side& s) {
  const uint64_t shared = uint64_t{s.translate} | uint64_t{static_cast<unsigned>(s.priv)} << 1 |
                          uint64_t{s.rights.sum} << 3 | uint64_t{s.rights.mxr} << 4 |
                          uint64_t{s.pmp_bypass} << 5;
  s.shared_generation = context_generation(s, shared);
  // Without translation no TLB is asked, so the ASID changes nothing.
  s.generation =
      s.translate ? context_generation(s, shared | 1u << 6 | uint64_t{asid_} << 8) : s.shared_generation;
}

uint64_t Mmu::context_generation(Side& s, uint64_t key) {
  for (const Side::Context& c : s.contexts)
    if (c.key == key) return c.generation;
  Side::Context& c = s.contexts[s.next_context];
  s.next_context = (s.next_context + 1) % Side::kContexts;
  c.key = key;
  c.generation = ++last_generation_;
  return c.generation;
}

void Mmu::invalidate_fast_paths() {
  close_fetch_window();
  update_side_flags();
  for (Side* s : {&fetch_, &data_}) {
    s->contexts = {};
    enter_context(*s);
  }
}

void Mmu::tlb_dropped(void* side, const TlbEntry* where, uint64_t vpn, unsigned level) {
  retire_micro(*static_cast<Side*>(side), where, vpn, level);
}

// A micro entry points at the L1 TLB entry that held its page when it was made, so only an entry of
// that page (of level 0: a single micro slot) or of a superpage over it can be the one dropped.
void Mmu::retire_micro(Side& s, const TlbEntry* where, uint64_t vpn, unsigned level) {
  if (level == 0) {
    MicroTlb& m = s.micro[vpn & (kMicroEntries - 1)];
    if (m.entry == where) m.vpage = ~0ull;
    return;
  }
  for (MicroTlb& m : s.micro)
    if (m.entry == where) m.vpage = ~0ull;
}

// A new L1 entry may be what a lookup finds for pages whose micro entries point at another entry (a
// smaller page size wins, then the lowest way): those pages are looked up afresh.
void Mmu::retire_shadowed(Side& s, const TlbEntry& filled) {
  if (filled.level == 0) {
    MicroTlb& m = s.micro[filled.vpn & (kMicroEntries - 1)];
    if (m.vpage == filled.vpn) m.vpage = ~0ull;
    return;
  }
  for (MicroTlb& m : s.micro)
    if (filled.covers(m.vpage)) m.vpage = ~0ull;
}

void Mmu::satp_written() {
  // Hardware without ASIDs must forget every translation when the address space changes.
  if (cfg_.flush_on_satp_write) flush(SfenceReq(), FlushKind::SatpWrite);
}

void Mmu::sfence(const SfenceReq& req) {
  flush(req, flush_kind(req));
}

// The fence event comes first, then one invalidation event per entry it removes.
void Mmu::flush(const SfenceReq& req, FlushKind kind) {
  const uint64_t now = now_ps();
  if (events_ && events_->wants(EventKind::Sfence)) {
    Event e;
    e.kind = EventKind::Sfence;
    e.unit = Unit::Hart;
    e.time_ps = now;
    e.va = req.va;
    e.asid = req.asid;
    e.aux = (req.has_va ? 1u : 0u) | (req.has_asid ? 2u : 0u) | (kind == FlushKind::SatpWrite ? 4u : 0u);
    events_->publish(e);
  }
  itlb_->flush(req, kind, now);
  dtlb_->flush(req, kind, now);
  if (l2tlb_) l2tlb_->flush(req, kind, now);
  // An SFENCE.VMA whose rs1 is not a valid virtual address has no effect at all (privileged spec): a rule
  // of the instruction, so it is decided here; the TLBs find nothing it covers, but the page-walk cache's
  // tags would alias it. (The walker itself, like the RTL walker, flushes whatever VPN it is given.)
  if (walker_ && (!req.has_va || sv39::canonical(req.va))) walker_->flush(req, now);
  // The TLBs told the micro-TLB which entries went (their drop hooks); PMP verdicts need no fence here,
  // as a PMP write retires every micro entry at once. The I-TLB's last entry is gone, so is the window.
  close_fetch_window();
}

bool Mmu::translate_full(uint64_t va, unsigned len, Access a, uint64_t* pa) {
  Side& s = a == Access::Fetch ? fetch_ : data_;
  MicroTlb& m = s.micro[(va >> 12) & (kMicroEntries - 1)];
  if (m.vpage == va >> 12 && m.shared_generation == s.shared_generation && m.generation != s.generation) {
    m.set_generation(s.generation);  // a global page made under another ASID: the same in this one
    return translate(va, len, a, pa);
  }
  if (!s.translate) {
    *pa = va;  // Bare: no TLB, nothing to publish
  } else if (!translate_hit(s, va, a, pa) && !translate_page(s, va, a, pa)) {
    return false;
  }
  if (!pmp_ok(s, *pa, len, a)) return fail(sv39::access_fault_cause(a), va);
  refresh_micro(s, va, *pa, a);
  return true;
}

// An L1 TLB miss: the L2 TLB, then a walk. An L1 entry whose cached bits do not allow the access counts as
// a miss too (and as `denied`): it is dropped and the access resolved like any other miss, so the PTE in
// memory decides (and gets A/D set if needed). Every walk is thus caused by exactly one counted miss of the
// last TLB level: walks = L2 TLB misses, or I-TLB + D-TLB misses without an L2 TLB.
bool Mmu::translate_page(Side& s, uint64_t va, Access a, uint64_t* pa) {
  Tlb& l1 = a == Access::Fetch ? *itlb_ : *dtlb_;
  close_fetch_window();
  const uint64_t lookup_ps = now_ps();
  if (l1_denied_) {
    l1.count_denied(a);
    l1.invalidate(va, asid_, lookup_ps);
  }
  uint64_t stall_cycles = l1.config().latency;  // the L1 lookup that found nothing usable
  if (l2tlb_) {
    const uint64_t l2_ps = lookup_ps + stall_cycles * period_ps_;
    stall_cycles += l2tlb_->config().latency;
    const TlbEntry* e = l2tlb_->lookup(va, asid_);
    if (e && sv39::permits(e->pte, a, s.rights) && !sv39::needs_ad(e->pte, a)) {
      const TlbEntry hit = *e;
      l2tlb_->count_hit(a, hit.level);
      if (lookups_on_) l2tlb_->publish_lookup(a, va, asid_, LookupOutcome::Hit, e, l2_ps);
      l1.count_miss(a, hit.level);
      stall(stall_cycles);
      l1.fill(hit, va, now_ps());
      retire_shadowed(s, *l1.last());
      const uint64_t mask = sv39::page_size(hit.level) - 1;
      *pa = ((hit.ppn << sv39::kPageShift) & ~mask) | (va & mask);
      if (translations_on_) publish(va, a, *pa, hit.level, TranslationSource::L2Tlb);
      return true;
    }
    if (lookups_on_)
      l2tlb_->publish_lookup(a, va, asid_, e ? LookupOutcome::Denied : LookupOutcome::Miss, e, l2_ps);
    if (e) {
      l2tlb_->count_denied(a);
      l2tlb_->invalidate(va, asid_, l2_ps);
    }
  }

  PageTableWalker::Request req;
  req.va = va;
  req.access = a;
  req.rights = s.rights;
  req.satp = satp_;
  req.hardware_ad = cfg_.hardware_ad;
  req.now_ps = now_ps() + stall_cycles * period_ps_;
  const PageTableWalker::Result res = walker_->walk(req);
  stall(stall_cycles + cycles_covering(res.done_ps - req.now_ps, period_ps_));

  const sv39::WalkResult& w = res.walk;
  const int level = w.ok ? static_cast<int>(w.level) : -1;
  l1.count_miss(a, level);
  if (l2tlb_) l2tlb_->count_miss(a, level);
  if (!w.ok) {
    if (translations_on_) publish(va, a, 0, 0, TranslationSource::Walk, true, w.cause);
    return fail(w.cause, va);
  }
  TlbEntry e;
  e.level = static_cast<uint8_t>(w.level);
  const uint64_t frame_mask = (1ull << (sv39::kVpnBits * w.level)) - 1;
  e.vpn = (va >> sv39::kPageShift) & ~frame_mask;
  e.ppn = sv39::ppn(w.pte) & ~frame_mask;
  e.asid = asid_;
  e.pte = static_cast<uint8_t>(w.pte);
  e.global = w.global;
  e.page_level = e.level;
  if (l2tlb_) l2tlb_->fill(e, va, now_ps());
  l1.fill(e, va, now_ps());
  retire_shadowed(s, *l1.last());
  *pa = w.paddr;
  if (translations_on_) publish(va, a, *pa, w.level, TranslationSource::Walk);
  return true;
}

void Mmu::refresh_micro(const Side& cs, uint64_t va, uint64_t pa, Access a) {
  Side& s = a == Access::Fetch ? fetch_ : data_;
  MicroTlb& m = s.micro[(va >> 12) & (kMicroEntries - 1)];
  m = MicroTlb();
  if (!cfg_.fast_paths) return;
  // A micro-TLB hit replays a lookup without publishing it: not while someone wants lookups (Bare-mode
  // entries involve no TLB and publish nothing either way).
  if ((lookups_on_ || translations_on_) && cs.translate) return;
  int pmp = Pmp::kR | Pmp::kW | Pmp::kX;
  if (!cs.pmp_bypass) pmp = pmp_.page_permissions(pa & ~0xfffull, cs.priv);
  if (pmp < 0) return;
  const TlbEntry* e = nullptr;
  if (cs.translate) {
    e = (a == Access::Fetch ? *itlb_ : *dtlb_).last();
    if (!e || !e->covers(va >> sv39::kPageShift)) return;
  }
  uint8_t ok = 0;
  for (Access k : {Access::Fetch, Access::Load, Access::Store}) {
    if ((k == Access::Fetch) != (a == Access::Fetch)) continue;  // each side serves its own kinds
    if (!(pmp & Pmp::needed(k))) continue;
    if (e && (!sv39::permits(e->pte, k, cs.rights) || sv39::needs_ad(e->pte, k))) continue;
    ok |= 1u << static_cast<unsigned>(k);
  }
  const uint64_t page = pa & ~0xfffull;
  if (page >= ram_.base && page - ram_.base < ram_.size && ram_.size - (page - ram_.base) >= 0x1000) {
    m.host = ram_.host + (page - ram_.base);
    if (ok & (1u << static_cast<unsigned>(Access::Load))) ok |= kRamLoad;
    // Stores the platform must see (tohost) or that must drop decoded code take the full path.
    const bool watched = page + 0x1000 > watch_lo_ && page < watch_lo_ + watch_len_;
    if ((ok & (1u << static_cast<unsigned>(Access::Store))) && !watched && !ram_.code->has_code(page))
      ok |= kRamStore;
  }
  m.vpage = va >> 12;
  m.pbase = page;
  // A global entry that is the only one covering its page is what every ASID's lookup finds (until the
  // TLB changes, which retires the micro entry if it matters).
  const bool shared =
      e && e->global && (a == Access::Fetch ? *itlb_ : *dtlb_).sole_cover(e, va >> sv39::kPageShift);
  m.shared_generation = shared ? s.shared_generation : 0;
  m.entry = e;
  m.ok = ok;
  m.set_generation(s.generation);
}

void Mmu::open_fetch_window(uint64_t va, uint64_t pa) {
  // The line replay needs an L1I of its own (a fetch served first by the shared L2 changes what loads see)
  // that the fetch just touched.
  if (!fetch_lines_ || !l1i_->is_last_line(pa)) return;
  uint64_t* tlb_hits = &bare_hits_;
  if (!fetch_.identity) {
    const MicroTlb* m = micro_hit(fetch_, va, Access::Fetch);
    if (!m) return;
    if (m->entry) {
      if (itlb_->last() != m->entry) return;
      tlb_hits = itlb_->hit_count(Access::Fetch, m->entry->level);
    }
  }
  settle_fetch_window();
  open_window_at(va, pa, tlb_hits);
}

void Mmu::open_window_at(uint64_t va, uint64_t pa, uint64_t* tlb_hits) {
  const unsigned line = l1i_->line_bytes();
  FetchWindow& w = fetch_window_;
  w.lo = va & ~uint64_t{line - 1};
  w.pa_lo = pa & ~uint64_t{line - 1};
  w.tlb_hits = tlb_hits;
  w.cache_hits = l1i_->hit_count(Requester::Fetch);
  w.len = line;
  w.line_shift = static_cast<unsigned>(__builtin_ctz(line));
  w.place_bit = 0x1000 / line <= 64 ? 1 : 0;
  w.widest = l1i_->config().sets() * line;
  w.placed = 0;
  place_fetch_line(va);
}

void Mmu::update_fetch_lines() {
  FetchWindow& w = fetch_window_;
  uint64_t order[64];  // last hit x 64 + line: oldest first once sorted
  unsigned n = 0;
  for (uint64_t bits = w.placed; bits; bits &= bits - 1) {
    const auto k = static_cast<unsigned>(__builtin_ctzll(bits));
    if (w.last_hop[k]) order[n++] = w.last_hop[k] << 6 | k;
    w.last_hop[k] = 0;
  }
  // Lines in sets of their own take their updates in any order; otherwise in the order of their hits.
  if (!fetch_page_in_one_way_) std::sort(order, order + n);
  const uint64_t first_line = (w.pa_lo & ~0xfffull) >> w.line_shift;
  for (unsigned i = 0; i < n; ++i) {
    const unsigned k = order[i] & 63;
    l1i_->touch_placed({first_line + k, w.index[k]});
  }
  w.hop_clock = 0;
}

// An access that crosses a page boundary with translation on: two translations, both checked before
// any byte moves, so a fault on the second page leaves memory untouched. tval names the faulting part.
bool Mmu::split_access(uint64_t va, void* data, unsigned len, Access a) {
  const unsigned first = 0x1000 - static_cast<unsigned>(va & 0xfff);
  const uint64_t va2 = va + first;
  uint64_t pa1, pa2;
  if (!translate(va, first, a, &pa1) || !translate(va2, len - first, a, &pa2)) return false;
  auto* bytes = static_cast<uint8_t*>(data);
  return slow_access(va, pa1, bytes, first, a) && slow_access(va2, pa2, bytes + first, len - first, a);
}

bool Mmu::slow_access(uint64_t va, uint64_t pa, void* data, unsigned len, Access a) {
  const uint64_t off = pa - ram_.base;
  const bool ram = off < ram_.size && ram_.size - off >= len;
  if (a == Access::Load) {
    if (ram) {
      time_access(pa, false, Requester::Load, l1d_);
      std::memcpy(data, ram_.host + off, len);
      return true;
    }
    return phys_read(pa, data, len, cause::kLoadAccess, va);
  }
  if (ram && pa - watch_lo_ >= watch_len_) {
    time_access(pa, true, Requester::Store, l1d_);
    std::memcpy(ram_.host + off, data, len);
    ram_.code->written(pa, len);
    return true;
  }
  return phys_write(pa, data, len, cause::kStoreAccess, va);
}

bool Mmu::phys_read(uint64_t pa, void* data, unsigned len, uint64_t access_fault, uint64_t va) {
  if (mem_.read(pa, data, len)) return true;
  return fail(access_fault, va);
}

bool Mmu::phys_write(uint64_t pa, const void* data, unsigned len, uint64_t access_fault, uint64_t va) {
  if (mem_.write(pa, data, len)) return true;
  return fail(access_fault, va);
}

void Mmu::publish(uint64_t va, Access a, uint64_t pa, unsigned level, TranslationSource src, bool fault,
                  uint64_t cause) {
  Event e;
  e.kind = EventKind::Translation;
  e.unit = Unit::Hart;
  e.time_ps = now_ps();
  e.va = va;
  e.access = static_cast<uint8_t>(a);
  const Side& s = a == Access::Fetch ? fetch_ : data_;
  e.priv = static_cast<uint8_t>(s.priv);
  e.set = (s.rights.sum ? 1u : 0u) | (s.rights.mxr ? 2u : 0u);
  e.asid = asid_;
  e.outcome = static_cast<uint8_t>(src);
  e.pa = pa;
  e.level = static_cast<uint8_t>(level);
  e.data = fault ? 1 : 0;
  e.aux = cause;
  events_->publish(e);
}

}  // namespace sv39sim
