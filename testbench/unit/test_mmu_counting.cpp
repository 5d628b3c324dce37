// What the Mmu counts and charges, against values worked out by hand on tiny page tables: every walk is
// caused by one counted miss (a TLB entry whose cached bits deny the access is a miss, not a hit), a walk
// stall covers the whole walk (time rounds up to the next cycle, never down), and a VA-scoped SFENCE.VMA
// keeps the page-walk cache's pointers unless configured otherwise.
#include <gtest/gtest.h>
#include <tlm_utils/simple_target_socket.h>

#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "models/mem/MemoryTiming.h"
#include "models/mmu/Mmu.h"
#include "models/mmu/PageTableWalker.h"
#include "models/sim/Stats.h"
#include "models/trace/MmuStats.h"

namespace sv39sim {
namespace {

constexpr uint64_t kBase = 0x8000'0000;
constexpr uint64_t kPeriod = 1000;  // 1 GHz hart clock
// Page tables: root at +0x1000, level-1 table at +0x2000, level-0 table at +0x3000; data frames above.
constexpr uint64_t kRoot = kBase + 0x1000, kL1 = kBase + 0x2000, kL0 = kBase + 0x3000;
constexpr uint64_t kVa = 0x4000'0000;  // vpn[2] = 1, vpn[1] = 0, vpn[0] = page index
constexpr uint64_t kV = 1, kR = 2, kW = 4, kA = 64, kD = 128;

// Every memory access the walker makes takes a fixed time that is not a whole number of cycles.
class FixedLatency : public MemoryTiming {
 public:
  explicit FixedLatency(uint64_t ps) : ps_(ps) {}
  uint64_t access(Requester, uint64_t, bool, uint64_t now_ps) override { return now_ps + ps_; }

 private:
  uint64_t ps_;
};

class NoDevices : public PhysicalMemory {
 public:
  bool read(uint64_t, void*, unsigned) override { return false; }
  bool write(uint64_t, const void*, unsigned) override { return false; }
};

// RAM at kBase for the walker's TLM port (the platform puts a Bus in front of Ram; a bus needs SystemC
// elaboration, which a unit test does not run).
class TestRam : public sc_core::sc_module {
 public:
  tlm_utils::simple_target_socket<TestRam> socket;
  std::vector<uint8_t> bytes = std::vector<uint8_t>(1 << 20);

  explicit TestRam(sc_core::sc_module_name name) : sc_module(name), socket("socket") {
    socket.register_b_transport(this, &TestRam::b_transport);
  }
  RamWindow window() { return {kBase, bytes.size(), bytes.data()}; }

 private:
  void b_transport(tlm::tlm_generic_payload& p, sc_core::sc_time&) {
    const uint64_t off = p.get_address() - kBase;
    if (p.get_address() < kBase || off + p.get_data_length() > bytes.size()) {
      p.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
      return;
    }
    uint8_t* at = bytes.data() + off;
    if (p.is_read()) std::memcpy(p.get_data_ptr(), at, p.get_data_length());
    if (p.is_write()) std::memcpy(at, p.get_data_ptr(), p.get_data_length());
    p.set_response_status(tlm::TLM_OK_RESPONSE);
  }
};

// Each walk as the event stream tells it: when it started (after any queueing), ended, and how many PTE
// reads it made.
struct WalkRecord {
  uint64_t start_ps = 0, end_ps = 0;
  unsigned memory_reads = 0;
};
class WalkLog : public EventSink {
 public:
  void on_event(const Event& e) override {
    if (e.kind == EventKind::WalkStart) walks.push_back({e.time_ps + e.aux, 0, 0});
    if (e.kind == EventKind::PteRead && !(e.aux & 1)) ++walks.back().memory_reads;
    if (e.kind == EventKind::WalkEnd) walks.back().end_ps = e.time_ps;
  }
  std::vector<WalkRecord> walks;
};

TlbConfig tlb(const char* name, unsigned latency) {
  TlbConfig t;
  t.name = name;
  t.sets = 1;
  t.ways = 8;
  t.policy = ReplacementPolicy::Lru;
  t.seed = 1;
  t.latency = latency;
  t.superpages = SuperpageMode::Main;
  t.superpage_entries = 4;
  return t;
}

struct RigOptions {
  bool l2 = false;
  bool pwc = false;
  bool pwc_flush_on_va_fence = false;
  uint64_t memory_ps = 1200;
  RigOptions& with_l2() { return l2 = true, *this; }
  RigOptions& with_pwc(bool flush_on_va_fence) {
    return pwc = true, pwc_flush_on_va_fence = flush_on_va_fence, *this;
  }
};

std::string fresh(const char* stem) {
  static int n = 0;
  return stem + std::to_string(n++);
}

// An Mmu, its walker and RAM wired as the platform wires them, in S-mode under Sv39 with ASID 0.
struct Rig {
  explicit Rig(const RigOptions& s)
      : timing(s.memory_ps),
        ram(fresh("cnt_ram").c_str()),

        mmu(none) {
    MmuConfig m;
    m.itlb = tlb("itlb", 0);
    m.dtlb = tlb("dtlb", 0);
    m.l2tlb_enabled = s.l2;
    m.l2tlb = tlb("l2tlb", 0);
    m.hardware_ad = true;
    m.flush_on_satp_write = false;
    m.trap_misaligned = false;
    WalkerConfig w;
    w.pwc_enabled = s.pwc;
    w.pwc_per_level = false;
    w.pwc_flush_on_va_fence = s.pwc_flush_on_va_fence;
    w.pwc_sets = 1;
    w.pwc_ways = 4;
    w.pwc_policy = ReplacementPolicy::Lru;
    w.pwc_seed = 1;
    w.step_cycles = 1;
    bus.subscribe_counter(&log, {EventKind::WalkStart, EventKind::PteRead, EventKind::WalkEnd});
    walker = std::make_unique<PageTableWalker>(fresh("cnt_ptw").c_str(), w, mmu.pmp(), timing, &bus, kPeriod);
    walker->mem.bind(ram.socket);
    mmu.configure(m, walker.get(), &bus, kPeriod);
    mmu.attach_clock(&cycles);
    mmu.set_ram(ram.window());
    put(kRoot + 1 * 8, ((kL1 >> 12) << 10) | kV);
    put(kL1 + 0 * 8, ((kL0 >> 12) << 10) | kV);
    mmu.pmp().write_addr(0, (1ull << 54) - 1);  // one NAPOT region over everything, RWX for S-mode
    mmu.pmp().write_cfg(0, Pmp::kNapot | Pmp::kR | Pmp::kW | Pmp::kX);
    mmu.set_context(Priv::S, 0, (8ull << 60) | (kRoot >> 12));
  }
  void put(uint64_t pa, uint64_t v) { std::memcpy(ram.window().host + (pa - kBase), &v, 8); }
  uint64_t get(uint64_t pa) {
    uint64_t v;
    std::memcpy(&v, ram.window().host + (pa - kBase), 8);
    return v;
  }
  // Maps page `i` of kVa to frame kBase + 0x10000 + i * 4096 with `bits`.
  void map(unsigned i, uint64_t bits) {
    put(kL0 + i * 8, (((kBase + 0x10000 + i * 4096) >> 12) << 10) | bits | kV);
  }

  FixedLatency timing;
  TestRam ram;
  NoDevices none;
  EventBus bus;
  WalkLog log;
  uint64_t cycles = 0;
  Mmu mmu;
  std::unique_ptr<PageTableWalker> walker;
};

uint64_t load(Rig& r, uint64_t va) {
  uint64_t v = 0;
  EXPECT_TRUE(r.mmu.load<uint64_t>(va, &v)) << std::hex << va;
  return v;
}

// Three PTE reads, each one walker step (1000 ps) plus a 1200 ps memory access: 6600 ps, so the hart
// stalls 7 cycles (a walk that ends part way through the 7th cycle occupies it), not 6.
TEST(MmuCounting, WalkStallRoundsUpToWholeCycles) {
  Rig r(RigOptions{});
  r.map(0, kR | kA | kD);
  load(r, kVa);
  ASSERT_EQ(r.log.walks.size(), 1u);
  EXPECT_EQ(r.log.walks[0].end_ps - r.log.walks[0].start_ps, 6600u);
  EXPECT_EQ(r.cycles, 7u);
  // The hart's clock is not behind the end of the walk it waited for.
  EXPECT_GE(r.cycles * kPeriod, r.log.walks[0].end_ps);
}

// Load then store to a page whose PTE has A and D clear, with hardware A/D: the load walks (sets A), the
// store finds the D-TLB entry but its cached D is clear: a miss (denied), dropped and walked again (sets
// D). A second store hits. So 2 walks, 2 misses (1 denied), 1 hit; the PTE ends with A and D set.
TEST(MmuCounting, EntryDeniedByCachedBitsIsAMissAndCausesOneWalk) {
  Rig r(RigOptions{});
  r.map(0, kR | kW);
  load(r, kVa);
  EXPECT_TRUE(r.mmu.store<uint64_t>(kVa, 1));
  EXPECT_TRUE(r.mmu.store<uint64_t>(kVa + 8, 2));
  const Tlb& d = *r.mmu.dtlb();
  EXPECT_EQ(r.log.walks.size(), 2u);
  EXPECT_EQ(d.misses(), 2u);
  EXPECT_EQ(d.denied(), 1u);
  EXPECT_EQ(d.counters().denied[static_cast<unsigned>(Access::Store)], 1u);
  EXPECT_EQ(d.hits(), 1u);
  EXPECT_EQ(d.counters().hits[static_cast<unsigned>(Access::Store)][0], 1u);
  EXPECT_EQ(d.accesses(), 3u);
  EXPECT_EQ(r.get(kL0) & (kA | kD), kA | kD);
}

// The same with an L2 TLB behind the D-TLB: the L2 entry is a copy of the same clean PTE, so it denies
// the store too; both levels count the miss and the one walk that resolved it.
TEST(MmuCounting, DeniedEntryInBothTlbLevels) {
  Rig r(RigOptions().with_l2());
  r.map(0, kR | kW);
  load(r, kVa);
  EXPECT_TRUE(r.mmu.store<uint64_t>(kVa, 1));
  const Tlb& l2 = *r.mmu.l2tlb();
  EXPECT_EQ(r.log.walks.size(), 2u);
  EXPECT_EQ(l2.misses(), 2u);
  EXPECT_EQ(l2.denied(), 1u);
  EXPECT_EQ(l2.hits(), 0u);
  EXPECT_EQ(r.mmu.dtlb()->misses(), 2u);
}

// A page-walk-cache pointer survives SFENCE.VMA of one address (the spec asks such a fence to order leaf
// PTEs only): the walk after the fence reads just the leaf. With flush_on_va_fence it reads all three.
TEST(MmuCounting, VaFenceKeepsPwcPointersUnlessConfigured) {
  for (bool flush : {false, true}) {
    Rig r(RigOptions().with_pwc(flush));
    r.map(0, kR | kA | kD);
    load(r, kVa);
    SfenceReq fence;
    fence.has_va = true;
    fence.va = kVa;
    r.mmu.sfence(fence);
    load(r, kVa);
    ASSERT_EQ(r.log.walks.size(), 2u);
    EXPECT_EQ(r.log.walks[0].memory_reads, 3u);
    EXPECT_EQ(r.log.walks[1].memory_reads, flush ? 3u : 1u) << "flush_on_va_fence=" << flush;
    // A full fence (rs1 = x0) always drops the pointers.
    r.mmu.sfence(SfenceReq{});
    load(r, kVa);
    EXPECT_EQ(r.log.walks.back().memory_reads, 3u);
  }
}

// Walk latencies land in power-of-two cycle buckets, [0,2) [2,4) [4,8) ..., a partial cycle counting as a
// whole one: 6600 ps at 1 GHz is 7 cycles ([4,8)), 7001 ps is 8 ([8,16)), 2000 ps is 2 ([2,4)); the
// queueing time before a walk starts is part of its latency.
TEST(MmuCounting, WalkLatencyHistogramBuckets) {
  MmuStats mmu_stats(kPeriod);
  Stats stats;
  mmu_stats.register_walker(stats);
  auto walk = [&](uint64_t request_ps, uint64_t queued_ps, uint64_t end_ps) {
    Event start;
    start.kind = EventKind::WalkStart;
    start.time_ps = request_ps;
    start.aux = queued_ps;
    mmu_stats.on_event(start);
    Event end;
    end.kind = EventKind::WalkEnd;
    end.time_ps = end_ps;
    end.latency_ps = end_ps - request_ps;
    mmu_stats.on_event(end);
  };
  for (uint64_t ps : {6600u, 7001u, 2000u, 1999u}) walk(10000, 0, 10000 + ps);
  walk(1400, 3600, 5500);  // waited 3600 ps, then walked 500: 4100 ps in all, 5 cycles
  const std::string json = stats.json();
  auto has = [&](const std::string& kv) { return json.find(kv) != std::string::npos; };
  EXPECT_TRUE(has("\"mmu.walker.latency.2-4\": 2,")) << json;  // 2000 ps, 1999 ps -> 2 cycles each
  EXPECT_TRUE(has("\"mmu.walker.latency.4-8\": 2,")) << json;  // 6600 ps -> 7, 4100 ps -> 5
  EXPECT_TRUE(has("\"mmu.walker.latency.8-16\": 1,")) << json;
  EXPECT_TRUE(has("\"mmu.walker.cycles\": 24,")) << json;  // 7 + 8 + 2 + 2 + 5
  EXPECT_TRUE(has("\"mmu.walker.queued\": 1,")) << json;
}

// The micro-TLB keeps a page across context changes (a trap and its return, an ASID switch), so what
// it remembers must still be what a lookup would find. Two address spaces map the same VA: ASID 2 with a
// 4 KiB page, ASID 1 with a global 2 MiB page over other memory. A lookup in ASID 2 finds the 4 KiB
// entry (the smaller size comes first) even while the global one sits in the TLB, so each switch must
// hit the entry of its own address space, counted at that entry's level, and read its frame.
TEST(MmuCounting, AsidSwitchHitsTheEntryALookupFinds) {
  Rig r(RigOptions{});
  constexpr uint64_t kG = 32;
  constexpr uint64_t kRoot1 = kBase + 0x4000, kL1Global = kBase + 0x5000;
  const uint64_t va = kVa + 16 * 4096;
  r.map(16, kR | kA | kD);  // ASID 2's page: frame kBase + 0x20000
  r.put(kRoot1 + 1 * 8, ((kL1Global >> 12) << 10) | kV);
  r.put(kL1Global + 0 * 8, ((kBase >> 12) << 10) | kR | kA | kD | kG | kV);  // ASID 1: va -> kBase + 0x10000
  r.put(kBase + 0x20000, 0x2222);
  r.put(kBase + 0x10000, 0x1111);
  const uint64_t satp1 = (8ull << 60) | (1ull << 44) | (kRoot1 >> 12);
  const uint64_t satp2 = (8ull << 60) | (2ull << 44) | (kRoot >> 12);
  const auto& hits = r.mmu.dtlb()->counters().hits[static_cast<unsigned>(Access::Load)];

  r.mmu.set_context(Priv::S, 0, satp2);
  EXPECT_EQ(load(r, va), 0x2222u);  // walk: the 4 KiB entry
  r.mmu.set_context(Priv::S, 0, satp1);
  EXPECT_EQ(load(r, va), 0x1111u);  // walk: the global 2 MiB entry
  EXPECT_EQ(r.log.walks.size(), 2u);
  for (unsigned round = 1; round <= 3; ++round) {
    r.mmu.set_context(Priv::S, 0, satp2);
    EXPECT_EQ(load(r, va), 0x2222u);
    EXPECT_EQ(load(r, va + 8), 0u);
    EXPECT_EQ(hits[0], 2 * round) << "round " << round;
    r.mmu.set_context(Priv::S, 0, satp1);
    EXPECT_EQ(load(r, va), 0x1111u);
    EXPECT_EQ(hits[1], round) << "round " << round;
  }
  EXPECT_EQ(r.log.walks.size(), 2u);
}

// A fence made in one context covers the pages another context remembers: U-mode loads a page, a trap
// to S-mode fences it and remaps it, and back in U-mode the next load walks again and reads the new frame.
TEST(MmuCounting, FenceInSupervisorModeCoversUserModePages) {
  Rig r(RigOptions{});
  constexpr uint64_t kU = 16;
  const uint64_t satp = (8ull << 60) | (kRoot >> 12);
  r.map(0, kR | kU | kA | kD);
  r.put(kBase + 0x10000, 0xaaaa);
  r.put(kBase + 0x11000, 0xbbbb);
  r.mmu.set_context(Priv::U, 0, satp);
  EXPECT_EQ(load(r, kVa), 0xaaaau);
  EXPECT_EQ(load(r, kVa), 0xaaaau);
  r.mmu.set_context(Priv::S, 0, satp);  // the trap
  r.put(kL0, (((kBase + 0x11000) >> 12) << 10) | kR | kU | kA | kD | kV);
  SfenceReq fence;
  fence.has_va = true;
  fence.va = kVa;
  r.mmu.sfence(fence);
  r.mmu.set_context(Priv::U, 0, satp);  // its return
  EXPECT_EQ(load(r, kVa), 0xbbbbu);
  EXPECT_EQ(r.log.walks.size(), 2u);
}

}  // namespace
}  // namespace sv39sim
