// The Mmu (TLBs, page-walk cache, walker over TLM, PMP) against the Sv39 reference written from the spec
// (reference/Sv39Reference.h, which shares no code with the model) on random page tables, contexts, PMP
// settings and access streams: fault and cause, physical address, leaf level, the PTE reads of every
// walk, A/D writes, what each TLB fill caches (frame, size, leaf bits, G), data. Plus directed tests of what
// random streams reach rarely: the four SFENCE.VMA cases, flush on satp write, superpage modes, and a store
// through a clean TLB entry.
#include <gtest/gtest.h>
#include <tlm_utils/simple_target_socket.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <initializer_list>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <systemc>
#include <tlm>
#include <utility>
#include <vector>

#include "models/mem/MemoryTiming.h"
#include "models/mem/PhysicalMemory.h"
#include "models/mmu/Mmu.h"
#include "models/mmu/PageTableWalker.h"
#include "testbench/unit/reference/Sv39Reference.h"
#include "testbench/unit/reference/TestRng.h"

namespace sv39sim {
namespace {

namespace pte = sv39::pte;

constexpr uint64_t kRamBase = 0x8000'0000;
constexpr uint64_t kRamPages = 32;
constexpr uint64_t kRamSize = kRamPages * 4096;
constexpr uint64_t kDevBase = 0x1000'0000;  // a device page the PhysicalMemory fake answers
constexpr uint64_t kDevSize = 0x1000;
constexpr uint64_t kPeriodPs = 1000;

bool in_ram(uint64_t pa, uint64_t len) {
  return pa - kRamBase < kRamSize && kRamSize - (pa - kRamBase) >= len;
}
bool in_dev(uint64_t pa, uint64_t len) {
  return pa - kDevBase < kDevSize && kDevSize - (pa - kDevBase) >= len;
}
uint8_t dev_byte(uint64_t pa) {
  return static_cast<uint8_t>(pa * 131 + 7);
}

// ---------------------------------------------------------------------------------------------------------
// The model's surroundings: the walker's memory target, a device fake, an observer.

// Serves the walker's PTE reads and A/D writes from the RAM buffer; everything else is an address error.
class TestRamTarget : public sc_core::sc_module {
 public:
  tlm_utils::simple_target_socket<TestRamTarget> socket;
  std::vector<std::pair<uint64_t, uint64_t>> writes;  // (address, 8-byte value) of every write, in order

  TestRamTarget(sc_core::sc_module_name name, uint8_t* ram) : sc_module(name), socket("socket"), ram_(ram) {
    socket.register_b_transport(this, &TestRamTarget::b_transport);
  }

 private:
  void b_transport(tlm::tlm_generic_payload& p, sc_core::sc_time&) {
    const uint64_t addr = p.get_address();
    const unsigned len = p.get_data_length();
    if (!in_ram(addr, len)) {
      p.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
      return;
    }
    uint8_t* host = ram_ + (addr - kRamBase);
    if (p.is_read()) {
      std::memcpy(p.get_data_ptr(), host, len);
    } else {
      std::memcpy(host, p.get_data_ptr(), len);
      uint64_t v = 0;
      std::memcpy(&v, p.get_data_ptr(), std::min<unsigned>(len, 8));
      writes.emplace_back(addr, v);
    }
    p.set_response_status(tlm::TLM_OK_RESPONSE);
  }

  uint8_t* ram_;
};

// Non-RAM physical memory: one device page with a fixed byte pattern; nothing else answers.
class FakeDevices : public PhysicalMemory {
 public:
  bool read(uint64_t pa, void* data, unsigned len) override {
    if (!in_dev(pa, len)) return false;
    auto* out = static_cast<uint8_t*>(data);
    for (unsigned i = 0; i < len; ++i) out[i] = dev_byte(pa + i);
    return true;
  }
  bool write(uint64_t pa, const void*, unsigned len) override { return in_dev(pa, len); }
};

// One walk of the model as its events tell it: start, PTE reads, A/D write, end.
struct WalkOutcome {
  uint64_t va = 0;
  bool ok = false;
  uint64_t cause = 0;
  unsigned level = 0;          // leaf level when ok
  unsigned pwc_hit_level = 0;  // 0: started at the root; else the level it started at + 1
  bool ad_updated = false;
};
struct WalkRecord {
  WalkOutcome ev;
  std::vector<sv39::PteRead> reads;
};
// One translation's answer (a Translation event).
struct XlateRecord {
  uint64_t va = 0, paddr = 0, cause = 0;
  unsigned page_level = 0;
  TranslationSource source = TranslationSource::Bare;
  bool fault = false;
  Priv eff_priv = Priv::M;
};

// Walks and TLB fills always; translations only when asked (wanting Translation events turns the Mmu's
// micro-TLB off, so the random test runs both ways: with them to compare every physical address, without
// them to cover the hot path, where loads, AMOs and stores reveal the physical address through the data).
class Recorder : public EventSink {
 public:
  explicit Recorder(bool translations) : translations_(translations) {}
  void subscribe(EventBus& bus) {
    if (translations_) {
      bus.subscribe_counter(this, {EventKind::WalkStart, EventKind::PteRead, EventKind::PteWrite,
                                   EventKind::WalkEnd, EventKind::TlbFill, EventKind::Translation});
    } else {
      bus.subscribe_counter(this, {EventKind::WalkStart, EventKind::PteRead, EventKind::PteWrite,
                                   EventKind::WalkEnd, EventKind::TlbFill});
    }
  }
  std::vector<XlateRecord> events;
  std::vector<WalkRecord> walk_records;  // since the test last cleared them
  std::vector<TlbEntry> fills;           // likewise
  uint64_t walks = 0;
  bool wants_translations() const { return translations_; }
  void on_event(const Event& e) override {
    switch (e.kind) {
      case EventKind::Translation:
        events.push_back({e.va, e.pa, e.aux, e.level, static_cast<TranslationSource>(e.outcome), e.data != 0,
                          static_cast<Priv>(e.priv)});
        break;
      case EventKind::WalkStart:
        walk_ = WalkRecord();
        walk_.ev.va = e.va;
        walk_.ev.pwc_hit_level = e.level < sv39::kLevels - 1 ? e.level + 1 : 0;
        break;
      case EventKind::PteRead: {
        sv39::PteRead r;
        r.addr = e.pa;
        r.data = e.data;
        r.level = e.level;
        r.err = (e.aux & 1) != 0;
        walk_.reads.push_back(r);
        break;
      }
      case EventKind::PteWrite: walk_.ev.ad_updated = true; break;
      case EventKind::WalkEnd:
        walk_.ev.ok = e.outcome == 0;
        walk_.ev.cause = e.aux;
        walk_.ev.level = e.level;
        ++walks;
        pwc_hits += walk_.ev.pwc_hit_level != 0;
        ad_updates += walk_.ev.ad_updated;
        walk_records.push_back(std::move(walk_));
        break;
      case EventKind::TlbFill: {
        TlbEntry t;
        t.vpn = e.va >> 12;
        t.ppn = e.pa >> 12;
        t.level = e.level;
        t.page_level = static_cast<uint8_t>((e.aux >> 8) & 3);
        t.pte = static_cast<uint8_t>(e.data);
        t.global = (e.aux & 1) != 0;
        fills.push_back(t);
        break;
      }
      default: break;
    }
  }
  uint64_t pwc_hits = 0, ad_updates = 0;

 private:
  bool translations_;
  WalkRecord walk_;
};

std::string unique_name(const char* stem) {
  static unsigned n = 0;
  return std::string(stem) + std::to_string(n++);
}

// One Mmu with its walker, wired as the platform does, over a RAM buffer the test owns.
struct Rig {
  FakeDevices devices;
  ZeroLatencyMemory timing;
  EventBus bus;
  Recorder obs;
  uint64_t cycles = 0;
  Mmu mmu{devices};
  std::unique_ptr<TestRamTarget> target;
  std::unique_ptr<PageTableWalker> walker;
  uint8_t* ram;

  Rig(uint8_t* ram_buffer, const MmuConfig& cfg, const WalkerConfig& wcfg, bool observe_translations = true)
      : obs(observe_translations), ram(ram_buffer) {
    obs.subscribe(bus);
    target = std::make_unique<TestRamTarget>(unique_name("wref_ram").c_str(), ram);
    walker = std::make_unique<PageTableWalker>(unique_name("wref_ptw").c_str(), wcfg, mmu.pmp(), timing, &bus,
                                               kPeriodPs);
    walker->mem.bind(target->socket);
    mmu.configure(cfg, walker.get(), &bus, kPeriodPs);
    mmu.attach_clock(&cycles);
    mmu.set_ram({kRamBase, kRamSize, ram});
  }
};

// ---------------------------------------------------------------------------------------------------------
// The reference's memory: the RAM buffer as the model will see it, with the reference's own A/D writes
// kept aside (so it runs before the model on the same memory state, and its writes can be compared).

class OverlayMemory {
 public:
  explicit OverlayMemory(const uint8_t* ram) : ram_(ram) {}
  bool read64(uint64_t pa, uint64_t* v) const {
    if (!in_ram(pa, 8)) return false;
    for (auto it = writes.rbegin(); it != writes.rend(); ++it)
      if (it->first == pa) {
        *v = it->second;
        return true;
      }
    std::memcpy(v, ram_ + (pa - kRamBase), 8);
    return true;
  }
  bool write64(uint64_t pa, uint64_t v) {
    if (!in_ram(pa, 8)) return false;
    writes.emplace_back(pa, v);
    return true;
  }
  uint8_t byte(uint64_t pa) const {
    uint64_t w = 0;
    read64(pa & ~7ull, &w);
    return static_cast<uint8_t>(w >> (8 * (pa & 7)));
  }
  std::vector<std::pair<uint64_t, uint64_t>> writes;

 private:
  const uint8_t* ram_;
};

// ---------------------------------------------------------------------------------------------------------
// Random numbers.

using Rng = TestRng;

// ---------------------------------------------------------------------------------------------------------
// Accesses.

enum class Kind : uint8_t { Fetch, Load8, Load16, Load32, Load64, Store8, Store16, Store64, Amo32, Amo64 };
const char* kind_name(Kind k) {
  static const char* names[] = {"fetch",  "load8",   "load16",  "load32", "load64",
                                "store8", "store16", "store64", "amo32",  "amo64"};
  return names[static_cast<unsigned>(k)];
}
unsigned kind_size(Kind k) {
  switch (k) {
    case Kind::Fetch: return 2;
    case Kind::Load8:
    case Kind::Store8: return 1;
    case Kind::Load16:
    case Kind::Store16: return 2;
    case Kind::Load32:
    case Kind::Amo32: return 4;
    default: return 8;
  }
}
Access kind_access(Kind k) {
  if (k == Kind::Fetch) return Access::Fetch;
  if (k <= Kind::Load64) return Access::Load;
  return Access::Store;
}
bool kind_is_amo(Kind k) {
  return k == Kind::Amo32 || k == Kind::Amo64;
}

struct HartContext {
  Priv priv = Priv::S;
  uint64_t mstatus = 0;
  uint64_t satp = 0;
};

std::string describe(const HartContext& c, bool hardware_ad) {
  std::ostringstream os;
  os << "priv=" << static_cast<int>(c.priv) << " mprv=" << ((c.mstatus & mstatus::kMprv) != 0)
     << " mpp=" << ((c.mstatus & mstatus::kMpp) >> mstatus::kMppShift)
     << " sum=" << ((c.mstatus & mstatus::kSum) != 0) << " mxr=" << ((c.mstatus & mstatus::kMxr) != 0)
     << std::hex << " satp=0x" << c.satp << std::dec << " hardware_ad=" << hardware_ad;
  return os.str();
}

std::string describe(const sv39ref::Result& r) {
  std::ostringstream os;
  os << std::hex << "ok=" << r.ok << " cause=" << std::dec << r.cause << std::hex << " tval=0x" << r.tval
     << " translated=" << r.translated << " mapped=" << r.mapped << " paddr=0x" << r.paddr << std::dec
     << " level=" << r.level << " global=" << r.global << " eff_priv=" << static_cast<int>(r.eff_priv);
  for (const auto& rd : r.reads)
    os << std::hex << "\n      pte read L" << rd.level << " @0x" << rd.addr << " = 0x" << rd.value
       << (rd.failed ? " ERR" : "");
  if (r.ad_written) os << std::hex << "\n      A/D write @0x" << r.ad_addr << " = 0x" << r.ad_value;
  return os.str();
}

// The model's types and the reference's: both encode the spec's privilege numbers.
sv39ref::Priv to_ref(Priv p) {
  return static_cast<sv39ref::Priv>(static_cast<uint8_t>(p));
}
sv39ref::Access to_ref(Access a) {
  return a == Access::Fetch  ? sv39ref::Access::Fetch
         : a == Access::Load ? sv39ref::Access::Load
                             : sv39ref::Access::Store;
}
Access to_model(sv39ref::Access a) {
  return a == sv39ref::Access::Fetch  ? Access::Fetch
         : a == sv39ref::Access::Load ? Access::Load
                                      : Access::Store;
}

// The reference's view of the hart: the CSRs as the Mmu gets them, and the Mmu's PMP as the predicate
// (PMP has its own tests; the reference decides which accesses are checked, and as which privilege).
sv39ref::Context reference_context(const HartContext& hc, bool hardware_ad, const Pmp& pmp) {
  sv39ref::Context c = sv39ref::Context::from_csrs(to_ref(hc.priv), hc.mstatus, hc.satp, hardware_ad);
  c.pmp = [&pmp](uint64_t pa, unsigned len, sv39ref::Access a, sv39ref::Priv p) {
    return pmp.allows(pa, len, to_model(a), static_cast<Priv>(static_cast<uint8_t>(p)));
  };
  return c;
}

// What the model must do for one access, derived from the reference.
struct Expected {
  bool ok = false;
  uint64_t cause = 0, tval = 0;
  uint64_t data = 0;                          // loads, AMO old value, fetch parcel
  std::vector<sv39ref::Result> translations;  // one per translation the model performs (2 for page splits)
  std::vector<uint64_t> translation_vas;      // the VA of each
  std::vector<std::pair<uint64_t, uint64_t>> pte_writes;
};

// The model's walks during one access against the reference's translations: each walk belongs to the
// translation of the same VA, makes that translation's PTE reads (from the level a page-walk-cache hit
// starts at), and ends as it does. Returns "" or what differs.
std::string compare_walks(const std::vector<WalkRecord>& walks, const Expected& ex) {
  std::ostringstream why;
  for (size_t k = 0; k < walks.size(); ++k) {
    const WalkOutcome& ev = walks[k].ev;
    const auto it = std::find(ex.translation_vas.begin(), ex.translation_vas.end(), ev.va);
    if (it == ex.translation_vas.end()) {
      why << "walk " << k << " for a VA the access does not translate; ";
      continue;
    }
    const sv39ref::Result& r = ex.translations[it - ex.translation_vas.begin()];
    if (!r.translated) {
      why << "walk " << k << " although Sv39 does not apply; ";
      continue;
    }
    const bool walk_ok = r.mapped;  // the walk found a leaf; a final PMP fault comes after it
    if (ev.ok != walk_ok) why << "walk " << k << " outcome differs; ";
    if (!ev.ok && !walk_ok && ev.cause != r.cause) why << "walk " << k << " cause differs; ";
    if (ev.ok && walk_ok && static_cast<int>(ev.level) != r.level)
      why << "walk " << k << " leaf level differs; ";
    if (ev.ad_updated != r.ad_written) why << "walk " << k << " A/D update differs; ";
    const int start = ev.pwc_hit_level ? static_cast<int>(ev.pwc_hit_level) - 1 : sv39ref::kLevels - 1;
    std::vector<sv39ref::PteRead> want;
    for (const auto& rd : r.reads)
      if (rd.level <= start) want.push_back(rd);
    const auto& got = walks[k].reads;
    bool same = got.size() == want.size();
    for (size_t i = 0; same && i < got.size(); ++i)
      same = got[i].addr == want[i].addr && static_cast<int>(got[i].level) == want[i].level &&
             got[i].err == want[i].failed && got[i].data == want[i].value;
    if (!same) {
      why << "walk " << k << " PTE reads differ (pwc start L" << start << "):";
      for (const auto& rd : got)
        why << std::hex << " L" << rd.level << "@0x" << rd.addr << "=0x" << rd.data << (rd.err ? "!" : "")
            << std::dec;
      why << " vs";
      for (const auto& rd : want)
        why << std::hex << " L" << rd.level << "@0x" << rd.addr << "=0x" << rd.value << (rd.failed ? "!" : "")
            << std::dec;
      why << "; ";
    }
  }
  return why.str();
}

// Every TLB fill during one access holds what the reference found for the page it covers: the frame,
// the leaf's size and whether it is global; and when this access walked, the leaf's V R W X U G A D bits
// with the A/D it set. (A fill from an L2 TLB hit may carry older A/D bits: another VA that shares the
// leaf PTE can set them in memory, and a cached copy without them is still a correct one.)
std::string compare_fills(const std::vector<TlbEntry>& fills, const std::vector<WalkRecord>& walks,
                          const Expected& ex) {
  std::ostringstream why;
  for (size_t k = 0; k < fills.size(); ++k) {
    const TlbEntry& e = fills[k];
    size_t i = 0;
    while (i < ex.translation_vas.size() && !e.covers(ex.translation_vas[i] >> 12)) ++i;
    if (i == ex.translation_vas.size() || !ex.translations[i].mapped || !ex.translations[i].translated) {
      why << "TLB fill " << k << " for a page the reference does not map; ";
      continue;
    }
    const sv39ref::Result& r = ex.translations[i];
    const uint64_t vpn = ex.translation_vas[i] >> 12;
    if (e.ppn + (vpn - e.vpn) != r.paddr >> 12) why << "TLB fill " << k << " frame differs; ";
    if (std::max(e.level, e.page_level) != r.level) why << "TLB fill " << k << " leaf size differs; ";
    const bool walked = std::any_of(walks.begin(), walks.end(),
                                    [&](const WalkRecord& w) { return w.ev.va == ex.translation_vas[i]; });
    if (walked && e.pte != (r.leaf & 0xff)) why << "TLB fill " << k << " leaf bits differ; ";
    if (e.global != r.global) why << "TLB fill " << k << " global differs; ";
  }
  return why.str();
}

uint64_t env_or(const char* name, uint64_t fallback) {
  const char* v = std::getenv(name);
  return v ? std::strtoull(v, nullptr, 0) : fallback;
}
// SV39_REF_TRACE=1 logs every fence, table change and access of the random test (for debugging).
const bool g_trace = env_or("SV39_REF_TRACE", 0) != 0;

// What the random test reached (SV39_REF_STATS=1 prints it).
struct Coverage {
  uint64_t accesses = 0, ok = 0, splits = 0, by_cause[16] = {}, by_source[4] = {}, mapped_then_pmp = 0;
  uint64_t pwc_hits = 0, ad_updates = 0, tlb_hits = 0, walks = 0, leaf_remaps = 0, pointer_changes = 0;
  uint64_t fences[kFlushKinds] = {}, tables = 0, pmp_changes = 0, rigs = 0;
  uint64_t walk_access_faults = 0, data_access_faults = 0;
};
Coverage g_cov;

// Checks one access on `rig` against the reference; returns "" or a description of the mismatch.
class Checker {
 public:
  explicit Checker(Rig& rig) : rig_(rig) {}

  std::string check(const HartContext& hc, Kind kind, uint64_t va, Rng& rng) {
    Mmu& mmu = rig_.mmu;
    mmu.set_context(hc.priv, hc.mstatus, hc.satp);
    const bool hw_ad = mmu.config().hardware_ad;
    const sv39ref::Context ctx = reference_context(hc, hw_ad, mmu.pmp());
    const Access a = kind_access(kind);
    const sv39ref::Access ra = to_ref(a);
    const unsigned size = kind_size(kind);

    // The reference first, on the memory state the model is about to see.
    OverlayMemory ov(rig_.ram);
    Expected ex;
    struct Part {
      uint64_t va, pa;
      unsigned len, shift;
    };
    std::vector<Part> parts;
    uint64_t store_value = rng.u64();  // for accesses that must fault: a store must then write nothing
    std::vector<uint64_t> touched;     // physical addresses (in RAM) whose bytes must match the reference
    {
      const bool translated = sv39ref::sv39_applies(ctx, ra);
      const bool split = translated && kind != Kind::Fetch && (va & 0xfff) + size > 0x1000;
      const unsigned first = split ? 0x1000 - static_cast<unsigned>(va & 0xfff) : size;
      // One translation per page touched (the model checks each page with its own length).
      for (const unsigned off : {0u, first}) {
        if (off == size) break;
        const unsigned len = off == 0 ? first : size - first;
        const sv39ref::Result r = sv39ref::translate(ctx, va + off, ra, ov, len);
        ex.translations.push_back(r);
        ex.translation_vas.push_back(va + off);
        if (r.mapped) touched.push_back(r.paddr);
        if (!r.ok) {
          ex.cause = r.cause;
          ex.tval = r.tval;
          parts.clear();
          break;
        }
        parts.push_back({va + off, r.paddr, len, off});
      }
      // The data side: RAM, the device page, or an access fault (instructions come from RAM only).
      bool ok = !parts.empty();
      for (const Part& p : parts) {
        const bool ram = in_ram(p.pa, p.len), dev = in_dev(p.pa, p.len);
        for (unsigned i = 0; i < p.len && (ram || dev); ++i)
          ex.data |= uint64_t{ram ? ov.byte(p.pa + i) : dev_byte(p.pa + i)} << (8 * (p.shift + i));
        if (ok && !ram && !(dev && kind != Kind::Fetch)) {
          ok = false;  // the first part that nothing answers faults; an earlier part may have been done
          ex.cause = sv39ref::access_fault(ra);
          ex.tval = p.va;
        }
      }
      // Stores write the bytes that are there, inverted, so the test sees where they land; the test
      // puts the old bytes back afterwards. (When the translation faults, nothing may be written.)
      if (!parts.empty()) store_value = ~ex.data;
      ex.ok = ok;
      ex.pte_writes = ov.writes;
    }

    // What memory must hold afterwards around every physical address the access touched (taken now:
    // the overlay reads through to the live RAM, which the model is about to change).
    std::vector<std::pair<uint64_t, uint8_t>> must_hold;
    for (uint64_t pa : touched)
      for (uint64_t b = pa & ~7ull; b < (pa & ~7ull) + 16; ++b)
        if (in_ram(b, 1)) must_hold.emplace_back(b, ov.byte(b));

    // The model.
    rig_.obs.events.clear();
    rig_.obs.walk_records.clear();
    rig_.obs.fills.clear();
    rig_.target->writes.clear();
    uint64_t got = 0;
    bool ok = false;
    switch (kind) {
      case Kind::Fetch: {
        uint64_t pa;
        uint16_t parcel = 0;
        ok = mmu.translate_fetch(va, &pa) && mmu.fetch_parcel(pa, va, &parcel);
        got = parcel;
        break;
      }
      case Kind::Load8: ok = load<uint8_t>(va, &got); break;
      case Kind::Load16: ok = load<uint16_t>(va, &got); break;
      case Kind::Load32: ok = load<uint32_t>(va, &got); break;
      case Kind::Load64: ok = load<uint64_t>(va, &got); break;
      case Kind::Store8: ok = mmu.store<uint8_t>(va, static_cast<uint8_t>(store_value)); break;
      case Kind::Store16: ok = mmu.store<uint16_t>(va, static_cast<uint16_t>(store_value)); break;
      case Kind::Store64: ok = mmu.store<uint64_t>(va, store_value); break;
      case Kind::Amo32: {
        uint32_t old = 0;
        ok = mmu.amo<uint32_t>(va, &old, [](uint32_t v) { return ~v; });
        got = old;
        break;
      }
      case Kind::Amo64: {
        uint64_t old = 0;
        ok = mmu.amo<uint64_t>(va, &old, [](uint64_t v) { return ~v; });
        got = old;
        break;
      }
    }
    std::ostringstream why;
    // Where a store or AMO went: the inverted bytes must be at the reference's physical address. Then
    // the test puts the old bytes back.
    auto old_byte = [&](const Part& p, unsigned i) {
      return static_cast<uint8_t>(ex.data >> (8 * (p.shift + i)));
    };
    if (a == Access::Store && ok && ex.ok) {
      for (const Part& p : parts)
        for (unsigned i = 0; i < p.len && in_ram(p.pa, p.len); ++i)
          if (rig_.ram[p.pa + i - kRamBase] != static_cast<uint8_t>(~old_byte(p, i))) {
            why << "stored data not at the reference's physical address; ";
            break;
          }
    }
    for (const Part& p : parts)
      if (a == Access::Store && in_ram(p.pa, p.len))
        for (unsigned i = 0; i < p.len; ++i) rig_.ram[p.pa + i - kRamBase] = old_byte(p, i);
    // Compare.
    if (ok != ex.ok) why << "success differs; ";
    if (!ok && !ex.ok && (mmu.fault().cause != ex.cause || mmu.fault().tval != ex.tval))
      why << "fault differs; ";
    const bool reads_data = a != Access::Store || kind_is_amo(kind);
    if (ok && ex.ok && reads_data && got != ex.data) why << "data differs; ";
    const auto& evs = rig_.obs.events;
    // Only Sv39 translations are published (a Bare-mode access maps to itself and involves no TLB).
    std::vector<sv39ref::Result> translated;
    for (const auto& r : ex.translations)
      if (r.translated) translated.push_back(r);
    if (!rig_.obs.wants_translations()) {
      // The micro-TLB path publishes nothing: the data told where the access went.
    } else if (evs.size() != translated.size()) {
      why << "translation count differs (" << evs.size() << " vs " << translated.size() << "); ";
    } else {
      for (size_t i = 0; i < evs.size(); ++i) {
        const sv39ref::Result& r = translated[i];
        if (evs[i].fault != !r.mapped)
          why << "translation " << i << " fault flag differs; ";
        else if (r.mapped && evs[i].paddr != r.paddr)
          why << "translation " << i << " paddr differs; ";
        else if (!r.mapped && evs[i].cause != r.cause)
          why << "translation " << i << " cause differs; ";
        else if (r.mapped && r.translated && evs[i].source == TranslationSource::Walk &&
                 static_cast<int>(evs[i].page_level) != r.level)
          why << "translation " << i << " page level differs; ";
        if (to_ref(evs[i].eff_priv) != r.eff_priv)
          why << "translation " << i << " effective privilege differs; ";
      }
    }
    why << compare_walks(rig_.obs.walk_records, ex)
        << compare_fills(rig_.obs.fills, rig_.obs.walk_records, ex);
    if (rig_.obs.wants_translations()) {
      // Every translation that a walk served was one walk (no more, no fewer).
      const size_t walked = std::count_if(
          evs.begin(), evs.end(), [](const XlateRecord& e) { return e.source == TranslationSource::Walk; });
      if (walked != rig_.obs.walk_records.size()) why << "walk count differs from walked translations; ";
    }
    if (rig_.target->writes != ex.pte_writes) why << "PTE (A/D) writes differ; ";
    // Memory where the access went (or would have gone) holds what the reference says: its A/D writes,
    // and no store data (put back above, or never written when the access faults).
    for (const auto& [b, v] : must_hold)
      if (rig_.ram[b - kRamBase] != v) {
        why << "memory at 0x" << std::hex << b << std::dec << " differs; ";
        break;
      }
    ++g_cov.accesses;
    g_cov.ok += ok;
    if (!ok) ++g_cov.by_cause[mmu.fault().cause & 15];
    g_cov.splits += ex.translations.size() > 1;
    for (const auto& e : evs) ++g_cov.by_source[static_cast<unsigned>(e.source)];
    for (const auto& r : ex.translations) {
      g_cov.mapped_then_pmp += r.mapped && !r.ok;
      g_cov.walk_access_faults += !r.mapped && r.cause == sv39ref::access_fault(ra);
    }
    g_cov.data_access_faults += !ex.ok && ex.translations.back().ok;
    if (g_trace)
      std::printf("  %s va=%#llx %s ok=%d cause=%llu src=%d\n", kind_name(kind), (unsigned long long)va,
                  describe(hc, hw_ad).c_str(), ok, (unsigned long long)(ok ? 0 : mmu.fault().cause),
                  evs.empty() ? -1 : static_cast<int>(evs.back().source));
    if (why.str().empty()) return "";

    std::ostringstream os;
    os << why.str() << "\n  access " << kind_name(kind) << std::hex << " va=0x" << va << std::dec
       << "\n  context " << describe(hc, hw_ad) << "\n  model: ok=" << ok << std::hex << " cause=" << std::dec
       << mmu.fault().cause << std::hex << " tval=0x" << mmu.fault().tval << " data=0x" << got;
    for (const auto& e : evs)
      os << "\n    xlate va=0x" << e.va << " paddr=0x" << e.paddr << std::dec << " level=" << e.page_level
         << " source=" << static_cast<int>(e.source) << " fault=" << e.fault << " cause=" << e.cause
         << std::hex;
    for (const auto& w : rig_.obs.walk_records) {
      os << "\n    walk va=0x" << w.ev.va << std::dec << " ok=" << w.ev.ok << " cause=" << w.ev.cause
         << " level=" << w.ev.level << " pwc_hit_level=" << w.ev.pwc_hit_level << std::hex;
      for (const auto& rd : w.reads)
        os << "\n      pte read L" << rd.level << " @0x" << rd.addr << " = 0x" << rd.data
           << (rd.err ? " ERR" : "");
    }
    for (const auto& e : rig_.obs.fills)
      os << "\n    tlb fill vpn=0x" << e.vpn << " ppn=0x" << e.ppn << " level=" << int{e.level}
         << " page_level=" << int{e.page_level} << " pte=0x" << int{e.pte} << " global=" << e.global;
    for (const auto& w : rig_.target->writes) os << "\n    pte write @0x" << w.first << " = 0x" << w.second;
    os << "\n  expected: ok=" << ex.ok << std::dec << " cause=" << ex.cause << std::hex << " tval=0x"
       << ex.tval << " data=0x" << ex.data << std::dec;
    for (const auto& r : ex.translations) os << "\n    reference " << describe(r);
    for (const auto& w : ex.pte_writes)
      os << std::hex << "\n    pte write @0x" << w.first << " = 0x" << w.second;
    return os.str();
  }

 private:
  template <typename T>
  bool load(uint64_t va, uint64_t* out) {
    T v = 0;
    const bool ok = rig_.mmu.load<T>(va, &v);
    *out = v;
    return ok;
  }

  Rig& rig_;
};

// ---------------------------------------------------------------------------------------------------------
// Random page tables.

struct Region {
  uint64_t va;
  unsigned level;
};
struct Slot {
  uint64_t pte_addr;
  unsigned level;
  uint64_t va;
  bool global_path;  // a G pointer above, or G in the PTE itself
};

uint64_t sign_extend39(uint64_t va) {
  return static_cast<uint64_t>(static_cast<int64_t>(va << 25) >> 25);
}

struct Tables {
  uint64_t root = 0;
  std::vector<Region> regions;
  std::vector<Slot> leaves, pointers;
  std::vector<uint64_t> table_pages, junk_pages;
  bool any_global = false;
};

class TableBuilder {
 public:
  TableBuilder(Rng& rng, uint8_t* ram, bool no_global, bool no_alias)
      : rng_(rng), ram_(ram), no_global_(no_global), no_alias_(no_alias) {}

  Tables build() {
    std::memset(ram_, 0, kRamSize);
    for (uint64_t i = 0; i < kRamPages; ++i) free_.push_back(kRamBase + i * 4096);
    for (size_t i = free_.size() - 1; i > 0; --i) std::swap(free_[i], free_[rng_.below(i + 1)]);
    t_.root = alloc();
    fill(t_.root, 2, 0, false);
    t_.junk_pages = free_;
    // Data pages hold words that differ everywhere (so a load tells where it went); some also hold
    // PTE-like junk that stray pointers and superpages run into.
    const uint64_t salt = rng_.u64();
    for (uint64_t page : free_) {
      for (uint64_t pa = page; pa < page + 4096; pa += 8) {
        const uint64_t w = (pa * 0x9e3779b97f4a7c15ull) ^ salt;
        std::memcpy(ram_ + (pa - kRamBase), &w, 8);
      }
      if (!rng_.chance(0.4)) continue;
      for (uint64_t n = rng_.below(64); n > 0; --n)
        write(page + rng_.below(512) * 8, junk_word(static_cast<unsigned>(rng_.below(3))));
    }
    return t_;
  }

  // A fresh PTE for an existing leaf slot (mid-trial remaps).
  uint64_t new_leaf(unsigned level, bool* global) {
    uint64_t v = leaf(level);
    if (no_global_) v &= ~pte::kG;
    *global = (v & pte::kG) != 0;
    return v;
  }
  // A replacement for a pointer slot that does not create aliasing: invalid, junk, or nowhere.
  uint64_t new_pointer_target(unsigned level) {
    switch (rng_.below(4)) {
      case 0: return 0;
      case 1: return junk_word(level);
      case 2:
        if (!t_.junk_pages.empty())
          return pointer_to(t_.junk_pages[rng_.below(t_.junk_pages.size())]) &
                 (no_global_ ? ~pte::kG : ~0ull);
        [[fallthrough]];
      default: return pointer_to(0x4000'0000 + rng_.below(1 << 16) * 4096);
    }
  }

 private:
  uint64_t alloc() {
    if (free_.size() <= 6) return 0;  // keep pages for data
    const uint64_t p = free_.back();
    free_.pop_back();
    t_.table_pages.push_back(p);
    return p;
  }
  void write(uint64_t pa, uint64_t v) {
    if (no_global_) v &= ~pte::kG;
    if (v & pte::kG) t_.any_global = true;
    std::memcpy(ram_ + (pa - kRamBase), &v, 8);
  }
  uint64_t rsw() { return rng_.chance(0.3) ? rng_.below(4) << 8 : 0; }

  uint64_t pointer_to(uint64_t table_pa) {
    uint64_t v = pte::kV | ((table_pa >> 12) << pte::kPpnShift) | rsw();
    if (rng_.chance(0.15)) v |= pte::kG;
    return v;
  }

  // Where junk pointers go: any RAM page, or (no aliasing wanted) only places no table is.
  uint64_t stray_table() {
    if (!no_alias_) return kRamBase + rng_.below(kRamPages) * 4096;
    return rng_.chance(0.5) ? kRamBase + kRamSize + rng_.below(16) * 4096 : kDevBase;
  }

  uint64_t leaf_ppn(unsigned level) {
    const uint64_t ram_ppn = kRamBase >> 12;
    const uint64_t align = (1ull << (9 * level)) - 1;
    const unsigned r = static_cast<unsigned>(rng_.below(100));
    if (level == 0) {
      if (r < 80) return ram_ppn + rng_.below(kRamPages);
      if (r < 87) return kDevBase >> 12;
      if (r < 93) return ram_ppn + kRamPages + rng_.below(4);  // just past RAM
      return rng_.below(1ull << 44);
    }
    if (r < 70) return ram_ppn;  // RAM is at the start of a 2 MiB and of a 1 GiB frame
    if (r < 80) return level == 1 ? (kDevBase >> 12) : 0;  // frames that hold the device page
    if (r < 90) return (rng_.below(1ull << 44) & ~align) | (1 + rng_.below(align));  // misaligned superpage
    return rng_.below(1ull << 44) & ~align;
  }

  uint64_t leaf(unsigned level) {
    uint64_t perms;
    const unsigned r = static_cast<unsigned>(rng_.below(100));
    if (r < 20)
      perms = pte::kR;
    else if (r < 45)
      perms = pte::kR | pte::kW;
    else if (r < 55)
      perms = pte::kX;
    else if (r < 70)
      perms = pte::kR | pte::kX;
    else if (r < 92)
      perms = pte::kR | pte::kW | pte::kX;
    else if (r < 96)
      perms = pte::kW;  // reserved
    else
      perms = pte::kW | pte::kX;  // reserved
    uint64_t v = pte::kV | perms | (leaf_ppn(level) << pte::kPpnShift) | rsw();
    if (rng_.chance(0.4)) v |= pte::kU;
    if (rng_.chance(0.15)) v |= pte::kG;
    if (rng_.chance(0.6)) v |= pte::kA;
    if (rng_.chance(0.4)) v |= pte::kD;
    if (rng_.chance(0.03)) v &= ~pte::kV;
    if (rng_.chance(0.03)) v |= 1ull << (54 + rng_.below(10));
    return v;
  }

  // Words that a walk must reject, or random ones.
  uint64_t junk_word(unsigned level) {
    switch (rng_.below(8)) {
      case 0: return 0;
      case 1: return rng_.u64() & ~pte::kV;
      case 2: return leaf(level) | (1ull << (54 + rng_.below(10)));   // reserved bits
      case 3: return (leaf(level) & ~(pte::kR | pte::kX)) | pte::kW;  // W without R
      case 4: {                                                       // pointer with D, A or U
        const uint64_t dau[] = {pte::kD, pte::kA, pte::kU};
        return pointer_to(stray_table()) | dau[rng_.below(3)];
      }
      case 5: return pointer_to(stray_table());  // a level-0 pointer faults
      case 6: return rng_.u64();
      default: return leaf(level);
    }
  }

  // Fills some entries of the table at `table` (level `level`) covering VAs from `va_prefix`.
  void fill(uint64_t table, unsigned level, uint64_t va_prefix, bool global_path) {
    std::set<uint64_t> indices;
    const unsigned n = level == 2 ? 2 + static_cast<unsigned>(rng_.below(4))
                                  : 1 + static_cast<unsigned>(rng_.below(level == 1 ? 4 : 6));
    while (indices.size() < n) {
      indices.insert(level == 2 ? rng_.pick<uint64_t>({0, 1, 2, 255, 256, 511, rng_.below(512)})
                                : rng_.pick<uint64_t>({0, 1, 2, 3, 511, rng_.below(512), rng_.below(512)}));
    }
    for (uint64_t idx : indices) {
      uint64_t va = va_prefix | (idx << (12 + 9 * level));
      if (level == 2) va = sign_extend39(va);
      const uint64_t pte_addr = table + idx * 8;
      t_.regions.push_back({va, level});
      const unsigned r = static_cast<unsigned>(rng_.below(100));
      if (level > 0 && r < 50) {
        if (const uint64_t sub = alloc()) {
          uint64_t v = pointer_to(sub);
          if (no_global_) v &= ~pte::kG;
          write(pte_addr, v);
          const bool g = global_path || (v & pte::kG);
          t_.pointers.push_back({pte_addr, level, va, g});
          fill(sub, level - 1, va, g);
          continue;
        }
      }
      if (r < 80) {
        const uint64_t v = leaf(level) & (no_global_ ? ~pte::kG : ~0ull);
        write(pte_addr, v);
        t_.leaves.push_back({pte_addr, level, va, global_path || (v & pte::kG)});
      } else if (r < 92 || level == 0) {
        write(pte_addr, junk_word(level));
      } else {
        // A pointer somewhere odd: another table (aliasing, even a cycle), a junk page, past RAM, a device.
        const unsigned w = static_cast<unsigned>(rng_.below(4));
        uint64_t target;
        if (w == 0 && !no_alias_)
          target = t_.table_pages[rng_.below(t_.table_pages.size())];
        else if (w <= 1)
          target = kRamBase + rng_.below(kRamPages) * 4096;  // may be a table unless no_alias
        else if (w == 2)
          target = kRamBase + kRamSize + rng_.below(16) * 4096;
        else
          target = kDevBase;
        if (no_alias_ && w <= 1) {
          // Only pages that no table uses (decided later), so take a page off the free list now.
          if (free_.size() > 6) {
            target = free_.front();
          } else {
            target = kDevBase;
          }
        }
        write(pte_addr, pointer_to(target));
      }
    }
  }

  Rng& rng_;
  uint8_t* ram_;
  bool no_global_, no_alias_;
  std::vector<uint64_t> free_;
  Tables t_;
};

// ---------------------------------------------------------------------------------------------------------
// Random PMP settings.

uint64_t napot(uint64_t base, uint64_t size) {
  return (base >> 2) | ((size >> 3) - 1);
}

struct PmpPlan {
  std::array<uint8_t, Pmp::kEntries> cfg{};
  std::array<uint64_t, Pmp::kEntries> addr{};
  bool locked = false;
};

PmpPlan random_pmp(Rng& rng, const Tables& t) {
  PmpPlan p;
  const unsigned mode = static_cast<unsigned>(rng.below(100));
  const uint64_t full = (1ull << 54) - 1;  // NAPOT over the whole 2^56-byte physical space
  if (mode < 1) return p;                  // nothing configured: S/U get no access at all
  if (mode < 45) {
    const unsigned i = static_cast<unsigned>(rng.below(Pmp::kEntries));
    p.cfg[i] = Pmp::kNapot | Pmp::kR | Pmp::kW | Pmp::kX;
    p.addr[i] = full;
    return p;
  }
  const unsigned n = 1 + static_cast<unsigned>(rng.below(5));
  const bool lock = rng.chance(0.1);
  auto ram_page = [&]() { return kRamBase + rng.below(kRamPages) * 4096; };
  const uint8_t rwx = Pmp::kR | Pmp::kW | Pmp::kX;
  for (unsigned i = 0; i < n; ++i) {
    uint8_t perms = static_cast<uint8_t>(rng.below(8));
    switch (rng.below(9)) {
      case 0: {  // a page-table page: deny PTE reads (no R) or A/D writes (no W), or not
        const uint64_t page =
            t.table_pages.empty() ? ram_page() : t.table_pages[rng.below(t.table_pages.size())];
        p.cfg[i] = Pmp::kNapot;
        p.addr[i] = napot(page, 4096);
        perms = rng.pick<uint8_t>({0, Pmp::kR, Pmp::kR | Pmp::kX, Pmp::kR | Pmp::kW, rwx, perms});
        break;
      }
      case 2:  // a data page
        p.cfg[i] = Pmp::kNapot;
        p.addr[i] = napot(ram_page(), 4096);
        break;
      case 3:  // four bytes inside a page
        p.cfg[i] = Pmp::kNa4;
        p.addr[i] = (ram_page() + rng.below(1024) * 4) >> 2;
        break;
      case 4: {  // a small naturally aligned block inside a page
        const uint64_t size = 8ull << rng.below(8);
        p.cfg[i] = Pmp::kNapot;
        p.addr[i] = napot(ram_page() + (rng.below(4096) & ~(size - 1)), size);
        break;
      }
      case 5:  // top of range [pmpaddr[i-1], here)
        if (rng.chance(0.8)) perms = rwx;
        p.cfg[i] = Pmp::kTor;
        p.addr[i] = (kRamBase + rng.below(kRamSize / 4) * 4) >> 2;
        if (i > 0 && rng.chance(0.5)) p.addr[i - 1] = (kRamBase + rng.below(kRamSize / 4) * 4) >> 2;
        break;
      case 6:  // all of RAM
        if (rng.chance(0.8)) perms = rwx;
        p.cfg[i] = Pmp::kNapot;
        p.addr[i] = napot(kRamBase, kRamSize);
        break;
      case 7:  // the device page
        p.cfg[i] = Pmp::kNapot;
        p.addr[i] = napot(kDevBase, 4096);
        break;
      default:  // a page just past RAM, where stray pointers and leaves go
        p.cfg[i] = Pmp::kNapot;
        p.addr[i] = napot(kRamBase + kRamSize + rng.below(4) * 4096, 4096);
        break;
    }
    p.cfg[i] |= perms;
    if (lock && rng.chance(0.5)) {
      p.cfg[i] |= Pmp::kL;
      p.locked = true;
    }
  }
  if (rng.below(100) >= 3) {  // the catch-all (rarely missing), NAPOT or TOR from 0 over everything
    const uint8_t perms = rng.chance(0.85) ? Pmp::kR | Pmp::kW | Pmp::kX : static_cast<uint8_t>(rng.below(8));
    if (rng.chance(0.3) && n + 1 < Pmp::kEntries) {
      const unsigned i = n + 1 + static_cast<unsigned>(rng.below(Pmp::kEntries - n - 1));
      p.addr[i - 1] = 0;  // entry i-1 is off: its address is just the TOR's lower bound
      p.cfg[i] = Pmp::kTor | perms;
      p.addr[i] = full;
    } else {
      const unsigned i = n + static_cast<unsigned>(rng.below(Pmp::kEntries - n));
      p.cfg[i] = Pmp::kNapot | perms;
      p.addr[i] = full;
    }
  }
  return p;
}

void apply_pmp(Pmp& pmp, const PmpPlan& p) {
  for (unsigned i = 0; i < Pmp::kEntries; ++i) pmp.write_addr(i, p.addr[i]);
  uint64_t c0 = 0, c2 = 0;
  for (unsigned i = 0; i < 8; ++i) {
    c0 |= uint64_t{p.cfg[i]} << (8 * i);
    c2 |= uint64_t{p.cfg[i + 8]} << (8 * i);
  }
  pmp.write_cfg(0, c0);
  pmp.write_cfg(2, c2);
}

// ---------------------------------------------------------------------------------------------------------
// Random configurations.

TlbConfig random_tlb(Rng& rng, const char* name, bool l2) {
  TlbConfig t;
  t.name = name;
  t.sets = l2 ? rng.pick<unsigned>({1, 4, 16, 32}) : rng.pick<unsigned>({1, 1, 2, 4, 8});
  // 32 ways: wide enough for the TLB's tag index (Tlb::kIndexedWays).
  t.ways = l2 ? rng.pick<unsigned>({1, 2, 4, 8, 32}) : rng.pick<unsigned>({1, 2, 4, 8, 32});
  t.policy = rng.pick({ReplacementPolicy::Lru, ReplacementPolicy::TreePlru, ReplacementPolicy::Fifo,
                       ReplacementPolicy::Random});
  t.seed = rng.u64();
  t.latency = static_cast<unsigned>(rng.below(4));
  t.superpages = rng.pick({SuperpageMode::Main, SuperpageMode::Separate, SuperpageMode::Splinter});
  t.superpage_entries = rng.pick<unsigned>({1, 2, 4, 8, 32});
  return t;
}

MmuConfig random_mmu_config(Rng& rng) {
  MmuConfig c;
  c.itlb = random_tlb(rng, "itlb", false);
  c.dtlb = random_tlb(rng, "dtlb", false);
  c.l2tlb_enabled = rng.chance(0.7);
  c.l2tlb = random_tlb(rng, "l2tlb", true);
  c.hardware_ad = rng.chance(0.5);
  c.flush_on_satp_write = rng.chance(0.2);
  return c;
}

WalkerConfig random_walker_config(Rng& rng) {
  WalkerConfig w;
  w.pwc_enabled = rng.chance(0.75);
  w.pwc_per_level = rng.chance(0.5);
  w.pwc_sets = rng.pick<unsigned>({1, 1, 2, 4});
  w.pwc_ways = rng.pick<unsigned>({1, 2, 4, 8});
  w.pwc_policy = rng.pick({ReplacementPolicy::Lru, ReplacementPolicy::TreePlru, ReplacementPolicy::Fifo,
                           ReplacementPolicy::Random});
  w.pwc_seed = rng.u64();
  w.step_cycles = static_cast<unsigned>(rng.below(3));
  return w;
}

uint64_t make_satp(uint16_t asid, uint64_t root) {
  return (sv39::kSatpModeSv39 << 60) | (uint64_t{asid} << 44) | (root >> 12);
}

HartContext random_context(Rng& rng, uint64_t satp) {
  HartContext c;
  c.satp = satp;
  const unsigned r = static_cast<unsigned>(rng.below(100));
  c.priv = r < 40 ? Priv::S : r < 75 ? Priv::U : Priv::M;
  if (rng.chance(0.5)) c.mstatus |= mstatus::kSum;
  if (rng.chance(0.5)) c.mstatus |= mstatus::kMxr;
  if (c.priv == Priv::M ? rng.chance(0.7) : rng.chance(0.2)) c.mstatus |= mstatus::kMprv;
  c.mstatus |= uint64_t{rng.pick<uint8_t>({0, 1, 1, 3})} << mstatus::kMppShift;
  return c;
}

Kind random_kind(Rng& rng) {
  const unsigned r = static_cast<unsigned>(rng.below(100));
  if (r < 25) return Kind::Fetch;
  if (r < 30) return Kind::Load8;
  if (r < 33) return Kind::Load16;
  if (r < 38) return Kind::Load32;
  if (r < 55) return Kind::Load64;
  if (r < 61) return Kind::Store8;
  if (r < 64) return Kind::Store16;
  if (r < 80) return Kind::Store64;
  if (r < 86) return Kind::Amo32;
  return Kind::Amo64;
}

// Aligns `va` for `kind`: naturally aligned mostly, some misaligned loads/stores, a few across pages.
uint64_t align_for(Rng& rng, Kind kind, uint64_t va) {
  const unsigned size = kind_size(kind);
  if (kind == Kind::Fetch) return va & ~1ull;
  if (kind_is_amo(kind) || size == 1) return va & ~uint64_t{size - 1};
  const unsigned r = static_cast<unsigned>(rng.below(100));
  if (r < 4 && va < ~0ull - 0x2000) return (va | 0xfff) - rng.below(size - 1);  // crosses into the next page
  if (r < 12) return va;
  return va & ~uint64_t{size - 1};
}

// An address inside `reg`: in superpages mostly where RAM (or the device page) is.
uint64_t va_in(Rng& rng, const Region& reg) {
  const uint64_t size = sv39::page_size(reg.level);
  uint64_t off = reg.level == 0 || rng.chance(0.85) ? rng.below(std::min(size, kRamSize)) : rng.below(size);
  if (reg.level > 0 && rng.chance(0.1)) off = rng.below(kDevSize) + (kDevBase & (size - 1));
  return reg.va + off;
}

uint64_t random_va(Rng& rng, const Tables& t) {
  const unsigned r = static_cast<unsigned>(rng.below(100));
  if (r < 4 || t.regions.empty()) return sign_extend39(rng.u64());
  uint64_t va = va_in(rng, t.regions[rng.below(t.regions.size())]);
  if (r < 8) va ^= 1ull << (39 + rng.below(25));  // non-canonical
  return va;
}

// Where the next access goes: often into a leaf the tables built, with the leaf as it is now, so the
// context and access kind can be chosen to suit it (and most such accesses succeed).
struct Pick {
  uint64_t va = 0;
  bool has_leaf = false;
  uint64_t leaf = 0;
};

Pick random_pick(Rng& rng, const Tables& t, const uint8_t* ram) {
  Pick p;
  if (t.leaves.empty() || rng.chance(0.4)) {
    p.va = random_va(rng, t);
    return p;
  }
  const Slot& s = t.leaves[rng.below(t.leaves.size())];
  p.va = va_in(rng, Region{s.va, s.level});
  p.has_leaf = true;
  std::memcpy(&p.leaf, ram + (s.pte_addr - kRamBase), 8);
  return p;
}

// A context that the leaf's U bit admits (U-mode for U pages, else S-mode, sometimes through MPRV).
HartContext friendly_context(Rng& rng, uint64_t satp, uint64_t leaf) {
  HartContext c = random_context(rng, satp);
  const Priv want = (leaf & pte::kU) ? (rng.chance(0.8) ? Priv::U : Priv::S) : Priv::S;
  c.mstatus &= ~(mstatus::kMprv | mstatus::kMpp);
  c.mstatus |= uint64_t{static_cast<uint8_t>(want)} << mstatus::kMppShift;
  if (want == Priv::S && (leaf & pte::kU)) c.mstatus |= mstatus::kSum;
  if (rng.chance(0.15)) {
    c.priv = Priv::M;  // data accesses translate as MPP; fetches are M-mode and do not translate
    c.mstatus |= mstatus::kMprv;
  } else {
    c.priv = want;
  }
  return c;
}

// An access kind the leaf's permissions admit.
Kind friendly_kind(Rng& rng, uint64_t leaf) {
  for (int tries = 0; tries < 4; ++tries) {
    const Kind k = random_kind(rng);
    const Access a = kind_access(k);
    if ((a == Access::Fetch && (leaf & pte::kX)) || (a == Access::Load && (leaf & pte::kR)) ||
        (a == Access::Store && (leaf & pte::kW)))
      return k;
  }
  return random_kind(rng);
}

// ---------------------------------------------------------------------------------------------------------
// The randomized cross-check.

uint64_t total_hits(const Tlb& t) {
  uint64_t n = 0;
  for (const auto& by_level : t.counters().hits)
    for (uint64_t c : by_level) n += c;
  return n;
}

void account(Rig& rig) {
  ++g_cov.rigs;
  g_cov.walks += rig.obs.walks;
  g_cov.pwc_hits += rig.obs.pwc_hits;
  g_cov.ad_updates += rig.obs.ad_updates;
  for (Tlb* t : {rig.mmu.itlb(), rig.mmu.dtlb(), rig.mmu.l2tlb()}) {
    if (!t) continue;
    g_cov.tlb_hits += total_hits(*t);
  }
  for (unsigned k = 0; k < kFlushKinds; ++k) g_cov.fences[k] += rig.mmu.dtlb()->counters().flushes[k];
}

TEST(WalkerReference, RandomCrossCheck) {
  const uint64_t seed = env_or("SV39_REF_SEED", 0x5339'2024);
  const uint64_t trials = env_or("SV39_REF_TRIALS", 100'000);
  const uint64_t trials_per_config = 2'000;
  std::vector<uint8_t> ram(kRamSize);
  Rng rng(seed);

  std::unique_ptr<Rig> rig;
  std::unique_ptr<Checker> checker;
  Tables tables;
  bool pmp_locked = false;
  bool globals_since_flush = true;
  std::set<uint16_t> asids_live;  // used since the last full fence
  uint16_t next_asid = 1;
  uint16_t asids[2] = {1, 2};
  uint64_t root_override = 0;  // 0 or a root outside RAM
  bool bare = false;
  uint64_t satp = 0;
  uint64_t accesses = 0;
  bool no_alias = false, no_global = false;

  bool tables_global = false;  // the current tables (as modified) hold a G bit somewhere
  auto fence = [&](const SfenceReq& req) {
    if (g_trace)
      std::printf("sfence va=%d:%#llx asid=%d:%u\n", req.has_va, (unsigned long long)req.va, req.has_asid,
                  req.asid);
    rig->mmu.sfence(req);
  };
  auto fence_all = [&]() {
    fence(SfenceReq{});
    // What stays cached from here on: the current tables' translations, under the current ASIDs.
    asids_live = {asids[0], asids[1]};
    globals_since_flush = tables_global;
  };
  auto fresh_asid = [&]() {
    while (asids_live.count(next_asid) || next_asid == 0) ++next_asid;
    asids_live.insert(next_asid);
    return next_asid++;
  };

  for (uint64_t trial = 0; trial < trials; ++trial) {
    const bool new_rig = trial % trials_per_config == 0;
    if (new_rig) {
      if (rig) account(*rig);
      checker.reset();
      rig.reset();
      const MmuConfig cfg = random_mmu_config(rng);
      const WalkerConfig wcfg = random_walker_config(rng);
      rig = std::make_unique<Rig>(ram.data(), cfg, wcfg, rng.chance(0.5));
      checker = std::make_unique<Checker>(*rig);
      if (g_trace) {
        const MmuConfig& c = rig->mmu.config();
        const WalkerConfig& w = rig->walker->config();
        for (const TlbConfig* t : {&c.itlb, &c.dtlb, &c.l2tlb})
          std::printf("config %s %ux%u policy=%d superpages=%d/%u%s\n", t->name.c_str(), t->sets, t->ways,
                      static_cast<int>(t->policy), static_cast<int>(t->superpages), t->superpage_entries,
                      t == &c.l2tlb && !c.l2tlb_enabled ? " (off)" : "");
        std::printf("config hardware_ad=%d flush_on_satp_write=%d pwc=%d per_level=%d %ux%u\n", c.hardware_ad,
                    c.flush_on_satp_write, w.pwc_enabled, w.pwc_per_level, w.pwc_sets, w.pwc_ways);
      }
      pmp_locked = false;
      asids_live.clear();
      globals_since_flush = false;
    }

    // Page tables: new ones, with a fence that makes the switch legal; or keep the current ones.
    if (new_rig || rng.chance(0.4)) {
      no_global = rng.chance(0.4);
      no_alias = rng.chance(0.5);
      const unsigned how = static_cast<unsigned>(rng.below(3));
      if (how == 0 && no_global && !globals_since_flush) {
        // Fresh ASIDs, no fence: the old translations stay cached under ASIDs never used again.
      } else if (how == 1 && !globals_since_flush) {
        for (uint16_t a : asids_live) fence(SfenceReq{false, 0, true, a});
        asids_live.clear();
      } else {
        fence_all();
        asids_live.clear();
      }
      TableBuilder builder(rng, ram.data(), no_global, no_alias);
      tables = builder.build();
      ++g_cov.tables;
      tables_global = tables.any_global;
      globals_since_flush |= tables_global;
      asids[0] = fresh_asid();
      asids[1] = rng.chance(0.5) ? fresh_asid() : asids[0];
      if (g_trace)
        std::printf(
            "trial %llu: new tables root=%#llx how=%u no_global=%d no_alias=%d any_global=%d asids=%u,%u\n",
            (unsigned long long)trial, (unsigned long long)tables.root, how, no_global, no_alias,
            tables.any_global, asids[0], asids[1]);
      root_override = rng.chance(0.02) ? rng.pick<uint64_t>({kRamBase + kRamSize, kDevBase, 0x100}) : 0;
      bare = rng.chance(0.04);
    }

    // PMP: software fences after changing it.
    if (new_rig || rng.chance(0.15)) {
      if (pmp_locked) rig->mmu.reset();  // only a reset unlocks
      const PmpPlan plan = random_pmp(rng, tables);
      apply_pmp(rig->mmu.pmp(), plan);
      pmp_locked = plan.locked;
      ++g_cov.pmp_changes;
      rig->mmu.pmp_changed();
      if (g_trace) std::printf("trial %llu: new PMP\n", (unsigned long long)trial);
      fence_all();
    }
    const uint64_t root = root_override ? root_override : tables.root;

    // A stream of accesses with random contexts; repeats so that TLB and PWC hits happen.
    const unsigned n = 1 + static_cast<unsigned>(rng.below(rng.chance(0.2) ? 40 : 8));
    Pick pick;
    for (unsigned k = 0; k < n; ++k) {
      const uint16_t asid = asids[rng.below(2)];
      const uint64_t new_satp = bare ? 0 : make_satp(asid, root);
      if (new_satp != satp) {
        satp = new_satp;
        rig->mmu.set_context(Priv::S, 0, satp);
        rig->mmu.satp_written();
      }
      const unsigned r = static_cast<unsigned>(rng.below(100));
      if (k > 0 && r < 25) {
        // the same address again (TLB and PWC hits, A/D already set)
      } else if (k > 0 && r < 45) {
        pick.va = (pick.va & ~0xfffull) | rng.below(4096);  // the same page
      } else {
        pick = random_pick(rng, tables, ram.data());
      }
      const bool friendly = pick.has_leaf && rng.chance(0.75);
      const HartContext hc = friendly ? friendly_context(rng, satp, pick.leaf) : random_context(rng, satp);
      const Kind kind = friendly ? friendly_kind(rng, pick.leaf) : random_kind(rng);
      // Without translation (M-mode, MPRV aside; Bare) an address is physical: mostly RAM then.
      const bool mprv = hc.priv == Priv::M && (hc.mstatus & mstatus::kMprv) && kind != Kind::Fetch;
      const Priv eff = mprv ? static_cast<Priv>((hc.mstatus & mstatus::kMpp) >> mstatus::kMppShift) : hc.priv;
      if ((eff == Priv::M || bare) && rng.chance(0.7))
        pick.va = rng.chance(0.9) ? kRamBase + rng.below(kRamSize) : kDevBase + rng.below(kDevSize);
      const uint64_t va = align_for(rng, kind, pick.va);

      const std::string mismatch = checker->check(hc, kind, va, rng);
      ++accesses;
      if (!mismatch.empty()) {
        FAIL() << "model and reference differ (seed=0x" << std::hex << seed << std::dec << " trial=" << trial
               << " access=" << k << ", SV39_REF_SEED/SV39_REF_TRIALS reproduce): " << mismatch;
      }

      // Software remaps a leaf (fence for that VA) or changes a pointer (fence the address spaces).
      if (no_alias && !bare && !root_override && rng.chance(0.08)) {
        TableBuilder tb(rng, ram.data(), no_global, true);
        if (rng.chance(0.8) && !tables.leaves.empty()) {
          Slot& s = tables.leaves[rng.below(tables.leaves.size())];
          bool g = false;
          const uint64_t v = tb.new_leaf(s.level, &g);
          std::memcpy(ram.data() + (s.pte_addr - kRamBase), &v, 8);
          if (g_trace)
            std::printf("leaf @%#llx L%u va=%#llx := %#llx\n", (unsigned long long)s.pte_addr, s.level,
                        (unsigned long long)s.va, (unsigned long long)v);
          const bool global = s.global_path || g;
          ++g_cov.leaf_remaps;
          if (g) globals_since_flush = tables_global = true;
          const uint64_t fence_va = s.va + rng.below(sv39::page_size(s.level));
          if (global || rng.chance(0.5)) {
            fence(SfenceReq{true, fence_va, false, 0});
          } else {
            for (uint16_t a : {asids[0], asids[1]}) fence(SfenceReq{true, fence_va, true, a});
          }
          s.global_path = global;
        } else if (!tables.pointers.empty()) {
          const Slot& s = tables.pointers[rng.below(tables.pointers.size())];
          const uint64_t v = tb.new_pointer_target(s.level) & (no_global ? ~pte::kG : ~0ull);
          std::memcpy(ram.data() + (s.pte_addr - kRamBase), &v, 8);
          if (g_trace)
            std::printf("pointer @%#llx L%u va=%#llx := %#llx\n", (unsigned long long)s.pte_addr, s.level,
                        (unsigned long long)s.va, (unsigned long long)v);
          if (v & pte::kG) globals_since_flush = tables_global = true;
          ++g_cov.pointer_changes;
          if (!globals_since_flush && rng.chance(0.5)) {
            for (uint16_t a : {asids[0], asids[1]}) fence(SfenceReq{false, 0, true, a});
          } else {
            fence_all();
          }
        }
      }
    }
  }
  account(*rig);
  EXPECT_GE(accesses, trials);
  if (env_or("SV39_REF_STATS", 0)) {
    const Coverage& c = g_cov;
    std::printf("accesses %llu ok %llu splits %llu\n", (unsigned long long)c.accesses,
                (unsigned long long)c.ok, (unsigned long long)c.splits);
    std::printf("access faults: walk %llu final PMP %llu no memory %llu\n",
                (unsigned long long)c.walk_access_faults, (unsigned long long)c.mapped_then_pmp,
                (unsigned long long)c.data_access_faults);
    std::printf("faults:");
    for (unsigned i = 0; i < 16; ++i)
      if (c.by_cause[i]) std::printf(" %u:%llu", i, (unsigned long long)c.by_cause[i]);
    std::printf("\nsources bare/l1/l2/walk: %llu %llu %llu %llu\n", (unsigned long long)c.by_source[0],
                (unsigned long long)c.by_source[1], (unsigned long long)c.by_source[2],
                (unsigned long long)c.by_source[3]);
    std::printf("walks %llu pwc-hits %llu ad-updates %llu tlb-hits %llu\n", (unsigned long long)c.walks,
                (unsigned long long)c.pwc_hits, (unsigned long long)c.ad_updates,
                (unsigned long long)c.tlb_hits);
    std::printf(
        "fences all/asid/va/va_asid/satp: %llu %llu %llu %llu %llu leaf-remaps %llu pointer-changes %llu\n",
        (unsigned long long)c.fences[0], (unsigned long long)c.fences[1], (unsigned long long)c.fences[2],
        (unsigned long long)c.fences[3], (unsigned long long)c.fences[4], (unsigned long long)c.leaf_remaps,
        (unsigned long long)c.pointer_changes);
    std::printf("rigs %llu table-sets %llu pmp-changes %llu\n", (unsigned long long)c.rigs,
                (unsigned long long)c.tables, (unsigned long long)c.pmp_changes);
  }
}

// ---------------------------------------------------------------------------------------------------------
// Directed tests.

MmuConfig small_config(SuperpageMode mode = SuperpageMode::Main, bool hardware_ad = true) {
  MmuConfig c;
  c.itlb = {"itlb", 1, 32, ReplacementPolicy::Lru, 1, 0, mode, 8};
  c.dtlb = {"dtlb", 1, 32, ReplacementPolicy::Lru, 2, 0, mode, 8};
  c.l2tlb_enabled = false;
  c.hardware_ad = hardware_ad;
  return c;
}

WalkerConfig no_pwc() {
  WalkerConfig w;
  w.pwc_enabled = false;
  return w;
}

void open_pmp(Mmu& mmu) {
  mmu.pmp().write_addr(0, (1ull << 54) - 1);
  mmu.pmp().write_cfg(0, Pmp::kNapot | Pmp::kR | Pmp::kW | Pmp::kX);
  mmu.pmp_changed();
}

void put(std::vector<uint8_t>& ram, uint64_t pa, uint64_t v) {
  std::memcpy(ram.data() + (pa - kRamBase), &v, 8);
}
uint64_t get(const std::vector<uint8_t>& ram, uint64_t pa) {
  uint64_t v;
  std::memcpy(&v, ram.data() + (pa - kRamBase), 8);
  return v;
}
uint64_t page(unsigned i) {
  return kRamBase + i * 4096ull;
}
uint64_t ptr(uint64_t table, uint64_t g = 0) {
  return pte::kV | g | ((table >> 12) << pte::kPpnShift);
}
uint64_t leaf4k(uint64_t pa, uint64_t bits) {
  return pte::kV | bits | ((pa >> 12) << pte::kPpnShift);
}

// Root (page 0) -> L1 (page 1) -> L0 (page 2); 4 KiB pages at 0x1000 (N1), 0x2000 (N2) non-global and
// 0x3000 (G1), 0x4000 (G2) global, all RWXAD, S-mode.
constexpr uint64_t kN1 = 0x1000, kN2 = 0x2000, kG1 = 0x3000, kG2 = 0x4000;

struct SfenceFixture {
  std::vector<uint8_t> ram = std::vector<uint8_t>(kRamSize);
  Rig rig{ram.data(), small_config(), no_pwc()};

  SfenceFixture() {
    const uint64_t rwxad = pte::kR | pte::kW | pte::kX | pte::kA | pte::kD;
    put(ram, page(0), ptr(page(1)));
    put(ram, page(1), ptr(page(2)));
    put(ram, page(2) + 1 * 8, leaf4k(page(4), rwxad));
    put(ram, page(2) + 2 * 8, leaf4k(page(5), rwxad));
    put(ram, page(2) + 3 * 8, leaf4k(page(6), rwxad | pte::kG));
    put(ram, page(2) + 4 * 8, leaf4k(page(7), rwxad | pte::kG));
    open_pmp(rig.mmu);
  }
  // A load in S-mode with `asid`; true if the DTLB hit.
  bool probe(uint64_t va, uint16_t asid) {
    rig.mmu.set_context(Priv::S, 0, make_satp(asid, page(0)));
    const uint64_t before = total_hits(*rig.mmu.dtlb());
    uint64_t v;
    EXPECT_TRUE(rig.mmu.load<uint64_t>(va, &v)) << std::hex << va;
    return total_hits(*rig.mmu.dtlb()) > before;
  }
  // DTLB: N1@1, N2@1, G1 (filled under ASID 1), N1@2, N2@2, G2 (filled under ASID 2).
  void fill() {
    for (uint64_t va : {kN1, kN2, kG1}) EXPECT_FALSE(probe(va, 1));
    for (uint64_t va : {kN1, kN2}) EXPECT_FALSE(probe(va, 2));
    EXPECT_TRUE(probe(kG1, 2));  // global: any ASID
    EXPECT_FALSE(probe(kG2, 2));
    EXPECT_TRUE(probe(kG2, 1));
  }
  // Which of N1@1, N2@1, N1@2, N2@2, G1, G2 still hit (probing refills what missed; keys are distinct).
  std::array<bool, 6> survivors() {
    return {probe(kN1, 1), probe(kN2, 1), probe(kN1, 2), probe(kN2, 2), probe(kG1, 1), probe(kG2, 2)};
  }
  uint64_t flushed(FlushKind k) {
    return rig.mmu.dtlb()->counters().flushed_entries[static_cast<unsigned>(k)];
  }
};

using Survive = std::array<bool, 6>;  // N1@1, N2@1, N1@2, N2@2, G1, G2

TEST(SfenceVma, AllFlushesEverything) {
  SfenceFixture f;
  f.fill();
  f.rig.mmu.sfence(SfenceReq{});
  EXPECT_EQ(f.survivors(), (Survive{false, false, false, false, false, false}));
  EXPECT_EQ(f.flushed(FlushKind::All), 6u);
}

TEST(SfenceVma, AsidKeepsOtherAsidsAndGlobals) {
  SfenceFixture f;
  f.fill();
  f.rig.mmu.sfence(SfenceReq{false, 0, true, 1});
  EXPECT_EQ(f.survivors(), (Survive{false, false, true, true, true, true}));
  EXPECT_EQ(f.flushed(FlushKind::Asid), 2u);
}

TEST(SfenceVma, VaFlushesThatPageInAllAsidsIncludingGlobals) {
  SfenceFixture f;
  f.fill();
  f.rig.mmu.sfence(SfenceReq{true, kN1 + 0x123, false, 0});
  EXPECT_EQ(f.survivors(), (Survive{false, true, false, true, true, true}));
  EXPECT_EQ(f.flushed(FlushKind::Va), 2u);
  f.rig.mmu.sfence(SfenceReq{true, kG1 + 0x8, false, 0});
  EXPECT_EQ(f.survivors(), (Survive{true, true, true, true, false, true}));
  EXPECT_EQ(f.flushed(FlushKind::Va), 3u);
}

TEST(SfenceVma, VaAsidFlushesThatPageInThatAsidExceptGlobals) {
  SfenceFixture f;
  f.fill();
  f.rig.mmu.sfence(SfenceReq{true, kN1, true, 1});
  EXPECT_EQ(f.survivors(), (Survive{false, true, true, true, true, true}));
  EXPECT_EQ(f.flushed(FlushKind::VaAsid), 1u);
  f.rig.mmu.sfence(SfenceReq{true, kG2, true, 2});  // a global entry survives a VA+ASID fence
  f.rig.mmu.sfence(SfenceReq{true, kG1, true, 1});
  EXPECT_EQ(f.survivors(), (Survive{true, true, true, true, true, true}));
  EXPECT_EQ(f.flushed(FlushKind::VaAsid), 1u);
}

TEST(SfenceVma, FlushOnSatpWrite) {
  for (bool flush : {false, true}) {
    MmuConfig cfg = small_config();
    cfg.flush_on_satp_write = flush;
    SfenceFixture f;
    f.rig.mmu.configure(cfg, f.rig.walker.get(), &f.rig.bus, kPeriodPs);
    f.fill();
    f.rig.mmu.set_context(Priv::S, 0, make_satp(3, page(0)));
    f.rig.mmu.satp_written();
    const bool keep = !flush;
    EXPECT_EQ(f.survivors(), (Survive{keep, keep, keep, keep, keep, keep}))
        << "flush_on_satp_write=" << flush;
    EXPECT_EQ(f.flushed(FlushKind::SatpWrite), flush ? 6u : 0u);
    EXPECT_EQ(f.rig.mmu.dtlb()->counters().flushes[static_cast<unsigned>(FlushKind::SatpWrite)],
              flush ? 1u : 0u);
  }
}

// A leaf of a 2 MiB page changed, and SFENCE.VMA for one address in it: every cached piece of that
// superpage must go, including the 4 KiB splinters of other frames (the fence covers the leaf PTE,
// "all address-translation cache entries that contain leaf page table entries corresponding to" va).
TEST(SfenceVma, VaFenceDropsAllSplintersOfASuperpage) {
  for (SuperpageMode mode : {SuperpageMode::Main, SuperpageMode::Separate, SuperpageMode::Splinter}) {
    std::vector<uint8_t> ram(kRamSize);
    Rig rig(ram.data(), small_config(mode), no_pwc());
    open_pmp(rig.mmu);
    const uint64_t rwad = pte::kR | pte::kW | pte::kA | pte::kD;
    put(ram, page(0), ptr(page(1)));
    put(ram, page(1) + 1 * 8, leaf4k(kRamBase, rwad));  // 2 MiB at VA 0x200000 -> RAM
    rig.mmu.set_context(Priv::S, 0, make_satp(1, page(0)));
    uint64_t v;
    ASSERT_TRUE(rig.mmu.load<uint64_t>(0x200000, &v));
    ASSERT_TRUE(rig.mmu.load<uint64_t>(0x201000, &v));
    put(ram, page(1) + 1 * 8, 0);  // unmapped
    rig.mmu.sfence(SfenceReq{true, 0x200000, false, 0});
    EXPECT_FALSE(rig.mmu.load<uint64_t>(0x201000, &v))
        << "stale translation after SFENCE.VMA, superpage mode " << static_cast<int>(mode);
    EXPECT_EQ(rig.mmu.fault().cause, cause::kLoadPageFault);
  }
}

// The same tables and accesses through each superpage mode give the same translations (and the reference's).
TEST(WalkerReference, SuperpageModesAgree) {
  Rng rng(0x5e1f);
  const SuperpageMode modes[] = {SuperpageMode::Main, SuperpageMode::Separate, SuperpageMode::Splinter};
  for (int round = 0; round < 20; ++round) {
    std::vector<uint8_t> image(kRamSize);
    TableBuilder builder(rng, image.data(), false, false);
    const Tables t = builder.build();
    const bool hw_ad = rng.chance(0.5);
    std::vector<std::vector<uint8_t>> rams(3, image);
    std::vector<std::unique_ptr<Rig>> rigs;
    for (int m = 0; m < 3; ++m) {
      MmuConfig cfg = small_config(modes[m], hw_ad);
      cfg.dtlb.ways = 4;  // small, so entries get evicted and superpages compete with 4 KiB pages
      cfg.itlb.ways = 4;
      cfg.l2tlb_enabled = true;
      cfg.l2tlb = {"l2tlb", 4, 2, ReplacementPolicy::Lru, 3, 2, modes[m], 2};
      rigs.push_back(std::make_unique<Rig>(rams[m].data(), cfg, WalkerConfig()));
      open_pmp(rigs.back()->mmu);
    }
    const uint64_t satp = make_satp(7, t.root);
    for (int k = 0; k < 400; ++k) {
      const HartContext hc = random_context(rng, satp);
      const Kind kind = random_kind(rng);
      const uint64_t va = align_for(rng, kind, random_va(rng, t));
      const uint64_t rng_state = rng.u64();
      std::vector<XlateRecord> first;
      for (int m = 0; m < 3; ++m) {
        Rng value_rng(rng_state);
        const std::string mismatch = Checker(*rigs[m]).check(hc, kind, va, value_rng);
        ASSERT_EQ(mismatch, "") << "superpage mode " << m << " round " << round << " access " << k;
        std::vector<XlateRecord> evs = rigs[m]->obs.events;
        if (m == 0) {
          first = evs;
          continue;
        }
        ASSERT_EQ(evs.size(), first.size());
        for (size_t i = 0; i < evs.size(); ++i) {
          EXPECT_EQ(evs[i].paddr, first[i].paddr) << "mode " << m;
          EXPECT_EQ(evs[i].fault, first[i].fault) << "mode " << m;
          EXPECT_EQ(evs[i].cause, first[i].cause) << "mode " << m;
        }
      }
      ASSERT_EQ(rams[0], rams[1]);
      ASSERT_EQ(rams[0], rams[2]);
    }
  }
}

// A store that hits a DTLB entry filled by a load (D = 0) must not use it: with hardware A/D it re-walks
// and sets D in memory; with A/D faults it raises a store page fault.
TEST(WalkerReference, StoreThroughCleanEntryRewalksAndSetsD) {
  for (bool hw_ad : {true, false}) {
    std::vector<uint8_t> ram(kRamSize);
    Rig rig(ram.data(), small_config(SuperpageMode::Main, hw_ad), no_pwc());
    open_pmp(rig.mmu);
    const uint64_t leaf_addr = page(2) + 5 * 8;
    const uint64_t clean = leaf4k(page(9), pte::kR | pte::kW | pte::kA);
    put(ram, page(0), ptr(page(1)));
    put(ram, page(1), ptr(page(2)));
    put(ram, leaf_addr, clean);
    rig.mmu.set_context(Priv::S, 0, make_satp(1, page(0)));
    const uint64_t va = 0x5000 + 0x40;
    uint64_t v;
    ASSERT_TRUE(rig.mmu.load<uint64_t>(va, &v));
    EXPECT_EQ(rig.obs.walks, 1u);
    EXPECT_EQ(get(ram, leaf_addr), clean);  // a load needs only A, which is set

    rig.target->writes.clear();
    const bool stored = rig.mmu.store<uint64_t>(va, 0x1122334455667788ull);
    EXPECT_EQ(rig.obs.walks, 2u) << "the store must re-walk, not trust the cached D = 0";
    if (hw_ad) {
      ASSERT_TRUE(stored);
      EXPECT_EQ(get(ram, leaf_addr), clean | pte::kD);
      ASSERT_EQ(rig.target->writes.size(), 1u);
      EXPECT_EQ(rig.target->writes[0], std::make_pair(leaf_addr, clean | pte::kD));
      EXPECT_EQ(get(ram, page(9) + 0x40), 0x1122334455667788ull);
      // Now the cached entry has D: the next store hits without a walk.
      const uint64_t hits = total_hits(*rig.mmu.dtlb());
      ASSERT_TRUE(rig.mmu.store<uint64_t>(va + 8, 1));
      EXPECT_EQ(rig.obs.walks, 2u);
      EXPECT_EQ(total_hits(*rig.mmu.dtlb()), hits + 1);
    } else {
      EXPECT_FALSE(stored);
      EXPECT_EQ(rig.mmu.fault().cause, cause::kStorePageFault);
      EXPECT_EQ(rig.mmu.fault().tval, va);
      EXPECT_EQ(get(ram, leaf_addr), clean);
      EXPECT_TRUE(rig.target->writes.empty());
      EXPECT_EQ(get(ram, page(9) + 0x40), 0u);
    }
  }
}

}  // namespace
}  // namespace sv39sim
