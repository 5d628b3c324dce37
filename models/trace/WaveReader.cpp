#include "models/trace/WaveReader.h"

#include <fstapi.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <exception>
#include <map>
#include <memory>
#include <utility>

#include "models/sim/InputError.h"

namespace sv39sim {

namespace {

// Where a signal's value goes in the Event. Cause: the recorder's 8-bit cause (bit 7: interrupt).
// PrivTo also gives `priv` the value the signal had before.
enum class Field : uint8_t {
  Seq,
  Instret,
  Access,
  Level,
  Outcome,
  Priv,
  PrivTo,
  Asid,
  VictimAsid,
  Set,
  Way,
  Va,
  Pa,
  Data,
  Aux,
  AuxBits1_0,  // aux bits 1:0 (the other bits come from other signals)
  AuxBit2,     // aux bit 2
  AuxBit0,     // aux bit 0
  AuxBits9_8,  // aux bits 9:8
  Cause,
  VictimVa,
  Latency
};
// When the recorder writes the signal, by the event's own fields (WaveRecorder::record).
enum class When : uint8_t {
  Always,
  NotMiss,
  Hit,
  Replaced,
  Faulted,
  ScopeVa,
  ScopeAsid,
  XlateFault,
  XlateOk
};
// Which scope holds it: the event's own unit when that is a TLB (or a cache), else a fixed one.
enum class Where : uint8_t { OwnTlb, OwnCache, Fixed };

struct FieldSpec {
  EventKind kind;
  Where where;
  Unit scope;  // for Fixed
  const char* signal;
  Field field;
  When when = When::Always;
};

using K = EventKind;
using F = Field;
using W = When;
constexpr Where kTlb = Where::OwnTlb, kCache = Where::OwnCache, kFixed = Where::Fixed;

// The inverse of WaveRecorder::record, signal by signal.
const FieldSpec kFields[] = {
    {K::TlbLookup, kTlb, Unit::Hart, "access", F::Access},
    {K::TlbLookup, kTlb, Unit::Hart, "va", F::Va},
    {K::TlbLookup, kTlb, Unit::Hart, "asid", F::Asid},
    {K::TlbLookup, kTlb, Unit::Hart, "outcome", F::Outcome},
    {K::TlbLookup, kTlb, Unit::Hart, "page_size", F::Level, W::NotMiss},
    {K::TlbLookup, kTlb, Unit::Hart, "set", F::Set, W::NotMiss},
    {K::TlbLookup, kTlb, Unit::Hart, "way", F::Way, W::NotMiss},
    {K::TlbFill, kTlb, Unit::Hart, "fill_va", F::Va},
    {K::TlbFill, kTlb, Unit::Hart, "fill_asid", F::Asid},
    {K::TlbFill, kTlb, Unit::Hart, "fill_page_size", F::Level},
    {K::TlbFill, kTlb, Unit::Hart, "fill_set", F::Set},
    {K::TlbFill, kTlb, Unit::Hart, "fill_way", F::Way},
    {K::TlbFill, kTlb, Unit::Hart, "fill_pa", F::Pa},
    {K::TlbFill, kTlb, Unit::Hart, "fill_pte", F::Data},
    {K::TlbFill, kTlb, Unit::Hart, "fill_global", F::AuxBit0},
    {K::TlbFill, kTlb, Unit::Hart, "fill_leaf_page_size", F::AuxBits9_8},
    {K::TlbFill, kTlb, Unit::Hart, "fill_reason", F::Outcome},
    {K::TlbFill, kTlb, Unit::Hart, "victim_va", F::VictimVa, W::Replaced},
    {K::TlbFill, kTlb, Unit::Hart, "victim_asid", F::VictimAsid, W::Replaced},
    {K::TlbInvalidate, kTlb, Unit::Hart, "inval_va", F::Va},
    {K::TlbInvalidate, kTlb, Unit::Hart, "inval_asid", F::Asid},
    {K::TlbInvalidate, kTlb, Unit::Hart, "inval_page_size", F::Level},
    {K::TlbInvalidate, kTlb, Unit::Hart, "inval_set", F::Set},
    {K::TlbInvalidate, kTlb, Unit::Hart, "inval_way", F::Way},
    {K::TlbInvalidate, kTlb, Unit::Hart, "inval_reason", F::Outcome},
    {K::PwcLookup, kFixed, Unit::Pwc, "va", F::Va},
    {K::PwcLookup, kFixed, Unit::Pwc, "asid", F::Asid},
    {K::PwcLookup, kFixed, Unit::Pwc, "outcome", F::Outcome},
    {K::PwcLookup, kFixed, Unit::Pwc, "level", F::Level},
    {K::PwcLookup, kFixed, Unit::Pwc, "set", F::Set},
    {K::PwcLookup, kFixed, Unit::Pwc, "way", F::Way, W::Hit},
    {K::PwcLookup, kFixed, Unit::Pwc, "table", F::Pa, W::Hit},
    {K::PwcFill, kFixed, Unit::Pwc, "fill_level", F::Level},
    {K::PwcFill, kFixed, Unit::Pwc, "fill_set", F::Set},
    {K::PwcFill, kFixed, Unit::Pwc, "fill_way", F::Way},
    {K::PwcFill, kFixed, Unit::Pwc, "fill_table", F::Pa},
    {K::PwcFill, kFixed, Unit::Pwc, "fill_reason", F::Outcome},
    {K::PwcFill, kFixed, Unit::Pwc, "victim_va", F::VictimVa, W::Replaced},
    {K::PwcInvalidate, kFixed, Unit::Pwc, "inval_level", F::Level},
    {K::PwcInvalidate, kFixed, Unit::Pwc, "inval_set", F::Set},
    {K::PwcInvalidate, kFixed, Unit::Pwc, "inval_way", F::Way},
    {K::WalkStart, kFixed, Unit::Walker, "va", F::Va},
    {K::WalkStart, kFixed, Unit::Walker, "access", F::Access},
    {K::WalkStart, kFixed, Unit::Walker, "satp", F::Data},
    {K::WalkStart, kFixed, Unit::Walker, "start_level", F::Level},
    {K::PteRead, kFixed, Unit::Walker, "pte_addr", F::Pa},
    {K::PteRead, kFixed, Unit::Walker, "pte_value", F::Data},
    {K::PteRead, kFixed, Unit::Walker, "level", F::Level},
    {K::PteRead, kFixed, Unit::Walker, "served_by", F::Outcome},
    {K::PteRead, kFixed, Unit::Walker, "pte_latency_ps", F::Latency},
    {K::PteRead, kFixed, Unit::Walker, "pte_access_fault", F::Aux},
    {K::PteWrite, kFixed, Unit::Walker, "write_addr", F::Pa},
    {K::PteWrite, kFixed, Unit::Walker, "write_value", F::Data},
    {K::PteWrite, kFixed, Unit::Walker, "write_old", F::Aux},
    {K::PteWrite, kFixed, Unit::Walker, "write_latency_ps", F::Latency},
    {K::WalkEnd, kFixed, Unit::Walker, "result", F::Outcome},
    {K::WalkEnd, kFixed, Unit::Walker, "cause", F::Cause, W::Faulted},
    {K::WalkEnd, kFixed, Unit::Walker, "leaf_level", F::Level},
    {K::WalkEnd, kFixed, Unit::Walker, "pa", F::Pa},
    {K::WalkEnd, kFixed, Unit::Walker, "walk_latency_ps", F::Latency},
    {K::Fault, kFixed, Unit::Hart, "fault_cause", F::Cause},
    {K::Fault, kFixed, Unit::Hart, "fault_tval", F::Va},
    {K::Fault, kFixed, Unit::Hart, "fault_access", F::Access},
    {K::Sfence, kFixed, Unit::Hart, "sfence_scope", F::AuxBits1_0},
    {K::Sfence, kFixed, Unit::Hart, "sfence_satp_flush", F::AuxBit2},
    {K::Sfence, kFixed, Unit::Hart, "sfence_va", F::Va, W::ScopeVa},
    {K::Sfence, kFixed, Unit::Hart, "sfence_asid", F::Asid, W::ScopeAsid},
    {K::SatpWrite, kFixed, Unit::Hart, "satp", F::Data},
    {K::TrapEnter, kFixed, Unit::Hart, "trap_cause", F::Cause},
    {K::TrapEnter, kFixed, Unit::Hart, "trap_tval", F::Va},
    {K::TrapEnter, kFixed, Unit::Hart, "trap_pc", F::Pa},
    {K::TrapEnter, kFixed, Unit::Hart, "priv", F::PrivTo},
    {K::TrapReturn, kFixed, Unit::Hart, "xret_kind", F::Outcome},
    {K::TrapReturn, kFixed, Unit::Hart, "xret_pc", F::Pa},
    {K::TrapReturn, kFixed, Unit::Hart, "priv", F::PrivTo},
    {K::CacheMiss, kCache, Unit::Hart, "line", F::Pa},
    {K::CacheMiss, kCache, Unit::Hart, "requester", F::Access},
    {K::CacheMiss, kCache, Unit::Hart, "write", F::Aux},
    {K::CacheMiss, kCache, Unit::Hart, "latency_ps", F::Latency},
    {K::DramAccess, kFixed, Unit::Dram, "addr", F::Pa},
    {K::DramAccess, kFixed, Unit::Dram, "write", F::Aux},
    {K::DramAccess, kFixed, Unit::Dram, "row_kind", F::Outcome},
    {K::DramAccess, kFixed, Unit::Dram, "bank", F::Set},
    {K::DramAccess, kFixed, Unit::Dram, "row", F::Way},
    {K::DramAccess, kFixed, Unit::Dram, "latency_ps", F::Latency},
    {K::DiskRequest, kFixed, Unit::Disk, "op", F::Outcome},
    {K::DiskRequest, kFixed, Unit::Disk, "sector", F::Aux},
    {K::DiskRequest, kFixed, Unit::Disk, "bytes", F::Data},
    {K::DiskComplete, kFixed, Unit::Disk, "op", F::Outcome},
    {K::DiskComplete, kFixed, Unit::Disk, "sector", F::Aux},
    {K::DiskComplete, kFixed, Unit::Disk, "bytes", F::Data},
    {K::DiskComplete, kFixed, Unit::Disk, "latency_ps", F::Latency},
    {K::Translation, kFixed, Unit::Hart, "xlate_va", F::Va},
    {K::Translation, kFixed, Unit::Hart, "xlate_access", F::Access},
    {K::Translation, kFixed, Unit::Hart, "xlate_priv", F::Priv},
    {K::Translation, kFixed, Unit::Hart, "xlate_source", F::Outcome},
    {K::Translation, kFixed, Unit::Hart, "xlate_fault", F::Data},
    {K::Translation, kFixed, Unit::Hart, "xlate_cause", F::Cause, W::XlateFault},
    {K::Translation, kFixed, Unit::Hart, "xlate_pa", F::Pa, W::XlateOk},
    {K::Translation, kFixed, Unit::Hart, "xlate_page_size", F::Level, W::XlateOk},
    {K::PagerMarker, kFixed, Unit::Pager, "code", F::Outcome},
    {K::PagerMarker, kFixed, Unit::Pager, "arg0", F::Data},
    {K::PagerMarker, kFixed, Unit::Pager, "arg1", F::Aux},
    {K::PagerMarker, kFixed, Unit::Pager, "arg2", F::Va},
};

bool is_tlb(Unit u) {
  return u == Unit::Itlb || u == Unit::Dtlb || u == Unit::L2tlb;
}
bool is_cache(Unit u) {
  return u == Unit::L1i || u == Unit::L1d || u == Unit::L2;
}

bool written(When w, const Event& e) {
  switch (w) {
    case When::Always: return true;
    case When::NotMiss: return e.outcome != static_cast<uint8_t>(LookupOutcome::Miss);
    case When::Hit: return e.outcome == static_cast<uint8_t>(LookupOutcome::Hit);
    case When::Replaced: return e.outcome == static_cast<uint8_t>(FillReason::Replaced);
    case When::Faulted: return e.outcome != 0;
    case When::ScopeVa: return (e.aux & 1) != 0;
    case When::ScopeAsid: return (e.aux & 2) != 0;
    case When::XlateFault: return (e.data & 1) != 0;
    case When::XlateOk: return (e.data & 1) == 0;
  }
  return false;
}

void store(Event& e, Field f, uint64_t v, uint64_t before) {
  switch (f) {
    case F::Seq: e.seq = v; break;
    case F::Instret: e.instret = v; break;
    case F::Access: e.access = static_cast<uint8_t>(v); break;
    case F::Level: e.level = static_cast<uint8_t>(v); break;
    case F::Outcome: e.outcome = static_cast<uint8_t>(v); break;
    case F::Priv: e.priv = static_cast<uint8_t>(v); break;
    case F::PrivTo:
      e.priv_to = static_cast<uint8_t>(v);
      e.priv = static_cast<uint8_t>(before);
      break;
    case F::Asid: e.asid = static_cast<uint16_t>(v); break;
    case F::VictimAsid: e.victim_asid = static_cast<uint16_t>(v); break;
    case F::Set: e.set = static_cast<uint32_t>(v); break;
    case F::Way: e.way = static_cast<uint32_t>(v); break;
    case F::Va: e.va = v; break;
    case F::Pa: e.pa = v; break;
    case F::Data: e.data = v; break;
    case F::Aux: e.aux = v; break;
    case F::AuxBits1_0: e.aux = (e.aux & ~uint64_t{3}) | (v & 3); break;
    case F::AuxBit2: e.aux = (e.aux & ~uint64_t{4}) | (v & 1) << 2; break;
    case F::AuxBit0: e.aux = (e.aux & ~uint64_t{1}) | (v & 1); break;
    case F::AuxBits9_8: e.aux = (e.aux & ~uint64_t{0x300}) | (v & 3) << 8; break;
    case F::Cause: e.aux = (v & 0x7f) | ((v & 0x80) ? 1ull << 63 : 0); break;
    case F::VictimVa: e.victim_va = v; break;
    case F::Latency: e.latency_ps = v; break;
  }
}

uint64_t bits_value(const unsigned char* s, unsigned n) {
  uint64_t v = 0;
  for (unsigned i = 0; i < n && s[i]; ++i) v = (v << 1) | (s[i] == '1' ? 1 : 0);  // x and z read as 0
  return v;
}

struct Signal {
  std::string name;  // "dtlb.va"
  unsigned bits = 0;
  bool is_string = false;
  uint64_t value = 0;             // at the end of the last picosecond decoded
  std::vector<uint64_t> changes;  // in the picosecond being read, in order
  std::vector<std::string> strings;
  std::vector<uint32_t> writers;  // events of this picosecond the recorder wrote it for
  bool mapped = false;            // an event field: changes only when an event writes it
  Field field = Field::Seq;
};

struct Target {
  uint32_t signal;
  Field field;
  When when;
};

class Reader {
 public:
  Reader(std::string path, const std::function<void(const Event&)>* on_event)
      : path_(std::move(path)), on_event_(on_event) {}

  WaveFile read();

 private:
  static void on_value(void* self, uint64_t t, fstHandle h, const unsigned char* v) {
    static_cast<Reader*>(self)->change(t, h, v, 0);
  }
  static void on_varlen(void* self, uint64_t t, fstHandle h, const unsigned char* v, uint32_t len) {
    static_cast<Reader*>(self)->change(t, h, v, len);
  }
  [[noreturn]] void corrupt(const std::string& why) const {
    throw InputError("waves: " + path_ + ": not a waveform sv39sim wrote, or damaged: " + why);
  }
  void read_hierarchy(void* fst);
  void change(uint64_t t, fstHandle h, const unsigned char* v, uint32_t len);
  void decode_step();
  void assign(Signal& s, bool changes_late, Field f);
  uint32_t find(const std::string& name) const;

  std::string path_;
  const std::function<void(const Event&)>* on_event_;  // null: keep the events in out_
  std::vector<Signal> signals_;                        // by handle - 1
  std::map<std::string, uint32_t> by_name_;
  std::vector<Target> targets_[kEventKinds][kUnits];
  uint32_t seq_ = 0, instret_ = 0, event_ = 0, unit_events_[kUnits] = {};
  std::vector<uint32_t> touched_;  // signals with changes in the picosecond being read
  std::vector<Event> step_;        // its events
  uint64_t now_ = 0;
  bool started_ = false, first_step_ = true;
  bool repeats_ = false;      // the writer repeats a field changed earlier in the picosecond: exact
  std::exception_ptr error_;  // caught inside fstapi's callbacks: C code cannot be unwound through
  WaveFile out_;
};

uint32_t Reader::find(const std::string& name) const {
  const auto it = by_name_.find(name);
  if (it == by_name_.end()) corrupt("no signal sv39sim." + name);
  return it->second;
}

void Reader::read_hierarchy(void* fst) {
  std::vector<std::string> scope;
  while (fstHier* h = fstReaderIterateHier(fst)) {
    switch (h->htyp) {
      case FST_HT_SCOPE: scope.emplace_back(h->u.scope.name); break;
      case FST_HT_UPSCOPE:
        if (!scope.empty()) scope.pop_back();
        break;
      case FST_HT_VAR: {
        if (scope.empty() || scope[0] != "sv39sim" || scope.size() > 2 || h->u.var.is_alias) break;
        const fstHandle handle = h->u.var.handle;
        if (handle == 0) break;
        if (signals_.size() < handle) signals_.resize(handle);
        Signal& s = signals_[handle - 1];
        s.name = (scope.size() == 2 ? scope[1] + "." : "") + h->u.var.name;
        s.is_string = h->u.var.typ == FST_VT_GEN_STRING;
        s.bits = s.is_string ? 0 : h->u.var.length;
        by_name_[s.name] = handle - 1;
        break;
      }
      case FST_HT_ATTRBEGIN:
        if (h->u.attr.typ == FST_AT_MISC && h->u.attr.subtype == FST_MT_ENUMTABLE && h->u.attr.name &&
            h->u.attr.name_length) {
          fstETab* t = fstUtilityExtractEnumTableFromString(h->u.attr.name);
          if (t && t->name && std::strcmp(t->name, "pager_marker") == 0) {
            for (uint32_t i = 0; i < t->elem_count; ++i) {
              const uint64_t code = bits_value(reinterpret_cast<const unsigned char*>(t->val_arr[i]), 64);
              if (code >= 256) continue;
              if (out_.marker_names.size() <= code) out_.marker_names.resize(code + 1);
              out_.marker_names[code] = t->literal_arr[i];
            }
          }
          if (t) fstUtilityFreeEnumTable(t);
        }
        break;
      default: break;
    }
  }
  seq_ = find("seq");
  instret_ = find("instret");
  event_ = find("event");
  if (!signals_[event_].is_string) corrupt("sv39sim.event is not a string");
  for (unsigned u = 0; u < kUnits; ++u) {
    const Unit unit = static_cast<Unit>(u);
    unit_events_[u] = find(std::string(unit_name(unit)) + ".events");
    for (const FieldSpec& f : kFields) {
      const bool own =
          f.where == kFixed || (f.where == kTlb && is_tlb(unit)) || (f.where == kCache && is_cache(unit));
      if (!own) continue;
      // A field an older recorder did not have stays 0.
      const auto it =
          by_name_.find(std::string(unit_name(f.where == kFixed ? f.scope : unit)) + "." + f.signal);
      if (it == by_name_.end()) continue;
      targets_[static_cast<unsigned>(f.kind)][u].push_back({it->second, f.field, f.when});
      Signal& s = signals_[it->second];
      s.mapped = true;
      s.field = f.field;
    }
  }
}

void Reader::change(uint64_t t, fstHandle h, const unsigned char* v, uint32_t len) {
  if (error_) return;
  if (h == 0 || h > signals_.size()) return;  // a signal outside sv39sim's scopes
  if (started_ && t != now_) {
    try {
      if (t < now_)
        corrupt("time goes back from " + std::to_string(now_) + " to " + std::to_string(t) + " ps");
      decode_step();
    } catch (...) {
      error_ = std::current_exception();
      return;
    }
  }
  started_ = true;
  now_ = t;
  Signal& s = signals_[h - 1];
  if (s.name.empty()) return;
  if (s.changes.empty() && s.strings.empty()) touched_.push_back(h - 1);
  if (s.is_string) {
    s.strings.emplace_back(reinterpret_cast<const char*>(v), len);
  } else {
    s.changes.push_back(bits_value(v, s.bits));
  }
}

// The changes of one signal in this picosecond, given to the events the recorder wrote it for. Late: the
// last writers take them, the first ones kept the old value; exact when the writer repeats values after
// a change (kWavesRepeatVersion), and for seq, which only the stream's first event writes unchanged.
// Early (older writers): the first writers take the changes, later ones repeat the last.
void Reader::assign(Signal& s, bool changes_late, Field f) {
  const size_t n = s.changes.size(), m = s.writers.size();
  if (n > m) {
    corrupt(s.name + " changes " + std::to_string(n) + " times at " + std::to_string(now_) + " ps for " +
            std::to_string(m) + " events writing it");
  }
  uint64_t before = s.value;
  const size_t skip = changes_late ? m - n : 0;
  for (size_t i = 0; i < m; ++i) {
    uint64_t v = before;
    if (i >= skip && i - skip < n) v = s.changes[i - skip];
    store(step_[s.writers[i]], f, v, before);
    before = v;
  }
  if (n) s.value = s.changes.back();
  s.changes.clear();
  s.writers.clear();
}

bool parse_event(const std::string& name, Event* e) {
  const size_t dot = name.find('.');
  if (dot == std::string::npos) return false;
  bool unit = false, kind = false;
  for (unsigned u = 0; u < kUnits && !unit; ++u) {
    if (name.compare(0, dot, unit_name(static_cast<Unit>(u))) != 0) continue;
    e->unit = static_cast<Unit>(u);
    unit = true;
  }
  for (unsigned k = 0; k < kEventKinds && !kind; ++k) {
    if (name.compare(dot + 1, std::string::npos, event_kind_name(static_cast<EventKind>(k))) != 0) continue;
    e->kind = static_cast<EventKind>(k);
    kind = true;
  }
  return unit && kind;
}

void Reader::decode_step() {
  const std::string at = " at " + std::to_string(now_) + " ps";
  // The recorder's first picosecond starts with every signal's initial value, before any event's.
  if (first_step_) {
    first_step_ = false;
    for (Signal& s : signals_) {
      if (s.is_string || s.changes.empty()) continue;
      s.value = s.changes.front();
      s.changes.erase(s.changes.begin());
    }
  }
  step_.clear();
  Signal& names = signals_[event_];
  unsigned per_unit[kUnits] = {};
  for (const std::string& name : names.strings) {
    Event e;
    e.time_ps = now_;
    if (!parse_event(name, &e)) corrupt("unknown event '" + name + "'" + at);
    ++per_unit[static_cast<unsigned>(e.unit)];
    step_.push_back(e);
  }
  names.strings.clear();
  for (unsigned u = 0; u < kUnits; ++u) {
    Signal& count = signals_[unit_events_[u]];
    if (count.changes.size() != per_unit[u]) {
      corrupt(count.name + " counts " + std::to_string(count.changes.size()) + " events" + at +
              ", the event row " + std::to_string(per_unit[u]));
    }
    if (!count.changes.empty()) count.value = count.changes.back();
    count.changes.clear();
  }
  for (uint32_t i = 0; i < step_.size(); ++i) {
    signals_[seq_].writers.push_back(i);
    signals_[instret_].writers.push_back(i);
  }
  assign(signals_[seq_], true, Field::Seq);
  assign(signals_[instret_], repeats_, Field::Instret);
  // Unconditional fields first: the conditions read fields (outcome, the fence scope) decoded by then.
  std::vector<uint32_t> written_now;
  for (const bool conditional : {false, true}) {
    written_now.clear();
    for (uint32_t i = 0; i < step_.size(); ++i) {
      const Event& e = step_[i];
      for (const Target& t : targets_[static_cast<unsigned>(e.kind)][static_cast<unsigned>(e.unit)]) {
        if ((t.when != When::Always) != conditional || !written(t.when, e)) continue;
        Signal& s = signals_[t.signal];
        if (s.writers.empty()) written_now.push_back(t.signal);
        s.writers.push_back(i);
      }
    }
    for (uint32_t k : written_now) assign(signals_[k], repeats_, signals_[k].field);
  }
  // What no event wrote: strobes, the walker's state, the disk's queue, each unit's `kind`.
  for (uint32_t k : touched_) {
    Signal& s = signals_[k];
    s.strings.clear();  // notes, not events (the window row)
    if (s.changes.empty()) continue;
    if (s.mapped) corrupt(s.name + " changes" + at + " with no event writing it");
    s.value = s.changes.back();
    s.changes.clear();
  }
  touched_.clear();
  if (on_event_) {
    for (const Event& e : step_) (*on_event_)(e);
  } else {
    out_.events.insert(out_.events.end(), step_.begin(), step_.end());
  }
}

WaveFile Reader::read() {
  struct stat st {};
  if (::stat(path_.c_str(), &st) != 0)
    throw InputError("waves: cannot read " + path_ + ": " + std::strerror(errno));
  if (S_ISDIR(st.st_mode)) throw InputError("waves: " + path_ + " is a directory, not an FST file");
  std::unique_ptr<void, void (*)(void*)> fst(fstReaderOpen(path_.c_str()), fstReaderClose);
  if (!fst) throw InputError("waves: " + path_ + ": not an FST file, or damaged");
  if (fstReaderGetTimescale(fst.get()) != -12) corrupt("its time unit is not 1 ps");
  const char* version = fstReaderGetVersionString(fst.get());
  repeats_ = version && std::strcmp(version, kWavesRepeatVersion) == 0;
  read_hierarchy(fst.get());
  out_.end_ps = fstReaderGetEndTime(fst.get());
  fstReaderSetFacProcessMaskAll(fst.get());
  fstReaderIterBlocks2(fst.get(), on_value, on_varlen, this, nullptr);
  if (error_) std::rethrow_exception(error_);
  if (started_) decode_step();
  return std::move(out_);
}

}  // namespace

WaveFile read_waves(const std::string& path) {
  return Reader(path, nullptr).read();
}

WaveFile read_waves(const std::string& path, const std::function<void(const Event&)>& on_event) {
  return Reader(path, &on_event).read();
}

}  // namespace sv39sim
