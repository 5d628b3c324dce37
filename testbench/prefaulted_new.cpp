// Linked into the sv39sim executable only: operator new and new[] pre-fault blocks of 64 KiB and more in one
// system call.
//
// Why: libsystemc's static initialisers allocate a 3 MiB temporary heap with new[] and zero it, before
// main, and the caches' tag, stamp and recent-line arrays (some 700 KiB by default) are zeroed as they are
// built. Writing fresh anonymous memory takes one page fault per 4 KiB page (about 900 here), and on the
// virtual machines we measure on a page fault costs several microseconds: some 5 ms of every run's
// start-up, a quarter of a sweep point (docs/performance.md, start-up). madvise(MADV_POPULATE_WRITE)
// maps the whole block in one call instead. The memory, its contents and its lifetime are unchanged (the
// blocks come from malloc and go back to free); a kernel without MADV_POPULATE_WRITE (before Linux 5.14)
// returns EINVAL and the pages fault as before. Sanitizer builds keep the sanitizers' own operators, which
// check how blocks are paired.
#if !defined(__SANITIZE_ADDRESS__)

#include <sys/mman.h>

#include <cstdint>
#include <cstdlib>
#include <new>

namespace {

constexpr std::size_t kPrefaultFrom = std::size_t{1} << 16;
constexpr std::uintptr_t kPageMask = 4095;

void* allocate(std::size_t bytes) {
  void* block = nullptr;
  while ((block = std::malloc(bytes != 0 ? bytes : 1)) == nullptr) {
    std::new_handler handler = std::get_new_handler();
    if (handler == nullptr) throw std::bad_alloc();
    handler();
  }
#ifdef MADV_POPULATE_WRITE
  if (bytes >= kPrefaultFrom) {
    // Only whole pages inside the block: the pages it shares with malloc's neighbours are already mapped.
    const auto first = (reinterpret_cast<std::uintptr_t>(block) + kPageMask) & ~kPageMask;
    const auto last = (reinterpret_cast<std::uintptr_t>(block) + bytes) & ~kPageMask;
    if (last > first) madvise(reinterpret_cast<void*>(first), last - first, MADV_POPULATE_WRITE);
  }
#endif
  return block;
}

}  // namespace

// The replaceable forms every other allocation function reaches (nothrow and sized forms included).
void* operator new(std::size_t bytes) {
  return allocate(bytes);
}
void* operator new[](std::size_t bytes) {
  return allocate(bytes);
}
void operator delete(void* block) noexcept {
  std::free(block);
}
void operator delete[](void* block) noexcept {
  std::free(block);
}
void operator delete(void* block, std::size_t) noexcept {
  std::free(block);
}
void operator delete[](void* block, std::size_t) noexcept {
  std::free(block);
}

#endif
