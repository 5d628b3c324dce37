// hw/tlb/sv39_tlb.sv against the model's Tlb (models/mmu/Tlb.h), transaction by transaction: both get the
// same random lookups, fills, denied invalidations and fences, and every answer is compared — lookups
// (found, hit/denied, set, way, level, the whole entry, through the model's TlbLookup event), fills (set,
// way, victim) and the exact, ordered list of dropped entries (set, way, reason, va, asid, level).
//
// One verilated model per geometry (parameters are fixed at verilation); each registers itself (see
// tests.cmake, which generates the registration) and tlb_check_main.cpp runs the one named on the command
// line.
#pragma once

#include <algorithm>
#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "models/mmu/Sv39.h"
#include "models/mmu/Tlb.h"
#include "models/sim/EventBus.h"
#include "verilated.h"

namespace sv39rtl {

// The RTL's parameters (sv39_pkg: ReplLru 0 / ReplPlru 1 / ReplFifo 2; SpMain 0 / SpSeparate 1 /
// SpSplinter 2).
struct Geometry {
  const char* name;
  unsigned sets, ways, policy, superpages, sp_entries;
};

struct Options {
  uint64_t seed = 1;
  uint64_t ops = 200000;
  bool verbose = false;
};

using RunFn = int (*)(const Geometry&, const Options&);
struct Variant {
  Geometry geometry;
  RunFn run;
};
std::vector<Variant>& variants();
struct Register {
  Register(const Geometry& g, RunFn f) { variants().push_back({g, f}); }
};

// --- packed SystemVerilog values in Verilator's 32-bit words -------------------------------------------

inline uint64_t get_bits(const uint32_t* w, unsigned lsb, unsigned width) {
  uint64_t v = 0;
  for (unsigned i = 0; i < width; ++i) {
    const unsigned b = lsb + i;
    v |= uint64_t{(w[b / 32] >> (b % 32)) & 1u} << i;
  }
  return v;
}
inline void set_bits(uint32_t* w, unsigned lsb, unsigned width, uint64_t v) {
  for (unsigned i = 0; i < width; ++i) {
    const unsigned b = lsb + i;
    w[b / 32] = (w[b / 32] & ~(1u << (b % 32))) | (static_cast<uint32_t>((v >> i) & 1u) << (b % 32));
  }
}

// sv39_pkg::tlb_entry_t, first member at the top: vpn[99:73] ppn[72:29] asid[28:13] level[12:11]
// page_level[10:9] pte[8:1] global[0].
constexpr unsigned kEntryBits = 100;
struct RtlEntry {
  uint64_t vpn = 0, ppn = 0;
  unsigned asid = 0, level = 0, page_level = 0, pte = 0;
  bool global = false;
};
inline RtlEntry unpack_entry(const uint32_t* w, unsigned base = 0) {
  RtlEntry e;
  e.global = get_bits(w, base + 0, 1);
  e.pte = static_cast<unsigned>(get_bits(w, base + 1, 8));
  e.page_level = static_cast<unsigned>(get_bits(w, base + 9, 2));
  e.level = static_cast<unsigned>(get_bits(w, base + 11, 2));
  e.asid = static_cast<unsigned>(get_bits(w, base + 13, 16));
  e.ppn = get_bits(w, base + 29, 44);
  e.vpn = get_bits(w, base + 73, 27);
  return e;
}
inline void pack_entry(uint32_t* w, const sv39sim::TlbEntry& e) {
  set_bits(w, 0, 1, e.global);
  set_bits(w, 1, 8, e.pte);
  set_bits(w, 9, 2, e.page_level);
  set_bits(w, 11, 2, e.level);
  set_bits(w, 13, 16, e.asid);
  set_bits(w, 29, 44, e.ppn);
  set_bits(w, 73, 27, e.vpn);  // the model's 52-bit VPN is the sign extension of these 27 bits
}
// sv39_pkg::fence_t: has_va[47] vpn[46:20] has_asid[19] asid[18:3] reason[2:0].
inline uint64_t pack_fence(const sv39sim::SfenceReq& r, unsigned reason) {
  return uint64_t{r.has_va} << 47 | ((r.va >> 12) & ((1ull << 27) - 1)) << 20 | uint64_t{r.has_asid} << 19 |
         uint64_t{r.asid} << 3 | reason;
}
// A 27-bit VPN as the model's va (vpn << 12, sign-extended from VA bit 38).
inline uint64_t vpn_va(uint64_t vpn27) {
  return static_cast<uint64_t>(static_cast<int64_t>(vpn27 << 37) >> 25);
}
inline uint64_t sext39(uint64_t va) {
  return static_cast<uint64_t>(static_cast<int64_t>(va << 25) >> 25);
}

// One dropped entry, as the model's TlbInvalidate event has it.
struct Drop {
  uint32_t set, way;
  unsigned reason, level, asid;
  uint64_t va;
  bool operator==(const Drop& o) const {
    return set == o.set && way == o.way && reason == o.reason && level == o.level && asid == o.asid &&
           va == o.va;
  }
};

struct Collector : sv39sim::EventSink {
  std::vector<sv39sim::Event> events;
  void on_event(const sv39sim::Event& e) override { events.push_back(e); }
};

std::string describe(const Drop& d);
std::string describe(const sv39sim::TlbEntry& e);
std::string describe(const RtlEntry& e);

// ---------------------------------------------------------------------------------------------------

template <class V>
class Harness {
 public:
  Harness(const Geometry& g, const Options& o)
      : g_(g), opt_(o), rng_(o.seed), tlb_(config(g), &bus_, sv39sim::Unit::Dtlb) {
    bus_.subscribe_counter(&sink_, {sv39sim::EventKind::TlbLookup, sv39sim::EventKind::TlbFill,
                                    sv39sim::EventKind::TlbInvalidate});
    ctx_.fatalOnError(true);
    const size_t capacity = size_t{g.sets} * g.ways + (g.superpages == 1 ? g.sp_entries : 0);
    recent_max_ = std::min<size_t>(std::max<size_t>(2 * capacity, 8), 256);
    top_ = std::make_unique<V>(&ctx_);
    reset();
  }

  int run() {
    for (op_ = 0; op_ < opt_.ops; ++op_) {
      sink_.events.clear();
      const unsigned r = uniform(1000);
      bool ok;
      if (r < 700)
        ok = lookup();
      else if (r < 900)
        ok = fill();
      else if (r < 975)
        ok = invalidate(pick_va() ^ (chance(20) ? 1ull << (39 + uniform(25)) : 0), pick_asid());
      else if (r < 999)
        ok = fence();
      else
        ok = do_reset();
      if (!ok) {
        std::printf("FAIL %s seed %" PRIu64 " at op %" PRIu64 "\n", g_.name, opt_.seed, op_);
        return 1;
      }
    }
    std::printf("PASS %s: %" PRIu64 " ops (seed %" PRIu64 "): %" PRIu64 " lookups (%" PRIu64 " hits, %" PRIu64
                " denied, %" PRIu64 " misses, %" PRIu64 " separate-array), %" PRIu64 " fills (%" PRIu64
                " evictions, %" PRIu64 " splintered), %" PRIu64 " denied invalidations, %" PRIu64
                " fences, %" PRIu64 " resets; %" PRIu64 " entries dropped (%" PRIu64 " by refills), %" PRIu64
                " cycles\n",
                g_.name, opt_.ops, opt_.seed, n_lookup_, n_hit_, n_denied_, n_miss_, n_super_, n_fill_,
                n_evict_, n_splinter_, n_inval_, n_fence_, n_reset_, n_drops_, n_refill_drops_, cycles_);
    return 0;
  }

 private:
  static sv39sim::TlbConfig config(const Geometry& g) {
    sv39sim::TlbConfig c;
    c.name = g.name;
    c.sets = g.sets;
    c.ways = g.ways;
    c.policy = g.policy == 0   ? sv39sim::ReplacementPolicy::Lru
               : g.policy == 1 ? sv39sim::ReplacementPolicy::TreePlru
                               : sv39sim::ReplacementPolicy::Fifo;
    c.superpages = g.superpages == 0   ? sv39sim::SuperpageMode::Main
                   : g.superpages == 1 ? sv39sim::SuperpageMode::Separate
                                       : sv39sim::SuperpageMode::Splinter;
    c.superpage_entries = g.sp_entries;
    return c;
  }

  // --- random stimulus -----------------------------------------------------------------------------

  unsigned uniform(unsigned n) { return static_cast<unsigned>(rng_() % n); }
  bool chance(unsigned per_mille) { return uniform(1000) < per_mille; }

  // VPN fields from small pools, so pages collide in sets, share 2 MiB and 1 GiB regions, and use both
  // halves of the address space.
  uint64_t random_va() {
    static const uint64_t kVpn2[] = {0, 1, 2, 0x1ff, 0x100, 0x0ff, 0x1fe};
    const uint64_t v2 = chance(900) ? kVpn2[uniform(7)] : uniform(512);
    const uint64_t v1 = chance(700) ? uniform(8) : uniform(512);
    const uint64_t v0 = chance(700) ? uniform(32) : uniform(512);
    return sext39(v2 << 30 | v1 << 21 | v0 << 12 | uniform(4096));
  }
  struct Page {
    uint64_t va;
    uint16_t asid;
    unsigned level;
    uint8_t pte;
  };
  // The pages filled last: about twice what the TLB holds, so lookups find many of them.
  void remember(const Page& p) {
    if (recent_.size() < recent_max_)
      recent_.push_back(p);
    else
      recent_[recent_next_++ % recent_max_] = p;
  }
  const Page* recent_page() {
    return recent_.empty() ? nullptr : &recent_[uniform(static_cast<unsigned>(recent_.size()))];
  }
  // A VA in a page filled recently (any frame of it for a superpage) and its ASID, or fresh ones.
  uint64_t pick_va(uint16_t* asid = nullptr, const Page** page = nullptr) {
    const Page* p = recent_page();
    if (page) *page = nullptr;
    if (p && chance(800)) {
      if (page) *page = p;
      if (asid) *asid = chance(800) ? p->asid : pick_asid();
      const uint64_t size = sv39sim::sv39::page_size(p->level);
      return sext39((p->va & ~(size - 1)) | (rng_() & (size - 1)));
    }
    if (asid) *asid = pick_asid();
    return random_va();
  }
  uint16_t pick_asid() {
    const Page* p = recent_page();
    if (p && chance(500)) return p->asid;
    return chance(950) ? static_cast<uint16_t>(uniform(4)) : static_cast<uint16_t>(rng_());
  }
  // Leaf PTE bits, V always; biased towards usable leaves (R, A and D mostly set).
  uint8_t random_pte() {
    namespace pte = sv39sim::sv39::pte;
    uint64_t b = pte::kV;
    if (chance(800)) b |= pte::kR;
    if (chance(500)) b |= pte::kW;
    if (chance(400)) b |= pte::kX;
    if (chance(500)) b |= pte::kU;
    if (chance(200)) b |= pte::kG;
    if (chance(850)) b |= pte::kA;
    if (chance(600)) b |= pte::kD;
    if (chance(50)) b = rng_() | pte::kV;  // anything at all
    return static_cast<uint8_t>(b);
  }

  // --- the clock -------------------------------------------------------------------------------------

  void idle_inputs() {
    top_->lookup_i = 0;
    top_->fill_i = 0;
    top_->inval_i = 0;
    top_->fence_i = 0;
  }
  void tick() {
    top_->clk_i = 1;
    top_->eval();
    top_->clk_i = 0;
    idle_inputs();
    top_->eval();
    ++cycles_;
  }
  void reset() {
    // An asynchronous reset needs a falling edge of rst_ni; before the very first one the flops hold
    // whatever Verilator starts them with, which the assertions must not judge.
    ctx_.assertOn(false);
    idle_inputs();
    top_->clk_i = 0;
    top_->rst_ni = 1;
    top_->eval();
    top_->rst_ni = 0;
    top_->eval();
    ctx_.assertOn(true);
    top_->rst_ni = 1;
    top_->eval();
  }

  // The entries the RTL drops in the current cycle.
  void collect_drops(std::vector<Drop>* out) {
    if (!top_->inv_o) return;
    const uint64_t ways = static_cast<uint64_t>(top_->inv_ways_o);
    const uint32_t* ent = top_->inv_entries_o.data();
    for (unsigned w = 0; w < 64; ++w) {
      if (!((ways >> w) & 1)) continue;
      const RtlEntry e = unpack_entry(ent, w * kEntryBits);
      out->push_back(Drop{top_->inv_set_o, w + (top_->inv_super_o ? g_.ways : 0u), top_->inv_reason_o,
                          e.level, e.asid, vpn_va(e.vpn)});
    }
  }
  // The model's drops among the events published since `from`.
  std::vector<Drop> model_drops(size_t from) const {
    std::vector<Drop> d;
    for (size_t i = from; i < sink_.events.size(); ++i) {
      const sv39sim::Event& e = sink_.events[i];
      if (e.kind != sv39sim::EventKind::TlbInvalidate) continue;
      d.push_back(Drop{e.set, e.way, e.outcome, e.level, e.asid, e.va});
    }
    return d;
  }
  bool same_drops(const char* what, const std::vector<Drop>& rtl, const std::vector<Drop>& model) {
    n_drops_ += model.size();
    if (rtl == model) return true;
    std::printf("%s: dropped entries differ\n  model (%zu):\n", what, model.size());
    for (const Drop& d : model) std::printf("    %s\n", describe(d).c_str());
    std::printf("  rtl (%zu):\n", rtl.size());
    for (const Drop& d : rtl) std::printf("    %s\n", describe(d).c_str());
    return false;
  }

  // --- operations --------------------------------------------------------------------------------------

  bool lookup() {
    uint16_t asid;
    const Page* page;
    uint64_t va = pick_va(&asid, &page);
    if (chance(20)) va ^= 1ull << (39 + uniform(25));  // non-canonical: never matches
    auto a = static_cast<sv39sim::Access>(uniform(3));
    sv39sim::sv39::AccessRights rights;
    const unsigned p = uniform(20);
    rights.priv = p < 10 ? sv39sim::Priv::S : p < 19 ? sv39sim::Priv::U : sv39sim::Priv::M;
    if (page && chance(600)) {
      // An access the page was probably made for (the entry may since have been replaced).
      namespace pte = sv39sim::sv39::pte;
      rights.priv = (page->pte & pte::kU) ? sv39sim::Priv::U : sv39sim::Priv::S;
      a = (page->pte & pte::kW) && chance(400)   ? sv39sim::Access::Store
          : (page->pte & pte::kX) && chance(300) ? sv39sim::Access::Fetch
                                                 : sv39sim::Access::Load;
    }
    rights.sum = chance(500);
    rights.mxr = chance(500);

    top_->lookup_i = 1;
    top_->lookup_va_i = va;
    top_->lookup_asid_i = asid;
    top_->lookup_access_i = static_cast<uint8_t>(a);
    top_->lookup_priv_i = static_cast<uint8_t>(rights.priv);
    top_->lookup_sum_i = rights.sum;
    top_->lookup_mxr_i = rights.mxr;
    top_->eval();

    const size_t from = sink_.events.size();
    const sv39sim::TlbEntry* e = tlb_.lookup(va, asid);
    const bool hit = e && sv39sim::sv39::permits(e->pte, a, rights) && !sv39sim::sv39::needs_ad(e->pte, a);
    const auto outcome = !e    ? sv39sim::LookupOutcome::Miss
                         : hit ? sv39sim::LookupOutcome::Hit
                               : sv39sim::LookupOutcome::Denied;
    tlb_.publish_lookup(a, va, asid, outcome, e, 0);
    const sv39sim::Event& ev = sink_.events.at(from);
    ++n_lookup_;
    n_hit_ += hit;
    n_denied_ += e && !hit;
    n_miss_ += !e;
    n_super_ += e && e->in_super;

    const RtlEntry re = unpack_entry(top_->lookup_entry_o.data());
    bool ok = bool(top_->lookup_found_o) == (e != nullptr) && bool(top_->lookup_hit_o) == hit;
    if (ok && e) {
      ok = top_->lookup_set_o == ev.set && top_->lookup_way_o == ev.way && re.level == ev.level &&
           same_entry(re, *e);
    }
    if (!ok) {
      std::printf("lookup va %#" PRIx64 " asid %u access %u priv %u sum %d mxr %d\n", va, asid,
                  static_cast<unsigned>(a), static_cast<unsigned>(rights.priv), rights.sum, rights.mxr);
      std::printf("  model: outcome %u set %u way %u level %u %s\n", ev.outcome, ev.set, ev.way, ev.level,
                  e ? describe(*e).c_str() : "-");
      std::printf("  rtl:   found %d hit %d set %u way %u %s\n", top_->lookup_found_o, top_->lookup_hit_o,
                  top_->lookup_set_o, top_->lookup_way_o, describe(re).c_str());
      return false;
    }
    tick();
    // As the MMU does (Mmu::translate_page): an entry whose cached bits do not allow the access is
    // dropped, and a miss is usually followed by the walk's fill.
    if (e && !hit && chance(700) && !invalidate(va, asid)) return false;
    if (!hit && sv39sim::sv39::canonical(va) && chance(600)) return fill(&va, asid);
    return true;
  }

  // A fill for (va, asid) after a miss, or of a random page.
  bool fill(const uint64_t* miss_va = nullptr, uint16_t miss_asid = 0) {
    sv39sim::TlbEntry e;
    uint64_t va;
    const Page* again = recent_page();
    if (miss_va) {
      va = *miss_va;
      e.asid = miss_asid;
      const unsigned l = uniform(100);
      e.level = l < 60 ? 0 : l < 85 ? 1 : 2;
    } else if (again && chance(200)) {
      // The same page again (e.g. after an A/D update): the older copy must go.
      va = again->va;
      e.asid = again->asid;
      e.level = static_cast<uint8_t>(again->level);
    } else {
      va = random_va();
      const unsigned l = uniform(100);
      e.level = l < 60 ? 0 : l < 85 ? 1 : 2;
      e.asid = pick_asid();
    }
    const uint64_t frame_mask = (1ull << (9 * e.level)) - 1;
    const bool aligned = chance(900);  // what the MMU gives; the model keeps any low bits as they are
    e.vpn = (va >> 12) & (aligned ? ~frame_mask : ~0ull);
    e.ppn = (rng_() & ((1ull << 44) - 1)) & (aligned ? ~frame_mask : ~0ull);
    e.pte = random_pte();
    e.global = chance(150);
    e.page_level = chance(850) ? e.level : static_cast<uint8_t>(uniform(3));
    remember(Page{va, e.asid, e.level, e.pte});

    top_->fill_i = 1;
    pack_entry(top_->fill_entry_i.data(), e);
    top_->fill_va_i = va;
    top_->eval();
    std::vector<Drop> rtl;
    collect_drops(&rtl);

    const size_t from = sink_.events.size();
    tlb_.fill(e, va, 0);
    const sv39sim::Event& ev = sink_.events.back();
    const bool evicted = ev.outcome == static_cast<uint8_t>(sv39sim::FillReason::Replaced);
    ++n_fill_;
    n_evict_ += evicted;
    n_splinter_ += g_.superpages == 2 && e.level > 0;
    const std::vector<Drop> model = model_drops(from);
    n_refill_drops_ += model.size();
    if (!same_drops("fill", rtl, model)) return false;

    const RtlEntry victim = unpack_entry(top_->fill_victim_o.data());
    bool ok = top_->fill_set_o == ev.set && top_->fill_way_o == ev.way && bool(top_->fill_evict_o) == evicted;
    if (ok && evicted) ok = vpn_va(victim.vpn) == ev.victim_va && victim.asid == ev.victim_asid;
    if (!ok) {
      std::printf("fill va %#" PRIx64 " %s\n", va, describe(e).c_str());
      std::printf("  model: set %u way %u evicted %d victim va %#" PRIx64 " asid %u\n", ev.set, ev.way,
                  evicted, ev.victim_va, ev.victim_asid);
      std::printf("  rtl:   set %u way %u evicted %d victim %s\n", top_->fill_set_o, top_->fill_way_o,
                  top_->fill_evict_o, describe(victim).c_str());
      return false;
    }
    tick();
    return true;
  }

  // Runs a sweep the RTL has just been asked for, collecting what it drops.
  bool sweep(std::vector<Drop>* rtl) {
    tick();  // the request cycle
    const uint64_t limit = g_.sets + 4;
    uint64_t n = 0;
    while (top_->busy_o) {
      if (++n > limit) {
        std::printf("sweep still busy after %" PRIu64 " cycles\n", limit);
        return false;
      }
      top_->eval();
      collect_drops(rtl);
      tick();
    }
    return true;
  }

  bool invalidate(uint64_t va, uint16_t asid) {
    top_->inval_i = 1;
    top_->inval_va_i = va;
    top_->inval_asid_i = asid;
    std::vector<Drop> rtl;
    if (!sweep(&rtl)) return false;
    const size_t from = sink_.events.size();
    tlb_.invalidate(va, asid, 0);
    ++n_inval_;
    if (!same_drops("invalidate", rtl, model_drops(from))) {
      std::printf("  invalidate va %#" PRIx64 " asid %u\n", va, asid);
      return false;
    }
    return true;
  }

  bool fence() {
    sv39sim::SfenceReq req;
    const unsigned k = uniform(100);
    sv39sim::FlushKind kind;
    if (k < 5) {
      kind = sv39sim::FlushKind::SatpWrite;
    } else {
      // VA-scoped fences mostly: they keep the TLB populated. The VA is always canonical: fence_t carries
      // only VA[38:12] (see the report on non-canonical SFENCE.VMA operands).
      req.has_va = k >= 25;
      req.has_asid = (k >= 5 && k < 15) || k >= 60;
      if (req.has_va) req.va = pick_va();
      if (req.has_asid) req.asid = pick_asid();
      kind = sv39sim::flush_kind(req);
    }
    top_->fence_i = 1;
    top_->fence_req_i = pack_fence(req, static_cast<unsigned>(kind));
    std::vector<Drop> rtl;
    if (!sweep(&rtl)) return false;
    const size_t from = sink_.events.size();
    tlb_.flush(req, kind, 0);
    ++n_fence_;
    if (!same_drops("fence", rtl, model_drops(from))) {
      std::printf("  fence kind %u va %#" PRIx64 " (has %d) asid %u (has %d)\n", static_cast<unsigned>(kind),
                  req.va, req.has_va, req.asid, req.has_asid);
      return false;
    }
    return true;
  }

  bool do_reset() {
    tlb_.reset();
    reset();
    ++n_reset_;
    return true;
  }

  static bool same_entry(const RtlEntry& r, const sv39sim::TlbEntry& m) {
    return vpn_va(r.vpn) == m.vpn << 12 && r.ppn == m.ppn && r.asid == m.asid && r.level == m.level &&
           r.page_level == m.page_level && r.pte == m.pte && r.global == m.global;
  }

  Geometry g_;
  Options opt_;
  std::mt19937_64 rng_;
  sv39sim::EventBus bus_;
  Collector sink_;
  sv39sim::Tlb tlb_;
  VerilatedContext ctx_;
  std::unique_ptr<V> top_;
  std::vector<Page> recent_;
  size_t recent_max_ = 0, recent_next_ = 0;
  uint64_t op_ = 0, cycles_ = 0;
  uint64_t n_lookup_ = 0, n_hit_ = 0, n_denied_ = 0, n_miss_ = 0, n_super_ = 0;
  uint64_t n_fill_ = 0, n_evict_ = 0, n_splinter_ = 0, n_inval_ = 0, n_fence_ = 0, n_reset_ = 0;
  uint64_t n_drops_ = 0, n_refill_drops_ = 0;
};

template <class V>
int run(const Geometry& g, const Options& o) {
  Harness<V> h(g, o);
  return h.run();
}

}  // namespace sv39rtl
