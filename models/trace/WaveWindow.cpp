#include "models/trace/WaveWindow.h"

#include <algorithm>
#include <cstdio>
#include <limits>

#include "firmware/kernel/abi.h"
#include "models/arch/Csr.h"

namespace sv39sim {

namespace {

// Which of a marker's three arguments (Event data, aux, va: TraceMarker.h) carries the pid, the virtual
// address and the fault kind: read from the argument lists in abi.h, so a new marker needs no change here.
struct MarkerArgs {
  int pid = -1, va = -1, kind = -1;
};

const std::vector<MarkerArgs>& marker_args() {
  static const std::vector<MarkerArgs> kArgs = [] {
    std::vector<MarkerArgs> all(MARK_COUNT);
    auto parse = [](const std::string& list) {
      MarkerArgs a;
      int index = 0;
      for (size_t at = 0; at < list.size(); ++index) {
        while (at < list.size() && list[at] == ' ') ++at;
        size_t end = at;
        while (end < list.size() && list[end] != ' ' && list[end] != ',') ++end;
        const std::string word = list.substr(at, end - at);
        if (word == "pid") a.pid = index;
        if (word == "va") a.va = index;
        if (word == "kind") a.kind = index;
        at = list.find(',', end);
        if (at == std::string::npos) break;
        ++at;
      }
      return a;
    };
#define SV39SIM_MARKER_ARGS(name, value, args) all.at(value) = parse(args);
    PAGER_MARKERS(SV39SIM_MARKER_ARGS)
#undef SV39SIM_MARKER_ARGS
    return all;
  }();
  return kArgs;
}

const MarkerArgs* args_of(const Event& e) {
  if (e.kind != EventKind::PagerMarker || e.outcome >= marker_args().size()) return nullptr;
  return &marker_args()[e.outcome];
}

uint64_t arg(const Event& e, int i) {
  return i == 0 ? e.data : i == 1 ? e.aux : e.va;
}

// The virtual address an event is about, per the field notes of Event.h; none for physical-side events.
std::optional<uint64_t> event_va(const Event& e) {
  if (is_translation_kind(e.kind)) return e.va;
  switch (e.kind) {
    case EventKind::Sfence: return (e.aux & 1) ? std::optional<uint64_t>(e.va) : std::nullopt;
    case EventKind::Fault:
    case EventKind::TrapEnter:
      return cause::is_memory_fault(e.aux) ? std::optional<uint64_t>(e.va) : std::nullopt;
    case EventKind::PagerMarker: {
      const MarkerArgs* a = args_of(e);
      return a && a->va >= 0 ? std::optional<uint64_t>(arg(e, a->va)) : std::nullopt;
    }
    default: return std::nullopt;
  }
}

std::string ps(uint64_t t) {
  return std::to_string(t) + " ps";
}

}  // namespace

const std::vector<std::string>& pager_marker_names() {
  static const std::vector<std::string> kNames = [] {
    std::vector<std::string> names(MARK_COUNT);
#define SV39SIM_MARKER_NAME(name, value, args) names.at(value) = #name;
    PAGER_MARKERS(SV39SIM_MARKER_NAME)
#undef SV39SIM_MARKER_NAME
    return names;
  }();
  return kNames;
}

const std::vector<std::string>& pager_fault_kind_names() {
  static const std::vector<std::string> kNames = [] {
    std::vector<std::string> names(MARK_FAULT_BAD + 1);
    names.at(MARK_FAULT_ZERO) = "zero";
    names.at(MARK_FAULT_COW) = "cow";
    names.at(MARK_FAULT_AD) = "ad";
    names.at(MARK_FAULT_SPURIOUS) = "spurious";
    names.at(MARK_FAULT_SWAPCACHE) = "swapcache";
    names.at(MARK_FAULT_FILE) = "file";
    names.at(MARK_FAULT_SWAPIN) = "swapin";
    names.at(MARK_FAULT_BAD) = "bad";
    return names;
  }();
  return kNames;
}

WaveWindow::WaveWindow(const WaveWindowConfig& cfg, WaveOutput& out, std::function<bool()> run_failed)
    : cfg_(cfg), out_(out), run_failed_(std::move(run_failed)) {}

WaveWindow::~WaveWindow() {
  if (ended_) return;
  // Destructors must not throw, least of all while an exception unwinds: the file is best effort here.
  try {
    if (cfg_.flight_recorder_ps) {
      write_held(last_ps_,
                 "the run stopped by an error; its end is unknown, the last event was at " + ps(last_ps_));
    }
    note(last_ps_, "the run stopped by an error: the waves end at the last event the window was given");
    out_.on_end(last_ps_);
  } catch (...) {
  }
}

// Run-wide state, from every event whatever the window: who runs, and whether the pager killed anyone.
void WaveWindow::track(const Event& e) {
  last_ps_ = e.time_ps;
  if (e.kind != EventKind::PagerMarker) return;
  if (e.outcome == MARK_context_switch) current_pid_ = e.data;
  if (e.outcome == MARK_process_kill) killed_ = true;
}

bool WaveWindow::in_range(const Event& e) const {
  if (e.time_ps < cfg_.start_ps || (cfg_.stop_ps && e.time_ps >= cfg_.stop_ps)) return false;
  if (e.instret < cfg_.start_instret || (cfg_.stop_instret && e.instret >= cfg_.stop_instret)) return false;
  return true;
}

bool WaveWindow::triggers(const Event& e) const {
  const bool hart_fault = e.kind == EventKind::Fault || e.kind == EventKind::TrapEnter;
  if (cfg_.fault_cause && !(hart_fault && e.aux == *cfg_.fault_cause)) return false;
  const MarkerArgs* a = args_of(e);
  if (cfg_.fault_kind) {
    if (!a || e.outcome != MARK_fault_end || a->kind < 0 || arg(e, a->kind) != *cfg_.fault_kind) return false;
  }
  if (cfg_.marker && !(a && e.outcome == *cfg_.marker)) return false;
  if (cfg_.pid) {
    const uint64_t pid = a && a->pid >= 0 ? arg(e, a->pid) : current_pid_;
    if (pid != cfg_.pid) return false;
  }
  if (cfg_.va_lo || cfg_.va_hi) {
    const std::optional<uint64_t> va = event_va(e);
    if (!va || *va < cfg_.va_lo || (cfg_.va_hi && *va >= cfg_.va_hi)) return false;
  }
  return true;
}

void WaveWindow::on_event(const Event& e) {
  track(e);
  if (!in_range(e)) return;
  if (cfg_.has_trigger()) {
    if (!triggered_) {
      if (!triggers(e)) return;
      triggered_ = true;
      open_until_ps_ =
          cfg_.duration_ps && e.time_ps <= std::numeric_limits<uint64_t>::max() - cfg_.duration_ps
              ? e.time_ps + cfg_.duration_ps
              : std::numeric_limits<uint64_t>::max();
      // The flight recorder writes later, in one go, with a note of its own.
      if (!cfg_.flight_recorder_ps)
        note(e.time_ps,
             "opened by the trigger " + cfg_.trigger_text + " (seq " + std::to_string(e.seq) + ")");
    } else if (e.time_ps >= open_until_ps_) {
      if (!closed_ && !cfg_.flight_recorder_ps)
        note(open_until_ps_, "closed: trace.waves.trigger.duration elapsed after the trigger");
      closed_ = true;
      return;
    }
  }
  if (cfg_.flight_recorder_ps) {
    hold(e);
  } else {
    write(e);
  }
}

// The memory the recorder holds is bounded like the file: at most max_bytes of events (the oldest go first,
// and the note written with them says the window came out shorter).
void WaveWindow::hold(const Event& e) {
  held_.push_back(e);
  drop_before(e.time_ps);
  if (held_.size() > cfg_.max_bytes / sizeof(Event)) {
    held_.pop_front();
    held_cut_ = true;
  }
}

// Keeps what lies within flight_recorder_ps of `end_ps`: time >= end_ps - flight_recorder_ps.
void WaveWindow::drop_before(uint64_t end_ps) {
  while (!held_.empty() && held_.front().time_ps + cfg_.flight_recorder_ps < end_ps) held_.pop_front();
}

void WaveWindow::on_end(uint64_t time_ps) {
  ended_ = true;
  last_ps_ = std::max(last_ps_, time_ps);
  if (cfg_.has_trigger() && !triggered_) {
    note(last_ps_, "the trigger " + cfg_.trigger_text + " never fired: nothing written");
    std::fprintf(stderr,
                 "sv39sim: warning: waves: the trigger (trace.waves.trigger.*: %s) never fired; "
                 "waves.fst holds no events\n",
                 cfg_.trigger_text.c_str());
  }
  if (cfg_.flight_recorder_ps) {
    const bool failed = killed_ || (run_failed_ && run_failed_());
    const std::string why = killed_  ? "the pager killed a process"
                            : failed ? "the run failed"
                                     : "the run ended";
    if (failed || !cfg_.flight_recorder_failure_only) {
      write_held(last_ps_, why);
    } else {
      held_.clear();
      note(last_ps_,
           "flight recorder: the run passed; nothing written (trace.waves.flight_recorder_when: failure)");
    }
  }
  out_.on_end(last_ps_);
}

void WaveWindow::write_held(uint64_t end_ps, const std::string& why) {
  drop_before(end_ps);
  const uint64_t from = end_ps > cfg_.flight_recorder_ps ? end_ps - cfg_.flight_recorder_ps : 0;
  note(from, "flight recorder: the last " + ps(cfg_.flight_recorder_ps) + " before the end at " + ps(end_ps) +
                 " (" + why + "); fields show 0 until an event in the window sets them");
  if (held_cut_ && !held_.empty()) {
    note(held_.front().time_ps, "flight recorder: only the events from here on fit trace.waves.max_bytes (" +
                                    std::to_string(cfg_.max_bytes) + " bytes) in memory");
    std::fprintf(stderr,
                 "sv39sim: warning: waves: the flight recorder's window did not fit trace.waves.max_bytes in "
                 "memory; it starts at %s\n",
                 ps(held_.front().time_ps).c_str());
  }
  for (const Event& e : held_) write(e);
  held_.clear();
}

void WaveWindow::write(const Event& e) {
  if (truncated_) return;
  if (!out_.fits(e.time_ps, cfg_.max_bytes)) return truncate(e.time_ps);
  out_.on_event(e);
  ++written_;
}

void WaveWindow::note(uint64_t time_ps, const std::string& text) {
  if (truncated_) return;
  if (!out_.fits(time_ps, cfg_.max_bytes)) return truncate(time_ps);
  out_.note(time_ps, text);
}

// The file keeps room for this one note in every fits(): the truncation is always recorded.
void WaveWindow::truncate(uint64_t time_ps) {
  truncated_ = true;
  const std::string limit = "trace.waves.max_bytes (" + std::to_string(cfg_.max_bytes) + " bytes)";
  out_.note(time_ps, "truncated: " + limit + " reached; later events are not recorded");
  std::fprintf(stderr, "sv39sim: warning: waves: %s reached at %s; later events are not recorded\n",
               limit.c_str(), ps(time_ps).c_str());
}

}  // namespace sv39sim
