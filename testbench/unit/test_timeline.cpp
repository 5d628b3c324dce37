// The timeline (vmstat-like CSV): a hand-made event stream, and the rows worked out by hand from it, with
// intervals of 1 us so the times read as they are. Covers each column, a disk busy span across interval
// boundaries and overlapping requests, instructions of device events not counted, pid attribution across
// a context switch and a kill, an empty interval, the last partial interval, and the files' life cycle.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#include "firmware/kernel/abi.h"
#include "models/sim/EventBus.h"
#include "models/sim/InputError.h"
#include "models/trace/Timeline.h"

namespace sv39sim {
namespace {

constexpr uint64_t kUs = 1'000'000;  // ps

const char* const kHeader =
    "start_us,end_us,instructions,itlb_misses,dtlb_misses,l2tlb_misses,walks,pwc_hits,minor_faults,"
    "major_faults,bad_faults,swap_ins,swap_outs,disk_busy_us,context_switches\n";
const char* const kPidHeader =
    "start_us,end_us,pid,instructions,minor_faults,major_faults,bad_faults,swap_ins,swap_outs,"
    "context_switches\n";

// A file name in the test's temporary folder, with nothing of an earlier run there.
std::string path(const std::string& name) {
  const std::string p = testing::TempDir() + "/" + name;
  std::remove(p.c_str());
  std::remove((p + ".tmp").c_str());
  return p;
}

std::string slurp(const std::string& p) {
  std::ifstream f(p);
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

bool exists(const std::string& p) {
  return std::ifstream(p).good();
}

Event ev(uint64_t ps, uint64_t instret, Unit unit, EventKind kind, uint8_t outcome = 0) {
  Event e;
  e.time_ps = ps;
  e.instret = instret;
  e.unit = unit;
  e.kind = kind;
  e.outcome = outcome;
  return e;
}

Event lookup(uint64_t ps, uint64_t instret, Unit tlb, LookupOutcome o) {
  return ev(ps, instret, tlb, EventKind::TlbLookup, static_cast<uint8_t>(o));
}

Event marker(uint64_t ps, uint64_t instret, unsigned code, uint64_t arg0, uint64_t arg1 = 0,
             uint64_t arg2 = 0) {
  Event e = ev(ps, instret, Unit::Pager, EventKind::PagerMarker, static_cast<uint8_t>(code));
  e.data = arg0;
  e.aux = arg1;
  e.va = arg2;
  return e;
}

// Disk events carry the hart's instret at publication, ahead of their time: a large one shows if counted.
Event disk(uint64_t ps, EventKind kind) {
  return ev(ps, 1'000'000, Unit::Disk, kind);
}

TEST(Timeline, RowsOfAHandMadeStream) {
  const std::string csv = path("tl_rows.csv"), pid_csv = path("tl_rows_pid.csv");
  Timeline t(csv, pid_csv, kUs, [] { return uint64_t{200}; });
  const uint64_t va = 0x10000;
  // [0, 1 us)
  t.on_event(lookup(100'000, 10, Unit::Itlb, LookupOutcome::Miss));
  t.on_event(marker(200'000, 20, MARK_context_switch, 1, 1));  // 20 instructions before: no pid
  t.on_event(lookup(300'000, 50, Unit::Dtlb, LookupOutcome::Denied));
  t.on_event(lookup(400'000, 60, Unit::Dtlb, LookupOutcome::Hit));
  t.on_event(disk(500'000, EventKind::DiskRequest));  // busy 0.5 .. 1.3 us
  t.on_event(ev(600'000, 70, Unit::Walker, EventKind::WalkStart));
  t.on_event(ev(650'000, 70, Unit::Pwc, EventKind::PwcLookup, static_cast<uint8_t>(LookupOutcome::Hit)));
  t.on_event(ev(650'000, 70, Unit::Pwc, EventKind::PwcLookup, static_cast<uint8_t>(LookupOutcome::Miss)));
  t.on_event(lookup(700'000, 75, Unit::L2tlb, LookupOutcome::Miss));
  t.on_event(marker(800'000, 80, MARK_fault_end, 1, va, MARK_FAULT_ZERO));
  // [1, 2 us)
  t.on_event(disk(1'300'000, EventKind::DiskComplete));
  t.on_event(marker(1'400'000, 100, MARK_swap_complete, 5, 0));  // a read
  t.on_event(marker(1'500'000, 110, MARK_fault_end, 1, va, MARK_FAULT_SWAPIN));
  t.on_event(marker(1'600'000, 130, MARK_context_switch, 2, 2));  // pid 1 ran 80 .. 130
  t.on_event(disk(1'700'000, EventKind::DiskRequest));            // busy 1.7 .. 1.9 us, two requests
  t.on_event(disk(1'750'000, EventKind::DiskRequest));
  t.on_event(disk(1'800'000, EventKind::DiskComplete));
  t.on_event(disk(1'900'000, EventKind::DiskComplete));
  t.on_event(marker(1'950'000, 150, MARK_fault_end, 2, va, MARK_FAULT_COW));
  // [2, 3 us): only the disk, busy 2.5 .. 3.1 us
  t.on_event(disk(2'500'000, EventKind::DiskRequest));
  // [3, 3.6 us): the run ends at 3.6 us with 200 instructions retired
  t.on_event(disk(3'100'000, EventKind::DiskComplete));
  t.on_event(marker(3'200'000, 170, MARK_swap_complete, 6, 1));  // a write
  t.on_event(marker(3'300'000, 175, MARK_fault_end, 2, 0, MARK_FAULT_BAD));
  t.on_event(marker(3'400'000, 180, MARK_process_kill, 2));                    // pid 2 ran 130 .. 180
  t.on_event(marker(3'500'000, 190, MARK_fault_end, 3, va, MARK_FAULT_FILE));  // pid 3 not running
  EXPECT_TRUE(exists(csv + ".tmp"));
  EXPECT_FALSE(exists(csv));
  t.on_end(3'600'000);

  EXPECT_EQ(slurp(csv), std::string(kHeader) +
                            "0,1,80,1,1,1,1,1,1,0,0,0,0,0.5,1\n"
                            "1,2,70,0,0,0,0,0,1,1,0,1,0,0.5,1\n"
                            "2,3,0,0,0,0,0,0,0,0,0,0,0,0.5,0\n"
                            "3,3.6,50,0,0,0,0,0,0,1,1,0,1,0.1,0\n");
  EXPECT_EQ(slurp(pid_csv), std::string(kPidHeader) +
                                "0,1,1,60,1,0,0,0,0,1\n"
                                "1,2,1,50,0,1,0,1,0,0\n"
                                "1,2,2,20,1,0,0,0,0,1\n"
                                "3,3.6,2,30,0,0,1,0,1,0\n"
                                "3,3.6,3,0,0,1,0,0,0,0\n");
  EXPECT_FALSE(exists(csv + ".tmp"));
  EXPECT_FALSE(exists(pid_csv + ".tmp"));
}

TEST(Timeline, AnEndOnABoundaryAddsNoEmptyInterval) {
  const std::string csv = path("tl_boundary.csv"), pid_csv = path("tl_boundary_pid.csv");
  Timeline t(csv, pid_csv, 2 * kUs);
  t.on_event(lookup(500'000, 3, Unit::Itlb, LookupOutcome::Miss));
  t.on_end(4 * kUs);
  EXPECT_EQ(slurp(csv), std::string(kHeader) +
                            "0,2,3,1,0,0,0,0,0,0,0,0,0,0,0\n"
                            "2,4,0,0,0,0,0,0,0,0,0,0,0,0,0\n");
  EXPECT_EQ(slurp(pid_csv), kPidHeader);
}

TEST(Timeline, DiskBusyAtTheEndCountsUpToTheEnd) {
  const std::string csv = path("tl_disk_end.csv"), pid_csv = path("tl_disk_end_pid.csv");
  Timeline t(csv, pid_csv, 10 * kUs);
  t.on_event(disk(7 * kUs, EventKind::DiskRequest));
  t.on_end(12'250'000);
  EXPECT_EQ(slurp(csv), std::string(kHeader) +
                            "0,10,0,0,0,0,0,0,0,0,0,0,0,3,0\n"
                            "10,12.25,0,0,0,0,0,0,0,0,0,0,0,2.25,0\n");
}

// Through the bus, as the platform wires it: events published out of time order come out sorted, and
// the instructions after the last event come from the source read at the end.
TEST(Timeline, AsAnOrderedSinkOfTheBus) {
  const std::string csv = path("tl_bus.csv"), pid_csv = path("tl_bus_pid.csv");
  uint64_t instret = 0;
  Timeline t(csv, pid_csv, kUs, [&] { return instret; });
  EventBus bus;
  bus.set_instret_source(&instret);
  bus.subscribe_ordered(&t);
  instret = 40;
  bus.publish(marker(1'500'000, 0, MARK_context_switch, 7));
  instret = 10;  // published later, happened earlier
  bus.publish(marker(200'000, 0, MARK_fault_end, 7, 0, MARK_FAULT_AD));
  instret = 90;
  bus.end(2'000'000);
  EXPECT_EQ(slurp(csv), std::string(kHeader) +
                            "0,1,10,0,0,0,0,0,1,0,0,0,0,0,0\n"
                            "1,2,80,0,0,0,0,0,0,0,0,0,0,0,1\n");
  EXPECT_EQ(slurp(pid_csv), std::string(kPidHeader) +
                                "0,1,7,0,1,0,0,0,0,0\n"
                                "1,2,7,50,0,0,0,0,0,1\n");
}

TEST(Timeline, AFileThatCannotBeWrittenIsNamed) {
  const std::string bad = path("no-such-dir/timeline.csv");
  try {
    Timeline t(path("tl_ok.csv"), bad, kUs);
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find(bad + ".tmp"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace sv39sim
