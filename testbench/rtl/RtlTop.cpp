#include "testbench/rtl/RtlTop.h"

#include <dlfcn.h>

#include <algorithm>
#include <cstring>

#include "models/sim/InputError.h"

namespace sv39sim::rtl {

struct RtlTop::Api {
  int (*abi)();
  void* (*create)();
  void (*destroy)(void*);
  unsigned (*ports)(void*, const Sv39simRtlPort**);
  void (*eval)(void*);
  int (*trace_open)(void*, const char*);
  void (*trace_dump)(void*, uint64_t);
  void (*trace_close)(void*);
  const char* (*error)(void*);
};

namespace {
template <typename F>
void bind(void* so, const std::string& path, const char* name, F* f) {
  *f = reinterpret_cast<F>(dlsym(so, name));
  if (!*f) throw InputError(path + ": not an sv39sim RTL object: no " + name);
}
}  // namespace

RtlTop::RtlTop(const std::string& so_path) {
  so_ = dlopen(so_path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!so_) throw InputError(so_path + ": cannot load the RTL: " + dlerror());
  api_ = new Api;
  bind(so_, so_path, "sv39sim_rtl_abi", &api_->abi);
  bind(so_, so_path, "sv39sim_rtl_create", &api_->create);
  bind(so_, so_path, "sv39sim_rtl_destroy", &api_->destroy);
  bind(so_, so_path, "sv39sim_rtl_ports", &api_->ports);
  bind(so_, so_path, "sv39sim_rtl_eval", &api_->eval);
  bind(so_, so_path, "sv39sim_rtl_trace_open", &api_->trace_open);
  bind(so_, so_path, "sv39sim_rtl_trace_dump", &api_->trace_dump);
  bind(so_, so_path, "sv39sim_rtl_trace_close", &api_->trace_close);
  bind(so_, so_path, "sv39sim_rtl_error", &api_->error);
  if (api_->abi() != SV39SIM_RTL_ABI)
    throw InputError(so_path + ": built for another sv39sim (RTL interface " + std::to_string(api_->abi()) +
                     ", expected " + std::to_string(SV39SIM_RTL_ABI) + "): delete it to rebuild");
  top_ = api_->create();
  n_ports_ = api_->ports(top_, &ports_);
  clk_ = input("clk_i");
  rst_n_ = input("rst_ni");
}

RtlTop::~RtlTop() {
  if (top_) api_->destroy(top_);
  delete api_;
  // The shared object stays loaded: Verilator's runtime keeps process-wide state.
}

const Sv39simRtlPort* RtlTop::find(const std::string& name) const {
  for (unsigned i = 0; i < n_ports_; ++i)
    if (name == ports_[i].name) return &ports_[i];
  return nullptr;
}

RtlTop::Port RtlTop::input(const std::string& name) const {
  Port p;
  p.p_ = find(name);
  if (!p.p_ || !p.p_->is_input)
    throw InputError("RTL top: no input port '" + name + "' (see docs/rtl-cross-check.md for the interface)");
  return p;
}

RtlTop::Port RtlTop::output(const std::string& name) const {
  Port p;
  p.p_ = find(name);
  if (!p.p_ || p.p_->is_input)
    throw InputError("RTL top: no output port '" + name +
                     "' (see docs/rtl-cross-check.md for the interface)");
  return p;
}

RtlTop::Port RtlTop::optional_output(const std::string& name) const {
  Port p;
  p.p_ = find(name);
  if (p.p_ && p.p_->is_input) p.p_ = nullptr;
  return p;
}

std::vector<std::string> RtlTop::port_names() const {
  std::vector<std::string> names;
  for (unsigned i = 0; i < n_ports_; ++i) names.push_back(ports_[i].name);
  return names;
}

uint64_t RtlTop::Port::get() const {
  return p_ ? bits(0, p_->width > 64 ? 64 : p_->width) : 0;
}

uint64_t RtlTop::Port::bits(unsigned lsb, unsigned width) const {
  if (!p_ || lsb >= p_->width) return 0;
  uint64_t v = 0;
  if (p_->words == 0) {
    switch ((p_->width + 7) / 8) {
      case 1: v = *static_cast<const uint8_t*>(p_->storage); break;
      case 2: v = *static_cast<const uint16_t*>(p_->storage); break;
      case 3:
      case 4: v = *static_cast<const uint32_t*>(p_->storage); break;
      default: v = *static_cast<const uint64_t*>(p_->storage); break;
    }
    v >>= lsb;
  } else {
    const auto* w = static_cast<const uint32_t*>(p_->storage);
    for (unsigned got = 0; got < width && lsb + got < p_->words * 32u;) {
      const unsigned bit = lsb + got;
      const unsigned take = std::min(32u - bit % 32, width - got);
      v |= uint64_t{(w[bit / 32] >> (bit % 32))} << got;
      got += take;
    }
  }
  return width >= 64 ? v : v & ((uint64_t{1} << width) - 1);
}

void RtlTop::Port::set(uint64_t v) const {
  if (!p_) return;
  switch ((p_->width + 7) / 8) {
    case 1: *static_cast<uint8_t*>(p_->storage) = static_cast<uint8_t>(v); break;
    case 2: *static_cast<uint16_t*>(p_->storage) = static_cast<uint16_t>(v); break;
    case 3:
    case 4: *static_cast<uint32_t*>(p_->storage) = static_cast<uint32_t>(v); break;
    default:
      if (p_->words == 0) {
        *static_cast<uint64_t*>(p_->storage) = v;
      } else {
        auto* w = static_cast<uint32_t*>(p_->storage);
        std::memset(w, 0, p_->words * 4);
        w[0] = static_cast<uint32_t>(v);
        w[1] = static_cast<uint32_t>(v >> 32);
      }
  }
}

void RtlTop::eval() {
  api_->eval(top_);
}

void RtlTop::cycle(uint64_t time_ps, uint64_t period_ps) {
  api_->eval(top_);
  if (tracing_) api_->trace_dump(top_, time_ps - period_ps);
  clk_.set(0);
  api_->eval(top_);
  if (tracing_) api_->trace_dump(top_, time_ps - period_ps / 2);
  clk_.set(1);
  api_->eval(top_);
  if (tracing_) api_->trace_dump(top_, time_ps);
}

void RtlTop::reset(uint64_t time_ps, uint64_t period_ps) {
  rst_n_.set(1);
  clk_.set(1);
  api_->eval(top_);
  rst_n_.set(0);
  api_->eval(top_);
  for (int i = 0; i < 2; ++i) cycle(time_ps + i * period_ps, period_ps);
  rst_n_.set(1);
  api_->eval(top_);
}

bool RtlTop::trace(const std::string& path) {
  tracing_ = api_->trace_open(top_, path.c_str()) == 0;
  return tracing_;
}

void RtlTop::trace_close() {
  api_->trace_close(top_);
  tracing_ = false;
}

std::string RtlTop::error() const {
  return api_->error(top_);
}

}  // namespace sv39sim::rtl
