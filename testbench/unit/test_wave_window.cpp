// The waves window (trace.waves.*): hand-made event streams through a WaveWindow into a capturing output
// whose size is counted by hand (100 bytes an event), and which seqs come out is written out by hand for
// each window, trigger and flight-recorder length. Then the size bound on the real FST writer: the file
// never passes max_bytes, and says it was truncated.
#include <fstapi.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "models/config/ModelConfig.h"
#include "models/trace/WaveRecorder.h"
#include "models/trace/WaveWindow.h"

namespace sv39sim {
namespace {

// Pager marker codes and fault kinds as firmware/kernel/abi.h numbers them (written out, not derived).
constexpr uint8_t kContextSwitch = 0, kFaultBegin = 1, kFaultEnd = 2, kProcessKill = 8;
constexpr uint8_t kCow = 1, kBad = 7;
constexpr uint64_t kLoadPageFault = 13, kStorePageFault = 15;

class Capture : public WaveOutput {
 public:
  static constexpr uint64_t kEventBytes = 100, kNoteBytes = 50;
  bool fits(uint64_t, uint64_t max_bytes) override { return bytes + kEventBytes + kNoteBytes <= max_bytes; }
  void on_event(const Event& e) override {
    seqs.push_back(e.seq);
    bytes += kEventBytes;
  }
  void note(uint64_t time_ps, const std::string& text) override { notes.emplace_back(time_ps, text); }
  void on_end(uint64_t time_ps) override { ended_at = static_cast<int64_t>(time_ps); }

  std::vector<uint64_t> seqs;
  std::vector<std::pair<uint64_t, std::string>> notes;
  uint64_t bytes = 0;
  int64_t ended_at = -1;
};

Event at(uint64_t seq, uint64_t ps, EventKind kind = EventKind::TlbLookup, Unit unit = Unit::Dtlb) {
  Event e;
  e.seq = seq;
  e.time_ps = ps;
  e.kind = kind;
  e.unit = unit;
  return e;
}

Event marker(uint64_t seq, uint64_t ps, uint8_t code, uint64_t arg0, uint64_t arg1 = 0, uint64_t arg2 = 0) {
  Event e = at(seq, ps, EventKind::PagerMarker, Unit::Pager);
  e.outcome = code;
  e.data = arg0;
  e.aux = arg1;
  e.va = arg2;
  return e;
}

Event fault(uint64_t seq, uint64_t ps, uint64_t cause, uint64_t va = 0) {
  Event e = at(seq, ps, EventKind::Fault, Unit::Hart);
  e.aux = cause;
  e.va = va;
  return e;
}

// Ten TLB lookups, seq i at i ns with i * 10 instructions retired.
std::vector<Event> ten() {
  std::vector<Event> s;
  for (uint64_t i = 0; i < 10; ++i) {
    s.push_back(at(i, i * 1000));
    s.back().instret = i * 10;
  }
  return s;
}

Capture run(const WaveWindowConfig& cfg, const std::vector<Event>& stream, uint64_t end_ps,
            std::function<bool()> failed = {}) {
  Capture out;
  WaveWindow w(cfg, out, std::move(failed));
  for (const Event& e : stream) w.on_event(e);
  w.on_end(end_ps);
  return out;
}

using Seqs = std::vector<uint64_t>;

TEST(WaveWindow, PassesEverythingByDefault) {
  const Capture out = run({}, ten(), 10000);
  EXPECT_EQ(out.seqs, (Seqs{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}));
  EXPECT_TRUE(out.notes.empty());
  EXPECT_EQ(out.ended_at, 10000);
}

TEST(WaveWindow, TimeWindowIncludesStartExcludesStop) {
  WaveWindowConfig cfg;
  cfg.start_ps = 3000;
  cfg.stop_ps = 6000;
  EXPECT_EQ(run(cfg, ten(), 10000).seqs, (Seqs{3, 4, 5}));
  cfg.start_ps = 2500;
  cfg.stop_ps = 0;  // to the end
  EXPECT_EQ(run(cfg, ten(), 10000).seqs, (Seqs{3, 4, 5, 6, 7, 8, 9}));
}

TEST(WaveWindow, InstretWindow) {
  WaveWindowConfig cfg;
  cfg.start_instret = 25;  // instret 30, 40, 50
  cfg.stop_instret = 60;
  EXPECT_EQ(run(cfg, ten(), 10000).seqs, (Seqs{3, 4, 5}));
}

TEST(WaveWindow, FaultTriggerOpensAtTheFaultNothingBefore) {
  std::vector<Event> s = ten();
  s[2] = fault(2, 2000, kStorePageFault);
  s[5] = fault(5, 5000, kLoadPageFault, 0x4000);
  s[7] = fault(7, 7000, kLoadPageFault);
  WaveWindowConfig cfg;
  cfg.fault_cause = kLoadPageFault;
  cfg.trigger_text = "fault=load_page_fault";
  const Capture out = run(cfg, s, 10000);
  EXPECT_EQ(out.seqs, (Seqs{5, 6, 7, 8, 9}));
  ASSERT_EQ(out.notes.size(), 1u);
  EXPECT_EQ(out.notes[0].first, 5000u);
  EXPECT_NE(out.notes[0].second.find("fault=load_page_fault"), std::string::npos) << out.notes[0].second;
}

TEST(WaveWindow, TrapEnterOfTheCauseTriggersToo) {
  std::vector<Event> s = ten();
  s[4] = at(4, 4000, EventKind::TrapEnter, Unit::Hart);
  s[4].aux = kLoadPageFault;
  WaveWindowConfig cfg;
  cfg.fault_cause = kLoadPageFault;
  EXPECT_EQ(run(cfg, s, 10000).seqs, (Seqs{4, 5, 6, 7, 8, 9}));
}

TEST(WaveWindow, DurationClosesTheWindow) {
  std::vector<Event> s = ten();
  s[4] = fault(4, 4000, kLoadPageFault);
  WaveWindowConfig cfg;
  cfg.fault_cause = kLoadPageFault;
  cfg.duration_ps = 2500;  // open [4000, 6500)
  const Capture out = run(cfg, s, 10000);
  EXPECT_EQ(out.seqs, (Seqs{4, 5, 6}));
  ASSERT_EQ(out.notes.size(), 2u);
  EXPECT_EQ(out.notes[1].first, 6500u);
  EXPECT_NE(out.notes[1].second.find("closed"), std::string::npos);
}

TEST(WaveWindow, TriggerIsLookedForOnlyWithinStartStop) {
  std::vector<Event> s = ten();
  s[1] = marker(1, 1000, kProcessKill, 3);
  s[6] = marker(6, 6000, kProcessKill, 4);
  WaveWindowConfig cfg;
  cfg.marker = kProcessKill;
  cfg.start_ps = 3000;
  EXPECT_EQ(run(cfg, s, 10000).seqs, (Seqs{6, 7, 8, 9}));
  cfg.start_ps = 0;
  EXPECT_EQ(run(cfg, s, 10000).seqs, (Seqs{1, 2, 3, 4, 5, 6, 7, 8, 9}));
}

TEST(WaveWindow, PidTriggerByMarkerArgumentOrTheRunningProcess) {
  const std::vector<Event> s = {
      marker(0, 0, kContextSwitch, 1, 5),
      fault(1, 1000, kLoadPageFault),  // while pid 1 runs
      marker(2, 2000, kFaultEnd, 1, 0x3000, kCow),
      marker(3, 3000, kContextSwitch, 2, 6),
      at(4, 4000),
      fault(5, 5000, kLoadPageFault),  // while pid 2 runs
      marker(6, 6000, kFaultEnd, 2, 0x3000, kCow),
  };
  WaveWindowConfig cfg;
  cfg.pid = 2;
  EXPECT_EQ(run(cfg, s, 7000).seqs, (Seqs{3, 4, 5, 6}));
  cfg.fault_cause = kLoadPageFault;  // pid 2's first load page fault
  EXPECT_EQ(run(cfg, s, 7000).seqs, (Seqs{5, 6}));
  cfg.fault_cause.reset();
  cfg.marker = kFaultEnd;  // pid 2's first fault_end
  EXPECT_EQ(run(cfg, s, 7000).seqs, (Seqs{6}));
  cfg.pid = 1;
  EXPECT_EQ(run(cfg, s, 7000).seqs, (Seqs{2, 3, 4, 5, 6}));
}

TEST(WaveWindow, VaRangeTrigger) {
  std::vector<Event> s = ten();
  s[1].va = 0x1000;
  s[2] = at(2, 2000, EventKind::DramAccess, Unit::Dram);
  s[2].pa = 0x3000;                                   // a physical address: no VA
  s[3] = marker(3, 3000, kFaultBegin, 1, 0x3000, 1);  // pid 1, va 0x3000, load
  s[4].va = 0x5000;
  for (size_t i = 5; i < s.size(); ++i) s[i].va = 0x9000;
  WaveWindowConfig cfg;
  cfg.va_lo = 0x2000;
  cfg.va_hi = 0x4000;
  EXPECT_EQ(run(cfg, s, 10000).seqs, (Seqs{3, 4, 5, 6, 7, 8, 9}));
  cfg.va_lo = 0x5000;
  cfg.va_hi = 0;  // no upper end
  EXPECT_EQ(run(cfg, s, 10000).seqs, (Seqs{4, 5, 6, 7, 8, 9}));
  cfg.va_lo = 0x3001;
  cfg.va_hi = 0x5000;  // [0x3001, 0x5000): nothing
  testing::internal::CaptureStderr();
  const Capture none = run(cfg, s, 10000);
  const std::string err = testing::internal::GetCapturedStderr();
  EXPECT_EQ(none.seqs, Seqs{});
  ASSERT_EQ(none.notes.size(), 1u);
  EXPECT_NE(none.notes[0].second.find("never fired"), std::string::npos);
  EXPECT_NE(err.find("never fired"), std::string::npos);
}

TEST(WaveWindow, PagerFaultKindTrigger) {
  std::vector<Event> s = ten();
  s[2] = marker(2, 2000, kFaultEnd, 3, 0x1000, kCow);
  s[3] = marker(3, 3000, kFaultBegin, 3, 0x0, kBad);  // a fault_begin's third argument is the access
  s[5] = marker(5, 5000, kFaultEnd, 3, 0x0, kBad);
  WaveWindowConfig cfg;
  cfg.fault_kind = kBad;
  EXPECT_EQ(run(cfg, s, 10000).seqs, (Seqs{5, 6, 7, 8, 9}));
  cfg.fault_kind = kCow;
  EXPECT_EQ(run(cfg, s, 10000).seqs, (Seqs{2, 3, 4, 5, 6, 7, 8, 9}));
}

TEST(WaveWindow, FlightRecorderKeepsTheLastStretchBeforeTheEnd) {
  WaveWindowConfig cfg;
  cfg.flight_recorder_ps = 2500;
  Capture out = run(cfg, ten(), 10000);  // time >= 7500
  EXPECT_EQ(out.seqs, (Seqs{8, 9}));
  ASSERT_EQ(out.notes.size(), 1u);
  EXPECT_EQ(out.notes[0].first, 7500u);
  EXPECT_NE(out.notes[0].second.find("flight recorder"), std::string::npos);
  EXPECT_EQ(run(cfg, ten(), 9000).seqs, (Seqs{7, 8, 9}));  // time >= 6500
  cfg.flight_recorder_ps = 3000;
  EXPECT_EQ(run(cfg, ten(), 9000).seqs, (Seqs{6, 7, 8, 9}));  // 6000 is within the last 3 ns
}

TEST(WaveWindow, FlightRecorderAfterATrigger) {
  std::vector<Event> s = ten();
  s[8] = fault(8, 8000, kLoadPageFault);
  WaveWindowConfig cfg;
  cfg.fault_cause = kLoadPageFault;
  cfg.flight_recorder_ps = 5000;  // [5000, 10000], but nothing before the trigger
  EXPECT_EQ(run(cfg, s, 10000).seqs, (Seqs{8, 9}));
}

TEST(WaveWindow, FlightRecorderOnFailureOnly) {
  WaveWindowConfig cfg;
  cfg.flight_recorder_ps = 2500;
  cfg.flight_recorder_failure_only = true;
  Capture passed = run(cfg, ten(), 10000, [] { return false; });
  EXPECT_EQ(passed.seqs, Seqs{});
  ASSERT_EQ(passed.notes.size(), 1u);
  EXPECT_NE(passed.notes[0].second.find("passed"), std::string::npos);
  EXPECT_EQ(passed.ended_at, 10000);
  EXPECT_EQ(run(cfg, ten(), 10000, [] { return true; }).seqs, (Seqs{8, 9}));
  // The pager killed a process: a failure, whatever the exit status. The kill itself is long gone.
  std::vector<Event> s = ten();
  s[1] = marker(1, 1000, kProcessKill, 3);
  EXPECT_EQ(run(cfg, s, 10000, [] { return false; }).seqs, (Seqs{8, 9}));
}

TEST(WaveWindow, ExceptionUnwindingWritesWhatIsHeld) {
  WaveWindowConfig cfg;
  cfg.flight_recorder_ps = 2500;
  cfg.flight_recorder_failure_only = true;
  Capture out;
  try {
    WaveWindow w(cfg, out, [] { return false; });
    for (const Event& e : ten()) w.on_event(e);
    throw std::logic_error("an internal error");
  } catch (const std::logic_error&) {
  }
  // No end time: the last event's (9000) stands for it, so time >= 6500.
  EXPECT_EQ(out.seqs, (Seqs{7, 8, 9}));
  EXPECT_EQ(out.ended_at, 9000);
  ASSERT_EQ(out.notes.size(), 2u);
  EXPECT_NE(out.notes[0].second.find("error"), std::string::npos) << out.notes[0].second;
  EXPECT_NE(out.notes[1].second.find("error"), std::string::npos) << out.notes[1].second;

  Capture direct;  // no flight recorder: the events went out as they came; the end is noted
  {
    WaveWindow w({}, direct);
    for (const Event& e : ten()) w.on_event(e);
  }
  EXPECT_EQ(direct.seqs.size(), 10u);
  ASSERT_EQ(direct.notes.size(), 1u);
  EXPECT_EQ(direct.ended_at, 9000);
}

TEST(WaveWindow, MaxBytesStopsRecordingWithOneWarning) {
  WaveWindowConfig cfg;
  cfg.max_bytes = 1000;  // an event fits while the bytes before it plus 150 are at most 1000: 9
  testing::internal::CaptureStderr();
  const Capture out = run(cfg, ten(), 10000);
  const std::string err = testing::internal::GetCapturedStderr();
  EXPECT_EQ(out.seqs, (Seqs{0, 1, 2, 3, 4, 5, 6, 7, 8}));
  ASSERT_EQ(out.notes.size(), 1u);
  EXPECT_EQ(out.notes[0].first, 9000u);
  EXPECT_NE(out.notes[0].second.find("truncated"), std::string::npos);
  EXPECT_NE(out.notes[0].second.find("trace.waves.max_bytes"), std::string::npos);
  EXPECT_NE(err.find("trace.waves.max_bytes"), std::string::npos) << err;
  EXPECT_EQ(std::count(err.begin(), err.end(), '\n'), 1) << err;
  EXPECT_EQ(out.ended_at, 10000);
}

TEST(WaveWindow, MaxBytesAppliesToTheFlightRecordersWrite) {
  WaveWindowConfig cfg;
  cfg.flight_recorder_ps = 10000;
  cfg.max_bytes = 450;  // an event fits while the 100 bytes before it plus 150 are at most 450: 4
  // ... but the memory then holds only 450 / sizeof(Event) events, the newest.
  ASSERT_EQ(450 / sizeof(Event), 4u) << "the expectations below assume a 96-byte Event";
  testing::internal::CaptureStderr();
  const Capture out = run(cfg, ten(), 10000);
  testing::internal::GetCapturedStderr();
  EXPECT_EQ(out.seqs, (Seqs{6, 7, 8, 9}));
}

// The flight recorder's memory is bounded by max_bytes too: it keeps the newest max_bytes / sizeof(Event)
// events of the window, says so in a note at the first one kept, and warns once.
TEST(WaveWindow, FlightRecorderMemoryIsBoundedByMaxBytes) {
  WaveWindowConfig cfg;
  cfg.flight_recorder_ps = 10000;
  cfg.max_bytes = 20000;
  std::vector<Event> many;
  for (uint64_t i = 0; i < 1000; ++i) many.push_back(at(i, 10 * i));  // all within the last 10 ns
  const uint64_t kept = 20000 / sizeof(Event);
  const uint64_t fit = (20000 - 150) / 100 + 1;  // Capture: 100 bytes an event, 150 kept free
  ASSERT_LT(kept, 1000u);
  testing::internal::CaptureStderr();
  const Capture out = run(cfg, many, 10000);
  const std::string err = testing::internal::GetCapturedStderr();
  ASSERT_EQ(out.seqs.size(), std::min(kept, fit));
  EXPECT_EQ(out.seqs.front(), 1000 - kept);  // the newest were kept in memory
  ASSERT_GE(out.notes.size(), 2u);
  EXPECT_EQ(out.notes[1].first, 10 * (1000 - kept));
  EXPECT_NE(out.notes[1].second.find("only the events from here on fit"), std::string::npos);
  EXPECT_NE(err.find("did not fit trace.waves.max_bytes in memory"), std::string::npos) << err;
}

// --- The keys (ModelConfig) ---

WaveWindowConfig from(const std::vector<std::pair<std::string, std::string>>& keys) {
  Config cfg;
  for (const auto& [k, v] : keys) cfg.set(k, v, "--set");
  return wave_window_config(cfg);
}

std::string error_of(const std::vector<std::pair<std::string, std::string>>& keys) {
  try {
    from(keys);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

TEST(WaveWindowConfig, DefaultsWriteEverythingUpTo1GiB) {
  const WaveWindowConfig w = from({});
  EXPECT_FALSE(w.has_trigger());
  EXPECT_EQ(w.start_ps, 0u);
  EXPECT_EQ(w.stop_ps, 0u);
  EXPECT_EQ(w.flight_recorder_ps, 0u);
  EXPECT_EQ(w.max_bytes, 1073741824u);
}

TEST(WaveWindowConfig, NamesBecomeCodes) {
  WaveWindowConfig w = from({{"trace.waves.trigger.fault", "bad"}, {"trace.waves.trigger.pid", "3"}});
  EXPECT_EQ(w.fault_kind, std::optional<uint8_t>(kBad));
  EXPECT_FALSE(w.fault_cause);
  EXPECT_EQ(w.pid, 3u);
  EXPECT_EQ(w.trigger_text, "fault=bad, pid=3");
  EXPECT_EQ(from({{"trace.waves.trigger.fault", "store_page_fault"}}).fault_cause,
            std::optional<uint64_t>(15));
  EXPECT_EQ(from({{"trace.waves.trigger.fault", "13"}}).fault_cause, std::optional<uint64_t>(13));
  EXPECT_EQ(from({{"trace.waves.trigger.marker", "process_kill"}}).marker,
            std::optional<uint8_t>(kProcessKill));
  w = from({{"trace.waves.start", "2ms"},
            {"trace.waves.stop", "3ms"},
            {"trace.waves.trigger.va_lo", "0x1000"},
            {"trace.waves.trigger.va_hi", "0x2000"},
            {"trace.waves.trigger.duration", "5us"},
            {"trace.waves.flight_recorder", "100us"},
            {"trace.waves.flight_recorder_when", "failure"},
            {"trace.waves.max_bytes", "64MiB"}});
  EXPECT_EQ(w.start_ps, 2000000000u);
  EXPECT_EQ(w.stop_ps, 3000000000u);
  EXPECT_EQ(w.va_lo, 0x1000u);
  EXPECT_EQ(w.va_hi, 0x2000u);
  EXPECT_EQ(w.duration_ps, 5000000u);
  EXPECT_EQ(w.flight_recorder_ps, 100000000u);
  EXPECT_TRUE(w.flight_recorder_failure_only);
  EXPECT_EQ(w.max_bytes, 64u << 20);
}

TEST(WaveWindowConfig, ErrorsNameTheKey) {
  EXPECT_NE(error_of({{"trace.waves.start", "3ms"}, {"trace.waves.stop", "3ms"}}).find("trace.waves.stop:"),
            std::string::npos);
  EXPECT_NE(error_of({{"trace.waves.trigger.fault", "reserved_10"}}).find("trace.waves.trigger.fault:"),
            std::string::npos);
  EXPECT_NE(error_of({{"trace.waves.trigger.fault", "10"}}).find("trace.waves.trigger.fault:"),
            std::string::npos);
  EXPECT_NE(error_of({{"trace.waves.trigger.marker", "kill"}}).find("trace.waves.trigger.marker:"),
            std::string::npos);
  EXPECT_NE(error_of({{"trace.waves.trigger.va_lo", "0x2000"}, {"trace.waves.trigger.va_hi", "0x2000"}})
                .find("trace.waves.trigger.va_hi:"),
            std::string::npos);
  EXPECT_NE(error_of({{"trace.waves.trigger.fault", "bad"}, {"trace.waves.trigger.marker", "fault_end"}})
                .find("trace.waves.trigger.marker:"),
            std::string::npos);
  EXPECT_NE(error_of({{"trace.waves.trigger.duration", "1us"}}).find("trace.waves.trigger.duration:"),
            std::string::npos);
  EXPECT_THROW(Config().set("trace.waves.max_bytes", "64KiB", "--set"), InputError);
}

// --- The real FST writer ---

std::string temp_path(const char* name) {
  return testing::TempDir() + "/" + name;
}

uint64_t file_size(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 ? static_cast<uint64_t>(st.st_size) : 0;
}

// The values of the string signal sv39sim.window, in order.
std::vector<std::string> notes_in(const std::string& path) {
  std::vector<std::string> notes;
  void* r = fstReaderOpen(path.c_str());
  if (!r) {
    ADD_FAILURE() << "cannot open " << path;
    return notes;
  }
  fstHandle window = 0;
  int depth = 0;
  while (fstHier* h = fstReaderIterateHier(r)) {
    if (h->htyp == FST_HT_SCOPE) ++depth;
    if (h->htyp == FST_HT_UPSCOPE) --depth;
    if (h->htyp == FST_HT_VAR && depth == 1 && std::string(h->u.var.name) == "window")
      window = h->u.var.handle;
  }
  EXPECT_NE(window, 0u);
  struct Ctx {
    fstHandle window;
    std::vector<std::string>* notes;
  } ctx{window, &notes};
  fstReaderSetFacProcessMaskAll(r);
  fstReaderIterBlocks2(
      r, [](void*, uint64_t, fstHandle, const unsigned char*) {},
      [](void* user, uint64_t, fstHandle h, const unsigned char* v, uint32_t len) {
        auto* c = static_cast<Ctx*>(user);
        if (h == c->window) c->notes->emplace_back(reinterpret_cast<const char*>(v), len);
      },
      &ctx, nullptr);
  fstReaderClose(r);
  return notes;
}

// TLB fills with values that do not repeat, so that little compresses: the worst case for the bound.
void publish_fills(WaveWindow& w, uint64_t count) {
  uint64_t x = 0x9e3779b97f4a7c15;
  for (uint64_t i = 0; i < count; ++i) {
    x ^= x << 13, x ^= x >> 7, x ^= x << 17;
    Event e = at(i, 1000 * i, EventKind::TlbFill, Unit::L2tlb);
    e.va = x, e.pa = x * 3, e.data = x * 5, e.asid = static_cast<uint16_t>(x),
    e.set = static_cast<uint32_t>(x);
    e.way = static_cast<uint32_t>(x >> 32), e.level = x % 3, e.outcome = 1, e.victim_va = x * 7;
    w.on_event(e);
  }
}

TEST(WaveWindowFile, AnEmptyFileIsWithinTheBound) {
  const std::string path = temp_path("window_empty.fst");
  uint64_t bound = 0;
  {
    WaveRecorder rec(path, {"context_switch", "fault_begin"});
    bound = rec.size_bound();
    rec.on_end(0);
  }
  EXPECT_LE(file_size(path), bound);
  EXPECT_LT(bound, WaveWindowConfig::kMinMaxBytes);  // the smallest max_bytes leaves room for events
}

TEST(WaveWindowFile, TheFileNeverPassesMaxBytesAndSaysItWasTruncated) {
  for (uint64_t max_bytes : {WaveWindowConfig::kMinMaxBytes, uint64_t{1} << 20, uint64_t{3} << 20}) {
    const std::string path = temp_path("window_bound.fst");
    WaveWindowConfig cfg;
    cfg.max_bytes = max_bytes;
    bool truncated = false;
    uint64_t written = 0;
    testing::internal::CaptureStderr();
    {
      WaveRecorder rec(path);
      WaveWindow w(cfg, rec);
      publish_fills(w, 200000);
      w.on_end(200000 * 1000);
      truncated = w.truncated();
      written = w.written();
    }
    const std::string err = testing::internal::GetCapturedStderr();
    const uint64_t size = file_size(path);
    EXPECT_TRUE(truncated) << max_bytes;
    EXPECT_LE(size, max_bytes);
    // Not needlessly early: the file holds at least half of what was allowed.
    EXPECT_GT(size, max_bytes / 2) << "wrote " << written << " events";
    const std::vector<std::string> notes = notes_in(path);
    ASSERT_EQ(notes.size(), 1u);
    EXPECT_EQ(notes[0].rfind("truncated: trace.waves.max_bytes", 0), 0u) << notes[0];
    EXPECT_NE(err.find("trace.waves.max_bytes"), std::string::npos);
  }
}

}  // namespace
}  // namespace sv39sim
