// The shared object around one Verilated RTL top (RtlAbi.h). Built by shim/CMakeLists.txt with the top's
// class name in SV39SIM_RTL_PREFIX; the port table comes from gen_ports.py.
#include <verilated.h>
#include <verilated_fst_c.h>

#include <memory>
#include <string>
#include <vector>

#include "testbench/rtl/RtlAbi.h"

#define SV39SIM_STR2(x) #x
#define SV39SIM_STR(x) SV39SIM_STR2(x)
#include SV39SIM_STR(SV39SIM_RTL_PREFIX.h)

namespace {

std::string g_error;  // one model per process at a time

struct Instance {
  std::unique_ptr<VerilatedContext> context;
  std::unique_ptr<SV39SIM_RTL_PREFIX> top;
  std::unique_ptr<VerilatedFstC> trace;
  std::vector<Sv39simRtlPort> ports;
};

}  // namespace

// Verilator reports assertion failures and $error through these; the check turns them into a mismatch
// report instead of an exit.
void vl_stop(const char* filename, int linenum, const char* hier) VL_MT_UNSAFE {
  g_error = std::string(filename) + ":" + std::to_string(linenum) + ": " + (hier ? hier : "") + ": $stop";
  Verilated::threadContextp()->gotFinish(true);
}
void vl_fatal(const char* filename, int linenum, const char* hier, const char* msg) VL_MT_UNSAFE {
  g_error = std::string(filename) + ":" + std::to_string(linenum) + ": " + (hier ? hier : "") + ": " + msg;
  Verilated::threadContextp()->gotFinish(true);
}

extern "C" {

int sv39sim_rtl_abi(void) {
  return SV39SIM_RTL_ABI;
}

void* sv39sim_rtl_create(void) {
  auto* in = new Instance;
  in->context = std::make_unique<VerilatedContext>();
  in->context->traceEverOn(true);
  in->context->fatalOnError(false);
  in->top = std::make_unique<SV39SIM_RTL_PREFIX>(in->context.get(), "top");
  SV39SIM_RTL_PREFIX* top = in->top.get();
  in->ports = {
#include "ports.inc"
  };
  g_error.clear();
  return in;
}

void sv39sim_rtl_destroy(void* p) {
  auto* in = static_cast<Instance*>(p);
  if (in->trace) in->trace->close();
  in->top->final();
  delete in;
}

unsigned sv39sim_rtl_ports(void* p, const Sv39simRtlPort** ports) {
  auto* in = static_cast<Instance*>(p);
  *ports = in->ports.data();
  return static_cast<unsigned>(in->ports.size());
}

void sv39sim_rtl_eval(void* p) {
  static_cast<Instance*>(p)->top->eval();
}

int sv39sim_rtl_trace_open(void* p, const char* path) {
  auto* in = static_cast<Instance*>(p);
  in->trace = std::make_unique<VerilatedFstC>();
  in->top->trace(in->trace.get(), 99);
  in->trace->open(path);
  return in->trace->isOpen() ? 0 : -1;
}

void sv39sim_rtl_trace_dump(void* p, uint64_t time_ps) {
  auto* in = static_cast<Instance*>(p);
  if (in->trace) in->trace->dump(time_ps);
}

void sv39sim_rtl_trace_close(void* p) {
  auto* in = static_cast<Instance*>(p);
  if (in->trace) in->trace->close();
  in->trace.reset();
}

const char* sv39sim_rtl_error(void*) {
  return g_error.c_str();
}

}  // extern "C"
