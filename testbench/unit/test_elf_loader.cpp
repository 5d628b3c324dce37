// ELF loader unit tests: the firmware's hello.elf, plus hand-crafted good and bad files in a temp
// directory. Every rejected file must produce an InputError that names the file and the problem.
#include <elf.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "models/config/Config.h"
#include "models/platform/ElfLoader.h"

using namespace sv39sim;
namespace fs = std::filesystem;

namespace {

constexpr uint64_t kRamBase = 0x80000000;

// A minimal, valid RV64 executable: ELF header, one PT_LOAD program header, then `payload`
// (loaded at kRamBase, memsz = payload + bss bytes). No section headers, so no symbols.
struct ElfBuilder {
  Elf64_Ehdr eh{};
  Elf64_Phdr ph{};
  std::vector<uint8_t> payload = {0x13, 0x00, 0x00, 0x00, 0x6f, 0x00, 0x00, 0x00};  // nop; j .
  uint64_t bss = 0;

  ElfBuilder() {
    std::memcpy(eh.e_ident, ELFMAG, SELFMAG);
    eh.e_ident[EI_CLASS] = ELFCLASS64;
    eh.e_ident[EI_DATA] = ELFDATA2LSB;
    eh.e_ident[EI_VERSION] = EV_CURRENT;
    eh.e_type = ET_EXEC;
    eh.e_machine = EM_RISCV;
    eh.e_version = EV_CURRENT;
    eh.e_entry = kRamBase;
    eh.e_phoff = sizeof(Elf64_Ehdr);
    eh.e_ehsize = sizeof(Elf64_Ehdr);
    eh.e_phentsize = sizeof(Elf64_Phdr);
    eh.e_phnum = 1;
    ph.p_type = PT_LOAD;
    ph.p_flags = PF_R | PF_X;
    ph.p_offset = sizeof(Elf64_Ehdr) + sizeof(Elf64_Phdr);
    ph.p_vaddr = ph.p_paddr = kRamBase;
    ph.p_align = 8;
  }

  std::vector<uint8_t> bytes() {
    ph.p_filesz = payload.size();
    ph.p_memsz = payload.size() + bss;
    std::vector<uint8_t> out(sizeof eh + sizeof ph);
    std::memcpy(out.data(), &eh, sizeof eh);
    std::memcpy(out.data() + sizeof eh, &ph, sizeof ph);
    out.insert(out.end(), payload.begin(), payload.end());
    return out;
  }
};

class ElfLoader : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "sv39sim-elf-XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string write(const std::string& name, const std::vector<uint8_t>& bytes) {
    const std::string p = (dir_ / name).string();
    std::ofstream(p, std::ios::binary)
        .write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    return p;
  }

  // read_elf must fail; the message must name the file and contain every one of `problems`.
  void expect_read_error(const std::string& path, std::initializer_list<const char*> problems) {
    try {
      read_elf(path);
      ADD_FAILURE() << "no InputError for " << path;
    } catch (const InputError& e) {
      const std::string msg = e.what();
      EXPECT_NE(msg.find(path), std::string::npos) << msg;
      for (const char* p : problems) EXPECT_NE(msg.find(p), std::string::npos) << msg << "\nlacks: " << p;
    }
  }

  fs::path dir_;
};

}  // namespace

TEST_F(ElfLoader, HelloFirmware) {
  const std::string path = std::string(FIRMWARE_DIR) + "/hello.elf";
  const ElfImage img = read_elf(path);
  EXPECT_EQ(img.path, path);
  EXPECT_EQ(img.entry, 0x80000000u);
  ASSERT_TRUE(img.tohost.has_value());
  EXPECT_GE(*img.tohost, kRamBase);
  EXPECT_EQ(*img.tohost % 8, 0u) << "tohost is a 64-bit mailbox";
  ASSERT_FALSE(img.segments.empty());
  for (const auto& s : img.segments) {
    EXPECT_GE(s.paddr, kRamBase);
    EXPECT_LE(s.bytes.size(), s.memsz);
  }
  // Load into a 1 MiB RAM and check the first instruction word is what the file holds at the entry.
  std::vector<uint8_t> ram(1 << 20, 0);
  load_elf(img, RamWindow{kRamBase, ram.size(), ram.data()});
  bool found_entry = false;
  for (const auto& s : img.segments) {
    if (s.paddr <= img.entry && img.entry < s.paddr + s.bytes.size()) {
      found_entry = true;
      EXPECT_EQ(0, std::memcmp(&ram[img.entry - kRamBase], &s.bytes[img.entry - s.paddr], 4));
    }
  }
  EXPECT_TRUE(found_entry);
}

TEST_F(ElfLoader, CraftedExecutableLoads) {
  ElfBuilder b;
  b.payload = {1, 2, 3, 4, 5, 6, 7, 8, 9};
  b.bss = 7;
  b.ph.p_paddr = kRamBase + 0x100;
  b.ph.p_vaddr = 0xffffffff80000100;  // loaded by physical address
  b.eh.e_entry = kRamBase + 0x100;
  const std::string path = write("ok.elf", b.bytes());
  const ElfImage img = read_elf(path);
  EXPECT_EQ(img.entry, kRamBase + 0x100);
  EXPECT_FALSE(img.tohost.has_value()) << "no symbols";
  ASSERT_EQ(img.segments.size(), 1u);
  EXPECT_EQ(img.segments[0].paddr, kRamBase + 0x100);
  EXPECT_EQ(img.segments[0].memsz, 16u);

  std::vector<uint8_t> ram(0x1000, 0);
  load_elf(img, RamWindow{kRamBase, ram.size(), ram.data()});
  for (unsigned i = 0; i < 9; ++i) EXPECT_EQ(ram[0x100 + i], i + 1);
  for (unsigned i = 9; i < 16; ++i) EXPECT_EQ(ram[0x100 + i], 0u);
  EXPECT_EQ(ram[0xff], 0u);
  EXPECT_EQ(ram[0x110], 0u);
}

// ELF gABI: memory between p_filesz and p_memsz "is defined to hold the value 0" - whatever RAM held.
TEST_F(ElfLoader, BssIsZeroedEvenInUsedRam) {
  ElfBuilder b;
  b.bss = 24;
  const ElfImage img = read_elf(write("bss.elf", b.bytes()));
  std::vector<uint8_t> ram(0x1000, 0xaa);
  load_elf(img, RamWindow{kRamBase, ram.size(), ram.data()});
  unsigned nonzero = 0;
  for (unsigned i = 8; i < 32; ++i) nonzero += ram[i] != 0;
  EXPECT_EQ(nonzero, 0u) << "of the 24 bss bytes at offset 8, " << nonzero << " keep old RAM contents";
  EXPECT_EQ(ram[32], 0xaau) << "beyond memsz untouched";
}

TEST_F(ElfLoader, MissingFile) {
  const std::string path = (dir_ / "nope.elf").string();
  try {
    read_elf(path);
    FAIL() << "no error";
  } catch (const InputError& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find(path), std::string::npos) << msg;
    EXPECT_NE(msg.find("No such file"), std::string::npos) << msg;
  }
}

TEST_F(ElfLoader, EmptyFile) {
  expect_read_error(write("empty.elf", {}), {"not an ELF"});
}

TEST_F(ElfLoader, TextFile) {
  const std::string text = "#!/bin/sh\necho this is not an ELF file at all\n";
  expect_read_error(write("script.elf", std::vector<uint8_t>(text.begin(), text.end())), {"not an ELF"});
}

TEST_F(ElfLoader, ThirtyTwoBitElf) {
  ElfBuilder b;
  auto bytes = b.bytes();
  bytes[EI_CLASS] = ELFCLASS32;
  expect_read_error(write("rv32.elf", bytes), {"32-bit"});
}

TEST_F(ElfLoader, BigEndianElf) {
  ElfBuilder b;
  auto bytes = b.bytes();
  bytes[EI_DATA] = ELFDATA2MSB;
  expect_read_error(write("be.elf", bytes), {"big-endian"});
}

TEST_F(ElfLoader, WrongMachine) {
  ElfBuilder b;
  b.eh.e_machine = EM_X86_64;
  expect_read_error(write("x86.elf", b.bytes()), {"not a RISC-V"});
}

TEST_F(ElfLoader, NotAnExecutable) {
  ElfBuilder b;
  b.eh.e_type = ET_REL;
  expect_read_error(write("obj.o", b.bytes()), {"not an executable"});
}

TEST_F(ElfLoader, TruncatedAfterTheHeader) {
  ElfBuilder b;
  auto bytes = b.bytes();
  bytes.resize(sizeof(Elf64_Ehdr));
  expect_read_error(write("trunc.elf", bytes), {"truncated"});
}

TEST_F(ElfLoader, TruncatedInsideTheHeader) {
  ElfBuilder b;
  auto bytes = b.bytes();
  bytes.resize(40);  // valid e_ident, header cut short
  expect_read_error(write("short.elf", bytes), {"truncated"});
}

TEST_F(ElfLoader, SegmentPastEndOfFile) {
  ElfBuilder b;
  b.ph.p_offset = 0x10000;
  expect_read_error(write("pastend.elf", b.bytes()), {"truncated"});
}

TEST_F(ElfLoader, FileSizeLargerThanMemorySize) {
  ElfBuilder b;
  auto bytes = b.bytes();
  Elf64_Phdr ph;
  std::memcpy(&ph, bytes.data() + sizeof(Elf64_Ehdr), sizeof ph);
  ph.p_memsz = 4;  // filesz is 8
  std::memcpy(bytes.data() + sizeof(Elf64_Ehdr), &ph, sizeof ph);
  expect_read_error(write("filesz.elf", bytes), {"p_filesz"});
}

TEST_F(ElfLoader, NoLoadableSegment) {
  ElfBuilder b;
  b.ph.p_type = PT_NOTE;
  expect_read_error(write("noload.elf", b.bytes()), {"PT_LOAD"});
}

TEST_F(ElfLoader, SegmentOutsideRam) {
  ElfBuilder b;
  b.ph.p_paddr = b.ph.p_vaddr = 0x1000;
  b.eh.e_entry = 0x1000;
  const std::string path = write("low.elf", b.bytes());
  const ElfImage img = read_elf(path);  // well-formed; only loading it fails
  std::vector<uint8_t> ram(0x1000, 0);
  try {
    load_elf(img, RamWindow{kRamBase, ram.size(), ram.data()});
    FAIL() << "no error";
  } catch (const InputError& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find(path), std::string::npos) << msg;
    EXPECT_NE(msg.find("outside RAM"), std::string::npos) << msg;
    EXPECT_NE(msg.find("0x1000"), std::string::npos) << msg << "\nnames the segment address";
  }
  for (uint8_t v : ram) ASSERT_EQ(v, 0u) << "nothing written";
}

TEST_F(ElfLoader, SegmentOverrunningTheEndOfRam) {
  ElfBuilder b;
  b.ph.p_paddr = kRamBase + 0xffc;  // 8 bytes at 0x...ffc run 4 bytes past a 4 KiB RAM
  b.eh.e_entry = kRamBase;
  const std::string path = write("overrun.elf", b.bytes());
  const ElfImage img = read_elf(path);
  std::vector<uint8_t> ram(0x1000, 0);
  try {
    load_elf(img, RamWindow{kRamBase, ram.size(), ram.data()});
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("outside RAM"), std::string::npos) << e.what();
  }
}

TEST_F(ElfLoader, EntryOutsideRam) {
  ElfBuilder b;
  b.eh.e_entry = 0x1000;
  const std::string path = write("entry.elf", b.bytes());
  const ElfImage img = read_elf(path);
  std::vector<uint8_t> ram(0x1000, 0);
  try {
    load_elf(img, RamWindow{kRamBase, ram.size(), ram.data()});
    FAIL() << "no error";
  } catch (const InputError& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find(path), std::string::npos) << msg;
    EXPECT_NE(msg.find("entry"), std::string::npos) << msg;
  }
}
