// MemoryController scheduling (FCFS vs FR-FCFS, row-hit cap, write watermark, forwarding) and
// MemoryHierarchy end-to-end latencies, all against hand-computed DDR4-3200AA schedules. DRAM times are in
// cycles of tCK = 625 ps; every test ends long before the first refresh (tREFI = 7.8 us).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "models/config/Config.h"
#include "models/config/ModelConfig.h"
#include "models/mem/MemoryController.h"
#include "models/mem/MemoryHierarchy.h"
#include "models/sim/Stats.h"

namespace sv39sim {
namespace {

constexpr uint64_t kTck = 625;
constexpr uint64_t ps(uint64_t cycles) {
  return cycles * kTck;
}

// DRAM addresses for one channel, one rank, "RoBaRaCoCh": bits 12:6 column burst, 16:13 Ba (14:13 bank
// group, 16:15 bank), 32:17 row.
uint64_t addr(unsigned group, unsigned bank, unsigned row, unsigned burst = 0) {
  return uint64_t{row} << 17 | uint64_t{bank * 4 + group} << 13 | uint64_t{burst} << 6;
}

MemoryControllerConfig ctl(SchedulingPolicy p, unsigned cap = 4, unsigned watermark = 1) {
  MemoryControllerConfig c;
  c.policy = p;
  c.row_hit_cap = cap;
  c.write_watermark = watermark;
  return c;
}

struct Recorder {
  std::vector<IssuedRequest> issued;
  void attach(MemoryController& m) {
    m.set_issue_hook([this](const IssuedRequest& r) { issued.push_back(r); });
  }
  std::vector<uint64_t> seqs() const {
    std::vector<uint64_t> s;
    for (const auto& r : issued) s.push_back(r.seq);
    return s;
  }
};

// R0 opens row 1 of bank (group 0, bank 0) at t = 0 (ACT 0, RD 22, data ends 48 = 30 ns). At 30 ns a
// write-back W to the closed bank (group 1, bank 0) is posted, then a read R1 of row 1 arrives: both are
// candidates at the 30 ns decision point (cycle 48), W the older.
TEST(MemoryController, FcfsKeepsOrderBehindPostedWrite) {
  MemoryController m(ctl(SchedulingPolicy::Fcfs), ddr4_3200aa());
  Recorder rec;
  rec.attach(m);
  EXPECT_EQ(m.read(addr(0, 0, 1), AccessSource::Load, 0), 30000u);
  m.post_write(addr(1, 0, 5), AccessSource::Writeback, 30000);
  // W first: ACT 48, WR 48 + tRCD = 70, data ends 70 + CWL + BL/2 = 90. R1 is picked at W's WR (70): a row
  // hit, but its RD waits for the write data plus tWTR_S (90 + 4 = 94); data ends 94 + CL + BL/2 = 120.
  EXPECT_EQ(m.read(addr(0, 0, 1, 1), AccessSource::Load, 30000), ps(120));
  ASSERT_EQ(rec.issued.size(), 3u);
  EXPECT_EQ(rec.seqs(), (std::vector<uint64_t>{0, 1, 2}));
  const IssuedRequest& w = rec.issued[1];
  EXPECT_TRUE(w.write);
  EXPECT_EQ(w.dram.kind, RowKind::Empty);
  EXPECT_EQ(w.dram.act_ps, ps(48));
  EXPECT_EQ(w.dram.column_ps, ps(70));
  EXPECT_EQ(w.dram.done_ps, ps(90));
  const IssuedRequest& r1 = rec.issued[2];
  EXPECT_EQ(r1.decision_ps, ps(70));
  EXPECT_EQ(r1.dram.kind, RowKind::Hit);
  EXPECT_EQ(r1.dram.column_ps, ps(94));
  EXPECT_FALSE(r1.bypassed);
  // Queueing: R0 0, R1 94 - 48 cycles; service: R0 48 cycles, R1 26; W 0 and 90 - 48.
  EXPECT_EQ(m.queueing_ps(false), ps(94 - 48));
  EXPECT_EQ(m.service_ps(false), ps(48 + 26));
  EXPECT_EQ(m.queueing_ps(true), 0u);
  EXPECT_EQ(m.service_ps(true), ps(42));
  EXPECT_DOUBLE_EQ(m.average_latency_ps(false), (30000.0 + (ps(120) - 30000)) / 2);
  EXPECT_EQ(m.row_hit_bypasses(), 0u);
  EXPECT_EQ(m.dram().row_hits(), 1u);
  EXPECT_EQ(m.dram().row_empties(), 2u);
}

// The event stream asks the controller to make, early, the decisions that lie before the next possible
// arrival (settle). A request arriving then would have made them first, so nothing may change: the same
// requests issue in the same order at the same times. And the bound on what may still issue is the
// earliest eligibility in the queue: a write is eligible on arrival with watermark 1, not before a drain
// with watermark 2.
TEST(MemoryController, SettlingEarlyChangesNothing) {
  auto run = [](bool settle) {
    MemoryController m(ctl(SchedulingPolicy::FrFcfs), ddr4_3200aa());
    Recorder rec;
    rec.attach(m);
    m.read(addr(0, 0, 1), AccessSource::Load, 0);
    m.post_write(addr(1, 0, 5), AccessSource::Writeback, 30000);
    m.post_write(addr(0, 0, 1, 3), AccessSource::Writeback, 30000);
    if (settle) {
      EXPECT_EQ(m.earliest_issue_bound(), 30000u);
      m.settle(40000);  // decision points 30 ns (cycle 48) and later, before 40 ns
      EXPECT_LT(m.queued(), 2u);
    }
    m.read(addr(0, 0, 1, 1), AccessSource::Load, 40000);
    m.read(addr(1, 0, 5, 2), AccessSource::Load, 60000);
    m.flush(60000);
    return rec.issued;
  };
  const auto lazy = run(false), early = run(true);
  ASSERT_EQ(lazy.size(), early.size());
  for (size_t i = 0; i < lazy.size(); ++i) {
    EXPECT_EQ(lazy[i].seq, early[i].seq) << i;
    EXPECT_EQ(lazy[i].decision_ps, early[i].decision_ps) << i;
    EXPECT_EQ(lazy[i].dram.column_ps, early[i].dram.column_ps) << i;
    EXPECT_EQ(lazy[i].dram.done_ps, early[i].dram.done_ps) << i;
  }

  MemoryController m(ctl(SchedulingPolicy::FrFcfs, 4, 2), ddr4_3200aa());
  EXPECT_EQ(m.earliest_issue_bound(), ~uint64_t{0});
  m.post_write(addr(1, 0, 5), AccessSource::Writeback, 1000);
  EXPECT_EQ(m.earliest_issue_bound(), ~uint64_t{0});  // waits for a second write to start a drain
  m.post_write(addr(1, 0, 6), AccessSource::Writeback, 2000);
  EXPECT_EQ(m.earliest_issue_bound(), 2000u);  // the drain starts with the write that reached the mark
}

TEST(MemoryController, FrFcfsIssuesRowHitReadBeforeOlderWrite) {
  MemoryController m(ctl(SchedulingPolicy::FrFcfs), ddr4_3200aa());
  Recorder rec;
  rec.attach(m);
  EXPECT_EQ(m.read(addr(0, 0, 1), AccessSource::Load, 0), 30000u);
  m.post_write(addr(1, 0, 5), AccessSource::Writeback, 30000);
  // R1 hits the open row and bypasses W: RD at 48 (30 ns), data ends 48 + 26 = 74 cycles: 16.25 ns later.
  EXPECT_EQ(m.read(addr(0, 0, 1, 1), AccessSource::Load, 30000), 30000u + 16250u);
  ASSERT_EQ(rec.issued.size(), 2u);
  EXPECT_TRUE(rec.issued[1].bypassed);
  EXPECT_EQ(m.row_hit_bypasses(), 1u);
  EXPECT_EQ(m.queued_writes(), 1u);
  // W goes at the next decision point, R1's RD (48): ACT 48, WR 70 (tCCD_S and the bus allow it), done 90.
  m.flush(100000);
  ASSERT_EQ(rec.issued.size(), 3u);
  const IssuedRequest& w = rec.issued[2];
  EXPECT_EQ(w.seq, 1u);
  EXPECT_EQ(w.decision_ps, ps(48));
  EXPECT_EQ(w.dram.act_ps, ps(48));
  EXPECT_EQ(w.dram.column_ps, ps(70));
  EXPECT_EQ(w.dram.done_ps, ps(90));
  EXPECT_EQ(m.queued_writes(), 0u);
  EXPECT_EQ(m.writes(), 1u);
  EXPECT_EQ(m.requests(AccessSource::Writeback, true), 1u);
  EXPECT_EQ(m.requests(AccessSource::Load, false), 2u);
}

// Four writes (watermark 4) posted at 100 ns: W_old to a closed bank, then three row hits to the row R0
// left open; then a read R of a closed bank. All five are candidates at the 100 ns decision point.
struct CapRun {
  std::vector<uint64_t> order;  // seqs after R0's
  uint64_t bypasses, cap_stops;
};
CapRun cap_run(SchedulingPolicy p, unsigned cap) {
  MemoryController m(ctl(p, cap, 4), ddr4_3200aa());
  Recorder rec;
  rec.attach(m);
  m.read(addr(0, 0, 1), AccessSource::Load, 0);                  // seq 0: opens row 1
  m.post_write(addr(1, 0, 7), AccessSource::Writeback, 100000);  // seq 1: W_old
  for (unsigned b = 1; b <= 3; ++b)                              // seq 2..4: row hits
    m.post_write(addr(0, 0, 1, b), AccessSource::Writeback, 100000);
  EXPECT_EQ(m.drains(), 1u);
  EXPECT_EQ(m.writes(), 0u);
  m.read(addr(2, 0, 9), AccessSource::Load, 100000);  // seq 5
  EXPECT_EQ(m.queued_writes(), 0u);
  std::vector<uint64_t> s = rec.seqs();
  s.erase(s.begin());
  return {s, m.row_hit_bypasses(), m.row_hit_cap_stops()};
}

TEST(MemoryController, RowHitCap) {
  using V = std::vector<uint64_t>;
  CapRun r = cap_run(SchedulingPolicy::Fcfs, 2);
  EXPECT_EQ(r.order, (V{1, 2, 3, 4, 5}));
  EXPECT_EQ(r.bypasses, 0u);
  // No cap: all three row hits go ahead of W_old.
  r = cap_run(SchedulingPolicy::FrFcfs, 0);
  EXPECT_EQ(r.order, (V{2, 3, 4, 1, 5}));
  EXPECT_EQ(r.bypasses, 3u);
  EXPECT_EQ(r.cap_stops, 0u);
  // Cap 2: after two bypasses the oldest (W_old) goes; the last row hit is then the oldest itself.
  r = cap_run(SchedulingPolicy::FrFcfs, 2);
  EXPECT_EQ(r.order, (V{2, 3, 1, 4, 5}));
  EXPECT_EQ(r.bypasses, 2u);
  EXPECT_EQ(r.cap_stops, 1u);
  r = cap_run(SchedulingPolicy::FrFcfs, 1);
  EXPECT_EQ(r.order, (V{2, 1, 3, 4, 5}));
  EXPECT_EQ(r.cap_stops, 1u);
}

// Watermark 2: one write waits without delaying reads; the second starts a drain.
TEST(MemoryController, WriteWatermark) {
  for (SchedulingPolicy p : {SchedulingPolicy::Fcfs, SchedulingPolicy::FrFcfs}) {
    MemoryController m(ctl(p, 4, 2), ddr4_3200aa());
    EXPECT_EQ(m.read(addr(0, 0, 1), AccessSource::Load, 0), 30000u);
    m.post_write(addr(1, 0, 3), AccessSource::Writeback, 100000);
    // A row hit at 200 ns (cycle 320): RD 320, done 346; the write is still held.
    EXPECT_EQ(m.read(addr(0, 0, 1, 1), AccessSource::Load, 200000), 216250u);
    EXPECT_EQ(m.queued_writes(), 1u);
    EXPECT_EQ(m.writes(), 0u);
    m.post_write(addr(1, 0, 3, 1), AccessSource::Writeback, 300000);  // second write: drain from 300 ns
    EXPECT_EQ(m.drains(), 1u);
    const uint64_t done = m.read(addr(0, 0, 1, 2), AccessSource::Load, 300000);
    if (p == SchedulingPolicy::Fcfs) {
      // W1: ACT 480, WR 502, done 522. W2 (row hit, same group): WR max(502 + tCCD_L, 522 - CWL) = 510,
      // done 530. R2: RD at 530 + tWTR_S = 534, done 560.
      EXPECT_EQ(done, ps(560));
      EXPECT_EQ(m.queued_writes(), 0u);
      // W1 waited from 100 ns to its ACT at 300 ns; W2 from 300 ns to its WR at 510.
      EXPECT_EQ(m.queueing_ps(true), 200000u + (ps(510) - 300000));
    } else {
      // R2 hits the open row and goes first: RD 480, done 506.
      EXPECT_EQ(done, ps(506));
      EXPECT_EQ(m.queued_writes(), 2u);
    }
  }
}

TEST(MemoryController, ReadOfAQueuedWriteIsForwarded) {
  MemoryController m(ctl(SchedulingPolicy::FrFcfs, 4, 4), ddr4_3200aa());
  m.post_write(addr(0, 1, 2, 3), AccessSource::Writeback, 100000);
  EXPECT_EQ(m.read(addr(0, 1, 2, 3) + 8, AccessSource::Load, 200000), 200000u);
  EXPECT_EQ(m.forwarded_reads(), 1u);
  EXPECT_EQ(m.reads(), 0u);
  EXPECT_EQ(m.dram().reads(), 0u);
  m.flush(300000);
  EXPECT_EQ(m.dram().writes(), 1u);
}

// ---- MemoryHierarchy ------------------------------------------------------------------------------------

constexpr uint64_t kRam = 0x80000000;
constexpr uint64_t kPeriod = 1000;  // 1 GHz hart: L1I 1 ns, L1D 4 ns, L2 12 ns

// Default geometry (32 KiB 8-way L1s, 1 MiB 16-way L2, 64 B lines). Arrival times are chosen so that the
// DRAM request (now + 16 ns) falls on a DRAM clock edge: 250 + 16000 = 26 x 625.
TEST(MemoryHierarchy, EndToEndLatencies) {
  MemoryHierarchy h(MemoryHierarchyConfig{}, kPeriod);
  // L1 miss, L2 miss, DRAM bank closed: 4 + 12 ns + tRCD + CL + BL/2 = 30 ns.
  EXPECT_EQ(h.access(Requester::Load, kRam, false, 250), 250u + 4000 + 12000 + 30000);
  // Another line of the same DRAM row: L1 and L2 miss, DRAM row hit (CL + BL/2 = 16.25 ns).
  EXPECT_EQ(h.access(Requester::Load, kRam + 0x40, false, 1000250), 1000250u + 16000 + 16250);
  // The first line again: an L1 hit (not the last line touched, so not hit_last).
  EXPECT_FALSE(h.l1(Requester::Load)->hit_last(kRam, false, Requester::Load));
  EXPECT_EQ(h.access(Requester::Load, kRam, false, 2000250), 2000250u + 4000);
  // Same bank, another row: conflict, tRP + tRCD + CL + BL/2 = 43.75 ns.
  EXPECT_EQ(h.access(Requester::Load, kRam + 0x20000, false, 3000250), 3000250u + 16000 + 43750);
  // The fast path gives the same as the full path on the line touched last.
  EXPECT_EQ(h.access_fast(Requester::Load, kRam + 0x20008, false, 4000000), 4000000u + 4000);
  EXPECT_EQ(h.l1_hit_ps(Requester::Load), 4000u);
  EXPECT_EQ(h.l1_hit_ps(Requester::Fetch), 1000u);
  // A fetch of a line the L2 holds: L1I miss (1 ns) + L2 hit (12 ns).
  EXPECT_EQ(h.access(Requester::Fetch, kRam + 0x40, false, 5000000), 5000000u + 1000 + 12000);
  EXPECT_EQ(h.l1i()->misses(AccessSource::Fetch), 1u);
  EXPECT_EQ(h.l2()->hits(AccessSource::Fetch), 1u);
  // Not RAM: no memory-system time.
  EXPECT_EQ(h.access(Requester::Load, 0x10000000, false, 7), 7u);

  const Cache& l1d = *h.l1d();
  EXPECT_EQ(l1d.hits(AccessSource::Load), 2u);
  EXPECT_EQ(l1d.misses(AccessSource::Load), 3u);
  EXPECT_EQ(h.l2()->misses(AccessSource::Load), 3u);
  EXPECT_EQ(h.controller().requests(AccessSource::Load, false), 3u);
  EXPECT_EQ(h.controller().dram().row_hits(), 1u);
  EXPECT_EQ(h.controller().dram().row_empties(), 1u);
  EXPECT_EQ(h.controller().dram().row_conflicts(), 1u);
}

TEST(MemoryHierarchy, L1MissL2Hit) {
  MemoryHierarchy h(MemoryHierarchyConfig{}, kPeriod);
  h.access(Requester::Load, kRam, false, 0);
  // Eight more lines in L1 set 0 (4 KiB apart, 64 sets x 64 B) push the first one out of the 8-way L1; the
  // 1024-set L2 keeps them all.
  for (uint64_t i = 1; i <= 8; ++i) h.access(Requester::Load, kRam + i * 0x1000, false, i * 1000000);
  EXPECT_FALSE(h.l1d()->contains(kRam));
  EXPECT_TRUE(h.l2()->contains(kRam));
  EXPECT_EQ(h.access(Requester::Load, kRam, false, 20000000), 20000000u + 4000 + 12000);
}

TEST(MemoryHierarchy, DirtyLinesWriteBackDownTheLevels) {
  MemoryHierarchyConfig c;
  c.l1d = {true, 1024, 1, 64, ReplacementPolicy::Lru, 4, 0};  // 16 sets: A, B, C all in set 0
  c.l2 = {true, 2048, 1, 64, ReplacementPolicy::Lru, 12, 0};  // 32 sets: A and C in set 0, B in 16
  MemoryHierarchy h(c, kPeriod);
  const uint64_t A = kRam, B = kRam + 0x400, C = kRam + 0x800;
  // A store miss reads the line (write-allocate) and returns when it has arrived.
  EXPECT_EQ(h.access(Requester::Store, A, true, 250), 250u + 16000 + 30000);
  EXPECT_EQ(h.l1d()->misses(AccessSource::Store), 1u);
  EXPECT_EQ(h.controller().requests(AccessSource::Store, false), 1u);
  h.access(Requester::Load, B, false, 1000000);  // evicts dirty A from the L1 into the L2 (a hit there)
  EXPECT_EQ(h.l1d()->writebacks(), 1u);
  EXPECT_EQ(h.l2()->hits(AccessSource::Writeback), 1u);
  EXPECT_EQ(h.controller().requests(AccessSource::Writeback, true), 0u);
  h.access(Requester::Load, C, false, 2000000);  // evicts clean B from the L1, dirty A from the L2
  EXPECT_EQ(h.l1d()->writebacks(), 1u);
  EXPECT_EQ(h.l2()->writebacks(), 1u);
  EXPECT_EQ(h.controller().requests(AccessSource::Writeback, true), 1u);
  h.finish(3000000);
  EXPECT_EQ(h.controller().dram().writes(), 1u);
}

TEST(MemoryHierarchy, WalkerSourceAndDisabledCaches) {
  MemoryHierarchyConfig c;
  c.pte_source = PteSource::Memory;
  MemoryHierarchy mem(c, kPeriod);
  EXPECT_EQ(mem.l1(Requester::Walker), nullptr);
  EXPECT_EQ(mem.l1_hit_ps(Requester::Walker), 0u);
  EXPECT_EQ(mem.access(Requester::Walker, kRam, false, 0), 30000u);
  EXPECT_EQ(mem.controller().requests(AccessSource::Walker, false), 1u);

  c.pte_source = PteSource::L1d;
  c.l1d.enabled = false;  // falls through to the L2
  MemoryHierarchy l2(c, kPeriod);
  EXPECT_EQ(l2.l1(Requester::Walker), l2.l2());
  EXPECT_EQ(l2.l1(Requester::Load), l2.l2());
  EXPECT_EQ(l2.l1_hit_ps(Requester::Walker), 12000u);
  EXPECT_EQ(l2.access(Requester::Walker, kRam, false, 4250), 4250u + 12000 + 30000);
  EXPECT_EQ(l2.access(Requester::Walker, kRam, false, 1000000), 1000000u + 12000);

  // No caches at all: straight to the controller; stores are posted.
  c.l1i.enabled = c.l2.enabled = false;
  MemoryHierarchy none(c, kPeriod);
  EXPECT_EQ(none.l1(Requester::Fetch), nullptr);
  EXPECT_EQ(none.access(Requester::Fetch, kRam, false, 0), 30000u);
  EXPECT_EQ(none.access(Requester::Store, kRam + 0x40, true, 1000000), 1000000u);
  EXPECT_EQ(none.controller().requests(AccessSource::Store, true), 1u);
}

// ---- Configuration ----------------------------------------------------------------------------------------

TEST(MemoryHierarchyConfig, DefaultsFromSchema) {
  const Config cfg;
  const MemoryHierarchyConfig m = memory_hierarchy_config(cfg);
  EXPECT_TRUE(m.l1i.enabled && m.l1d.enabled && m.l2.enabled);
  EXPECT_EQ(m.l1i.size, 32768u);
  EXPECT_EQ(m.l1i.latency, 1u);
  EXPECT_EQ(m.l1d.latency, 4u);
  EXPECT_EQ(m.l2.size, 1u << 20);
  EXPECT_EQ(m.l2.ways, 16u);
  EXPECT_EQ(m.l2.latency, 12u);
  EXPECT_EQ(m.controller.policy, SchedulingPolicy::FrFcfs);
  EXPECT_EQ(m.pte_source, PteSource::L1d);
  const DramConfig ref = ddr4_3200aa();
  EXPECT_EQ(m.dram.timing.tRFC, ref.timing.tRFC);
  EXPECT_EQ(m.dram.timing.tREFI, ref.timing.tREFI);
  EXPECT_EQ(m.dram.timing.tFAW, ref.timing.tFAW);
  EXPECT_EQ(m.dram.geometry.mapping, ref.geometry.mapping);
}

TEST(MemoryHierarchyConfig, OverridesAndErrors) {
  {
    Config cfg;
    cfg.set("dram.CL", "24", "--set");
    cfg.set("dram.tCK_ps", "1250", "--set");
    cfg.set("dram.page_policy", "closed", "--set");
    cfg.set("memory.controller.policy", "fcfs", "--set");
    cfg.set("mmu.walker.pte_source", "l2", "--set");
    const MemoryHierarchyConfig m = memory_hierarchy_config(cfg);
    EXPECT_EQ(m.dram.timing.CL, 24u);
    EXPECT_EQ(m.dram.timing.tRCD, 22u);   // from the preset
    EXPECT_EQ(m.dram.timing.tRFC, 280u);  // 350 ns at 1.25 ns
    EXPECT_EQ(m.dram.row_policy, RowPolicy::Closed);
    EXPECT_EQ(m.controller.policy, SchedulingPolicy::Fcfs);
    EXPECT_EQ(m.pte_source, PteSource::L2);
  }
  auto error = [](const std::string& key, const std::string& value) {
    Config cfg;
    cfg.set(key, value, "test.yaml:3:7");
    try {
      memory_hierarchy_config(cfg);
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_EQ(error("cache.l1d.ways", "3").rfind("test.yaml:3:7: cache.l1d.ways: ", 0), 0u)
      << error("cache.l1d.ways", "3");
  EXPECT_EQ(error("cache.l2.size", "768KiB").rfind("test.yaml:3:7: cache.l2.size: ", 0), 0u);  // 768 sets
  EXPECT_EQ(error("cache.l1i.line", "48").rfind("test.yaml:3:7: cache.l1i.line: ", 0), 0u);
  EXPECT_EQ(error("cache.l2.line", "32").rfind("test.yaml:3:7: cache.l2.line: ", 0), 0u);
  EXPECT_EQ(error("dram.mapping", "RoBaXxCo").rfind("test.yaml:3:7: dram.mapping: ", 0), 0u);
  EXPECT_EQ(error("dram.rows", "1000").rfind("test.yaml:3:7: dram.rows: ", 0), 0u);
  EXPECT_EQ(error("dram.tREFI", "100ns").rfind("test.yaml:3:7: dram.tREFI: ", 0), 0u);
  EXPECT_EQ(error("cache.l1d.enabled", "false"), "no error");
  {
    Config cfg;  // a disabled cache's geometry is not checked
    cfg.set("cache.l1d.enabled", "false", "--set");
    cfg.set("cache.l1d.ways", "3", "--set");
    EXPECT_NO_THROW(memory_hierarchy_config(cfg));
  }
}

TEST(MemoryHierarchy, RegistersStats) {
  MemoryHierarchy h(memory_hierarchy_config(Config()), kPeriod);
  Stats stats;
  h.register_stats(stats);
  h.access(Requester::Load, kRam, false, 0);
  const std::string text = stats.text();
  for (const char* name :
       {"cache.l1i.fetch.misses", "cache.l1d.load.hits", "cache.l1d.walker.accesses", "cache.l1d.writebacks",
        "cache.l2.writeback.hits", "cache.l2.fills", "memory.controller.reads.load",
        "memory.controller.writes.writeback", "memory.controller.read_queueing_ps",
        "memory.controller.read_service_avg_ps", "memory.controller.row_hit_bypasses", "dram.row_hits",
        "dram.row_conflicts", "dram.refreshes"}) {
    EXPECT_NE(text.find(std::string(name) + " "), std::string::npos) << name;
  }
  EXPECT_EQ(text.find("cache.l1d.writeback."), std::string::npos);
  EXPECT_NE(text.find("cache.l1d.load.misses"), std::string::npos);
}

}  // namespace
}  // namespace sv39sim
