#include "models/trace/Timeline.h"

#include <cerrno>
#include <cstring>

#include "firmware/kernel/abi.h"
#include "models/sim/InputError.h"

namespace sv39sim {

namespace {

// Picoseconds as microseconds, exactly: "100", "2.5", "0.000001".
std::string us_text(uint64_t ps) {
  std::string s = std::to_string(ps / 1000000);
  uint64_t frac = ps % 1000000;
  if (frac == 0) return s;
  std::string digits = std::to_string(1000000 + frac).substr(1);
  while (digits.back() == '0') digits.pop_back();
  return s + "." + digits;
}

// Units whose events the hart publishes as it goes, so that their instret matches their time. The
// memory controller, DRAM and disk act at SystemC time, which the hart runs ahead of.
bool in_hart_time(Unit u) {
  return u != Unit::MemCtl && u != Unit::Dram && u != Unit::Disk;
}

bool is_miss(const Event& e) {
  return e.outcome == static_cast<uint8_t>(LookupOutcome::Miss) ||
         e.outcome == static_cast<uint8_t>(LookupOutcome::Denied);
}

void put_row(std::FILE* f, const std::string& start, const std::string& end,
             std::initializer_list<std::string> cells) {
  std::fputs(start.c_str(), f);
  std::fputc(',', f);
  std::fputs(end.c_str(), f);
  for (const std::string& c : cells) {
    std::fputc(',', f);
    std::fputs(c.c_str(), f);
  }
  std::fputc('\n', f);
}

std::string n(uint64_t v) {
  return std::to_string(v);
}

}  // namespace

Timeline::Timeline(const std::string& path, const std::string& pid_path, uint64_t interval_ps,
                   std::function<uint64_t()> instret_at_end)
    : interval_ps_(interval_ps), instret_at_end_(std::move(instret_at_end)) {
  if (interval_ps_ == 0) throw InputError("timeline: the interval must be longer than 0");
  for (File* file : {&out_, &pid_out_}) {
    file->path = file == &out_ ? path : pid_path;
    const std::string tmp = file->path + ".tmp";
    file->f = std::fopen(tmp.c_str(), "w");
    if (!file->f) throw InputError("timeline: cannot write " + tmp + ": " + std::strerror(errno));
  }
  std::fputs(
      "start_us,end_us,instructions,itlb_misses,dtlb_misses,l2tlb_misses,walks,pwc_hits,minor_faults,"
      "major_faults,bad_faults,swap_ins,swap_outs,disk_busy_us,context_switches\n",
      out_.f);
  std::fputs(
      "start_us,end_us,pid,instructions,minor_faults,major_faults,bad_faults,swap_ins,swap_outs,"
      "context_switches\n",
      pid_out_.f);
}

Timeline::~Timeline() {
  // Not ended: the run failed; the .tmp files stay for a look, under names no finished run uses.
  for (File* file : {&out_, &pid_out_})
    if (file->f) std::fclose(file->f);
}

void Timeline::on_event(const Event& e) {
  if (ended_) return;
  while (e.time_ps >= interval_end()) close_interval(interval_end());
  if (in_hart_time(e.unit)) retire_to(e.instret);
  switch (e.kind) {
    case EventKind::TlbLookup:
      if (!is_miss(e)) break;
      if (e.unit == Unit::Itlb) ++counts_.itlb_misses;
      if (e.unit == Unit::Dtlb) ++counts_.dtlb_misses;
      if (e.unit == Unit::L2tlb) ++counts_.l2tlb_misses;
      break;
    case EventKind::WalkStart: ++counts_.walks; break;
    case EventKind::PwcLookup:
      if (e.outcome == static_cast<uint8_t>(LookupOutcome::Hit)) ++counts_.pwc_hits;
      break;
    case EventKind::DiskRequest:
      if (disk_outstanding_++ == 0) disk_busy_from_ = e.time_ps;
      break;
    case EventKind::DiskComplete:
      if (disk_outstanding_ > 0 && --disk_outstanding_ == 0)
        counts_.disk_busy_ps += e.time_ps - disk_busy_from_;
      break;
    case EventKind::PagerMarker: on_marker(e); break;
    default: break;
  }
}

void Timeline::retire_to(uint64_t instret) {
  if (instret <= instret_) return;
  counts_.instructions += instret - instret_;
  instret_ = instret;
}

// Instructions retired since the last charge go to the running process, or to nobody.
void Timeline::charge_running_pid() {
  if (running_ && instret_ > pid_instret_) pids_[*running_].instructions += instret_ - pid_instret_;
  pid_instret_ = instret_;
}

// Marker arguments (TraceMarker.h): ARG0 in data, ARG1 in aux, ARG2 in va.
void Timeline::on_marker(const Event& e) {
  switch (e.outcome) {
    case MARK_context_switch:
      charge_running_pid();
      running_ = e.data;
      ++counts_.context_switches;
      ++pids_[e.data].context_switches;
      break;
    case MARK_process_exit:
    case MARK_process_kill:
      if (running_ == e.data) {
        charge_running_pid();
        running_.reset();
      }
      break;
    case MARK_fault_end: {
      PidCounts& p = pids_[e.data];
      // The kernel's own split (vm.c, count_fault): the kinds from file read on waited for the disk.
      if (e.va == MARK_FAULT_BAD) {
        ++counts_.bad_faults;
        ++p.bad_faults;
      } else if (e.va >= MARK_FAULT_FILE) {
        ++counts_.major_faults;
        ++p.major_faults;
      } else {
        ++counts_.minor_faults;
        ++p.minor_faults;
      }
      break;
    }
    case MARK_swap_complete: {
      const bool write = e.aux != 0;
      ++(write ? counts_.swap_outs : counts_.swap_ins);
      if (running_) ++(write ? pids_[*running_].swap_outs : pids_[*running_].swap_ins);
      break;
    }
    default: break;
  }
}

void Timeline::close_interval(uint64_t end_ps) {
  if (disk_outstanding_ > 0) {
    counts_.disk_busy_ps += end_ps - disk_busy_from_;
    disk_busy_from_ = end_ps;
  }
  charge_running_pid();
  const std::string start = us_text(interval_start()), end = us_text(end_ps);
  const Counts& c = counts_;
  put_row(out_.f, start, end,
          {n(c.instructions), n(c.itlb_misses), n(c.dtlb_misses), n(c.l2tlb_misses), n(c.walks),
           n(c.pwc_hits), n(c.minor_faults), n(c.major_faults), n(c.bad_faults), n(c.swap_ins),
           n(c.swap_outs), us_text(c.disk_busy_ps), n(c.context_switches)});
  for (const auto& [pid, p] : pids_) {
    if (!p.any()) continue;
    put_row(pid_out_.f, start, end,
            {n(pid), n(p.instructions), n(p.minor_faults), n(p.major_faults), n(p.bad_faults), n(p.swap_ins),
             n(p.swap_outs), n(p.context_switches)});
  }
  counts_ = Counts{};
  pids_.clear();
  ++index_;
}

void Timeline::on_end(uint64_t time_ps) {
  if (ended_) return;
  // The bus ends the stream no earlier than its last event. An end on a boundary ends the interval before
  // it; only an event exactly there has opened the next, which then ends where it starts.
  while (time_ps > interval_end()) close_interval(interval_end());
  if (time_ps < interval_start()) time_ps = interval_start();
  if (instret_at_end_) retire_to(instret_at_end_());
  close_interval(time_ps);
  ended_ = true;
  finish_file(out_);
  finish_file(pid_out_);
}

void Timeline::finish_file(File& file) {
  const std::string tmp = file.path + ".tmp";
  const bool written = std::ferror(file.f) == 0;
  const bool closed = std::fclose(file.f) == 0;
  file.f = nullptr;
  if (!written || !closed) throw InputError("timeline: cannot write " + tmp + ": " + std::strerror(errno));
  if (std::rename(tmp.c_str(), file.path.c_str()) != 0)
    throw InputError("timeline: cannot rename " + tmp + " to " + file.path + ": " + std::strerror(errno));
}

}  // namespace sv39sim
