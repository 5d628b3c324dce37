// How a run ends. Devices (test finisher, HTIF) and limits report here; the platform stops SystemC.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

namespace sv39sim {

// RtlMismatch: the RTL cross-check (rtl_check.enabled) found the RTL answering differently from the model.
enum class RunStatus { Running, Pass, Fail, InstructionLimit, TimeLimit, Idle, RtlMismatch };

// Exit codes of `sv39sim run` (documented in --help and the user guide).
constexpr int kExitPass = 0, kExitGuestFail = 1, kExitBadInput = 2, kExitLimit = 3, kExitInternal = 4;
constexpr int kExitRtlMismatch = 5;

inline const char* run_status_name(RunStatus s) {
  switch (s) {
    case RunStatus::Running: return "running";
    case RunStatus::Pass: return "pass";
    case RunStatus::Fail: return "fail";
    case RunStatus::InstructionLimit: return "instruction_limit";
    case RunStatus::TimeLimit: return "time_limit";
    case RunStatus::Idle: return "idle";
    case RunStatus::RtlMismatch: return "rtl_mismatch";
  }
  return "?";
}

inline int run_status_exit_code(RunStatus s) {
  switch (s) {
    case RunStatus::Pass: return kExitPass;
    case RunStatus::Fail: return kExitGuestFail;
    case RunStatus::RtlMismatch: return kExitRtlMismatch;
    default: return kExitLimit;  // limits, and a guest asleep with nothing left to wake it
  }
}

class SimControl {
 public:
  // The first report wins; later ones (e.g. the finisher write right after tohost) are ignored.
  void finish(RunStatus status, uint64_t code, const std::string& reason) {
    if (status_ != RunStatus::Running) return;
    status_ = status;
    code_ = code;
    reason_ = reason;
    if (on_finish_) on_finish_();
  }
  void set_on_finish(std::function<void()> f) { on_finish_ = std::move(f); }
  bool finished() const { return status_ != RunStatus::Running; }
  RunStatus status() const { return status_; }
  uint64_t code() const { return code_; }
  const std::string& reason() const { return reason_; }

 private:
  RunStatus status_ = RunStatus::Running;
  uint64_t code_ = 0;
  std::string reason_;
  std::function<void()> on_finish_;
};

}  // namespace sv39sim
