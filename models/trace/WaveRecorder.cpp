#include "models/trace/WaveRecorder.h"

#include <fstapi.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "models/arch/Csr.h"
#include "models/sim/InputError.h"
#include "models/trace/WaveReader.h"

namespace sv39sim {

namespace {

// Enum value strings are the signal's bits, most significant first (what GTKWave matches on).
std::string bits_of(uint64_t v, unsigned bits) {
  std::string s(bits, '0');
  for (unsigned i = 0; i < bits; ++i) s[bits - 1 - i] = static_cast<char>('0' + ((v >> i) & 1));
  return s;
}

// fstapi's reader (GTKWave's too) cuts an attribute at 512 characters, and a table is one attribute:
// "name count literals... values...". Entries past that are left out, so they show as numbers.
constexpr size_t kMaxEnumAttr = 512;

uint32_t enum_table(void* fst, const char* name, unsigned bits,
                    const std::vector<std::pair<uint64_t, std::string>>& items) {
  std::vector<std::string> values;
  std::vector<const char*> names, value_ptrs;
  size_t length = std::strlen(name) + 4;  // name, spaces, and up to a 2-digit count
  for (const auto& [v, n] : items) {
    length += n.size() + 1 + bits + 1;
    if (length > kMaxEnumAttr) break;
    values.push_back(bits_of(v, bits));
  }
  for (size_t i = 0; i < values.size(); ++i) {
    names.push_back(items[i].second.c_str());
    value_ptrs.push_back(values[i].c_str());
  }
  return fstWriterCreateEnumTable(fst, name, static_cast<uint32_t>(values.size()), bits, names.data(),
                                  value_ptrs.data());
}

std::vector<std::pair<uint64_t, std::string>> names(std::initializer_list<const char*> list) {
  std::vector<std::pair<uint64_t, std::string>> items;
  for (const char* n : list) items.emplace_back(items.size(), n);
  return items;
}

constexpr uint64_t kEventsPerBlock = 8192;  // 1.2M-event test stream: 1.9 -> 0.6 us per event, +2% size

// --- Size bound (trace.waves.max_bytes) ---
// fstapi buffers value changes uncompressed, and writes a block's changes per signal, each chain packed or
// compressed only when that is smaller: so each change costs at most its value (one byte per bit, the
// string's bytes) and a varint or two. A time change is one varint in the block's time table.
constexpr uint64_t kChangeOverhead = 5, kStringOverhead = 10, kTimeChangeBytes = 10;
// Each block adds a header, the time table's trailer, and per signal a chain length and a position entry.
constexpr uint64_t kBlockBytes = 256, kBlockBytesPerVar = 10;
// Closing adds the hierarchy (names, scopes, enum tables, each under 512 bytes), and the geometry; and the
// section header fstapi may still hold in its FILE buffer. Checked against real files in test_wave_window.
constexpr uint64_t kCloseBytes = 24576, kCloseBytesPerVar = 48;
// The most one event can add: a TLB fill changes 17 signals of up to 64 bits, plus the common ones, the
// `event` string and two time changes (about 1.6 KB); and a note of up to kNoteChars.
constexpr uint64_t kEventBytes = 4096, kNoteChars = 256, kNoteBytes = kNoteChars + kStringOverhead;

uint64_t file_size(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 ? static_cast<uint64_t>(st.st_size) : 0;
}
// --- end size bound ---

// Trap and fault causes in 8 bits: the exception code, or 0x80 | the interrupt number.
constexpr unsigned kCauseBits = 8;
uint64_t cause8(uint64_t mcause) {
  return (mcause & 0x7f) | ((mcause & cause::kInterrupt) ? 0x80 : 0);
}

}  // namespace

WaveRecorder::WaveRecorder(const std::string& path, const std::vector<std::string>& marker_names)
    : path_(path) {
  fst_ = fstWriterCreate(path.c_str(), 1);
  if (!fst_) throw InputError("waves: cannot write " + path + ": " + std::strerror(errno));
  fstWriterSetTimescale(fst_, -12);  // 1 ps: DRAM timing parameters are whole picoseconds
  fstWriterSetPackType(fst_, FST_WR_PT_LZ4);
  fstWriterSetVersion(fst_, kWavesRepeatVersion);  // tells WaveReader that set() repeats (below)
  build_scopes(marker_names);
  // Every signal starts defined at 0 (not X); the hart starts in M-mode, the walker idle.
  last_[hart_.priv.index] = static_cast<uint64_t>(Priv::M);
  time(0);
  for (const Var& v : vars_) {
    if (v.bits) fstWriterEmitValueChange64(fst_, v.handle, v.bits, last_[v.index]);
    count_change(v.bits + kChangeOverhead);
  }
  file_bytes_ = file_size(path_);
  close_bytes_ = kCloseBytes + kCloseBytesPerVar * vars_.size();
}

WaveRecorder::~WaveRecorder() {
  if (!closed_) fstWriterClose(fst_);
}

// fstapi leaves a table's attribute open, and GTKWave gives it to the next variable declared: so each table
// is written just before the first variable that uses it, never before one that does not.
uint32_t WaveRecorder::declare_enum(const char* name, unsigned bits,
                                    std::vector<std::pair<uint64_t, std::string>> items) {
  enums_.push_back({name, bits, std::move(items), 0});
  return static_cast<uint32_t>(enums_.size());
}

WaveRecorder::Var WaveRecorder::var(const char* name, unsigned bits, uint32_t enum_id) {
  if (enum_id) {
    EnumSpec& t = enums_[enum_id - 1];
    if (!t.handle) t.handle = enum_table(fst_, t.name.c_str(), t.bits, t.items);
    fstWriterEmitEnumTableRef(fst_, t.handle);
  }
  Var v;
  v.handle = fstWriterCreateVar(fst_, FST_VT_SV_LOGIC, FST_VD_IMPLICIT, bits, name, 0);
  v.bits = bits;
  v.index = static_cast<uint32_t>(last_.size());
  last_.push_back(0);
  changed_at_.push_back(0);
  vars_.push_back(v);
  return v;
}

WaveRecorder::Var WaveRecorder::string_var(const char* name) {
  Var v;
  v.handle = fstWriterCreateVar(fst_, FST_VT_GEN_STRING, FST_VD_IMPLICIT, 0, name, 0);
  v.index = static_cast<uint32_t>(last_.size());
  last_.push_back(0);
  changed_at_.push_back(0);
  vars_.push_back(v);
  return v;
}

void WaveRecorder::build_scopes(const std::vector<std::string>& marker_names) {
  void* f = fst_;
  const uint32_t kind_t = [&] {
    std::vector<std::pair<uint64_t, std::string>> items;
    for (unsigned k = 0; k < kEventKinds; ++k)
      items.emplace_back(k, event_kind_name(static_cast<EventKind>(k)));
    return declare_enum("event_kind", 5, items);
  }();
  const uint32_t access_t = declare_enum("access", 2, names({"fetch", "load", "store"}));
  const uint32_t outcome_t = declare_enum("lookup_outcome", 2, names({"hit", "miss", "denied"}));
  const uint32_t page_t = declare_enum("page_size", 2, names({"4KiB", "2MiB", "1GiB"}));
  const uint32_t fill_t = declare_enum("fill_reason", 1, names({"invalid_way", "replaced"}));
  const uint32_t inval_t = declare_enum(
      "invalidate_reason", 3,
      names({"fence_all", "fence_asid", "fence_va", "fence_va_asid", "satp_write", "denied", "refill"}));
  const uint32_t served_t = declare_enum("served_by", 2, names({"l1d", "l2", "memory", "pwc"}));
  const uint32_t state_t = declare_enum("walker_state", 1, names({"idle", "walking"}));
  const uint32_t result_t = declare_enum("walk_result", 1, names({"ok", "fault"}));
  const uint32_t cause_t = [&] {
    std::vector<std::pair<uint64_t, std::string>> items;
    // The causes the spec defines (reserved codes would not fit the 512 characters).
    for (uint64_t c : {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 13, 15}) items.emplace_back(c, cause::name(c));
    for (uint64_t i : {1, 3, 5, 7, 9, 11}) items.emplace_back(0x80 | i, cause::name(cause::kInterrupt | i));
    return declare_enum("cause", kCauseBits, items);
  }();
  const uint32_t priv_t = declare_enum("privilege", 2, {{0, "U"}, {1, "S"}, {3, "M"}});
  const uint32_t xret_t = declare_enum("xret", 1, names({"mret", "sret"}));
  const uint32_t source_t =
      declare_enum("translation_source", 2, names({"bare", "l1_tlb", "l2_tlb", "walk"}));
  const uint32_t sfence_t = declare_enum("sfence_scope", 2, names({"all", "va", "asid", "va_asid"}));
  const uint32_t requester_t = declare_enum("requester", 2, names({"fetch", "load", "store", "walker"}));
  const uint32_t row_t = declare_enum("row_kind", 2, names({"row_hit", "row_empty", "row_conflict"}));
  const uint32_t disk_t = declare_enum("disk_op", 2, names({"read", "write", "other"}));
  uint32_t marker_t = 0;
  if (!marker_names.empty()) {
    std::vector<std::pair<uint64_t, std::string>> items;
    for (size_t i = 0; i < marker_names.size() && i < 256; ++i) items.emplace_back(i, marker_names[i]);
    marker_t = declare_enum("pager_marker", 8, items);
  }

  fstWriterSetScope(f, FST_ST_VCD_MODULE, "sv39sim", nullptr);
  seq_ = var("seq", 64);
  instret_ = var("instret", 64);
  event_ = string_var("event");    // "unit.kind" of the latest event: one row that names everything
  window_ = string_var("window");  // notes of the WaveWindow: which part of the run the file holds
  for (unsigned u = 0; u < kUnits; ++u) {
    fstWriterSetScope(f, FST_ST_VCD_MODULE, unit_name(static_cast<Unit>(u)), nullptr);
    units_[u].events = var("events", 32);
    units_[u].kind = var("kind", 5, kind_t);
    const Unit unit = static_cast<Unit>(u);
    if (unit == Unit::Itlb || unit == Unit::Dtlb || unit == Unit::L2tlb) {
      TlbVars& t = tlb_[u - static_cast<unsigned>(Unit::Itlb)];
      t.lookup = var("lookup", 1);
      t.access = var("access", 2, access_t);
      t.va = var("va", 64);
      t.asid = var("asid", 16);
      t.outcome = var("outcome", 2, outcome_t);
      t.level = var("page_size", 2, page_t);
      t.set = var("set", 32);
      t.way = var("way", 32);
      t.fill = var("fill", 1);
      t.fill_va = var("fill_va", 64);
      t.fill_asid = var("fill_asid", 16);
      t.fill_level = var("fill_page_size", 2, page_t);
      t.fill_set = var("fill_set", 32);
      t.fill_way = var("fill_way", 32);
      t.fill_pa = var("fill_pa", 64);
      t.fill_pte = var("fill_pte", 64);
      t.fill_global = var("fill_global", 1);
      t.fill_leaf_level = var("fill_leaf_page_size", 2, page_t);
      t.fill_reason = var("fill_reason", 1, fill_t);
      t.victim_va = var("victim_va", 64);
      t.victim_asid = var("victim_asid", 16);
      t.inval = var("invalidate", 1);
      t.inval_va = var("inval_va", 64);
      t.inval_asid = var("inval_asid", 16);
      t.inval_level = var("inval_page_size", 2, page_t);
      t.inval_set = var("inval_set", 32);
      t.inval_way = var("inval_way", 32);
      t.inval_reason = var("inval_reason", 3, inval_t);
    } else if (unit == Unit::Pwc) {
      PwcVars& p = pwc_;
      p.lookup = var("lookup", 1);
      p.va = var("va", 64);
      p.asid = var("asid", 16);
      p.outcome = var("outcome", 2, outcome_t);
      p.level = var("level", 2);
      p.set = var("set", 32);
      p.way = var("way", 32);
      p.table = var("table", 64);
      p.fill = var("fill", 1);
      p.fill_level = var("fill_level", 2);
      p.fill_set = var("fill_set", 32);
      p.fill_way = var("fill_way", 32);
      p.fill_table = var("fill_table", 64);
      p.fill_reason = var("fill_reason", 1, fill_t);
      p.victim_va = var("victim_va", 64);
      p.inval = var("invalidate", 1);
      p.inval_level = var("inval_level", 2);
      p.inval_set = var("inval_set", 32);
      p.inval_way = var("inval_way", 32);
    } else if (unit == Unit::Walker) {
      WalkerVars& w = walker_;
      w.state = var("state", 1, state_t);
      w.start = var("start", 1);
      w.va = var("va", 64);
      w.access = var("access", 2, access_t);
      w.satp = var("satp", 64);
      w.start_level = var("start_level", 2);
      w.pte_read = var("pte_read", 1);
      w.pte_addr = var("pte_addr", 64);
      w.pte_value = var("pte_value", 64);
      w.level = var("level", 2);
      w.served_by = var("served_by", 2, served_t);
      w.pte_latency_ps = var("pte_latency_ps", 64);
      w.pte_access_fault = var("pte_access_fault", 1);
      w.pte_write = var("pte_write", 1);
      w.write_addr = var("write_addr", 64);
      w.write_value = var("write_value", 64);
      w.write_old = var("write_old", 64);
      w.write_latency_ps = var("write_latency_ps", 64);
      w.end = var("end", 1);
      w.result = var("result", 1, result_t);
      w.cause = var("cause", kCauseBits, cause_t);
      w.leaf_level = var("leaf_level", 2);
      w.pa = var("pa", 64);
      w.walk_latency_ps = var("walk_latency_ps", 64);
    } else if (unit == Unit::Hart) {
      HartVars& h = hart_;
      h.priv = var("priv", 2, priv_t);
      h.satp = var("satp", 64);
      h.fault = var("fault", 1);
      h.fault_cause = var("fault_cause", kCauseBits, cause_t);
      h.fault_tval = var("fault_tval", 64);
      h.fault_access = var("fault_access", 2, access_t);
      h.sfence = var("sfence", 1);
      h.sfence_scope = var("sfence_scope", 2, sfence_t);
      h.sfence_satp_flush = var("sfence_satp_flush", 1);
      h.sfence_va = var("sfence_va", 64);
      h.sfence_asid = var("sfence_asid", 16);
      h.satp_write = var("satp_write", 1);
      h.trap = var("trap", 1);
      h.trap_cause = var("trap_cause", kCauseBits, cause_t);
      h.trap_tval = var("trap_tval", 64);
      h.trap_pc = var("trap_pc", 64);
      h.xret = var("xret", 1);
      h.xret_kind = var("xret_kind", 1, xret_t);
      h.xret_pc = var("xret_pc", 64);
      h.xlate = var("xlate", 1);
      h.xlate_va = var("xlate_va", 64);
      h.xlate_access = var("xlate_access", 2, access_t);
      h.xlate_priv = var("xlate_priv", 2, priv_t);
      h.xlate_source = var("xlate_source", 2, source_t);
      h.xlate_pa = var("xlate_pa", 64);
      h.xlate_page_size = var("xlate_page_size", 2, page_t);
      h.xlate_fault = var("xlate_fault", 1);
      h.xlate_cause = var("xlate_cause", kCauseBits, cause_t);
    } else if (unit == Unit::L1i || unit == Unit::L1d || unit == Unit::L2) {
      CacheVars& c = cache_[u - static_cast<unsigned>(Unit::L1i)];
      c.miss = var("miss", 1);
      c.line = var("line", 64);
      c.requester = var("requester", 2, requester_t);
      c.write = var("write", 1);
      c.latency_ps = var("latency_ps", 64);
    } else if (unit == Unit::Dram) {
      DramVars& d = dram_;
      d.access = var("access", 1);
      d.addr = var("addr", 64);
      d.write = var("write", 1);
      d.row_kind = var("row_kind", 2, row_t);
      d.bank = var("bank", 32);
      d.row = var("row", 32);
      d.latency_ps = var("latency_ps", 64);
    } else if (unit == Unit::Disk) {
      DiskVars& d = disk_;
      d.request = var("request", 1);
      d.complete = var("complete", 1);
      d.op = var("op", 2, disk_t);
      d.sector = var("sector", 64);
      d.bytes = var("bytes", 32);
      d.latency_ps = var("latency_ps", 64);
      d.outstanding = var("outstanding", 32);
    } else if (unit == Unit::Pager) {
      PagerVars& p = pager_;
      p.marker = var("marker", 1);
      p.code = var("code", 8, marker_t);
      p.arg0 = var("arg0", 64);
      p.arg1 = var("arg1", 64);
      p.arg2 = var("arg2", 64);
    }
    fstWriterSetUpscope(f);
  }
  fstWriterSetUpscope(f);
}

void WaveRecorder::time(uint64_t time_ps) {
  fstWriterEmitTimeChange(fst_, time_ps);
  now_ = time_ps;
  // A requested block is written at this time change: the file now holds it (size bound).
  if (flush_requested_) {
    flush_requested_ = false;
    const uint64_t size = file_size(path_);
    if (size > file_bytes_) {
      file_bytes_ = size;
      pending_bytes_ = 0;
    }
  }
  count_change(kTimeChangeBytes);
}

// Strobes are 1 for one picosecond: at the next later time, those raised drop back to 0 first.
void WaveRecorder::advance(uint64_t time_ps) {
  if (time_ps <= now_) return;
  if (!pulsed_.empty()) {
    time(now_ + 1);
    for (const Var& v : pulsed_) set(v, 0);
    pulsed_.clear();
  }
  if (time_ps > now_) time(time_ps);
}

// Only changes are written: a field that an event repeats costs nothing. But FST keeps the order of one
// signal's changes, not of changes across signals in one picosecond: so that a reader can tell which of
// the picosecond's events each change belongs to, once a signal changed in this picosecond every later
// write of it here is written too, even when equal. The writes left out are then the first ones
// (WaveReader decodes it so; +14% file size on the pager workload).
void WaveRecorder::set(const Var& v, uint64_t value) {
  if (v.bits < 64) value &= (1ull << v.bits) - 1;
  if (last_[v.index] == value && changed_at_[v.index] != now_ + 1) return;
  last_[v.index] = value;
  changed_at_[v.index] = now_ + 1;
  fstWriterEmitValueChange64(fst_, v.handle, v.bits, value);
  count_change(v.bits + kChangeOverhead);
}

// Written every time, even when equal: the `event` row shows each event, two PTE reads in a row too.
void WaveRecorder::set_string(const Var& v, const std::string& s) {
  fstWriterEmitVariableLengthValueChange(fst_, v.handle, s.data(), static_cast<uint32_t>(s.size()));
  count_change(s.size() + kStringOverhead);
}

// A strobe rises once per picosecond, however many events raise it.
void WaveRecorder::pulse(const Var& v) {
  if (last_[v.index] != 0) return;
  pulsed_.push_back(v);
  set(v, 1);
}

void WaveRecorder::on_event(const Event& e) {
  if (closed_) return;
  advance(e.time_ps);
  // fstapi buffers value changes as chains per signal and walks them when it writes a block; with its
  // default 128 MiB buffer that walk misses the cache on every change (4x slower). Small blocks stay in it.
  if (++events_ % kEventsPerBlock == 0) {
    fstWriterFlushContext(fst_);
    flush_requested_ = true;
  }
  const auto u = static_cast<unsigned>(e.unit);
  if (u >= kUnits) return;
  set(seq_, e.seq);
  set(instret_, e.instret);
  set_string(event_, std::string(unit_name(e.unit)) + "." + event_kind_name(e.kind));
  set(units_[u].events, ++units_[u].count);
  set(units_[u].kind, static_cast<uint64_t>(e.kind));
  record(e);
}

// The kind-specific fields. An event published under a unit that does not have them (a publisher's
// mistake) still counts in its unit's `events` and `kind`.
void WaveRecorder::record(const Event& e) {
  const auto u = static_cast<unsigned>(e.unit);
  const bool tlb = e.unit == Unit::Itlb || e.unit == Unit::Dtlb || e.unit == Unit::L2tlb;
  const bool cache = e.unit == Unit::L1i || e.unit == Unit::L1d || e.unit == Unit::L2;
  switch (e.kind) {
    case EventKind::TlbLookup:
      if (tlb) {
        TlbVars& t = tlb_[u - static_cast<unsigned>(Unit::Itlb)];
        pulse(t.lookup);
        set(t.access, e.access);
        set(t.va, e.va);
        set(t.asid, e.asid);
        set(t.outcome, e.outcome);
        if (e.outcome != static_cast<uint8_t>(LookupOutcome::Miss)) {
          set(t.level, e.level);
          set(t.set, e.set);
          set(t.way, e.way);
        }
      }
      break;
    case EventKind::TlbFill:
      if (tlb) {
        TlbVars& t = tlb_[u - static_cast<unsigned>(Unit::Itlb)];
        pulse(t.fill);
        set(t.fill_va, e.va);
        set(t.fill_asid, e.asid);
        set(t.fill_level, e.level);
        set(t.fill_set, e.set);
        set(t.fill_way, e.way);
        set(t.fill_pa, e.pa);
        set(t.fill_pte, e.data);
        set(t.fill_global, e.aux & 1);
        set(t.fill_leaf_level, (e.aux >> 8) & 3);
        set(t.fill_reason, e.outcome);
        if (e.outcome == static_cast<uint8_t>(FillReason::Replaced)) {
          set(t.victim_va, e.victim_va);
          set(t.victim_asid, e.victim_asid);
        }
      }
      break;
    case EventKind::TlbInvalidate:
      if (tlb) {
        TlbVars& t = tlb_[u - static_cast<unsigned>(Unit::Itlb)];
        pulse(t.inval);
        set(t.inval_va, e.va);
        set(t.inval_asid, e.asid);
        set(t.inval_level, e.level);
        set(t.inval_set, e.set);
        set(t.inval_way, e.way);
        set(t.inval_reason, e.outcome);
      }
      break;
    case EventKind::PwcLookup:
      pulse(pwc_.lookup);
      set(pwc_.va, e.va);
      set(pwc_.asid, e.asid);
      set(pwc_.outcome, e.outcome);
      set(pwc_.level, e.level);
      set(pwc_.set, e.set);
      if (e.outcome == static_cast<uint8_t>(LookupOutcome::Hit)) {
        set(pwc_.way, e.way);
        set(pwc_.table, e.pa);
      }
      break;
    case EventKind::PwcFill:
      pulse(pwc_.fill);
      set(pwc_.fill_level, e.level);
      set(pwc_.fill_set, e.set);
      set(pwc_.fill_way, e.way);
      set(pwc_.fill_table, e.pa);
      set(pwc_.fill_reason, e.outcome);
      if (e.outcome == static_cast<uint8_t>(FillReason::Replaced)) set(pwc_.victim_va, e.victim_va);
      break;
    case EventKind::PwcInvalidate:
      pulse(pwc_.inval);
      set(pwc_.inval_level, e.level);
      set(pwc_.inval_set, e.set);
      set(pwc_.inval_way, e.way);
      break;
    case EventKind::WalkStart:
      ++walker_.active;
      set(walker_.state, 1);
      pulse(walker_.start);
      set(walker_.va, e.va);
      set(walker_.access, e.access);
      set(walker_.satp, e.data);
      set(walker_.start_level, e.level);
      break;
    case EventKind::PteRead:
      pulse(walker_.pte_read);
      set(walker_.pte_addr, e.pa);
      set(walker_.pte_value, e.data);
      set(walker_.level, e.level);
      set(walker_.served_by, e.outcome);
      set(walker_.pte_latency_ps, e.latency_ps);
      set(walker_.pte_access_fault, e.aux & 1);
      break;
    case EventKind::PteWrite:
      pulse(walker_.pte_write);
      set(walker_.write_addr, e.pa);
      set(walker_.write_value, e.data);
      set(walker_.write_old, e.aux);
      set(walker_.write_latency_ps, e.latency_ps);
      break;
    case EventKind::WalkEnd:
      if (walker_.active) --walker_.active;
      set(walker_.state, walker_.active ? 1 : 0);
      pulse(walker_.end);
      set(walker_.result, e.outcome);
      if (e.outcome) set(walker_.cause, cause8(e.aux));
      set(walker_.leaf_level, e.level);
      set(walker_.pa, e.pa);
      set(walker_.walk_latency_ps, e.latency_ps);
      break;
    case EventKind::Fault:
      pulse(hart_.fault);
      set(hart_.fault_cause, cause8(e.aux));
      set(hart_.fault_tval, e.va);
      set(hart_.fault_access, e.access);
      break;
    case EventKind::Sfence:
      pulse(hart_.sfence);
      set(hart_.sfence_scope, e.aux & 3);
      set(hart_.sfence_satp_flush, (e.aux >> 2) & 1);
      if (e.aux & 1) set(hart_.sfence_va, e.va);
      if (e.aux & 2) set(hart_.sfence_asid, e.asid);
      break;
    case EventKind::SatpWrite:
      pulse(hart_.satp_write);
      set(hart_.satp, e.data);
      break;
    case EventKind::TrapEnter:
      pulse(hart_.trap);
      set(hart_.trap_cause, cause8(e.aux));
      set(hart_.trap_tval, e.va);
      set(hart_.trap_pc, e.pa);
      set(hart_.priv, e.priv_to);
      break;
    case EventKind::TrapReturn:
      pulse(hart_.xret);
      set(hart_.xret_kind, e.outcome);
      set(hart_.xret_pc, e.pa);
      set(hart_.priv, e.priv_to);
      break;
    case EventKind::CacheMiss:
      if (cache) {
        CacheVars& c = cache_[u - static_cast<unsigned>(Unit::L1i)];
        pulse(c.miss);
        set(c.line, e.pa);
        set(c.requester, e.access);
        set(c.write, e.aux & 1);
        set(c.latency_ps, e.latency_ps);
      }
      break;
    case EventKind::DramAccess:
      pulse(dram_.access);
      set(dram_.addr, e.pa);
      set(dram_.write, e.aux & 1);
      set(dram_.row_kind, e.outcome);
      set(dram_.bank, e.set);
      set(dram_.row, e.way);
      set(dram_.latency_ps, e.latency_ps);
      break;
    case EventKind::DiskRequest:
    case EventKind::DiskComplete:
      if (e.kind == EventKind::DiskRequest) {
        ++disk_.active;
        pulse(disk_.request);
      } else {
        if (disk_.active) --disk_.active;
        pulse(disk_.complete);
        set(disk_.latency_ps, e.latency_ps);
      }
      set(disk_.outstanding, disk_.active);
      set(disk_.op, e.outcome);
      set(disk_.sector, e.aux);
      set(disk_.bytes, e.data);
      break;
    case EventKind::Translation:
      pulse(hart_.xlate);
      set(hart_.xlate_va, e.va);
      set(hart_.xlate_access, e.access);
      set(hart_.xlate_priv, e.priv);
      set(hart_.xlate_source, e.outcome);
      set(hart_.xlate_fault, e.data & 1);
      if (e.data & 1) {
        set(hart_.xlate_cause, cause8(e.aux));
      } else {
        set(hart_.xlate_pa, e.pa);
        set(hart_.xlate_page_size, e.level);
      }
      break;
    case EventKind::PagerMarker:
      pulse(pager_.marker);
      set(pager_.code, e.outcome);
      set(pager_.arg0, e.data);
      set(pager_.arg1, e.aux);
      set(pager_.arg2, e.va);
      break;
  }
}

void WaveRecorder::on_end(uint64_t time_ps) {
  if (closed_) return;
  advance(std::max(time_ps, pulsed_.empty() ? now_ : now_ + 1));  // strobes raised at the end still drop
  closed_ = true;
  fstWriterClose(fst_);
}

}  // namespace sv39sim

// --- Size bound and notes (WaveWindow) ---
namespace sv39sim {

uint64_t WaveRecorder::size_bound() const {
  const uint64_t block = pending_bytes_ ? pending_bytes_ + kBlockBytes + kBlockBytesPerVar * vars_.size() : 0;
  return file_bytes_ + block + close_bytes_ + kEventBytes + kNoteBytes;
}

bool WaveRecorder::fits(uint64_t time_ps, uint64_t max_bytes) {
  // Most of the bound is the buffered block at its uncompressed size: once it takes half the room left,
  // have fstapi write it out and measure the file instead. fstapi writes a block at a time change (here
  // the one the next event makes anyway), so the other half is for events that share this picosecond.
  const uint64_t rest = size_bound() - pending_bytes_;
  if (!closed_ && pending_bytes_ && time_ps > now_ && rest + 2 * pending_bytes_ > max_bytes) {
    fstWriterFlushContext(fst_);
    flush_requested_ = true;
    advance(time_ps);
  }
  return size_bound() <= max_bytes;
}

void WaveRecorder::note(uint64_t time_ps, const std::string& text) {
  if (closed_) return;
  advance(time_ps);
  set_string(window_, text.substr(0, kNoteChars));
}

}  // namespace sv39sim
// --- end size bound and notes ---
