#include "testbench/rtl/RtlCompare.h"

#include <cinttypes>
#include <cstdio>

namespace sv39sim::rtl {

namespace {

struct Field {
  const char* name;
  uint64_t value;
};

// The compared fields of an event, by kind (models/sim/Event.h documents each).
std::vector<Field> fields(const Event& e) {
  const bool hit = e.outcome == static_cast<uint8_t>(LookupOutcome::Hit);
  const bool replaced = e.outcome == static_cast<uint8_t>(FillReason::Replaced);
  switch (e.kind) {
    case EventKind::TlbLookup:
      if (e.outcome == static_cast<uint8_t>(LookupOutcome::Miss))
        return {{"access", e.access}, {"va", e.va}, {"asid", e.asid}, {"outcome", e.outcome}};
      return {{"access", e.access}, {"va", e.va},   {"asid", e.asid}, {"outcome", e.outcome},
              {"level", e.level},   {"set", e.set}, {"way", e.way}};
    case EventKind::TlbFill: {
      std::vector<Field> f = {{"va", e.va},          {"pa", e.pa},          {"asid", e.asid},
                              {"level", e.level},    {"set", e.set},        {"way", e.way},
                              {"pte", e.data},       {"global", e.aux & 1}, {"page_level", e.aux >> 8},
                              {"outcome", e.outcome}};
      if (replaced) {
        f.push_back({"victim_va", e.victim_va});
        f.push_back({"victim_asid", e.victim_asid});
      }
      return f;
    }
    case EventKind::TlbInvalidate:
      return {{"va", e.va},   {"asid", e.asid}, {"level", e.level},
              {"set", e.set}, {"way", e.way},   {"reason", e.outcome}};
    case EventKind::PwcLookup:
      if (!hit)
        return {{"va", e.va}, {"asid", e.asid}, {"level", e.level}, {"set", e.set}, {"outcome", e.outcome}};
      return {{"va", e.va},   {"asid", e.asid},       {"level", e.level}, {"set", e.set},
              {"way", e.way}, {"outcome", e.outcome}, {"table", e.pa}};
    case EventKind::PwcFill: {
      std::vector<Field> f = {
          {"level", e.level}, {"set", e.set}, {"way", e.way}, {"table", e.pa}, {"outcome", e.outcome}};
      if (replaced) f.push_back({"victim_va", e.victim_va});
      return f;
    }
    case EventKind::PwcInvalidate:
      return {{"va", e.va}, {"asid", e.asid}, {"level", e.level}, {"set", e.set}, {"way", e.way}};
    case EventKind::WalkStart:
      return {{"va", e.va}, {"access", e.access}, {"asid", e.asid}, {"satp", e.data}, {"level", e.level}};
    case EventKind::PteRead:
      return {{"pa", e.pa}, {"level", e.level}, {"data", e.data}, {"access_fault", e.aux}};
    case EventKind::PteWrite: return {{"pa", e.pa}, {"new", e.data}, {"old", e.aux}};
    case EventKind::WalkEnd:
      return {{"fault", e.outcome}, {"cause", e.aux}, {"level", e.level}, {"pa", e.pa}};
    case EventKind::Translation:
      return {{"va", e.va},     {"access", e.access}, {"source", e.outcome}, {"fault", e.data},
              {"cause", e.aux}, {"pa", e.pa},         {"level", e.level}};
    default: return {};
  }
}

// Enumerated fields by name, so a report reads "model miss, RTL hit".
std::string value_text(EventKind kind, const std::string& field, uint64_t v) {
  static const char* const kLookup[] = {"hit", "miss", "denied"};
  static const char* const kFill[] = {"invalid_way", "replaced"};
  static const char* const kReason[] = {"fence_all",  "fence_asid", "fence_va", "fence_va_asid",
                                        "satp_write", "denied",     "refill"};
  static const char* const kSource[] = {"bare", "l1_tlb", "l2_tlb", "walk"};
  auto pick = [v](const char* const* names, uint64_t n) {
    return v < n ? std::string(names[v]) : std::to_string(v);
  };
  if (field == "outcome" && (kind == EventKind::TlbLookup || kind == EventKind::PwcLookup))
    return pick(kLookup, 3);
  if (field == "outcome" && (kind == EventKind::TlbFill || kind == EventKind::PwcFill)) return pick(kFill, 2);
  if (field == "reason") return pick(kReason, 7);
  if (field == "source") return pick(kSource, 4);
  char buf[32];
  std::snprintf(buf, sizeof buf, v > 9 ? "0x%" PRIx64 : "%" PRIu64, v);
  return buf;
}

const char* unit_label(Unit u) {
  return u == Unit::Hart ? "mmu" : unit_name(u);
}

}  // namespace

std::vector<FieldDiff> compare_events(const Event& a, const Event& b) {
  std::vector<FieldDiff> diffs;
  if (a.kind != b.kind) return {{"kind", static_cast<uint64_t>(a.kind), static_cast<uint64_t>(b.kind)}};
  const std::vector<Field> fa = fields(a), fb = fields(b);
  // Outcomes that differ change which fields count: compare the longer list, reading absent ones as 0.
  const std::vector<Field>& names = fa.size() >= fb.size() ? fa : fb;
  for (const Field& f : names) {
    uint64_t va = 0, vb = 0;
    for (const Field& x : fa)
      if (std::string(x.name) == f.name) va = x.value;
    for (const Field& x : fb)
      if (std::string(x.name) == f.name) vb = x.value;
    if (va != vb) diffs.push_back({f.name, va, vb});
  }
  return diffs;
}

std::string format_value(EventKind kind, const std::string& field, uint64_t value) {
  return value_text(kind, field, value);
}

std::string format_event(const Event& e) {
  std::string s = std::string(unit_label(e.unit)) + " " + event_kind_name(e.kind);
  for (const Field& f : fields(e)) s += std::string(" ") + f.name + "=" + value_text(e.kind, f.name, f.value);
  return s;
}

Difference first_difference(const std::vector<Event>& model, const std::vector<Event>& rtl) {
  static constexpr Unit kUnits[] = {Unit::Itlb, Unit::Dtlb, Unit::L2tlb, Unit::Pwc, Unit::Walker, Unit::Hart};
  // Each block's first difference, then the one that comes first in the stream (an event only the RTL made
  // is placed by its position in the RTL's stream).
  Difference best;
  double best_pos = 0;
  for (Unit u : kUnits) {
    std::vector<size_t> m, rp;
    std::vector<const Event*> r;
    for (size_t i = 0; i < model.size(); ++i)
      if (model[i].unit == u) m.push_back(i);
    for (size_t i = 0; i < rtl.size(); ++i) {
      if (rtl[i].unit != u) continue;
      r.push_back(&rtl[i]);
      rp.push_back(i);
    }
    Difference d;
    d.unit = u;
    double pos = 0;
    for (size_t i = 0; i < m.size() || i < r.size(); ++i) {
      d.index = i;
      const std::string where = std::string(unit_label(u)) + " event #" + std::to_string(i);
      if (i >= r.size()) {
        d.model = &model[m[i]];
        d.what = where + ": the RTL made no " + event_kind_name(d.model->kind);
        pos = static_cast<double>(m[i]);
      } else if (i >= m.size()) {
        d.rtl = r[i];
        d.what = where + ": the RTL made a " + event_kind_name(r[i]->kind) + " the model did not";
        pos = static_cast<double>(rp[i]);
      } else {
        d.fields = compare_events(model[m[i]], *r[i]);
        if (d.fields.empty()) continue;
        d.model = &model[m[i]];
        d.rtl = r[i];
        std::string names;
        for (const FieldDiff& x : d.fields) names += (names.empty() ? "" : ", ") + x.field;
        d.what = where + " (" + event_kind_name(d.model->kind) + "): " + names + " differ" +
                 (d.fields.size() == 1 ? "s" : "");
        pos = static_cast<double>(m[i]);
      }
      d.found = true;
      break;
    }
    if (d.found && (!best.found || pos < best_pos)) {
      best = d;
      best_pos = pos;
    }
  }
  return best;
}

}  // namespace sv39sim::rtl
