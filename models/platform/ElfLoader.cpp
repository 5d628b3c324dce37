#include "models/platform/ElfLoader.h"

#include <elf.h>

#include <cstring>
#include <fstream>
#include <iterator>
#include <sstream>

#include "models/config/Config.h"

namespace sv39sim {

namespace {

std::string hex(uint64_t v) {
  std::ostringstream os;
  os << "0x" << std::hex << v;
  return os.str();
}

template <typename T>
T read_at(const std::vector<uint8_t>& file, uint64_t off, const std::string& path, const char* what) {
  if (off > file.size() || file.size() - off < sizeof(T)) {
    throw InputError(path + ": truncated ELF file (" + what + " at offset " + hex(off) +
                     " lies past the end, file is " + std::to_string(file.size()) + " bytes)");
  }
  T v;
  std::memcpy(&v, file.data() + off, sizeof(T));
  return v;
}

}  // namespace

ElfImage read_elf(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path + ": cannot open ELF file: " + std::strerror(errno));
  std::vector<uint8_t> file((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) throw InputError(path + ": cannot read ELF file");

  if (file.size() < EI_NIDENT || std::memcmp(file.data(), ELFMAG, SELFMAG) != 0)
    throw InputError(path + ": not an ELF file (bad magic number)");
  if (file[EI_CLASS] == ELFCLASS32)
    throw InputError(path + ": 32-bit ELF; sv39sim runs RV64 (ELFCLASS64) images");
  if (file[EI_CLASS] != ELFCLASS64)
    throw InputError(path + ": unknown ELF class " + std::to_string(file[EI_CLASS]));
  if (file[EI_DATA] != ELFDATA2LSB)
    throw InputError(path + ": big-endian ELF; RISC-V images are little-endian");
  const auto eh = read_at<Elf64_Ehdr>(file, 0, path, "ELF header");
  if (eh.e_machine != EM_RISCV)
    throw InputError(path + ": not a RISC-V ELF (e_machine " + std::to_string(eh.e_machine) +
                     ", expected 243)");
  if (eh.e_type != ET_EXEC)
    throw InputError(path + ": not an executable (e_type " + std::to_string(eh.e_type) + ")");
  if (eh.e_phnum == 0) throw InputError(path + ": no program headers, nothing to load");
  if (eh.e_phentsize != sizeof(Elf64_Phdr)) throw InputError(path + ": unexpected program header size");

  ElfImage image;
  image.path = path;
  image.entry = eh.e_entry;
  for (unsigned i = 0; i < eh.e_phnum; ++i) {
    const auto ph =
        read_at<Elf64_Phdr>(file, eh.e_phoff + uint64_t{i} * sizeof(Elf64_Phdr), path, "program header");
    if (ph.p_type != PT_LOAD || ph.p_memsz == 0) continue;
    if (ph.p_filesz > ph.p_memsz)
      throw InputError(path + ": segment " + std::to_string(i) + " has p_filesz > p_memsz");
    if (ph.p_offset > file.size() || file.size() - ph.p_offset < ph.p_filesz)
      throw InputError(path + ": truncated ELF file (segment " + std::to_string(i) +
                       " needs bytes up to offset " + hex(ph.p_offset + ph.p_filesz) + ", file is " +
                       std::to_string(file.size()) + " bytes)");
    ElfImage::Segment seg;
    seg.paddr = ph.p_paddr;
    seg.memsz = ph.p_memsz;
    seg.bytes.assign(file.begin() + static_cast<long>(ph.p_offset),
                     file.begin() + static_cast<long>(ph.p_offset + ph.p_filesz));
    image.segments.push_back(std::move(seg));
  }
  if (image.segments.empty()) throw InputError(path + ": no loadable (PT_LOAD) segments");

  // Symbols are optional (a stripped image just has no HTIF); a damaged symbol table is still an error.
  if (eh.e_shoff != 0 && eh.e_shnum != 0) {
    if (eh.e_shentsize != sizeof(Elf64_Shdr)) throw InputError(path + ": unexpected section header size");
    for (unsigned i = 0; i < eh.e_shnum; ++i) {
      const auto sh =
          read_at<Elf64_Shdr>(file, eh.e_shoff + uint64_t{i} * sizeof(Elf64_Shdr), path, "section header");
      if (sh.sh_type != SHT_SYMTAB || sh.sh_entsize != sizeof(Elf64_Sym)) continue;
      if (sh.sh_link >= eh.e_shnum) throw InputError(path + ": symbol table links to a missing string table");
      const auto strtab = read_at<Elf64_Shdr>(file, eh.e_shoff + uint64_t{sh.sh_link} * sizeof(Elf64_Shdr),
                                              path, "section header");
      for (uint64_t s = 0; s < sh.sh_size / sizeof(Elf64_Sym); ++s) {
        const auto sym = read_at<Elf64_Sym>(file, sh.sh_offset + s * sizeof(Elf64_Sym), path, "symbol");
        const uint64_t name_off = strtab.sh_offset + sym.st_name;
        if (sym.st_name >= strtab.sh_size || name_off >= file.size()) continue;
        const char* name = reinterpret_cast<const char*>(file.data() + name_off);
        const size_t max_len = std::min<uint64_t>(file.size() - name_off, strtab.sh_size - sym.st_name);
        const std::string n(name, strnlen(name, max_len));
        if (n == "tohost") image.tohost = sym.st_value;
        if (n == "fromhost") image.fromhost = sym.st_value;
        if (n == "pager_stats") image.pager_stats = sym.st_value;
      }
    }
  }
  return image;
}

void load_elf(const ElfImage& image, const RamWindow& ram) {
  for (const auto& seg : image.segments) {
    const uint64_t off = seg.paddr - ram.base;
    if (seg.paddr < ram.base || off > ram.size || ram.size - off < seg.memsz) {
      throw InputError(image.path + ": segment [" + hex(seg.paddr) + ", " + hex(seg.paddr + seg.memsz) +
                       ") lies outside RAM [" + hex(ram.base) + ", " + hex(ram.base + ram.size) + ")");
    }
  }
  for (const auto& seg : image.segments) {
    uint8_t* dst = ram.host + (seg.paddr - ram.base);
    std::memcpy(dst, seg.bytes.data(), seg.bytes.size());
    std::memset(dst + seg.bytes.size(), 0, seg.memsz - seg.bytes.size());  // the gABI's zero tail (bss)
  }
  if (image.tohost && (*image.tohost < ram.base || *image.tohost - ram.base > ram.size - 8))
    throw InputError(image.path + ": symbol tohost at " + hex(*image.tohost) + " lies outside RAM");
  if (image.entry < ram.base || image.entry - ram.base >= ram.size)
    throw InputError(image.path + ": entry point " + hex(image.entry) + " lies outside RAM");
}

}  // namespace sv39sim
