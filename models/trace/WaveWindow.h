// Which part of the event stream goes into waves.fst (the trace.waves.* keys): an ordered EventSink between
// the EventBus and the WaveRecorder, which stays a plain writer of whatever reaches it.
//
// An event is written when it gets through, in this order:
//   1. the time and instret windows, [start, stop) each (stop 0: to the end of the run);
//   2. the trigger, if any of its criteria is set: the first event of those in 1 that meets every criterion
//      set opens the window AT that event (nothing before it is written), open for `duration` (0: to the
//      end);
//   3. the flight recorder, if set: events are held in memory, only those of the last `flight_recorder_ps`
//      (simulated), and written when the stream ends: always, or only when the run failed (a status other
//      than pass, or the pager killed a process). An exception unwinding through the platform (an
//      internal error) destroys the window without an end: its destructor still writes what it holds;
//   4. the size bound: once the file would pass max_bytes nothing more is written, and one warning naming
//      trace.waves.max_bytes goes to stderr.
// What the window did (opened by the trigger, closed, truncated, written by the flight recorder, cut short
// by an error) goes into the file as notes (WaveOutput::note; sv39sim.window in waves.fst), so a waveform
// says by itself which part of the run it holds.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "models/sim/EventBus.h"

namespace sv39sim {

struct WaveWindowConfig {
  uint64_t start_ps = 0, stop_ps = 0;            // stop 0: to the end
  uint64_t start_instret = 0, stop_instret = 0;  // stop 0: to the end
  // Trigger criteria: the trigger is the first event that meets every criterion set.
  std::optional<uint64_t> fault_cause;  // a hart exception: Fault or TrapEnter with aux == this mcause
  std::optional<uint8_t> fault_kind;    // a pager fault_end marker of this kind (MARK_FAULT_* in abi.h)
  std::optional<uint8_t> marker;        // a pager marker of this code
  // 0: any. Else a pager marker whose pid argument is this, or any other event while this pid runs (since
  // the last context_switch marker to it).
  uint64_t pid = 0;
  // An event whose virtual address is in [va_lo, va_hi); va_hi 0: no upper end; both 0: no criterion.
  uint64_t va_lo = 0, va_hi = 0;
  uint64_t duration_ps = 0;  // how long the window stays open after the trigger; 0: to the end
  std::string trigger_text;  // the trigger as the user wrote it, for the note in the file

  uint64_t flight_recorder_ps = 0;  // 0: off, events are written as they come
  bool flight_recorder_failure_only = false;

  uint64_t max_bytes = 1ull << 30;
  // Below this the file's own hierarchy and initial values leave no room for events.
  static constexpr uint64_t kMinMaxBytes = 128 << 10;

  bool has_trigger() const { return fault_cause || fault_kind || marker || pid || va_lo || va_hi; }
};

// The pager kernel's names (firmware/kernel/abi.h), index = code: its markers, and its fault_end kinds.
const std::vector<std::string>& pager_marker_names();
const std::vector<std::string>& pager_fault_kind_names();

// Where the window writes: an event sink that writes a file it can bound, and takes notes.
class WaveOutput : public EventSink {
 public:
  // Whether the file stays within `max_bytes` with one more event at `time_ps` and one more note (and once
  // closed). May write out what it buffers to find out; `time_ps` is not before the latest event's.
  virtual bool fits(uint64_t time_ps, uint64_t max_bytes) = 0;
  // Records `text` at `time_ps` (or the latest time written, if later): what the window did.
  virtual void note(uint64_t time_ps, const std::string& text) = 0;
};

class WaveWindow : public EventSink {
 public:
  // `run_failed` is asked once the stream ends, by a flight recorder that writes only on failure.
  WaveWindow(const WaveWindowConfig& cfg, WaveOutput& out, std::function<bool()> run_failed = {});
  // Without on_end (an exception unwinding): writes what the window holds, noted as such, and ends the file.
  ~WaveWindow() override;
  WaveWindow(const WaveWindow&) = delete;
  WaveWindow& operator=(const WaveWindow&) = delete;

  void on_event(const Event& e) override;
  void on_end(uint64_t time_ps) override;

  uint64_t written() const { return written_; }  // events passed on to the output
  bool triggered() const { return triggered_; }
  bool truncated() const { return truncated_; }

 private:
  void track(const Event& e);
  bool in_range(const Event& e) const;
  bool triggers(const Event& e) const;
  void hold(const Event& e);
  void drop_before(uint64_t end_ps);
  void write_held(uint64_t end_ps, const std::string& why);
  void write(const Event& e);
  void note(uint64_t time_ps, const std::string& text);
  void truncate(uint64_t time_ps);

  WaveWindowConfig cfg_;
  WaveOutput& out_;
  std::function<bool()> run_failed_;
  std::deque<Event> held_;  // the flight recorder's events, oldest first
  bool held_cut_ = false;   // older events in the window were dropped to keep within max_bytes
  uint64_t current_pid_ = 0;
  bool killed_ = false;  // the pager killed a process
  bool triggered_ = false, closed_ = false, truncated_ = false, ended_ = false;
  uint64_t open_until_ps_ = 0;
  uint64_t last_ps_ = 0, written_ = 0;
};

}  // namespace sv39sim
