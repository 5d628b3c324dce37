// An RV64IMAC + Zicsr + Zifencei hart with M, S and U modes. A plain class (riscv-vp style): HartModule
// drives it from a thin SC_THREAD and owns time; the hart only counts cycles and instructions.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <memory>
#include <unordered_map>

#include "models/arch/Csr.h"
#include "models/core/Decoder.h"
#include "models/core/Triggers.h"
#include "models/mmu/Mmu.h"

namespace sv39sim {

struct HartConfig {
  uint64_t hartid = 0;
  // false models a non-coherent instruction cache: code written by stores (or DMA) is seen by fetches
  // only after FENCE.I (see Hart::read_parcel).
  bool icache_coherent = true;
  // Sstc: the stimecmp CSR and menvcfg.STCE. false makes stimecmp an illegal CSR and STCE read-only zero.
  bool sstc = true;
};

// Where the `time` CSR comes from: the platform's mtime as seen at a given hart cycle.
class TimeSource {
 public:
  virtual ~TimeSource() = default;
  virtual uint64_t mtime_at_cycle(uint64_t cycle) = 0;
  // The first cycle at which mtime, counting up from its value at `from_cycle` (which is below `mtime`),
  // reaches `mtime`; UINT64_MAX when that lies beyond the span a run can simulate.
  virtual uint64_t cycle_at_mtime(uint64_t mtime, uint64_t from_cycle) = 0;
};

class Hart {
 public:
  Hart(Mmu& mmu, const HartConfig& cfg);

  void reset(uint64_t pc);
  void set_time_source(TimeSource* t) { time_ = t; }

  // Runs until the cycle count reaches `cycle_limit` or `instret_limit` instructions have retired.
  // Returns early when the hart waits for an interrupt (WFI), when an interrupt may have become pending
  // (a device line or CSR changed), or when stop() was called.
  void run(uint64_t cycle_limit, uint64_t instret_limit);
  // Runs for `cycles` more cycles (one instruction each while nothing stalls), with the same early returns.
  void run(uint64_t cycles) { run(cycle_ + cycles, UINT64_MAX); }
  void stop() { request_stop(); }

  // Interrupt wires from devices (MSIP, MTIP, MEIP and the PLIC's S-context SEIP).
  void set_interrupt_line(unsigned irq, bool level);
  bool waiting_for_interrupt() const { return wfi_; }
  // An interrupt is pending and enabled in mie (the WFI wake-up condition, regardless of xIE).
  bool wake_pending() const { return (mip() & mie_) != 0; }
  // Some interrupt is enabled in mie: only then can a device end a WFI.
  bool can_wake() const { return mie_ != 0; }
  // The cycle at which time reaches stimecmp (Sstc, menvcfg.STCE=1) while STIP is still low: the run loop
  // stops there, and a WFI sleeps no longer. UINT64_MAX when no such instant is ahead.
  uint64_t timer_deadline() const { return timer_deadline_; }
  // Brings STIP up to date after the driver advanced the clock (WFI): see update_supervisor_timer.
  void clock_advanced() {
    if (menvcfg_ & envcfg::kStce) update_supervisor_timer();
  }

  // Cycles advance one per instruction; time spent asleep in WFI is added by the driver.
  void add_cycles(uint64_t n) { cycle_ += n; }
  uint64_t cycles() const { return cycle_; }
  uint64_t instret() const { return instret_; }
  const uint64_t& instret_ref() const { return instret_; }  // for event stamps (EventBus)
  uint64_t pc() const { return pc_; }
  Priv priv() const { return priv_; }
  uint64_t reg(unsigned i) const { return x_[i]; }
  void set_reg(unsigned i, uint64_t v) {
    if (i != 0) x_[i] = v;
  }
  // Traps taken, by mcause (interrupts folded into 64 + cause number).
  const std::array<uint64_t, 80>& trap_counts() const { return trap_counts_; }
  // Exceptions taken (interrupts aside): the sum of trap_counts()[0..63].
  uint64_t exceptions() const { return exceptions_; }

  // CSR access as the given privilege would see it; false = illegal instruction. Exposed for tests.
  bool csr_read(uint16_t num, uint64_t* value);
  bool csr_write(uint16_t num, uint64_t value);
  bool csr_accessible(uint16_t num, bool write) const;

  void flush_decode_cache();

 private:
  // First, so that its address is the hart's: the run loop then needs no register for it.
  std::array<uint64_t, 33> x_{};  // x_[32] swallows writes to x0

  // The decode cache: one slot per 2-byte parcel of a physical page, filled on first execution, kept
  // until FENCE.I. Physically tagged, so translation changes do not affect it.
  static constexpr Op kUndecoded = Op::Undecoded;
  // A slot the run loop's straight-line flow must not pass without checking the fetch window (see
  // WindowGuard). It runs nothing.
  static constexpr Op kWindowGuard = Op::WindowGuard;
  // A decoded slot's key (DecodedInsn::key), what the run loop dispatches on: the op, plus kCompressedKey
  // for a 2-byte instruction, so that each operation's step to the next slot adds a constant. A slot not
  // decoded has the key kUndecoded, a guard kWindowGuard.
  static constexpr uint8_t kCompressedKey = 128;
  static_assert(static_cast<unsigned>(Op::WindowGuard) < kCompressedKey);
  static uint8_t key_of(Op op, unsigned len) {
    return static_cast<uint8_t>(static_cast<uint8_t>(op) + (len == 2 ? kCompressedKey : 0));
  }
  static constexpr size_t kPageSlots = 2048;
  struct DecodedPage {
    // Two guards past the page's last parcel: where the straight-line flow leaves the page.
    std::array<DecodedInsn, kPageSlots + 2> slots;
    DecodedPage() {
      for (size_t i = 0; i < slots.size(); ++i) {
        slots[i].op = i < kPageSlots ? kUndecoded : kWindowGuard;
        slots[i].key = static_cast<uint8_t>(slots[i].op);
      }
    }
  };
  // Beyond this many pages of decoded code the cache starts over (bounds host memory at about 16 MiB).
  static constexpr size_t kMaxDecodedPages = 512;

  // The slot of the parcel `off` bytes (even: pc is always 2-byte aligned) after `first`'s: one slot of
  // 16 bytes per 2 bytes of code, so the address is first + 8 * off.
  static const DecodedInsn* slot_at(const DecodedInsn* first, int64_t off) {
    return reinterpret_cast<const DecodedInsn*>(reinterpret_cast<const char*>(first) + off * 8);
  }
  // The address of the parcel whose slot is `d`, in run_fast's window (or of a guard past its end).
  uint64_t pc_of(const DecodedInsn* d) const {
    return stretch_lo_ + static_cast<uint64_t>(reinterpret_cast<const char*>(d) -
                                               reinterpret_cast<const char*>(window_slots_)) /
                             8;
  }
  void run_fast();
  template <bool kTriggers>
  void run_checked();
  // What execute_inline did.
  enum class Step : uint8_t {
    OutOfLine,  // nothing: the instruction needs execute() (or a slot not decoded yet)
    Next,       // ran, and falls through to the next parcel (in the run loop, to the slot `*next`)
    Spent,      // ran, and went on to the slot `*next` with the run loop's budget spent
    Jump,       // ran, and transferred control
    Guard,      // nothing: the slot is a kWindowGuard
  };
  template <bool kWindow>
  inline Step execute_inline(const DecodedInsn& d, uint64_t& pc, uint64_t budget0 = 0,
                             uint64_t* budget = nullptr, const DecodedInsn** next = nullptr);
  // A taken branch or JAL at `at` to at + d.imm, the target left in `pc`. One whose target lies in its
  // own L1I line (in_line) stays in the run loop's fetch window, which holds whole lines: the loop goes on
  // at the target's slot, beside d's, as after a fall-through (`next` and `budget` are given only there:
  // in the window).
  __attribute__((always_inline)) static Step jump(const DecodedInsn& d, uint64_t at, uint64_t& pc,
                                                  const DecodedInsn** next, uint64_t* budget) {
    if (next && d.in_line) {
      *next = slot_at(&d, d.imm);
      return step_on(budget);
    }
    pc = at + d.imm;
    return Step::Jump;
  }
  // The run loop's count-down of the instructions its stretch may still run, one per instruction that goes
  // on to the next slot: in each operation, so that each has its own test and branch back to the dispatch.
  __attribute__((always_inline)) static Step step_on(uint64_t* budget) {
    return __builtin_expect(--*budget == 0, 0) ? Step::Spent : Step::Next;
  }
  // The two slots where straight-line flow leaves the run loop's fetch window [lo, lo + len): the
  // parcels at lo + len (after an instruction that ends at the window's end) and lo + len + 2 (after one
  // that straddles it). While a stretch of run_fast runs, their keys are kWindowGuard and the keys they had
  // wait here, so an instruction that falls through needs no window check: it steps to the next slot,
  // and a guard sends the loop back to the check. Only run_fast's stretch reads slots meanwhile (a store
  // to a page of decoded code ends the stretch first: Mmu::ram_access), and it lifts the guards before
  // anything else runs.
  struct WindowGuard {
    DecodedInsn* at = nullptr;
    uint8_t saved[2] = {};
    void place(const DecodedInsn* end) {
      at = const_cast<DecodedInsn*>(end);
      saved[0] = at[0].key;
      saved[1] = at[1].key;
      at[0].key = at[1].key = static_cast<uint8_t>(kWindowGuard);
    }
    void lift() {
      if (!at) return;
      at[0].key = saved[0];
      at[1].key = saved[1];
      at = nullptr;
    }
  };
  // An L1D miss taken inside run_fast's stretch (Mmu::load_miss/store_miss; kNotTaken if not). The stretch
  // began with `budget0` fetches before the limit and may still run `budget` instructions, counting this one;
  // its fetches so far are budget0 - budget, so this one runs at cycle_ + budget0 - budget + 1. The stall
  // comes out of the budget, so later instructions run that much later, up to the limit (then the stretch
  // ends after this instruction, budget 1). The stretch's end adds budget0 - budget to the clock, the
  // retired count and the fetch window's hits; what the stall took from the budget is taken off those
  // two counts here, and the rest of it added to the clock.
  static uint64_t clock_at(uint64_t cycle, uint64_t budget0, uint64_t budget) {
    return cycle + budget0 - budget + 1;
  }
  bool miss_in_stretch(uint64_t& budget, uint64_t stall) {
    if (stall == Mmu::kNotTaken) return false;
    const uint64_t take = std::min(stall, budget - 1);
    budget -= take;
    cycle_ += stall - take;
    instret_ -= take;
    mmu_.fetch_window().replayed -= take;
    return true;
  }
  template <typename T>
  __attribute__((always_inline)) bool load_miss_in_stretch(uint64_t va, T* v, uint64_t budget0,
                                                           uint64_t* budget) {
    const Mmu::LoadMiss m = mmu_.load_miss<T>(va, clock_at(cycle_, budget0, *budget), data_window_);
    if (!miss_in_stretch(*budget, m.stall)) return false;
    *v = static_cast<T>(m.value);
    return true;
  }
  template <typename T>
  __attribute__((always_inline)) bool store_miss_in_stretch(uint64_t va, T v, uint64_t budget0,
                                                            uint64_t* budget) {
    return miss_in_stretch(*budget,
                           mmu_.store_miss<T>(va, v, clock_at(cycle_, budget0, *budget), data_window_));
  }
  bool execute(const DecodedInsn& d, uint64_t pc);
  // Some trigger may fire in the current privilege mode: instructions then go through run_checked<true>.
  bool triggers_armed() const { return (trigger_modes_ >> static_cast<unsigned>(priv_)) & 1; }
  bool trigger_before_fetch();
  bool trigger_on(const DecodedInsn& d);
  const DecodedInsn* fetch_slow();
  const DecodedInsn* decode_slot(DecodedInsn* slot, uint64_t pa);
  DecodedPage* decoded_page(uint64_t pa);
  void forget_decoded(uint64_t page_pa);
  bool fetch_decode(uint64_t pa, DecodedInsn* out);
  bool read_parcel(uint64_t pa, uint64_t va, uint16_t* parcel);
  void fence_i();
  void request_stop() {
    stop_ = true;
    limit_ = 0;
  }
  void take_trap(uint64_t cause, uint64_t tval);
  void raise(uint64_t cause, uint64_t tval) { take_trap(cause, tval); }
  void raise_fault() { take_trap(mmu_.fault().cause, mmu_.fault().tval); }
  void illegal(const DecodedInsn& d) { take_trap(cause::kIllegalInstruction, d.bits); }
  bool check_interrupts();
  void update_supervisor_timer();
  // A read of mip/sip sees STIP as of this instruction; if it rose, the interrupt is taken after it.
  void sample_supervisor_timer() {
    if (!(menvcfg_ & envcfg::kStce)) return;
    const uint64_t before = stip_timer_;
    update_supervisor_timer();
    if (stip_timer_ != before) request_stop();
  }
  void do_csr(const DecodedInsn& d);
  void do_mret(const DecodedInsn& d);
  void do_sret(const DecodedInsn& d);
  void do_wfi(const DecodedInsn& d);
  void do_sfence(const DecodedInsn& d);
  template <typename T>
  void do_amo(const DecodedInsn& d);
  void do_lr(const DecodedInsn& d, unsigned size);
  void do_sc(const DecodedInsn& d, unsigned size);
  void context_changed();
  void publish_trap(uint64_t mcause, uint64_t tval, Priv from, uint64_t epc) const;
  void publish_xret(bool sret, Priv from) const;

  // With menvcfg.STCE set, STIP is the Sstc comparison (time >= stimecmp) instead of the bit M writes.
  uint64_t mip() const {
    return ((menvcfg_ & envcfg::kStce) ? (mip_sw_ & ~irq::kStip) | stip_timer_ : mip_sw_) | mip_hw_;
  }
  uint64_t mstatus_read() const { return mstatus_ | mstatus::kUxl64 | mstatus::kSxl64; }

  Mmu& mmu_;
  TimeSource* time_ = nullptr;
  bool stop_ = true;
  uint64_t limit_ = 0;  // the inner loop runs while cycle_ < limit_; request_stop() zeroes it

  uint64_t pc_ = 0;
  uint64_t next_pc_ = 0;
  Priv priv_ = Priv::M;
  bool wfi_ = false;

  uint64_t cycle_ = 0, instret_ = 0;
  int64_t mcycle_offset_ = 0, minstret_offset_ = 0;
  bool reservation_valid_ = false;
  uint64_t reservation_addr_ = 0;

  uint64_t mstatus_ = 0, medeleg_ = 0, mideleg_ = 0, mie_ = 0, mip_sw_ = 0, mip_hw_ = 0;
  uint64_t mtvec_ = 0, mscratch_ = 0, mepc_ = 0, mcause_ = 0, mtval_ = 0;
  uint64_t stvec_ = 0, sscratch_ = 0, sepc_ = 0, scause_ = 0, stval_ = 0, satp_ = 0;
  uint32_t mcounteren_ = 0, scounteren_ = 0;
  uint64_t hartid_ = 0;

  // Sstc. stip_timer_ is time >= stimecmp (as irq::kStip or 0) when last evaluated; timer_deadline_ is the
  // cycle at which it rises, both kept only while menvcfg.STCE is set.
  bool sstc_ = true;
  uint64_t menvcfg_ = 0, senvcfg_ = 0, stimecmp_ = 0;
  uint64_t stip_timer_ = 0;
  uint64_t timer_deadline_ = UINT64_MAX;

  Triggers triggers_;
  uint8_t trigger_modes_ = 0;  // triggers_.armed_modes(), kept at hand for the loop choice

  std::array<uint64_t, 80> trap_counts_{};
  uint64_t exceptions_ = 0;
  std::unordered_map<uint64_t, std::unique_ptr<DecodedPage>> decoded_pages_;  // by physical page number
  // Pages of decoded code looked up lately, by the low bits of their page number: most page crossings of
  // the fetch window find theirs here without hashing. Emptied with the cache (pages are never freed
  // one by one).
  struct RecentDecoded {
    uint64_t ppn = ~0ull;
    DecodedPage* page = nullptr;
  };
  static constexpr size_t kRecentDecoded = 64;
  std::array<RecentDecoded, kRecentDecoded> recent_decoded_{};
  DecodedPage* window_page_ = nullptr;         // the decoded page under the fetch window
  const DecodedInsn* window_slots_ = nullptr;  // the slot of the fetch window's first byte
  uint64_t stretch_lo_ = 0, stretch_len_ = 0;  // run_fast's window [lo, lo + len) within a stretch
  // The run loop's data window: opened by run_fast, and left open from one of its stretches (and runs) to
  // the next until something other than the run loop's own loads and stores, fetches from a page the
  // fetch side replays and decoded slots may touch the L1D, the D-TLB, a page's rights or the context:
  // execute(), a fetch translated in full, decoding, a trap or other context change, run_checked, reset.
  // (After configuration only the hart reaches the Mmu's state; devices write RAM, which the slots read in
  // place, and a device's write to decoded code only retires micro-TLB entries.)
  Mmu::DataWindow data_window_;
  DecodedInsn scratch_;  // an instruction that straddles a page: never cached

  // The non-coherent instruction cache (icache_coherent = false): each RAM page fetched from since the
  // last FENCE.I, as it was at its first fetch, by physical page number.
  bool icache_coherent_ = true;
  std::unordered_map<uint64_t, std::unique_ptr<std::array<uint8_t, 4096>>> icache_pages_;
};

}  // namespace sv39sim
