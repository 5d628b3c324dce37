#include "testbench/rtl/RtlChecker.h"

#include <cinttypes>
#include <cstdio>

#include "models/mmu/Sv39.h"
#include "models/trace/EventLog.h"
#include "models/trace/WaveRecorder.h"
#include "testbench/rtl/RtlCompare.h"

namespace sv39sim::rtl {

namespace {

const char* access_name(uint8_t a) {
  return a == 0 ? "fetch" : a == 1 ? "load" : "store";
}

std::string hex(uint64_t v) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "0x%" PRIx64, v);
  return buf;
}

}  // namespace

RtlChecker::RtlChecker(const RtlCheckConfig& cfg) : cfg_(cfg) {
  top_ = std::make_unique<RtlTop>(cfg.so_path);
  rtl_ = std::make_unique<RtlInterface>(*top_, cfg.geometry);
  top_->reset(0, cfg_.period_ps);
  time_ps_ = 2 * cfg_.period_ps;
}

RtlChecker::~RtlChecker() = default;

void RtlChecker::on_event(const Event& e) {
  if (failed_ || !event_log_keeps(e.kind)) return;
  switch (e.kind) {
    case EventKind::SatpWrite:
      close_fence();
      satp_ = e.data;
      return;
    case EventKind::Sfence:
      close_fence();
      group_.assign(1, e);
      fence_open_ = true;
      return;
    case EventKind::TlbInvalidate:
    case EventKind::PwcInvalidate:
      if (fence_open_) {
        group_.push_back(e);
        return;
      }
      break;
    default: close_fence(); break;
  }
  group_.push_back(e);
  if (e.kind == EventKind::Translation) {
    check_translation();
    group_.clear();
  }
}

void RtlChecker::on_end(uint64_t time_ps) {
  close_fence();
  if (tracing_) {
    model_waves_->on_end(time_ps);
    top_->trace_close();
    tracing_ = false;
  }
}

void RtlChecker::close_fence() {
  if (!fence_open_) return;
  fence_open_ = false;
  check_fence();
  group_.clear();
}

void RtlChecker::start_traces() {
  model_waves_ = std::make_unique<WaveRecorder>(cfg_.trace_dir + "/model.fst");
  if (!top_->trace(cfg_.trace_dir + "/rtl.fst"))
    throw std::runtime_error(cfg_.trace_dir + "/rtl.fst: cannot write the RTL's waves");
  tracing_ = true;
}

void RtlChecker::cycle() {
  time_ps_ += cfg_.period_ps;
  top_->cycle(time_ps_, cfg_.period_ps);
}

bool RtlChecker::run_cycles(const std::function<bool()>& done) {
  for (uint64_t n = 0; n < cfg_.max_cycles; ++n) {
    if (done()) return true;
    if (!top_->error().empty()) return false;
  }
  return false;
}

void RtlChecker::check_translation() {
  ++number_;
  ++translations_;
  const Event& t = group_.back();
  if (cfg_.trace_from && number_ == cfg_.trace_from) start_traces();
  if (tracing_)
    for (const Event& e : group_) model_waves_->on_event(e);
  if (group_.front().time_ps > time_ps_) time_ps_ = group_.front().time_ps;

  // The satp the walk used is in its start event; otherwise the last satp written, with the ASID the
  // translation was made in.
  uint64_t satp = (satp_ & ~(uint64_t{0xffff} << 44)) | uint64_t{t.asid} << 44;
  for (const Event& e : group_)
    if (e.kind == EventKind::WalkStart) satp = e.data;
  req_ = RtlRequest{t.va, t.access, t.priv, (t.set & 1) != 0, (t.set & 2) != 0, satp, cfg_.hardware_ad};

  rtl_events_.clear();
  read_used_.assign(group_.size(), false);
  mem_pending_ = false;
  bool accepted = false, responded = false;
  Event rsp;
  const bool finished = run_cycles([&] {
    if (responded) return true;
    rtl_->drive_request(!accepted, req_);
    if (mem_pending_) {
      const RtlInterface::MemRequest& m = mem_req_;
      Event ev;
      ev.unit = Unit::Walker;
      ev.va = req_.va;
      ev.access = req_.access;
      ev.pa = m.addr;
      uint64_t data = 0;
      bool err = false;
      if (!m.cas) {
        bool found = false;
        for (size_t i = 0; i < group_.size() && !found; ++i) {
          const Event& x = group_[i];
          if (x.kind == EventKind::PteRead && !read_used_[i] && x.pa == m.addr) {
            read_used_[i] = true;
            found = true;
            data = x.data;
            err = x.aux != 0;
          }
        }
        if (!found) err = !(cfg_.read_ram && cfg_.read_ram(m.addr, &data));
        ev.kind = EventKind::PteRead;
        ev.level = static_cast<uint8_t>(m.level);
        ev.data = err ? 0 : data;
        ev.aux = err ? 1 : 0;
      } else {
        // The model's compare-and-swap fails only on an access fault (PMP, no memory): its walk then ends
        // with one and writes nothing.
        bool wrote = false, access_fault = false;
        for (size_t i = 0; i < group_.size(); ++i) {
          const Event& x = group_[i];
          if (x.kind == EventKind::PteWrite && !read_used_[i] && x.pa == m.addr) {
            read_used_[i] = true;
            wrote = true;
            break;
          }
          if (x.kind == EventKind::WalkEnd && x.outcome != 0 &&
              x.aux == sv39::access_fault_cause(static_cast<Access>(req_.access)))
            access_fault = true;
        }
        err = !wrote && access_fault;
        ev.kind = EventKind::PteWrite;
        ev.data = m.desired;
        ev.aux = m.expected;
      }
      if (ev.kind == EventKind::PteRead || !err) rtl_events_.push_back(ev);
      rtl_->drive_memory_response(true, data, err, false);
      mem_pending_ = false;
    } else {
      rtl_->drive_memory_response(false, 0, false, false);
    }
    top_->eval();
    const bool taken = !accepted && rtl_->request_ready();
    rtl_->observe(req_, &rtl_events_);
    if (rtl_->response(req_, &rsp)) responded = true;
    const RtlInterface::MemRequest m = rtl_->memory_request();
    if (m.valid) {
      mem_req_ = m;
      mem_pending_ = true;
    }
    cycle();
    accepted = accepted || taken;
    return false;
  });
  rtl_->drive_request(false, req_);
  rtl_->drive_memory_response(false, 0, false, false);

  const std::string title = "translation #" + std::to_string(number_) + ": " + access_name(t.access) +
                            " va " + hex(t.va) + " priv " + std::to_string(t.priv) + " asid " +
                            std::to_string(t.asid);
  if (!finished) {
    const std::string why = top_->error();
    return mismatch(title, why.empty() ? "the RTL did not answer within " + std::to_string(cfg_.max_cycles) +
                                             " cycles (rtl_check.max_cycles)"
                                       : "the RTL stopped: " + why);
  }
  rtl_events_.push_back(rsp);
  finish_transaction(title);
}

void RtlChecker::check_fence() {
  ++number_;
  ++fences_;
  const Event s = group_.front();
  group_.erase(group_.begin());  // the Sfence itself is the request, not an answer
  if (cfg_.trace_from && number_ == cfg_.trace_from) start_traces();
  if (tracing_) {
    model_waves_->on_event(s);
    for (const Event& e : group_) model_waves_->on_event(e);
  }
  if (s.time_ps > time_ps_) time_ps_ = s.time_ps;
  const RtlFence f{(s.aux & 1) != 0, (s.aux & 2) != 0, (s.aux & 4) != 0, s.va, s.asid};
  rtl_events_.clear();
  // rs1 not a valid virtual address: the fence has no effect, and the RTL (whose fence carries the VPN
  // only) is not asked; the model must drop nothing.
  const bool no_effect = f.has_va && !sv39::canonical(f.va);
  bool accepted = false, done = no_effect;
  const bool finished = run_cycles([&] {
    if (done) return true;
    rtl_->drive_fence(!accepted, f);
    top_->eval();
    const bool taken = !accepted && rtl_->request_ready();
    rtl_->observe(req_, &rtl_events_);
    done = accepted && rtl_->fence_done();
    cycle();
    accepted = accepted || taken;
    return false;
  });
  rtl_->drive_fence(false, f);
  std::string title = "fence #" + std::to_string(number_) + ": sfence.vma";
  if (f.satp_write) title = "fence #" + std::to_string(number_) + ": flush on satp write";
  if (f.has_va) title += " va " + hex(f.va);
  if (f.has_asid) title += " asid " + std::to_string(f.asid);
  if (!finished) {
    const std::string why = top_->error();
    return mismatch(title, why.empty()
                               ? "the RTL did not finish the fence within " +
                                     std::to_string(cfg_.max_cycles) + " cycles (rtl_check.max_cycles)"
                               : "the RTL stopped: " + why);
  }
  finish_transaction(title);
}

void RtlChecker::finish_transaction(const std::string& title) {
  const std::string err = top_->error();
  if (!err.empty()) return mismatch(title, "the RTL stopped: " + err);
  const Difference d = first_difference(group_, rtl_events_);
  if (d.found) {
    std::string what = d.what;
    for (const FieldDiff& f : d.fields)
      what += "\n    " + f.field + ": model " + format_value(d.model->kind, f.field, f.model) + ", RTL " +
              format_value(d.model->kind, f.field, f.rtl);
    return mismatch(title, what);
  }
  events_compared_ += group_.size();
  recent_.push_back(title + " (" + std::to_string(group_.size()) + " events agree)");
  while (recent_.size() > cfg_.context) recent_.pop_front();
}

void RtlChecker::mismatch(const std::string& title, const std::string& what) {
  failed_ = true;
  const Event& first = group_.empty() ? Event() : group_.front();
  mismatch_instret_ = group_.empty() ? 0 : first.instret;
  std::string r = "RTL mismatch at " + title + "\n  time " + std::to_string(first.time_ps) + " ps, instret " +
                  std::to_string(first.instret) + "\n  " + what + "\n";
  r += "  model's events:\n";
  for (const Event& e : group_) r += "    " + format_event(e) + "\n";
  r += "  RTL's events:\n";
  for (const Event& e : rtl_events_) r += "    " + format_event(e) + "\n";
  if (!recent_.empty()) {
    r += "  the " + std::to_string(recent_.size()) + " transactions before it:\n";
    for (const std::string& line : recent_) r += "    " + line + "\n";
  }
  report_ = r;
  if (tracing_) {
    model_waves_->on_end(time_ps_);
    top_->trace_close();
    tracing_ = false;
  }
  if (on_mismatch_) on_mismatch_();
}

std::string RtlChecker::summary() const {
  char buf[256];
  std::snprintf(buf, sizeof buf,
                "rtl-check: %" PRIu64 " transactions compared (%" PRIu64 " translations, %" PRIu64
                " fences), %" PRIu64 " model events matched, %s",
                number_ - (failed_ ? 1 : 0), translations_, fences_, events_compared_,
                failed_ ? "stopped at the first mismatch" : "0 mismatches");
  return buf;
}

}  // namespace sv39sim::rtl
