// DramTiming against hand-computed DDR4-3200AA schedules. Times are in DRAM cycles of tCK = 625 ps
// unless a comment says ns; every test starts from an idle device at t = 0, so the first refresh
// (at tREFI = 12480 cycles = 7.8 us) only matters where a test says so.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>
#include <stdexcept>
#include <vector>

#include "models/mem/DramTiming.h"

namespace sv39sim {
namespace {

constexpr uint64_t kTck = 625;
constexpr uint64_t ps(uint64_t cycles) {
  return cycles * kTck;
}

// One channel, one rank, "RoBaRaCoCh": bits 5:0 offset, 12:6 column burst, 16:13 Ba (14:13 bank group,
// 16:15 bank), 32:17 row.
uint64_t addr(unsigned group, unsigned bank, unsigned row, unsigned burst = 0) {
  return uint64_t{row} << 17 | uint64_t{bank * 4 + group} << 13 | uint64_t{burst} << 6;
}

DramAccess read(DramTiming& d, uint64_t a, uint64_t arrival_ps) {
  return d.access({a, false, arrival_ps});
}
DramAccess write(DramTiming& d, uint64_t a, uint64_t arrival_ps) {
  return d.access({a, true, arrival_ps});
}

TEST(DramTiming, PresetFigures) {
  const DramConfig c = ddr4_3200aa();
  EXPECT_EQ(c.timing.tRFC, 560u);     // 350 ns / 0.625 ns
  EXPECT_EQ(c.timing.tREFI, 12480u);  // 7.8 us / 0.625 ns
  EXPECT_EQ(c.geometry.access_bytes(), 64u);
  EXPECT_EQ(ps_to_cycles(350001, 625), 561u);  // a part cycle rounds up
  DramConfig named;
  EXPECT_TRUE(dram_preset("DDR4_3200AA", &named));
  EXPECT_EQ(named.timing.tFAW, 34u);
  EXPECT_FALSE(dram_preset("DDR5_9999", &named));
  EXPECT_EQ(validate(c), "");
}

TEST(DramTiming, UnloadedRowHit) {
  DramTiming d(ddr4_3200aa());
  read(d, addr(0, 0, 7), 0);  // opens row 7; long done by 1 us
  // RD at 1600 (1 us); data ends CL + BL/2 = 22 + 4 = 26 cycles later = 16.25 ns.
  const DramAccess a = read(d, addr(0, 0, 7, 3), 1000000);
  EXPECT_EQ(a.kind, RowKind::Hit);
  EXPECT_EQ(a.column_ps, 1000000u);
  EXPECT_EQ(a.done_ps - 1000000, 16250u);
}

TEST(DramTiming, UnloadedClosedBank) {
  DramTiming d(ddr4_3200aa());
  // ACT 0, RD at tRCD = 22, data ends 22 + 22 + 4 = 48 cycles = 30 ns.
  const DramAccess a = read(d, addr(1, 2, 100), 0);
  EXPECT_EQ(a.kind, RowKind::Empty);
  EXPECT_EQ(a.act_ps, 0u);
  EXPECT_EQ(a.column_ps, ps(22));
  EXPECT_EQ(a.done_ps, 30000u);
}

TEST(DramTiming, UnloadedRowConflict) {
  DramTiming d(ddr4_3200aa());
  // Row 1 opens at cycle 0; the conflicting read arrives at 1 us (cycle 1600), long after tRAS (52) and
  // tRTP of its read (22 + 12), so nothing but the request itself holds the PRE back.
  read(d, addr(0, 0, 1), 0);
  // PRE 1600, ACT 1600 + tRP = 1622, RD 1622 + tRCD = 1644, data ends 1644 + 26 = 1670:
  // 70 cycles = tRP + tRCD + CL + BL/2 = 43.75 ns.
  const DramAccess a = read(d, addr(0, 0, 2), 1000000);
  EXPECT_EQ(a.kind, RowKind::Conflict);
  EXPECT_EQ(a.pre_ps, ps(1600));
  EXPECT_EQ(a.act_ps, ps(1622));
  EXPECT_EQ(a.column_ps, ps(1644));
  EXPECT_EQ(a.done_ps - 1000000, 43750u);
}

TEST(DramTiming, ConflictWaitsForTras) {
  DramTiming d(ddr4_3200aa());
  read(d, addr(0, 0, 1), 0);  // ACT 0, RD 22
  // PRE waits for max(ACT + tRAS, RD + tRTP) = max(52, 34) = 52; ACT 52 + tRP = 74 (= tRC after the
  // first ACT too); RD 96; data ends 96 + 26 = 122.
  const DramAccess a = read(d, addr(0, 0, 2), 0);
  EXPECT_EQ(a.pre_ps, ps(52));
  EXPECT_EQ(a.act_ps, ps(74));
  EXPECT_EQ(a.done_ps, ps(122));
}

TEST(DramTiming, FourActivateWindow) {
  DramTiming d(ddr4_3200aa());
  // Five reads at t = 0 to five banks of one rank, groups 0 1 2 3 0. ACTs step by tRRD_S = 4: 0, 4, 8, 12.
  // The fifth would go at max(12 + tRRD_S, 0 + tRRD_L) = 16 but tFAW holds it to the first ACT + 34 = 34.
  const unsigned group[5] = {0, 1, 2, 3, 0}, bank[5] = {0, 0, 0, 0, 1};
  const uint64_t acts[5] = {0, 4, 8, 12, 34};
  DramAccess a;
  for (int i = 0; i < 5; ++i) {
    a = read(d, addr(group[i], bank[i], 9), 0);
    EXPECT_EQ(a.act_ps, ps(acts[i])) << "ACT " << i;
  }
  // Its RD at 34 + tRCD = 56 (tCCD and the data bus are long free), data ends 56 + 26 = 82.
  EXPECT_EQ(a.column_ps, ps(56));
  EXPECT_EQ(a.done_ps, ps(82));
}

TEST(DramTiming, ActivateSpacingByBankGroup) {
  {
    DramTiming d(ddr4_3200aa());
    read(d, addr(0, 0, 1), 0);
    EXPECT_EQ(read(d, addr(1, 0, 1), 0).act_ps, ps(4));  // other group: tRRD_S
  }
  {
    DramTiming d(ddr4_3200aa());
    read(d, addr(0, 0, 1), 0);
    EXPECT_EQ(read(d, addr(0, 1, 1), 0).act_ps, ps(8));  // same group: tRRD_L
  }
}

TEST(DramTiming, ReadToReadSpacingByBankGroup) {
  // Rows opened at t = 0; at 1 us (cycle 1600) two row-hit reads arrive together.
  {
    DramTiming d(ddr4_3200aa());
    read(d, addr(0, 0, 1), 0);
    read(d, addr(0, 1, 1), 0);
    EXPECT_EQ(read(d, addr(0, 0, 1), 1000000).column_ps, ps(1600));
    // Same group: RD at 1600 + tCCD_L = 1608; data 1630..1634.
    const DramAccess b = read(d, addr(0, 1, 1), 1000000);
    EXPECT_EQ(b.column_ps, ps(1608));
    EXPECT_EQ(b.done_ps, ps(1634));
  }
  {
    DramTiming d(ddr4_3200aa());
    read(d, addr(0, 0, 1), 0);
    read(d, addr(1, 0, 1), 0);
    read(d, addr(0, 0, 1), 1000000);  // data 1622..1626
    // Other group: RD at 1600 + tCCD_S = 1604; data 1626..1630 follows the first burst without a gap.
    const DramAccess b = read(d, addr(1, 0, 1), 1000000);
    EXPECT_EQ(b.column_ps, ps(1604));
    EXPECT_EQ(b.done_ps, ps(1630));
  }
}

TEST(DramTiming, WriteToReadTurnaround) {
  {
    DramTiming d(ddr4_3200aa());
    // WR: ACT 0, WR 22, write data 22 + CWL = 38 .. 42.
    const DramAccess w = write(d, addr(0, 0, 3), 0);
    EXPECT_EQ(w.column_ps, ps(22));
    EXPECT_EQ(w.done_ps, ps(42));
    // Row-hit read, same group: RD at write data end + tWTR_L = 42 + 12 = 54 (tCCD_L alone allows 30);
    // data ends 54 + 26 = 80.
    const DramAccess r = read(d, addr(0, 0, 3, 1), 0);
    EXPECT_EQ(r.kind, RowKind::Hit);
    EXPECT_EQ(r.column_ps, ps(54));
    EXPECT_EQ(r.done_ps, ps(80));
  }
  {
    DramTiming d(ddr4_3200aa());
    write(d, addr(0, 0, 3), 0);
    // Other group, closed bank: ACT at tRRD_S = 4, tRCD allows RD at 26, but tWTR_S holds it to
    // 42 + 4 = 46; data ends 46 + 26 = 72.
    const DramAccess r = read(d, addr(1, 0, 3), 0);
    EXPECT_EQ(r.act_ps, ps(4));
    EXPECT_EQ(r.column_ps, ps(46));
    EXPECT_EQ(r.done_ps, ps(72));
  }
}

TEST(DramTiming, WriteRecoveryBeforePrecharge) {
  DramTiming d(ddr4_3200aa());
  write(d, addr(0, 0, 3), 0);  // ACT 0, WR 22, data ends 42
  // PRE waits for data end + tWR = 42 + 24 = 66 (> tRAS 52); ACT 88; RD 110; data ends 136.
  const DramAccess r = read(d, addr(0, 0, 4), 0);
  EXPECT_EQ(r.pre_ps, ps(66));
  EXPECT_EQ(r.act_ps, ps(88));
  EXPECT_EQ(r.done_ps, ps(136));
}

TEST(DramTiming, RefreshDelaysAnArrivalJustAfterIt) {
  DramTiming d(ddr4_3200aa());
  // The refresh starts at tREFI = 12480 cycles (7.8 us) with every bank closed, so REF issues then and
  // the rank is busy until 12480 + tRFC = 13040. A read arriving one cycle in: ACT 13040, RD 13062,
  // data ends 13088 = 7.8 us + 350 ns + 30 ns = 8.18 us.
  const DramAccess a = read(d, addr(2, 1, 5), ps(12481));
  EXPECT_EQ(a.kind, RowKind::Empty);
  EXPECT_EQ(a.act_ps, ps(13040));
  EXPECT_EQ(a.done_ps, 8180000u);
  EXPECT_EQ(d.refreshes(), 1u);
}

TEST(DramTiming, RefreshClosesOpenRows) {
  DramTiming d(ddr4_3200aa());
  read(d, addr(0, 0, 5), 0);
  // would_hit only looks at the bank; peek also runs the refresh the access would wait for.
  EXPECT_TRUE(d.would_hit(addr(0, 0, 5)));
  EXPECT_EQ(d.peek({addr(0, 0, 5), false, ps(12481)}).kind, RowKind::Empty);
  // At 12480 the open bank is precharged (tRAS long over), REF at 12480 + tRP = 12502, busy until
  // 12502 + 560 = 13062. The same row is now closed: ACT 13062, RD 13084, data ends 13110.
  const DramAccess a = read(d, addr(0, 0, 5), ps(12481));
  EXPECT_EQ(a.kind, RowKind::Empty);
  EXPECT_EQ(a.act_ps, ps(13062));
  EXPECT_EQ(a.done_ps, ps(13110));
}

TEST(DramTiming, RefreshesOnAFixedGridThroughIdleTime) {
  DramTiming d(ddr4_3200aa());
  // Refreshes at 12480 x 1..10; the read arrives one cycle after the tenth (124800) and waits out its
  // tRFC: ACT 124800 + 560 = 125360, data ends 125360 + 48 = 125408.
  const DramAccess a = read(d, addr(0, 0, 1), ps(124801));
  EXPECT_EQ(a.done_ps, ps(125408));
  EXPECT_EQ(d.refreshes(), 10u);
  // An access that completes before the next refresh is not delayed by it.
  EXPECT_EQ(read(d, addr(0, 0, 1), ps(137000)).done_ps, ps(137026));
  d.advance(ps(137280));  // 11 x 12480
  EXPECT_EQ(d.refreshes(), 11u);
}

TEST(DramTiming, ClosedPageIsAlwaysEmpty) {
  DramConfig c = ddr4_3200aa();
  c.row_policy = RowPolicy::Closed;
  DramTiming d(c);
  // Back to back to one row: ACT 0, RD 22, auto-precharge at max(tRAS 52, 22 + tRTP) = 52, next ACT at
  // 52 + tRP = 74 (= tRC), RD 96, data ends 122; the third ACT at 148, data ends 196.
  const uint64_t acts[3] = {0, 74, 148}, dones[3] = {48, 122, 196};
  for (int i = 0; i < 3; ++i) {
    const DramAccess a = read(d, addr(0, 0, 1, i), 0);
    EXPECT_EQ(a.kind, RowKind::Empty);
    EXPECT_EQ(a.act_ps, ps(acts[i]));
    EXPECT_EQ(a.done_ps, ps(dones[i]));
    EXPECT_FALSE(d.would_hit(addr(0, 0, 1)));
  }
  // Spaced out, each costs tRCD + CL + BL/2 = 30 ns, writes included.
  EXPECT_EQ(read(d, addr(0, 0, 1), 1000000).done_ps, 1030000u);
  EXPECT_EQ(write(d, addr(0, 0, 1), 2000000).done_ps, 2000000 + ps(22 + 16 + 4));
  EXPECT_EQ(read(d, addr(0, 0, 1), 3000000).done_ps, 3030000u);
  EXPECT_EQ(d.row_empties(), 6u);
  EXPECT_EQ(d.row_hits(), 0u);
  EXPECT_EQ(d.row_conflicts(), 0u);
}

TEST(DramTiming, DataBusIsPerChannel) {
  DramConfig c = ddr4_3200aa();
  c.geometry.channels = 2;  // channel is address bit 6
  DramTiming d(c);
  EXPECT_EQ(read(d, 0x000, 0).done_ps, ps(48));
  EXPECT_EQ(read(d, 0x040, 0).done_ps, ps(48));  // other channel: nothing shared
  // Channel 0 again, Ba = 1 (bits 17:14) is bank group 1: ACT at tRRD_S = 4, RD 26, data 48..52 right
  // after the first burst.
  EXPECT_EQ(read(d, uint64_t{1} << 14, 0).done_ps, ps(52));
}

TEST(DramTiming, DecodesRoBaRaCoCh) {
  DramTiming d(ddr4_3200aa());
  // 0x12345678 >> 6 = 0x48d159. Co = low 7 bits = 0x59 = 89 -> column 89 x 8 = 712. Then 0x48d159 >> 7 =
  // 0x91a2: Ba = low 4 bits = 2 -> group 2 % 4 = 2, bank 2 / 4 = 0. Row = 0x91a2 >> 4 = 0x91a = 2330.
  DramLocation want;
  want.bank_group = 2;
  want.bank = 0;
  want.row = 2330;
  want.column = 712;
  EXPECT_EQ(d.decode(0x12345678), want);
  EXPECT_EQ(d.encode(want), 0x12345640u);  // the offset bits are not part of the location

  DramConfig c = ddr4_3200aa();
  c.geometry.channels = 2;
  c.geometry.ranks = 2;
  DramTiming two(c);
  // 0x3234567c0 >> 6 = 0xc8d159f. Ch = bit 0 = 1; >> 1 = 0x6468acf: Co = 0x4f = 79 -> column 632;
  // >> 7 = 0xc8d15: Ra = bit 0 = 1; >> 1 = 0x6468a: Ba = 0xa = 10 -> group 2, bank 2; row = 0x6468.
  DramLocation w2;
  w2.channel = 1;
  w2.rank = 1;
  w2.bank_group = 2;
  w2.bank = 2;
  w2.row = 0x6468;
  w2.column = 632;
  EXPECT_EQ(two.decode(0x3234567c0), w2);
  EXPECT_EQ(two.encode(w2), 0x3234567c0u);
}

TEST(DramTiming, DecodesSeparateBankGroupField) {
  DramConfig c = ddr4_3200aa();
  c.geometry.mapping = "RoBgBaRaCoCh";  // bits 12:6 column burst, 14:13 bank, 16:15 group, 32:17 row
  DramTiming d(c);
  const uint64_t a = uint64_t{5} << 17 | uint64_t{3} << 15 | uint64_t{1} << 13 | uint64_t{9} << 6;
  const DramLocation w = d.decode(a);
  EXPECT_EQ(w.row, 5u);
  EXPECT_EQ(w.bank_group, 3u);
  EXPECT_EQ(w.bank, 1u);
  EXPECT_EQ(w.column, 72u);
  EXPECT_EQ(d.encode(w), a);
}

TEST(DramTiming, RejectsBadMappingsAndGeometry) {
  auto error = [](const std::string& mapping) {
    DramConfig c = ddr4_3200aa();
    c.geometry.mapping = mapping;
    return validate(c);
  };
  EXPECT_EQ(error("RoBgBaRaCoCh"), "");
  EXPECT_EQ(error("RoBaXx"),
            "address mapping \"RoBaXx\": unknown field \"Xx\" (fields are Ro, Ba, Bg, Ra, Co, Ch)");
  EXPECT_EQ(error("RoBaRaCo"), "address mapping \"RoBaRaCo\" lacks the \"Ch\" field");
  EXPECT_EQ(error("RoBaRaCoChRo"), "address mapping \"RoBaRaCoChRo\": field \"Ro\" appears twice");
  EXPECT_NE(error("RoBaRaCoC"), "");
  EXPECT_NE(error(""), "");

  DramConfig c = ddr4_3200aa();
  c.geometry.rows = 1000;
  EXPECT_EQ(validate(c), "dram rows = 1000 is not a power of two");
  c = ddr4_3200aa();
  c.geometry.banks_per_group = 0;
  EXPECT_EQ(validate(c), "dram banks_per_group = 0 is not a power of two");
  c = ddr4_3200aa();
  c.geometry.channels = 3;
  EXPECT_THROW(DramTiming{c}, std::invalid_argument);
  c = ddr4_3200aa();
  c.timing.tREFI = 600;  // barely longer than tRFC: an access would never fit between refreshes
  EXPECT_NE(validate(c), "");
  c.timing.tREFI = 0;  // refresh off
  EXPECT_EQ(validate(c), "");
}

// Random open-page traffic with refresh off (so every command shows in the results), checked pair by pair
// against each constraint: the forward-only schedule must never break one, whatever the call order.
TEST(DramTiming, RandomTrafficKeepsEveryConstraint) {
  DramConfig c = ddr4_3200aa();
  c.timing.tREFI = 0;
  c.geometry.channels = 2;
  c.geometry.ranks = 2;
  DramTiming d(c);
  const DramTimingParams& t = c.timing;
  struct Cmd {
    DramLocation at;
    bool write;
    int64_t arrival, pre, act, col, done;  // cycles; -1 when the command was not needed
  };
  std::vector<Cmd> cmds;
  std::mt19937_64 rng(1);
  uint64_t now = 0;
  for (int i = 0; i < 4000; ++i) {
    now += rng() % 40;
    const uint64_t arrival = now > 30 ? now - rng() % 30 : now;  // a little out of order
    DramLocation at;
    at.channel = rng() % 2;
    at.rank = rng() % 2;
    at.bank_group = rng() % 4;
    at.bank = rng() % 2;
    at.row = rng() % 3;
    at.column = 8 * (rng() % 4);
    const bool w = rng() % 3 == 0;
    const DramAccess a = d.access({d.encode(at), w, ps(arrival)});
    ASSERT_EQ(a.where, at);
    const bool act = a.kind != RowKind::Hit, pre = a.kind == RowKind::Conflict;
    cmds.push_back({at, w, static_cast<int64_t>(arrival), pre ? static_cast<int64_t>(a.pre_ps / kTck) : -1,
                    act ? static_cast<int64_t>(a.act_ps / kTck) : -1,
                    static_cast<int64_t>(a.column_ps / kTck), static_cast<int64_t>(a.done_ps / kTck)});
    const Cmd& m = cmds.back();
    EXPECT_GE(pre ? m.pre : act ? m.act : m.col, m.arrival);
    EXPECT_EQ(m.done - m.col, (w ? t.CWL : t.CL) + 4);
    if (act) {
      EXPECT_GE(m.col - m.act, t.tRCD);
    }
    if (pre) {
      EXPECT_GE(m.act - m.pre, t.tRP);
    }
  }
  auto same_rank = [](const Cmd& a, const Cmd& b) {
    return a.at.channel == b.at.channel && a.at.rank == b.at.rank;
  };
  auto same_bank = [&](const Cmd& a, const Cmd& b) {
    return same_rank(a, b) && a.at.bank_group == b.at.bank_group && a.at.bank == b.at.bank;
  };
  for (size_t i = 0; i < cmds.size(); ++i) {
    const Cmd& a = cmds[i];
    for (size_t j = i + 1; j < cmds.size(); ++j) {
      const Cmd& b = cmds[j];
      if (a.at.channel == b.at.channel) {  // data bursts [done - 4, done) never overlap
        EXPECT_TRUE(a.done <= b.done - 4 || b.done <= a.done - 4) << i << " " << j;
      }
      if (!same_rank(a, b)) continue;
      const bool group = a.at.bank_group == b.at.bank_group;
      if (a.act >= 0 && b.act >= 0 && !same_bank(a, b)) {
        EXPECT_GE(std::abs(a.act - b.act), group ? t.tRRD_L : t.tRRD_S) << i << " " << j;
      }
      EXPECT_GE(std::abs(a.col - b.col), group ? t.tCCD_L : t.tCCD_S) << i << " " << j;
      for (const auto& [wr, rd] : {std::pair{&a, &b}, std::pair{&b, &a}}) {
        if (wr->write && !rd->write && rd->col > wr->col) {
          EXPECT_GE(rd->col - wr->done, group ? t.tWTR_L : t.tWTR_S) << i << " " << j;
        }
      }
    }
  }
  // Per rank, any five ACTs span at least tFAW. Per bank, in order: tRC between ACTs, and the PRE that
  // closes a row waits for tRAS, tRTP after each read and tWR after each write's data.
  std::map<std::pair<unsigned, unsigned>, std::vector<int64_t>> rank_acts;
  std::map<std::vector<unsigned>, std::vector<const Cmd*>> banks;
  for (const Cmd& m : cmds) {
    if (m.act >= 0) rank_acts[{m.at.channel, m.at.rank}].push_back(m.act);
    banks[{m.at.channel, m.at.rank, m.at.bank_group, m.at.bank}].push_back(&m);
  }
  for (auto& [rank, acts] : rank_acts) {
    std::sort(acts.begin(), acts.end());
    for (size_t k = 4; k < acts.size(); ++k) EXPECT_GE(acts[k] - acts[k - 4], t.tFAW);
  }
  for (const auto& [bank, seq] : banks) {
    const Cmd* opener = nullptr;
    std::vector<const Cmd*> since;  // accesses to the open row
    for (const Cmd* m : seq) {
      if (m->act >= 0) {
        if (opener) {
          EXPECT_GE(m->act - opener->act, t.tRC);
          EXPECT_GE(m->pre - opener->act, t.tRAS);
          for (const Cmd* x : since) EXPECT_GE(m->pre - (x->write ? x->done + t.tWR : x->col + t.tRTP), 0);
        }
        opener = m;
        since.clear();
      }
      EXPECT_GE(m->col - opener->act, t.tRCD);
      since.push_back(m);
    }
  }
  EXPECT_GT(d.row_hits(), 0u);
  EXPECT_GT(d.row_conflicts(), 0u);
}

TEST(DramTiming, PeekCommitsNothingAndStatsAddUp) {
  DramTiming d(ddr4_3200aa());
  const DramAccess p = d.peek({addr(0, 0, 1), false, 0});
  EXPECT_EQ(p.kind, RowKind::Empty);
  EXPECT_EQ(p.done_ps, ps(48));
  EXPECT_FALSE(d.would_hit(addr(0, 0, 1)));
  EXPECT_EQ(d.reads(), 0u);
  // A peek across a due refresh matches the access that follows and leaves the refresh undone.
  read(d, addr(0, 0, 1), 0);
  const DramAccess q = d.peek({addr(0, 0, 1), false, ps(12481)});
  EXPECT_EQ(d.refreshes(), 0u);
  EXPECT_EQ(q.done_ps, d.access({addr(0, 0, 1), false, ps(12481)}).done_ps);

  DramTiming s(ddr4_3200aa());
  read(s, addr(0, 0, 1), 0);         // empty: 30 ns
  read(s, addr(0, 0, 1), 1000000);   // hit: 16.25 ns
  write(s, addr(0, 0, 2), 2000000);  // conflict: tRP + tRCD + CWL + BL/2 = 64 cycles = 40 ns
  EXPECT_EQ(s.reads(), 2u);
  EXPECT_EQ(s.writes(), 1u);
  EXPECT_EQ(s.row_hits(), 1u);
  EXPECT_EQ(s.row_empties(), 1u);
  EXPECT_EQ(s.row_conflicts(), 1u);
  EXPECT_EQ(s.total_latency_ps(), 30000u + 16250u + 40000u);
  EXPECT_DOUBLE_EQ(s.average_latency_ps(), 86250.0 / 3);
  EXPECT_STREQ(row_kind_name(RowKind::Conflict), "row_conflict");
}

}  // namespace
}  // namespace sv39sim
