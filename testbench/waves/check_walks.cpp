// check_walks FILE.fst: every page walk a run's waves hold, against the spec-written reference walker
// (testbench/unit/reference/Sv39Reference.h, which shares nothing with models/mmu).
//
// For each walk (WalkStart ... WalkEnd) the reference translates the walk's VA from the walk's satp,
// reading memory as the walk saw it: the PTE values the walk's own PteRead events carry, and an access
// fault where a read failed. So the reference decides, by the spec, which addresses must be read (table
// + vpn[level] * 8, the next table from the PTE read), where the walk ends (leaf, invalid, reserved bits,
// misaligned superpage, access fault), the A/D update and the physical address; the waves must show
// exactly those reads and that end. A walk that starts below the root (a page-walk-cache hit) starts from
// the table the PWC lookup gave: the reference is handed pointer PTEs that lead there.
// What the events do not say is the access's privilege, SUM, MXR and whether A/D are updated by
// hardware: the walk's end must match the reference under one of those contexts.
//
// Exit status: 0 all walks agree, 1 some do not (listed), 2 the file cannot be read.
#include <cstdio>
#include <deque>
#include <map>
#include <string>
#include <vector>

#include "models/sim/InputError.h"
#include "models/trace/WaveReader.h"
#include "testbench/unit/reference/Sv39Reference.h"

namespace {

using sv39sim::Event;
using sv39sim::EventKind;

// Memory as one walk saw it, for the reference: the values its PTE reads returned; and, above a PWC hit,
// pointers leading to the cached table.
class WalkMemory {
 public:
  void seen(uint64_t pa, uint64_t value, bool ok) { seen_[pa] = {value, ok}; }
  void pointer(uint64_t pa, uint64_t table) { pointers_[pa] = ((table >> 12) << 10) | 1; }  // V only
  bool read64(uint64_t pa, uint64_t* v) {
    if (auto p = pointers_.find(pa); p != pointers_.end()) {
      *v = p->second;
      return true;
    }
    const auto s = seen_.find(pa);
    if (s == seen_.end() || !s->second.second) return false;  // unread: the comparison of reads tells
    *v = s->second.first;
    return true;
  }
  bool write64(uint64_t pa, uint64_t v) {
    seen_[pa] = {v, true};
    return true;
  }
  bool synthetic(uint64_t pa) const { return pointers_.count(pa) != 0; }

 private:
  std::map<uint64_t, std::pair<uint64_t, bool>> seen_;
  std::map<uint64_t, uint64_t> pointers_;
};

struct Walk {
  Event start;
  std::vector<Event> lookups, reads, writes;
};

std::string hex(uint64_t v) {
  char b[24];
  std::snprintf(b, sizeof b, "%#llx", static_cast<unsigned long long>(v));
  return b;
}

// A table no real walk reads: the top of the 56-bit physical address space.
constexpr uint64_t kSyntheticTable = (1ull << 56) - (1ull << 12);

class Checker {
 public:
  void on_event(const Event& e) {
    switch (e.kind) {
      case EventKind::WalkStart: open_.push_back(Walk{e, {}, {}, {}}); break;
      case EventKind::PwcLookup:
      case EventKind::PteRead:
      case EventKind::PteWrite:
      case EventKind::WalkEnd: {
        // Walks run one at a time: a queued walk's start may come before the previous one ended, but every
        // other event belongs to the oldest walk not yet ended.
        if (open_.empty()) {
          fail(e, std::string(event_kind_name(e.kind)) + " outside any walk");
          return;
        }
        Walk& w = open_.front();
        if (e.kind == EventKind::PwcLookup) w.lookups.push_back(e);
        if (e.kind == EventKind::PteRead) w.reads.push_back(e);
        if (e.kind == EventKind::PteWrite) w.writes.push_back(e);
        if (e.kind == EventKind::WalkEnd) {
          check(w, e);
          open_.pop_front();
        }
        break;
      }
      default: break;
    }
  }

  int finish() {
    for (const Walk& w : open_) fail(w.start, "walk never ended");
    std::printf(
        "%llu walks checked (from level 2/1/0: %llu/%llu/%llu; %llu faulted; %llu A/D updates); %llu "
        "failures\n",
        static_cast<unsigned long long>(walks_), static_cast<unsigned long long>(by_level_[2]),
        static_cast<unsigned long long>(by_level_[1]), static_cast<unsigned long long>(by_level_[0]),
        static_cast<unsigned long long>(faulted_), static_cast<unsigned long long>(ad_updates_),
        static_cast<unsigned long long>(failures_));
    return failures_ || !walks_ ? 1 : 0;
  }

 private:
  void fail(const Event& at, const std::string& why) {
    if (++failures_ <= 20)
      std::printf("FAIL seq %llu (%llu ps): %s\n", static_cast<unsigned long long>(at.seq),
                  static_cast<unsigned long long>(at.time_ps), why.c_str());
  }

  void check(const Walk& w, const Event& end) {
    ++walks_;
    const Event& s = w.start;
    const uint64_t va = s.va, satp = s.data;
    const int start_level = s.level;
    const std::string what =
        "walk of " + hex(va) + " (satp " + hex(satp) + ", from level " + std::to_string(start_level) + "): ";
    if (start_level > 2) return fail(s, what + "no such level");
    ++by_level_[start_level];
    if (sv39ref::satp_mode(satp) != sv39ref::kSatpModeSv39) return fail(s, what + "satp is not Sv39");
    if (s.access > 2) return fail(s, what + "no such access type " + std::to_string(s.access));
    WalkMemory mem;
    if (start_level < 2) {
      // The PWC's lookups of this walk end at its hit: the table the walk starts from.
      if (w.lookups.empty() || w.lookups.back().outcome != static_cast<uint8_t>(sv39sim::LookupOutcome::Hit))
        return fail(s, what + "starts below the root without a page-walk-cache hit");
      const Event& hit = w.lookups.back();
      if (hit.level != start_level + 1)
        fail(s, what + "the PWC hit is a level-" + std::to_string(hit.level) + " pointer");
      const uint64_t root = sv39ref::satp_ppn(satp) * sv39ref::kPageSize;
      const uint64_t l2 = root + sv39ref::va_vpn(va, 2) * sv39ref::kPteSize;
      if (start_level == 1) {
        mem.pointer(l2, hit.pa);
      } else {
        mem.pointer(l2, kSyntheticTable);
        mem.pointer(kSyntheticTable + sv39ref::va_vpn(va, 1) * sv39ref::kPteSize, hit.pa);
      }
    }
    std::vector<const Event*> reads;
    for (const Event& r : w.reads) {
      if (r.outcome == static_cast<uint8_t>(sv39sim::ServedBy::Pwc)) continue;  // no memory read
      reads.push_back(&r);
      mem.seen(r.pa, r.data, (r.aux & 1) == 0);
    }

    // The reads the spec makes, whatever the context (it only decides at the leaf).
    const auto access = static_cast<sv39ref::Access>(s.access);
    sv39ref::Context ctx;
    ctx.satp = satp;
    ctx.priv = sv39ref::Priv::S;
    WalkMemory m0 = mem;
    const sv39ref::Result ref = sv39ref::translate(ctx, va, access, m0);
    std::vector<sv39ref::PteRead> want;
    for (const auto& r : ref.reads)
      if (!mem.synthetic(r.addr)) want.push_back(r);
    std::string got_text, want_text;
    for (const Event* r : reads)
      got_text += " L" + std::to_string(r->level) + "@" + hex(r->pa) + ((r->aux & 1) ? "!" : "");
    for (const auto& r : want)
      want_text += " L" + std::to_string(r.level) + "@" + hex(r.addr) + (r.failed ? "!" : "");
    if (got_text != want_text) return fail(s, what + "PTE reads" + got_text + ", the spec's" + want_text);

    // The end: ok at the same leaf and address with the same A/D update, or the same fault cause.
    const bool ok = end.outcome == 0;
    if (!ok) ++faulted_;
    if (!w.writes.empty()) ++ad_updates_;
    if (w.writes.size() > 1) return fail(end, what + std::to_string(w.writes.size()) + " PTE writes");
    std::string tried;
    for (int priv = 0; priv < 2; ++priv) {
      for (int flags = 0; flags < 8; ++flags) {
        ctx.priv = priv ? sv39ref::Priv::S : sv39ref::Priv::U;
        ctx.sum = flags & 1;
        ctx.mxr = flags & 2;
        ctx.hardware_ad = flags & 4;
        WalkMemory m = mem;
        const sv39ref::Result r = sv39ref::translate(ctx, va, access, m);
        if (ok != r.ok) continue;
        if (!ok && r.cause == end.aux && w.writes.empty()) return;
        if (ok && r.level == end.level && r.paddr == end.pa && r.ad_written == !w.writes.empty() &&
            (!r.ad_written || (w.writes[0].pa == r.ad_addr && w.writes[0].data == r.ad_value)))
          return;
        tried = r.ok ? " e.g. level " + std::to_string(r.level) + " pa " + hex(r.paddr) +
                           (r.ad_written ? " A/D " + hex(r.ad_value) + " at " + hex(r.ad_addr) : "")
                     : " e.g. cause " + std::to_string(r.cause);
      }
    }
    fail(
        end,
        what +
            (ok ? "ends at level " + std::to_string(end.level) + " pa " + hex(end.pa) +
                      (w.writes.empty() ? "" : " A/D " + hex(w.writes[0].data) + " at " + hex(w.writes[0].pa))
                : "faults with cause " + std::to_string(end.aux)) +
            ", which no privilege/SUM/MXR/A-D context of the spec gives" +
            (tried.empty() ? "" : ";" + tried));
  }

  std::deque<Walk> open_;
  uint64_t walks_ = 0, faulted_ = 0, ad_updates_ = 0, failures_ = 0, by_level_[3] = {};
};

}  // namespace

// sc_main, not main: the models library brings SystemC, whose own main() calls this (a sanitizer build
// keeps the library's reference to sc_main, and the link needs it).
extern "C" int sc_main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: check_walks FILE.fst\n");
    return 2;
  }
  Checker checker;
  try {
    sv39sim::read_waves(argv[1], [&](const Event& e) { checker.on_event(e); });
  } catch (const sv39sim::InputError& e) {
    std::fprintf(stderr, "check_walks: %s\n", e.what());
    return 2;
  }
  return checker.finish();
}
