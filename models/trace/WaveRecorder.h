// Records the event stream (models/sim/Event.h) as an FST waveform for GTKWave, as an ordered sink of the
// EventBus: one scope per unit under `sv39sim`, holding the fields that unit's events carry.
//
// Events are instants: a field signal takes the value of the latest event that carries it and keeps it. So
// that events at the same picosecond do not hide each other, every unit counts its events (`events`), and
// each event kind has a strobe that is 1 for one picosecond at the event's time. Enumerated fields carry
// FST enum tables (GTKWave shows the names); addresses and PTEs are 64-bit vectors (hex in GTKWave).
// The signals of each scope: build_scopes in WaveRecorder.cpp.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "models/sim/EventBus.h"
#include "models/trace/WaveWindow.h"

namespace sv39sim {

class WaveRecorder : public WaveOutput {
 public:
  // Creates `path` (throws InputError naming it if it cannot). `marker_names[code]` names the pager's
  // marker codes (firmware/kernel/abi.h) in an enum table; with none, codes show as numbers.
  explicit WaveRecorder(const std::string& path, const std::vector<std::string>& marker_names = {});
  ~WaveRecorder() override;
  WaveRecorder(const WaveRecorder&) = delete;
  WaveRecorder& operator=(const WaveRecorder&) = delete;

  void on_event(const Event& e) override;
  // Ends the waves at `time_ps` and closes the file; later events are ignored.
  void on_end(uint64_t time_ps) override;

  uint64_t events() const { return events_; }

  // --- Size bound and notes, for WaveWindow (trace.waves.max_bytes) ---
  bool fits(uint64_t time_ps, uint64_t max_bytes) override;
  void note(uint64_t time_ps, const std::string& text) override;  // into the string signal sv39sim.window
  // An upper bound on the file's size if it were closed after one more event and one more note.
  uint64_t size_bound() const;
  // --- end size bound ---

  struct Var {
    uint32_t handle = 0;  // fstHandle
    uint32_t bits = 0;    // 0: a string
    uint32_t index = 0;   // into last_
  };

 private:
  struct Common {
    Var events, kind;
    uint64_t count = 0;
  };
  struct TlbVars {
    Var lookup, access, va, asid, outcome, level, set, way;
    Var fill, fill_va, fill_asid, fill_level, fill_set, fill_way, fill_pa, fill_pte, fill_global,
        fill_leaf_level, fill_reason, victim_va, victim_asid;
    Var inval, inval_va, inval_asid, inval_level, inval_set, inval_way, inval_reason;
  };
  struct PwcVars {
    Var lookup, va, asid, outcome, level, set, way, table;
    Var fill, fill_level, fill_set, fill_way, fill_table, fill_reason, victim_va;
    Var inval, inval_level, inval_set, inval_way;
  };
  struct WalkerVars {
    Var state, start, va, access, satp, start_level;
    Var pte_read, pte_addr, pte_value, level, served_by, pte_latency_ps, pte_access_fault;
    Var pte_write, write_addr, write_value, write_old, write_latency_ps;
    Var end, result, cause, leaf_level, pa, walk_latency_ps;
    unsigned active = 0;
  };
  struct HartVars {
    Var priv, satp;
    Var fault, fault_cause, fault_tval, fault_access;
    Var sfence, sfence_scope, sfence_satp_flush, sfence_va, sfence_asid;
    Var satp_write;
    Var trap, trap_cause, trap_tval, trap_pc;
    Var xret, xret_kind, xret_pc;
    Var xlate, xlate_va, xlate_access, xlate_priv, xlate_source, xlate_pa, xlate_page_size, xlate_fault,
        xlate_cause;
  };
  struct CacheVars {
    Var miss, line, requester, write, latency_ps;
  };
  struct DramVars {
    Var access, addr, write, row_kind, bank, row, latency_ps;
  };
  struct DiskVars {
    Var request, complete, op, sector, bytes, latency_ps, outstanding;
    unsigned active = 0;
  };
  struct PagerVars {
    Var marker, code, arg0, arg1, arg2;
  };

  void build_scopes(const std::vector<std::string>& marker_names);
  // An enum table, written to the file with the first variable that uses it; returns its id for var().
  uint32_t declare_enum(const char* name, unsigned bits, std::vector<std::pair<uint64_t, std::string>> items);
  Var var(const char* name, unsigned bits, uint32_t enum_id = 0);
  Var string_var(const char* name);
  void set(const Var& v, uint64_t value);
  void set_string(const Var& v, const std::string& s);
  void pulse(const Var& v);
  void advance(uint64_t time_ps);
  void time(uint64_t time_ps);
  void record(const Event& e);
  void count_change(uint64_t bytes) { pending_bytes_ += bytes; }  // size bound

  void* fst_ = nullptr;
  std::string path_;
  struct EnumSpec {
    std::string name;
    unsigned bits;
    std::vector<std::pair<uint64_t, std::string>> items;
    uint32_t handle;  // fstEnumHandle once written, 0 before
  };
  std::vector<EnumSpec> enums_;
  std::vector<Var> vars_;
  std::vector<uint64_t> last_;
  std::vector<uint64_t> changed_at_;  // 1 + the picosecond the signal last changed in (0: never)
  std::vector<Var> pulsed_;           // strobes to drop one ps after now_
  uint64_t now_ = 0, events_ = 0;
  bool closed_ = false;
  // Size bound: the file's size after the last block fstapi wrote, an upper bound on the block it buffers,
  // and on what closing adds (hierarchy, geometry).
  uint64_t file_bytes_ = 0, pending_bytes_ = 0, close_bytes_ = 0;
  bool flush_requested_ = false;

  Var seq_, instret_, event_, window_;
  Common units_[kUnits];
  TlbVars tlb_[3];  // itlb, dtlb, l2tlb
  PwcVars pwc_;
  WalkerVars walker_;
  HartVars hart_;
  CacheVars cache_[3];  // l1i, l1d, l2
  DramVars dram_;
  DiskVars disk_;
  PagerVars pager_;
};

}  // namespace sv39sim
