#include "models/devices/Clint.h"

#include "models/arch/Csr.h"

namespace sv39sim {

namespace {
constexpr uint64_t kMsip = 0x0, kMtimecmp = 0x4000, kMtime = 0xbff8;
constexpr unsigned __int128 kPsPerSecond = 1000000000000ull;

// Offset of an access inside a register at `reg` of `width` bytes, or -1 if it is not inside.
int inside(uint64_t off, unsigned len, uint64_t reg, unsigned width) {
  return off >= reg && off + len <= reg + width ? static_cast<int>(off - reg) : -1;
}
uint64_t merge(uint64_t old, const uint8_t* data, unsigned len, int at) {
  uint8_t bytes[8];
  std::memcpy(bytes, &old, 8);
  std::memcpy(bytes + at, data, len);
  uint64_t v;
  std::memcpy(&v, bytes, 8);
  return v;
}
}  // namespace

Clint::Clint(sc_core::sc_module_name name, uint64_t timebase_hz, InterruptSink& hart)
    : MmioDevice(name, kSize), hz_(timebase_hz), hart_(hart) {
  SC_HAS_PROCESS(Clint);
  SC_METHOD(on_timer_event);
  sensitive << timer_event_;
  dont_initialize();
}

uint64_t Clint::mtime_at(const sc_core::sc_time& t) const {
  const uint64_t ps = t.value();  // the kernel's time resolution is fixed to 1 ps in sc_main
  return static_cast<uint64_t>(static_cast<unsigned __int128>(ps) * hz_ / kPsPerSecond) + mtime_offset_;
}

bool Clint::when_mtime_reaches(uint64_t target, const sc_core::sc_time& now, sc_core::sc_time* at) const {
  // mtime reaches the target after `target - mtime` more ticks of the count that drives it. Counting from
  // now keeps the instant in the future even when software wrote mtime so that it wraps around before
  // reaching the target (from anywhere else, the instant could land in the past and refire at once,
  // forever).
  const uint64_t mtime = mtime_at(now);
  const uint64_t count_now = mtime - mtime_offset_;  // ticks since time 0, before the software offset
  const unsigned __int128 count = static_cast<unsigned __int128>(count_now) + (target - mtime);
  const unsigned __int128 ps = (count * kPsPerSecond + hz_ - 1) / hz_;
  if (ps > (static_cast<unsigned __int128>(1) << 63)) return false;
  *at = sc_core::sc_time::from_value(static_cast<uint64_t>(ps));
  return true;
}

void Clint::update_timer(const sc_core::sc_time& now) {
  const bool pending = mtime_at(now) >= mtimecmp_;
  hart_.set_interrupt(irq::kMti, pending);
  timer_event_.cancel();
  sc_core::sc_time at;
  if (pending || !when_mtime_reaches(mtimecmp_, now, &at)) return;
  const sc_core::sc_time stamp = sc_core::sc_time_stamp();
  timer_event_.notify(at > stamp ? at - stamp : sc_core::SC_ZERO_TIME);
}

bool Clint::read(uint64_t off, uint8_t* data, unsigned len, const sc_core::sc_time& now) {
  int at;
  if ((at = inside(off, len, kMsip, 4)) >= 0) {
    from_value(static_cast<uint64_t>(msip_) >> (8 * at), data, len);
  } else if ((at = inside(off, len, kMtimecmp, 8)) >= 0) {
    from_value(mtimecmp_ >> (8 * at), data, len);
  } else if ((at = inside(off, len, kMtime, 8)) >= 0) {
    from_value(mtime_at(now) >> (8 * at), data, len);
  } else {
    std::memset(data, 0, len);  // other harts' registers: no such harts, read as zero
  }
  return true;
}

bool Clint::write(uint64_t off, const uint8_t* data, unsigned len, const sc_core::sc_time& now) {
  int at;
  if ((at = inside(off, len, kMsip, 4)) >= 0) {
    msip_ = merge(msip_, data, len, at) & 1;
    hart_.set_interrupt(irq::kMsi, msip_);
  } else if ((at = inside(off, len, kMtimecmp, 8)) >= 0) {
    mtimecmp_ = merge(mtimecmp_, data, len, at);
    update_timer(now);
  } else if ((at = inside(off, len, kMtime, 8)) >= 0) {
    const uint64_t current = mtime_at(now);
    mtime_offset_ += merge(current, data, len, at) - current;
    update_timer(now);
  }
  return true;
}

}  // namespace sv39sim
