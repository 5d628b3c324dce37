// CSR numbers and bit fields of the privileged spec (v1.12) that the hart implements.
#pragma once

#include <cstdint>

namespace sv39sim {

enum class Priv : uint8_t { U = 0, S = 1, M = 3 };

namespace csr {
constexpr uint16_t kSstatus = 0x100, kSie = 0x104, kStvec = 0x105, kScounteren = 0x106, kSenvcfg = 0x10a;
constexpr uint16_t kSscratch = 0x140, kSepc = 0x141, kScause = 0x142, kStval = 0x143, kSip = 0x144;
constexpr uint16_t kStimecmp = 0x14d;  // Sstc
constexpr uint16_t kSatp = 0x180;
constexpr uint16_t kMstatus = 0x300, kMisa = 0x301, kMedeleg = 0x302, kMideleg = 0x303, kMie = 0x304;
constexpr uint16_t kMtvec = 0x305, kMcounteren = 0x306, kMenvcfg = 0x30a, kMcountinhibit = 0x320;
constexpr uint16_t kMhpmevent3 = 0x323, kMhpmevent31 = 0x33f;
constexpr uint16_t kMscratch = 0x340, kMepc = 0x341, kMcause = 0x342, kMtval = 0x343, kMip = 0x344;
// Sdtrig (debug spec 1.0): the trigger selected by tselect is seen through tdata1..3 and tinfo.
constexpr uint16_t kTselect = 0x7a0, kTdata1 = 0x7a1, kTdata2 = 0x7a2, kTdata3 = 0x7a3, kTinfo = 0x7a4;
constexpr uint16_t kPmpcfg0 = 0x3a0, kPmpcfg2 = 0x3a2, kPmpaddr0 = 0x3b0, kPmpaddr15 = 0x3bf;
constexpr uint16_t kMcycle = 0xb00, kMinstret = 0xb02, kMhpmcounter3 = 0xb03, kMhpmcounter31 = 0xb1f;
constexpr uint16_t kCycle = 0xc00, kTime = 0xc01, kInstret = 0xc02, kHpmcounter3 = 0xc03,
                   kHpmcounter31 = 0xc1f;
constexpr uint16_t kMvendorid = 0xf11, kMarchid = 0xf12, kMimpid = 0xf13, kMhartid = 0xf14,
                   kMconfigptr = 0xf15;
}  // namespace csr

namespace mstatus {
constexpr uint64_t kSie = 1ull << 1, kMie = 1ull << 3, kSpie = 1ull << 5, kMpie = 1ull << 7, kSpp = 1ull << 8;
constexpr unsigned kMppShift = 11;
constexpr uint64_t kMpp = 3ull << kMppShift;
constexpr uint64_t kMprv = 1ull << 17, kSum = 1ull << 18, kMxr = 1ull << 19;
constexpr uint64_t kTvm = 1ull << 20, kTw = 1ull << 21, kTsr = 1ull << 22;
constexpr uint64_t kUxl64 = 2ull << 32, kSxl64 = 2ull << 34;
constexpr uint64_t kWritable =
    kSie | kMie | kSpie | kMpie | kSpp | kMpp | kMprv | kSum | kMxr | kTvm | kTw | kTsr;
// sstatus shows the S-level subset; no F/V state, so FS/VS/XS/SD read as zero.
constexpr uint64_t kSstatusMask = kSie | kSpie | kSpp | kSum | kMxr | (3ull << 32);
}  // namespace mstatus

// menvcfg/senvcfg fields. Only those of implemented extensions are writable: PBMTE (Svpbmt) and the
// CBIE/CBCFE/CBZE (Zicbom, Zicboz) fields are read-only zero here.
namespace envcfg {
constexpr uint64_t kFiom = 1ull << 0;
constexpr uint64_t kStce = 1ull << 63;  // menvcfg only: stimecmp enabled below M (Sstc)
}  // namespace envcfg

namespace counteren {
constexpr uint32_t kTm = 1u << 1;  // time (and, with Sstc, stimecmp) accessible one level down
}  // namespace counteren

// Interrupt numbers double as mip/mie bit positions.
namespace irq {
constexpr unsigned kSsi = 1, kMsi = 3, kSti = 5, kMti = 7, kSei = 9, kMei = 11;
constexpr uint64_t kSsip = 1ull << kSsi, kMsip = 1ull << kMsi, kStip = 1ull << kSti, kMtip = 1ull << kMti;
constexpr uint64_t kSeip = 1ull << kSei, kMeip = 1ull << kMei;
constexpr uint64_t kAll = kSsip | kMsip | kStip | kMtip | kSeip | kMeip;
constexpr uint64_t kSupervisor = kSsip | kStip | kSeip;
}  // namespace irq

namespace cause {
constexpr uint64_t kInterrupt = 1ull << 63;
constexpr uint64_t kMisalignedFetch = 0, kFetchAccess = 1, kIllegalInstruction = 2, kBreakpoint = 3;
constexpr uint64_t kMisalignedLoad = 4, kLoadAccess = 5, kMisalignedStore = 6, kStoreAccess = 7;
constexpr uint64_t kEcallU = 8, kEcallS = 9, kEcallM = 11;
constexpr uint64_t kFetchPageFault = 12, kLoadPageFault = 13, kStorePageFault = 15;
// Exceptions that medeleg can hand to S-mode: all but ecall-from-M and the reserved 10 and 14.
constexpr uint64_t kDelegable = 0xb3ff;
const char* name(uint64_t mcause);
// The faults of a memory access (misaligned, access incl. PMP and device, page): tval is the address.
constexpr bool is_memory_fault(uint64_t mcause) {
  return mcause < 16 && ((0xb0f3ull >> mcause) & 1);  // causes 0, 1, 4, 5, 6, 7, 12, 13, 15
}
}  // namespace cause

}  // namespace sv39sim
