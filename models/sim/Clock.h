// Simulated time is kept in picoseconds; the hart counts whole cycles of its clock. Every span of time that
// becomes cycles rounds up, wherever it comes from (walks, caches, DRAM, sleep): an operation that ends part
// way through a cycle occupies that cycle, so the hart's clock never falls behind an event it waited for and
// event times never go backwards.
#pragma once

#include <cstdint>

namespace sv39sim {

inline uint64_t cycles_covering(uint64_t ps, uint64_t period_ps) {
  return (ps + period_ps - 1) / period_ps;
}

}  // namespace sv39sim
