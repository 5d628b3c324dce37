// A Verilated RTL top loaded from its shared object (RtlAbi.h): ports by name, a clock, FST tracing.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "testbench/rtl/RtlAbi.h"

namespace sv39sim::rtl {

class RtlTop {
 public:
  // A port of the top; an absent optional port reads as 0 and ignores writes.
  class Port {
   public:
    uint64_t get() const;
    // Bits [lsb, lsb+width) of a port of any width (width <= 64).
    uint64_t bits(unsigned lsb, unsigned width) const;
    void set(uint64_t v) const;
    unsigned width() const { return p_ ? p_->width : 0; }
    bool present() const { return p_ != nullptr; }

   private:
    friend class RtlTop;
    const Sv39simRtlPort* p_ = nullptr;
  };

  // Loads `so_path` (throws InputError if it is not an sv39sim RTL object).
  explicit RtlTop(const std::string& so_path);
  ~RtlTop();
  RtlTop(const RtlTop&) = delete;
  RtlTop& operator=(const RtlTop&) = delete;

  // The port `name`; throws InputError naming the port and the expected direction if the top lacks it.
  Port input(const std::string& name) const;
  Port output(const std::string& name) const;
  Port optional_output(const std::string& name) const;
  std::vector<std::string> port_names() const;

  void eval();
  // One clock cycle ending at `time_ps`: eval, falling edge (traced at the cycle's middle), rising edge.
  void cycle(uint64_t time_ps, uint64_t period_ps);
  // Active-low reset for a few cycles.
  void reset(uint64_t time_ps, uint64_t period_ps);
  bool trace(const std::string& path);
  void trace_close();
  // An assertion or $error the RTL hit, or "".
  std::string error() const;

 private:
  const Sv39simRtlPort* find(const std::string& name) const;

  void* so_ = nullptr;
  void* top_ = nullptr;
  const Sv39simRtlPort* ports_ = nullptr;
  unsigned n_ports_ = 0;
  Port clk_, rst_n_;
  bool tracing_ = false;
  struct Api;
  Api* api_ = nullptr;
};

}  // namespace sv39sim::rtl
