// The memory controller: one request queue shared by cache-miss reads, posted write-backs and the
// page-table walker, in front of DramTiming. It decides the order in which requests reach DRAM (FCFS or
// FR-FCFS); DramTiming decides when each one's commands issue and its data is done.
//
// Addresses are DRAM addresses (RAM base already subtracted); one request is one DRAM access
// (DramGeometry::access_bytes(), 64 B for DDR4 x64 BL8).
//
// How time works here (loosely timed, one in-order requester):
//   - A read blocks its requester: read() returns the time its data burst ends. So demand reads arrive one
//     at a time, in time order.
//   - A write is posted: post_write() returns at once (the write is accepted at its arrival) and the write
//     waits in the queue.
//   - The controller makes one scheduling decision at a time. The first decision point after a request
//     was issued is that request's column-command (RD/WR) time: from then on the order of data bursts is
//     fixed (DramTiming keeps bursts in issue order), and the controller picks the next request. If nothing
//     eligible has arrived by then, the next decision point is the earliest eligible arrival.
//   - At a decision point d, the candidates are the queued requests that are eligible and have arrived by
//     d. FCFS issues the oldest (arrival, then sequence number). FR-FCFS issues the oldest candidate whose
//     row is open in its bank (DramTiming::would_hit), else the oldest; after `row_hit_cap` consecutive row
//     hits that bypassed an older candidate, it issues the oldest one instead (row_hit_cap 0: no cap).
//     The issued request's commands start no earlier than d.
//   - Reads are eligible from their arrival. Posted writes become eligible once `write_watermark` writes
//     are waiting: the controller then drains (every queued write is eligible from the arrival of the
//     write that reached the watermark, and so is every write posted while draining) until no write is
//     left. write_watermark = 1 makes each write eligible on arrival, so it issues in the first decision
//     point after it arrives: in the idle time before the next demand read, or competing with that read
//     if the channel is still busy when the read arrives.
//   - Decisions are evaluated lazily, when the next read or write call arrives (and by flush()), in the
//     order they would have happened in time; a read issues queued requests until it issues itself.
//   - A read of an address with a queued write is served from the write queue: done at its arrival.
//
// Latency: queueing = arrival -> first command of the request (PRE, ACT or the column command);
// service = first command -> end of the data burst. Both include the waiting DramTiming adds for bank,
// bus and refresh constraints (queueing: before the first command; service: between commands).
#pragma once

#include <algorithm>
#include <cstdint>
#include <functional>
#include <utility>
#include <vector>

#include "models/mem/Cache.h"
#include "models/mem/DramTiming.h"

namespace sv39sim {

enum class SchedulingPolicy : uint8_t { Fcfs, FrFcfs };

struct MemoryControllerConfig {
  SchedulingPolicy policy = SchedulingPolicy::FrFcfs;
  unsigned row_hit_cap = 4;      // consecutive row-hit bypasses of an older request; 0 = no cap
  unsigned write_watermark = 1;  // queued writes that start a drain; 1 = writes are eligible on arrival
};

// A request as issued to DRAM, for tests and tracing.
struct IssuedRequest {
  uint64_t seq = 0;  // arrival order, from 0
  uint64_t addr = 0;
  bool write = false;
  AccessSource source = AccessSource::Load;
  uint64_t arrival_ps = 0;
  uint64_t decision_ps = 0;  // the decision point at which it was picked
  bool bypassed = false;     // FR-FCFS picked it ahead of an older candidate
  DramAccess dram;           // its commands and data end
  uint64_t first_command_ps() const {
    return dram.kind == RowKind::Conflict ? dram.pre_ps
           : dram.kind == RowKind::Empty  ? dram.act_ps
                                          : dram.column_ps;
  }
};

class MemoryController {
 public:
  // Throws std::invalid_argument (DramTiming's) on an unusable DRAM configuration.
  MemoryController(const MemoryControllerConfig& config, const DramConfig& dram);

  const MemoryControllerConfig& config() const { return config_; }
  const DramTiming& dram() const { return dram_; }
  unsigned access_bytes() const { return dram_.config().geometry.access_bytes(); }

  // A demand read arriving at now_ps; returns the time its data burst ends.
  uint64_t read(uint64_t addr, AccessSource source, uint64_t now_ps);
  // A posted write arriving at now_ps; it is accepted at once and issued as described above.
  void post_write(uint64_t addr, AccessSource source, uint64_t now_ps);
  // Issues every queued request (writes included, as if draining) in scheduling order; for the end of a
  // run, so that every write is counted. Then performs the refreshes due by now_ps.
  void flush(uint64_t now_ps);

  // Called for every request as it is issued to DRAM.
  void set_issue_hook(std::function<void(const IssuedRequest&)> hook) { hook_ = std::move(hook); }

  // Statistics. Reads by source: Fetch, Load, Store (a store miss's line fill), Walker; writes by source:
  // Store and Walker (no cache in between), Writeback (a dirty line from the last cache level).
  uint64_t requests(AccessSource s, bool write) const { return count_[write][static_cast<unsigned>(s)]; }
  uint64_t reads() const { return issued_[0]; }  // issued to DRAM (forwarded reads not included)
  uint64_t writes() const { return issued_[1]; }
  uint64_t forwarded_reads() const { return forwarded_; }
  uint64_t queueing_ps(bool write) const { return queue_ps_[write]; }  // totals over issued requests
  uint64_t service_ps(bool write) const { return service_ps_[write]; }
  double average_queueing_ps(bool write) const { return avg(queue_ps_[write], issued_[write]); }
  double average_service_ps(bool write) const { return avg(service_ps_[write], issued_[write]); }
  double average_latency_ps(bool write) const {
    return avg(queue_ps_[write] + service_ps_[write], issued_[write]);
  }
  uint64_t row_hit_bypasses() const { return bypasses_; }    // FR-FCFS picks ahead of an older candidate
  uint64_t row_hit_cap_stops() const { return cap_stops_; }  // times the cap made it take the oldest
  uint64_t drains() const { return drains_; }
  uint64_t queued() const { return queue_.size(); }
  // Makes the decisions that lie before `before_ps`, as a request arriving then would (read() and
  // post_write() do this first): for a caller that knows no request will arrive earlier.
  void settle(uint64_t before_ps) {
    while (issue_next(before_ps) != kNotYet) {
    }
  }
  // No request still queued can issue before this (max if none can until another request arrives): the
  // earliest time a queued request became eligible.
  uint64_t earliest_issue_bound() const {
    uint64_t t = kNotYet;
    for (const Pending& p : queue_) t = std::min(t, p.eligible_ps);
    return t;
  }
  uint64_t queued_writes() const { return queued_writes_; }
  uint64_t max_queued() const { return max_queued_; }

 private:
  struct Pending {
    uint64_t seq;
    uint64_t addr;
    bool write;
    AccessSource source;
    uint64_t arrival_ps;
    uint64_t eligible_ps;  // reads: arrival; writes: when a drain makes them eligible (kNotYet before)
  };
  static constexpr uint64_t kNotYet = ~uint64_t{0};

  static double avg(uint64_t total, uint64_t n) { return n ? static_cast<double>(total) / n : 0.0; }
  // Makes one decision and issues one request; returns its seq, or kNotYet if nothing is eligible. With
  // `limit_ps`, only decides if the decision point lies before it.
  uint64_t issue_next(uint64_t limit_ps);
  // Issues `p`, picked at decision point d.
  void issue(const Pending& p, uint64_t d, bool bypass);
  // Picks a candidate (index into queue_) at decision point d; sets *bypass.
  size_t pick(uint64_t d, bool* bypass);
  void enqueue(const Pending& p);

  MemoryControllerConfig config_;
  DramTiming dram_;
  std::vector<Pending> queue_;  // in arrival (seq) order
  uint64_t next_seq_ = 0;
  uint64_t decision_ps_ = 0;  // the next decision point: the last issued request's column command
  uint64_t last_done_ = 0;    // the last issued read's data end, for the caller
  bool draining_ = false;
  unsigned streak_ = 0;  // consecutive row-hit bypasses
  std::function<void(const IssuedRequest&)> hook_;

  uint64_t count_[2][kAccessSources] = {};
  uint64_t issued_[2] = {};
  uint64_t queue_ps_[2] = {};
  uint64_t service_ps_[2] = {};
  uint64_t forwarded_ = 0, bypasses_ = 0, cap_stops_ = 0, drains_ = 0;
  uint64_t queued_writes_ = 0, max_queued_ = 0;
};

}  // namespace sv39sim
