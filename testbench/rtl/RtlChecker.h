// The RTL cross-check: an ordered sink of the model's event stream (live, during `sv39sim run`) or a reader
// of a recorded one (`sv39sim rtl-check --replay`). It cuts the stream into transactions — a translation
// (its TLB lookups, drops and fills, the walk with its page-walk-cache probes and fills, PTE reads and A/D
// writes, ending with the Translation event) or a fence (the Sfence event and the entries it drops) —,
// drives the RTL with each (the request or the fence; the walker's PTE reads answered with what the model
// read), turns the RTL's obs_* ports into events and compares both sides field by field. It stops at the
// first difference with a report: both sides' events, the differing fields, the transactions before it.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "models/sim/EventBus.h"
#include "testbench/rtl/RtlInterface.h"

namespace sv39sim {
class WaveRecorder;
}

namespace sv39sim::rtl {

struct RtlCheckConfig {
  std::string so_path;  // the built RTL (RtlBuild.h)
  RtlGeometry geometry;
  uint64_t period_ps = 0;
  bool hardware_ad = false;
  unsigned context = 0;     // transactions shown before a mismatch (rtl_check.context)
  uint64_t max_cycles = 0;  // per transaction: an RTL that takes longer has hung (rtl_check.max_cycles)
  // From this transaction on (1-based; 0: never), write waves into trace_dir: rtl.fst (the RTL, through
  // Verilator) and model.fst (the model's events, through the wave recorder), on one time axis.
  uint64_t trace_from = 0;
  std::string trace_dir;
  // Live mode: a PTE the RTL reads that the model did not is served from the model's RAM (false: no memory
  // there). Replay has no RAM: such a read gets an access fault (and is a mismatch anyway).
  std::function<bool(uint64_t pa, uint64_t* value)> read_ram;
};

class RtlChecker : public EventSink {
 public:
  explicit RtlChecker(const RtlCheckConfig& cfg);
  ~RtlChecker() override;

  void on_event(const Event& e) override;
  void on_end(uint64_t time_ps) override;

  void set_read_ram(std::function<bool(uint64_t pa, uint64_t* value)> f) { cfg_.read_ram = std::move(f); }
  // Called once, at the first mismatch (live mode stops the run).
  void set_on_mismatch(std::function<void()> f) { on_mismatch_ = std::move(f); }
  bool failed() const { return failed_; }
  const std::string& report() const { return report_; }
  uint64_t mismatch_transaction() const { return failed_ ? number_ : 0; }
  uint64_t mismatch_instret() const { return mismatch_instret_; }
  uint64_t translations() const { return translations_; }
  uint64_t fences() const { return fences_; }
  uint64_t events_compared() const { return events_compared_; }
  std::string summary() const;

 private:
  void close_fence();
  void check_translation();
  void check_fence();
  // Runs the RTL until done() after `start`; false (and a mismatch) if it takes more than max_cycles.
  bool run_cycles(const std::function<bool()>& done);
  void cycle();
  void finish_transaction(const std::string& title);
  void mismatch(const std::string& title, const std::string& what);
  void start_traces();

  RtlCheckConfig cfg_;
  std::unique_ptr<RtlTop> top_;
  std::unique_ptr<RtlInterface> rtl_;
  std::unique_ptr<WaveRecorder> model_waves_;
  std::function<void()> on_mismatch_;

  std::vector<Event> group_;  // the open transaction's model events
  bool fence_open_ = false;
  std::vector<Event> rtl_events_;
  RtlRequest req_;
  uint64_t satp_ = 0;
  uint64_t time_ps_ = 0;  // the RTL's clock, kept at or after the model's time of each transaction
  uint64_t number_ = 0;   // transactions so far
  uint64_t translations_ = 0, fences_ = 0, events_compared_ = 0;
  std::deque<std::string> recent_;  // one line per recent transaction, for the report
  bool failed_ = false;
  bool tracing_ = false;
  uint64_t mismatch_instret_ = 0;
  std::string report_;

  // The walker's memory port: a request seen this cycle is answered in the next one.
  bool mem_pending_ = false;
  RtlInterface::MemRequest mem_req_;
  std::vector<bool> read_used_;  // which of the model's PteRead events (by position in group_) were served
};

}  // namespace sv39sim::rtl
