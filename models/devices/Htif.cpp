#include "models/devices/Htif.h"

#include <cstring>
#include <string>

#include "models/mem/CodePages.h"

namespace sv39sim {

void Htif::on_tohost_store() {
  uint64_t v;
  uint8_t* slot = ram_.host + (tohost_ - ram_.base);
  std::memcpy(&v, slot, 8);
  if (v == 0) return;
  ++commands_;
  const unsigned device = static_cast<unsigned>(v >> 56), command = static_cast<unsigned>((v >> 48) & 0xff);
  const uint64_t payload = v & ((1ull << 48) - 1);
  if (device == 0 && command == 0 && (payload & 1)) {
    const uint64_t code = payload >> 1;
    control_.finish(code == 0 ? RunStatus::Pass : RunStatus::Fail, code,
                    code == 0 ? "tohost: pass" : "tohost: fail " + std::to_string(code));
    return;
  }
  if (device == 1 && command == 1) {
    std::fputc(static_cast<int>(payload & 0xff), console_);
    if ((payload & 0xff) == '\n') std::fflush(console_);
  } else if (++unsupported_ <= kMaxWarnings) {
    // A guest looping on a bad command must not flood the host's stderr: the first few say enough.
    std::fprintf(stderr, "sv39sim: warning: unsupported HTIF command 0x%016llx ignored%s\n",
                 static_cast<unsigned long long>(v),
                 unsupported_ == kMaxWarnings ? " (further ones are not reported)" : "");
  }
  std::memset(slot, 0, 8);
  if (ram_.code) ram_.code->written(tohost_, 8);
}

}  // namespace sv39sim
