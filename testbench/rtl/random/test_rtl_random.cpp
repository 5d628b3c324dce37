// The whole RTL cross-check (testbench/rtl/RtlChecker) on random translations over random page tables: the
// model's Mmu (I-TLB, D-TLB, L2 TLB, page-table walker with its page-walk cache, PMP) runs a random access
// stream, and the RtlChecker, an ordered sink of its event stream, drives the RTL in hw/ (sv39_mmu, built
// for the same configuration) with every translation and fence and compares them event by event.
//
// Stimulus: several address spaces (each its own root and ASID) that share a kernel half (a G pointer, so
// mostly global entries), satp switches (published as the hart does), random page tables (4 KiB pages,
// 2 MiB and 1 GiB superpages — some misaligned —, invalid PTEs, reserved bits, W without R, pointers with
// A/D/U, random RWXUGAD leaves, PTEs and roots outside RAM, aliasing tables), random PMP settings (denying
// reads or A/D writes of page-table pages, partial matches), random VAs (mostly mapped, some non-canonical),
// fetches, loads, stores and AMOs of every size (some misaligned, some across pages) in U, S and M (MPRV)
// with random SUM/MXR, PTE changes between translations with and without SFENCE.VMA (all four operand
// kinds, non-canonical VAs too), and table rebuilds. Stores are undone afterwards (from a shadow copy of RAM
// that follows the walker's A/D writes), so the page tables change only where the test means them to.
//
// Usage: test_rtl_random [--geometry NAME] [--config-set KEY=VALUE]... [--translations N] [--seed S]
//                        [--source-dir DIR] [--rtl-cache DIR] [--trace] [--list]
// A geometry is a named set of config keys (see kGeometries); --config-set adds keys after it, e.g.
// rtl_check.defines=SV39_MUT_PLRU_UPDATE to build the RTL with a mutation and see the check catch it.
#include <tlm_utils/simple_target_socket.h>

#include <algorithm>
#include <chrono>
#include <cinttypes>
#include <csignal>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <initializer_list>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <systemc>
#include <tlm>
#include <utility>
#include <vector>

#include "models/config/Config.h"
#include "models/config/ModelConfig.h"
#include "models/mem/MemoryTiming.h"
#include "models/mem/PhysicalMemory.h"
#include "models/mmu/Mmu.h"
#include "models/mmu/PageTableWalker.h"
#include "models/sim/EventBus.h"
#include "models/sim/InputError.h"
#include "testbench/rtl/RtlBuild.h"
#include "testbench/rtl/RtlChecker.h"
#include "testbench/unit/reference/TestRng.h"

#ifndef SV39SIM_SOURCE_DIR
#define SV39SIM_SOURCE_DIR ""
#endif

namespace sv39sim {
namespace {

namespace pte = sv39::pte;

// --- Geometries --------------------------------------------------------------------------------------------

struct Geometry {
  const char* name;
  const char* what;
  std::vector<std::pair<const char*, const char*>> keys;
};

const std::vector<Geometry> kGeometries = {
    {"default", "the model's default geometry", {}},
    {"small",
     "tiny TLBs and page-walk cache, so that everything is evicted all the time",
     {{"mmu.itlb.sets", "2"},
      {"mmu.itlb.ways", "2"},
      {"mmu.itlb.policy", "plru"},
      {"mmu.dtlb.sets", "2"},
      {"mmu.dtlb.ways", "2"},
      {"mmu.dtlb.policy", "plru"},
      {"mmu.l2tlb.sets", "4"},
      {"mmu.l2tlb.ways", "2"},
      {"mmu.l2tlb.policy", "fifo"},
      {"mmu.pwc.sets", "2"},
      {"mmu.pwc.ways", "2"},
      {"mmu.pwc.per_level", "true"}}},
    {"superpages_separate",
     "superpages in separate fully associative arrays (small ones), small main arrays",
     {{"mmu.itlb.sets", "4"},
      {"mmu.itlb.ways", "2"},
      {"mmu.itlb.superpages", "separate"},
      {"mmu.itlb.superpage_entries", "2"},
      {"mmu.dtlb.sets", "4"},
      {"mmu.dtlb.ways", "2"},
      {"mmu.dtlb.superpages", "separate"},
      {"mmu.dtlb.superpage_entries", "2"},
      {"mmu.l2tlb.sets", "8"},
      {"mmu.l2tlb.ways", "4"},
      {"mmu.l2tlb.policy", "plru"},
      {"mmu.l2tlb.superpages", "separate"},
      {"mmu.l2tlb.superpage_entries", "4"}}},
    {"superpages_splinter",
     "superpages splintered into 4 KiB entries, small arrays",
     {{"mmu.itlb.sets", "4"},
      {"mmu.itlb.ways", "2"},
      {"mmu.itlb.policy", "fifo"},
      {"mmu.itlb.superpages", "splinter"},
      {"mmu.dtlb.sets", "4"},
      {"mmu.dtlb.ways", "2"},
      {"mmu.dtlb.policy", "fifo"},
      {"mmu.dtlb.superpages", "splinter"},
      {"mmu.l2tlb.sets", "8"},
      {"mmu.l2tlb.ways", "2"},
      {"mmu.l2tlb.superpages", "splinter"}}},
    {"no_l2_no_pwc",
     "no L2 TLB and no page-walk cache, small L1 TLBs",
     {{"mmu.itlb.sets", "4"},
      {"mmu.itlb.ways", "2"},
      {"mmu.dtlb.sets", "4"},
      {"mmu.dtlb.ways", "4"},
      {"mmu.dtlb.policy", "plru"},
      {"mmu.l2tlb.enabled", "false"},
      {"mmu.pwc.enabled", "false"}}},
    // The next two keep the small geometry's arrays: the same RTL build serves them.
    {"ad_fault",
     "A/D by page fault (Svade), the small geometry",
     {{"mmu.ad_update", "fault"},
      {"mmu.itlb.sets", "2"},
      {"mmu.itlb.ways", "2"},
      {"mmu.itlb.policy", "plru"},
      {"mmu.dtlb.sets", "2"},
      {"mmu.dtlb.ways", "2"},
      {"mmu.dtlb.policy", "plru"},
      {"mmu.l2tlb.sets", "4"},
      {"mmu.l2tlb.ways", "2"},
      {"mmu.l2tlb.policy", "fifo"},
      {"mmu.pwc.sets", "2"},
      {"mmu.pwc.ways", "2"},
      {"mmu.pwc.per_level", "true"}}},
    {"pwc_va_fence",
     "a page-walk cache that also drops the pointers on a VA's path at SFENCE.VMA with a VA",
     {{"mmu.pwc.flush_on_va_fence", "true"},
      {"mmu.pwc.sets", "2"},
      {"mmu.pwc.ways", "4"},
      {"mmu.pwc.policy", "fifo"},
      {"mmu.dtlb.sets", "4"},
      {"mmu.dtlb.ways", "2"},
      {"mmu.l2tlb.sets", "4"},
      {"mmu.l2tlb.ways", "4"}}},
    {"satp_flush",
     "every TLB and the page-walk cache flushed at each satp write (hardware without ASIDs), the small "
     "geometry",
     {{"mmu.flush_on_satp_write", "true"},
      {"mmu.itlb.sets", "2"},
      {"mmu.itlb.ways", "2"},
      {"mmu.itlb.policy", "plru"},
      {"mmu.dtlb.sets", "2"},
      {"mmu.dtlb.ways", "2"},
      {"mmu.dtlb.policy", "plru"},
      {"mmu.l2tlb.sets", "4"},
      {"mmu.l2tlb.ways", "2"},
      {"mmu.l2tlb.policy", "fifo"},
      {"mmu.pwc.sets", "2"},
      {"mmu.pwc.ways", "2"},
      {"mmu.pwc.per_level", "true"}}},
};

// --- Memory ------------------------------------------------------------------------------------------------

constexpr uint64_t kRamBase = 0x8000'0000;
constexpr uint64_t kRamPages = 128;
constexpr uint64_t kRamSize = kRamPages * 4096;
constexpr uint64_t kDevBase = 0x1000'0000;  // a device page the data side may reach (never tables)
constexpr uint64_t kDevSize = 0x1000;

bool in_ram(uint64_t pa, uint64_t len) {
  return pa - kRamBase < kRamSize && kRamSize - (pa - kRamBase) >= len;
}
bool in_dev(uint64_t pa, uint64_t len) {
  return pa - kDevBase < kDevSize && kDevSize - (pa - kDevBase) >= len;
}

// The walker's memory: PTE reads and A/D writes from the RAM buffer; anything else is an address error
// (the walk's access fault).
class RamTarget : public sc_core::sc_module {
 public:
  tlm_utils::simple_target_socket<RamTarget> socket;

  RamTarget(sc_core::sc_module_name name, uint8_t* ram) : sc_module(name), socket("socket"), ram_(ram) {
    socket.register_b_transport(this, &RamTarget::b_transport);
  }

 private:
  void b_transport(tlm::tlm_generic_payload& p, sc_core::sc_time&) {
    const uint64_t addr = p.get_address();
    const unsigned len = p.get_data_length();
    if (!in_ram(addr, len)) {
      p.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
      return;
    }
    uint8_t* host = ram_ + (addr - kRamBase);
    if (p.is_read())
      std::memcpy(p.get_data_ptr(), host, len);
    else
      std::memcpy(host, p.get_data_ptr(), len);
    p.set_response_status(tlm::TLM_OK_RESPONSE);
  }

  uint8_t* ram_;
};

// Non-RAM physical memory for the data side: one device page of zeros; nothing else answers.
class FakeDevices : public PhysicalMemory {
 public:
  bool read(uint64_t pa, void* data, unsigned len) override {
    if (!in_dev(pa, len)) return false;
    std::memset(data, 0, len);
    return true;
  }
  bool write(uint64_t pa, const void*, unsigned len) override { return in_dev(pa, len); }
};

// --- Random numbers ----------------------------------------------------------------------------------------

using Rng = TestRng;

uint64_t sign_extend39(uint64_t va) {
  return static_cast<uint64_t>(static_cast<int64_t>(va << 25) >> 25);
}
uint64_t make_satp(uint16_t asid, uint64_t root) {
  return (sv39::kSatpModeSv39 << 60) | (uint64_t{asid} << 44) | ((root >> 12) & pte::kPpnMask);
}
uint64_t non_canonical(Rng& rng, uint64_t va) {
  return va ^ (1ull << (39 + rng.below(25)));
}

// --- Random page tables ------------------------------------------------------------------------------------

struct Region {  // a VA range one PTE covers
  uint64_t va;
  unsigned level;
};
struct Slot {  // a PTE the test may change later
  uint64_t pte_addr;
  unsigned level;
  uint64_t va;
};
struct Space {  // one address space: its root, its ASID, what its tables hold
  uint16_t asid = 0;
  uint64_t root = 0;
  std::vector<Region> regions;
  std::vector<Slot> leaves, pointers;
};

// Builds several address spaces into the RAM buffer. Each maps its own lower half (and a little of the
// upper half); all share one kernel L1 table in the upper half, reached by one pointer PTE in every root,
// mostly global.
class World {
 public:
  World(Rng& rng, uint8_t* ram) : rng_(rng), ram_(ram) {}

  std::vector<Space> spaces;
  Space kernel;  // the shared part (its asid is unused)
  std::vector<uint64_t> table_pages, data_pages;

  void build(const std::vector<uint16_t>& asids) {
    std::memset(ram_, 0, kRamSize);
    free_.clear();
    table_pages.clear();
    data_pages.clear();
    spaces.clear();
    kernel = Space();
    for (uint64_t i = 0; i < kRamPages; ++i) free_.push_back(kRamBase + i * 4096);
    for (size_t i = free_.size() - 1; i > 0; --i) std::swap(free_[i], free_[rng_.below(i + 1)]);

    kernel_idx_ = 256 + rng_.below(256);
    const uint64_t kva = sign_extend39(kernel_idx_ << 30);
    // The roots and the kernel's table first, while pages are plenty.
    const uint64_t kernel_l1 = alloc();
    std::vector<uint64_t> roots;
    for (size_t i = 0; i < asids.size(); ++i) roots.push_back(alloc());
    kernel.regions.push_back({kva, 2});
    fill(kernel_l1, 1, kva, &kernel);
    uint64_t kernel_ptr = pointer_to(kernel_l1) & ~pte::kG;
    if (rng_.chance(0.8)) kernel_ptr |= pte::kG;
    for (size_t i = 0; i < asids.size(); ++i) {
      Space s;
      s.asid = asids[i];
      s.root = roots[i];
      fill(s.root, 2, 0, &s);
      write(s.root + kernel_idx_ * 8, kernel_ptr);
      s.pointers.push_back({s.root + kernel_idx_ * 8, 2, kva});
      spaces.push_back(std::move(s));
    }
    // Data pages: words that differ everywhere; some also hold PTE-like junk that stray pointers and
    // superpages run into.
    data_pages = free_;
    const uint64_t salt = rng_.u64();
    for (uint64_t page : free_) {
      for (uint64_t pa = page; pa < page + 4096; pa += 8) write(pa, (pa * 0x9e3779b97f4a7c15ull) ^ salt);
      if (!rng_.chance(0.4)) continue;
      for (uint64_t n = rng_.below(64); n > 0; --n)
        write(page + rng_.below(512) * 8, junk_word(static_cast<unsigned>(rng_.below(3))));
    }
  }

  // A fresh PTE for an existing leaf slot.
  uint64_t new_leaf(unsigned level) { return leaf(level); }
  // A replacement for a pointer slot: another table, a superpage leaf, invalid, junk, a data page, nowhere.
  uint64_t new_pointer(unsigned level) {
    switch (rng_.below(8)) {
      case 6:
      case 7: return leaf(level);  // the region becomes one superpage
      case 0: return 0;
      case 1: return junk_word(level);
      case 2:
        if (!data_pages.empty()) return pointer_to(data_pages[rng_.below(data_pages.size())]);
        [[fallthrough]];
      case 3: return pointer_to(kRamBase + kRamSize + rng_.below(16) * 4096);
      default: return pointer_to(table_pages[rng_.below(table_pages.size())]);
    }
  }

 private:
  uint64_t alloc() {
    if (free_.size() <= 40) return 0;  // keep pages for data
    const uint64_t p = free_.back();
    free_.pop_back();
    table_pages.push_back(p);
    return p;
  }
  void write(uint64_t pa, uint64_t v) { std::memcpy(ram_ + (pa - kRamBase), &v, 8); }
  uint64_t rsw() { return rng_.chance(0.3) ? rng_.below(4) << 8 : 0; }

  uint64_t pointer_to(uint64_t table_pa) {
    uint64_t v = pte::kV | ((table_pa >> 12) << pte::kPpnShift) | rsw();
    if (rng_.chance(0.15)) v |= pte::kG;
    return v;
  }

  uint64_t leaf_ppn(unsigned level) {
    const uint64_t ram_ppn = kRamBase >> 12;
    const uint64_t align = (1ull << (9 * level)) - 1;
    const unsigned r = static_cast<unsigned>(rng_.below(100));
    if (level == 0) {
      if (r < 80) return ram_ppn + rng_.below(kRamPages);
      if (r < 87) return kDevBase >> 12;
      if (r < 93) return ram_ppn + kRamPages + rng_.below(4);  // just past RAM
      return rng_.below(1ull << 44);
    }
    if (r < 76) return ram_ppn;  // RAM is at the start of a 2 MiB and of a 1 GiB frame
    if (r < 84) return level == 1 ? (kDevBase >> 12) : 0;
    if (r < 92) return (rng_.below(1ull << 44) & ~align) | (1 + rng_.below(align));  // misaligned superpage
    return rng_.below(1ull << 44) & ~align;
  }

  uint64_t leaf(unsigned level) {
    uint64_t perms;
    const unsigned r = static_cast<unsigned>(rng_.below(100));
    if (r < 20)
      perms = pte::kR;
    else if (r < 45)
      perms = pte::kR | pte::kW;
    else if (r < 55)
      perms = pte::kX;
    else if (r < 70)
      perms = pte::kR | pte::kX;
    else if (r < 95)
      perms = pte::kR | pte::kW | pte::kX;
    else if (r < 97)
      perms = pte::kW;  // reserved
    else
      perms = pte::kW | pte::kX;  // reserved
    uint64_t v = pte::kV | perms | (leaf_ppn(level) << pte::kPpnShift) | rsw();
    if (rng_.chance(0.4)) v |= pte::kU;
    if (rng_.chance(0.15)) v |= pte::kG;
    if (rng_.chance(0.6)) v |= pte::kA;
    if (rng_.chance(0.4)) v |= pte::kD;
    if (rng_.chance(0.02)) v &= ~pte::kV;
    if (rng_.chance(0.02)) v |= 1ull << (54 + rng_.below(10));  // reserved bits
    return v;
  }

  // Words that a walk must reject, or random ones.
  uint64_t junk_word(unsigned level) {
    switch (rng_.below(8)) {
      case 0: return 0;
      case 1: return rng_.u64() & ~pte::kV;
      case 2: return leaf(level) | (1ull << (54 + rng_.below(10)));   // reserved bits
      case 3: return (leaf(level) & ~(pte::kR | pte::kX)) | pte::kW;  // W without R
      case 4: {                                                       // pointer with D, A or U
        const uint64_t dau[] = {pte::kD, pte::kA, pte::kU};
        return pointer_to(stray_table()) | dau[rng_.below(3)];
      }
      case 5: return pointer_to(stray_table());  // a level-0 pointer faults
      case 6: return rng_.u64();
      default: return leaf(level);
    }
  }
  uint64_t stray_table() {
    const unsigned r = static_cast<unsigned>(rng_.below(3));
    if (r == 0) return kRamBase + rng_.below(kRamPages) * 4096;
    if (r == 1) return kRamBase + kRamSize + rng_.below(16) * 4096;
    return kDevBase;
  }

  // Fills some entries of the table at `table` (level `level`) covering VAs from `va_prefix`.
  void fill(uint64_t table, unsigned level, uint64_t va_prefix, Space* sp) {
    if (!table) return;
    std::set<uint64_t> indices;
    const unsigned n = level == 2 ? 3 + static_cast<unsigned>(rng_.below(4))
                                  : 1 + static_cast<unsigned>(rng_.below(level == 1 ? 4 : 6));
    while (indices.size() < n) {
      const uint64_t idx =
          level == 2 ? rng_.pick<uint64_t>({0, 1, 2, 255, 256, 511, rng_.below(256), rng_.below(512)})
                     : rng_.pick<uint64_t>({0, 1, 2, 3, 511, rng_.below(512), rng_.below(512)});
      if (level == 2 && idx == kernel_idx_) continue;
      indices.insert(idx);
    }
    for (uint64_t idx : indices) {
      uint64_t va = va_prefix | (idx << (12 + 9 * level));
      if (level == 2) va = sign_extend39(va);
      const uint64_t pte_addr = table + idx * 8;
      sp->regions.push_back({va, level});
      const unsigned r = static_cast<unsigned>(rng_.below(100));
      if (level > 0 && r < 50) {
        if (const uint64_t sub = alloc()) {
          write(pte_addr, pointer_to(sub));
          sp->pointers.push_back({pte_addr, level, va});
          fill(sub, level - 1, va, sp);
          continue;
        }
      }
      if (r < 80) {
        write(pte_addr, leaf(level));
        sp->leaves.push_back({pte_addr, level, va});
      } else if (r < 92 || level == 0) {
        write(pte_addr, junk_word(level));
      } else {
        // A pointer somewhere odd: another table (aliasing, even a cycle), any RAM page, past RAM, a device.
        const unsigned w = static_cast<unsigned>(rng_.below(4));
        const uint64_t target = w == 0   ? table_pages[rng_.below(table_pages.size())]
                                : w == 1 ? kRamBase + rng_.below(kRamPages) * 4096
                                : w == 2 ? kRamBase + kRamSize + rng_.below(16) * 4096
                                         : kDevBase;
        write(pte_addr, pointer_to(target));
        sp->pointers.push_back({pte_addr, level, va});
      }
    }
  }

  Rng& rng_;
  uint8_t* ram_;
  std::vector<uint64_t> free_;
  uint64_t kernel_idx_ = 256;
};

// --- Random PMP --------------------------------------------------------------------------------------------

uint64_t napot(uint64_t base, uint64_t size) {
  return (base >> 2) | ((size >> 3) - 1);
}

// Mostly everything allowed (a catch-all entry), often with a few entries in front that deny page-table
// pages (reads or A/D writes), data pages, parts of a page; rarely nothing at all (S/U get no access).
// `open`: just the catch-all. Returns whether it made more than a catch-all.
bool random_pmp(Rng& rng, Pmp& pmp, const World& w, bool open) {
  uint8_t cfg[Pmp::kEntries] = {};
  uint64_t addr[Pmp::kEntries] = {};
  const uint64_t full = (1ull << 54) - 1;  // NAPOT over the whole physical address space
  const uint8_t rwx = Pmp::kR | Pmp::kW | Pmp::kX;
  const unsigned mode = open ? 2 : static_cast<unsigned>(rng.below(100));
  auto ram_page = [&]() { return kRamBase + rng.below(kRamPages) * 4096; };
  auto table_page = [&]() {
    return w.table_pages.empty() ? ram_page() : w.table_pages[rng.below(w.table_pages.size())];
  };
  if (mode < 2) {
    // nothing configured
  } else if (mode < 45) {
    const unsigned i = static_cast<unsigned>(rng.below(Pmp::kEntries));
    cfg[i] = Pmp::kNapot | rwx;
    addr[i] = full;
  } else {
    const unsigned n = 1 + static_cast<unsigned>(rng.below(4));
    for (unsigned i = 0; i < n; ++i) {
      uint8_t perms = static_cast<uint8_t>(rng.below(8));
      switch (rng.below(7)) {
        case 0:
        case 1:  // a page-table page: no reads, no A/D writes, or fine
          cfg[i] = Pmp::kNapot;
          addr[i] = napot(table_page(), 4096);
          perms = rng.pick<uint8_t>({0, Pmp::kR, Pmp::kR | Pmp::kX, Pmp::kR | Pmp::kW, rwx});
          break;
        case 2:  // a data page
          cfg[i] = Pmp::kNapot;
          addr[i] = napot(ram_page(), 4096);
          break;
        case 3:  // four bytes of a table page: a PTE read matches it only in part
          cfg[i] = Pmp::kNa4;
          addr[i] = (table_page() + rng.below(1024) * 4) >> 2;
          perms = rwx;
          break;
        case 4:  // all of RAM, read-only (or read-execute): A/D writes fail
          cfg[i] = Pmp::kNapot;
          addr[i] = napot(kRamBase, kRamSize);
          perms = rng.pick<uint8_t>({Pmp::kR, Pmp::kR | Pmp::kX});
          break;
        case 5: {  // a small block inside a table page
          const uint64_t size = 8ull << rng.below(8);
          cfg[i] = Pmp::kNapot;
          addr[i] = napot(table_page() + (rng.below(4096) & ~(size - 1)), size);
          break;
        }
        default:  // top of range [pmpaddr[i-1], here)
          cfg[i] = Pmp::kTor;
          addr[i] = (kRamBase + rng.below(kRamSize / 4) * 4) >> 2;
          if (i > 0 && rng.chance(0.5)) addr[i - 1] = (kRamBase + rng.below(kRamSize / 4) * 4) >> 2;
          break;
      }
      cfg[i] |= perms;
    }
    if (rng.below(100) >= 3) {
      const unsigned i = n + static_cast<unsigned>(rng.below(Pmp::kEntries - n));
      cfg[i] = Pmp::kNapot | rwx;
      addr[i] = full;
    }
  }
  for (unsigned i = 0; i < Pmp::kEntries; ++i) pmp.write_addr(i, addr[i]);
  uint64_t c0 = 0, c2 = 0;
  for (unsigned i = 0; i < 8; ++i) {
    c0 |= uint64_t{cfg[i]} << (8 * i);
    c2 |= uint64_t{cfg[i + 8]} << (8 * i);
  }
  pmp.write_cfg(0, c0);
  pmp.write_cfg(2, c2);
  return mode < 2 || mode >= 45;
}

// --- What the model did (a counter of the stream, seen at publication) -------------------------------------

class Recorder : public EventSink {
 public:
  struct Xlate {
    uint64_t va, pa;
    bool fault;
  };
  std::vector<Xlate> xlates;                          // this access's translations
  std::vector<std::pair<uint64_t, uint64_t>> writes;  // this access's A/D writes (address, value)
  bool log_walks = false;
  std::string walk_log;  // this access's PTE reads (--trace)
  // Coverage.
  uint64_t by_source[4] = {}, faults = 0, by_cause[16] = {}, walks = 0, ad_writes = 0, pte_read_errors = 0;
  uint64_t fills = 0, evictions = 0, invalidations[7] = {}, pwc_hits = 0, pwc_evictions = 0;
  uint64_t pwc_drops = 0, fences[5] = {}, superpage_walks = 0;

  void on_event(const Event& e) override {
    switch (e.kind) {
      case EventKind::Translation:
        xlates.push_back({e.va, e.pa, e.data != 0});
        ++by_source[e.outcome & 3];
        if (e.data) {
          ++faults;
          ++by_cause[e.aux & 15];
        }
        break;
      case EventKind::PteWrite:
        writes.emplace_back(e.pa, e.data);
        ++ad_writes;
        break;
      case EventKind::PteRead:
        pte_read_errors += e.aux != 0;
        if (log_walks) {
          char b[96];
          std::snprintf(b, sizeof b, " L%u@%#" PRIx64 "=%#" PRIx64 "%s", e.level, e.pa, e.data,
                        e.aux ? "!" : "");
          walk_log += b;
        }
        break;
      case EventKind::WalkEnd:
        ++walks;
        superpage_walks += e.outcome == 0 && e.level > 0;
        break;
      case EventKind::TlbFill:
        ++fills;
        evictions += e.outcome == static_cast<uint8_t>(FillReason::Replaced);
        break;
      case EventKind::TlbInvalidate: ++invalidations[std::min<unsigned>(e.outcome, 6)]; break;
      case EventKind::PwcLookup: pwc_hits += e.outcome == 0; break;
      case EventKind::PwcFill:
        pwc_evictions += e.outcome == static_cast<uint8_t>(FillReason::Replaced);
        break;
      case EventKind::PwcInvalidate: ++pwc_drops; break;
      case EventKind::Sfence: ++fences[(e.aux & 4) ? 4 : (e.aux & 3)]; break;
      default: break;
    }
  }
};

// --- The run -----------------------------------------------------------------------------------------------

__attribute__((format(printf, 3, 4))) void tracef(bool on, uint64_t n, const char* fmt, ...) {
  if (!on) return;
  std::printf("[%" PRIu64 "] ", n);
  va_list ap;
  va_start(ap, fmt);
  std::vprintf(fmt, ap);
  va_end(ap);
  std::printf("\n");
}

struct Options {
  std::string geometry = "default";
  std::vector<std::pair<std::string, std::string>> sets;
  uint64_t translations = 100000;
  uint64_t seed = 1;
  std::string source_dir = SV39SIM_SOURCE_DIR;
  std::string cache_dir;
  bool trace = false;
};

enum class Kind : uint8_t { Fetch, Load, Store, Amo };

struct Context {
  Priv priv = Priv::S;
  uint64_t mstatus = 0;
};

Context random_context(Rng& rng) {
  Context c;
  const unsigned r = static_cast<unsigned>(rng.below(100));
  c.priv = r < 45 ? Priv::S : r < 80 ? Priv::U : Priv::M;
  if (rng.chance(0.5)) c.mstatus |= mstatus::kSum;
  if (rng.chance(0.4)) c.mstatus |= mstatus::kMxr;
  if (c.priv == Priv::M ? rng.chance(0.8) : rng.chance(0.2)) c.mstatus |= mstatus::kMprv;
  c.mstatus |= uint64_t{rng.pick<uint8_t>({0, 1, 1, 3})} << mstatus::kMppShift;
  return c;
}

// A context the leaf admits (U-mode for U pages, else S-mode; sometimes through M with MPRV).
Context friendly_context(Rng& rng, uint64_t leaf) {
  Context c = random_context(rng);
  const Priv want = (leaf & pte::kU) ? (rng.chance(0.8) ? Priv::U : Priv::S) : Priv::S;
  c.mstatus &= ~(mstatus::kMprv | mstatus::kMpp);
  c.mstatus |= uint64_t{static_cast<uint8_t>(want)} << mstatus::kMppShift;
  if (want == Priv::S && (leaf & pte::kU)) c.mstatus |= mstatus::kSum;
  if (rng.chance(0.12)) {
    c.priv = Priv::M;
    c.mstatus |= mstatus::kMprv;
  } else {
    c.priv = want;
  }
  return c;
}

Kind random_kind(Rng& rng) {
  const unsigned r = static_cast<unsigned>(rng.below(100));
  return r < 28 ? Kind::Fetch : r < 65 ? Kind::Load : r < 90 ? Kind::Store : Kind::Amo;
}
Kind friendly_kind(Rng& rng, uint64_t leaf) {
  for (int tries = 0; tries < 4; ++tries) {
    const Kind k = random_kind(rng);
    if ((k == Kind::Fetch && (leaf & pte::kX)) || (k == Kind::Load && (leaf & pte::kR)) ||
        ((k == Kind::Store || k == Kind::Amo) && (leaf & pte::kW)))
      return k;
  }
  return random_kind(rng);
}

const char* kind_name(Kind k) {
  return k == Kind::Fetch ? "fetch" : k == Kind::Load ? "load" : k == Kind::Store ? "store" : "amo";
}

// An address inside `reg`: in superpages mostly where RAM is (or the device page).
uint64_t va_in(Rng& rng, const Region& reg) {
  const uint64_t size = sv39::page_size(reg.level);
  uint64_t off = reg.level == 0 || rng.chance(0.85) ? rng.below(std::min(size, kRamSize)) : rng.below(size);
  if (reg.level > 0 && rng.chance(0.1)) off = rng.below(kDevSize) + (kDevBase & (size - 1));
  return reg.va + off;
}

int run(const Options& o) {
  const auto t0 = std::chrono::steady_clock::now();
  Config cfg;
  const Geometry* geo = nullptr;
  for (const Geometry& g : kGeometries)
    if (o.geometry == g.name) geo = &g;
  if (!geo) throw InputError("--geometry: unknown geometry '" + o.geometry + "' (--list names them)");
  unsigned pos = 0;
  for (const auto& [k, v] : geo->keys) cfg.set(k, v, "geometry " + o.geometry, InputPos::command_line(pos++));
  for (const auto& [k, v] : o.sets) cfg.set(k, v, "--config-set", InputPos::command_line(pos++));

  const MmuConfig mcfg = mmu_config(cfg);
  const WalkerConfig wcfg = walker_config(cfg);
  const uint64_t period_ps = hart_timing(cfg).clock_period_ps;

  // The RTL for this configuration (built once, then cached) and the check.
  rtl::RtlCheckConfig cc;
  std::vector<std::string> params = rtl::rtl_parameters(cfg, &cc.geometry);
  // rtl_check.defines (e.g. a mutant's SV39_MUT_* define, to see the check catch it).
  {
    std::istringstream words(cfg.get_string("rtl_check.defines"));
    for (std::string d; words >> d;) params.push_back("+define+" + d);
  }
  cc.so_path =
      rtl::build_rtl(rtl::project_rtl(o.source_dir), params, rtl::rtl_cache_dir(o.cache_dir), o.source_dir);
  cc.period_ps = period_ps;
  cc.hardware_ad = mcfg.hardware_ad;
  cc.context = 8;
  cc.max_cycles = 10000;
  rtl::RtlChecker checker(cc);
  const auto t_built = std::chrono::steady_clock::now();

  std::vector<uint8_t> ram(kRamSize), shadow(kRamSize);
  checker.set_read_ram([&ram](uint64_t pa, uint64_t* value) {
    if (!in_ram(pa, 8)) return false;
    std::memcpy(value, ram.data() + (pa - kRamBase), 8);
    return true;
  });

  // The model: the checker on the bus before the Mmu is configured, so that it publishes every lookup.
  EventBus bus;
  Recorder rec;
  bus.subscribe_ordered(&checker);
  rec.log_walks = o.trace;
  bus.subscribe_counter(
      &rec, {EventKind::Translation, EventKind::PteWrite, EventKind::PteRead, EventKind::WalkEnd,
             EventKind::TlbFill, EventKind::TlbInvalidate, EventKind::PwcLookup, EventKind::PwcFill,
             EventKind::PwcInvalidate, EventKind::Sfence});
  FakeDevices devices;
  ZeroLatencyMemory timing;
  uint64_t cycles = 0;
  Mmu mmu(devices);
  RamTarget target("ram", ram.data());
  PageTableWalker walker("ptw", wcfg, mmu.pmp(), timing, &bus, period_ps);
  walker.mem.bind(target.socket);
  mmu.configure(mcfg, &walker, &bus, period_ps);
  mmu.attach_clock(&cycles);
  mmu.set_ram({kRamBase, kRamSize, ram.data()});

  Rng rng(o.seed);
  World world(rng, ram.data());
  uint64_t satp = 0;
  unsigned cur = 0;            // the current address space
  uint64_t root_override = 0;  // 0, or a root outside RAM
  bool bare = false;
  uint64_t rebuilds = 0, pmp_changes = 0, satp_writes = 0, leaf_changes = 0, pointer_changes = 0;
  uint64_t accesses = 0;

#define trace(...) tracef(o.trace, checker.translations(), __VA_ARGS__)
  auto tick = [&](uint64_t n) {
    cycles += n;
    bus.release();
  };
  auto fence = [&](const SfenceReq& r) {
    trace("sfence va=%d:%#" PRIx64 " asid=%d:%u", r.has_va, r.va, r.has_asid, r.asid);
    mmu.sfence(r);
    tick(1);
  };
  // As the hart writes satp: the new context, the SatpWrite event, then the MMU's reaction.
  auto write_satp = [&](uint64_t v, const Context& c) {
    const uint64_t old = satp;
    satp = v;
    mmu.set_context(c.priv, c.mstatus, satp);
    Event e;
    e.kind = EventKind::SatpWrite;
    e.unit = Unit::Hart;
    e.time_ps = mmu.now_ps();
    e.data = satp;
    e.aux = old;
    e.asid = sv39::satp_asid(satp);
    if (bus.wants(EventKind::SatpWrite)) bus.publish(e);
    mmu.satp_written();
    ++satp_writes;
    trace("satp := %#" PRIx64, satp);
    tick(1);
  };
  auto current_satp = [&]() {
    if (bare) return uint64_t{0};
    const Space& s = world.spaces[cur];
    return make_satp(s.asid, root_override ? root_override : s.root);
  };
  auto put_pte = [&](uint64_t pa, uint64_t v) {
    std::memcpy(ram.data() + (pa - kRamBase), &v, 8);
    std::memcpy(shadow.data() + (pa - kRamBase), &v, 8);
  };
  auto get_pte = [&](uint64_t pa) {
    uint64_t v;
    std::memcpy(&v, ram.data() + (pa - kRamBase), 8);
    return v;
  };
  auto random_asid = [&]() -> uint16_t {
    return rng.chance(0.7) ? static_cast<uint16_t>(rng.below(8))
                           : rng.pick<uint16_t>({0x1ff, 0x8000, 0xffff, static_cast<uint16_t>(rng.u64())});
  };
  // A fence of one of the four kinds around `va` (VA kinds: sometimes a non-canonical address, which has no
  // effect) in `asid`.
  auto random_fence = [&](uint64_t va, uint16_t asid) {
    SfenceReq r;
    const unsigned k = static_cast<unsigned>(rng.below(100));
    r.has_va = k < 70;               // 35% VA, 35% VA and ASID,
    r.has_asid = k >= 35 && k < 85;  // 15% ASID, 15% everything
    r.va = rng.chance(0.1) ? non_canonical(rng, va) : va;
    r.asid = rng.chance(0.85) ? asid : random_asid();
    fence(r);
  };

  auto rebuild = [&]() {
    std::vector<uint16_t> asids;
    const unsigned n = 2 + static_cast<unsigned>(rng.below(3));
    while (asids.size() < n) {
      const uint16_t a = random_asid();
      if (std::find(asids.begin(), asids.end(), a) == asids.end()) asids.push_back(a);
    }
    world.build(asids);
    shadow = ram;
    ++rebuilds;
    // Software makes the switch legal with a fence (or, now and then, does not: what stays cached is the
    // same on both sides).
    const unsigned how = static_cast<unsigned>(rng.below(100));
    if (how < 75) {
      fence(SfenceReq{});
    } else if (how < 90) {
      for (const Space& s : world.spaces) fence(SfenceReq{false, 0, true, s.asid});
    }
    cur = static_cast<unsigned>(rng.below(world.spaces.size()));
    root_override = rng.chance(0.03) ? rng.pick<uint64_t>({kRamBase + kRamSize, kDevBase, 0x1000}) : 0;
    bare = rng.chance(0.02);
    trace("new tables: %zu spaces, root override %#" PRIx64 ", bare %d", world.spaces.size(), root_override,
          bare);
  };
  bool pmp_restrictive = false;
  auto change_pmp = [&](bool open) {
    pmp_restrictive = random_pmp(rng, mmu.pmp(), world, open);
    mmu.pmp_changed();
    ++pmp_changes;
    trace("new PMP");
    if (rng.chance(0.9)) fence(SfenceReq{});
  };

  rebuild();
  change_pmp(false);
  write_satp(current_satp(), Context{Priv::S, 0});

  uint64_t va = 0;
  Slot last_leaf{};
  bool have_leaf = false;  // last_leaf is a leaf of the current tables
  const uint64_t max_accesses = o.translations * 20 + 1000;
  while (checker.translations() < o.translations && !checker.failed() && accesses < max_accesses) {
    ++accesses;
    // The world changes now and then.
    if (rng.chance(0.001)) {
      rebuild();
      have_leaf = false;
    }
    // Settings that make most walks fault do not last long.
    if (rng.chance(0.001) || (pmp_restrictive && rng.chance(0.01)))
      change_pmp(pmp_restrictive && rng.chance(0.8));
    if (root_override && rng.chance(0.02)) root_override = 0;
    if (rng.chance(0.03) || satp != current_satp()) {
      if (rng.chance(0.97)) {
        const unsigned next = static_cast<unsigned>(rng.below(world.spaces.size()));
        if (next != cur) have_leaf = false;  // (its VA is still used now and then: mostly unmapped here)
        cur = next;
      } else {
        world.spaces[cur].asid = random_asid();  // the same tables under another ASID (maybe a stale one)
      }
      write_satp(current_satp(), random_context(rng));
    }
    Space& sp = world.spaces[cur];
    if (rng.chance(0.03)) {
      // Software changes a PTE: a leaf (remap, permissions, A/D cleared) or a pointer, then fences it (or
      // not: both sides keep the same stale entries).
      const bool kernel = rng.chance(0.25);
      Space& owner = kernel ? world.kernel : sp;
      if (rng.chance(0.9) && !owner.leaves.empty()) {
        const Slot& s = owner.leaves[rng.below(owner.leaves.size())];
        uint64_t v = world.new_leaf(s.level);
        if (rng.chance(0.3)) v = get_pte(s.pte_addr) & ~(rng.chance(0.5) ? pte::kA : pte::kD);
        if (s.level > 0 && rng.chance(0.1)) v = world.new_pointer(s.level);  // a superpage becomes a table
        put_pte(s.pte_addr, v);
        ++leaf_changes;
        trace("leaf @%#" PRIx64 " L%u va %#" PRIx64 " := %#" PRIx64, s.pte_addr, s.level, s.va, v);
        if (rng.chance(0.8)) random_fence(s.va + rng.below(sv39::page_size(s.level)), sp.asid);
      } else if (!owner.pointers.empty()) {
        const Slot& s = owner.pointers[rng.below(owner.pointers.size())];
        const uint64_t v = world.new_pointer(s.level);
        put_pte(s.pte_addr, v);
        ++pointer_changes;
        trace("pointer @%#" PRIx64 " L%u va %#" PRIx64 " := %#" PRIx64, s.pte_addr, s.level, s.va, v);
        const unsigned r = static_cast<unsigned>(rng.below(100));
        if (r < 50)
          fence(SfenceReq{});
        else if (r < 70)
          fence(SfenceReq{false, 0, true, sp.asid});
        else if (r < 85)
          random_fence(s.va + rng.below(sv39::page_size(s.level)), sp.asid);
      }
    }
    if (rng.chance(0.005)) random_fence(va, rng.chance(0.5) ? sp.asid : random_asid());

    // Where: the same address or page again (TLB and PWC hits), a leaf the tables hold, anywhere.
    const unsigned r = static_cast<unsigned>(rng.below(100));
    bool has_leaf = false;
    uint64_t leaf = 0;
    if (accesses > 1 && r < 20) {
      // the same address
    } else if (accesses > 1 && r < 35) {
      va = (va & ~0xfffull) | rng.below(4096);
    } else if (r < 80) {
      Space& owner = rng.chance(0.3) ? world.kernel : sp;
      have_leaf = !owner.leaves.empty();
      if (have_leaf) {
        last_leaf = owner.leaves[rng.below(owner.leaves.size())];
        va = va_in(rng, Region{last_leaf.va, last_leaf.level});
      }
    } else {
      have_leaf = false;
      const unsigned w = static_cast<unsigned>(rng.below(100));
      if (w < 15 || sp.regions.empty()) {
        va = sign_extend39(rng.u64());
      } else {
        const Space& owner = rng.chance(0.3) ? world.kernel : sp;
        const std::vector<Region>& regs = owner.regions.empty() ? sp.regions : owner.regions;
        va = va_in(rng, regs[rng.below(regs.size())]);
        if (w < 30) va = non_canonical(rng, va);
      }
    }
    if (have_leaf && sv39::canonical(va) && ((va ^ last_leaf.va) >> (12 + 9 * last_leaf.level)) == 0) {
      has_leaf = true;
      leaf = get_pte(last_leaf.pte_addr);
    }
    const bool friendly = has_leaf && rng.chance(0.75);
    const Context c = friendly ? friendly_context(rng, leaf) : random_context(rng);
    const Kind kind = friendly ? friendly_kind(rng, leaf) : random_kind(rng);
    mmu.set_context(c.priv, c.mstatus, satp);

    // How wide, and aligned how: mostly natural, some misaligned, a few across a page boundary.
    unsigned size = 8;
    uint64_t a = va;
    if (kind == Kind::Fetch) {
      a &= ~1ull;
    } else if (kind == Kind::Amo) {
      size = rng.chance(0.5) ? 4 : 8;
      a &= ~uint64_t{size - 1};
    } else {
      size = rng.pick<unsigned>({1, 2, 4, 8});
      const unsigned m = static_cast<unsigned>(rng.below(100));
      if (m < 4 && size > 1)
        a = (a | 0xfff) - rng.below(size - 1);  // crosses into the next page
      else if (m >= 12)
        a &= ~uint64_t{size - 1};
    }
    trace("%s%u va %#" PRIx64 " priv %d mstatus %#" PRIx64 "%s", kind_name(kind), size, a,
          static_cast<int>(c.priv), c.mstatus, friendly ? " (friendly)" : "");

    rec.xlates.clear();
    rec.writes.clear();
    rec.walk_log.clear();
    bool ok = false;
    switch (kind) {
      case Kind::Fetch: {
        uint64_t pa;
        ok = mmu.translate_fetch(a, &pa);
        break;
      }
      case Kind::Load: {
        uint64_t v = 0;
        if (size == 1) ok = mmu.load<uint8_t>(a, reinterpret_cast<uint8_t*>(&v));
        if (size == 2) ok = mmu.load<uint16_t>(a, reinterpret_cast<uint16_t*>(&v));
        if (size == 4) ok = mmu.load<uint32_t>(a, reinterpret_cast<uint32_t*>(&v));
        if (size == 8) ok = mmu.load<uint64_t>(a, &v);
        break;
      }
      case Kind::Store: {
        const uint64_t v = rng.u64();
        if (size == 1) ok = mmu.store<uint8_t>(a, static_cast<uint8_t>(v));
        if (size == 2) ok = mmu.store<uint16_t>(a, static_cast<uint16_t>(v));
        if (size == 4) ok = mmu.store<uint32_t>(a, static_cast<uint32_t>(v));
        if (size == 8) ok = mmu.store<uint64_t>(a, v);
        break;
      }
      case Kind::Amo: {
        if (size == 4) {
          uint32_t old = 0;
          ok = mmu.amo<uint32_t>(a, &old, [](uint32_t x) { return ~x; });
        } else {
          uint64_t old = 0;
          ok = mmu.amo<uint64_t>(a, &old, [](uint64_t x) { return ~x; });
        }
        break;
      }
    }
    trace("  -> %s%s%s", ok ? "ok" : "fault ", ok ? "" : std::to_string(mmu.fault().cause).c_str(),
          rec.walk_log.c_str());
    // The walker's A/D writes stay; the store's data goes (the shadow holds RAM as the test means it).
    for (const auto& [pa, v] : rec.writes)
      if (in_ram(pa, 8)) std::memcpy(shadow.data() + (pa - kRamBase), &v, 8);
    if (kind == Kind::Store || kind == Kind::Amo) {
      std::vector<uint64_t> pages = {a, a + size - 1};
      for (const auto& x : rec.xlates)
        if (!x.fault) pages.push_back(x.pa);
      for (uint64_t p : pages) {
        if (!in_ram(p, 1)) continue;
        const uint64_t off = (p & ~0xfffull) - kRamBase;
        std::memcpy(ram.data() + off, shadow.data() + off, 4096);
      }
    }
    tick(1 + rng.below(3));
  }
#undef trace
  bus.end(mmu.now_ps());
  const auto t_end = std::chrono::steady_clock::now();

  const double build_s = std::chrono::duration<double>(t_built - t0).count();
  const double run_s = std::chrono::duration<double>(t_end - t_built).count();
  std::printf("rtl.random.%s (seed %" PRIu64 "): %s\n", o.geometry.c_str(), o.seed, geo->what);
  std::printf("  accesses %" PRIu64 ", translations by source L1/L2/walk %" PRIu64 "/%" PRIu64 "/%" PRIu64
              ", faults %" PRIu64 " (causes",
              accesses, rec.by_source[1], rec.by_source[2], rec.by_source[3], rec.faults);
  for (unsigned i = 0; i < 16; ++i)
    if (rec.by_cause[i]) std::printf(" %u:%" PRIu64, i, rec.by_cause[i]);
  std::printf(")\n  walks %" PRIu64 " (superpage leaves %" PRIu64 "), PTE read access faults %" PRIu64
              ", A/D writes %" PRIu64 ", TLB fills %" PRIu64 " (evictions %" PRIu64 "), PWC hits %" PRIu64
              " evictions %" PRIu64 " drops %" PRIu64 "\n",
              rec.walks, rec.superpage_walks, rec.pte_read_errors, rec.ad_writes, rec.fills, rec.evictions,
              rec.pwc_hits, rec.pwc_evictions, rec.pwc_drops);
  std::printf("  TLB drops by reason all/asid/va/va_asid/satp/denied/refill:");
  for (uint64_t n : rec.invalidations) std::printf(" %" PRIu64, n);
  std::printf("\n  fences all/va/asid/va_asid/satp-write %" PRIu64 "/%" PRIu64 "/%" PRIu64 "/%" PRIu64
              "/%" PRIu64 ", satp writes %" PRIu64 ", table rebuilds %" PRIu64 ", PMP changes %" PRIu64
              ", leaf changes %" PRIu64 ", pointer changes %" PRIu64 "\n",
              rec.fences[0], rec.fences[1], rec.fences[2], rec.fences[3], rec.fences[4], satp_writes,
              rebuilds, pmp_changes, leaf_changes, pointer_changes);
  std::printf("  RTL build/load %.1f s, run %.1f s (%.0f translations/s)\n", build_s, run_s,
              checker.translations() / std::max(run_s, 1e-9));
  std::printf("  %s\n", checker.summary().c_str());
  std::fflush(stdout);

  if (checker.failed()) {
    std::fprintf(stderr, "%s", checker.report().c_str());
    std::fprintf(stderr,
                 "reproduce: --geometry %s --seed %" PRIu64 " --translations %" PRIu64
                 " (--trace logs the stimulus)\n",
                 o.geometry.c_str(), o.seed, checker.mismatch_transaction());
    return 1;
  }
  if (checker.translations() < o.translations) {
    std::fprintf(stderr, "only %" PRIu64 " translations in %" PRIu64 " accesses (wanted %" PRIu64 ")\n",
                 checker.translations(), accesses, o.translations);
    return 1;
  }
  // The stream must have reached what the check is about.
  std::vector<std::string> missing;
  auto need = [&](bool b, const char* what) {
    if (!b) missing.push_back(what);
  };
  need(rec.by_source[1] > 0, "L1 TLB hits");
  need(!mcfg.l2tlb_enabled || rec.by_source[2] > 0, "L2 TLB hits");
  need(rec.superpage_walks > 0, "superpage leaves");
  need(rec.pte_read_errors > 0, "PTE read access faults");
  need(rec.faults > 0, "faults");
  need(!mcfg.hardware_ad || rec.ad_writes > 0, "A/D writes");
  need(rec.evictions > 0, "TLB evictions");
  need(!wcfg.pwc_enabled || rec.pwc_hits > 0, "PWC hits");
  need(rec.fences[0] > 0 && rec.fences[1] > 0 && rec.fences[2] > 0 && rec.fences[3] > 0,
       "all four fence kinds");
  need(!mcfg.flush_on_satp_write || rec.fences[4] > 0, "flushes on satp writes");
  for (const std::string& m : missing) std::fprintf(stderr, "NOT COVERED: %s\n", m.c_str());
  return missing.empty() ? 0 : 1;
}

}  // namespace
}  // namespace sv39sim

extern "C" int sc_main(int argc, char** argv) {
  using sv39sim::Options;
  sc_core::sc_set_time_resolution(1, sc_core::SC_PS);
  Options o;
  auto usage = [&]() {
    std::fprintf(stderr,
                 "usage: %s [--geometry NAME] [--config-set KEY=VALUE]... [--translations N] [--seed S]\n"
                 "          [--source-dir DIR] [--rtl-cache DIR] [--trace] | --list\n",
                 argv[0]);
    return 2;
  };
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    const bool has_value = i + 1 < argc;
    if (a == "--geometry" && has_value) {
      o.geometry = argv[++i];
    } else if (a == "--config-set" && has_value) {
      const std::string kv = argv[++i];
      const size_t eq = kv.find('=');
      if (eq == std::string::npos || eq == 0) return usage();
      o.sets.emplace_back(kv.substr(0, eq), kv.substr(eq + 1));
    } else if (a == "--translations" && has_value) {
      o.translations = std::strtoull(argv[++i], nullptr, 0);
    } else if (a == "--seed" && has_value) {
      o.seed = std::strtoull(argv[++i], nullptr, 0);
    } else if (a == "--source-dir" && has_value) {
      o.source_dir = argv[++i];
    } else if (a == "--rtl-cache" && has_value) {
      o.cache_dir = argv[++i];
    } else if (a == "--trace") {
      o.trace = true;
    } else if (a == "--list") {
      for (const auto& g : sv39sim::kGeometries) {
        std::printf("%-20s %s:", g.name, g.what);
        for (const auto& [k, v] : g.keys) std::printf(" %s=%s", k, v);
        std::printf("\n");
      }
      return 0;
    } else {
      return usage();
    }
  }
  if (o.source_dir.empty()) {
    std::fprintf(stderr, "%s: --source-dir: the repository root is needed (the RTL and its build)\n",
                 argv[0]);
    return 2;
  }
  try {
    return sv39sim::run(o);
  } catch (const sv39sim::InputError& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "internal error: %s\n", e.what());
    return 3;
  }
}

// Our own main only to silence SystemC's banner.
int main(int argc, char** argv) {
  ::setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 1);
  return sc_core::sc_elab_and_sim(argc, argv);
}
