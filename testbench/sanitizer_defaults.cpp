// Built into every executable of a SV39SIM_SANITIZE build: the sanitizers' defaults (ASAN_OPTIONS and
// UBSAN_OPTIONS still override them). SystemC runs its threads on stacks of its own (QuickThreads), which
// ASan's fake stacks for use-after-return crash; and a report must abort (a signal), because the
// sanitizers' default exit status 1 would read as "the guest failed".
#define SV39SIM_SANITIZER_DEFAULTS(name, value)                                                          \
  extern "C" __attribute__((used, visibility("default"), no_sanitize("address", "undefined"))) const char* \
  name() {                                                                                               \
    return value;                                                                                        \
  }

SV39SIM_SANITIZER_DEFAULTS(__asan_default_options, "detect_stack_use_after_return=0:abort_on_error=1")
SV39SIM_SANITIZER_DEFAULTS(__ubsan_default_options, "halt_on_error=1:abort_on_error=1:print_stacktrace=1")
SV39SIM_SANITIZER_DEFAULTS(__lsan_default_options, "abort_on_error=1")
