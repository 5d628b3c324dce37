// An Sv39 translation written from the RISC-V privileged spec's text alone, as the tests' oracle: the
// "Virtual Address Translation Process" steps, the Sv32/Sv39 PTE formats, SUM/MXR/MPRV in mstatus, satp,
// and the exception codes of mcause. It shares no code, constant or type with the model (models/), so
// a rule the model gets wrong shows up as a difference instead of being copied into the expectation.
// Deliberately plain: the walk follows the spec's numbered steps in order; no caching, no timing.
//
// What is the caller's: physical memory (PMAs: an address with nothing behind it) and PMP, given as a
// predicate (PMP has its own tests). The reference decides which accesses are checked and with which
// privilege: every PTE read and A/D update as S-mode ("PMP checks are also applied to page-table
// accesses for virtual-address translation, for which the effective privilege mode is S"), the final
// address with the effective privilege of the access.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

namespace sv39ref {

// Privilege levels as mstatus.MPP encodes them.
enum class Priv : uint8_t { U = 0, S = 1, M = 3 };
// A store includes AMOs and SC: they take store/AMO faults.
enum class Access : uint8_t { Fetch, Load, Store };

// mcause exception codes (Interrupt = 0).
namespace cause {
constexpr uint64_t kInstructionAccessFault = 1, kLoadAccessFault = 5, kStoreAmoAccessFault = 7;
constexpr uint64_t kInstructionPageFault = 12, kLoadPageFault = 13, kStoreAmoPageFault = 15;
}  // namespace cause

// "raise a page-fault exception corresponding to the original access type"
inline uint64_t page_fault(Access a) {
  switch (a) {
    case Access::Fetch: return cause::kInstructionPageFault;
    case Access::Load: return cause::kLoadPageFault;
    case Access::Store: return cause::kStoreAmoPageFault;
  }
  return ~0ull;
}
// "raise an access-fault exception corresponding to the original access type"
inline uint64_t access_fault(Access a) {
  switch (a) {
    case Access::Fetch: return cause::kInstructionAccessFault;
    case Access::Load: return cause::kLoadAccessFault;
    case Access::Store: return cause::kStoreAmoAccessFault;
  }
  return ~0ull;
}

// Sv39 sizes: PAGESIZE = 2^12, LEVELS = 3, PTESIZE = 8, VPN fields of 9 bits.
constexpr uint64_t kPageSize = 4096;
constexpr int kLevels = 3;
constexpr uint64_t kPteSize = 8;

inline uint64_t bits(uint64_t x, unsigned hi, unsigned lo) {
  return (x >> lo) & (hi - lo == 63 ? ~0ull : (1ull << (hi - lo + 1)) - 1);
}
inline bool bit(uint64_t x, unsigned n) {
  return (x >> n) & 1;
}

// Sv39 virtual address: VPN[2] 38:30, VPN[1] 29:21, VPN[0] 20:12, page offset 11:0.
inline uint64_t va_vpn(uint64_t va, int i) {
  return bits(va, 20 + 9 * i, 12 + 9 * i);
}
// "must have bits 63-39 all equal to bit 38, or else a page-fault exception will occur"
inline bool va_bits_63_39_equal_bit_38(uint64_t va) {
  const uint64_t top = bits(va, 63, 38);  // 26 bits: bit 38 and the 25 above it
  return top == 0 || top == (1ull << 26) - 1;
}

// Sv39 PTE: N 63, PBMT 62:61, reserved 60:54, PPN[2] 53:28, PPN[1] 27:19, PPN[0] 18:10, RSW 9:8,
// D 7, A 6, G 5, U 4, X 3, W 2, R 1, V 0.
struct Pte {
  uint64_t raw = 0;
  bool v() const { return bit(raw, 0); }
  bool r() const { return bit(raw, 1); }
  bool w() const { return bit(raw, 2); }
  bool x() const { return bit(raw, 3); }
  bool u() const { return bit(raw, 4); }
  bool g() const { return bit(raw, 5); }
  bool a() const { return bit(raw, 6); }
  bool d() const { return bit(raw, 7); }
  uint64_t ppn(int i) const {
    return i == 2 ? bits(raw, 53, 28) : i == 1 ? bits(raw, 27, 19) : bits(raw, 18, 10);
  }
  uint64_t ppn_all() const { return bits(raw, 53, 10); }
  bool leaf() const { return r() || x(); }
  // Bit 63 (Svnapot), 62:61 (Svpbmt) and 60:54 must be zero when those extensions are absent, as here;
  // "For non-leaf PTEs, the D, A, and U bits are reserved for future standard use."
  bool reserved_bits_set() const { return bits(raw, 63, 54) != 0 || (!leaf() && (d() || a() || u())); }
};
constexpr uint64_t kPteA = 1ull << 6, kPteD = 1ull << 7;

// The hart state a translation depends on.
struct Context {
  Priv priv = Priv::M;
  bool mprv = false;
  Priv mpp = Priv::U;
  bool sum = false;
  bool mxr = false;
  uint64_t satp = 0;
  // true: the walk sets A and D (Svadu); false: A = 0, or a store to D = 0, is a page fault (Svade).
  bool hardware_ad = true;
  // May an access of `len` bytes at physical `pa` with privilege `priv` proceed under PMP? Empty: yes.
  std::function<bool(uint64_t pa, unsigned len, Access, Priv)> pmp;

  // From the CSRs: mstatus MPP 12:11, MPRV 17, SUM 18, MXR 19.
  static Context from_csrs(Priv priv, uint64_t mstatus, uint64_t satp, bool hardware_ad) {
    Context c;
    c.priv = priv;
    c.mpp = static_cast<Priv>(bits(mstatus, 12, 11));
    c.mprv = bit(mstatus, 17);
    c.sum = bit(mstatus, 18);
    c.mxr = bit(mstatus, 19);
    c.satp = satp;
    c.hardware_ad = hardware_ad;
    return c;
  }
  bool pmp_allows(uint64_t pa, unsigned len, Access a, Priv p) const { return !pmp || pmp(pa, len, a, p); }
};

// satp (SXLEN = 64): MODE 63:60 (0 Bare, 8 Sv39), ASID 59:44, PPN 43:0.
constexpr uint64_t kSatpModeSv39 = 8;
inline uint64_t satp_mode(uint64_t satp) {
  return bits(satp, 63, 60);
}
inline uint64_t satp_ppn(uint64_t satp) {
  return bits(satp, 43, 0);
}

// One implicit read of the page table (step 2), as the walk made it.
struct PteRead {
  uint64_t addr = 0;
  uint64_t value = 0;  // 0 when the read itself failed
  int level = 0;
  bool failed = false;  // PMP or PMA said no: an access fault
};

struct Result {
  bool ok = false;
  uint64_t cause = 0;  // when !ok
  uint64_t tval = 0;   // when !ok: the virtual address
  Priv eff_priv = Priv::M;
  bool translated = false;  // Sv39 applied; otherwise pa = va
  bool mapped = false;      // a physical address was found (the final PMP check may still have failed)
  uint64_t paddr = 0;       // when mapped
  int level = 0;            // the leaf's i, when translated and mapped
  bool global = false;      // a G bit on the leaf or on any pointer above it
  uint64_t leaf = 0;        // the leaf PTE, with the A/D bits this walk set
  std::vector<PteRead> reads;
  bool ad_written = false;  // step 7 stored the PTE with A (and D) set
  uint64_t ad_addr = 0, ad_value = 0;
};

namespace detail {

// Step 5: "Determine if the requested memory access is allowed by the pte.r, pte.w, pte.x, and pte.u
// bits, given the current privilege mode and the value of the SUM and MXR fields of the mstatus register."
inline bool allowed(const Pte& pte, Access a, Priv priv, bool sum, bool mxr) {
  // U=1: "U-mode software may only access the page when U=1"; S-mode may load/store only with SUM=1
  // and "the supervisor may not execute code on pages with U=1", whatever SUM.
  if (priv == Priv::U && !pte.u()) return false;
  if (priv == Priv::S && pte.u()) {
    if (a == Access::Fetch) return false;
    if (!sum) return false;
  }
  if (a == Access::Fetch) return pte.x();
  if (a == Access::Store) return pte.w();
  // MXR=1: "loads from pages marked either readable or executable (R=1 or X=1) will succeed".
  return mxr ? (pte.r() || pte.x()) : pte.r();
}

template <typename Memory>
bool walk(const Context& ctx, uint64_t va, Access access, Priv priv, Memory& mem, Result& r) {
  auto fail = [&](uint64_t c) {
    r.cause = c;
    r.tval = va;
    return false;
  };
  if (!va_bits_63_39_equal_bit_38(va)) return fail(page_fault(access));
  // Step 1.
  uint64_t a = satp_ppn(ctx.satp) * kPageSize;
  int i = kLevels - 1;
  bool global = false;
  for (;;) {
    // Step 2: "If accessing pte violates a PMA or PMP check, raise an access-fault exception".
    const uint64_t pte_addr = a + va_vpn(va, i) * kPteSize;
    PteRead rd;
    rd.addr = pte_addr;
    rd.level = i;
    uint64_t raw = 0;
    rd.failed = !ctx.pmp_allows(pte_addr, kPteSize, Access::Load, Priv::S) || !mem.read64(pte_addr, &raw);
    if (!rd.failed) rd.value = raw;
    r.reads.push_back(rd);
    if (rd.failed) return fail(access_fault(access));
    const Pte pte{raw};
    // Step 3.
    if (!pte.v() || (!pte.r() && pte.w()) || pte.reserved_bits_set()) return fail(page_fault(access));
    // "For non-leaf PTEs, the global setting implies that all mappings in the subsequent levels of the
    // page table are global."
    global = global || pte.g();
    // Step 4.
    if (!pte.leaf()) {
      i = i - 1;
      if (i < 0) return fail(page_fault(access));
      a = pte.ppn_all() * kPageSize;
      continue;
    }
    // Step 5.
    if (!allowed(pte, access, priv, ctx.sum, ctx.mxr)) return fail(page_fault(access));
    // Step 6: "If i > 0 and pte.ppn[i-1:0] != 0, this is a misaligned superpage".
    for (int j = 0; j < i; ++j)
      if (pte.ppn(j) != 0) return fail(page_fault(access));
    // Step 7.
    uint64_t leaf = raw;
    if (!pte.a() || (access == Access::Store && !pte.d())) {
      if (!ctx.hardware_ad) return fail(page_fault(access));
      if (!ctx.pmp_allows(pte_addr, kPteSize, Access::Store, Priv::S)) return fail(access_fault(access));
      // Atomically: compare with the PTE in memory; on a mismatch "return to step 2" (same a and i).
      uint64_t now = 0;
      if (!mem.read64(pte_addr, &now)) return fail(access_fault(access));
      if (now != raw) continue;
      leaf = raw | kPteA | (access == Access::Store ? kPteD : 0);
      if (!mem.write64(pte_addr, leaf)) return fail(access_fault(access));
      r.ad_written = true;
      r.ad_addr = pte_addr;
      r.ad_value = leaf;
    }
    // Step 8: pa.pgoff = va.pgoff; pa.ppn[i-1:0] = va.vpn[i-1:0]; pa.ppn[LEVELS-1:i] = pte.ppn[LEVELS-1:i].
    // Sv39 physical address: PPN[2] 55:30, PPN[1] 29:21, PPN[0] 20:12, offset 11:0.
    uint64_t pa_ppn[kLevels];
    for (int j = 0; j < kLevels; ++j) pa_ppn[j] = j < i ? va_vpn(va, j) : pte.ppn(j);
    r.paddr = (pa_ppn[2] << 30) | (pa_ppn[1] << 21) | (pa_ppn[0] << 12) | bits(va, 11, 0);
    r.level = i;
    r.global = global;
    r.leaf = leaf;
    return true;
  }
}

}  // namespace detail

// The privilege an access is translated and protected with. "When MPRV=1, load and store memory
// addresses are translated and protected ... as though the current privilege mode were set to MPP.
// Instruction address-translation and protection are unaffected by the setting of MPRV." MPRV can only
// be 1 in M-mode: only M-mode writes mstatus, and an xRET to a lower mode clears MPRV.
inline Priv effective_priv(const Context& ctx, Access access) {
  return ctx.priv == Priv::M && ctx.mprv && access != Access::Fetch ? ctx.mpp : ctx.priv;
}
// "The satp register must be active, i.e., the effective privilege mode must be S-mode or U-mode."
// satp.MODE is WARL: a hart holds Bare or Sv39 only.
inline bool sv39_applies(const Context& ctx, Access access) {
  const Priv p = effective_priv(ctx, access);
  return satp_mode(ctx.satp) == kSatpModeSv39 && (p == Priv::S || p == Priv::U);
}

// Translates one access of `size` bytes at `va` (size matters only to the final PMP check). Memory
// provides bool read64(pa, uint64_t*) and bool write64(pa, uint64_t) for aligned 8-byte words, false
// where nothing answers; A/D updates are written to it.
template <typename Memory>
Result translate(const Context& ctx, uint64_t va, Access access, Memory& mem, unsigned size = 1) {
  Result r;
  r.eff_priv = effective_priv(ctx, access);
  r.translated = sv39_applies(ctx, access);
  if (!r.translated) {
    r.paddr = va;
  } else if (!detail::walk(ctx, va, access, r.eff_priv, mem, r)) {
    return r;
  }
  r.mapped = true;
  // The access itself: "If this access violates a PMA or PMP check, raise an access-fault exception".
  // (PMAs of the final address are the access's business: callers check them.)
  if (!ctx.pmp_allows(r.paddr, size, access, r.eff_priv)) {
    r.cause = access_fault(access);
    r.tval = va;
    return r;
  }
  r.ok = true;
  return r;
}

}  // namespace sv39ref
