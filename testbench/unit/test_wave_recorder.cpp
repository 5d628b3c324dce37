// The FST writer: a hand-made event stream goes through an EventBus to the WaveRecorder, and the file is
// read back with fstapi's reader. Checked against values written out by hand: each signal's changes (time
// and value), the scopes, the enum tables and which signal uses which, and that time never goes back.
#include <fstapi.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "models/sim/EventBus.h"
#include "models/sim/InputError.h"
#include "models/trace/WaveRecorder.h"

namespace sv39sim {
namespace {

using Changes = std::vector<std::pair<uint64_t, std::string>>;  // (time ps, value)

// What the file holds, as the reader sees it.
struct Waves {
  int timescale = 0;
  uint64_t end_time = 0;
  std::set<std::string> scopes;                                     // "sv39sim.itlb"
  std::map<std::string, fstHandle> handle;                          // "sv39sim.itlb.va"
  std::map<fstHandle, unsigned> width;                              // 0: a string
  std::map<std::string, std::string> enum_of;                       // signal -> enum table name
  std::map<std::string, std::map<std::string, std::string>> enums;  // table -> value bits -> name
  std::map<fstHandle, Changes> changes;
  std::vector<uint64_t> times;  // every change's time, in the order the reader delivers them

  const Changes& of(const std::string& name) const {
    static const Changes kNone;
    const auto h = handle.find("sv39sim." + name);
    if (h == handle.end()) return kNone;
    const auto c = changes.find(h->second);
    return c == changes.end() ? kNone : c->second;
  }
};

void on_change(void* user, uint64_t time, fstHandle h, const unsigned char* value) {
  auto* w = static_cast<Waves*>(user);
  w->times.push_back(time);
  w->changes[h].emplace_back(time, std::string(reinterpret_cast<const char*>(value), w->width[h]));
}

void on_string(void* user, uint64_t time, fstHandle h, const unsigned char* value, uint32_t len) {
  auto* w = static_cast<Waves*>(user);
  w->times.push_back(time);
  w->changes[h].emplace_back(time, std::string(reinterpret_cast<const char*>(value), len));
}

Waves read_waves(const std::string& path) {
  Waves w;
  void* r = fstReaderOpen(path.c_str());
  if (!r) {
    ADD_FAILURE() << "cannot open " << path;
    return w;
  }
  w.timescale = fstReaderGetTimescale(r);
  w.end_time = fstReaderGetEndTime(r);
  std::vector<std::string> scope;
  std::map<uint64_t, std::string> table_name;  // enum handle -> table name
  std::string pending_enum;
  while (fstHier* h = fstReaderIterateHier(r)) {
    switch (h->htyp) {
      case FST_HT_SCOPE: {
        std::string path = scope.empty() ? h->u.scope.name : scope.back() + "." + h->u.scope.name;
        w.scopes.insert(path);
        scope.push_back(path);
        break;
      }
      case FST_HT_UPSCOPE: scope.pop_back(); break;
      case FST_HT_ATTRBEGIN:
        if (h->u.attr.typ == FST_AT_MISC && h->u.attr.subtype == FST_MT_ENUMTABLE) {
          if (h->u.attr.name && h->u.attr.name_length) {
            fstETab* t = fstUtilityExtractEnumTableFromString(h->u.attr.name);
            if (!t) {
              ADD_FAILURE() << "enum table does not parse: " << h->u.attr.name;
              break;
            }
            for (uint32_t i = 0; i < t->elem_count; ++i) w.enums[t->name][t->val_arr[i]] = t->literal_arr[i];
            table_name[h->u.attr.arg] = t->name;
            // As GTKWave reads it: fstapi leaves a table's attribute open, and the next variable takes it.
            pending_enum = t->name;
            fstUtilityFreeEnumTable(t);
          } else {
            pending_enum = table_name[h->u.attr.arg];
          }
        }
        break;
      case FST_HT_VAR: {
        const std::string name = scope.back() + "." + h->u.var.name;
        w.handle[name] = h->u.var.handle;
        w.width[h->u.var.handle] = h->u.var.typ == FST_VT_GEN_STRING ? 0 : h->u.var.length;
        if (!pending_enum.empty()) w.enum_of[name] = pending_enum;
        pending_enum.clear();
        break;
      }
      default: break;
    }
  }
  fstReaderSetFacProcessMaskAll(r);
  fstReaderIterBlocks2(r, on_change, on_string, &w, nullptr);
  fstReaderClose(r);
  return w;
}

// A value as the reader gives it: bits, most significant first.
std::string bits(uint64_t v, unsigned n) {
  std::string s(n, '0');
  for (unsigned i = 0; i < n; ++i) s[n - 1 - i] = static_cast<char>('0' + ((v >> i) & 1));
  return s;
}
std::string hex64(uint64_t v) {
  return bits(v, 64);
}

Event ev(uint64_t ps, Unit unit, EventKind kind) {
  Event e;
  e.time_ps = ps;
  e.unit = unit;
  e.kind = kind;
  return e;
}

std::string temp_path(const char* name) {
  return testing::TempDir() + "/" + name;
}

// A D-side load of VA 0x12345678 that misses both TLBs, walks three levels (root 0x80010000, ASID 5),
// sets A, fills; the same VA later denied, faulting, trapping to S, the pager reading a page from disk, and
// the sret back. PTE addresses by hand: vpn2 0, vpn1 0x91, vpn0 0x145.
constexpr uint64_t kSatp = (8ull << 60) | (5ull << 44) | 0x80010;
constexpr uint64_t kVa = 0x12345678;
constexpr uint64_t kLeaf = (0x80100ull << 10) | 0x47;  // V R W A

void publish_scenario(EventBus& bus) {
  Event e = ev(1000, Unit::Itlb, EventKind::TlbLookup);  // two fetch hits in the same ps
  e.access = 0;
  e.va = 0x80000000;
  e.set = 3;
  e.way = 1;
  bus.publish(e);
  e.va = 0x80000004;
  e.way = 2;
  bus.publish(e);

  e = ev(1000, Unit::Dtlb, EventKind::TlbLookup);
  e.access = 1;
  e.va = kVa;
  e.asid = 5;
  e.outcome = static_cast<uint8_t>(LookupOutcome::Miss);
  bus.publish(e);
  e.unit = Unit::L2tlb;
  bus.publish(e);
  e = ev(1000, Unit::Walker, EventKind::WalkStart);
  e.va = kVa;
  e.access = 1;
  e.data = kSatp;
  e.level = 2;
  bus.publish(e);

  const uint64_t pte_addr[3] = {0x80012a28, 0x80011488, 0x80010000};
  const uint64_t pte[3] = {kLeaf, (0x80012ull << 10) | 1, (0x80011ull << 10) | 1};
  const uint64_t at[3] = {42500, 2500, 1000}, latency[3] = {1000, 40000, 1500};
  const ServedBy served[3] = {ServedBy::L1d, ServedBy::Memory, ServedBy::L2};
  for (int level = 2; level >= 0; --level) {
    e = ev(at[level], Unit::Walker, EventKind::PteRead);
    e.pa = pte_addr[level];
    e.data = pte[level];
    e.level = static_cast<uint8_t>(level);
    e.outcome = static_cast<uint8_t>(served[level]);
    e.latency_ps = latency[level];
    bus.publish(e);
  }
  e = ev(2500, Unit::Dram, EventKind::DramAccess);
  e.pa = 0x80011480;
  e.outcome = 2;  // row conflict (DramTiming's RowKind)
  e.set = 3;
  e.way = 0x1a2;
  e.latency_ps = 38000;
  bus.publish(e);
  e = ev(2500, Unit::L2, EventKind::CacheMiss);
  e.pa = 0x80011480;
  e.access = 3;  // walker
  e.latency_ps = 39000;
  bus.publish(e);
  e = ev(43500, Unit::Walker, EventKind::PteWrite);
  e.pa = pte_addr[0];
  e.data = kLeaf | 0x80;
  e.aux = kLeaf;
  e.latency_ps = 500;
  bus.publish(e);
  e = ev(44000, Unit::Walker, EventKind::WalkEnd);
  e.pa = 0x80100678;
  e.latency_ps = 43000;
  bus.publish(e);
  e = ev(44000, Unit::Dtlb, EventKind::TlbFill);
  e.va = 0x12345000;
  e.asid = 5;
  e.set = 5;
  e.way = 3;
  e.pa = 0x80100000;
  e.data = kLeaf | 0x80;
  e.outcome = static_cast<uint8_t>(FillReason::Replaced);
  e.victim_va = 0x7000;
  e.victim_asid = 4;
  bus.publish(e);

  e = ev(50000, Unit::Dtlb, EventKind::TlbLookup);  // a store to the page: denied (not dirty-writable)
  e.access = 2;
  e.va = kVa;
  e.asid = 5;
  e.outcome = static_cast<uint8_t>(LookupOutcome::Denied);
  e.set = 5;
  e.way = 3;
  bus.publish(e);
  e = ev(50000, Unit::Hart, EventKind::Fault);
  e.aux = 15;  // store page fault
  e.va = kVa;
  e.access = 2;
  bus.publish(e);
  e = ev(51000, Unit::Hart, EventKind::TrapEnter);
  e.aux = 15;
  e.va = kVa;
  e.pa = 0x10074;
  e.priv = 0;
  e.priv_to = 1;
  bus.publish(e);
  e = ev(60000, Unit::Pager, EventKind::PagerMarker);
  e.outcome = 2;
  e.data = 7;
  e.aux = 0x12345000;
  e.va = 1;
  bus.publish(e);
  e = ev(61000, Unit::Disk, EventKind::DiskRequest);
  e.aux = 8;
  e.data = 4096;
  bus.publish(e);
  e.time_ps = 1000000;
  e.kind = EventKind::DiskComplete;
  e.latency_ps = 939000;
  bus.publish(e);
  e = ev(1001000, Unit::Hart, EventKind::Sfence);
  e.aux = 3;
  e.va = 0x12345000;
  e.asid = 5;
  bus.publish(e);
  e = ev(1001000, Unit::Dtlb, EventKind::TlbInvalidate);
  e.va = 0x12345000;
  e.asid = 5;
  e.set = 5;
  e.way = 3;
  e.outcome = static_cast<uint8_t>(InvalidateReason::FenceVaAsid);
  bus.publish(e);
  e = ev(1002000, Unit::Hart, EventKind::TrapReturn);
  e.pa = 0x10074;
  e.priv = 1;
  e.priv_to = 0;
  e.outcome = 1;  // sret
  bus.publish(e);
}

class WaveRecorderScenario : public testing::Test {
 protected:
  static void SetUpTestSuite() {
    const std::string path = temp_path("scenario.fst");
    {
      WaveRecorder rec(path, {"none", "ctx_switch", "fault_begin"});
      EventBus bus;
      bus.subscribe_ordered(&rec);
      uint64_t instret = 0;
      bus.set_instret_source(&instret);
      publish_scenario(bus);
      bus.end(2000000);
      EXPECT_EQ(rec.events(), 22u);
    }
    waves_ = new Waves(read_waves(path));
    std::remove(path.c_str());
  }
  static void TearDownTestSuite() { delete waves_; }
  static Waves* waves_;
};
Waves* WaveRecorderScenario::waves_ = nullptr;

TEST_F(WaveRecorderScenario, OneScopePerUnitAtPicosecondResolution) {
  const Waves& w = *waves_;
  EXPECT_EQ(w.timescale, -12);
  EXPECT_EQ(w.end_time, 2000000u);
  for (const char* u : {"hart", "itlb", "dtlb", "l2tlb", "walker", "pwc", "l1i", "l1d", "l2", "memctl",
                        "dram", "disk", "pager"}) {
    EXPECT_TRUE(w.scopes.count(std::string("sv39sim.") + u)) << u;
    EXPECT_TRUE(w.handle.count(std::string("sv39sim.") + u + ".events")) << u;
  }
  EXPECT_EQ(w.scopes.size(), 14u);
}

TEST_F(WaveRecorderScenario, TimeNeverGoesBack) {
  const Waves& w = *waves_;
  ASSERT_FALSE(w.times.empty());
  for (size_t i = 1; i < w.times.size(); ++i) ASSERT_LE(w.times[i - 1], w.times[i]) << "change " << i;
  EXPECT_EQ(w.times.front(), 0u);
  EXPECT_LE(w.times.back(), 2000000u);
}

TEST_F(WaveRecorderScenario, EnumTablesNameTheValues) {
  const Waves& w = *waves_;
  const std::map<std::string, std::string> outcome = {{"00", "hit"}, {"01", "miss"}, {"10", "denied"}};
  EXPECT_EQ(w.enums.at("lookup_outcome"), outcome);
  const std::map<std::string, std::string> priv = {{"00", "U"}, {"01", "S"}, {"11", "M"}};
  EXPECT_EQ(w.enums.at("privilege"), priv);
  const auto& cause = w.enums.at("cause");
  EXPECT_EQ(cause.at("00001101"), "load_page_fault");
  EXPECT_EQ(cause.at("00001111"), "store_page_fault");
  EXPECT_EQ(cause.at("00000101"), "load_access");
  EXPECT_EQ(cause.at("10000101"), "sti");
  EXPECT_EQ(cause.size(), 20u);           // the 14 exceptions and 6 interrupts the spec defines
  EXPECT_FALSE(cause.count("00001010"));  // reserved
  EXPECT_EQ(w.enums.at("walker_state").at("1"), "walking");
  EXPECT_EQ(w.enums.at("served_by").at("10"), "memory");
  EXPECT_EQ(w.enums.at("row_kind").at("10"), "row_conflict");
  EXPECT_EQ(w.enums.at("invalidate_reason").at("011"), "fence_va_asid");
  EXPECT_EQ(w.enums.at("pager_marker").at("00000010"), "fault_begin");
  EXPECT_EQ(w.enums.at("event_kind").at("10011"), "pager_marker");
  EXPECT_EQ(w.enums.at("event_kind").size(), 21u);

  const std::map<std::string, std::string> uses = {
      {"sv39sim.dtlb.outcome", "lookup_outcome"}, {"sv39sim.hart.priv", "privilege"},
      {"sv39sim.hart.trap_cause", "cause"},       {"sv39sim.walker.cause", "cause"},
      {"sv39sim.walker.state", "walker_state"},   {"sv39sim.walker.served_by", "served_by"},
      {"sv39sim.dram.row_kind", "row_kind"},      {"sv39sim.disk.op", "disk_op"},
      {"sv39sim.pager.code", "pager_marker"},     {"sv39sim.l2.requester", "requester"},
      {"sv39sim.itlb.kind", "event_kind"},        {"sv39sim.dtlb.inval_reason", "invalidate_reason"}};
  for (const auto& [signal, table] : uses) {
    ASSERT_TRUE(w.enum_of.count(signal)) << signal;
    EXPECT_EQ(w.enum_of.at(signal), table) << signal;
  }
  EXPECT_FALSE(w.enum_of.count("sv39sim.dtlb.va"));
  EXPECT_FALSE(w.enum_of.count("sv39sim.seq"));  // declared first: no table may leak onto it
  EXPECT_FALSE(w.enum_of.count("sv39sim.hart.events"));
}

TEST_F(WaveRecorderScenario, EventsAtTheSamePicosecondAreAllCounted) {
  const Waves& w = *waves_;
  EXPECT_EQ(w.of("itlb.events"), (Changes{{0, bits(0, 32)}, {1000, bits(1, 32)}, {1000, bits(2, 32)}}));
  EXPECT_EQ(w.of("itlb.va"), (Changes{{0, hex64(0)}, {1000, hex64(0x80000000)}, {1000, hex64(0x80000004)}}));
  EXPECT_EQ(w.of("itlb.way"), (Changes{{0, bits(0, 32)}, {1000, bits(1, 32)}, {1000, bits(2, 32)}}));
  // The strobe: up for one ps at each time it fired.
  EXPECT_EQ(w.of("itlb.lookup"), (Changes{{0, "0"}, {1000, "1"}, {1001, "0"}}));
  EXPECT_EQ(w.of("dtlb.lookup"), (Changes{{0, "0"}, {1000, "1"}, {1001, "0"}, {50000, "1"}, {50001, "0"}}));
  EXPECT_EQ(w.of("dtlb.events"), (Changes{{0, bits(0, 32)},
                                          {1000, bits(1, 32)},
                                          {44000, bits(2, 32)},
                                          {50000, bits(3, 32)},
                                          {1001000, bits(4, 32)}}));
  EXPECT_EQ(w.of("seq"),
            (Changes{{0, hex64(0)},        {1000, hex64(1)},    {1000, hex64(2)},     {1000, hex64(3)},
                     {1000, hex64(4)},     {1000, hex64(5)},    {2500, hex64(6)},     {2500, hex64(7)},
                     {2500, hex64(8)},     {42500, hex64(9)},   {43500, hex64(10)},   {44000, hex64(11)},
                     {44000, hex64(12)},   {50000, hex64(13)},  {50000, hex64(14)},   {51000, hex64(15)},
                     {60000, hex64(16)},   {61000, hex64(17)},  {1000000, hex64(18)}, {1001000, hex64(19)},
                     {1001000, hex64(20)}, {1002000, hex64(21)}}));
  // One entry per event, repeats included. Publication order at 1000 ps: itlb, itlb, dtlb, l2tlb, walker
  // start, walker PTE read (level 2); at 2500 the PTE read published before the DRAM access and the miss.
  EXPECT_EQ(
      w.of("event"),
      (Changes{
          {1000, "itlb.tlb_lookup"},       {1000, "itlb.tlb_lookup"},     {1000, "dtlb.tlb_lookup"},
          {1000, "l2tlb.tlb_lookup"},      {1000, "walker.walk_start"},   {1000, "walker.pte_read"},
          {2500, "walker.pte_read"},       {2500, "dram.dram_access"},    {2500, "l2.cache_miss"},
          {42500, "walker.pte_read"},      {43500, "walker.pte_write"},   {44000, "walker.walk_end"},
          {44000, "dtlb.tlb_fill"},        {50000, "dtlb.tlb_lookup"},    {50000, "hart.fault"},
          {51000, "hart.trap_enter"},      {60000, "pager.pager_marker"}, {61000, "disk.disk_request"},
          {1000000, "disk.disk_complete"}, {1001000, "hart.sfence"},      {1001000, "dtlb.tlb_invalidate"},
          {1002000, "hart.trap_return"}}));
}

TEST_F(WaveRecorderScenario, TheWalkLevelByLevel) {
  const Waves& w = *waves_;
  EXPECT_EQ(w.of("walker.state"), (Changes{{0, "0"}, {1000, "1"}, {44000, "0"}}));
  EXPECT_EQ(w.of("walker.satp"), (Changes{{0, hex64(0)}, {1000, hex64(0x8000500000080010)}}));
  EXPECT_EQ(w.of("walker.start_level"), (Changes{{0, "00"}, {1000, "10"}}));
  EXPECT_EQ(
      w.of("walker.pte_addr"),
      (Changes{
          {0, hex64(0)}, {1000, hex64(0x80010000)}, {2500, hex64(0x80011488)}, {42500, hex64(0x80012a28)}}));
  EXPECT_EQ(
      w.of("walker.pte_value"),
      (Changes{
          {0, hex64(0)}, {1000, hex64(0x20004401)}, {2500, hex64(0x20004801)}, {42500, hex64(0x20040047)}}));
  EXPECT_EQ(w.of("walker.level"), (Changes{{0, "00"}, {1000, "10"}, {2500, "01"}, {42500, "00"}}));
  EXPECT_EQ(w.of("walker.served_by"), (Changes{{0, "00"}, {1000, "01"}, {2500, "10"}, {42500, "00"}}));
  EXPECT_EQ(w.of("walker.pte_latency_ps"),
            (Changes{{0, hex64(0)}, {1000, hex64(1500)}, {2500, hex64(40000)}, {42500, hex64(1000)}}));
  EXPECT_EQ(
      w.of("walker.pte_read"),
      (Changes{{0, "0"}, {1000, "1"}, {1001, "0"}, {2500, "1"}, {2501, "0"}, {42500, "1"}, {42501, "0"}}));
  EXPECT_EQ(w.of("walker.write_value"), (Changes{{0, hex64(0)}, {43500, hex64(0x200400c7)}}));
  EXPECT_EQ(w.of("walker.write_old"), (Changes{{0, hex64(0)}, {43500, hex64(0x20040047)}}));
  EXPECT_EQ(w.of("walker.pa"), (Changes{{0, hex64(0)}, {44000, hex64(0x80100678)}}));
  EXPECT_EQ(w.of("walker.walk_latency_ps"), (Changes{{0, hex64(0)}, {44000, hex64(43000)}}));
  EXPECT_EQ(w.of("walker.result"), (Changes{{0, "0"}}));
  EXPECT_EQ(w.of("dtlb.fill_set"), (Changes{{0, bits(0, 32)}, {44000, bits(5, 32)}}));
  EXPECT_EQ(w.of("dtlb.fill_way"), (Changes{{0, bits(0, 32)}, {44000, bits(3, 32)}}));
  EXPECT_EQ(w.of("dtlb.fill_reason"), (Changes{{0, "0"}, {44000, "1"}}));
  EXPECT_EQ(w.of("dtlb.victim_va"), (Changes{{0, hex64(0)}, {44000, hex64(0x7000)}}));
  EXPECT_EQ(w.of("dtlb.victim_asid"), (Changes{{0, bits(0, 16)}, {44000, bits(4, 16)}}));
  EXPECT_EQ(w.of("dtlb.outcome"), (Changes{{0, "00"}, {1000, "01"}, {50000, "10"}}));
  EXPECT_EQ(w.of("dtlb.access"), (Changes{{0, "00"}, {1000, "01"}, {50000, "10"}}));
  EXPECT_EQ(w.of("l2tlb.outcome"), (Changes{{0, "00"}, {1000, "01"}}));
  // A miss has no set and way: they keep the last hit's.
  EXPECT_EQ(w.of("dtlb.set"), (Changes{{0, bits(0, 32)}, {50000, bits(5, 32)}}));
  EXPECT_EQ(w.of("dram.row_kind"), (Changes{{0, "00"}, {2500, "10"}}));
  EXPECT_EQ(w.of("dram.bank"), (Changes{{0, bits(0, 32)}, {2500, bits(3, 32)}}));
  EXPECT_EQ(w.of("dram.row"), (Changes{{0, bits(0, 32)}, {2500, bits(0x1a2, 32)}}));
  EXPECT_EQ(w.of("l2.line"), (Changes{{0, hex64(0)}, {2500, hex64(0x80011480)}}));
  EXPECT_EQ(w.of("l2.requester"), (Changes{{0, "00"}, {2500, "11"}}));
}

TEST_F(WaveRecorderScenario, TheFaultThePagerAndTheDisk) {
  const Waves& w = *waves_;
  EXPECT_EQ(w.of("hart.priv"), (Changes{{0, "11"}, {51000, "01"}, {1002000, "00"}}));
  EXPECT_EQ(w.of("hart.fault_cause"), (Changes{{0, bits(0, 8)}, {50000, bits(15, 8)}}));
  EXPECT_EQ(w.of("hart.fault_tval"), (Changes{{0, hex64(0)}, {50000, hex64(kVa)}}));
  EXPECT_EQ(w.of("hart.trap_cause"), (Changes{{0, bits(0, 8)}, {51000, bits(15, 8)}}));
  EXPECT_EQ(w.of("hart.trap_pc"), (Changes{{0, hex64(0)}, {51000, hex64(0x10074)}}));
  EXPECT_EQ(w.of("hart.xret_kind"), (Changes{{0, "0"}, {1002000, "1"}}));
  EXPECT_EQ(w.of("hart.sfence_scope"), (Changes{{0, "00"}, {1001000, "11"}}));
  EXPECT_EQ(w.of("hart.sfence_asid"), (Changes{{0, bits(0, 16)}, {1001000, bits(5, 16)}}));
  EXPECT_EQ(w.of("dtlb.inval_reason"), (Changes{{0, "000"}, {1001000, "011"}}));
  EXPECT_EQ(w.of("pager.code"), (Changes{{0, bits(0, 8)}, {60000, bits(2, 8)}}));
  EXPECT_EQ(w.of("pager.arg1"), (Changes{{0, hex64(0)}, {60000, hex64(0x12345000)}}));
  EXPECT_EQ(w.of("disk.outstanding"),
            (Changes{{0, bits(0, 32)}, {61000, bits(1, 32)}, {1000000, bits(0, 32)}}));
  EXPECT_EQ(w.of("disk.sector"), (Changes{{0, hex64(0)}, {61000, hex64(8)}}));
  EXPECT_EQ(w.of("disk.latency_ps"), (Changes{{0, hex64(0)}, {1000000, hex64(939000)}}));
  // The last strobe drops one ps after it rose.
  EXPECT_EQ(w.of("hart.xret"), (Changes{{0, "0"}, {1002000, "1"}, {1002001, "0"}}));
  EXPECT_EQ(w.of("memctl.events"), (Changes{{0, bits(0, 32)}}));
}

TEST(WaveRecorder, AStrobeAtTheEndTimeStillDropsAndLaterEventsAreIgnored) {
  const std::string path = temp_path("end.fst");
  {
    WaveRecorder rec(path);
    rec.on_event(ev(500, Unit::Pager, EventKind::PagerMarker));
    rec.on_end(500);
    rec.on_event(ev(900, Unit::Pager, EventKind::PagerMarker));
    EXPECT_EQ(rec.events(), 1u);
  }
  const Waves w = read_waves(path);
  std::remove(path.c_str());
  EXPECT_EQ(w.of("pager.marker"), (Changes{{0, "0"}, {500, "1"}, {501, "0"}}));
  EXPECT_EQ(w.of("pager.events"), (Changes{{0, bits(0, 32)}, {500, bits(1, 32)}}));
  EXPECT_TRUE(w.enums.count("cause"));
  EXPECT_FALSE(w.enums.count("pager_marker"));  // no names given: codes are numbers
}

// GTKWave's reader cuts a table at 512 characters: a longer list keeps the entries that fit, and parses.
TEST(WaveRecorder, ATooLongMarkerTableKeepsWhatFits) {
  const std::string path = temp_path("markers.fst");
  std::vector<std::string> markers;
  for (int i = 0; i < 40; ++i) markers.push_back("marker_number_" + std::to_string(i));  // 15-16 chars each
  { WaveRecorder rec(path, markers); }
  const Waves w = read_waves(path);
  std::remove(path.c_str());
  // "pager_marker NN " is 16 characters; each entry adds its name, a space, 8 bits and a space: entries
  // 0-9 cost 25, 10-39 cost 26; 16 + 4 + 10 * 25 + 9 * 26 = 504 <= 512, a 20th entry would make 530.
  const auto& table = w.enums.at("pager_marker");
  EXPECT_EQ(table.size(), 19u);
  EXPECT_EQ(table.at("00000000"), "marker_number_0");
  EXPECT_EQ(table.at("00010010"), "marker_number_18");
  EXPECT_EQ(w.enum_of.at("sv39sim.pager.code"), "pager_marker");
}

// The writer cuts the stream into blocks (every 8192 events): nothing is lost or moved at the cuts.
TEST(WaveRecorder, ALongStreamSurvivesTheBlockCuts) {
  const std::string path = temp_path("long.fst");
  constexpr uint64_t kEvents = 20000;
  {
    WaveRecorder rec(path);
    for (uint64_t i = 1; i <= kEvents; ++i) {
      Event e = ev(1000 * i, Unit::Dtlb, EventKind::TlbLookup);
      e.va = i << 12;
      rec.on_event(e);
    }
    rec.on_end(1000 * kEvents + 5000);
  }
  const Waves w = read_waves(path);
  std::remove(path.c_str());
  EXPECT_EQ(w.end_time, 1000 * kEvents + 5000);
  const Changes& count = w.of("dtlb.events");
  const Changes& va = w.of("dtlb.va");
  ASSERT_EQ(count.size(), kEvents + 1);
  ASSERT_EQ(va.size(), kEvents + 1);
  for (uint64_t i = 1; i <= kEvents; ++i) {
    ASSERT_EQ(count[i], std::make_pair(1000 * i, bits(i, 32))) << i;
    ASSERT_EQ(va[i], std::make_pair(1000 * i, hex64(i << 12))) << i;
  }
  EXPECT_EQ(w.of("dtlb.lookup").size(), 2 * kEvents + 1);
  for (size_t i = 1; i < w.times.size(); ++i) ASSERT_LE(w.times[i - 1], w.times[i]) << "change " << i;
}

TEST(WaveRecorder, AnEventUnderTheWrongUnitOnlyCounts) {
  const std::string path = temp_path("wrong_unit.fst");
  {
    WaveRecorder rec(path);
    Event e = ev(100, Unit::Hart, EventKind::CacheMiss);
    e.pa = 0x1000;
    rec.on_event(e);
    e = ev(200, Unit::Pwc, EventKind::TlbLookup);
    e.va = 0x2000;
    rec.on_event(e);
    rec.on_end(300);
  }
  const Waves w = read_waves(path);
  std::remove(path.c_str());
  EXPECT_EQ(w.of("hart.events"), (Changes{{0, bits(0, 32)}, {100, bits(1, 32)}}));
  EXPECT_EQ(w.of("pwc.kind"), (Changes{{0, bits(0, 5)}}));  // tlb_lookup is kind 0
  EXPECT_EQ(w.of("pwc.events"), (Changes{{0, bits(0, 32)}, {200, bits(1, 32)}}));
  EXPECT_EQ(w.of("pwc.va"), (Changes{{0, hex64(0)}}));
  for (const char* c : {"l1i.line", "l1d.line", "l2.line"}) EXPECT_EQ(w.of(c), (Changes{{0, hex64(0)}})) << c;
}

TEST(WaveRecorder, AnUnwritablePathIsAnInputErrorNamingIt) {
  const std::string path = "/nonexistent-dir/waves.fst";
  try {
    WaveRecorder rec(path);
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace sv39sim
