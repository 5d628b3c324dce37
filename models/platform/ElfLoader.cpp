#include "models/platform/ElfLoader.h"

#include <elf.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <sstream>

#include "models/config/Config.h"
#include "models/mem/Ram.h"

namespace sv39sim {

namespace {

std::string hex(uint64_t v) {
  std::ostringstream os;
  os << "0x" << std::hex << v;
  return os.str();
}

// Positioned reads of an ELF file whose size is known, so every range is checked before it is read.
class ElfFile {
 public:
  ElfFile(const std::string& path, int fd, uint64_t size) : path_(path), fd_(fd), size_(size) {}

  uint64_t size() const { return size_; }
  bool contains(uint64_t off, uint64_t len) const { return off <= size_ && size_ - off >= len; }
  void require(uint64_t off, uint64_t len, const std::string& what) const {
    if (!contains(off, len)) {
      throw InputError(path_ + ": truncated ELF file (" + what + " at offset " + hex(off) +
                       " lies past the end, file is " + std::to_string(size_) + " bytes)");
    }
  }

  void read(uint64_t off, void* dst, uint64_t len, const std::string& what) const {
    require(off, len, what);
    auto* out = static_cast<uint8_t*>(dst);
    while (len > 0) {
      const ssize_t n = ::pread(fd_, out, std::min<uint64_t>(len, 1u << 30), static_cast<off_t>(off));
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) throw InputError(path_ + ": cannot read ELF file: " + std::strerror(errno));
      if (n == 0) throw InputError(path_ + ": ELF file shrank while it was being read");
      out += n;
      off += static_cast<uint64_t>(n);
      len -= static_cast<uint64_t>(n);
    }
  }

  template <typename T>
  T read(uint64_t off, const std::string& what) const {
    T v;
    read(off, &v, sizeof v, what);
    return v;
  }

 private:
  const std::string& path_;
  int fd_;
  uint64_t size_;
};

std::shared_ptr<const int> open_elf(const std::string& path, uint64_t* size) {
  if (path.empty()) throw InputError("empty ELF file name");
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw InputError(path + ": cannot open ELF file: " + std::strerror(errno));
  std::shared_ptr<const int> owner(new int(fd), [](const int* p) {
    ::close(*p);
    delete p;
  });
  struct stat st {};
  if (::fstat(fd, &st) != 0) throw InputError(path + ": cannot read ELF file: " + std::strerror(errno));
  if (S_ISDIR(st.st_mode)) throw InputError(path + ": is a directory, expected an ELF file");
  // Devices and pipes have no size to check ranges against (and /dev/zero never ends).
  if (!S_ISREG(st.st_mode)) throw InputError(path + ": not a regular file, expected an ELF file");
  *size = static_cast<uint64_t>(st.st_size);
  return owner;
}

// The three symbols sv39sim looks for, from the file's symbol table.
void read_symbols(const ElfFile& f, const Elf64_Ehdr& eh, const std::string& path, ElfImage* image) {
  if (eh.e_shoff == 0 || eh.e_shnum == 0) return;  // stripped: no HTIF
  if (eh.e_shentsize != sizeof(Elf64_Shdr)) throw InputError(path + ": unexpected section header size");
  f.require(eh.e_shoff, uint64_t{eh.e_shnum} * sizeof(Elf64_Shdr), "section header table");
  auto section = [&](uint64_t i) {
    return f.read<Elf64_Shdr>(eh.e_shoff + i * sizeof(Elf64_Shdr), "section header " + std::to_string(i));
  };
  for (unsigned i = 0; i < eh.e_shnum; ++i) {
    const Elf64_Shdr sh = section(i);
    if (sh.sh_type != SHT_SYMTAB || sh.sh_entsize != sizeof(Elf64_Sym)) continue;
    if (sh.sh_link >= eh.e_shnum) throw InputError(path + ": symbol table links to a missing string table");
    const Elf64_Shdr strtab = section(sh.sh_link);
    const uint64_t count = sh.sh_size / sizeof(Elf64_Sym);
    f.require(sh.sh_offset, count * sizeof(Elf64_Sym), "symbol table");
    constexpr uint64_t kChunk = 1024;
    std::vector<Elf64_Sym> syms;
    // Names are read through a window of the string table, not one system call per symbol (a kernel's
    // hundreds of symbols would cost a sweep point milliseconds).
    constexpr uint64_t kWindow = 64 * 1024;
    std::vector<char> window;
    uint64_t window_at = 0;
    for (uint64_t s = 0; s < count; s += kChunk) {
      syms.resize(std::min(kChunk, count - s));
      f.read(sh.sh_offset + s * sizeof(Elf64_Sym), syms.data(), syms.size() * sizeof(Elf64_Sym), "symbol");
      for (const Elf64_Sym& sym : syms) {
        // The longest name wanted is "pager_stats": 12 bytes with its NUL decide a match.
        char name[12] = {};
        const uint64_t at = strtab.sh_offset + sym.st_name;
        if (sym.st_name >= strtab.sh_size || at < strtab.sh_offset || at >= f.size()) continue;
        const uint64_t n = std::min<uint64_t>({sizeof name, strtab.sh_size - sym.st_name, f.size() - at});
        if (at < window_at || at + n > window_at + window.size()) {
          window_at = at;
          window.resize(std::min<uint64_t>({kWindow, strtab.sh_size - sym.st_name, f.size() - at}));
          f.read(window_at, window.data(), window.size(), "symbol name");
        }
        std::memcpy(name, window.data() + (at - window_at), n);
        const std::string s(name, strnlen(name, n));
        if (s == "tohost") image->tohost = sym.st_value;
        if (s == "fromhost") image->fromhost = sym.st_value;
        if (s == "pager_stats") image->pager_stats = sym.st_value;
      }
    }
    // The gABI allows one SHT_SYMTAB; reading every copy a crafted file claims would cost time for nothing.
    return;
  }
}

std::string range(const ElfImage::Segment& s) {
  return "[" + hex(s.paddr) + ", " + hex(s.paddr + s.memsz) + ")";
}

}  // namespace

ElfImage read_elf(const std::string& path) {
  ElfImage image;
  image.path = path;
  uint64_t size = 0;
  image.fd = open_elf(path, &size);
  const ElfFile f(path, *image.fd, size);

  unsigned char ident[EI_NIDENT] = {};
  if (size < EI_NIDENT) throw InputError(path + ": not an ELF file (bad magic number)");
  f.read(0, ident, EI_NIDENT, "ELF identification");
  if (std::memcmp(ident, ELFMAG, SELFMAG) != 0)
    throw InputError(path + ": not an ELF file (bad magic number)");
  if (ident[EI_CLASS] == ELFCLASS32)
    throw InputError(path + ": 32-bit ELF; sv39sim runs RV64 (ELFCLASS64) images");
  if (ident[EI_CLASS] != ELFCLASS64)
    throw InputError(path + ": unknown ELF class " + std::to_string(ident[EI_CLASS]));
  if (ident[EI_DATA] != ELFDATA2LSB)
    throw InputError(path + ": big-endian ELF; RISC-V images are little-endian");
  const auto eh = f.read<Elf64_Ehdr>(0, "ELF header");
  if (eh.e_machine != EM_RISCV)
    throw InputError(path + ": not a RISC-V ELF (e_machine " + std::to_string(eh.e_machine) +
                     ", expected 243)");
  if (eh.e_type != ET_EXEC)
    throw InputError(path + ": not an executable (e_type " + std::to_string(eh.e_type) + ")");
  if (eh.e_phnum == 0) throw InputError(path + ": no program headers, nothing to load");
  if (eh.e_phentsize != sizeof(Elf64_Phdr)) throw InputError(path + ": unexpected program header size");
  image.entry = eh.e_entry;

  std::vector<Elf64_Phdr> phdrs(eh.e_phnum);
  f.read(eh.e_phoff, phdrs.data(), phdrs.size() * sizeof(Elf64_Phdr), "program header table");
  for (unsigned i = 0; i < phdrs.size(); ++i) {
    const Elf64_Phdr& ph = phdrs[i];
    if (ph.p_type != PT_LOAD || ph.p_memsz == 0) continue;
    if (ph.p_filesz > ph.p_memsz)
      throw InputError(path + ": segment " + std::to_string(i) + " has p_filesz > p_memsz");
    if (!f.contains(ph.p_offset, ph.p_filesz))
      throw InputError(path + ": truncated ELF file (segment " + std::to_string(i) +
                       " needs bytes up to offset " + hex(ph.p_offset + ph.p_filesz) + ", file is " +
                       std::to_string(size) + " bytes)");
    if (ph.p_paddr + ph.p_memsz < ph.p_paddr)
      throw InputError(path + ": segment " + std::to_string(i) + " at " + hex(ph.p_paddr) + " of " +
                       hex(ph.p_memsz) + " bytes runs past the end of the address space");
    image.segments.push_back({i, ph.p_paddr, ph.p_memsz, ph.p_offset, ph.p_filesz});
  }
  if (image.segments.empty()) throw InputError(path + ": no loadable (PT_LOAD) segments");

  // Two segments claiming the same bytes: which one wins would be an accident of load order.
  std::sort(image.segments.begin(), image.segments.end(),
            [](const auto& a, const auto& b) { return a.paddr < b.paddr; });
  for (size_t i = 1; i < image.segments.size(); ++i) {
    const auto &prev = image.segments[i - 1], &next = image.segments[i];
    if (next.paddr - prev.paddr < prev.memsz)
      throw InputError(path + ": PT_LOAD segments " + std::to_string(prev.index) + " " + range(prev) +
                       " and " + std::to_string(next.index) + " " + range(next) + " overlap");
  }

  // Symbols are optional (a stripped image just has no HTIF); a damaged symbol table is still an error.
  read_symbols(f, eh, path, &image);
  return image;
}

void load_elf(const ElfImage& image, const RamWindow& ram) {
  auto inside = [&ram](uint64_t pa, uint64_t len) {
    return pa >= ram.base && pa - ram.base <= ram.size && ram.size - (pa - ram.base) >= len;
  };
  for (const auto& seg : image.segments) {
    if (!inside(seg.paddr, seg.memsz)) {
      throw InputError(image.path + ": segment " + range(seg) + " lies outside RAM [" + hex(ram.base) + ", " +
                       hex(ram.base + ram.size) + ")");
    }
  }
  if (image.tohost && !inside(*image.tohost, 8))
    throw InputError(image.path + ": symbol tohost at " + hex(*image.tohost) + " lies outside RAM");
  if (!inside(image.entry, 1))
    throw InputError(image.path + ": entry point " + hex(image.entry) + " lies outside RAM");

  struct stat st {};
  if (!image.fd || ::fstat(*image.fd, &st) != 0)
    throw InputError(image.path + ": ELF file is no longer readable");
  const ElfFile f(image.path, *image.fd, static_cast<uint64_t>(st.st_size));
  for (const auto& seg : image.segments) {
    uint8_t* dst = ram.host + (seg.paddr - ram.base);
    if (seg.filesz) f.read(seg.offset, dst, seg.filesz, "segment " + std::to_string(seg.index));
    zero_fill(dst + seg.filesz, seg.memsz - seg.filesz);  // the gABI's zero tail (bss)
  }
}

}  // namespace sv39sim
