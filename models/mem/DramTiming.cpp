#include "models/mem/DramTiming.h"

#include <algorithm>
#include <stdexcept>

namespace sv39sim {

namespace {

bool is_power_of_two(uint64_t v) {
  return v && !(v & (v - 1));
}
unsigned log2_of(uint64_t v) {
  unsigned n = 0;
  while (v >>= 1) ++n;
  return n;
}

struct FieldName {
  const char* text;
  int id;  // index into the order of DramTiming's Field enum: Row, Bank, BankGroup, Rank, Column, Channel
};
constexpr FieldName kFieldNames[] = {{"Ro", 0}, {"Ba", 1}, {"Bg", 2}, {"Ra", 3}, {"Co", 4}, {"Ch", 5}};

// Splits a mapping string into field ids, most significant first; returns an error message or "".
std::string parse_mapping(const std::string& mapping, std::vector<int>* ids) {
  const std::string what = "address mapping \"" + mapping + "\"";
  if (mapping.size() % 2) {
    return what + " is not a sequence of two-letter fields (Ro, Ba, Bg, Ra, Co, Ch)";
  }
  bool seen[6] = {};
  for (size_t i = 0; i < mapping.size(); i += 2) {
    const std::string token = mapping.substr(i, 2);
    int id = -1;
    for (const FieldName& f : kFieldNames) {
      if (token == f.text) id = f.id;
    }
    if (id < 0) return what + ": unknown field \"" + token + "\" (fields are Ro, Ba, Bg, Ra, Co, Ch)";
    if (seen[id]) return what + ": field \"" + token + "\" appears twice";
    seen[id] = true;
    ids->push_back(id);
  }
  for (const FieldName& f : kFieldNames) {
    // Bg is optional: without it, Ba covers the bank groups too.
    if (!seen[f.id] && f.id != 2) return what + " lacks the \"" + f.text + "\" field";
  }
  return "";
}

// Width of each field in address bits, indexed like kFieldNames' ids.
void field_bits(const DramGeometry& g, bool separate_bank_group, unsigned bits[6]) {
  bits[0] = log2_of(g.rows);
  bits[1] =
      separate_bank_group ? log2_of(g.banks_per_group) : log2_of(g.bank_groups) + log2_of(g.banks_per_group);
  bits[2] = separate_bank_group ? log2_of(g.bank_groups) : 0;
  bits[3] = log2_of(g.ranks);
  bits[4] = log2_of(g.columns / g.burst_length);  // the burst's beats are the dropped offset bits
  bits[5] = log2_of(g.channels);
}

}  // namespace

DramConfig ddr4_3200aa() {
  return DramConfig{};  // the structs' member defaults are this preset
}

bool dram_preset(const std::string& name, DramConfig* out) {
  if (name == "DDR4_3200AA") {
    *out = ddr4_3200aa();
    return true;
  }
  return false;
}

bool parse_row_policy(const std::string& text, RowPolicy* out) {
  if (text == "open") {
    *out = RowPolicy::Open;
  } else if (text == "closed") {
    *out = RowPolicy::Closed;
  } else {
    return false;
  }
  return true;
}

unsigned ps_to_cycles(uint64_t ps, uint64_t tCK_ps) {
  return static_cast<unsigned>((ps + tCK_ps - 1) / tCK_ps);
}

const char* row_kind_name(RowKind kind) {
  switch (kind) {
    case RowKind::Hit: return "row_hit";
    case RowKind::Empty: return "row_empty";
    case RowKind::Conflict: return "row_conflict";
  }
  return "?";
}

std::string validate(const DramConfig& config) {
  const DramGeometry& g = config.geometry;
  const struct {
    const char* name;
    unsigned value;
  } counts[] = {{"channels", g.channels},
                {"ranks", g.ranks},
                {"bank_groups", g.bank_groups},
                {"banks_per_group", g.banks_per_group},
                {"rows", g.rows},
                {"columns", g.columns},
                {"bus_bits", g.bus_bits},
                {"burst_length", g.burst_length}};
  for (const auto& c : counts) {
    if (!is_power_of_two(c.value)) {
      return std::string("dram ") + c.name + " = " + std::to_string(c.value) + " is not a power of two";
    }
  }
  if (g.bus_bits < 8) return "dram bus_bits = " + std::to_string(g.bus_bits) + " is narrower than a byte";
  // A DDR burst moves two beats per clock, so it must have at least two.
  if (g.burst_length < 2) return "dram burst_length must be at least 2";
  if (g.columns < g.burst_length) {
    return "dram columns = " + std::to_string(g.columns) + " is fewer than one burst of " +
           std::to_string(g.burst_length);
  }
  std::vector<int> ids;
  const std::string error = parse_mapping(g.mapping, &ids);
  if (!error.empty()) return error;
  const bool separate_bank_group = std::find(ids.begin(), ids.end(), 2) != ids.end();
  unsigned bits[6];
  field_bits(g, separate_bank_group, bits);
  unsigned total = log2_of(g.access_bytes());
  for (unsigned b : bits) total += b;
  if (total > 64) return "dram geometry needs " + std::to_string(total) + " address bits, more than 64";

  const DramTimingParams& t = config.timing;
  if (t.tCK_ps == 0) return "dram tCK must not be zero";
  // An access delayed by a refresh must fit before the next one, or access() would chase refreshes
  // forever. Commands committed before a refresh precede it, so the sum of the delays they leave bounds it.
  const uint64_t span = uint64_t{t.tRFC} + t.tRC + t.tRP + t.tFAW + t.tRCD + t.tRTP + t.tWR + t.tWTR_L +
                        t.CWL + t.CL + g.burst_length / 2;
  if (t.tREFI != 0 && t.tREFI <= span) {
    return "dram tREFI = " + std::to_string(t.tREFI) +
           " cycles leaves no room for accesses: it must exceed " + std::to_string(span) +
           " (tRFC plus the longest command sequence)";
  }
  return "";
}

DramTiming::DramTiming(const DramConfig& config) : config_(config), tck_(config.timing.tCK_ps) {
  const std::string error = validate(config);
  if (!error.empty()) throw std::invalid_argument(error);
  const DramGeometry& g = config.geometry;
  offset_bits_ = log2_of(g.access_bytes());
  std::vector<int> ids;
  parse_mapping(g.mapping, &ids);
  separate_bank_group_ = std::find(ids.begin(), ids.end(), 2) != ids.end();
  unsigned bits[6];
  field_bits(g, separate_bank_group_, bits);
  for (auto it = ids.rbegin(); it != ids.rend(); ++it)
    slices_.push_back({static_cast<Field>(*it), bits[*it]});
  // A field of width 0 decodes to 0 whatever its position (which may be 64, past every bit).
  auto extract = [](unsigned shift, unsigned width) {
    return width ? Extract{shift, (uint64_t{1} << width) - 1} : Extract{};
  };
  unsigned shift = offset_bits_;
  for (const FieldSlice& f : slices_) {
    switch (f.field) {
      case Field::Row: row_ = extract(shift, f.bits); break;
      case Field::Bank:
        if (separate_bank_group_) {
          bank_ = extract(shift, f.bits);
        } else {
          // Ba's low bits are the group (value % bank_groups), the rest the bank (value / bank_groups).
          const unsigned group_bits = log2_of(g.bank_groups);
          bank_group_ = extract(shift, group_bits);
          bank_ = extract(shift + group_bits, f.bits - group_bits);
        }
        break;
      case Field::BankGroup: bank_group_ = extract(shift, f.bits); break;
      case Field::Rank: rank_ = extract(shift, f.bits); break;
      case Field::Column: column_ = extract(shift, f.bits); break;
      case Field::Channel: channel_ = extract(shift, f.bits); break;
    }
    shift += f.bits;
  }
  burst_shift_ = log2_of(g.burst_length);
  const DramTimingParams& t = config.timing;
  long_same_group_ = t.tRRD_L >= t.tRRD_S && t.tCCD_L >= t.tCCD_S && t.tWTR_L >= t.tWTR_S;

  Rank rank;
  rank.banks.resize(g.bank_groups * g.banks_per_group);
  rank.last_act.assign(g.bank_groups, kNever);
  rank.last_col.assign(g.bank_groups, kNever);
  rank.write_data_end.assign(g.bank_groups, kNever);
  rank.next_refresh = config.timing.tREFI;  // the first refresh is one interval in, not at time 0
  channels_.resize(g.channels);
  for (Channel& c : channels_) c.ranks.assign(g.ranks, rank);
}

DramLocation DramTiming::decode(uint64_t addr) const {
  return locate(addr);
}

inline DramLocation DramTiming::locate(uint64_t addr) const {
  auto field = [addr](const Extract& e) { return static_cast<unsigned>((addr >> e.shift) & e.mask); };
  DramLocation where;
  where.channel = field(channel_);
  where.rank = field(rank_);
  where.bank_group = field(bank_group_);
  where.bank = field(bank_);
  where.row = field(row_);
  where.column = field(column_) << burst_shift_;
  return where;
}

uint64_t DramTiming::encode(const DramLocation& where) const {
  uint64_t addr = 0;
  unsigned shift = offset_bits_;
  for (const FieldSlice& s : slices_) {
    uint64_t value = 0;
    switch (s.field) {
      case Field::Row: value = where.row; break;
      case Field::Bank:
        value = separate_bank_group_ ? where.bank
                                     : uint64_t{where.bank} * config_.geometry.bank_groups + where.bank_group;
        break;
      case Field::BankGroup: value = where.bank_group; break;
      case Field::Rank: value = where.rank; break;
      case Field::Column: value = where.column / config_.geometry.burst_length; break;
      case Field::Channel: value = where.channel; break;
    }
    addr |= (value & ((uint64_t{1} << s.bits) - 1)) << shift;
    shift += s.bits;
  }
  return addr;
}

inline DramTiming::Plan DramTiming::plan(const Rank& rank, Cycle bus_free, const DramLocation& where,
                                         bool write, Cycle arrival) const {
  const DramTimingParams& t = config_.timing;
  const unsigned groups = config_.geometry.bank_groups;
  const Bank& bank = rank.banks[where.bank_group * config_.geometry.banks_per_group + where.bank];
  Plan p{RowKind::Hit, kNever, kNever, kNever, kNever};
  Cycle col;
  if (bank.open && bank.row == where.row) {
    col = std::max(arrival, bank.col_allowed);
  } else {
    Cycle act = std::max(arrival, bank.act_allowed);
    if (bank.open) {
      p.kind = RowKind::Conflict;
      p.pre = std::max(arrival, bank.pre_allowed);
      act = std::max(act, p.pre + t.tRP);
    } else {
      p.kind = RowKind::Empty;
    }
    if (long_same_group_) {
      act = std::max(act, std::max(rank.any_act + t.tRRD_S, rank.last_act[where.bank_group] + t.tRRD_L));
    } else {
      for (unsigned g = 0; g < groups; ++g) {
        act = std::max(act, rank.last_act[g] + (g == where.bank_group ? t.tRRD_L : t.tRRD_S));
      }
    }
    act = std::max(act, rank.faw[rank.faw_next] + t.tFAW);
    p.act = act;
    col = act + t.tRCD;
  }
  if (long_same_group_) {
    const unsigned bg = where.bank_group;
    col = std::max(col, std::max(rank.any_col + t.tCCD_S, rank.last_col[bg] + t.tCCD_L));
    if (!write)
      col = std::max(col, std::max(rank.any_write_data_end + t.tWTR_S, rank.write_data_end[bg] + t.tWTR_L));
  } else {
    for (unsigned g = 0; g < groups; ++g) {
      col = std::max(col, rank.last_col[g] + (g == where.bank_group ? t.tCCD_L : t.tCCD_S));
      if (!write) col = std::max(col, rank.write_data_end[g] + (g == where.bank_group ? t.tWTR_L : t.tWTR_S));
    }
  }
  // The channel's data bus carries one burst at a time; this also stands in for read-to-write turnaround.
  const Cycle latency = write ? t.CWL : t.CL;
  col = std::max(col, bus_free - latency);
  p.col = col;
  p.done = col + latency + config_.geometry.burst_length / 2;
  return p;
}

inline void DramTiming::commit(Rank& rank, Channel& channel, const DramLocation& where, bool write,
                               const Plan& p) const {
  const DramTimingParams& t = config_.timing;
  Bank& bank = rank.banks[where.bank_group * config_.geometry.banks_per_group + where.bank];
  if (p.kind != RowKind::Hit) {
    bank.open = true;
    bank.row = where.row;
    bank.act_allowed = std::max(bank.act_allowed, p.act + t.tRC);
    bank.col_allowed = p.act + t.tRCD;
    bank.pre_allowed = p.act + t.tRAS;
    rank.last_act[where.bank_group] = p.act;
    rank.any_act = std::max(rank.any_act, p.act);
    rank.faw[rank.faw_next] = p.act;
    rank.faw_next = (rank.faw_next + 1) % 4;
  }
  rank.last_col[where.bank_group] = p.col;
  rank.any_col = std::max(rank.any_col, p.col);
  if (write) {
    rank.write_data_end[where.bank_group] = p.done;
    rank.any_write_data_end = std::max(rank.any_write_data_end, p.done);
    bank.pre_allowed = std::max(bank.pre_allowed, p.done + t.tWR);
  } else {
    bank.pre_allowed = std::max(bank.pre_allowed, p.col + t.tRTP);
  }
  channel.bus_free = p.done;
  if (config_.row_policy == RowPolicy::Closed) {
    // Auto-precharge starts as soon as it is legal, without a command slot of its own.
    bank.open = false;
    bank.act_allowed = std::max(bank.act_allowed, bank.pre_allowed + t.tRP);
  }
}

uint64_t DramTiming::refresh(Rank& rank, Cycle until) const {
  const DramTimingParams& t = config_.timing;
  uint64_t count = 0;
  // An idle rank refreshes exactly on the tREFI grid, so a long idle stretch is skipped in one step:
  // only the last refresh before `until` can still delay anything.
  bool idle = true;
  for (const Bank& b : rank.banks) idle = idle && !b.open && b.act_allowed <= rank.next_refresh;
  if (idle && until >= rank.next_refresh + t.tREFI) {
    const Cycle skipped = (until - rank.next_refresh) / t.tREFI;
    rank.next_refresh += skipped * t.tREFI;
    count += skipped;
  }
  // Precharge all, as early as each open bank allows, then REF once every bank has had its tRP (and tRC).
  Cycle ref = rank.next_refresh;
  for (Bank& b : rank.banks) {
    if (b.open) {
      b.open = false;
      b.act_allowed = std::max(b.act_allowed, std::max(rank.next_refresh, b.pre_allowed) + t.tRP);
    }
    ref = std::max(ref, b.act_allowed);
  }
  for (Bank& b : rank.banks) b.act_allowed = ref + t.tRFC;
  rank.next_refresh += t.tREFI;  // the grid stays put even when a refresh starts late
  return count + 1;
}

DramAccess DramTiming::result(const DramLocation& where, const Plan& p) const {
  DramAccess a;
  a.where = where;
  a.kind = p.kind;
  if (p.kind == RowKind::Conflict) a.pre_ps = to_ps(p.pre);
  if (p.kind != RowKind::Hit) a.act_ps = to_ps(p.act);
  a.column_ps = to_ps(p.col);
  a.done_ps = to_ps(p.done);
  return a;
}

DramAccess DramTiming::access(const DramRequest& request) {
  const DramLocation where = locate(request.addr);
  Channel& channel = channels_[where.channel];
  Rank& rank = channel.ranks[where.rank];
  const Cycle arrival = to_cycle(request.arrival_ps);
  Plan p = plan(rank, channel.bus_free, where, request.write, arrival);
  // A refresh due before the column command goes first; the access is then planned again behind it.
  while (refresh_due(rank, p.col)) {
    refreshes_ += refresh(rank, arrival);
    p = plan(rank, channel.bus_free, where, request.write, arrival);
  }
  commit(rank, channel, where, request.write, p);

  ++(request.write ? writes_ : reads_);
  ++(p.kind == RowKind::Hit ? row_hits_ : p.kind == RowKind::Empty ? row_empties_ : row_conflicts_);
  const DramAccess a = result(where, p);
  total_latency_ps_ += a.done_ps - request.arrival_ps;
  return a;
}

DramAccess DramTiming::peek(const DramRequest& request) const {
  const DramLocation where = decode(request.addr);
  const Channel& channel = channels_[where.channel];
  const Cycle arrival = to_cycle(request.arrival_ps);
  Plan p = plan(channel.ranks[where.rank], channel.bus_free, where, request.write, arrival);
  if (refresh_due(channel.ranks[where.rank], p.col)) {
    Rank scratch = channel.ranks[where.rank];
    while (refresh_due(scratch, p.col)) {
      refresh(scratch, arrival);
      p = plan(scratch, channel.bus_free, where, request.write, arrival);
    }
  }
  return result(where, p);
}

bool DramTiming::would_hit(uint64_t addr) const {
  const DramLocation where = decode(addr);
  const Bank& bank = channels_[where.channel]
                         .ranks[where.rank]
                         .banks[where.bank_group * config_.geometry.banks_per_group + where.bank];
  return bank.open && bank.row == where.row;
}

void DramTiming::advance(uint64_t now_ps) {
  const Cycle now = static_cast<Cycle>(now_ps / tck_);
  for (Channel& channel : channels_) {
    for (Rank& rank : channel.ranks) {
      while (refresh_due(rank, now)) refreshes_ += refresh(rank, now);
    }
  }
}

}  // namespace sv39sim
