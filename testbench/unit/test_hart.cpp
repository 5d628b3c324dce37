// Hart unit tests: programs hand-assembled with a tiny encoder (checked against the GNU assembler in
// Encoder.MatchesGnuAssembler) run on a Hart whose Mmu sees a std::vector RAM window at 0x80000000 and a
// fake PhysicalMemory for everything else. Expected values come from the ISA manuals, not from the model.
#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <cstring>
#include <vector>

#include "models/core/Hart.h"
#include "models/mem/PhysicalMemory.h"
#include "models/mmu/Mmu.h"

using namespace sv39sim;

namespace {

// ---- A tiny RV64 encoder: the six base formats plus named instructions -------------------------------
namespace rv {
constexpr uint32_t R(uint32_t f7, uint32_t rs2, uint32_t rs1, uint32_t f3, uint32_t rd, uint32_t opc) {
  return (f7 << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | opc;
}
constexpr uint32_t I(int32_t imm, uint32_t rs1, uint32_t f3, uint32_t rd, uint32_t opc) {
  return (static_cast<uint32_t>(imm & 0xfff) << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | opc;
}
constexpr uint32_t S(int32_t imm, uint32_t rs2, uint32_t rs1, uint32_t f3) {
  const uint32_t u = static_cast<uint32_t>(imm);
  return (((u >> 5) & 0x7f) << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | ((u & 0x1f) << 7) | 0x23;
}
constexpr uint32_t B(int32_t imm, uint32_t rs2, uint32_t rs1, uint32_t f3) {
  const uint32_t u = static_cast<uint32_t>(imm);
  return (((u >> 12) & 1) << 31) | (((u >> 5) & 0x3f) << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) |
         (((u >> 1) & 0xf) << 8) | (((u >> 11) & 1) << 7) | 0x63;
}
constexpr uint32_t U(uint32_t imm20, uint32_t rd, uint32_t opc) {
  return (imm20 << 12) | (rd << 7) | opc;
}
constexpr uint32_t J(int32_t imm, uint32_t rd) {
  const uint32_t u = static_cast<uint32_t>(imm);
  return (((u >> 20) & 1) << 31) | (((u >> 1) & 0x3ff) << 21) | (((u >> 11) & 1) << 20) |
         (((u >> 12) & 0xff) << 12) | (rd << 7) | 0x6f;
}

constexpr uint32_t LUI(uint32_t rd, uint32_t imm20) {
  return U(imm20, rd, 0x37);
}
constexpr uint32_t AUIPC(uint32_t rd, uint32_t imm20) {
  return U(imm20, rd, 0x17);
}
constexpr uint32_t JAL(uint32_t rd, int32_t off) {
  return J(off, rd);
}
constexpr uint32_t JALR(uint32_t rd, uint32_t rs1, int32_t imm) {
  return I(imm, rs1, 0, rd, 0x67);
}
constexpr uint32_t BEQ(uint32_t a, uint32_t b, int32_t off) {
  return B(off, b, a, 0);
}
constexpr uint32_t BNE(uint32_t a, uint32_t b, int32_t off) {
  return B(off, b, a, 1);
}
constexpr uint32_t BLT(uint32_t a, uint32_t b, int32_t off) {
  return B(off, b, a, 4);
}
constexpr uint32_t BGE(uint32_t a, uint32_t b, int32_t off) {
  return B(off, b, a, 5);
}
constexpr uint32_t BLTU(uint32_t a, uint32_t b, int32_t off) {
  return B(off, b, a, 6);
}
constexpr uint32_t BGEU(uint32_t a, uint32_t b, int32_t off) {
  return B(off, b, a, 7);
}
constexpr uint32_t LB(uint32_t rd, uint32_t rs1, int32_t imm) {
  return I(imm, rs1, 0, rd, 0x03);
}
constexpr uint32_t LH(uint32_t rd, uint32_t rs1, int32_t imm) {
  return I(imm, rs1, 1, rd, 0x03);
}
constexpr uint32_t LW(uint32_t rd, uint32_t rs1, int32_t imm) {
  return I(imm, rs1, 2, rd, 0x03);
}
constexpr uint32_t LD(uint32_t rd, uint32_t rs1, int32_t imm) {
  return I(imm, rs1, 3, rd, 0x03);
}
constexpr uint32_t LBU(uint32_t rd, uint32_t rs1, int32_t imm) {
  return I(imm, rs1, 4, rd, 0x03);
}
constexpr uint32_t LHU(uint32_t rd, uint32_t rs1, int32_t imm) {
  return I(imm, rs1, 5, rd, 0x03);
}
constexpr uint32_t LWU(uint32_t rd, uint32_t rs1, int32_t imm) {
  return I(imm, rs1, 6, rd, 0x03);
}
constexpr uint32_t SB(uint32_t rs2, uint32_t rs1, int32_t imm) {
  return S(imm, rs2, rs1, 0);
}
constexpr uint32_t SH(uint32_t rs2, uint32_t rs1, int32_t imm) {
  return S(imm, rs2, rs1, 1);
}
constexpr uint32_t SW(uint32_t rs2, uint32_t rs1, int32_t imm) {
  return S(imm, rs2, rs1, 2);
}
constexpr uint32_t SD(uint32_t rs2, uint32_t rs1, int32_t imm) {
  return S(imm, rs2, rs1, 3);
}
constexpr uint32_t ADDI(uint32_t rd, uint32_t rs1, int32_t imm) {
  return I(imm, rs1, 0, rd, 0x13);
}
constexpr uint32_t SLTI(uint32_t rd, uint32_t rs1, int32_t imm) {
  return I(imm, rs1, 2, rd, 0x13);
}
constexpr uint32_t SLTIU(uint32_t rd, uint32_t rs1, int32_t imm) {
  return I(imm, rs1, 3, rd, 0x13);
}
constexpr uint32_t XORI(uint32_t rd, uint32_t rs1, int32_t imm) {
  return I(imm, rs1, 4, rd, 0x13);
}
constexpr uint32_t ORI(uint32_t rd, uint32_t rs1, int32_t imm) {
  return I(imm, rs1, 6, rd, 0x13);
}
constexpr uint32_t ANDI(uint32_t rd, uint32_t rs1, int32_t imm) {
  return I(imm, rs1, 7, rd, 0x13);
}
constexpr uint32_t SLLI(uint32_t rd, uint32_t rs1, uint32_t sh) {
  return I(static_cast<int32_t>(sh), rs1, 1, rd, 0x13);
}
constexpr uint32_t SRLI(uint32_t rd, uint32_t rs1, uint32_t sh) {
  return I(static_cast<int32_t>(sh), rs1, 5, rd, 0x13);
}
constexpr uint32_t SRAI(uint32_t rd, uint32_t rs1, uint32_t sh) {
  return I(static_cast<int32_t>(0x400 | sh), rs1, 5, rd, 0x13);
}
constexpr uint32_t ADDIW(uint32_t rd, uint32_t rs1, int32_t imm) {
  return I(imm, rs1, 0, rd, 0x1b);
}
constexpr uint32_t SLLIW(uint32_t rd, uint32_t rs1, uint32_t sh) {
  return R(0, sh, rs1, 1, rd, 0x1b);
}
constexpr uint32_t SRLIW(uint32_t rd, uint32_t rs1, uint32_t sh) {
  return R(0, sh, rs1, 5, rd, 0x1b);
}
constexpr uint32_t SRAIW(uint32_t rd, uint32_t rs1, uint32_t sh) {
  return R(0x20, sh, rs1, 5, rd, 0x1b);
}
#define RV_OP(name, f7, f3, opc)                                     \
  constexpr uint32_t name(uint32_t rd, uint32_t rs1, uint32_t rs2) { \
    return R(f7, rs2, rs1, f3, rd, opc);                             \
  }
RV_OP(ADD, 0, 0, 0x33)
RV_OP(SUB, 0x20, 0, 0x33)
RV_OP(SLL, 0, 1, 0x33) RV_OP(SLT, 0, 2, 0x33) RV_OP(SLTU, 0, 3, 0x33) RV_OP(XOR, 0, 4, 0x33)
    RV_OP(SRL, 0, 5, 0x33) RV_OP(SRA, 0x20, 5, 0x33) RV_OP(OR, 0, 6, 0x33) RV_OP(AND, 0, 7, 0x33)
        RV_OP(MUL, 1, 0, 0x33) RV_OP(MULH, 1, 1, 0x33) RV_OP(MULHSU, 1, 2, 0x33) RV_OP(MULHU, 1, 3, 0x33)
            RV_OP(DIV, 1, 4, 0x33) RV_OP(DIVU, 1, 5, 0x33) RV_OP(REM, 1, 6, 0x33) RV_OP(REMU, 1, 7, 0x33)
                RV_OP(ADDW, 0, 0, 0x3b) RV_OP(SUBW, 0x20, 0, 0x3b) RV_OP(SLLW, 0, 1, 0x3b)
                    RV_OP(SRLW, 0, 5, 0x3b) RV_OP(SRAW, 0x20, 5, 0x3b) RV_OP(MULW, 1, 0, 0x3b)
                        RV_OP(DIVW, 1, 4, 0x3b) RV_OP(DIVUW, 1, 5, 0x3b) RV_OP(REMW, 1, 6, 0x3b)
                            RV_OP(REMUW, 1, 7, 0x3b)
#undef RV_OP
    // AMOs: funct5 values of the A extension; width 2 = .W, 3 = .D.
    enum Amo : uint32_t {
      kAmoAdd = 0x00,
      kAmoSwap = 0x01,
      kLr = 0x02,
      kSc = 0x03,
      kAmoXor = 0x04,
      kAmoOr = 0x08,
      kAmoAnd = 0x0c,
      kAmoMin = 0x10,
      kAmoMax = 0x14,
      kAmoMinu = 0x18,
      kAmoMaxu = 0x1c
    };
constexpr uint32_t AMO(Amo f5, uint32_t width, uint32_t rd, uint32_t rs1, uint32_t rs2) {
  return R(static_cast<uint32_t>(f5) << 2, rs2, rs1, width, rd, 0x2f);
}
constexpr uint32_t LR_W(uint32_t rd, uint32_t rs1) {
  return AMO(kLr, 2, rd, rs1, 0);
}
constexpr uint32_t LR_D(uint32_t rd, uint32_t rs1) {
  return AMO(kLr, 3, rd, rs1, 0);
}
constexpr uint32_t SC_W(uint32_t rd, uint32_t rs2, uint32_t rs1) {
  return AMO(kSc, 2, rd, rs1, rs2);
}
constexpr uint32_t SC_D(uint32_t rd, uint32_t rs2, uint32_t rs1) {
  return AMO(kSc, 3, rd, rs1, rs2);
}
constexpr uint32_t CSRRW(uint32_t rd, uint32_t csr, uint32_t rs1) {
  return (csr << 20) | (rs1 << 15) | (1u << 12) | (rd << 7) | 0x73;
}
constexpr uint32_t CSRRS(uint32_t rd, uint32_t csr, uint32_t rs1) {
  return (csr << 20) | (rs1 << 15) | (2u << 12) | (rd << 7) | 0x73;
}
constexpr uint32_t CSRRC(uint32_t rd, uint32_t csr, uint32_t rs1) {
  return (csr << 20) | (rs1 << 15) | (3u << 12) | (rd << 7) | 0x73;
}
constexpr uint32_t CSRRWI(uint32_t rd, uint32_t csr, uint32_t uimm) {
  return (csr << 20) | (uimm << 15) | (5u << 12) | (rd << 7) | 0x73;
}
constexpr uint32_t CSRRSI(uint32_t rd, uint32_t csr, uint32_t uimm) {
  return (csr << 20) | (uimm << 15) | (6u << 12) | (rd << 7) | 0x73;
}
constexpr uint32_t ECALL = 0x00000073, EBREAK = 0x00100073, MRET = 0x30200073, SRET = 0x10200073;
constexpr uint32_t WFI = 0x10500073, FENCE_I = 0x0000100f;
constexpr uint32_t J_SELF = 0x0000006f;  // jal x0, 0: "j ."
}  // namespace rv

using namespace rv;

// Encodings printed by riscv64-unknown-elf-objdump for the same instructions (.option norvc).
TEST(Encoder, MatchesGnuAssembler) {
  EXPECT_EQ(ADD(5, 6, 7), 0x007302b3u);               // add x5,x6,x7
  EXPECT_EQ(ADDI(5, 6, -2048), 0x80030293u);          // addi x5,x6,-2048
  EXPECT_EQ(ADDI(5, 6, -1), 0xfff30293u);             // addi x5,x6,-1
  EXPECT_EQ(SD(7, 6, -2048), 0x80733023u);            // sd x7,-2048(x6)
  EXPECT_EQ(SW(3, 4, 2047), 0x7e322fa3u);             // sw x3,2047(x4)
  EXPECT_EQ(BEQ(1, 2, -4096), 0x80208063u);           // beq x1,x2,.-4096
  EXPECT_EQ(BNE(1, 2, 4094), 0x7e209fe3u);            // bne x1,x2,.+4094
  EXPECT_EQ(LUI(5, 0x80000), 0x800002b7u);            // lui x5,0x80000
  EXPECT_EQ(JAL(1, -1048576), 0x800000efu);           // jal x1,.-1048576
  EXPECT_EQ(JAL(1, 1048574), 0x7ffff0efu);            // jal x1,.+1048574
  EXPECT_EQ(SRAI(5, 6, 63), 0x43f35293u);             // srai x5,x6,63
  EXPECT_EQ(SRAIW(5, 6, 31), 0x41f3529bu);            // sraiw x5,x6,31
  EXPECT_EQ(AMO(kAmoSwap, 2, 1, 3, 2), 0x0821a0afu);  // amoswap.w x1,x2,(x3)
  EXPECT_EQ(AMO(kAmoMaxu, 3, 1, 3, 2), 0xe021b0afu);  // amomaxu.d x1,x2,(x3)
  EXPECT_EQ(LR_D(1, 2), 0x100130afu);                 // lr.d x1,(x2)
  EXPECT_EQ(SC_D(1, 2, 3), 0x1821b0afu);              // sc.d x1,x2,(x3)
  EXPECT_EQ(CSRRW(5, 0x305, 6), 0x305312f3u);         // csrrw x5,mtvec,x6
  EXPECT_EQ(CSRRSI(5, 0x344, 31), 0x344fe2f3u);       // csrrsi x5,mip,31
  EXPECT_EQ(MULHSU(5, 6, 7), 0x027322b3u);            // mulhsu x5,x6,x7
  EXPECT_EQ(REMUW(5, 6, 7), 0x027372bbu);             // remuw x5,x6,x7
}

// ---- The fake physical memory: a device window that answers, everything else refuses ---------------
class FakeBus : public PhysicalMemory {
 public:
  static constexpr uint64_t kBase = 0x10000000, kSize = 0x100;
  struct Access {
    bool write;
    uint64_t addr;
    unsigned len;
    uint64_t data;
    bool accepted;
  };
  std::vector<Access> log;
  std::array<uint8_t, kSize> regs{};

  bool read(uint64_t pa, void* data, unsigned len) override {
    const bool ok = inside(pa, len);
    uint64_t v = 0;
    if (ok) {
      std::memcpy(data, &regs[pa - kBase], len);
      std::memcpy(&v, data, len);
    }
    log.push_back({false, pa, len, v, ok});
    return ok;
  }
  bool write(uint64_t pa, const void* data, unsigned len) override {
    const bool ok = inside(pa, len);
    uint64_t v = 0;
    std::memcpy(&v, data, len);
    if (ok) std::memcpy(&regs[pa - kBase], data, len);
    log.push_back({true, pa, len, v, ok});
    return ok;
  }

 private:
  static bool inside(uint64_t pa, unsigned len) { return pa >= kBase && pa + len <= kBase + kSize; }
};

constexpr uint64_t kIntr = 1ull << 63;

class HartTest : public ::testing::Test {
 protected:
  static constexpr uint64_t kRamBase = 0x80000000, kRamSize = 0x10000;
  static constexpr uint64_t kData = kRamBase + 0x4000;      // scratch data
  static constexpr uint64_t kMHandler = kRamBase + 0x8000;  // "j ." at each of 16 vector slots
  static constexpr uint64_t kSHandler = kRamBase + 0x9000;  // "j ." at each of 16 vector slots
  static constexpr uint64_t kNowhere = 0x20000000;          // nothing answers here

  HartTest() : ram_(kRamSize), mmu_(bus_), hart_(mmu_, HartConfig{}) {
    mmu_.set_ram(RamWindow{kRamBase, kRamSize, ram_.data()});
  }

  void put32(uint64_t addr, uint32_t v) { std::memcpy(&ram_[addr - kRamBase], &v, 4); }
  void put64(uint64_t addr, uint64_t v) { std::memcpy(&ram_[addr - kRamBase], &v, 8); }
  uint32_t get32(uint64_t addr) const {
    uint32_t v;
    std::memcpy(&v, &ram_[addr - kRamBase], 4);
    return v;
  }
  uint64_t get64(uint64_t addr) const {
    uint64_t v;
    std::memcpy(&v, &ram_[addr - kRamBase], 8);
    return v;
  }

  // Writes `prog` at `at` followed by "j .", fills both trap handlers with "j .", resets the hart to
  // kRamBase in M-mode and points mtvec/stvec at the handlers. Returns the address of the final "j .".
  uint64_t load(const std::vector<uint32_t>& prog, uint64_t at = kRamBase) {
    uint64_t a = at;
    for (uint32_t w : prog) put32(a, w), a += 4;
    put32(a, J_SELF);
    for (unsigned i = 0; i < 16; ++i) put32(kMHandler + 4 * i, J_SELF), put32(kSHandler + 4 * i, J_SELF);
    hart_.reset(kRamBase);
    EXPECT_TRUE(hart_.csr_write(csr::kMtvec, kMHandler));
    EXPECT_TRUE(hart_.csr_write(csr::kStvec, kSHandler));
    // S/U accesses need a matching PMP entry once any entry is implemented: open all of memory.
    EXPECT_TRUE(hart_.csr_write(csr::kPmpaddr0, ~0ull));
    EXPECT_TRUE(hart_.csr_write(csr::kPmpcfg0, 0x1f));  // NAPOT, R W X
    end_ = a;
    return a;
  }

  // Steps one instruction at a time until pc == stop (default: the final "j ." of the program).
  void run_to(uint64_t stop, unsigned max_steps = 1000) {
    for (unsigned i = 0; i < max_steps && hart_.pc() != stop; ++i) hart_.run(1);
    ASSERT_EQ(hart_.pc(), stop) << std::hex << "stopped at 0x" << hart_.pc() << ", mcause 0x"
                                << csr(csr::kMcause);
  }
  void run_to_end() { run_to(end_); }
  void run_to_trap() { run_to(kMHandler); }

  // Enters `priv` at kRamBase + 4 by executing an MRET placed at kRamBase (prog starts at kRamBase + 4).
  uint64_t load_in(Priv priv, std::vector<uint32_t> prog) {
    prog.insert(prog.begin(), MRET);
    const uint64_t end = load(prog);
    uint64_t ms = csr(csr::kMstatus);
    ms = (ms & ~mstatus::kMpp) | (static_cast<uint64_t>(priv) << mstatus::kMppShift);
    EXPECT_TRUE(hart_.csr_write(csr::kMstatus, ms));
    EXPECT_TRUE(hart_.csr_write(csr::kMepc, kRamBase + 4));
    hart_.run(1);
    EXPECT_EQ(hart_.priv(), priv);
    EXPECT_EQ(hart_.pc(), kRamBase + 4);
    return end;
  }

  uint64_t csr(uint16_t num) {
    uint64_t v = 0;
    EXPECT_TRUE(hart_.csr_read(num, &v)) << "csr 0x" << std::hex << num;
    return v;
  }
  void set_csr(uint16_t num, uint64_t v) { EXPECT_TRUE(hart_.csr_write(num, v)); }
  uint64_t x(unsigned i) const { return hart_.reg(i); }

  void expect_trap(uint64_t mcause, uint64_t mepc, uint64_t mtval) {
    EXPECT_EQ(hart_.pc(), kMHandler);
    EXPECT_EQ(csr(csr::kMcause), mcause);
    EXPECT_EQ(csr(csr::kMepc), mepc);
    EXPECT_EQ(csr(csr::kMtval), mtval);
  }

  std::vector<uint8_t> ram_;
  FakeBus bus_;
  Mmu mmu_;
  Hart hart_;
  uint64_t end_ = 0;
};

// ---- Integer execution ----------------------------------------------------------------------------------

TEST_F(HartTest, ResetState) {
  load({});
  EXPECT_EQ(hart_.pc(), kRamBase);
  EXPECT_EQ(hart_.priv(), Priv::M);
  for (unsigned i = 0; i < 32; ++i) EXPECT_EQ(x(i), 0u);
  const uint64_t misa = csr(csr::kMisa);
  EXPECT_EQ(misa >> 62, 2u) << "MXL=64";
  for (char e : {'A', 'C', 'I', 'M', 'S', 'U'}) EXPECT_TRUE((misa >> (e - 'A')) & 1) << e;
  for (char e : {'D', 'F', 'H', 'V'}) EXPECT_FALSE((misa >> (e - 'A')) & 1) << e;
  // RV64 with S and U: mstatus.UXL = SXL = 2 (64-bit).
  const uint64_t ms = csr(csr::kMstatus);
  EXPECT_EQ((ms >> 32) & 3, 2u);
  EXPECT_EQ((ms >> 34) & 3, 2u);
  EXPECT_EQ(ms & mstatus::kMie, 0u);
  EXPECT_EQ((csr(csr::kSstatus) >> 32) & 3, 2u);

  Mmu mmu(bus_);
  Hart h3(mmu, HartConfig{3});
  uint64_t id = 0;
  EXPECT_TRUE(h3.csr_read(csr::kMhartid, &id));
  EXPECT_EQ(id, 3u);
}

TEST_F(HartTest, ArithmeticCompareAndUpperImmediates) {
  load({ADD(5, 6, 7), SUB(8, 0, 7), SLT(9, 8, 7), SLTU(10, 8, 7), SLTI(11, 8, 0), SLTIU(12, 7, -1),
        SLTIU(13, 8, -1), XORI(14, 7, -1), ORI(15, 0, -2048), ANDI(16, 8, 0x7ff), LUI(17, 0x80000),
        AUIPC(18, 0xfffff), ADDI(19, 6, 1), AND(20, 6, 8), OR(21, 7, 0), XOR(22, 8, 7)});
  hart_.set_reg(6, 0x7fffffffffffffff);
  hart_.set_reg(7, 1);
  run_to_end();
  EXPECT_EQ(x(5), 0x8000000000000000u);   // wraps
  EXPECT_EQ(x(8), ~0ull);                 // 0 - 1
  EXPECT_EQ(x(9), 1u);                    // -1 < 1 signed
  EXPECT_EQ(x(10), 0u);                   // 2^64-1 > 1 unsigned
  EXPECT_EQ(x(11), 1u);                   // -1 < 0
  EXPECT_EQ(x(12), 1u);                   // sltiu's immediate is sign-extended: 1 < 2^64-1
  EXPECT_EQ(x(13), 0u);                   // equal
  EXPECT_EQ(x(14), 0xfffffffffffffffeu);  // not 1
  EXPECT_EQ(x(15), 0xfffffffffffff800u);
  EXPECT_EQ(x(16), 0x7ffu);
  EXPECT_EQ(x(17), 0xffffffff80000000u);  // lui sign-extends bit 31
  EXPECT_EQ(x(18), kRamBase + 4 * 11 - 0x1000);
  EXPECT_EQ(x(19), 0x8000000000000000u);
  EXPECT_EQ(x(20), 0x7fffffffffffffffu);
  EXPECT_EQ(x(21), 1u);
  EXPECT_EQ(x(22), 0xfffffffffffffffeu);
}

TEST_F(HartTest, ShiftAmountsAreMasked) {
  load({SLL(5, 6, 7), SRL(8, 6, 7), SRA(9, 6, 7), SRA(11, 6, 10), SRL(12, 6, 10), SLLI(13, 6, 63),
        SRLI(14, 6, 63), SRAI(15, 6, 63), SRAI(16, 6, 0)});
  hart_.set_reg(6, 0x8000000000000001);
  hart_.set_reg(7, 65);     // only the low 6 bits count: shift by 1
  hart_.set_reg(10, 0x7f);  // shift by 63
  run_to_end();
  EXPECT_EQ(x(5), 2u);
  EXPECT_EQ(x(8), 0x4000000000000000u);
  EXPECT_EQ(x(9), 0xc000000000000000u);
  EXPECT_EQ(x(11), ~0ull);
  EXPECT_EQ(x(12), 1u);
  EXPECT_EQ(x(13), 0x8000000000000000u);
  EXPECT_EQ(x(14), 1u);
  EXPECT_EQ(x(15), ~0ull);
  EXPECT_EQ(x(16), 0x8000000000000001u);
}

TEST_F(HartTest, WordShiftsUseFiveBitsAndSignExtend) {
  load({SLLW(22, 20, 21), SRLW(23, 20, 21), SRAW(25, 24, 21), SRLW(26, 24, 0), SRLIW(27, 24, 31),
        SRAIW(28, 24, 31), SLLIW(29, 7, 31), SRLIW(30, 24, 0), SLLW(31, 20, 0)});
  hart_.set_reg(20, 0xffffffff40000001);  // upper half is ignored
  hart_.set_reg(21, 33);                  // only the low 5 bits count: shift by 1
  hart_.set_reg(24, 0x0000000080000000);
  hart_.set_reg(7, 65);
  run_to_end();
  EXPECT_EQ(x(22), 0xffffffff80000002u);  // 0x40000001 << 1, sign-extended
  EXPECT_EQ(x(23), 0x20000000u);
  EXPECT_EQ(x(25), 0xffffffffc0000000u);
  EXPECT_EQ(x(26), 0xffffffff80000000u);  // srlw by 0 still sign-extends the 32-bit result
  EXPECT_EQ(x(27), 1u);
  EXPECT_EQ(x(28), ~0ull);
  EXPECT_EQ(x(29), 0xffffffff80000000u);
  EXPECT_EQ(x(30), 0xffffffff80000000u);
  EXPECT_EQ(x(31), 0x40000001u);
}

TEST_F(HartTest, WordArithmeticSignExtends) {
  load({ADDW(5, 6, 7), ADDIW(8, 6, 1), SUBW(9, 0, 6), ADDIW(11, 10, 0), ADDIW(13, 12, 0), MULW(14, 6, 6),
        MULW(15, 10, 6), ADDW(16, 12, 7)});
  hart_.set_reg(6, 0x7fffffff);
  hart_.set_reg(7, 1);
  hart_.set_reg(10, 0xffffffff);
  hart_.set_reg(12, 0x1234567800000000);
  run_to_end();
  EXPECT_EQ(x(5), 0xffffffff80000000u);
  EXPECT_EQ(x(8), 0xffffffff80000000u);
  EXPECT_EQ(x(9), 0xffffffff80000001u);
  EXPECT_EQ(x(11), ~0ull);  // sext.w
  EXPECT_EQ(x(13), 0u);
  EXPECT_EQ(x(14), 1u);  // 0x3fffffff00000001 truncated to 32 bits
  EXPECT_EQ(x(15), 0xffffffff80000001u);
  EXPECT_EQ(x(16), 1u);
}

TEST_F(HartTest, MultiplyHighVariants) {
  struct Case {
    int64_t a, b;
    uint64_t mul, mulh, mulhu, mulhsu;
  };
  // 128-bit products worked out by hand (a and b as signed for MULH, unsigned for MULHU, a signed times
  // b unsigned for MULHSU).
  const Case cases[] = {
      {-2, 3, 0xfffffffffffffffa, ~0ull, 2, ~0ull},
      {3, -2, 0xfffffffffffffffa, ~0ull, 2, 2},
      {INT64_MIN, INT64_MIN, 0, 0x4000000000000000, 0x4000000000000000, 0xc000000000000000},
      {-1, -1, 1, 0, 0xfffffffffffffffe, ~0ull},
      {INT64_MIN, -1, 0x8000000000000000, 0, 0x7fffffffffffffff, 0x8000000000000000},
      {INT64_MAX, INT64_MAX, 1, 0x3fffffffffffffff, 0x3fffffffffffffff, 0x3fffffffffffffff},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(testing::Message() << c.a << " * " << c.b);
    load({MUL(5, 6, 7), MULH(8, 6, 7), MULHU(9, 6, 7), MULHSU(10, 6, 7)});
    hart_.set_reg(6, static_cast<uint64_t>(c.a));
    hart_.set_reg(7, static_cast<uint64_t>(c.b));
    run_to_end();
    EXPECT_EQ(x(5), c.mul);
    EXPECT_EQ(x(8), c.mulh);
    EXPECT_EQ(x(9), c.mulhu);
    EXPECT_EQ(x(10), c.mulhsu);
  }
}

TEST_F(HartTest, DivisionByZeroAndOverflow) {
  struct Case {
    uint64_t a, b;
    uint64_t div, divu, rem, remu;
  };
  // M extension, "Semantics for division by zero and division overflow".
  const Case cases[] = {
      {static_cast<uint64_t>(-7), 2, static_cast<uint64_t>(-3), 0x7ffffffffffffffc, static_cast<uint64_t>(-1),
       1},
      {7, static_cast<uint64_t>(-2), static_cast<uint64_t>(-3), 0, 1, 7},
      {5, 0, ~0ull, ~0ull, 5, 5},
      {static_cast<uint64_t>(-5), 0, ~0ull, ~0ull, static_cast<uint64_t>(-5), static_cast<uint64_t>(-5)},
      {0x8000000000000000, static_cast<uint64_t>(-1), 0x8000000000000000, 0, 0, 0x8000000000000000},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(testing::Message() << std::hex << c.a << " / " << c.b);
    load({DIV(5, 6, 7), DIVU(8, 6, 7), REM(9, 6, 7), REMU(10, 6, 7)});
    hart_.set_reg(6, c.a);
    hart_.set_reg(7, c.b);
    run_to_end();
    EXPECT_EQ(x(5), c.div);
    EXPECT_EQ(x(8), c.divu);
    EXPECT_EQ(x(9), c.rem);
    EXPECT_EQ(x(10), c.remu);
  }
}

TEST_F(HartTest, WordDivisionByZeroAndOverflow) {
  struct Case {
    uint64_t a, b;
    uint64_t divw, divuw, remw, remuw;
  };
  const Case cases[] = {
      {0xfffffffffffffff9, 2, 0xfffffffffffffffd, 0x7ffffffc, 0xffffffffffffffff, 1},
      {0x1234567800000007, 0xabcdef0000000002, 3, 3, 1, 1},  // upper halves ignored
      {0x80000000, 0xffffffff, 0xffffffff80000000, 0, 0,
       0xffffffff80000000},  // overflow; divuw 0x80000000/0xffffffff = 0
      {0x80000001, 0, ~0ull, ~0ull, 0xffffffff80000001, 0xffffffff80000001},
      {0x80000001, 0x100000000, ~0ull, ~0ull, 0xffffffff80000001,
       0xffffffff80000001},  // divisor's low word is 0
      {0xffffffff, 1, ~0ull, ~0ull, 0, 0},
      {0xffffffff, 0x10, 0, 0x0fffffff, 0xffffffffffffffff, 0xf},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(testing::Message() << std::hex << c.a << " / " << c.b);
    load({DIVW(5, 6, 7), DIVUW(8, 6, 7), REMW(9, 6, 7), REMUW(10, 6, 7)});
    hart_.set_reg(6, c.a);
    hart_.set_reg(7, c.b);
    run_to_end();
    EXPECT_EQ(x(5), c.divw);
    EXPECT_EQ(x(8), c.divuw);
    EXPECT_EQ(x(9), c.remw);
    EXPECT_EQ(x(10), c.remuw);
  }
}

TEST_F(HartTest, X0IsNeverWritten) {
  load({ADDI(0, 0, 5), LUI(0, 0x12345), JAL(0, 4), LD(0, 6, 0), CSRRS(0, csr::kMscratch, 0),
        AMO(kAmoAdd, 2, 0, 6, 7), ADD(5, 0, 0), ADDI(8, 0, 0)});
  put64(kData, 0x1111111111111111);
  hart_.set_reg(6, kData);
  hart_.set_reg(7, 1);
  set_csr(csr::kMscratch, 0x55);
  hart_.set_reg(0, 99);
  run_to_end();
  EXPECT_EQ(x(0), 0u);
  EXPECT_EQ(x(5), 0u);
  EXPECT_EQ(get32(kData), 0x11111112u);  // the AMO still happened
}

TEST_F(HartTest, JalAndJalrLinkAndClearBitZero) {
  // 0: jal x1,+12 -> 12: jalr x5,0(x6) with x6 odd -> 32: jalr x7,-31(x7) -> 48 (x7 = rs1 = rd)
  const uint64_t end = load({JAL(1, 12), 0, 0, JALR(5, 6, 0), 0, 0, 0, 0, JALR(7, 7, -31), 0, 0, 0, J_SELF});
  (void)end;
  hart_.set_reg(6, kRamBase + 32 + 1);
  hart_.set_reg(7, kRamBase + 48 + 31 + 1);  // target kRamBase+49, bit 0 cleared
  run_to(kRamBase + 48);
  EXPECT_EQ(x(1), kRamBase + 4);
  EXPECT_EQ(x(5), kRamBase + 16);
  EXPECT_EQ(x(7), kRamBase + 36);  // link written after the target was computed from the old x7
}

TEST_F(HartTest, BranchesSignedAndUnsigned) {
  struct Case {
    uint32_t insn;
    bool taken;
  };
  // x5 = -1, x6 = 1
  const Case cases[] = {
      {BEQ(5, 5, 8), true},   {BEQ(5, 6, 8), false}, {BNE(5, 6, 8), true},   {BNE(6, 6, 8), false},
      {BLT(5, 6, 8), true},   {BLT(6, 5, 8), false}, {BGE(6, 5, 8), true},   {BGE(5, 6, 8), false},
      {BGE(5, 5, 8), true},   {BLTU(6, 5, 8), true}, {BLTU(5, 6, 8), false}, {BGEU(5, 6, 8), true},
      {BGEU(6, 5, 8), false}, {BGEU(6, 6, 8), true},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(testing::Message() << std::hex << c.insn);
    load({c.insn});
    hart_.set_reg(5, ~0ull);
    hart_.set_reg(6, 1);
    hart_.run(1);
    EXPECT_EQ(hart_.pc(), kRamBase + (c.taken ? 8 : 4));
  }
  // Backward branch.
  load({ADDI(0, 0, 0), BNE(5, 6, -4)});
  hart_.set_reg(5, 1);
  hart_.run(2);
  EXPECT_EQ(hart_.pc(), kRamBase);
}

TEST_F(HartTest, LoadsExtendAndStoresTruncate) {
  load({LB(10, 6, 0), LBU(11, 6, 0), LH(12, 6, 0), LHU(13, 6, 0), LW(14, 6, 0), LWU(15, 6, 0), LD(16, 6, 0),
        LD(17, 9, -8), SB(7, 6, 16), SH(7, 6, 24), SW(7, 6, 32), SD(7, 6, 40)});
  put64(kData, 0x8786858483828180);
  for (unsigned off = 16; off < 56; off += 8) put64(kData + off, ~0ull);
  hart_.set_reg(6, kData);
  hart_.set_reg(9, kData + 8);
  hart_.set_reg(7, 0x1122334455667788);
  run_to_end();
  EXPECT_EQ(x(10), 0xffffffffffffff80u);
  EXPECT_EQ(x(11), 0x80u);
  EXPECT_EQ(x(12), 0xffffffffffff8180u);
  EXPECT_EQ(x(13), 0x8180u);
  EXPECT_EQ(x(14), 0xffffffff83828180u);
  EXPECT_EQ(x(15), 0x83828180u);
  EXPECT_EQ(x(16), 0x8786858483828180u);
  EXPECT_EQ(x(17), 0x8786858483828180u);
  EXPECT_EQ(get64(kData + 16), 0xffffffffffffff88u);
  EXPECT_EQ(get64(kData + 24), 0xffffffffffff7788u);
  EXPECT_EQ(get64(kData + 32), 0xffffffff55667788u);
  EXPECT_EQ(get64(kData + 40), 0x1122334455667788u);
}

TEST_F(HartTest, FenceIMakesStoredInstructionsVisible) {
  // 0: jal x1,+20 (call 20)  4: sw x7,20(x6)  8: fence.i  12: jal x1,+8 (call 20)  16: j .
  // 20: addi x5,x0,1 (replaced by addi x5,x0,2)  24: jalr x0,0(x1)
  load({JAL(1, 20), SW(7, 6, 20), FENCE_I, JAL(1, 8), J_SELF, ADDI(5, 0, 1), JALR(0, 1, 0)});
  hart_.set_reg(6, kRamBase);
  hart_.set_reg(7, ADDI(5, 0, 2));
  run_to(kRamBase + 16);
  EXPECT_EQ(x(5), 2u);
}

// The decode cache is the model's, not the architecture's: instructions written by stores run as written
// even without FENCE.I (as on QEMU and Spike), also inside the loop that is running.
TEST_F(HartTest, StoredInstructionsRunWithoutFenceI) {
  // As above with the fence.i replaced by a nop.
  load({JAL(1, 20), SW(7, 6, 20), ADDI(0, 0, 0), JAL(1, 8), J_SELF, ADDI(5, 0, 1), JALR(0, 1, 0)});
  hart_.set_reg(6, kRamBase);
  hart_.set_reg(7, ADDI(5, 0, 2));
  run_to(kRamBase + 16);
  EXPECT_EQ(x(5), 2u);
}

// A misaligned store that starts in a page without code and ends in one with decoded code: its last
// bytes rewrite the first instruction of the second page, which must run as written.
TEST_F(HartTest, MisalignedStoreIntoTheNextPageRewritesItsCode) {
  // 0: jal x1,0x3000 (call)  4: sd x7,0(x6), x6 = 0x2ffc  8: jal x1,0x2ff8 (call 0x3000 again)  12: j .
  // 0x3000: addi x5,x0,1 (its bytes are the top half of x7: addi x5,x0,2)  0x3004: jalr x0,0(x1)
  const uint64_t end = load({JAL(1, 0x3000), SD(7, 6, 0), JAL(1, 0x3000 - 8)});
  put32(kRamBase + 0x3000, ADDI(5, 0, 1));
  put32(kRamBase + 0x3004, JALR(0, 1, 0));
  hart_.set_reg(6, kRamBase + 0x2ffc);
  hart_.set_reg(7, uint64_t{ADDI(5, 0, 2)} << 32 | 0x11223344);
  run_to(kRamBase + 8);
  ASSERT_EQ(x(5), 1u);
  run_to(end);
  EXPECT_EQ(get32(kRamBase + 0x2ffc), 0x11223344u);
  EXPECT_EQ(x(5), 2u);
}

TEST_F(HartTest, ALoopRewritesItsOwnFirstInstruction) {
  // 0: addi x5,x5,1 (rewritten to addi x5,x5,16)  4: sw x7,0(x6)  8: addi x8,x8,1  12: beq x8,x9,+8
  // 16: jal x0,-16  20: j .  Two passes over one cache line: 1 + 16.
  const uint64_t end = load({ADDI(5, 5, 1), SW(7, 6, 0), ADDI(8, 8, 1), BEQ(8, 9, 8), JAL(0, -16)});
  hart_.set_reg(6, kRamBase);
  hart_.set_reg(7, ADDI(5, 5, 16));
  hart_.set_reg(9, 2);
  run_to(end);
  EXPECT_EQ(x(5), 17u);
}

// hart.icache_coherent = false: a page keeps the instructions it had at its first fetch after FENCE.I, so
// the store's new instruction runs only after a FENCE.I (Zifencei's requirement for such a hart).
TEST_F(HartTest, NonCoherentInstructionCacheKeepsOldCodeUntilFenceI) {
  Hart nc(mmu_, HartConfig{0, false});
  // The two programs of the tests above: the store then a call with a nop, then with a fence.i between.
  for (const uint32_t between : {ADDI(0, 0, 0), FENCE_I}) {
    load({JAL(1, 20), SW(7, 6, 20), between, JAL(1, 8), J_SELF, ADDI(5, 0, 1), JALR(0, 1, 0)});
    nc.reset(kRamBase);
    nc.set_reg(6, kRamBase);
    nc.set_reg(7, ADDI(5, 0, 2));
    for (unsigned i = 0; i < 100 && nc.pc() != kRamBase + 16; ++i) nc.run(1);
    ASSERT_EQ(nc.pc(), kRamBase + 16);
    EXPECT_EQ(nc.reg(5), between == FENCE_I ? 2u : 1u);
  }
}

// The non-coherent instruction cache keeps at most 512 page copies, then starts over while it decodes an
// instruction: the decoded slot being written must survive that, and the code must run as written. A
// chain of 600 pages, each a jump to the next, ends in a page that counts in x5 and jumps back. (Without
// the fix, AddressSanitizer reports the write into the freed page.)
TEST(HartNonCoherentTest, StartsOverPastItsPageLimitWhileDecoding) {
  constexpr uint64_t kBase = 0x80000000, kPages = 600, kSize = (kPages + 1) * 4096;
  std::vector<uint8_t> ram(kSize);
  const auto put = [&](uint64_t addr, uint32_t w) { std::memcpy(&ram[addr - kBase], &w, 4); };
  for (uint64_t p = 0; p < kPages; ++p) put(kBase + p * 4096, JAL(0, 4096));
  const uint64_t last = kBase + kPages * 4096;
  put(last, ADDI(5, 5, 1));
  put(last + 4, JALR(0, 6, 0));  // back to the first page (x6)
  FakeBus bus;
  Mmu mmu(bus);
  mmu.set_ram(RamWindow{kBase, kSize, ram.data()});
  Hart hart(mmu, HartConfig{0, false});
  hart.reset(kBase);
  hart.set_reg(6, kBase);
  for (unsigned round = 1; round <= 3; ++round) {
    for (uint64_t i = 0; i < kPages + 2 && hart.pc() != last + 4; ++i) hart.run(1);
    ASSERT_EQ(hart.pc(), last + 4) << "round " << round;
    EXPECT_EQ(hart.reg(5), round);
    hart.run(1);
  }
}

// ---- A extension --------------------------------------------------------------------------------------

TEST_F(HartTest, LrScSuccessAndFailure) {
  load({LR_W(5, 6), SC_W(7, 8, 6), SC_W(9, 15, 6), SC_D(10, 8, 11), LR_D(12, 11), SC_D(13, 8, 14),
        LR_D(16, 11), SC_D(17, 8, 11)});
  put32(kData, 0x80000000);
  put64(kData + 0x100, 0x8000000000000005);
  put64(kData + 0x1100, 0x77);
  hart_.set_reg(6, kData);
  hart_.set_reg(8, 0x12345678);
  hart_.set_reg(15, 0x9abc);
  hart_.set_reg(11, kData + 0x100);
  hart_.set_reg(14, kData + 0x1100);  // far outside any reservation set around kData+0x100
  run_to_end();
  EXPECT_EQ(x(5), 0xffffffff80000000u);  // lr.w sign-extends
  EXPECT_EQ(x(7), 0u) << "sc.w after lr.w to the same address succeeds";
  EXPECT_NE(x(9), 0u) << "second sc.w has no reservation";
  EXPECT_EQ(get32(kData), 0x12345678u);
  EXPECT_NE(x(10), 0u) << "sc.d without any reservation fails";
  EXPECT_EQ(x(12), 0x8000000000000005u);
  EXPECT_NE(x(13), 0u) << "sc.d to another address fails";
  EXPECT_EQ(get64(kData + 0x1100), 0x77u);
  EXPECT_EQ(x(17), 0u);
  EXPECT_EQ(get64(kData + 0x100), 0x12345678u);
}

struct AmoCase {
  Amo f5;
  const char* name;
  uint64_t w_mem, d_mem;  // memory after the AMO
};
// .W: memory 0x80000001 (negative as int32), rs2 = 5 (upper half of rs2 is garbage and must be ignored).
// .D: memory 0x8000000000000001, rs2 = 5.
const AmoCase kAmoCases[] = {
    {kAmoSwap, "amoswap", 5, 5},
    {kAmoAdd, "amoadd", 0x80000006, 0x8000000000000006},
    {kAmoXor, "amoxor", 0x80000004, 0x8000000000000004},
    {kAmoAnd, "amoand", 1, 1},
    {kAmoOr, "amoor", 0x80000005, 0x8000000000000005},
    {kAmoMin, "amomin", 0x80000001, 0x8000000000000001},
    {kAmoMax, "amomax", 5, 5},
    {kAmoMinu, "amominu", 5, 5},
    {kAmoMaxu, "amomaxu", 0x80000001, 0x8000000000000001},
};

TEST_F(HartTest, AmoWordOperationsSignExtendOldValue) {
  for (const AmoCase& c : kAmoCases) {
    SCOPED_TRACE(std::string(c.name) + ".w");
    load({AMO(c.f5, 2, 5, 6, 7)});
    put32(kData, 0x80000001);
    put32(kData + 4, 0xdeadbeef);
    hart_.set_reg(6, kData);
    hart_.set_reg(7, 0xabcd000000000005);
    run_to_end();
    EXPECT_EQ(x(5), 0xffffffff80000001u);
    EXPECT_EQ(get32(kData), static_cast<uint32_t>(c.w_mem));
    EXPECT_EQ(get32(kData + 4), 0xdeadbeefu) << "neighbouring word untouched";
  }
}

TEST_F(HartTest, AmoDoublewordOperations) {
  for (const AmoCase& c : kAmoCases) {
    SCOPED_TRACE(std::string(c.name) + ".d");
    load({AMO(c.f5, 3, 5, 6, 7)});
    put64(kData, 0x8000000000000001);
    hart_.set_reg(6, kData);
    hart_.set_reg(7, 5);
    run_to_end();
    EXPECT_EQ(x(5), 0x8000000000000001u);
    EXPECT_EQ(get64(kData), c.d_mem);
  }
}

TEST_F(HartTest, MisalignedAtomicsTrapEvenWhenMisalignedAccessesArePerformed) {
  struct Case {
    uint32_t insn;
    uint64_t addr;
    uint64_t mcause;
  };
  const Case cases[] = {
      {AMO(kAmoAdd, 2, 5, 6, 7), kData + 2, cause::kMisalignedStore},
      {AMO(kAmoSwap, 3, 5, 6, 7), kData + 4, cause::kMisalignedStore},
      {LR_W(5, 6), kData + 1, cause::kMisalignedLoad},
      {LR_D(5, 6), kData + 4, cause::kMisalignedLoad},
      {SC_D(5, 7, 6), kData + 4, cause::kMisalignedStore},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(testing::Message() << std::hex << c.insn);
    load({ADDI(0, 0, 0), c.insn});
    put64(kData, 0x1122334455667788);
    put64(kData + 8, 0x99aabbccddeeff00);
    hart_.set_reg(5, 0x55);
    hart_.set_reg(6, c.addr);
    hart_.set_reg(7, 1);
    run_to_trap();
    expect_trap(c.mcause, kRamBase + 4, c.addr);
    EXPECT_EQ(x(5), 0x55u);
    EXPECT_EQ(get64(kData), 0x1122334455667788u);
    EXPECT_EQ(get64(kData + 8), 0x99aabbccddeeff00u);
  }
}

// ---- Exceptions ------------------------------------------------------------------------------------------

TEST_F(HartTest, IllegalInstructionTrap) {
  load({ADDI(5, 0, 1), 0xffffffff});
  set_csr(csr::kMstatus, mstatus::kMie);
  run_to_trap();
  expect_trap(cause::kIllegalInstruction, kRamBase + 4, 0xffffffff);
  const uint64_t ms = csr(csr::kMstatus);
  EXPECT_EQ((ms & mstatus::kMpp) >> mstatus::kMppShift, 3u);
  EXPECT_NE(ms & mstatus::kMpie, 0u) << "MPIE takes the old MIE";
  EXPECT_EQ(ms & mstatus::kMie, 0u);
  EXPECT_EQ(hart_.priv(), Priv::M);
  EXPECT_EQ(x(5), 1u);
}

TEST_F(HartTest, IllegalCompressedInstructionTvalHasOnlySixteenBits) {
  load({ADDI(0, 0, 0), 0xffff4002});  // c.lwsp x0 (reserved), followed by a 0xffff parcel
  run_to_trap();
  expect_trap(cause::kIllegalInstruction, kRamBase + 4, 0x4002);
}

TEST_F(HartTest, EcallFromMachineModeDoesNotRetire) {
  load({ADDI(5, 0, 1), ECALL});
  run_to_trap();
  expect_trap(cause::kEcallM, kRamBase + 4, 0);
  EXPECT_EQ(hart_.instret(), 1u);
}

TEST_F(HartTest, EbreakTvalIsPc) {
  load({ADDI(5, 0, 1), EBREAK});
  run_to_trap();
  expect_trap(cause::kBreakpoint, kRamBase + 4, kRamBase + 4);
  // c.ebreak at a 2-byte aligned pc
  load({0x90020001});  // c.nop; c.ebreak
  run_to_trap();
  expect_trap(cause::kBreakpoint, kRamBase + 2, kRamBase + 2);
}

TEST_F(HartTest, MretRestoresPrivilegeAndInterruptEnable) {
  load({MRET});
  put32(kRamBase + 0x100, J_SELF);
  set_csr(csr::kMepc, kRamBase + 0x100);
  set_csr(csr::kMstatus, mstatus::kMpie | mstatus::kMprv | (1ull << mstatus::kMppShift));  // MPP = S
  hart_.run(1);
  EXPECT_EQ(hart_.pc(), kRamBase + 0x100);
  EXPECT_EQ(hart_.priv(), Priv::S);
  const uint64_t ms = csr(csr::kMstatus);
  EXPECT_NE(ms & mstatus::kMie, 0u) << "MIE = old MPIE";
  EXPECT_NE(ms & mstatus::kMpie, 0u) << "MPIE = 1";
  EXPECT_EQ(ms & mstatus::kMpp, 0u) << "MPP = U (least-privileged mode)";
  EXPECT_EQ(ms & mstatus::kMprv, 0u) << "MRET to a mode below M clears MPRV";
}

TEST_F(HartTest, SretReturnsToSppAndIsIllegalInUserMode) {
  load_in(Priv::S, {SRET});
  put32(kRamBase + 0x100, SRET);  // executed in U: illegal
  set_csr(csr::kSepc, kRamBase + 0x100);
  set_csr(csr::kSstatus, mstatus::kSpie);  // SPP = U
  hart_.run(1);
  EXPECT_EQ(hart_.priv(), Priv::U);
  EXPECT_EQ(hart_.pc(), kRamBase + 0x100);
  EXPECT_NE(csr(csr::kSstatus) & mstatus::kSie, 0u);
  hart_.run(1);
  expect_trap(cause::kIllegalInstruction, kRamBase + 0x100, SRET);
  EXPECT_EQ((csr(csr::kMstatus) & mstatus::kMpp) >> mstatus::kMppShift, 0u) << "trap came from U";
}

// ---- CSR access rules -------------------------------------------------------------------------------------

TEST_F(HartTest, ReadOnlyCsrs) {
  // Reading read-only CSRs with CSRRS/CSRRC rs1=x0 or CSRRSI uimm=0 is fine.
  load({CSRRS(5, csr::kMhartid, 0), CSRRSI(6, csr::kMvendorid, 0), CSRRC(7, csr::kCycle, 0),
        CSRRS(8, csr::kMisa, 0)});
  run_to_end();
  EXPECT_EQ(x(5), 0u);
  EXPECT_EQ(x(6), 0u);
  EXPECT_EQ(x(8), csr(csr::kMisa));

  struct Case {
    uint32_t insn;
    const char* what;
  };
  const Case writes[] = {
      {CSRRW(5, csr::kMhartid, 6), "csrrw mhartid"},
      {CSRRW(0, csr::kCycle, 6), "csrrw x0, cycle"},
      {CSRRS(5, csr::kMhartid, 6), "csrrs mhartid with rs1=x6 holding 0 (the register index counts)"},
      {CSRRWI(0, csr::kInstret, 0), "csrrwi instret, 0 (always writes)"},
      {CSRRSI(5, csr::kMimpid, 1), "csrrsi mimpid, 1"},
  };
  for (const Case& c : writes) {
    SCOPED_TRACE(c.what);
    load({c.insn});
    hart_.set_reg(6, 0);
    hart_.set_reg(5, 0x55);
    run_to_trap();
    expect_trap(cause::kIllegalInstruction, kRamBase, c.insn);
    EXPECT_EQ(x(5), 0x55u) << "rd not written";
  }
}

TEST_F(HartTest, UnimplementedCsrsAreIllegal) {
  const uint16_t absent[] = {
      0x001,  // fflags: no F extension
      0x003,  // fcsr
      0x3a1,  // pmpcfg1 exists only in RV32
      0x3a3,  // pmpcfg3 likewise
      0x600,  // hstatus: no H extension
      0x7b0,  // dcsr: debug mode only
      0xc80,  // cycleh: RV32 only
      0x5c0,  // unallocated
  };
  for (uint16_t n : absent) {
    SCOPED_TRACE(testing::Message() << std::hex << "csr 0x" << n);
    const uint32_t insn = CSRRS(5, n, 0);
    load({insn});
    run_to_trap();
    expect_trap(cause::kIllegalInstruction, kRamBase, insn);
  }
}

TEST_F(HartTest, CsrPrivilegeLevels) {
  const uint32_t read_mstatus = CSRRS(5, csr::kMstatus, 0);
  load_in(Priv::S, {read_mstatus});
  hart_.run(1);
  expect_trap(cause::kIllegalInstruction, kRamBase + 4, read_mstatus);

  const uint32_t read_sstatus = CSRRS(5, csr::kSstatus, 0);
  load_in(Priv::S, {read_sstatus});
  hart_.run(1);
  EXPECT_EQ(hart_.pc(), kRamBase + 8) << "S may read sstatus";
  load_in(Priv::U, {read_sstatus});
  hart_.run(1);
  expect_trap(cause::kIllegalInstruction, kRamBase + 4, read_sstatus);
}

TEST_F(HartTest, CounterEnables) {
  const uint32_t rdcycle = CSRRS(5, csr::kCycle, 0);
  load_in(Priv::U, {rdcycle});
  hart_.run(1);
  expect_trap(cause::kIllegalInstruction, kRamBase + 4, rdcycle);

  load_in(Priv::S, {rdcycle});
  hart_.run(1);
  expect_trap(cause::kIllegalInstruction, kRamBase + 4, rdcycle);

  load_in(Priv::U, {rdcycle});
  set_csr(csr::kMcounteren, 1);  // CY for S ... but U also needs scounteren.CY
  hart_.run(1);
  expect_trap(cause::kIllegalInstruction, kRamBase + 4, rdcycle);

  load_in(Priv::U, {rdcycle, CSRRS(6, csr::kInstret, 0)});
  set_csr(csr::kMcounteren, 1);
  set_csr(csr::kScounteren, 1);
  hart_.run(1);
  EXPECT_EQ(hart_.pc(), kRamBase + 8) << "U may read cycle";
  hart_.run(1);
  expect_trap(cause::kIllegalInstruction, kRamBase + 8, CSRRS(6, csr::kInstret, 0));  // IR not enabled
}

TEST_F(HartTest, MppIsWarl) {
  load({});
  for (uint64_t mpp : {0ull, 1ull, 3ull}) {
    set_csr(csr::kMstatus, mpp << mstatus::kMppShift);
    EXPECT_EQ((csr(csr::kMstatus) & mstatus::kMpp) >> mstatus::kMppShift, mpp);
  }
  set_csr(csr::kMstatus, 2ull << mstatus::kMppShift);  // reserved encoding
  EXPECT_NE((csr(csr::kMstatus) & mstatus::kMpp) >> mstatus::kMppShift, 2u);
  // Through an instruction as well.
  load({CSRRW(0, csr::kMstatus, 6), CSRRS(5, csr::kMstatus, 0)});
  hart_.set_reg(6, 2ull << mstatus::kMppShift);
  run_to_end();
  EXPECT_NE((x(5) & mstatus::kMpp) >> mstatus::kMppShift, 2u);
  // UXL/SXL are read-only.
  EXPECT_EQ((x(5) >> 32) & 0xf, 0xau);
}

TEST_F(HartTest, SatpModeIsWarl) {
  load({});
  EXPECT_EQ(csr(csr::kSatp), 0u);
  set_csr(csr::kSatp, (9ull << 60) | 0x1234);  // Sv48: not supported, the whole write is ignored
  EXPECT_EQ(csr(csr::kSatp), 0u);
  set_csr(csr::kSatp, (8ull << 60) | 0x1234);  // Sv39
  EXPECT_EQ(csr(csr::kSatp) >> 60, 8u);
  EXPECT_EQ(csr(csr::kSatp) & 0xfffffffffffull, 0x1234u);
  const uint64_t sv39 = csr(csr::kSatp);
  for (uint64_t mode : {1ull, 9ull, 10ull, 15ull}) {
    set_csr(csr::kSatp, (mode << 60) | 0x5678);
    EXPECT_EQ(csr(csr::kSatp), sv39) << "mode " << mode;
  }
  set_csr(csr::kSatp, 0);
  EXPECT_EQ(csr(csr::kSatp), 0u);
}

// satp.ASID is WARL with ASIDLEN = mmu.asid_bits writable bits; the rest read as zero (privileged spec,
// satp: "the number of ASID bits implemented, termed ASIDLEN, may be determined by writing one to every
// bit position in the ASID field, then reading back").
TEST_F(HartTest, SatpAsidHasAsidBitsWritableBits) {
  for (unsigned bits : {0u, 5u, 16u}) {
    MmuConfig cfg;
    cfg.asid_bits = bits;
    mmu_.configure(cfg, nullptr, nullptr, 1000);
    load({});
    set_csr(csr::kSatp, (8ull << 60) | (0xffffull << 44) | 0x1234);
    const uint64_t want_asid = bits == 0 ? 0 : bits == 5 ? 0x1f : 0xffff;
    EXPECT_EQ((csr(csr::kSatp) >> 44) & 0xffff, want_asid) << bits << " bits";
    EXPECT_EQ(csr(csr::kSatp) & 0xfffffffffffull, 0x1234u) << bits << " bits";
  }
}

TEST_F(HartTest, MedelegBit11IsReadOnlyZero) {
  load({});
  set_csr(csr::kMedeleg, ~0ull);
  const uint64_t m = csr(csr::kMedeleg);
  EXPECT_EQ((m >> cause::kEcallM) & 1, 0u);
  EXPECT_EQ((m >> cause::kEcallU) & 1, 1u);
  EXPECT_EQ((m >> cause::kIllegalInstruction) & 1, 1u);
}

TEST_F(HartTest, MipMachineBitsAreNotSoftwareWritable) {
  load({});
  set_csr(csr::kMip, irq::kMtip | irq::kMeip | irq::kMsip);
  EXPECT_EQ(csr(csr::kMip) & (irq::kMtip | irq::kMeip | irq::kMsip), 0u);
  hart_.set_interrupt_line(irq::kMti, true);
  EXPECT_EQ(csr(csr::kMip) & irq::kMtip, irq::kMtip);
  set_csr(csr::kMip, 0);
  EXPECT_EQ(csr(csr::kMip) & irq::kMtip, irq::kMtip) << "MTIP follows the wire only";
}

// ---- Delegation ----------------------------------------------------------------------------------------

TEST_F(HartTest, DelegatedEcallFromUserGoesToSupervisor) {
  load_in(Priv::U, {ADDI(5, 0, 1), ECALL});
  set_csr(csr::kMedeleg, 1ull << cause::kEcallU);
  set_csr(csr::kSstatus, mstatus::kSie);
  set_csr(csr::kMcause, 0x77);
  run_to(kSHandler);
  EXPECT_EQ(hart_.priv(), Priv::S);
  EXPECT_EQ(csr(csr::kScause), cause::kEcallU);
  EXPECT_EQ(csr(csr::kSepc), kRamBase + 8);
  EXPECT_EQ(csr(csr::kStval), 0u);
  const uint64_t ss = csr(csr::kSstatus);
  EXPECT_EQ(ss & mstatus::kSpp, 0u) << "came from U";
  EXPECT_NE(ss & mstatus::kSpie, 0u) << "SPIE = old SIE";
  EXPECT_EQ(ss & mstatus::kSie, 0u);
  EXPECT_EQ(csr(csr::kMcause), 0x77u) << "M-mode trap state untouched";
}

TEST_F(HartTest, UndelegatedExceptionFromUserGoesToMachine) {
  load_in(Priv::U, {0xffffffff});
  set_csr(csr::kMedeleg, 1ull << cause::kEcallU);
  hart_.run(1);
  expect_trap(cause::kIllegalInstruction, kRamBase + 4, 0xffffffff);
  EXPECT_EQ(hart_.priv(), Priv::M);
  EXPECT_EQ((csr(csr::kMstatus) & mstatus::kMpp) >> mstatus::kMppShift, 0u);
}

TEST_F(HartTest, DelegationNeverLowersPrivilegeFromMachineMode) {
  load({0xffffffff});
  set_csr(csr::kMedeleg, 1ull << cause::kIllegalInstruction);
  hart_.run(1);
  expect_trap(cause::kIllegalInstruction, kRamBase, 0xffffffff);
  EXPECT_EQ(hart_.priv(), Priv::M);
}

TEST_F(HartTest, DelegatedSupervisorTimerInterrupt) {
  // In M-mode a delegated interrupt is never taken, even with mstatus.MIE set.
  load({ADDI(5, 5, 1), ADDI(5, 5, 1), ADDI(5, 5, 1)});
  set_csr(csr::kMideleg, irq::kStip);
  set_csr(csr::kMie, irq::kStip);
  set_csr(csr::kMip, irq::kStip);
  set_csr(csr::kMstatus, mstatus::kMie | mstatus::kSie);
  run_to_end();
  EXPECT_EQ(x(5), 3u);

  // In S-mode with SIE it traps to stvec.
  load_in(Priv::S, {ADDI(5, 5, 1)});
  set_csr(csr::kMideleg, irq::kStip);
  set_csr(csr::kMie, irq::kStip);
  set_csr(csr::kSstatus, mstatus::kSie);
  set_csr(csr::kMip, irq::kStip);
  hart_.run(1);
  EXPECT_EQ(hart_.pc(), kSHandler);
  EXPECT_EQ(csr(csr::kScause), kIntr | irq::kSti);
  EXPECT_EQ(csr(csr::kSepc), kRamBase + 4);
  EXPECT_NE(csr(csr::kSstatus) & mstatus::kSpp, 0u) << "came from S";

  // In U-mode it is taken even with SIE clear.
  load_in(Priv::U, {ADDI(5, 5, 1)});
  set_csr(csr::kMideleg, irq::kStip);
  set_csr(csr::kMie, irq::kStip);
  set_csr(csr::kMip, irq::kStip);
  hart_.run(1);
  EXPECT_EQ(hart_.pc(), kSHandler);
  EXPECT_EQ(hart_.priv(), Priv::S);
  EXPECT_EQ(csr(csr::kScause), kIntr | irq::kSti);
}

// ---- Interrupts ----------------------------------------------------------------------------------------

TEST_F(HartTest, MachineTimerInterruptNeedsMieInMachineMode) {
  load({ADDI(5, 5, 1), ADDI(5, 5, 1), ADDI(5, 5, 1), ADDI(5, 5, 1)});
  set_csr(csr::kMie, irq::kMtip);
  hart_.set_interrupt_line(irq::kMti, true);
  hart_.run(2);
  EXPECT_EQ(x(5), 2u) << "mstatus.MIE=0: not taken in M-mode";
  set_csr(csr::kMstatus, mstatus::kMie);
  hart_.run(1);
  EXPECT_EQ(hart_.pc(), kMHandler);
  EXPECT_EQ(csr(csr::kMcause), kIntr | irq::kMti);
  EXPECT_EQ(csr(csr::kMepc), kRamBase + 8) << "mepc = the first instruction not executed";
  EXPECT_EQ(csr(csr::kMtval), 0u);
  const uint64_t ms = csr(csr::kMstatus);
  EXPECT_EQ(ms & mstatus::kMie, 0u);
  EXPECT_NE(ms & mstatus::kMpie, 0u);
  EXPECT_EQ(x(5), 2u);
}

TEST_F(HartTest, MachineInterruptsAlwaysEnabledBelowMachineMode) {
  load_in(Priv::U, {ADDI(5, 5, 1)});
  set_csr(csr::kMie, irq::kMtip);
  hart_.set_interrupt_line(irq::kMti, true);
  hart_.run(1);
  EXPECT_EQ(hart_.pc(), kMHandler);
  EXPECT_EQ(csr(csr::kMcause), kIntr | irq::kMti);
  EXPECT_EQ(hart_.priv(), Priv::M);
  EXPECT_EQ(x(5), 0u);
}

TEST_F(HartTest, InterruptNotEnabledInMieIsNotTaken) {
  load({ADDI(5, 5, 1)});
  set_csr(csr::kMie, irq::kMsip);
  set_csr(csr::kMstatus, mstatus::kMie);
  hart_.set_interrupt_line(irq::kMti, true);
  run_to_end();
  EXPECT_EQ(x(5), 1u);
}

TEST_F(HartTest, VectoredMtvecOffsetsInterruptsOnly) {
  load({ADDI(0, 0, 0), ECALL});
  set_csr(csr::kMtvec, kMHandler | 1);
  EXPECT_EQ(csr(csr::kMtvec), kMHandler | 1);
  set_csr(csr::kMie, irq::kMtip);
  set_csr(csr::kMstatus, mstatus::kMie);
  hart_.set_interrupt_line(irq::kMti, true);
  hart_.run(1);
  EXPECT_EQ(hart_.pc(), kMHandler + 4 * irq::kMti);
  EXPECT_EQ(csr(csr::kMcause), kIntr | irq::kMti);

  load({ECALL});
  set_csr(csr::kMtvec, kMHandler | 1);
  hart_.run(1);
  EXPECT_EQ(hart_.pc(), kMHandler) << "synchronous exceptions use the base address";
  EXPECT_EQ(csr(csr::kMcause), cause::kEcallM);
}

TEST_F(HartTest, InterruptPriorityOrder) {
  load({});
  set_csr(csr::kMie, irq::kAll);
  hart_.set_interrupt_line(irq::kMei, true);
  hart_.set_interrupt_line(irq::kMsi, true);
  hart_.set_interrupt_line(irq::kMti, true);
  set_csr(csr::kMip, irq::kSeip | irq::kSsip | irq::kStip);
  // Privileged spec, mip/mie: "MEI, MSI, MTI, SEI, SSI, STI" in decreasing priority.
  for (unsigned expected : {irq::kMei, irq::kMsi, irq::kMti, irq::kSei, irq::kSsi, irq::kSti}) {
    SCOPED_TRACE(expected);
    set_csr(csr::kMstatus, mstatus::kMie);
    hart_.run(1);
    EXPECT_EQ(csr(csr::kMcause), kIntr | expected);
    if (expected == irq::kMei || expected == irq::kMsi || expected == irq::kMti) {
      hart_.set_interrupt_line(expected, false);
    } else {
      set_csr(csr::kMip, csr(csr::kMip) & ~(1ull << expected));
    }
  }
}

TEST_F(HartTest, WfiSleepsUntilAnInterruptIsPendingAndEnabled) {
  load({WFI, ADDI(5, 0, 1)});
  set_csr(csr::kMie, irq::kMtip);  // enabled in mie, but mstatus.MIE = 0
  hart_.run(10);
  EXPECT_TRUE(hart_.waiting_for_interrupt());
  EXPECT_EQ(hart_.pc(), kRamBase + 4);
  EXPECT_FALSE(hart_.wake_pending());
  hart_.run(10);
  EXPECT_EQ(x(5), 0u) << "still asleep";
  EXPECT_EQ(hart_.pc(), kRamBase + 4);

  hart_.set_interrupt_line(irq::kMsi, true);  // pending but not enabled in mie: no wake-up
  EXPECT_FALSE(hart_.wake_pending());
  hart_.run(10);
  EXPECT_EQ(x(5), 0u);

  hart_.set_interrupt_line(irq::kMti, true);
  EXPECT_TRUE(hart_.wake_pending());
  hart_.run(1);
  EXPECT_FALSE(hart_.waiting_for_interrupt());
  EXPECT_EQ(x(5), 1u) << "resumes after WFI without trapping (MIE=0)";
  EXPECT_EQ(csr(csr::kMcause), 0u);
}

TEST_F(HartTest, WfiWakesIntoTheInterruptHandler) {
  load({WFI, ADDI(5, 0, 1)});
  set_csr(csr::kMie, irq::kMtip);
  set_csr(csr::kMstatus, mstatus::kMie);
  hart_.run(10);
  EXPECT_TRUE(hart_.waiting_for_interrupt());
  hart_.set_interrupt_line(irq::kMti, true);
  hart_.run(1);
  EXPECT_EQ(hart_.pc(), kMHandler);
  EXPECT_EQ(csr(csr::kMcause), kIntr | irq::kMti);
  EXPECT_EQ(csr(csr::kMepc), kRamBase + 4) << "mepc is the instruction after WFI";
  EXPECT_EQ(x(5), 0u);
}

// ---- Counters -----------------------------------------------------------------------------------------

TEST_F(HartTest, InstretAndCycleCounting) {
  load({ADDI(1, 1, 1), ADDI(1, 1, 1), ADDI(1, 1, 1), ADDI(1, 1, 1), ADDI(1, 1, 1),
        CSRRS(5, csr::kMinstret, 0), CSRRS(6, csr::kInstret, 0), CSRRS(7, csr::kMcycle, 0),
        CSRRS(8, csr::kMcycle, 0), ECALL});
  run_to_trap();
  EXPECT_EQ(x(5), 5u) << "minstret reads the count before the reading instruction retires";
  EXPECT_EQ(x(6), 6u);
  EXPECT_GT(x(8), x(7));
  EXPECT_EQ(hart_.instret(), 9u) << "the ecall does not retire";
  EXPECT_GE(hart_.cycles(), 9u);
  EXPECT_EQ(csr(csr::kMinstret), 9u);
}

TEST_F(HartTest, CounterWritesAreSeenByTheNextInstruction) {
  load({CSRRW(0, csr::kMinstret, 9), CSRRS(10, csr::kMinstret, 0), CSRRW(0, csr::kMcycle, 11),
        CSRRS(12, csr::kMcycle, 0)});
  hart_.set_reg(9, 1000);
  hart_.set_reg(11, 5000);
  run_to_end();
  EXPECT_EQ(x(10), 1000u);
  EXPECT_GE(x(12), 5000u);
  EXPECT_LE(x(12), 5002u);
}

// ---- Misaligned accesses -------------------------------------------------------------------------------

TEST_F(HartTest, MisalignedTrapMode) {
  struct Case {
    uint32_t insn;
    int32_t off;
    uint64_t mcause;
  };
  const Case cases[] = {
      {LW(5, 6, 2), 2, cause::kMisalignedLoad},  {LH(5, 6, 1), 1, cause::kMisalignedLoad},
      {LD(5, 6, 4), 4, cause::kMisalignedLoad},  {LHU(5, 6, 3), 3, cause::kMisalignedLoad},
      {SD(7, 6, 3), 3, cause::kMisalignedStore}, {SW(7, 6, 6), 6, cause::kMisalignedStore},
      {SH(7, 6, 1), 1, cause::kMisalignedStore},
  };
  mmu_.set_trap_misaligned(true);
  for (const Case& c : cases) {
    SCOPED_TRACE(testing::Message() << std::hex << c.insn);
    load({c.insn});
    put64(kData, 0);
    put64(kData + 8, 0);
    hart_.set_reg(5, 0x55);
    hart_.set_reg(6, kData);
    hart_.set_reg(7, ~0ull);
    run_to_trap();
    expect_trap(c.mcause, kRamBase, kData + c.off);
    EXPECT_EQ(x(5), 0x55u);
    EXPECT_EQ(get64(kData) | get64(kData + 8), 0u) << "nothing stored";
  }
  load({LB(5, 6, 3), SB(7, 6, 5)});  // bytes are never misaligned
  hart_.set_reg(6, kData);
  run_to_end();
}

TEST_F(HartTest, MisalignedPerformedModeCrossesDoublewordBoundary) {
  load({SD(7, 6, 5), LD(8, 6, 5), LW(9, 6, 6), LH(10, 6, 7), LHU(11, 6, 7), LWU(12, 6, 6)});
  put64(kData, 0);
  put64(kData + 8, 0);
  hart_.set_reg(6, kData);
  hart_.set_reg(7, 0x1122334455667788);
  run_to_end();
  const uint8_t expected[16] = {0, 0, 0, 0, 0, 0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11, 0, 0, 0};
  for (unsigned i = 0; i < 16; ++i) EXPECT_EQ(ram_[kData - kRamBase + i], expected[i]) << "byte " << i;
  EXPECT_EQ(x(8), 0x1122334455667788u);
  EXPECT_EQ(x(9), 0x44556677u);
  EXPECT_EQ(x(10), 0x5566u);
  EXPECT_EQ(x(11), 0x5566u);
  EXPECT_EQ(x(12), 0x44556677u);
}

// ---- Accesses outside RAM --------------------------------------------------------------------------------

TEST_F(HartTest, DeviceAccessesGoToPhysicalMemory) {
  load({LW(5, 6, 4), SD(7, 6, 8), SB(7, 6, 1), LBU(8, 6, 1), AMO(kAmoAdd, 2, 9, 6, 10)});
  const uint32_t reg4 = 0x80000000u | 0x1234;
  std::memcpy(&bus_.regs[4], &reg4, 4);
  bus_.regs[0] = 0;
  hart_.set_reg(6, FakeBus::kBase);
  hart_.set_reg(7, 0x1122334455667788);
  hart_.set_reg(10, 3);
  run_to_end();
  EXPECT_EQ(x(5), 0xffffffff80001234u);
  EXPECT_EQ(x(8), 0x88u);
  EXPECT_EQ(x(9), 0x8800u);  // the word at offset 0 after sb (0x88 at byte 1)
  ASSERT_GE(bus_.log.size(), 5u);
  EXPECT_FALSE(bus_.log[0].write);
  EXPECT_EQ(bus_.log[0].addr, FakeBus::kBase + 4);
  EXPECT_EQ(bus_.log[0].len, 4u);
  EXPECT_TRUE(bus_.log[1].write);
  EXPECT_EQ(bus_.log[1].addr, FakeBus::kBase + 8);
  EXPECT_EQ(bus_.log[1].len, 8u);
  EXPECT_EQ(bus_.log[1].data, 0x1122334455667788u);
  EXPECT_TRUE(bus_.log[2].write);
  EXPECT_EQ(bus_.log[2].addr, FakeBus::kBase + 1);
  EXPECT_EQ(bus_.log[2].len, 1u);
  EXPECT_EQ(bus_.log[2].data, 0x88u);
  uint32_t amo_result;
  std::memcpy(&amo_result, &bus_.regs[0], 4);
  EXPECT_EQ(amo_result, 0x8800u + 3u);
  for (const auto& a : bus_.log) EXPECT_TRUE(a.accepted);
}

TEST_F(HartTest, RefusedAccessesRaiseAccessFaults) {
  struct Case {
    uint32_t insn;
    uint64_t addr;
    uint64_t mcause;
  };
  const Case cases[] = {
      {LD(5, 6, 0), kNowhere, cause::kLoadAccess},
      {LW(5, 6, 0), kNowhere + 0x40, cause::kLoadAccess},
      {SW(7, 6, 0), kNowhere + 0x80, cause::kStoreAccess},
      {AMO(kAmoAdd, 2, 5, 6, 7), kNowhere, cause::kStoreAccess},  // AMOs raise store/AMO faults
      {LR_D(5, 6), kNowhere, cause::kLoadAccess},
      {LD(5, 6, 0), kRamBase + kRamSize, cause::kLoadAccess},      // just past RAM
      {LD(5, 6, 0), kRamBase + kRamSize - 4, cause::kLoadAccess},  // straddles the end of RAM
      {SD(7, 6, 0), kRamBase - 8, cause::kStoreAccess},            // just below RAM
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(testing::Message() << std::hex << c.insn << " @ 0x" << c.addr);
    load({c.insn});
    hart_.set_reg(5, 0x55);
    hart_.set_reg(6, c.addr);
    run_to_trap();
    expect_trap(c.mcause, kRamBase, c.addr);
    EXPECT_EQ(x(5), 0x55u);
  }
}

TEST_F(HartTest, FetchOutsideRamIsAnAccessFault) {
  load({JALR(0, 6, 0)});
  hart_.set_reg(6, kNowhere);
  hart_.run(1);
  hart_.run(1);
  expect_trap(cause::kFetchAccess, kNowhere, kNowhere);
}

}  // namespace

namespace sv39sim {
namespace {

// Privileged spec, mip.SEIP: only the software-writable bit takes part in CSRRS/CSRRC on mip. Setting
// STIP with csrrs while the PLIC drives SEIP must not latch SEIP once the PLIC drops it.
TEST_F(HartTest, MipReadModifyWriteLeavesExternalSeipAlone) {
  load({ADDI(5, 0, 0x20), CSRRS(6, 0x344, 5)});  // csrrs x6, mip, x5 (STIP)
  hart_.set_interrupt_line(irq::kSei, true);
  run_to_end();
  EXPECT_EQ(hart_.reg(6) & irq::kSeip, irq::kSeip);  // the read shows the PLIC's SEIP
  hart_.set_interrupt_line(irq::kSei, false);
  EXPECT_EQ(csr(csr::kMip) & (irq::kSeip | irq::kStip), irq::kStip);
}

}  // namespace
}  // namespace sv39sim
