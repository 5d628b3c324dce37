// The single translation entry point: every fetch, load, store and AMO of the hart comes through here,
// and permission checks live here (Sv39 via the shared rules, PMP). The hot path — a hit on the entry
// the TLB touched last, a PMP result cached per page, a RAM access by host pointer — is inline below;
// TLB misses, walks, device accesses and page-straddling accesses take the slow path in Mmu.cpp.
#pragma once

#include <array>
#include <cstdint>
#include <cstring>
#include <memory>
#include <type_traits>

#include "models/arch/Csr.h"
#include "models/mem/CodePages.h"
#include "models/mem/MemoryHierarchy.h"
#include "models/mem/MemoryTiming.h"
#include "models/mem/PhysicalMemory.h"
#include "models/mmu/Pmp.h"
#include "models/mmu/Sv39.h"
#include "models/mmu/Tlb.h"
#include "models/sim/Clock.h"
#include "models/sim/EventBus.h"

namespace sv39sim {

class PageTableWalker;

struct MemFault {
  uint64_t cause = 0;
  uint64_t tval = 0;
};

// The member defaults are the model's: the config schema takes its defaults from them (seeds aside, which
// the platform derives from sim.seed).
struct MmuConfig {
  TlbConfig itlb{"itlb", 16, 4, ReplacementPolicy::Lru, 1, 1, SuperpageMode::Main, 8};
  TlbConfig dtlb{"dtlb", 16, 4, ReplacementPolicy::Lru, 2, 1, SuperpageMode::Main, 8};
  bool l2tlb_enabled = true;
  TlbConfig l2tlb{"l2tlb", 128, 12, ReplacementPolicy::Lru, 3, 8, SuperpageMode::Main, 8};
  bool hardware_ad = true;
  bool flush_on_satp_write = false;
  unsigned asid_bits = 16;  // ASIDLEN: satp.ASID bits that are writable (the others read as zero)
  bool trap_misaligned = false;
  // false forces the slow, obviously-correct paths everywhere the hart's accesses go (no micro-TLB, no
  // cache line replays, no decode cache): what the equivalence test compares the fast paths against.
  bool fast_paths = true;
};

class Mmu {
 public:
  // The hart's data window, kept by the hart within one stretch of its run loop (Hart::run_fast): L1D lines
  // that are each the most recently touched line of their set, one slot per set (or per group of sets
  // with the same low bits, up to 64 slots, all within one page so that virtual and physical addresses
  // pick the same slot), each reached through a D-TLB entry that is the newest of its own TLB set (none
  // in Bare). Touching such a line again moves no replacement state (LRU: its way holds the set's newest
  // stamp; tree PLRU: the path already points away from it; FIFO and random ignore hits), nor does
  // touching such an entry: a further aligned access inside a slot's line is two counts, kept here until
  // close_data_window() adds them. Every L1D and D-TLB touch the run loop makes goes through
  // load_hit/store_hit or load_miss/store_miss, which put the line touched in its slot and close the
  // slots whose entry is no longer its set's newest: only that line's set and that entry's set have
  // changed. Stores need the line dirty and the page open to direct stores, so only a slot a store opened
  // takes them. (A single line, the L1D's last, caught 7 % of compute.elf's loads and stores; a slot per
  // set catches 68 %.)
  struct DataWindow {
    struct Slot {
      uint64_t lo = 0, load_len = 0, store_len = 0;  // virtual line; closed: both lengths 0
      uint8_t* host = nullptr;                       // the line's first byte in host memory
    };
    // The slot of `va` sits at byte (va & slot_mask) of the table: slots are a line apart (lines are at
    // least a Slot long where the window opens).
    Slot& slot(uint64_t va) {
      return *reinterpret_cast<Slot*>(reinterpret_cast<char*>(table->data()) + (va & slot_mask));
    }
    // Apart from the hart: a table inside it would keep its address in a register across the run loop.
    std::unique_ptr<std::array<Slot, 0x1000 / sizeof(Slot)>> table =
        std::make_unique<std::array<Slot, 0x1000 / sizeof(Slot)>>();
    uint64_t slot_mask = 0;
    uint64_t open = 0;  // bit k: the slot k lines into the table is open
    uint64_t loads = 0, stores = 0;
    // An entry the open slots were reached through: the counts are D-TLB hits at its level (every open
    // slot's entry has it). Null in Bare.
    const TlbEntry* entry = nullptr;
    // The entries the open slots were reached through, by the D-TLB set they are the newest of (hashed:
    // two sets that share a record never have open slots at once), with the slots each one opened.
    struct Newest {
      const TlbEntry* entry = nullptr;
      uint64_t slots = 0;
    };
    std::array<Newest, 8> newest{};
  };
  explicit Mmu(PhysicalMemory& mem);
  ~Mmu();

  // Wiring, done once by the platform (tests may leave the defaults: no walker means Bare only). Subscribe
  // to `events` (may be null) before: the fast paths that skip events are chosen here.
  void configure(const MmuConfig& cfg, PageTableWalker* walker, EventBus* events, uint64_t clock_period_ps);
  void attach_clock(uint64_t* cycles) { cycles_ = cycles; }
  // The hart's data window, which takes the L1D's geometry whenever the memory system is wired.
  void attach_data_window(DataWindow* w) {
    data_window_ = w;
    w->slot_mask = data_slot_mask_;
  }
  // The caches and memory that time the hart's own accesses (the walker has its own port into them).
  void set_memory_hierarchy(MemoryHierarchy* h);
  bool fast_paths() const { return cfg_.fast_paths; }
  const RamWindow& ram() const { return ram_; }
  void set_ram(const RamWindow& ram) {
    ram_ = ram;
    if (!ram_.code) {  // a RAM of the caller's own (unit tests): track its code here
      own_code_ = std::make_unique<CodePages>(ram.base, ram.size);
      ram_.code = own_code_.get();
    }
    ram_.code->set_listener([this](uint64_t page_pa) { code_written(page_pa); });
    code_flags_ = ram_.code->flags();
    for (unsigned k = 0; k < 4; ++k) ram_limit_[k] = ram.size >= (1u << k) ? ram.size - (1u << k) + 1 : 0;
    invalidate_fast_paths();
  }
  // Stores into [addr, addr+len) leave the fast path so the platform sees them (HTIF tohost).
  void set_store_watch(uint64_t addr, uint64_t len) {
    invalidate_fast_paths();
    watch_lo_ = addr - 7;  // any store of up to 8 bytes that overlaps the window
    watch_len_ = len + 7;
  }
  // Called with a page's physical address when a write reaches a page the hart has decoded code in.
  void set_code_listener(std::function<void(uint64_t)> listener) { code_listener_ = std::move(listener); }
  // The hart decoded an instruction at `pa` (RAM): stores there must now take a path that reports them.
  void mark_code(uint64_t pa) {
    if (ram_.code->has_code(pa)) return;
    ram_.code->mark(pa);
    close_fetch_window();
    // Micro entries of the page may allow direct stores to it: no longer.
    const uint64_t page = pa & ~0xfffull;
    for (MicroTlb& m : data_.micro) {
      if (m.pbase != page) continue;
      m.ok &= ~kRamStore;
      m.ram_store_generation = 0;
    }
  }
  // A page whose decoded code a write dropped: the hart forgets it, and the page's micro entries are
  // retired so that their next use allows direct stores again.
  void code_written(uint64_t page_pa) {
    if (code_listener_) code_listener_(page_pa);
    for (MicroTlb& m : data_.micro)
      if (m.pbase == page_pa) m.vpage = ~0ull;
  }
  void set_trap_misaligned(bool trap) {
    cfg_.trap_misaligned = trap;
    invalidate_fast_paths();
  }

  // Called by the hart whenever privilege, mstatus or satp change.
  void set_context(Priv priv, uint64_t mstatus, uint64_t satp);
  void satp_written();
  void sfence(const SfenceReq& req);
  Pmp& pmp() { return pmp_; }
  void pmp_changed() { invalidate_fast_paths(); }
  void reset();

  // Loads and stores. The fast path (inline, load_hit/store_hit): in Bare mode with PMP granting
  // everything, a RAM address whose line the L1D replays as a hit goes to the host copy; under
  // translation, an aligned access to a page the data side's micro-TLB holds as RAM replays the D-TLB hit
  // too. Such an access reads nothing of the hart's (clock, pc, retired count): the hart may run it with
  // those in registers. Anything else fails it with nothing done, and takes the full path. On success the
  // accessed line takes its slot in `window`, the hart's data window (if given; see DataWindow).
  template <typename T>
  __attribute__((always_inline)) bool load_hit(uint64_t va, T* out, DataWindow* window = nullptr) {
    return ram_access<T, false>(
        va, false, [&](RamAccess r) __attribute__((always_inline)) {
          if (!(window ? l1_hit_remembered(r.pa, false, Requester::Load)
                       : l1_hit(r.pa, false, Requester::Load, l1d_)))
            return false;
          if (r.entry) dtlb_->rehit(r.entry, Access::Load);
          std::memcpy(out, r.host, sizeof(T));
          if (window) put_data_line(*window, va, r.host, r.entry, false);
          return true;
        });
  }
  template <typename T>
  __attribute__((always_inline)) bool store_hit(uint64_t va, T value, DataWindow* window = nullptr) {
    return ram_access<T, true>(
        va, false, [&](RamAccess r) __attribute__((always_inline)) {
          if (!(window ? l1_hit_remembered(r.pa, true, Requester::Store)
                       : l1_hit(r.pa, true, Requester::Store, l1d_)))
            return false;
          if (r.entry) dtlb_->rehit(r.entry, Access::Store);
          std::memcpy(r.host, &value, sizeof(T));
          if (window) put_data_line(*window, va, r.host, r.entry, true);
          return true;
        });
  }
  // The fast path's L1D miss, for the hart's run loop: a load load_hit() turned down only because its
  // line is not one the L1D replays, taken as load_slow() takes it (the same TLB hit replayed, the same
  // L1D access) but timed at hart cycle `cycle`, since the run loop has not settled its clock. Returns
  // the cycles the hart stalls for it and the bytes loaded (zero-extended), in registers; a stall of
  // kNotTaken, with nothing done, for any other load, and whenever the memory system publishes events
  // (their horizon reads the hart's clock). The L1D has then allocated the line: it goes into the data
  // window `w`.
  static constexpr uint64_t kNotTaken = ~uint64_t{0};
  struct LoadMiss {
    uint64_t stall, value;
  };
  template <typename T>
  __attribute__((noinline)) LoadMiss load_miss(uint64_t va, uint64_t cycle, DataWindow& w) {
    if (!hierarchy_ || hierarchy_->publishes_events()) return {kNotTaken, 0};
    return ram_access<T, false>(
        va, LoadMiss{kNotTaken, 0}, [&](RamAccess r) __attribute__((always_inline)) {
          if (r.entry) dtlb_->rehit(r.entry, Access::Load);
          const uint64_t stalled = data_stall_inline(r.pa, false, Requester::Load, cycle * period_ps_);
          std::make_unsigned_t<T> v;
          std::memcpy(&v, r.host, sizeof(T));
          put_data_line(w, va, r.host, r.entry, false);
          return LoadMiss{stalled, v};
        });
  }
  // The same for a store store_hit() turned down.
  template <typename T>
  __attribute__((noinline)) uint64_t store_miss(uint64_t va, T value, uint64_t cycle, DataWindow& w) {
    if (!hierarchy_ || hierarchy_->publishes_events()) return kNotTaken;
    return ram_access<T, true>(
        va, kNotTaken, [&](RamAccess r) __attribute__((always_inline)) {
          if (r.entry) dtlb_->rehit(r.entry, Access::Store);
          const uint64_t stalled = data_stall_inline(r.pa, true, Requester::Store, cycle * period_ps_);
          std::memcpy(r.host, &value, sizeof(T));
          put_data_line(w, va, r.host, r.entry, true);
          return stalled;
        });
  }
  // A store inside slot `s` of the data window, which a load opened: opens the slot to stores, marking
  // its line dirty, if the store could take store_hit()'s path (RAM it may write directly). Then the store,
  // and the ones after it, are window hits too. (The micro-TLB entry that allows the store is the one the
  // load went through: micro entries are refilled or restricted only where the hart closes the window
  // first (a full translation, decoding), and one a write to code retires is not found. So the D-TLB hit
  // is on the slot's entry, the newest of its set.)
  template <typename T>
  __attribute__((always_inline)) bool open_slot_to_stores(DataWindow::Slot& s, uint64_t va) {
    if (va & (sizeof(T) - 1)) return false;
    return ram_access<T, true>(
        va, false, [&](RamAccess r) __attribute__((always_inline)) {
          if (!l1d_->mark_newest_dirty(r.pa)) return false;
          s.store_len = s.load_len;
          return true;
        });
  }
  // Adds a data window's counts where the accesses they stand for would have counted, leaving its slots open.
  void settle_data_window(DataWindow& w) {
    if (w.loads | w.stores) add_data_window_counts(w);
  }
  // The same, and closes its slots.
  void close_data_window(DataWindow& w) {
    settle_data_window(w);
    if (w.open) close_slots(w, w.open);
    if (w.entry) {
      w.newest.fill({});
      w.entry = nullptr;
    }
  }
  template <typename T>
  __attribute__((always_inline)) bool load(uint64_t va, T* out) {
    return load_hit(va, out) || load_slow(va, out);
  }
  template <typename T>
  __attribute__((always_inline)) bool store(uint64_t va, T value) {
    return store_hit(va, value) || store_slow(va, value);
  }

  // The full path of any load or store: checks, translation, timing, devices.
  template <typename T>
  __attribute__((noinline)) bool load_slow(uint64_t va, T* out) {
    if ((va & (sizeof(T) - 1)) && cfg_.trap_misaligned) return fail(cause::kMisalignedLoad, va);
    if (((va & 0xfff) + sizeof(T) > 0x1000) && data_.translate)
      return split_access(va, out, sizeof(T), Access::Load);
    uint64_t pa;
    if (!translate(va, sizeof(T), Access::Load, &pa)) return false;
    const uint64_t off = pa - ram_.base;
    if (off < ram_.size && ram_.size - off >= sizeof(T)) {
      time_access(pa, false, Requester::Load, l1d_);
      std::memcpy(out, ram_.host + off, sizeof(T));
      return true;
    }
    return slow_access(va, pa, out, sizeof(T), Access::Load);
  }

  template <typename T>
  __attribute__((noinline)) bool store_slow(uint64_t va, T value) {
    if ((va & (sizeof(T) - 1)) && cfg_.trap_misaligned) return fail(cause::kMisalignedStore, va);
    if (((va & 0xfff) + sizeof(T) > 0x1000) && data_.translate)
      return split_access(va, &value, sizeof(T), Access::Store);
    uint64_t pa;
    if (!translate(va, sizeof(T), Access::Store, &pa)) return false;
    const uint64_t off = pa - ram_.base;
    if (off < ram_.size && ram_.size - off >= sizeof(T) && pa - watch_lo_ >= watch_len_) {
      time_access(pa, true, Requester::Store, l1d_);
      std::memcpy(ram_.host + off, &value, sizeof(T));
      ram_.code->written(pa, sizeof(T));
      return true;
    }
    return slow_access(va, pa, &value, sizeof(T), Access::Store);
  }

  // Read-modify-write for AMOs and SC: translated as a store (AMOs need write permission and raise
  // store/AMO faults); alignment is checked by the hart, so an AMO never straddles a page.
  template <typename T, typename F>
  bool amo(uint64_t va, T* old, F&& modify) {
    uint64_t pa;
    if (!translate(va, sizeof(T), Access::Store, &pa)) return false;
    const uint64_t off = pa - ram_.base;
    if (off < ram_.size && ram_.size - off >= sizeof(T) && pa - watch_lo_ >= watch_len_) {
      time_access(pa, true, Requester::Store, l1d_);
      std::memcpy(old, ram_.host + off, sizeof(T));
      const T updated = modify(*old);
      std::memcpy(ram_.host + off, &updated, sizeof(T));
      ram_.code->written(pa, sizeof(T));
      return true;
    }
    if (!phys_read(pa, old, sizeof(T), cause::kStoreAccess, va)) return false;
    const T updated = modify(*old);
    return phys_write(pa, &updated, sizeof(T), cause::kStoreAccess, va);
  }

  // Translates the fetch address `va`; on success *pa holds the first parcel's physical address.
  bool translate_fetch(uint64_t va, uint64_t* pa) {
    close_fetch_window();  // the I-TLB and the L1I may now hold another page or line as the last one
    if (!translate(va, 2, Access::Fetch, pa)) return false;
    time_access(*pa, false, Requester::Fetch, l1i_);
    return true;
  }
  // translate_fetch() for the usual jump to another page, one the fetch side's micro-TLB holds while the
  // fetch window can open: the same I-TLB hit and L1I access, and then open_replayed_window() opens the
  // window as open_fetch_window() would, without its checks. False, with the window closed and nothing
  // else done, otherwise (translate_fetch() then takes the fetch).
  bool fetch_replay(uint64_t va, uint64_t* pa) {
    close_fetch_window();
    if (!fetch_lines_) return false;
    const MicroTlb* m = nullptr;
    if (!fetch_.identity && !(m = micro_hit(fetch_, va, Access::Fetch))) return false;
    translate(va, 2, Access::Fetch, pa);  // the identity or the micro-TLB hit just found
    time_access(*pa, false, Requester::Fetch, l1i_);
    replayed_entry_ = m ? m->entry : nullptr;
    return true;
  }
  // Opens the window on the line fetch_replay() just fetched: the I-TLB's last entry is that fetch's, and
  // the L1I's last line too unless the fetch bypassed the caches (below RAM: the boot ROM).
  void open_replayed_window(uint64_t va, uint64_t pa) {
    if (!l1i_->is_last_line(pa)) return;
    open_window_at(va, pa,
                   replayed_entry_ ? itlb_->hit_count(Access::Fetch, replayed_entry_->level) : &bare_hits_);
  }

  // The hart's fetch window: the L1I line of the fetch just made by translate_fetch(), as long as every
  // further fetch from it is an I-TLB hit on the entry just used (none in Bare) and an L1I hit on the
  // line just touched. Such a fetch changes two hit counts and nothing else (the entry and the line are
  // already the most recently touched, so no replacement state moves): the hart counts fetches inside
  // [lo, lo + len) in `replayed`, which settle_fetch_window() adds to both. Whatever could change either
  // outcome — a TLB fill, lookup or fence, a context, satp or PMP change, another fetch — settles and
  // closes the window.
  //
  // The window moves from line to line of its page (fetch_line_hit). A line it has touched stays placed:
  // the L1I holds it, and nothing but the window's own hits has touched the L1I since. A hit on a placed
  // line only notes when it happened; the L1I's replacement update for those hits is made later, line by
  // line in the order of their last hits (Cache::touch_placed), before anything else reaches the L1I.
  struct FetchWindow {
    uint64_t lo = 0, len = 0;  // virtual; len 0 = closed
    uint64_t pa_lo = 0;
    uint64_t replayed = 0;           // fetches counted nowhere else yet
    uint64_t* tlb_hits = nullptr;    // the I-TLB's fetch-hit count at the page's level (a sink in Bare)
    uint64_t* cache_hits = nullptr;  // the L1I's fetch-hit count
    // Bit k: the page's k-th line is placed. Only pages of at most 64 lines place any (place_bit 1).
    uint64_t placed = 0;
    uint64_t place_bit = 0;
    // The widest run of lines the run loop's window may span: one L1I way (sets x line), whose lines all
    // lie in different sets (Hart::run_fast widens the window over neighbouring lines it hops to). A hop
    // into the window is not noted, which keeps the deferred hits exact: lines of different sets need no
    // order, and returning to a line after a hop to another line of its set is a hop out of the window.
    uint64_t widest = 0;
    unsigned line_shift = 0;
    uint64_t hop_clock = 0;               // hits on placed lines so far; 0: none awaits its update
    std::array<uint64_t, 64> last_hop{};  // per line: hop_clock at its last hit awaiting update, or 0
    std::array<uint32_t, 64> index{};     // per placed line: where the L1I holds it (Cache::Placed)
  };
  FetchWindow& fetch_window() { return fetch_window_; }
  // The fetch window's line (the L1I's), or 0 when the window never opens.
  unsigned fetch_line() const { return fetch_lines_ ? l1i_->line_bytes() : 0; }
  // Opens the window on the line of `va` after translate_fetch(va) gave `pa`, when the fast paths allow.
  void open_fetch_window(uint64_t va, uint64_t pa);
  void settle_fetch_window() {
    if (fetch_window_.hop_clock) update_fetch_lines();
    settle_fetch_counts();
  }
  // The fetch window's counts alone, its hits on placed lines still awaiting their update: for the end of a
  // run of the hart's loop, which may resume with the window as it is (anything else that reaches the
  // L1I settles the window first).
  void settle_fetch_counts() {
    FetchWindow& w = fetch_window_;
    if (w.replayed) {
      *w.tlb_hits += w.replayed;
      *w.cache_hits += w.replayed;
      w.replayed = 0;
    }
  }
  // A fetch from another line of the window's page: the same I-TLB hit, and an L1I access (the recent-line
  // replay, or in full); the window moves to that line. False, with nothing done, outside the page or
  // with the window closed.
  bool fetch_in_window_page(uint64_t va, uint64_t* pa) {
    FetchWindow& w = fetch_window_;
    if (!w.len || ((va ^ w.lo) >> 12) != 0) return false;
    if (w.hop_clock && !fetch_page_in_one_way_) update_fetch_lines();  // as in fetch_line_hit
    ++*w.tlb_hits;
    *pa = (w.pa_lo & ~0xfffull) | (va & 0xfff);
    if (!l1_hit(*pa, false, Requester::Fetch, l1i_)) {
      if (w.hop_clock) update_fetch_lines();  // while `placed` still names the lines awaiting them
      time_access_slow(*pa, false, Requester::Fetch);
      w.placed = 0;  // the miss may have evicted a placed line
    }
    place_fetch_line(va);
    w.lo = va & ~(w.len - 1);
    w.pa_lo = *pa & ~(w.len - 1);
    return true;
  }
  // fetch_in_window_page() within inline code, for a line not placed, the fetch itself counted in
  // `replayed` by the hart: done only if the L1I replays the line as a hit (nothing then reads the hart's
  // clock); false with nothing done otherwise. (A hop to a placed line is the hart's: it notes the hop in
  // last_hop, and moves lo and pa_lo within the page by the end of its stretch; only their page is read
  // here.)
  __attribute__((always_inline)) bool fetch_line_hit(uint64_t va) {
    FetchWindow& w = fetch_window_;
    if (((va ^ w.lo) >> 12) != 0) return false;
    // The hit on a line not placed, in a set of its own, may come before the placed lines' updates.
    if (w.hop_clock && !fetch_page_in_one_way_) update_fetch_lines();
    const uint64_t pa = (w.pa_lo & ~0xfffull) | (va & 0xfff);
    if (!l1_hit(pa, false, Requester::Fetch, l1i_)) return false;
    ++*w.tlb_hits;
    --w.replayed;  // counted by the L1I and the I-TLB already
    place_fetch_line(va);
    w.lo = va & ~(w.len - 1);
    w.pa_lo = pa & ~(w.len - 1);
    return true;
  }
  void close_fetch_window() {
    settle_fetch_window();
    fetch_window_.len = 0;
    fetch_window_.placed = 0;
  }
  // Reads an instruction parcel (16 bits) at a translated fetch address; tval names `va`.
  bool fetch_parcel(uint64_t pa, uint64_t va, uint16_t* parcel) {
    const uint64_t off = pa - ram_.base;
    if (off < ram_.size && ram_.size - off >= 2) {
      std::memcpy(parcel, ram_.host + off, 2);
      return true;
    }
    return fail(cause::kFetchAccess, va);  // instructions come from RAM only
  }

  const MemFault& fault() const { return fault_; }
  // The hart's clock in simulated time (what events are stamped with).
  uint64_t now_ps() const { return cycles_ ? *cycles_ * period_ps_ : 0; }
  EventBus* events() const { return events_; }

  Tlb* itlb() { return itlb_.get(); }
  Tlb* dtlb() { return dtlb_.get(); }
  Tlb* l2tlb() { return l2tlb_.get(); }
  const MmuConfig& config() const { return cfg_; }

 private:
  // Recently translated pages of one side, with their verdict for each access type in the context they
  // were translated in (effective privilege, SUM/MXR, ASID: see Side::contexts), and the L1 TLB entry
  // that holds them. A hit replays the TLB hit (the same replacement update and count) without the
  // search and checks. An entry stands only for its context's generation: returning to a context (a
  // trap and its xRET, a switch back to an address space) finds its entries again, while a PMP change or
  // anything else that could change a verdict everywhere gives every context a new generation. A page
  // whose only L1 entry is global is found the same for every ASID: its entry also carries the
  // generation of the context without the ASID (Side::shared_generation), by which the full path takes
  // it into the current context, so the kernel's pages outlive address space switches. The TLB itself changes
  // entry by entry: an entry evicted, superseded or dropped retires the micro entries that point at it (Tlb's
  // drop hook), and a fill retires those its new entry could shadow (a lookup would no longer find theirs).
  // Loads or stores to an entry's page may go straight to `host` (a store bit only if the page holds no
  // watched address, whose stores the platform must see, and no decoded code).
  static constexpr uint8_t kRamLoad = 1u << 3, kRamStore = 1u << 4;
  struct MicroTlb {
    uint64_t vpage = ~0ull;
    uint64_t pbase = 0;
    uint64_t generation = 0;
    uint64_t shared_generation = 0;   // 0: the entry holds for its ASID only
    const TlbEntry* entry = nullptr;  // null in Bare mode: no TLB is involved
    uint8_t* host = nullptr;          // the page in host memory, if it lies wholly in RAM
    // `generation` when kRamLoad / kRamStore is set, else 0 (never a context's): one compare on the
    // hot path checks the context and the kind together.
    uint64_t ram_load_generation = 0, ram_store_generation = 0;
    uint8_t ok = 0;  // bit (1 << Access): allowed without further checks; kRam*: below
    void set_generation(uint64_t g) {
      generation = g;
      ram_load_generation = ok & kRamLoad ? g : 0;
      ram_store_generation = ok & kRamStore ? g : 0;
    }
  };
  // Where the fast paths (load_hit/store_hit, load_miss/store_miss) may take an access of T at `va`: RAM
  // in Bare-direct mode, or an aligned access to a page the data side's micro-TLB holds as RAM for it. A
  // store may not touch the watch window (devices in RAM such as tohost) nor a page holding decoded code:
  // store_slow() reports it to CodePages, which makes the hart drop code the run loop may be executing.
  // Calls take(RamAccess) for such an access and returns what it returns; returns `no` for any other
  // access. (A call per mode, so that each inlined copy knows its mode.) Outside Bare-direct mode no offset
  // lies below direct_limit_; in it, an address outside RAM finds no micro entry of the context (the
  // identity translation makes none), and any micro entry that does hit holds for the current context.
  struct RamAccess {
    uint8_t* host;          // the bytes in host memory
    uint64_t pa;            // the physical address
    const TlbEntry* entry;  // the D-TLB entry whose hit the access replays (none in Bare mode)
  };
  template <typename T, bool kStore, typename R, typename F>
  __attribute__((always_inline)) R ram_access(uint64_t va, R no, F&& take) {
    if (const uint64_t off = va - ram_.base; off < direct_limit_[size_index<T>()]) {
      if (kStore && (va - watch_lo_ < watch_len_ ||
                     (code_flags_[off >> 12] | code_flags_[(off + sizeof(T) - 1) >> 12])))
        return no;
      return take(RamAccess{ram_.host + off, va, nullptr});
    }
    const MicroTlb* m = micro_ram_hit(va, sizeof(T), kStore ? kRamStore : kRamLoad);
    if (!m) return no;
    return take(RamAccess{m->host + (va & 0xfff), m->pbase | (va & 0xfff), m->entry});
  }
  // The data side's micro-TLB entry for `va` if it allows an aligned access of `len` bytes with `kind`.
  __attribute__((always_inline)) const MicroTlb* micro_ram_hit(uint64_t va, unsigned len,
                                                               uint8_t kind) const {
    const MicroTlb& m = data_.micro[(va >> 12) & (kMicroEntries - 1)];
    const uint64_t generation = kind == kRamLoad ? m.ram_load_generation : m.ram_store_generation;
    if ((va >> 12) != m.vpage || generation != data_.generation || (va & (len - 1))) return nullptr;
    return &m;
  }
  static constexpr unsigned kMicroEntries = 256;

  // Everything that decides one side's translation, recomputed on every context change.
  struct Side {
    bool translate = false;  // Sv39 applies (effective privilege below M and satp.MODE = Sv39)
    Priv priv = Priv::M;     // effective privilege (MPRV/MPP resolved for data)
    sv39::AccessRights rights;
    // PMP verdict cached for one 4 KiB physical page: kR|kW|kX granted to all of it.
    bool pmp_bypass = true;          // M-mode with no locked entry: PMP grants everything
    bool identity = false;           // Bare with PMP granting everything: every address maps to itself
    bool direct = false;             // identity, and misaligned accesses are performed: RAM needs no checks
    uint64_t generation = 1;         // the current context's: what valid micro entries carry
    uint64_t shared_generation = 1;  // the current context's without its ASID
    // The contexts this side was in lately, with their generations. A context is everything a
    // micro entry's verdict depends on besides the TLB's contents and what retires every context.
    struct Context {
      uint64_t key = ~0ull;
      uint64_t generation = 0;
    };
    // Enough for the contexts of a few address spaces (user and supervisor each) and the machine's.
    static constexpr unsigned kContexts = 16;
    std::array<Context, kContexts> contexts{};
    unsigned next_context = 0;  // the slot a new context takes (round robin)
    std::array<MicroTlb, kMicroEntries> micro{};
  };
  // The side's micro-TLB entry for `va` if it holds the page, in the current context, for access `a`.
  __attribute__((always_inline)) const MicroTlb* micro_hit(const Side& s, uint64_t va, Access a) const {
    const MicroTlb& m = s.micro[(va >> 12) & (kMicroEntries - 1)];
    if ((va >> 12) != m.vpage || m.generation != s.generation || !(m.ok >> static_cast<unsigned>(a) & 1))
      return nullptr;
    return &m;
  }

  // Inlined into every access so the access type folds away; the full path stays out of line.
  __attribute__((always_inline)) bool translate(uint64_t va, unsigned len, Access a, uint64_t* pa) {
    Side& s = a == Access::Fetch ? fetch_ : data_;
    if (s.identity) {
      *pa = va;
      return true;
    }
    if (const MicroTlb* m = micro_hit(s, va, a); m && (va & 0xfff) + len <= 0x1000) {
      *pa = m->pbase | (va & 0xfff);
      if (m->entry) (a == Access::Fetch ? itlb_ : dtlb_)->rehit(m->entry, a);
      return true;
    }
    return translate_full(va, len, a, pa);
  }

  __attribute__((noinline)) bool translate_full(uint64_t va, unsigned len, Access a, uint64_t* pa);

  // The L1 TLB hit path: no stall (L1 hits are pipelined), permissions from the cached leaf bits.
  bool translate_hit(const Side& s, uint64_t va, Access a, uint64_t* pa) {
    Tlb& l1 = a == Access::Fetch ? *itlb_ : *dtlb_;
    const TlbEntry* e = l1.lookup(va, asid_);
    l1_denied_ = e != nullptr;
    if (!e || !sv39::permits(e->pte, a, s.rights) || sv39::needs_ad(e->pte, a)) {
      if (lookups_on_)
        l1.publish_lookup(a, va, asid_, e ? LookupOutcome::Denied : LookupOutcome::Miss, e, now_ps());
      return false;
    }
    l1.count_hit(a, e->level);
    if (lookups_on_) l1.publish_lookup(a, va, asid_, LookupOutcome::Hit, e, now_ps());
    const uint64_t mask = sv39::page_size(e->level) - 1;
    *pa = ((e->ppn << sv39::kPageShift) & ~mask) | (va & mask);
    if (translations_on_) publish(va, a, *pa, e->level, TranslationSource::L1Tlb);
    return true;
  }

  // PMP for the full path: per-page verdicts come from the Pmp's memo; an access inside a page that
  // an entry boundary splits is checked on its own.
  bool pmp_ok(const Side& s, uint64_t pa, unsigned len, Access a) const {
    if (s.pmp_bypass) return true;
    if ((pa & 0xfff) + len <= 0x1000) {
      const int perms = pmp_.page_permissions(pa & ~0xfffull, s.priv);
      if (perms >= 0) return (perms & Pmp::needed(a)) != 0;
    }
    return pmp_.allows(pa, len, a, s.priv);
  }

  bool translate_page(Side& s, uint64_t va, Access a, uint64_t* pa);
  // Charges the hart for an access to RAM: an L1 hit is pipelined (no stall); anything slower stalls
  // for the time beyond an L1 hit.
  __attribute__((always_inline)) void time_access(uint64_t pa, bool write, Requester who, Cache* l1) {
    if (!l1_hit(pa, write, who, l1)) time_access_slow(pa, write, who);
  }
  // After an access of the run loop, which made `va`'s line the newest of its L1D set and `entry` (if any)
  // the newest of its D-TLB set: the line takes its slot in the data window, and slots reached through
  // another entry of that D-TLB set close.
  __attribute__((always_inline)) void put_data_line(DataWindow& w, uint64_t va, uint8_t* host,
                                                    const TlbEntry* entry, bool store) {
    if (!data_line_) return;
    const uint64_t bit = uint64_t{1} << ((va & data_slot_mask_) >> data_line_shift_);
    if (entry) {
      if (!w.entry || w.entry->level != entry->level) {  // the counts are for one level
        close_data_window(w);
        w.entry = entry;
      }
      DataWindow::Newest& n =
          w.newest[(reinterpret_cast<uintptr_t>(entry->newest_in_set) / sizeof(void*)) & 7];
      if (n.entry != entry) {
        if (n.slots) close_slots(w, n.slots);
        n.entry = entry;
        n.slots = 0;
      }
      n.slots |= bit;
    }
    DataWindow::Slot& s = w.slot(va);
    const uint64_t off = va & (data_line_ - 1);
    s.lo = va - off;
    s.host = host - off;
    s.load_len = data_line_;
    s.store_len = store ? data_line_ : 0;
    w.open |= bit;
  }
  void add_data_window_counts(DataWindow& w);
  void close_slots(DataWindow& w, uint64_t slots) {
    for (uint64_t k = slots & w.open; k; k &= k - 1) {
      DataWindow::Slot& s = w.slot(uint64_t{static_cast<unsigned>(__builtin_ctzll(k))} << data_line_shift_);
      s.load_len = s.store_len = 0;
    }
    w.open &= ~slots;
  }
  // The L1I line of `va`, just touched, is placed in the fetch window (if its page places lines).
  void place_fetch_line(uint64_t va) {
    FetchWindow& w = fetch_window_;
    const unsigned k = ((va & 0xfff) >> w.line_shift) & 63;
    w.placed |= w.place_bit << k;
    w.index[k] = l1i_->last_placed().index;
  }
  // Makes the L1I's replacement update for the fetch window's hits on placed lines.
  void update_fetch_lines();
  // An access that costs nothing beyond an L1 hit the cache replays (or no caches at all): counted, and
  // true; false with nothing done otherwise.
  __attribute__((always_inline)) bool l1_hit(uint64_t pa, bool write, Requester who, Cache* l1) {
    return !hierarchy_ || (l1 && l1->hit_recent(pa, write, who));
  }
  // The same for the run loop's loads and stores, without the L1D's last line: the line an access of the
  // run loop touched last is in the data window, so few of those that miss the window find it. (One
  // that does, without a slot in the recent-line table, takes the miss path, which finds it present.)
  __attribute__((always_inline)) bool l1_hit_remembered(uint64_t pa, bool write, Requester who) {
    return !hierarchy_ || (l1d_ && l1d_->hit_remembered(pa, write, who));
  }
  void time_access_slow(uint64_t pa, bool write, Requester who) {
    stall(stall_cycles(pa, write, who, now_ps()));
  }
  // An access that is not an L1 hit the cache replays, made at now_ps: the cycles it stalls the hart
  // (an L1 hit is pipelined; anything slower stalls for the time beyond one). Out of line; stall_inline()
  // is the same for load_miss/store_miss, which the hart's run loop calls for every L1D miss.
  uint64_t stall_cycles(uint64_t pa, bool write, Requester who, uint64_t now_ps);
  __attribute__((always_inline)) uint64_t stall_inline(uint64_t pa, bool write, Requester who,
                                                       uint64_t now_ps) {
    return stall_until(hierarchy_->access(who, pa, write, now_ps), who, now_ps);
  }
  // The same for a load or store to RAM (MemoryHierarchy::data_access).
  __attribute__((always_inline)) uint64_t data_stall_inline(uint64_t pa, bool write, Requester who,
                                                            uint64_t now_ps) {
    return stall_until(hierarchy_->data_access(who, pa, write, now_ps), who, now_ps);
  }
  __attribute__((always_inline)) uint64_t stall_until(uint64_t done, Requester who, uint64_t now_ps) const {
    const uint64_t pipelined = now_ps + hierarchy_->l1_hit_ps(who);
    return done > pipelined ? cycles_covering(done - pipelined, period_ps_) : 0;
  }
  void refresh_micro(const Side& s, uint64_t va, uint64_t pa, Access a);
  bool split_access(uint64_t va, void* data, unsigned len, Access a);
  bool slow_access(uint64_t va, uint64_t pa, void* data, unsigned len, Access a);
  bool phys_read(uint64_t pa, void* data, unsigned len, uint64_t access_fault, uint64_t va);
  bool phys_write(uint64_t pa, const void* data, unsigned len, uint64_t access_fault, uint64_t va);
  // Publishes a Translation event (Event.h): the answer to one translation request.
  void publish(uint64_t va, Access a, uint64_t pa, unsigned level, TranslationSource src, bool fault = false,
               uint64_t cause = 0);
  void invalidate_fast_paths();
  void update_side_flags();
  void enter_context(Side& s);
  uint64_t context_generation(Side& s, uint64_t key);
  static void tlb_dropped(void* mmu, const TlbEntry* where, uint64_t vpn, unsigned level);
  static void retire_micro(Side& s, const TlbEntry* where, uint64_t vpn, unsigned level);
  static void retire_shadowed(Side& s, const TlbEntry& filled);
  void flush(const SfenceReq& req, FlushKind kind);
  void stall(uint64_t cycles) {
    if (cycles_) *cycles_ += cycles;
  }
  bool fail(uint64_t cause, uint64_t tval) {
    fault_.cause = cause;
    fault_.tval = tval;
    return false;
  }

  PhysicalMemory& mem_;
  MmuConfig cfg_;
  PageTableWalker* walker_ = nullptr;
  MemoryHierarchy* hierarchy_ = nullptr;
  Cache* l1i_ = nullptr;
  Cache* l1d_ = nullptr;
  EventBus* events_ = nullptr;
  bool lookups_on_ = false;       // someone wants TlbLookup events: the micro-TLB stands aside
  bool translations_on_ = false;  // someone wants Translation events: likewise
  uint64_t* cycles_ = nullptr;
  uint64_t period_ps_ = 1000;
  bool l1_denied_ = false;  // the last L1 lookup found an entry whose cached bits did not allow the access

  std::unique_ptr<Tlb> itlb_, dtlb_, l2tlb_;
  Pmp pmp_;
  Side fetch_, data_;
  uint64_t last_generation_ = 1;  // generations are never reused: an old entry cannot match a new context
  uint64_t satp_ = 0;
  uint16_t asid_ = 0;
  Priv priv_ = Priv::M;
  uint64_t mstatus_ = 0;

  RamWindow ram_;
  uint64_t watch_lo_ = 0;
  uint64_t watch_len_ = 0;
  template <typename T>
  static constexpr unsigned size_index() {
    return sizeof(T) == 1 ? 0 : sizeof(T) == 2 ? 1 : sizeof(T) == 4 ? 2 : 3;
  }

  MemFault fault_;
  FetchWindow fetch_window_;
  std::unique_ptr<CodePages> own_code_;
  std::function<void(uint64_t)> code_listener_;
  const uint8_t* code_flags_ = nullptr;     // ram_.code's flag per page, for the direct store path
  std::array<uint64_t, 4> ram_limit_{};     // by log2(size): RAM offsets below it can start such an access
  std::array<uint64_t, 4> direct_limit_{};  // ram_limit_ while the data side is direct, else 0
  uint64_t data_line_ = 0;                  // the data window's line: the L1D's (0: no window)
  uint64_t data_slot_mask_ = 0;             // DataWindow::slot_mask for the L1D's geometry
  unsigned data_line_shift_ = 0;            // log2(data_line_)
  DataWindow* data_window_ = nullptr;       // the hart's (attach_data_window)
  // The fetch window can open: an L1I of the hart's own (fast paths on) with lines within a page.
  bool fetch_lines_ = false;
  // Every line of a page lies in an L1I set of its own (one way spans a page or more), so touching one
  // line of the fetch window's page cannot change the order within the set of another.
  bool fetch_page_in_one_way_ = false;
  const TlbEntry* replayed_entry_ = nullptr;  // the I-TLB entry of fetch_replay()'s page, if any
  void open_window_at(uint64_t va, uint64_t pa, uint64_t* tlb_hits);
  uint64_t bare_hits_ = 0;  // what the fetch window counts in place of TLB hits when no TLB is involved
};

}  // namespace sv39sim
