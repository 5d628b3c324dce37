// DDR4 bank/row timing: when the PRE, ACT and RD/WR commands of one 64-byte access can issue and when its
// data is done, given every earlier access. Pure C++ so the MemoryController (which owns the queue and
// picks FCFS or FR-FCFS) and the unit tests drive it without a SystemC kernel.
//
// The model is transaction-level and forward-only: access() places a request's commands at the earliest
// cycles that respect the constraints left by the accesses committed before it, in call order. A later
// call never moves an earlier access, and a command is never placed before a command it has a constraint
// with, so the schedule is always legal, if sometimes later than a cycle-level controller's.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace sv39sim {

struct DramGeometry {
  unsigned channels = 1;
  unsigned ranks = 1;  // per channel
  unsigned bank_groups = 4;
  unsigned banks_per_group = 4;
  unsigned rows = 65536;
  unsigned columns = 1024;  // per row; one column is one bus-width beat
  unsigned bus_bits = 64;   // data width of a channel
  unsigned burst_length = 8;
  // Address fields from most to least significant: Ro row, Ba bank, Bg bank group, Ra rank, Co column,
  // Ch channel. Without Bg, Ba indexes all bank_groups x banks_per_group banks and its low bits pick the
  // group (as Ramulator2's RoBaRaCoCh does), so consecutive bank numbers alternate groups.
  std::string mapping = "RoBaRaCoCh";

  unsigned access_bytes() const { return bus_bits / 8 * burst_length; }
};

// Counts of DRAM clock cycles (tCK). Defaults are the DDR4-3200AA preset (see ddr4_3200aa).
struct DramTimingParams {
  uint64_t tCK_ps = 625;
  unsigned CL = 22;
  unsigned CWL = 16;
  unsigned tRCD = 22;
  unsigned tRP = 22;
  unsigned tRAS = 52;
  unsigned tRC = 74;
  unsigned tCCD_S = 4;
  unsigned tCCD_L = 8;
  unsigned tRRD_S = 4;
  unsigned tRRD_L = 8;
  unsigned tFAW = 34;
  unsigned tWR = 24;
  unsigned tRTP = 12;
  unsigned tWTR_S = 4;
  unsigned tWTR_L = 12;
  unsigned tRFC = 560;     // 350 ns
  unsigned tREFI = 12480;  // 7.8 us; 0 turns refresh off
};

enum class RowPolicy : uint8_t { Open, Closed };  // Closed: every RD/WR is an RDA/WRA (auto-precharge)

struct DramConfig {
  DramGeometry geometry;
  DramTimingParams timing;
  RowPolicy row_policy = RowPolicy::Open;
};

// DRAMSim3 DDR4_8Gb_x8_3200 / Ramulator2 DDR4_3200AA, one channel, one rank, open page: the member
// defaults of DramGeometry, DramTimingParams and DramConfig, which the config schema's dram.* take.
DramConfig ddr4_3200aa();
// Fills *out with the named preset ("DDR4_3200AA"); false if the name is unknown.
bool dram_preset(const std::string& name, DramConfig* out);
bool parse_row_policy(const std::string& text, RowPolicy* out);  // "open" | "closed"
// Datasheet times in ps (tRFC, tREFI) to whole cycles, rounding up as a controller must.
unsigned ps_to_cycles(uint64_t ps, uint64_t tCK_ps);

// Empty if the configuration is usable, else one sentence saying what is wrong, for the config layer to
// prefix with where the value came from.
std::string validate(const DramConfig& config);

struct DramLocation {
  unsigned channel = 0, rank = 0, bank_group = 0, bank = 0, row = 0;
  unsigned column = 0;  // column address of the burst's first beat: a multiple of burst_length

  bool operator==(const DramLocation& o) const {
    return channel == o.channel && rank == o.rank && bank_group == o.bank_group && bank == o.bank &&
           row == o.row && column == o.column;
  }
};

enum class RowKind : uint8_t { Hit, Empty, Conflict };  // Empty: the bank had no open row
const char* row_kind_name(RowKind kind);                // "row_hit", "row_empty", "row_conflict"

struct DramRequest {
  uint64_t addr = 0;
  bool write = false;
  uint64_t arrival_ps = 0;
};

struct DramAccess {
  DramLocation where;
  RowKind kind = RowKind::Hit;
  uint64_t pre_ps = 0;     // PRE issue time; only for Conflict
  uint64_t act_ps = 0;     // ACT issue time; for Empty and Conflict
  uint64_t column_ps = 0;  // RD or WR issue time
  uint64_t done_ps = 0;    // end of the data burst: CL (CWL) + BL/2 cycles after the column command
};

class DramTiming {
 public:
  // Throws std::invalid_argument with validate()'s message if the configuration is not usable.
  explicit DramTiming(const DramConfig& config);

  const DramConfig& config() const { return config_; }

  // Address bits below the access size are dropped; bits above the mapped capacity are ignored.
  DramLocation decode(uint64_t addr) const;
  uint64_t encode(const DramLocation& where) const;  // the lowest address that decodes to `where`

  // Schedules the request's commands after everything committed so far and commits them.
  DramAccess access(const DramRequest& request);
  // What access() would return now, committing nothing (a refresh it would wait for included).
  DramAccess peek(const DramRequest& request) const;
  // True if the addressed bank has the addressed row open, for FR-FCFS to prefer. A refresh due before
  // the access can still close the row; access() reports what really happened.
  bool would_hit(uint64_t addr) const;
  // Performs every refresh due at or before now_ps, so refresh counts are complete at the end of a run.
  void advance(uint64_t now_ps);

  uint64_t reads() const { return reads_; }
  uint64_t writes() const { return writes_; }
  uint64_t row_hits() const { return row_hits_; }
  uint64_t row_empties() const { return row_empties_; }
  uint64_t row_conflicts() const { return row_conflicts_; }
  uint64_t refreshes() const { return refreshes_; }
  // Service latency is done_ps - arrival_ps: queueing behind earlier accesses and refreshes included.
  uint64_t total_latency_ps() const { return total_latency_ps_; }
  double average_latency_ps() const {
    const uint64_t n = reads_ + writes_;
    return n ? static_cast<double>(total_latency_ps_) / n : 0.0;
  }

 private:
  using Cycle = int64_t;  // signed so that "never" plus any delay stays below every real time
  static constexpr Cycle kNever = INT64_MIN / 4;

  struct Bank {
    bool open = false;
    unsigned row = 0;
    Cycle act_allowed = kNever;  // tRP after PRE, tRC after ACT, tRFC after REF
    Cycle col_allowed = kNever;  // tRCD after ACT
    Cycle pre_allowed = kNever;  // tRAS after ACT, tRTP after RD, tWR after write data
  };
  struct Rank {
    std::vector<Bank> banks;            // bank_group * banks_per_group + bank
    std::vector<Cycle> last_act;        // per bank group, for tRRD
    std::vector<Cycle> last_col;        // per bank group, for tCCD
    std::vector<Cycle> write_data_end;  // per bank group, for tWTR
    // The latest of last_act, last_col and write_data_end over all groups. Each per-group time only ever
    // grows (a command waits for its group's previous one), so these are running maxima.
    Cycle any_act = kNever, any_col = kNever, any_write_data_end = kNever;
    Cycle faw[4] = {kNever, kNever, kNever, kNever};  // the last four ACTs, oldest at faw_next
    unsigned faw_next = 0;
    Cycle next_refresh = 0;
  };
  struct Channel {
    Cycle bus_free = kNever;  // end of the last data burst
    std::vector<Rank> ranks;
  };
  struct Plan {
    RowKind kind;
    Cycle pre, act, col, done;
  };
  enum class Field : uint8_t { Row, Bank, BankGroup, Rank, Column, Channel };
  struct FieldSlice {
    Field field;
    unsigned bits;
  };

  // Inline in access(), which every DRAM request goes through.
  __attribute__((always_inline)) Plan plan(const Rank& rank, Cycle bus_free, const DramLocation& where,
                                           bool write, Cycle arrival) const;
  __attribute__((always_inline)) void commit(Rank& rank, Channel& channel, const DramLocation& where,
                                             bool write, const Plan& p) const;
  __attribute__((always_inline)) DramLocation locate(uint64_t addr) const;  // decode()
  // Runs the next due refresh of `rank` (and, if the rank is idle, the ones before `until` in one step);
  // returns how many ran.
  uint64_t refresh(Rank& rank, Cycle until) const;
  bool refresh_due(const Rank& rank, Cycle at) const {
    return config_.timing.tREFI != 0 && at >= rank.next_refresh;
  }
  Cycle to_cycle(uint64_t ps) const { return static_cast<Cycle>((ps + tck_ - 1) / tck_); }
  uint64_t to_ps(Cycle c) const { return static_cast<uint64_t>(c) * tck_; }
  DramAccess result(const DramLocation& where, const Plan& p) const;

  DramConfig config_;
  uint64_t tck_;
  unsigned offset_bits_;
  std::vector<FieldSlice> slices_;  // least significant first
  bool separate_bank_group_ = false;
  // decode() per location field, taken straight from the address (FR-FCFS decodes every queued request
  // at every decision): (addr >> shift) & mask, the column then scaled by the burst length.
  struct Extract {
    unsigned shift = 0;
    uint64_t mask = 0;
  };
  Extract channel_, rank_, bank_group_, bank_, row_, column_;
  unsigned burst_shift_ = 0;
  // Every same-group delay is at least its other-group one (tRRD_L >= tRRD_S, tCCD_L >= tCCD_S, tWTR_L >=
  // tWTR_S, as in every DDR4 speed bin): then the latest other-group command is the rank-wide latest
  // plus the short delay, and plan() needs no loop over the groups.
  bool long_same_group_ = false;
  std::vector<Channel> channels_;

  uint64_t reads_ = 0, writes_ = 0;
  uint64_t row_hits_ = 0, row_empties_ = 0, row_conflicts_ = 0;
  uint64_t refreshes_ = 0;
  uint64_t total_latency_ps_ = 0;
};

}  // namespace sv39sim
