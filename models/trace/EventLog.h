// A recorded event stream: the MMU's events of a run (TLB lookups, fills and drops; page-walk-cache probes,
// fills and drops; walks with their PTE reads and A/D writes; fences, satp writes and translations) in
// stream order, with the effective configuration they were produced under. The RTL cross-check replays
// such a file (`sv39sim rtl-check --replay`), so an RTL engineer reproduces a failure without the
// simulator's run.
//
// Format: gzip of a text header, then fixed 92-byte little-endian records (Event fields in declaration
// order: seq, time_ps, instret, kind, unit, access, level, outcome, priv, priv_to, one zero byte, asid,
// victim_asid, set, way, va, pa, data, aux, victim_va, latency_ps).
//   sv39sim-events 1\n
//   config <bytes>\n<the config, as `sv39sim config` prints it>
// The file is written as <path>.tmp and renamed when the stream ends, so a file by its own name is whole.
#pragma once

#include <zlib.h>

#include <cstdint>
#include <functional>
#include <string>

#include "models/sim/EventBus.h"

namespace sv39sim {

// Whether `k` is one of the kinds an event log keeps.
bool event_log_keeps(EventKind k);

class EventLogWriter : public EventSink {
 public:
  // Throws InputError if `path` cannot be written.
  EventLogWriter(const std::string& path, const std::string& config_text);
  ~EventLogWriter() override;
  EventLogWriter(const EventLogWriter&) = delete;
  EventLogWriter& operator=(const EventLogWriter&) = delete;

  void on_event(const Event& e) override;
  void on_end(uint64_t time_ps) override;
  uint64_t events_written() const { return written_; }

 private:
  void write(const void* data, unsigned len);

  std::string path_;
  gzFile out_ = nullptr;
  uint64_t written_ = 0;
};

// Reads a log: `config` gets the configuration text, then `event` each event in order (return false to stop
// early). Throws InputError naming the file and what is wrong with it (not a log, truncated record).
void read_event_log(const std::string& path, const std::function<void(const std::string&)>& config,
                    const std::function<bool(const Event&)>& event);

}  // namespace sv39sim
