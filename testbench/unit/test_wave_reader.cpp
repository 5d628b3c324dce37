// The FST reader against the writer: a hand-made stream with every event kind goes through an EventBus
// to a WaveRecorder, and read_waves must give back each event with the fields the recorder keeps for
// its kind (listed here by hand from WaveRecorder's documentation of its signals), several events in one
// picosecond included. And a missing, foreign or damaged file is an InputError naming it.
#include <fstapi.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "models/sim/EventBus.h"
#include "models/sim/InputError.h"
#include "models/trace/WaveReader.h"
#include "models/trace/WaveRecorder.h"

namespace sv39sim {
namespace {

std::string temp_path(const char* name) {
  return testing::TempDir() + "/" + name;
}

Event ev(uint64_t ps, Unit unit, EventKind kind) {
  Event e;
  e.time_ps = ps;
  e.unit = unit;
  e.kind = kind;
  return e;
}

// What the waves keep of an event: the header, and per kind the fields WaveRecorder writes (at their
// signal widths). TrapEnter/TrapReturn also get `priv` from the hart's privilege before them, which a
// consistent stream (as this one) has in `priv`.
Event kept(const Event& e) {
  Event k;
  k.seq = e.seq;
  k.time_ps = e.time_ps;
  k.instret = e.instret;
  k.kind = e.kind;
  k.unit = e.unit;
  const bool tlb = e.unit == Unit::Itlb || e.unit == Unit::Dtlb || e.unit == Unit::L2tlb;
  const bool cache = e.unit == Unit::L1i || e.unit == Unit::L1d || e.unit == Unit::L2;
  switch (e.kind) {
    case EventKind::TlbLookup:
      if (!tlb) break;
      k.access = e.access, k.va = e.va, k.asid = e.asid, k.outcome = e.outcome;
      if (e.outcome != static_cast<uint8_t>(LookupOutcome::Miss))
        k.level = e.level, k.set = e.set, k.way = e.way;
      break;
    case EventKind::TlbFill:
      if (!tlb) break;
      k.va = e.va, k.asid = e.asid, k.level = e.level, k.set = e.set, k.way = e.way, k.pa = e.pa;
      k.data = e.data, k.aux = e.aux & 0x301, k.outcome = e.outcome;
      if (e.outcome == static_cast<uint8_t>(FillReason::Replaced))
        k.victim_va = e.victim_va, k.victim_asid = e.victim_asid;
      break;
    case EventKind::TlbInvalidate:
      if (!tlb) break;
      k.va = e.va, k.asid = e.asid, k.level = e.level, k.set = e.set, k.way = e.way, k.outcome = e.outcome;
      break;
    case EventKind::PwcLookup:
      k.va = e.va, k.asid = e.asid, k.outcome = e.outcome, k.level = e.level, k.set = e.set;
      if (e.outcome == static_cast<uint8_t>(LookupOutcome::Hit)) k.way = e.way, k.pa = e.pa;
      break;
    case EventKind::PwcFill:
      k.level = e.level, k.set = e.set, k.way = e.way, k.pa = e.pa, k.outcome = e.outcome;
      if (e.outcome == static_cast<uint8_t>(FillReason::Replaced)) k.victim_va = e.victim_va;
      break;
    case EventKind::PwcInvalidate: k.level = e.level, k.set = e.set, k.way = e.way; break;
    case EventKind::WalkStart: k.va = e.va, k.access = e.access, k.data = e.data, k.level = e.level; break;
    case EventKind::PteRead:
      k.pa = e.pa, k.data = e.data, k.level = e.level, k.outcome = e.outcome, k.latency_ps = e.latency_ps;
      k.aux = e.aux & 1;
      break;
    case EventKind::PteWrite: k.pa = e.pa, k.data = e.data, k.aux = e.aux, k.latency_ps = e.latency_ps; break;
    case EventKind::WalkEnd:
      k.outcome = e.outcome, k.level = e.level, k.pa = e.pa, k.latency_ps = e.latency_ps;
      if (e.outcome) k.aux = e.aux;
      break;
    case EventKind::Fault: k.aux = e.aux, k.va = e.va, k.access = e.access; break;
    case EventKind::Sfence:
      k.aux = e.aux & 7;
      if (e.aux & 1) k.va = e.va;
      if (e.aux & 2) k.asid = e.asid;
      break;
    case EventKind::SatpWrite: k.data = e.data; break;
    case EventKind::TrapEnter:
      k.aux = e.aux, k.va = e.va, k.pa = e.pa, k.priv = e.priv, k.priv_to = e.priv_to;
      break;
    case EventKind::TrapReturn:
      k.outcome = e.outcome, k.pa = e.pa, k.priv = e.priv, k.priv_to = e.priv_to;
      break;
    case EventKind::CacheMiss:
      if (!cache) break;
      k.pa = e.pa, k.access = e.access, k.aux = e.aux & 1, k.latency_ps = e.latency_ps;
      break;
    case EventKind::DramAccess:
      k.pa = e.pa, k.aux = e.aux & 1, k.outcome = e.outcome, k.set = e.set, k.way = e.way,
      k.latency_ps = e.latency_ps;
      break;
    case EventKind::DiskRequest: k.outcome = e.outcome, k.aux = e.aux, k.data = e.data; break;
    case EventKind::DiskComplete:
      k.outcome = e.outcome, k.aux = e.aux, k.data = e.data, k.latency_ps = e.latency_ps;
      break;
    case EventKind::Translation:
      k.va = e.va, k.access = e.access, k.priv = e.priv, k.outcome = e.outcome, k.data = e.data & 1;
      if (e.data & 1) {
        k.aux = e.aux;
      } else {
        k.pa = e.pa, k.level = e.level;
      }
      break;
    case EventKind::PagerMarker: k.outcome = e.outcome, k.data = e.data, k.aux = e.aux, k.va = e.va; break;
    default: break;  // kinds the recorder keeps only the header of
  }
  return k;
}

std::string show(const Event& e) {
  std::ostringstream s;
  s << std::hex << "seq " << std::dec << e.seq << " t " << e.time_ps << " instret " << e.instret << " "
    << unit_name(e.unit) << "." << event_kind_name(e.kind) << " access " << int(e.access) << " level "
    << int(e.level) << " outcome " << int(e.outcome) << " priv " << int(e.priv) << "->" << int(e.priv_to)
    << " asid " << e.asid << " victim_asid " << e.victim_asid << " set " << e.set << " way " << e.way
    << std::hex << " va 0x" << e.va << " pa 0x" << e.pa << " data 0x" << e.data << " aux 0x" << e.aux
    << " victim_va 0x" << e.victim_va << std::dec << " latency " << e.latency_ps;
  return s.str();
}

// Every kind, most with values unlike the previous event's, and several picoseconds with more than one
// event: an I-TLB hit pair (same set, different ways), a miss going down the D-TLB, L2-TLB, PWC and
// walker in one picosecond, two PTE reads and two DRAM accesses in one picosecond each, a fault and its
// trap together.
std::vector<Event> scenario() {
  std::vector<Event> s;
  auto add = [&](Event e) { s.push_back(e); };
  Event e = ev(1000, Unit::Itlb, EventKind::TlbLookup);
  e.access = 0, e.va = 0x80000000, e.asid = 0, e.outcome = 0, e.level = 2, e.set = 3, e.way = 1;
  add(e);
  e.va = 0x80000004, e.way = 2;
  add(e);
  e = ev(2000, Unit::Dtlb, EventKind::TlbLookup);
  e.access = 1, e.va = 0x12345678, e.asid = 5, e.outcome = 1, e.level = 1, e.set = 9, e.way = 9;  // a miss
  add(e);
  e.unit = Unit::L2tlb, e.access = 2;
  add(e);
  e = ev(2000, Unit::Pwc, EventKind::PwcLookup);
  e.va = 0x12345678, e.asid = 5, e.outcome = 0, e.level = 2, e.set = 1, e.way = 3, e.pa = 0x80012000;
  add(e);
  e = ev(2000, Unit::Walker, EventKind::WalkStart);
  e.va = 0x12345678, e.access = 1, e.data = (8ull << 60) | (5ull << 44) | 0x80010, e.level = 1, e.aux = 77;
  add(e);
  e = ev(3000, Unit::Walker, EventKind::PteRead);
  e.pa = 0x80012488, e.data = (0x80011ull << 10) | 1, e.level = 1, e.outcome = 3, e.latency_ps = 1500;
  add(e);
  e.pa = 0x80011a28, e.data = (0x80100ull << 10) | 0x47, e.level = 0, e.outcome = 2, e.latency_ps = 40000;
  add(e);
  e = ev(3000, Unit::L2, EventKind::CacheMiss);
  e.pa = 0x80011a00, e.access = 3, e.aux = 0, e.latency_ps = 39000;
  add(e);
  e = ev(3000, Unit::Dram, EventKind::DramAccess);
  e.pa = 0x80011a00, e.aux = 1, e.outcome = 2, e.set = 3, e.way = 0x1a2, e.latency_ps = 38000;
  add(e);
  e.pa = 0x80200040, e.aux = 0, e.outcome = 1, e.set = 4, e.way = 0x1a3, e.latency_ps = 36000;
  add(e);
  e = ev(43500, Unit::Walker, EventKind::PteWrite);
  e.pa = 0x80011a28, e.data = (0x80100ull << 10) | 0xc7, e.aux = (0x80100ull << 10) | 0x47,
  e.latency_ps = 500;
  add(e);
  e = ev(44000, Unit::Walker, EventKind::WalkEnd);
  e.outcome = 0, e.aux = 13, e.level = 0, e.pa = 0x80100678, e.latency_ps = 42000;  // ok: no cause kept
  add(e);
  e = ev(44000, Unit::Pwc, EventKind::PwcFill);
  e.level = 1, e.set = 2, e.way = 0, e.pa = 0x80011000, e.outcome = 1, e.victim_va = 0x40000000;
  add(e);
  e = ev(44000, Unit::Dtlb, EventKind::TlbFill);
  e.va = 0x12345000, e.asid = 5, e.level = 0, e.set = 5, e.way = 3, e.pa = 0x80100000;
  e.data = (0x80100ull << 10) | 0xc7, e.aux = 1, e.outcome = 1, e.victim_va = 0x7000, e.victim_asid = 4;
  add(e);
  e = ev(44000, Unit::L2tlb, EventKind::TlbFill);  // into an invalid way: no victim kept
  e.va = 0x12345000, e.asid = 6, e.level = 1, e.set = 6, e.way = 2, e.pa = 0x80200000, e.data = 0xcf;
  e.aux = 2 << 8, e.outcome = 0, e.victim_va = 0x9000, e.victim_asid = 9;  // from a 1 GiB leaf
  add(e);
  e = ev(49000, Unit::Walker, EventKind::PteRead);  // PMP denied it: an access fault
  e.pa = 0x80013000, e.data = 0, e.level = 2, e.outcome = 2, e.latency_ps = 0, e.aux = 1;
  add(e);
  e = ev(50000, Unit::Dtlb, EventKind::TlbLookup);  // denied: level, set and way kept
  e.access = 2, e.va = 0x12345678, e.asid = 5, e.outcome = 2, e.level = 0, e.set = 5, e.way = 3;
  add(e);
  e = ev(50000, Unit::Walker, EventKind::WalkEnd);
  e.outcome = 1, e.aux = 15, e.level = 2, e.pa = 0, e.latency_ps = 1000;
  add(e);
  e = ev(50000, Unit::Hart, EventKind::Fault);
  e.aux = 15, e.va = 0x12345678, e.access = 2;
  add(e);
  e = ev(50000, Unit::Hart, EventKind::TrapEnter);
  e.aux = 15, e.va = 0x12345678, e.pa = 0x10074, e.priv = 3, e.priv_to = 1;
  add(e);
  e = ev(51000, Unit::Hart, EventKind::TrapEnter);  // an interrupt (bit 63) from S to M
  e.aux = (1ull << 63) | 7, e.va = 0, e.pa = 0x80000100, e.priv = 1, e.priv_to = 3;
  add(e);
  e = ev(52000, Unit::Hart, EventKind::TrapReturn);
  e.outcome = 0, e.pa = 0x80001000, e.priv = 3, e.priv_to = 1;
  add(e);
  e = ev(60000, Unit::Pager, EventKind::PagerMarker);
  e.outcome = 2, e.data = 7, e.aux = 0x12345000, e.va = 1;
  add(e);
  e = ev(61000, Unit::Disk, EventKind::DiskRequest);
  e.aux = 8, e.data = 4096, e.outcome = 1;
  add(e);
  e.time_ps = 1000000, e.kind = EventKind::DiskComplete, e.latency_ps = 939000;
  add(e);
  e = ev(1001000, Unit::Hart, EventKind::SatpWrite);
  e.data = (8ull << 60) | (6ull << 44) | 0x80020, e.aux = 0x1234;  // the old satp is not kept
  add(e);
  e = ev(1001000, Unit::Hart, EventKind::Sfence);
  e.aux = 1, e.va = 0x12345000, e.asid = 5;  // VA only: no ASID kept
  add(e);
  e = ev(1001000, Unit::Dtlb, EventKind::TlbInvalidate);
  e.va = 0x12345000, e.asid = 5, e.level = 0, e.set = 5, e.way = 3, e.outcome = 2;
  add(e);
  e = ev(1001000, Unit::Pwc, EventKind::PwcInvalidate);
  e.level = 1, e.set = 2, e.way = 1;
  add(e);
  e = ev(1001500, Unit::Pwc, EventKind::PwcLookup);  // a miss: no way, table kept
  e.va = 0x7fff0000, e.asid = 6, e.outcome = 1, e.level = 1, e.set = 7, e.way = 7, e.pa = 0x1234000;
  add(e);
  e = ev(1002000, Unit::Hart, EventKind::TrapReturn);
  e.outcome = 1, e.pa = 0x10078, e.priv = 1, e.priv_to = 0;
  add(e);
  e = ev(1003000, Unit::L1d, EventKind::CacheMiss);
  e.pa = 0x80300040, e.access = 2, e.aux = 1, e.latency_ps = 2000;
  add(e);
  e = ev(1003000, Unit::Hart, EventKind::Translation);  // from the L1 TLB
  e.va = 0x12345678, e.pa = 0x80100678, e.access = 1, e.priv = 1, e.outcome = 1, e.level = 1, e.data = 0;
  add(e);
  e = ev(1003500, Unit::Hart, EventKind::Translation);  // a walk that faulted: no pa, level kept
  e.va = 0x4000, e.pa = 0x5000, e.access = 2, e.priv = 0, e.outcome = 3, e.level = 2, e.data = 1, e.aux = 15;
  add(e);
  e = ev(1004000, Unit::Hart, EventKind::CacheMiss);  // a publisher's mistake: only counted
  e.pa = 0x1000;
  add(e);
  e = ev(1005000, Unit::Hart, EventKind::Sfence);  // both scopes
  e.aux = 3, e.va = 0x5000, e.asid = 9;
  add(e);
  e = ev(1005500, Unit::Hart, EventKind::Sfence);  // the flush a satp write makes without ASIDs
  e.aux = 4;
  add(e);
  return s;
}

class WaveReaderRoundTrip : public testing::Test {
 protected:
  static void SetUpTestSuite() {
    const std::string path = temp_path("round_trip.fst");
    written_ = new std::vector<Event>(scenario());
    {
      WaveRecorder rec(path, {"none", "context_switch", "fault_begin"});
      EventBus bus;
      bus.subscribe_ordered(&rec);
      uint64_t instret = 0;
      bus.set_instret_source(&instret);
      for (size_t i = 0; i < written_->size(); ++i) {
        Event& e = (*written_)[i];
        if (e.time_ps >= 44000) instret = e.time_ps / 1000;  // the events of a picosecond share it
        bus.publish(e);
        e.instret = instret;
        e.seq = i;  // the scenario is in time order: the bus numbers it as written
      }
      bus.end(2000000);
      EXPECT_EQ(rec.events(), written_->size());
    }
    read_ = new WaveFile(read_waves(path));
    std::remove(path.c_str());
  }
  static void TearDownTestSuite() {
    delete written_;
    delete read_;
  }
  static std::vector<Event>* written_;
  static WaveFile* read_;
};
std::vector<Event>* WaveReaderRoundTrip::written_ = nullptr;
WaveFile* WaveReaderRoundTrip::read_ = nullptr;

TEST_F(WaveReaderRoundTrip, EveryKindIsInTheScenario) {
  std::vector<bool> seen(kEventKinds);
  for (const Event& e : *written_) seen[static_cast<unsigned>(e.kind)] = true;
  for (unsigned k = 0; k < kEventKinds; ++k)
    EXPECT_TRUE(seen[k]) << event_kind_name(static_cast<EventKind>(k));
}

TEST_F(WaveReaderRoundTrip, EachEventComesBackWithTheFieldsTheRecorderKeeps) {
  ASSERT_EQ(read_->events.size(), written_->size());
  for (size_t i = 0; i < written_->size(); ++i) {
    const std::string want = show(kept((*written_)[i])), got = show(read_->events[i]);
    EXPECT_EQ(got, want) << "event " << i;
  }
}

TEST_F(WaveReaderRoundTrip, EventsInOnePicosecondKeepTheirOrder) {
  const auto& r = read_->events;
  ASSERT_GE(r.size(), 11u);
  EXPECT_EQ(r[0].time_ps, 1000u);
  EXPECT_EQ(r[1].time_ps, 1000u);
  EXPECT_EQ(r[0].way, 1u);  // the same set for both, different ways
  EXPECT_EQ(r[1].way, 2u);
  EXPECT_EQ(r[1].set, 3u);
  EXPECT_EQ(r[6].pa, 0x80012488u);  // two PTE reads at 3000 ps, in walk order
  EXPECT_EQ(r[7].pa, 0x80011a28u);
  EXPECT_EQ(r[9].way, 0x1a2u);  // two DRAM accesses at 3000 ps
  EXPECT_EQ(r[10].way, 0x1a3u);
  for (size_t i = 0; i < r.size(); ++i) EXPECT_EQ(r[i].seq, i);
}

TEST_F(WaveReaderRoundTrip, TheEndAndTheMarkerNames) {
  EXPECT_EQ(read_->end_ps, 2000000u);
  EXPECT_EQ(read_->marker_names, (std::vector<std::string>{"none", "context_switch", "fault_begin"}));
}

TEST(WaveReader, AnEmptyStreamHasNoEvents) {
  const std::string path = temp_path("empty_stream.fst");
  {
    WaveRecorder rec(path);
    rec.on_end(5000);
  }
  const WaveFile w = read_waves(path);
  std::remove(path.c_str());
  EXPECT_TRUE(w.events.empty());
  EXPECT_EQ(w.end_ps, 5000u);
  EXPECT_TRUE(w.marker_names.empty());
}

// Across the recorder's block cuts (every 8192 events) nothing is lost, moved or invented.
TEST(WaveReader, ALongStreamComesBackWhole) {
  const std::string path = temp_path("long_stream.fst");
  constexpr uint64_t kEvents = 20000;
  {
    WaveRecorder rec(path);
    for (uint64_t i = 0; i < kEvents; ++i) {
      Event e = ev(1000 * (i / 2), Unit::Dtlb, EventKind::TlbLookup);  // two per picosecond
      e.seq = i;
      e.va = (i + 1) << 12;
      e.outcome = 1;
      rec.on_event(e);
    }
    rec.on_end(1000 * kEvents);
  }
  const WaveFile w = read_waves(path);
  std::remove(path.c_str());
  ASSERT_EQ(w.events.size(), kEvents);
  for (uint64_t i = 0; i < kEvents; ++i) {
    ASSERT_EQ(w.events[i].seq, i);
    ASSERT_EQ(w.events[i].time_ps, 1000 * (i / 2)) << i;
    ASSERT_EQ(w.events[i].va, (i + 1) << 12) << i;
    ASSERT_EQ(w.events[i].outcome, 1u) << i;
  }
}

// Events of one picosecond that write a field, the first repeating its previous value and a later one
// changing it: a fetch translation then a load one after a fetch, a read DRAM access then a write after a
// read, the PWC's level-1 miss then level-2 hit after a level-1 miss. Only a recorder that repeats a
// changed field within its picosecond (kWavesRepeatVersion) makes these exact.
TEST(WaveReader, ARepeatingRecorderMakesEveryPicosecondExact) {
  const std::string path = temp_path("repeats.fst");
  std::vector<Event> written;
  auto add = [&](Event e) {
    e.seq = written.size();
    written.push_back(e);
  };
  Event e = ev(1000, Unit::Hart, EventKind::Translation);
  e.access = 0, e.va = 0x1000, e.pa = 0x80001000, e.outcome = 1;
  add(e);
  e.time_ps = 2000;
  add(e);
  e.access = 1, e.va = 0x2000, e.pa = 0x80002000, e.outcome = 2;
  add(e);
  e = ev(3000, Unit::Dram, EventKind::DramAccess);
  e.pa = 0x80000000, e.aux = 0;
  add(e);
  e.time_ps = 4000;
  add(e);
  e.pa = 0x80000040, e.aux = 1;
  add(e);
  e = ev(5000, Unit::Pwc, EventKind::PwcLookup);
  e.va = 0x12345678, e.level = 1, e.set = 2, e.outcome = 1;
  add(e);
  e.time_ps = 6000;
  add(e);
  e.level = 2, e.set = 3, e.outcome = 0, e.way = 1, e.pa = 0x80010000;
  add(e);
  {
    WaveRecorder rec(path);
    for (const Event& x : written) rec.on_event(x);
    rec.on_end(10000);
  }
  void* f = fstReaderOpen(path.c_str());
  ASSERT_NE(f, nullptr);
  const std::string version = fstReaderGetVersionString(f);
  fstReaderClose(f);
  const WaveFile w = read_waves(path);
  std::remove(path.c_str());
  if (version != kWavesRepeatVersion)
    GTEST_SKIP() << "the recorder does not repeat changed fields (" << version << ")";
  ASSERT_EQ(w.events.size(), written.size());
  for (size_t i = 0; i < written.size(); ++i)
    EXPECT_EQ(show(w.events[i]), show(kept(written[i]))) << "event " << i;
}

void expect_input_error_naming(const std::string& path) {
  try {
    read_waves(path);
    ADD_FAILURE() << "no error for " << path;
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
  }
}

TEST(WaveReader, AMissingFileIsAnInputErrorNamingIt) {
  expect_input_error_naming(temp_path("no-such-waves.fst"));
  expect_input_error_naming(testing::TempDir());  // a directory
}

TEST(WaveReader, AFileThatIsNoFstIsAnInputErrorNamingIt) {
  const std::string empty = temp_path("empty.fst"), text = temp_path("text.fst");
  { std::ofstream(empty.c_str()); }
  { std::ofstream(text.c_str()) << "$date today $end\n$timescale 1ps $end\n#0\n"; }
  expect_input_error_naming(empty);
  expect_input_error_naming(text);
  std::remove(empty.c_str());
  std::remove(text.c_str());
}

TEST(WaveReader, ATruncatedFileIsAnInputErrorNamingIt) {
  const std::string path = temp_path("truncated.fst");
  {
    WaveRecorder rec(path);
    for (uint64_t i = 0; i < 100; ++i) rec.on_event(ev(1000 * i, Unit::Pager, EventKind::PagerMarker));
    rec.on_end(200000);
  }
  std::string bytes;
  {
    std::ifstream in(path.c_str(), std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), {});
  }
  ASSERT_GT(bytes.size(), 200u);
  std::ofstream(path.c_str(), std::ios::binary | std::ios::trunc) << bytes.substr(0, bytes.size() / 2);
  expect_input_error_naming(path);
  std::remove(path.c_str());
}

// A valid FST that sv39sim did not write (no sv39sim scope, no event row).
TEST(WaveReader, AForeignFstIsAnInputErrorNamingIt) {
  const std::string path = temp_path("foreign.fst");
  void* f = fstWriterCreate(path.c_str(), 1);
  ASSERT_NE(f, nullptr);
  fstWriterSetTimescale(f, -12);
  fstWriterSetScope(f, FST_ST_VCD_MODULE, "top", nullptr);
  const fstHandle clk = fstWriterCreateVar(f, FST_VT_VCD_WIRE, FST_VD_IMPLICIT, 1, "clk", 0);
  fstWriterSetUpscope(f);
  for (uint64_t t = 0; t < 10; ++t) {
    fstWriterEmitTimeChange(f, t);
    fstWriterEmitValueChange(f, clk, t & 1 ? "1" : "0");
  }
  fstWriterClose(f);
  expect_input_error_naming(path);
  std::remove(path.c_str());
}

}  // namespace
}  // namespace sv39sim
