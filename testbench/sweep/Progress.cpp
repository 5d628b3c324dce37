#include "testbench/sweep/Progress.h"

#include <unistd.h>

#include <cstdio>

namespace sv39sim::sweep {

namespace {

std::string duration_text(double seconds) {
  const long s = static_cast<long>(seconds + 0.5);
  char buf[32];
  if (s >= 3600)
    std::snprintf(buf, sizeof buf, "%ldh%02ldm", s / 3600, s / 60 % 60);
  else if (s >= 60)
    std::snprintf(buf, sizeof buf, "%ldm%02lds", s / 60, s % 60);
  else
    std::snprintf(buf, sizeof buf, "%lds", s);
  return buf;
}

}  // namespace

Progress::Progress(std::string name, size_t total, size_t reused, const volatile std::sig_atomic_t* stop,
                   std::vector<std::string> point_dirs)
    : name_(std::move(name)),
      total_(total),
      reused_(reused),
      done_(reused),
      stop_(stop),
      point_dirs_(std::move(point_dirs)),
      tty_(::isatty(STDERR_FILENO) == 1),
      start_(std::chrono::steady_clock::now()),
      last_draw_(start_) {}

std::string Progress::line() const {
  const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  std::string eta = "?";
  const size_t ran = done_ - reused_, left = total_ - done_;
  // The rate of this session's points: reused ones took no time.
  if (ran > 0) eta = duration_text(elapsed / static_cast<double>(ran) * static_cast<double>(left));
  if (left == 0) eta = "0s";
  char buf[256];
  std::snprintf(buf, sizeof buf, "sweep %s: %zu/%zu done, %zu failed, %zu running, %s elapsed, ETA %s",
                name_.c_str(), done_, total_, failed_, running_, duration_text(elapsed).c_str(), eta.c_str());
  return buf;
}

void Progress::draw(bool force) const {
  const auto now = std::chrono::steady_clock::now();
  const auto period = tty_ ? std::chrono::milliseconds(200) : std::chrono::milliseconds(10000);
  if (!force && now - last_draw_ < period) return;
  last_draw_ = now;
  if (tty_) {
    // Bar of 20 cells, then the counts; \033[K clears what a longer line left.
    const size_t cells = total_ ? done_ * 20 / total_ : 20;
    std::fprintf(stderr, "\r[%s%s] %s\033[K", std::string(cells, '#').c_str(),
                 std::string(20 - cells, '.').c_str(), line().c_str());
  } else {
    std::fprintf(stderr, "sv39sim: %s\n", line().c_str());
  }
  std::fflush(stderr);
  drawn_ = true;
}

void Progress::started(size_t) {
  ++running_;
  draw(false);
}

void Progress::finished(size_t index, int exit_status) {
  if (running_ > 0) --running_;
  ++done_;
  if (exit_status != 0) {
    ++failed_;
    if (tty_ && drawn_) std::fprintf(stderr, "\r\033[K");
    std::fprintf(stderr, "sv39sim: point %zu exited %d: see %s/stderr.log\n", index, exit_status,
                 index < point_dirs_.size() ? point_dirs_[index].c_str() : "?");
  }
  draw(exit_status != 0);
}

bool Progress::stop_requested() const {
  if (*stop_) return true;
  draw(false);
  return false;
}

void Progress::end() {
  if (*stop_) running_ = 0;  // the backend stopped them
  if (tty_ && drawn_) std::fprintf(stderr, "\r\033[K");
  std::fprintf(stderr, "sv39sim: %s\n", line().c_str());
  std::fflush(stderr);
}

}  // namespace sv39sim::sweep
