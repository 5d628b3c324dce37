// The C interface between sv39sim and a Verilated RTL top built as a shared object (shim/): the RTL is
// built per configuration at run time (its parameters come from the config), so sv39sim loads it with
// dlopen and reaches its ports through a table rather than through the generated class.
#pragma once

#include <cstdint>

extern "C" {

// One port of the top: `storage` points at the Verilated model's member (1-8 bits: uint8_t, 9-16: uint16_t,
// 17-32: uint32_t, 33-64: uint64_t, wider: `words` uint32_t, least significant first).
struct Sv39simRtlPort {
  const char* name;
  unsigned width;
  unsigned words;  // 0 unless wider than 64 bits
  int is_input;
  void* storage;
};

// Bumped whenever the functions below change.
#define SV39SIM_RTL_ABI 1

int sv39sim_rtl_abi(void);
void* sv39sim_rtl_create(void);
void sv39sim_rtl_destroy(void* top);
// The top's ports; the table lives as long as `top`.
unsigned sv39sim_rtl_ports(void* top, const Sv39simRtlPort** ports);
void sv39sim_rtl_eval(void* top);
// FST tracing of every signal from now on (0 on success); dump() records the current values at `time_ps`.
int sv39sim_rtl_trace_open(void* top, const char* path);
void sv39sim_rtl_trace_dump(void* top, uint64_t time_ps);
void sv39sim_rtl_trace_close(void* top);
// The last assertion failure or $error/$fatal message, "" if none; the model stops on one.
const char* sv39sim_rtl_error(void* top);
}
