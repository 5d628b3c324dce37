// ELF loader unit tests: the firmware's hello.elf, plus hand-crafted good and bad files in a temp
// directory. Every rejected file must produce an InputError that names the file and the problem.
#include <elf.h>
#include <gtest/gtest.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "models/config/Config.h"
#include "models/platform/ElfLoader.h"

using namespace sv39sim;
namespace fs = std::filesystem;

namespace {

constexpr uint64_t kRamBase = 0x80000000;

// A minimal, valid RV64 executable: ELF header, one PT_LOAD program header (plus `extra` ones), then
// `payload` (loaded at kRamBase, memsz = payload + bss bytes). No section headers, so no symbols.
struct ElfBuilder {
  Elf64_Ehdr eh{};
  Elf64_Phdr ph{};
  std::vector<Elf64_Phdr> extra;
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
    eh.e_phnum = static_cast<Elf64_Half>(1 + extra.size());
    const size_t headers = sizeof eh + sizeof ph * eh.e_phnum;
    Elf64_Phdr first = ph;
    first.p_offset += sizeof ph * extra.size();  // the payload follows every program header
    std::vector<uint8_t> out(headers);
    std::memcpy(out.data(), &eh, sizeof eh);
    std::memcpy(out.data() + sizeof eh, &first, sizeof first);
    for (size_t i = 0; i < extra.size(); ++i)
      std::memcpy(out.data() + sizeof eh + sizeof ph * (1 + i), &extra[i], sizeof ph);
    out.insert(out.end(), payload.begin(), payload.end());
    return out;
  }
  // A PT_LOAD of `memsz` bytes at `paddr` with no file bytes (pure bss).
  void add_bss_segment(uint64_t paddr, uint64_t memsz) {
    Elf64_Phdr p{};
    p.p_type = PT_LOAD;
    p.p_flags = PF_R | PF_W;
    p.p_vaddr = p.p_paddr = paddr;
    p.p_memsz = memsz;
    p.p_align = 8;
    extra.push_back(p);
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
    EXPECT_LE(s.filesz, s.memsz);
  }
  // Load into a 1 MiB RAM and check the first instruction word is what the file holds at the entry.
  std::vector<uint8_t> ram(1 << 20, 0);
  load_elf(img, RamWindow{kRamBase, ram.size(), ram.data()});
  std::ifstream in(path, std::ios::binary);
  const std::vector<uint8_t> file((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  bool found_entry = false;
  for (const auto& s : img.segments) {
    if (s.paddr <= img.entry && img.entry < s.paddr + s.filesz) {
      found_entry = true;
      ASSERT_LE(s.offset + (img.entry - s.paddr) + 4, file.size());
      EXPECT_EQ(0, std::memcmp(&ram[img.entry - kRamBase], &file[s.offset + (img.entry - s.paddr)], 4));
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

// Symbols are found wherever their names lie in a string table larger than any read buffer: far from the
// start, before a name already read, across a 64 KiB boundary, cut off by the table's end, beside
// look-alike names. Expected values are the ones written into the file.
TEST_F(ElfLoader, SymbolNamesAnywhereInALargeStringTable) {
  ElfBuilder b;
  std::vector<uint8_t> file = b.bytes();
  std::string strtab(1, '\0');
  auto name_at = [&strtab](uint64_t offset, const std::string& name) {
    if (strtab.size() < offset) strtab.resize(offset, 'x');
    strtab.resize(offset);
    strtab += name;
    strtab += '\0';
    return static_cast<Elf64_Word>(offset);
  };
  // In the order the symbols list them.
  const Elf64_Word tohost_x = name_at(10, "tohostx");
  const Elf64_Word from = name_at(40, "fromhost");
  // Read after "tohostx" at 10: a 64 KiB buffer from there would end 5 bytes into this name.
  const Elf64_Word stats = name_at(10 + 65536 - 5, "pager_stats");
  const Elf64_Word to = name_at(150000, "tohost");
  const Elf64_Word cut = name_at(300000, "fromhost");
  strtab.resize(cut + 4);  // "from": the table ends inside the name, so it must not match
  struct Want {
    Elf64_Word name;
    uint64_t value;
  };
  const std::vector<Want> order = {
      {to, 0x80001000}, {from, 0x80001008}, {tohost_x, 0x80009990}, {stats, 0x80002000}, {cut, 0x80009998}};
  std::vector<Elf64_Sym> syms(1);  // index 0 is the undefined symbol
  for (const Want& w : order) {
    Elf64_Sym sym{};
    sym.st_name = w.name;
    sym.st_value = w.value;
    syms.push_back(sym);
  }
  auto append = [&file](const void* data, size_t bytes) {
    const auto* p = static_cast<const uint8_t*>(data);
    const uint64_t at = file.size();
    file.insert(file.end(), p, p + bytes);
    return at;
  };
  const uint64_t sym_at = append(syms.data(), syms.size() * sizeof(Elf64_Sym));
  const uint64_t str_at = append(strtab.data(), strtab.size());
  std::vector<Elf64_Shdr> sections(3);
  sections[1].sh_type = SHT_SYMTAB;
  sections[1].sh_offset = sym_at;
  sections[1].sh_size = syms.size() * sizeof(Elf64_Sym);
  sections[1].sh_entsize = sizeof(Elf64_Sym);
  sections[1].sh_link = 2;
  sections[2].sh_type = SHT_STRTAB;
  sections[2].sh_offset = str_at;
  sections[2].sh_size = strtab.size();
  while (file.size() % 8 != 0) file.push_back(0);
  const uint64_t sh_at = append(sections.data(), sections.size() * sizeof(Elf64_Shdr));
  Elf64_Ehdr eh;
  std::memcpy(&eh, file.data(), sizeof eh);
  eh.e_shoff = sh_at;
  eh.e_shnum = 3;
  eh.e_shentsize = sizeof(Elf64_Shdr);
  std::memcpy(file.data(), &eh, sizeof eh);

  const ElfImage img = read_elf(write("symbols.elf", file));
  ASSERT_TRUE(img.tohost.has_value());
  ASSERT_TRUE(img.fromhost.has_value());
  ASSERT_TRUE(img.pager_stats.has_value());
  EXPECT_EQ(*img.tohost, 0x80001000u);
  EXPECT_EQ(*img.fromhost, 0x80001008u);
  EXPECT_EQ(*img.pager_stats, 0x80002000u);
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

// A segment with no file bytes at all (p_filesz = 0): all bss, zero-filled, and nothing read from the file.
TEST_F(ElfLoader, SegmentWithoutFileBytes) {
  ElfBuilder b;
  b.add_bss_segment(kRamBase + 0x800, 0x100);
  const ElfImage img = read_elf(write("bssonly.elf", b.bytes()));
  ASSERT_EQ(img.segments.size(), 2u);
  std::vector<uint8_t> ram(0x1000, 0xaa);
  load_elf(img, RamWindow{kRamBase, ram.size(), ram.data()});
  EXPECT_EQ(ram[0], 0x13u) << "the first segment's payload";
  for (unsigned i = 0x800; i < 0x900; ++i) ASSERT_EQ(ram[i], 0u) << "bss byte at 0x" << std::hex << i;
  EXPECT_EQ(ram[0x7ff], 0xaau);
  EXPECT_EQ(ram[0x900], 0xaau);
}

// Two PT_LOAD segments claiming the same bytes: which one wins would depend on load order.
TEST_F(ElfLoader, OverlappingSegments) {
  ElfBuilder b;
  b.bss = 0x100;                              // segment 0: [kRamBase, kRamBase + 0x108)
  b.add_bss_segment(kRamBase + 0x100, 0x10);  // segment 1 starts inside it
  expect_read_error(write("overlap.elf", b.bytes()),
                    {"PT_LOAD segments 0 [0x80000000, 0x80000108) and 1 [0x80000100, 0x80000110) overlap"});
  ElfBuilder c;
  c.add_bss_segment(kRamBase + 8, 0x10);  // exactly adjacent: fine
  EXPECT_EQ(read_elf(write("adjacent.elf", c.bytes())).segments.size(), 2u);
}

TEST_F(ElfLoader, SegmentWrappingTheAddressSpace) {
  ElfBuilder b;
  b.add_bss_segment(0xfffffffffffff000, 0x2000);
  expect_read_error(write("wrap.elf", b.bytes()), {"segment 1", "past the end of the address space"});
}

TEST_F(ElfLoader, DirectoryIsNotAnElf) {
  expect_read_error(dir_.string(), {"is a directory"});
}

// A device never ends: the loader must refuse it rather than read it whole.
TEST_F(ElfLoader, DeviceIsNotAnElf) {
  expect_read_error("/dev/zero", {"not a regular file"});
}

// A valid image at the start of a huge (sparse) file: only the headers and segments are read.
TEST_F(ElfLoader, HugeFileIsReadBySegments) {
  ElfBuilder b;
  const std::string path = write("huge.elf", b.bytes());
  fs::resize_file(path, uint64_t{16} << 30);  // 16 GiB, sparse
  const ElfImage img = read_elf(path);
  std::vector<uint8_t> ram(0x1000, 0);
  load_elf(img, RamWindow{kRamBase, ram.size(), ram.data()});
  EXPECT_EQ(ram[0], 0x13u);
}

namespace {
uint64_t resident_bytes() {
  std::ifstream statm("/proc/self/statm");
  uint64_t size = 0, resident = 0;
  statm >> size >> resident;
  return resident * static_cast<uint64_t>(sysconf(_SC_PAGESIZE));
}
}  // namespace

// The zero tail of a segment in lazily backed RAM (as models/mem/Ram.cpp reserves it) must stay unbacked:
// a 1 GiB bss costs no host memory. Rewriting zero pages with zeros would make the host back all of them,
// and so, on some hosts, would reading them to see whether they are zero already.
TEST_F(ElfLoader, LargeBssCostsNoHostMemory) {
  constexpr uint64_t kRam = uint64_t{1} << 30;
  void* p = ::mmap(nullptr, kRam, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  ASSERT_NE(p, MAP_FAILED);
  auto* ram = static_cast<uint8_t*>(p);
  ElfBuilder b;
  ram[kRam / 2 + 5] = 0x77;          // a dirty page inside the bss, and a dirty byte in the bss's
  ram[b.payload.size() + 1] = 0x66;  // partial first page: both must read as zero afterwards
  b.bss = kRam - b.payload.size();
  const ElfImage img = read_elf(write("bigbss.elf", b.bytes()));
  const uint64_t before = resident_bytes();
  load_elf(img, RamWindow{kRamBase, kRam, ram});
  const uint64_t grown = resident_bytes() - std::min(before, resident_bytes());
  EXPECT_EQ(ram[kRam / 2 + 5], 0u);
  EXPECT_EQ(ram[b.payload.size() + 1], 0u);
  EXPECT_EQ(ram[0], 0x13u);
  EXPECT_LT(grown, uint64_t{16} << 20)
      << "loading a 1 GiB bss made the host back " << (grown >> 20) << " MiB";
  ::munmap(p, kRam);
}
