// hw/walker/sv39_ptw.sv against the model's PageTableWalker (models/mmu/PageTableWalker.cpp), walk by walk:
// the start level, every PWC probe, fill (set, way, victim) and dropped pointer, every PTE read (address,
// level, data or error), every A/D compare-and-swap, and the result (ok, cause, level, pa, leaf, global).
// Fences of every kind between walks are compared the same way (the pointers each one drops).
//
// Memory: two copies of one RAM image, one per side. The model walks its copy through a TLM target; the
// RTL's memory port is served from the other by this harness, with random ready and latency. Both
// sides check the same Pmp object (read as S for PTE reads, store for the CAS) and write A/D bits into
// their own copy; page-table changes between walks go into both. Since neither side sees the other's
// writes, a wrong CAS on one side shows up as a differing write (and the copies drift apart, which
// the final comparison of the images also reports).
//
// A CAS finding the PTE changed cannot happen in a single-hart model, so the test makes it happen: a walk
// may carry an interference plan, transformations applied to the PTE by "another hart" just before each
// CAS compares (model: in the TLM target, on the CAS's read; RTL: in the harness before the compare).
// That covers the re-read and the 16-retry limit.
//
// The configuration is fixed at build time (PTW_* definitions, the same values as the Verilator -G
// parameters). Usage: test_walker [--walks N] [--seed S] [--expect-mismatch] [--verbose]

// The Verilated model first: verilated.h looks for SystemC's macros to pick its time source, and this
// Verilated model is a plain C++ one.
#include <verilated.h>

#include "Vsv39_ptw.h"
#include "testbench/unit/reference/TestRng.h"
// (keep the two above first)
#include <tlm_utils/simple_target_socket.h>

#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <sstream>
#include <string>
#include <systemc>
#include <tlm>
#include <vector>

#include "models/mem/MemoryTiming.h"
#include "models/mmu/PageTableWalker.h"
#include "models/mmu/Pmp.h"
#include "models/sim/EventBus.h"

#ifndef PTW_CFG_NAME
#error "build with the PTW_* definitions of tests.cmake"
#endif

namespace sv39sim {
namespace {

namespace pte = sv39::pte;

// --- Configuration (both sides) --------------------------------------------------------------------------

WalkerConfig walker_config() {
  WalkerConfig c;
  c.pwc_enabled = PTW_PWC_EN;
  c.pwc_per_level = PTW_PER_LEVEL;
  c.pwc_flush_on_va_fence = PTW_FLUSH_VA;
  c.pwc_sets = PTW_SETS;
  c.pwc_ways = PTW_WAYS;
  c.pwc_policy = PTW_POLICY == 0   ? ReplacementPolicy::Lru
                 : PTW_POLICY == 1 ? ReplacementPolicy::TreePlru
                                   : ReplacementPolicy::Fifo;
  return c;
}

constexpr uint64_t kRamBase = 0x8000'0000;
constexpr uint64_t kRamPages = 64;
constexpr uint64_t kRamSize = kRamPages * 4096;
constexpr uint64_t kPeriodPs = 1000;
constexpr unsigned kTimeoutCycles = 2000;

bool in_ram(uint64_t pa, uint64_t len) {
  return pa >= kRamBase && pa - kRamBase < kRamSize && kRamSize - (pa - kRamBase) >= len;
}
uint64_t get64(const std::vector<uint8_t>& ram, uint64_t pa) {
  uint64_t v;
  std::memcpy(&v, ram.data() + (pa - kRamBase), 8);
  return v;
}
void put64(std::vector<uint8_t>& ram, uint64_t pa, uint64_t v) {
  std::memcpy(ram.data() + (pa - kRamBase), &v, 8);
}

using Rng = TestRng;

// --- What one walk (or fence) did, as either side tells it ------------------------------------------------

struct Probe {
  unsigned level, set, way;
  bool hit;
  uint64_t table;
  bool operator==(const Probe& o) const {
    return level == o.level && set == o.set && way == o.way && hit == o.hit && table == o.table;
  }
};
struct Fill {
  unsigned level, set, way;
  uint64_t table;
  bool evicted;
  uint64_t victim_va;
  bool operator==(const Fill& o) const {
    return level == o.level && set == o.set && way == o.way && table == o.table && evicted == o.evicted &&
           victim_va == o.victim_va;
  }
};
struct Drop {
  uint64_t va;
  unsigned asid, level, set, way;
  bool operator==(const Drop& o) const {
    return va == o.va && asid == o.asid && level == o.level && set == o.set && way == o.way;
  }
};
struct Read {
  uint64_t addr;
  unsigned level;
  uint64_t data;
  bool err;
  bool operator==(const Read& o) const {
    return addr == o.addr && level == o.level && data == o.data && err == o.err;
  }
};
struct Write {
  uint64_t addr, old_v, new_v;
  bool operator==(const Write& o) const { return addr == o.addr && old_v == o.old_v && new_v == o.new_v; }
};
struct Result {
  bool ok = false;
  uint64_t cause = 0;
  unsigned level = 0;
  uint64_t pa = 0, pte = 0;
  bool global = false;
  bool operator==(const Result& o) const {
    return ok == o.ok && cause == o.cause && level == o.level && pa == o.pa && pte == o.pte &&
           global == o.global;
  }
};

struct Record {
  unsigned starts = 0, start_level = 0, results = 0;
  std::vector<Probe> probes;
  std::vector<Fill> fills;
  std::vector<Drop> drops;
  std::vector<Read> reads;
  std::vector<Write> writes;
  std::vector<uint64_t> cas_attempts;  // PTE addresses of every CAS that reached the compare
  Result result;
};

std::string hex(uint64_t v) {
  char b[24];
  std::snprintf(b, sizeof b, "0x%" PRIx64, v);
  return b;
}

std::string describe(const Record& r, bool walk) {
  std::ostringstream os;
  if (walk) {
    os << "    start: " << r.starts << " pulse(s), level " << r.start_level << "\n";
    os << "    result: " << r.results << " pulse(s), ok=" << r.result.ok << " cause=" << r.result.cause
       << " level=" << r.result.level << " pa=" << hex(r.result.pa) << " pte=" << hex(r.result.pte)
       << " global=" << r.result.global << "\n";
  }
  for (const auto& p : r.probes)
    os << "    pwc probe L" << p.level << " set " << p.set << " way " << p.way << (p.hit ? " hit" : " miss")
       << " table " << hex(p.table) << "\n";
  for (const auto& d : r.reads)
    os << "    pte read L" << d.level << " @" << hex(d.addr) << " = " << hex(d.data) << (d.err ? " ERR" : "")
       << "\n";
  for (const auto& a : r.cas_attempts) os << "    cas attempt @" << hex(a) << "\n";
  for (const auto& w : r.writes)
    os << "    pte write @" << hex(w.addr) << " " << hex(w.old_v) << " -> " << hex(w.new_v) << "\n";
  for (const auto& f : r.fills)
    os << "    pwc fill L" << f.level << " set " << f.set << " way " << f.way << " table " << hex(f.table)
       << (f.evicted ? " evicts va " + hex(f.victim_va) : std::string(" (invalid way)")) << "\n";
  for (const auto& d : r.drops)
    os << "    pwc drop L" << d.level << " set " << d.set << " way " << d.way << " va " << hex(d.va)
       << " asid " << d.asid << "\n";
  return os.str();
}

// Empty if the two records agree, else the names of the fields that differ.
std::string differences(const Record& m, const Record& r, bool walk) {
  std::string why;
  auto add = [&](const char* field) { why += why.empty() ? field : std::string(", ") + field; };
  if (walk) {
    if (m.starts != r.starts || m.start_level != r.start_level) add("walk start level");
    if (m.results != r.results) add("result count");
    if (m.result.ok != r.result.ok) add("result ok");
    if (m.result.cause != r.result.cause) add("result cause");
    if (m.result.level != r.result.level) add("result level");
    if (m.result.pa != r.result.pa) add("result pa");
    if (m.result.pte != r.result.pte) add("result pte");
    if (m.result.global != r.result.global) add("result global");
  }
  if (m.probes != r.probes) add("pwc probes");
  if (m.reads != r.reads) add("pte reads");
  if (m.cas_attempts != r.cas_attempts) add("cas attempts");
  if (m.writes != r.writes) add("pte writes (A/D)");
  if (m.fills != r.fills) add("pwc fills");
  if (m.drops != r.drops) add("pwc drops");
  return why;
}

// --- "Another hart": what it does to a PTE just before a CAS compares ------------------------------------

enum Interference : uint8_t { FlipRsw, SetAd, Clear, FlipU };
uint64_t interfere(uint64_t v, uint8_t kind) {
  switch (kind) {
    case FlipRsw: return v ^ (1ull << 8);
    case SetAd: return v | pte::kA | pte::kD;
    case Clear: return 0;
    default: return v ^ pte::kU;
  }
}

// --- The model's side -------------------------------------------------------------------------------------

// The walker's memory: its copy of RAM, and the interference on the read each CAS starts with.
class ModelRam : public sc_core::sc_module {
 public:
  tlm_utils::simple_target_socket<ModelRam> socket;
  std::vector<uint8_t>* ram = nullptr;
  bool cas_next = false;  // the next read is a CAS's (the walker just read a leaf it will update)
  const std::vector<uint8_t>* plan = nullptr;
  size_t plan_pos = 0;
  Record* rec = nullptr;

  explicit ModelRam(sc_core::sc_module_name name) : sc_module(name), socket("socket") {
    socket.register_b_transport(this, &ModelRam::b_transport);
  }

 private:
  void b_transport(tlm::tlm_generic_payload& p, sc_core::sc_time&) {
    const uint64_t addr = p.get_address();
    const unsigned len = p.get_data_length();
    if (!in_ram(addr, len)) {
      p.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
      return;
    }
    uint8_t* host = ram->data() + (addr - kRamBase);
    if (p.is_read()) {
      if (cas_next) {
        cas_next = false;
        rec->cas_attempts.push_back(addr);
        if (plan && plan_pos < plan->size())
          put64(*ram, addr, interfere(get64(*ram, addr), (*plan)[plan_pos++]));
      }
      std::memcpy(p.get_data_ptr(), host, len);
    } else {
      std::memcpy(host, p.get_data_ptr(), len);
    }
    p.set_response_status(tlm::TLM_OK_RESPONSE);
  }
};

// The model's events into the record of the walk or fence in progress.
class ModelSink : public EventSink {
 public:
  Record* rec = nullptr;
  ModelRam* ram = nullptr;
  PageTableWalker::Request req;  // of the walk in progress (to know when a CAS follows a read)

  void on_event(const Event& e) override {
    switch (e.kind) {
      case EventKind::WalkStart:
        ++rec->starts;
        rec->start_level = e.level;
        ram->cas_next = false;
        break;
      case EventKind::PwcLookup: {
        const bool hit = e.outcome == static_cast<uint8_t>(LookupOutcome::Hit);
        rec->probes.push_back({e.level, e.set, e.way, hit, hit ? e.pa : 0});
        break;
      }
      case EventKind::PwcFill: {
        const bool ev = e.outcome == static_cast<uint8_t>(FillReason::Replaced);
        rec->fills.push_back({e.level, e.set, e.way, e.pa, ev, ev ? e.victim_va : 0});
        break;
      }
      case EventKind::PwcInvalidate: rec->drops.push_back({e.va, e.asid, e.level, e.set, e.way}); break;
      case EventKind::PteRead: {
        const bool err = (e.aux & 1) != 0;
        rec->reads.push_back({e.pa, e.level, e.data, err});
        // sv39::walk updates A/D (a CAS, which starts with a read) exactly for a permitted leaf that
        // lacks them, with hardware A/D on.
        ram->cas_next = !err && sv39::classify(e.data, e.level) == sv39::Step::Leaf &&
                        sv39::permits(e.data, req.access, req.rights) &&
                        sv39::needs_ad(e.data, req.access) != 0 && req.hardware_ad;
        break;
      }
      case EventKind::PteWrite: rec->writes.push_back({e.pa, e.aux, e.data}); break;
      default: break;
    }
  }
};

// --- The RTL's side ---------------------------------------------------------------------------------------

// Bits [lo, lo + width) of a Verilated port of any width.
template <typename T>
uint64_t bits(const T& sig, unsigned lo, unsigned width) {
  return (static_cast<uint64_t>(sig) >> lo) & ((width >= 64) ? ~0ull : ((1ull << width) - 1));
}
template <std::size_t N>
uint64_t bits(const VlWide<N>& sig, unsigned lo, unsigned width) {
  uint64_t v = 0;
  for (unsigned i = 0; i < width; ++i) {
    const unsigned b = lo + i;
    v |= static_cast<uint64_t>((sig[b / 32] >> (b % 32)) & 1) << i;
  }
  return v;
}

class RtlSide {
 public:
  RtlSide(std::vector<uint8_t>* ram, const Pmp& pmp, uint64_t seed)
      : ctx_(std::make_unique<VerilatedContext>()), ram_(ram), pmp_(pmp), rng_(seed) {
    top_ = std::make_unique<Vsv39_ptw>(ctx_.get(), "ptw");
    reset();
  }
  ~RtlSide() { top_->final(); }

  // An asynchronous reset with a falling edge of rst_ni (so the flops are reset before the first clock edge
  // samples any assertion), held over two clock edges.
  void reset() {
    top_->rst_ni = 1;
    top_->clk_i = 0;
    top_->req_valid_i = 0;
    top_->fence_i = 0;
    top_->mem_rsp_valid_i = 0;
    top_->mem_req_ready_i = 0;
    top_->eval();
    top_->rst_ni = 0;
    top_->eval();
    for (int i = 0; i < 2; ++i) {
      top_->clk_i = 1;
      top_->eval();
      top_->clk_i = 0;
      top_->eval();
    }
    top_->rst_ni = 1;
    top_->eval();
    pending_ = false;
  }

  // One walk; false if the RTL never answered.
  bool walk(const PageTableWalker::Request& q, const std::vector<uint8_t>* plan, Record* rec) {
    plan_ = plan;
    plan_pos_ = 0;
    for (uint64_t idle = rng_.below(3); idle > 0; --idle) cycle(nullptr);
    top_->req_valid_i = 1;
    top_->req_va_i = q.va;
    top_->req_access_i = static_cast<uint8_t>(q.access);
    top_->req_priv_i = static_cast<uint8_t>(q.rights.priv);
    top_->req_sum_i = q.rights.sum;
    top_->req_mxr_i = q.rights.mxr;
    top_->req_satp_i = q.satp;
    top_->req_hw_ad_i = q.hardware_ad;
    for (unsigned n = 0; n < kTimeoutCycles; ++n) {
      done_ = false;
      cycle(rec);
      if (done_) return true;
    }
    return false;
  }

  // One fence; false if the sweep never ended.
  bool fence(const SfenceReq& f, Record* rec) {
    for (uint64_t idle = rng_.below(2); idle > 0; --idle) cycle(nullptr);
    const unsigned reason = f.has_va ? (f.has_asid ? 3 : 2) : (f.has_asid ? 1 : 0);
    // fence_t, packed MSB first: has_va, vpn[26:0], has_asid, asid[15:0], reason[2:0].
    top_->fence_req_i = (uint64_t{f.has_va} << 47) | (((f.va >> 12) & ((1ull << 27) - 1)) << 20) |
                        (uint64_t{f.has_asid} << 19) | (uint64_t{f.asid} << 3) | reason;
    top_->fence_i = 1;
    cycle(rec);
    top_->fence_i = 0;
    for (unsigned n = 0; top_->fence_busy_o; ++n) {
      if (n == kTimeoutCycles) return false;
      cycle(rec);
    }
    return true;
  }

  uint64_t cycles() const { return cycles_; }

 private:
  // One clock cycle: inputs, the outputs of this cycle (sampled before the edge), the edge.
  void cycle(Record* rec) {
    top_->mem_req_ready_i = rng_.chance(0.7);
    if (pending_ && due_ == cycles_) {
      pending_ = false;
      top_->mem_rsp_valid_i = 1;
      top_->mem_rsp_rdata_i = rsp_data_;
      top_->mem_rsp_err_i = rsp_err_;
      top_->mem_rsp_changed_i = rsp_changed_;
    } else {
      // Noise the walker must ignore.
      top_->mem_rsp_valid_i = 0;
      top_->mem_rsp_rdata_i = rng_.u64();
      top_->mem_rsp_err_i = rng_.u64() & 1;
      top_->mem_rsp_changed_i = rng_.u64() & 1;
    }
    top_->clk_i = 0;
    top_->eval();
    const bool taken = top_->req_valid_i && top_->req_ready_o;
    sample(rec);
    top_->clk_i = 1;
    top_->eval();
    if (taken) top_->req_valid_i = 0;  // the walker took the request at this edge
    ctx_->timeInc(1);
    ++cycles_;
  }

  void sample(Record* rec) {
    Vsv39_ptw& t = *top_;
    const bool any = t.walk_start_o || t.pwc_probe_o || t.pwc_fill_o || t.pwc_inv_o || t.rsp_valid_o ||
                     (t.mem_req_valid_o && t.mem_req_ready_i);
    if (!any) return;
    if (!rec) {
      std::fprintf(stderr, "RTL activity outside a walk or fence at cycle %" PRIu64 "\n", cycles_);
      std::exit(1);
    }
    if (t.walk_start_o) {
      ++rec->starts;
      rec->start_level = t.walk_start_level_o;
    }
    if (t.pwc_probe_o)
      rec->probes.push_back({t.pwc_probe_level_o, t.pwc_probe_set_o, t.pwc_probe_way_o,
                             t.pwc_probe_hit_o != 0, t.pwc_probe_table_o});
    if (t.pwc_inv_o) {
      for (unsigned w = 0; w < PTW_WAYS; ++w) {
        if (!((bits(t.pwc_inv_ways_o, w, 1)))) continue;
        const unsigned level = static_cast<unsigned>(bits(t.pwc_inv_levels_o, 2 * w, 2));
        const uint64_t tag = bits(t.pwc_inv_tags_o, 18 * w, 18);
        rec->drops.push_back({tag << (12 + 9 * level),
                              static_cast<unsigned>(bits(t.pwc_inv_asids_o, 16 * w, 16)), level,
                              t.pwc_inv_set_o, w});
      }
    }
    if (t.pwc_fill_o) {
      const bool ev = t.pwc_fill_evict_o;
      rec->fills.push_back(
          {t.pwc_fill_level_o, t.pwc_fill_set_o, t.pwc_fill_way_o, t.pwc_fill_table_o, ev,
           ev ? uint64_t{t.pwc_fill_victim_tag_o} << (12 + 9 * t.pwc_fill_victim_level_o) : 0});
    }
    if (t.mem_req_valid_o && t.mem_req_ready_i) serve(rec);
    if (t.rsp_valid_o) {
      ++rec->results;
      rec->result.ok = t.rsp_ok_o != 0;
      rec->result.cause = t.rsp_cause_o;
      rec->result.level = t.rsp_level_o;
      rec->result.pa = t.rsp_pa_o;
      rec->result.pte = t.rsp_pte_o;
      rec->result.global = t.rsp_global_o != 0;
      done_ = true;
    }
  }

  // The memory port: the operation happens when the request is taken; the answer comes 1-3 cycles later.
  void serve(Record* rec) {
    Vsv39_ptw& t = *top_;
    if (pending_) {
      std::fprintf(stderr, "RTL issued a second memory request with one outstanding\n");
      std::exit(1);
    }
    const uint64_t addr = t.mem_req_addr_o;
    rsp_err_ = false;
    rsp_changed_ = false;
    rsp_data_ = 0;
    if (!t.mem_req_cas_o) {
      const bool mem = in_ram(addr, 8);
      rsp_err_ = !(pmp_.allows(addr, 8, Access::Load, Priv::S) && mem);
      // A PMP-denied read still returns what is there: a walker that ignores the error will use it.
      rsp_data_ = mem ? get64(*ram_, addr) : 0;
      rec->reads.push_back({addr, t.mem_req_level_o, rsp_err_ ? 0 : rsp_data_, rsp_err_});
    } else {
      rsp_err_ = !(pmp_.allows(addr, 8, Access::Store, Priv::S) && in_ram(addr, 8));
      if (!rsp_err_) {
        rec->cas_attempts.push_back(addr);
        if (plan_ && plan_pos_ < plan_->size())
          put64(*ram_, addr, interfere(get64(*ram_, addr), (*plan_)[plan_pos_++]));
        rsp_changed_ = get64(*ram_, addr) != t.mem_req_expected_o;
        if (!rsp_changed_) {
          put64(*ram_, addr, t.mem_req_desired_o);
          rec->writes.push_back({addr, t.mem_req_expected_o, t.mem_req_desired_o});
        }
      }
      rsp_data_ = rng_.u64();  // a CAS answers no data
    }
    pending_ = true;
    due_ = cycles_ + 1 + (rng_.chance(0.5) ? 0 : rng_.below(3));
  }

  std::unique_ptr<VerilatedContext> ctx_;
  std::unique_ptr<Vsv39_ptw> top_;
  std::vector<uint8_t>* ram_;
  const Pmp& pmp_;
  Rng rng_;
  uint64_t cycles_ = 0;
  bool done_ = false;
  bool pending_ = false;
  uint64_t due_ = 0, rsp_data_ = 0;
  bool rsp_err_ = false, rsp_changed_ = false;
  const std::vector<uint8_t>* plan_ = nullptr;
  size_t plan_pos_ = 0;
};

// --- Random page tables, PMP, requests --------------------------------------------------------------------

uint64_t sign_extend39(uint64_t va) {
  return static_cast<uint64_t>(static_cast<int64_t>(va << 25) >> 25);
}

class World {
 public:
  std::vector<uint8_t> ram_model, ram_rtl;
  std::vector<uint64_t> roots, l1s, l0s, tables, all_pages;
  std::vector<unsigned> hot2, hot1;
  std::vector<uint16_t> asids;
  std::vector<uint64_t> satps;

  explicit World(Rng& rng) : ram_model(kRamSize), ram_rtl(kRamSize), rng_(rng) {}

  void put(uint64_t pa, uint64_t v) {
    put64(ram_model, pa, v);
    put64(ram_rtl, pa, v);
  }

  // New tables (the PWC keeps what it cached: stale pointers are as valid a test as fresh ones).
  void build() {
    all_pages.clear();
    for (uint64_t i = 0; i < kRamPages; ++i) all_pages.push_back(kRamBase + i * 4096);
    std::vector<uint64_t> pages = all_pages;
    for (size_t i = pages.size() - 1; i > 0; --i) std::swap(pages[i], pages[rng_.below(i + 1)]);
    auto take = [&](size_t n) {
      std::vector<uint64_t> v(pages.end() - n, pages.end());
      pages.resize(pages.size() - n);
      return v;
    };
    roots = take(3);
    l1s = take(6);
    l0s = take(12);
    tables = roots;
    tables.insert(tables.end(), l1s.begin(), l1s.end());
    tables.insert(tables.end(), l0s.begin(), l0s.end());
    // Everything starts as soup; then the hot paths get structure.
    for (uint64_t pa = kRamBase; pa < kRamBase + kRamSize; pa += 8) put(pa, soup());
    hot2 = {
        0, 1, 0x100, 0x1ff, static_cast<unsigned>(rng_.below(512)), static_cast<unsigned>(rng_.below(512))};
    hot1.clear();
    for (int i = 0; i < 8; ++i) hot1.push_back(static_cast<unsigned>(rng_.below(512)));
    hot1[0] = 0;
    for (uint64_t root : roots)
      for (unsigned i : hot2) {
        const unsigned r = static_cast<unsigned>(rng_.below(100));
        put(root + i * 8, r < 75 ? pointer(rng_.pick(l1s)) : r < 85 ? leaf(2) : soup());
      }
    for (uint64_t t : l1s)
      for (unsigned i : hot1) {
        const unsigned r = static_cast<unsigned>(rng_.below(100));
        put(t + i * 8, r < 75 ? pointer(rng_.pick(l0s)) : r < 85 ? leaf(1) : soup());
      }
    for (uint64_t t : l0s)
      for (unsigned i = 0; i < 512; ++i) put(t + i * 8, rng_.chance(0.85) ? leaf(0) : soup());
    // Address spaces: a few ASIDs (two may share a root), each with its satp.
    asids = {0, 1, 0x2a, 0xffff};
    satps.clear();
    for (uint16_t asid : asids)
      satps.push_back((8ull << 60) | (uint64_t{asid} << 44) | (rng_.pick(roots) >> 12));
  }

  // PMP: a few pages (mostly tables) denied or read-only, sometimes a 4-byte hole inside a PTE, then
  // everything else allowed.
  void configure_pmp(Pmp& pmp) {
    uint8_t cfg[Pmp::kEntries] = {};
    for (unsigned i = 0; i < Pmp::kEntries; ++i) pmp.write_addr(i, 0);
    const unsigned n = static_cast<unsigned>(rng_.below(5));
    for (unsigned i = 0; i < n; ++i) {
      const uint64_t page = rng_.chance(0.7) ? rng_.pick(tables) : rng_.pick(all_pages);
      pmp.write_addr(i, (page >> 2) | 0x1ff);  // NAPOT, 4 KiB
      const uint8_t perms[] = {0, Pmp::kR, Pmp::kR | Pmp::kX, Pmp::kR | Pmp::kW};
      cfg[i] = Pmp::kNapot | perms[rng_.below(4)];
    }
    if (rng_.chance(0.3)) {
      const uint64_t word = rng_.pick(tables) + rng_.below(512) * 8 + (rng_.chance(0.5) ? 4 : 0);
      pmp.write_addr(n, word >> 2);
      cfg[n] = Pmp::kNa4;  // no permissions: an 8-byte access overlapping it fails
    }
    pmp.write_addr(15, (1ull << 54) - 1);
    cfg[15] = Pmp::kNapot | Pmp::kR | Pmp::kW | Pmp::kX;
    uint64_t c0 = 0, c2 = 0;
    for (unsigned i = 0; i < 8; ++i) {
      c0 |= uint64_t{cfg[i]} << (8 * i);
      c2 |= uint64_t{cfg[8 + i]} << (8 * i);
    }
    pmp.write_cfg(0, c0);
    pmp.write_cfg(2, c2);
  }

  // One PTE changed between walks, in both copies.
  void mutate() {
    const uint64_t t = rng_.pick(tables);
    const unsigned i =
        rng_.chance(0.5) ? rng_.pick(rng_.chance(0.5) ? hot2 : hot1) : static_cast<unsigned>(rng_.below(512));
    const uint64_t old = get64(ram_model, t + i * 8);
    uint64_t v;
    switch (rng_.below(5)) {
      case 0: v = old ^ pte::kG; break;
      case 1: v = old ^ (pte::kA | pte::kD); break;
      case 2: v = pointer(rng_.pick(rng_.chance(0.5) ? l1s : l0s)); break;
      case 3: v = leaf(static_cast<unsigned>(rng_.below(3))); break;
      default: v = soup(); break;
    }
    put(t + i * 8, v);
  }

  uint64_t va() {
    const unsigned r = static_cast<unsigned>(rng_.below(100));
    if (r < 80) {
      const uint64_t v = (uint64_t{rng_.pick(hot2)} << 30) | (uint64_t{rng_.pick(hot1)} << 21) |
                         (rng_.below(512) << 12) | rng_.below(4096);
      return sign_extend39(v);
    }
    if (r < 92) return sign_extend39(rng_.u64());
    // Non-canonical: bits 63:39 differ from bit 38 somewhere.
    uint64_t v = sign_extend39(rng_.u64());
    return v ^ (1ull << (39 + rng_.below(25)));
  }

  uint64_t satp() {
    if (rng_.chance(0.02)) {
      // A root nowhere (access fault at level 2) or in any page at all.
      const uint64_t root =
          rng_.chance(0.5) ? 0x1'0000'0000ull + rng_.below(1 << 20) * 4096 : rng_.pick(all_pages);
      return (8ull << 60) | (uint64_t{rng_.pick(asids)} << 44) | (root >> 12);
    }
    return rng_.pick(satps);
  }

 private:
  uint64_t rsw() { return rng_.chance(0.3) ? rng_.below(4) << 8 : 0; }

  // A pointer, sometimes with bits that make it a fault: A, D or U (reserved in a pointer), W without R,
  // or a reserved high bit.
  uint64_t pointer(uint64_t table_pa) {
    static const uint64_t reserved[] = {pte::kA, pte::kD, pte::kU};
    uint64_t v = pte::kV | ((table_pa >> 12) << pte::kPpnShift) | rsw();
    if (rng_.chance(0.25)) v |= pte::kG;
    if (rng_.chance(0.04)) v |= reserved[rng_.below(3)];
    if (rng_.chance(0.02)) v |= pte::kW;
    if (rng_.chance(0.02)) v |= 1ull << (54 + rng_.below(10));
    return v;
  }

  uint64_t leaf(unsigned level) {
    // The five legal R/W/X leaf combinations, then the two reserved ones (W without R).
    static const uint64_t rwx[] = {pte::kR,           pte::kR | pte::kW,           pte::kX,
                                   pte::kR | pte::kX, pte::kR | pte::kW | pte::kX, pte::kW,
                                   pte::kW | pte::kX};
    uint64_t v = rng_.chance(0.97) ? pte::kV : 0;
    v |= rwx[rng_.chance(0.94) ? rng_.below(5) : 5 + rng_.below(2)];
    if (rng_.chance(0.4)) v |= pte::kU;
    if (rng_.chance(0.15)) v |= pte::kG;
    if (rng_.chance(0.6)) v |= pte::kA;
    if (rng_.chance(0.4)) v |= pte::kD;
    v |= rsw();
    if (rng_.chance(0.04)) v |= 1ull << (54 + rng_.below(10));
    uint64_t ppn;
    if (level == 0) {
      ppn = rng_.chance(0.7) ? (kRamBase >> 12) + rng_.below(kRamPages) : rng_.below(1ull << 44);
    } else {
      const uint64_t align = (1ull << (9 * level)) - 1;
      ppn = rng_.below(1ull << 44);
      ppn = rng_.chance(0.65) ? ppn & ~align : (ppn & ~align) | (1 + rng_.below(align));
    }
    return v | (ppn << pte::kPpnShift);
  }

  // Anything: invalid, pointers into RAM (tables or not) or nowhere, leaves, junk.
  uint64_t soup() {
    const unsigned r = static_cast<unsigned>(rng_.below(100));
    if (r < 25) return 0;
    if (r < 45) return pointer(kRamBase + rng_.below(kRamPages) * 4096);
    if (r < 55)
      return pointer(rng_.chance(0.5) ? 0x1'0000'0000ull + rng_.below(1 << 16) * 4096
                                      : rng_.below(1ull << 44) << 12);
    if (r < 90) return leaf(static_cast<unsigned>(rng_.below(3)));
    return rng_.u64();
  }

  Rng& rng_;
};

// --- The test ---------------------------------------------------------------------------------------------

struct Coverage {
  uint64_t walks = 0, fences = 0, ok = 0, page_faults = 0, access_faults = 0, non_canonical = 0;
  uint64_t read_errors = 0, cas_writes = 0, cas_retries = 0, cas_gave_up = 0, cas_access_faults = 0;
  uint64_t start_level[3] = {}, probe_hits[3] = {}, fills = 0, evictions = 0, fence_drops = 0, fill_drops = 0;
  uint64_t superpages = 0, global_results = 0, resets = 0, rtl_cycles = 0;
};

void print_request(const PageTableWalker::Request& q, const std::vector<uint8_t>& plan) {
  std::printf("  request: va=%s access=%d priv=%d sum=%d mxr=%d satp=%s hw_ad=%d interference=%zu\n",
              hex(q.va).c_str(), static_cast<int>(q.access), static_cast<int>(q.rights.priv), q.rights.sum,
              q.rights.mxr, hex(q.satp).c_str(), q.hardware_ad, plan.size());
}

int run(uint64_t walks, uint64_t seed, bool expect_mismatch, bool verbose) {
  Rng rng(seed);
  World world(rng);
  Pmp pmp;
  ZeroLatencyMemory timing;
  EventBus bus;
  ModelSink sink;
  ModelRam ram("ram");
  ram.ram = &world.ram_model;
  sink.ram = &ram;
  bus.subscribe_counter(&sink, {EventKind::WalkStart, EventKind::PwcLookup, EventKind::PwcFill,
                                EventKind::PwcInvalidate, EventKind::PteRead, EventKind::PteWrite});
  PageTableWalker walker("ptw", walker_config(), pmp, timing, &bus, kPeriodPs);
  walker.mem.bind(ram.socket);
  RtlSide rtl(&world.ram_rtl, pmp, seed ^ 0x5eed);

  Coverage cov;
  std::vector<uint64_t> recent_vas = {0};
  uint64_t now_ps = 0;
  const uint64_t kEpoch = 1000;

  auto mismatch = [&](const char* what, uint64_t index, const std::string& why, const Record& m,
                      const Record& r, bool walk) {
    std::printf("MISMATCH in %s %" PRIu64 " (config %s, seed %" PRIu64 "): %s\n", what, index, PTW_CFG_NAME,
                seed, why.c_str());
    std::printf("  model:\n%s  rtl:\n%s", describe(m, walk).c_str(), describe(r, walk).c_str());
  };

  for (uint64_t k = 0; k < walks; ++k) {
    if (k % kEpoch == 0) {
      if (k % (20 * kEpoch) == kEpoch * 10) {
        walker.reset();
        rtl.reset();
        ++cov.resets;
      }
      world.build();
      world.configure_pmp(pmp);
    }
    if (rng.chance(0.04)) world.mutate();

    // A fence between walks, now and then.
    if (rng.chance(0.03)) {
      SfenceReq f;
      f.has_va = rng.chance(0.5);
      f.va = rng.chance(0.7) ? rng.pick(recent_vas) : rng.u64();
      f.has_asid = rng.chance(0.5);
      f.asid = rng.chance(0.8) ? rng.pick(world.asids) : static_cast<uint16_t>(rng.u64());
      Record m, r;
      sink.rec = &m;
      ram.rec = &m;
      walker.flush(f, now_ps);
      if (!rtl.fence(f, &r)) {
        std::printf("RTL fence never ended (fence %" PRIu64 ")\n", cov.fences);
        return 1;
      }
      const std::string why = differences(m, r, false);
      if (!why.empty()) {
        mismatch("fence", cov.fences, why, m, r, false);
        std::printf("  fence: has_va=%d va=%s has_asid=%d asid=%u\n", f.has_va, hex(f.va).c_str(), f.has_asid,
                    f.asid);
        return expect_mismatch ? 0 : 1;
      }
      ++cov.fences;
      cov.fence_drops += m.drops.size();
    }

    PageTableWalker::Request q;
    q.va = world.va();
    q.access = static_cast<Access>(rng.below(3));
    const unsigned p = static_cast<unsigned>(rng.below(100));
    q.rights.priv = p < 40 ? Priv::U : p < 95 ? Priv::S : Priv::M;
    q.rights.sum = rng.chance(0.5);
    q.rights.mxr = rng.chance(0.5);
    q.satp = world.satp();
    q.hardware_ad = rng.chance(0.5);
    q.now_ps = now_ps;
    std::vector<uint8_t> plan;
    const unsigned r = static_cast<unsigned>(rng.below(100));
    if (r < 9) {
      for (uint64_t n = 1 + rng.below(3); n > 0; --n) plan.push_back(static_cast<uint8_t>(rng.below(4)));
    } else if (r < 12) {
      plan.assign(16 + rng.below(3), FlipRsw);  // 16 retries and the walk goes on; 17 and it gives up
    }
    if (sv39::canonical(q.va)) recent_vas[rng.below(recent_vas.size())] = q.va;
    if (recent_vas.size() < 16) recent_vas.push_back(q.va);

    Record m, rr;
    sink.rec = &m;
    sink.req = q;
    ram.rec = &m;
    ram.plan = &plan;
    ram.plan_pos = 0;
    const PageTableWalker::Result res = walker.walk(q);
    now_ps = res.done_ps + kPeriodPs;
    m.results = 1;
    m.result = {res.walk.ok, res.walk.cause, res.walk.level, res.walk.paddr, res.walk.pte, res.walk.global};
    ram.plan = nullptr;
    const bool answered = rtl.walk(q, &plan, &rr);
    std::string why = answered ? differences(m, rr, true) : "the RTL never answered";
    for (const auto& a : m.cas_attempts)
      if (get64(world.ram_model, a) != get64(world.ram_rtl, a))
        why += why.empty() ? "memory after the walk" : ", memory";
    if (verbose || !why.empty()) {
      if (!why.empty())
        mismatch("walk", k, why, m, rr, true);
      else
        std::printf("walk %" PRIu64 "\n%s", k, describe(m, true).c_str());
      print_request(q, plan);
      if (!why.empty()) return expect_mismatch ? 0 : 1;
    }

    ++cov.walks;
    cov.ok += m.result.ok;
    cov.non_canonical += !sv39::canonical(q.va);
    if (!m.result.ok) {
      const bool access = m.result.cause == cause::kFetchAccess || m.result.cause == cause::kLoadAccess ||
                          m.result.cause == cause::kStoreAccess;
      (access ? cov.access_faults : cov.page_faults)++;
      if (access && !m.reads.empty() && !m.reads.back().err) ++cov.cas_access_faults;
    }
    for (const auto& d : m.reads) cov.read_errors += d.err;
    cov.cas_writes += m.writes.size();
    cov.cas_retries += m.cas_attempts.size() - m.writes.size();  // every other attempt found the PTE changed
    cov.cas_gave_up += m.cas_attempts.size() == 17;
    cov.start_level[m.start_level]++;
    for (const auto& pr : m.probes) cov.probe_hits[pr.level] += pr.hit;
    cov.fills += m.fills.size();
    for (const auto& f : m.fills) cov.evictions += f.evicted;
    cov.fill_drops += m.drops.size();
    cov.superpages += m.result.ok && m.result.level > 0;
    cov.global_results += m.result.global;
  }

  // The two copies of memory took the same A/D writes.
  if (world.ram_model != world.ram_rtl) {
    std::printf("MISMATCH: memory images differ after the run (config %s, seed %" PRIu64 ")\n", PTW_CFG_NAME,
                seed);
    return expect_mismatch ? 0 : 1;
  }
  cov.rtl_cycles = rtl.cycles();
  std::printf("rtl.walker.%s: %" PRIu64 " walks and %" PRIu64 " fences compared, 0 mismatches (seed %" PRIu64
              ", %" PRIu64 " RTL cycles)\n",
              PTW_CFG_NAME, cov.walks, cov.fences, seed, cov.rtl_cycles);
  std::printf("  results: %" PRIu64 " ok (%" PRIu64 " superpages, %" PRIu64 " global), %" PRIu64
              " page faults (%" PRIu64 " non-canonical), %" PRIu64 " access faults (%" PRIu64 " on a CAS)\n",
              cov.ok, cov.superpages, cov.global_results, cov.page_faults, cov.non_canonical,
              cov.access_faults, cov.cas_access_faults);
  std::printf("  PTE reads failed: %" PRIu64 "; CAS writes %" PRIu64 ", retries %" PRIu64
              ", walks that gave up %" PRIu64 "\n",
              cov.read_errors, cov.cas_writes, cov.cas_retries, cov.cas_gave_up);
  std::printf("  start level 2/1/0: %" PRIu64 "/%" PRIu64 "/%" PRIu64 "; probe hits L1 %" PRIu64
              " L2 %" PRIu64 "; fills %" PRIu64 " (%" PRIu64
              " evictions); pointers dropped by fences %" PRIu64 ", by fills %" PRIu64 "; resets %" PRIu64
              "\n",
              cov.start_level[2], cov.start_level[1], cov.start_level[0], cov.probe_hits[1],
              cov.probe_hits[2], cov.fills, cov.evictions, cov.fence_drops, cov.fill_drops, cov.resets);

  // A run that never reached the interesting cases proves little.
  std::vector<std::string> missing;
  auto need = [&](bool reached, const char* what) {
    if (!reached) missing.push_back(what);
  };
  const bool full = walks >= 20000;
  if (full) {
    need(cov.non_canonical > 0, "non-canonical VAs");
    need(cov.read_errors > 0, "failed PTE reads");
    need(cov.cas_writes > 0, "A/D writes");
    need(cov.cas_retries > 0, "CAS retries");
    need(cov.cas_gave_up > 0, "walks giving up after 16 retries");
    need(cov.cas_access_faults > 0, "CAS access faults");
    need(cov.superpages > 0, "superpages");
    if (PTW_PWC_EN) {
      need(cov.probe_hits[1] > 0 && cov.probe_hits[2] > 0, "PWC hits at both levels");
      need(cov.evictions > 0, "PWC evictions");
      need(cov.fence_drops > 0, "pointers dropped by fences");
    }
  }
  for (const auto& s : missing) std::printf("NOT COVERED: %s\n", s.c_str());
  if (expect_mismatch) {
    std::printf("expected a mismatch (a mutant), found none\n");
    return 1;
  }
  return missing.empty() ? 0 : 1;
}

}  // namespace
}  // namespace sv39sim

// sc_main, not main: the models library brings SystemC, whose main() calls this.
extern "C" int sc_main(int argc, char** argv) {
  uint64_t walks = 100000, seed = 1;
  bool expect_mismatch = false, verbose = false;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--walks" && i + 1 < argc) {
      walks = std::strtoull(argv[++i], nullptr, 0);
    } else if (a == "--seed" && i + 1 < argc) {
      seed = std::strtoull(argv[++i], nullptr, 0);
    } else if (a == "--expect-mismatch") {
      expect_mismatch = true;
    } else if (a == "--verbose") {
      verbose = true;
    } else {
      std::fprintf(stderr, "usage: %s [--walks N] [--seed S] [--expect-mismatch] [--verbose]\n", argv[0]);
      return 2;
    }
  }
  return sv39sim::run(walks, seed, expect_mismatch, verbose);
}
