#include "models/mem/MemoryController.h"

#include <algorithm>

namespace sv39sim {

namespace {
constexpr uint64_t kNoLimit = ~uint64_t{0};
}  // namespace

MemoryController::MemoryController(const MemoryControllerConfig& config, const DramConfig& dram)
    : config_(config), dram_(dram) {}

void MemoryController::enqueue(const Pending& p) {
  queue_.push_back(p);
  max_queued_ = std::max<uint64_t>(max_queued_, queue_.size());
}

uint64_t MemoryController::read(uint64_t addr, AccessSource source, uint64_t now_ps) {
  ++count_[0][static_cast<unsigned>(source)];
  // Everything decided before this read arrives happens first.
  while (issue_next(now_ps) != kNotYet) {
  }
  const uint64_t mask = ~uint64_t{access_bytes() - 1};
  for (const Pending& p : queue_) {
    if (p.write && (p.addr & mask) == (addr & mask)) {
      ++forwarded_;
      return now_ps;
    }
  }
  const uint64_t seq = next_seq_++;
  if (queue_.empty()) {
    // The usual read: alone, it is the only candidate at its decision point, so issue_next() would pick
    // it (ending any row-hit streak) and issue it now.
    max_queued_ = std::max<uint64_t>(max_queued_, 1);
    streak_ = 0;
    issue({seq, addr, false, source, now_ps, now_ps}, std::max(decision_ps_, now_ps), false);
    return last_done_;
  }
  enqueue({seq, addr, false, source, now_ps, now_ps});
  while (issue_next(kNoLimit) != seq) {
  }
  return last_done_;
}

void MemoryController::post_write(uint64_t addr, AccessSource source, uint64_t now_ps) {
  ++count_[1][static_cast<unsigned>(source)];
  while (issue_next(now_ps) != kNotYet) {
  }
  enqueue({next_seq_++, addr, true, source, now_ps, draining_ ? now_ps : kNotYet});
  ++queued_writes_;
  if (!draining_ && queued_writes_ >= config_.write_watermark) {
    draining_ = true;
    ++drains_;
    for (Pending& p : queue_)
      if (p.write) p.eligible_ps = std::max(p.arrival_ps, now_ps);
  }
}

void MemoryController::flush(uint64_t now_ps) {
  for (Pending& p : queue_)
    if (p.eligible_ps == kNotYet) p.eligible_ps = p.arrival_ps;
  if (queued_writes_) draining_ = true;
  while (!queue_.empty()) issue_next(kNoLimit);
  dram_.advance(now_ps);
}

size_t MemoryController::pick(uint64_t d, bool* bypass) {
  *bypass = false;
  auto older = [this](size_t a, size_t b) {
    const Pending &x = queue_[a], &y = queue_[b];
    return x.arrival_ps != y.arrival_ps ? x.arrival_ps < y.arrival_ps : x.seq < y.seq;
  };
  const size_t none = queue_.size();
  size_t oldest = none, oldest_hit = none;
  for (size_t i = 0; i < queue_.size(); ++i) {
    if (queue_[i].eligible_ps > d) continue;
    if (oldest == none || older(i, oldest)) oldest = i;
    if (config_.policy == SchedulingPolicy::FrFcfs && dram_.would_hit(queue_[i].addr) &&
        (oldest_hit == none || older(i, oldest_hit)))
      oldest_hit = i;
  }
  if (oldest_hit == none || oldest_hit == oldest) {
    streak_ = 0;
    return oldest;
  }
  if (config_.row_hit_cap != 0 && streak_ >= config_.row_hit_cap) {
    ++cap_stops_;
    streak_ = 0;
    return oldest;
  }
  ++streak_;
  ++bypasses_;
  *bypass = true;
  return oldest_hit;
}

uint64_t MemoryController::issue_next(uint64_t limit_ps) {
  uint64_t earliest = kNotYet;
  for (const Pending& p : queue_) earliest = std::min(earliest, p.eligible_ps);
  if (earliest == kNotYet) return kNotYet;
  const uint64_t d = std::max(decision_ps_, earliest);
  if (d >= limit_ps) return kNotYet;

  bool bypass = false;
  const size_t i = pick(d, &bypass);
  const Pending p = queue_[i];
  queue_.erase(queue_.begin() + static_cast<std::ptrdiff_t>(i));

  issue(p, d, bypass);
  return p.seq;
}

void MemoryController::issue(const Pending& p, uint64_t d, bool bypass) {
  const DramAccess a = dram_.access({p.addr, p.write, std::max(p.arrival_ps, d)});
  decision_ps_ = std::max(decision_ps_, a.column_ps);
  const uint64_t first = a.kind == RowKind::Conflict ? a.pre_ps
                         : a.kind == RowKind::Empty  ? a.act_ps
                                                     : a.column_ps;
  ++issued_[p.write];
  queue_ps_[p.write] += first - p.arrival_ps;
  service_ps_[p.write] += a.done_ps - first;
  if (p.write) {
    if (--queued_writes_ == 0) draining_ = false;
  } else {
    last_done_ = a.done_ps;
  }
  if (hook_) {  // the record only for someone who wants it
    IssuedRequest r;
    r.seq = p.seq;
    r.addr = p.addr;
    r.write = p.write;
    r.source = p.source;
    r.arrival_ps = p.arrival_ps;
    r.decision_ps = d;
    r.bypassed = bypass;
    r.dram = a;
    hook_(r);
  }
}

}  // namespace sv39sim
