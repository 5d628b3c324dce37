// Comparing the model's and the RTL's events of one transaction, field by field, and printing them.
#pragma once

#include <string>
#include <vector>

#include "models/sim/Event.h"

namespace sv39sim::rtl {

// One field both sides report differently.
struct FieldDiff {
  std::string field;
  uint64_t model = 0, rtl = 0;
};

// The fields of `a` and `b` (same kind) that the cross-check compares and that differ. Timing (time,
// latency, where a PTE read was served) is the model's alone and not compared.
std::vector<FieldDiff> compare_events(const Event& model, const Event& rtl);

// A field's value as the report prints it (names for outcomes, reasons, sources; hex above 9).
std::string format_value(EventKind kind, const std::string& field, uint64_t value);
// One line: kind, unit and the compared fields.
std::string format_event(const Event& e);

// The first difference between the two sides' events of a transaction (the order of events within a
// block matters; across blocks it does not): each block's first, and of those the one earliest in the
// model's stream. Empty if they agree.
struct Difference {
  bool found = false;
  Unit unit = Unit::Hart;
  size_t index = 0;  // position within that unit's events
  std::string what;  // e.g. "dtlb TlbFill #1: way differs", "RTL made no itlb TlbLookup #0"
  std::vector<FieldDiff> fields;
  const Event* model = nullptr;
  const Event* rtl = nullptr;
};
Difference first_difference(const std::vector<Event>& model, const std::vector<Event>& rtl);

}  // namespace sv39sim::rtl
