#include "models/devices/Uart16550.h"

#include <poll.h>
#include <unistd.h>

namespace sv39sim {

namespace {
constexpr uint8_t kIerRx = 0x01, kIerThre = 0x02, kIerLineStatus = 0x04, kIerMask = 0x0f;
constexpr uint8_t kLcrDlab = 0x80;
constexpr uint8_t kMcrLoop = 0x10;
constexpr uint8_t kLsrDr = 0x01, kLsrOe = 0x02, kLsrBi = 0x10, kLsrErrors = 0x1e, kLsrThre = 0x20,
                  kLsrTemt = 0x40;
constexpr uint8_t kIirNone = 0x01, kIirId = 0x06, kIirThre = 0x02, kIirRx = 0x04, kIirLineStatus = 0x06;
constexpr uint8_t kIirTimeout = 0x0c, kIirFifo = 0xc0;
constexpr uint8_t kFcrEnable = 0x01, kFcrClearRx = 0x02, kFcrClearTx = 0x04, kFcrSticky = 0xc9;
constexpr size_t kFifoDepth = 16;
constexpr uint64_t kBaudBase = 115200;  // QEMU virt's UART clock / 16
}  // namespace

Uart16550::Uart16550(sc_core::sc_module_name name, std::FILE* console, int input_fd, sc_core::sc_time rx_poll,
                     InterruptSink& plic, unsigned irq_line)
    : MmioDevice(name, kSize),
      console_(console),
      input_fd_(input_fd),
      rx_poll_(rx_poll),
      plic_(plic),
      irq_line_(irq_line) {
  SC_HAS_PROCESS(Uart16550);
  if (input_fd_ >= 0) SC_THREAD(rx_thread);
  SC_METHOD(timeout_method);
  sensitive << timeout_event_;
  dont_initialize();
}

void Uart16550::rx_thread() {
  for (;;) {
    wait(rx_poll_);
    if (rx_fifo_.size() >= kFifoDepth) continue;
    pollfd p{input_fd_, POLLIN, 0};
    if (::poll(&p, 1, 0) <= 0) continue;
    uint8_t buf[kFifoDepth];
    const ssize_t n = ::read(input_fd_, buf, kFifoDepth - rx_fifo_.size());
    if (n <= 0) return;  // end of input (or an unreadable descriptor): stop polling for good
    rx_fifo_.insert(rx_fifo_.end(), buf, buf + n);
    restart_timeout(sc_core::sc_time_stamp());
    update_irq();
  }
}

void Uart16550::receive(uint8_t byte, const sc_core::sc_time& now) {
  // An overrun keeps what the FIFO holds and flags the line status (as QEMU's receiver does).
  if (rx_fifo_.size() >= kFifoDepth) {
    lsr_errors_ |= kLsrOe;
  } else {
    rx_fifo_.push_back(byte);
  }
  restart_timeout(now);
  update_irq();
}

sc_core::sc_time Uart16550::char_time() const {
  // Start bit, 5..8 data bits, optional parity, 1 or 2 stop bits; QEMU takes divisor 0 as about 3500 baud.
  const uint64_t bits = 1 + 5 + (lcr_ & 3) + ((lcr_ & 0x08) ? 1 : 0) + ((lcr_ & 0x04) ? 2 : 1);
  const uint64_t divisor = uint64_t{dlm_} << 8 | dll_;
  const uint64_t ps =
      divisor ? bits * 1000000000000ull / kBaudBase * divisor : bits * 1000000000000ull / 3500;
  return sc_core::sc_time::from_value(ps);
}

void Uart16550::restart_timeout(const sc_core::sc_time& now) {
  if (!(fcr_ & kFcrEnable)) return;
  timeout_event_.cancel();
  const sc_core::sc_time ahead =
      now > sc_core::sc_time_stamp() ? now - sc_core::sc_time_stamp() : sc_core::SC_ZERO_TIME;
  timeout_event_.notify(ahead + 4 * char_time());
}

void Uart16550::timeout_method() {
  // Data sheet: at least one character in the FIFO and none received or read for four character times.
  if (rx_fifo_.empty() || !(fcr_ & kFcrEnable)) return;
  timeout_ipending_ = true;
  update_irq();
}

uint8_t Uart16550::lsr() const {
  // THR is always empty: a written byte leaves at once.
  return kLsrThre | kLsrTemt | lsr_errors_ | (rx_fifo_.empty() ? 0 : kLsrDr);
}

uint8_t Uart16550::iir() const {
  // Highest priority first: line status, character time-out, received data, THR empty. Modem status
  // never changes here (the lines read as a connected null modem), so it never interrupts.
  const uint8_t fifo = (fcr_ & kFcrEnable) ? kIirFifo : 0;
  static constexpr uint8_t kTrigger[4] = {1, 4, 8, 14};
  const bool rx_ready = !rx_fifo_.empty() && (!(fcr_ & kFcrEnable) || rx_fifo_.size() >= kTrigger[fcr_ >> 6]);
  if ((ier_ & kIerLineStatus) && (lsr_errors_ & kLsrErrors)) return fifo | kIirLineStatus;
  if ((ier_ & kIerRx) && timeout_ipending_) return fifo | kIirTimeout;
  if ((ier_ & kIerRx) && rx_ready) return fifo | kIirRx;
  if ((ier_ & kIerThre) && thr_ipending_) return fifo | kIirThre;
  return fifo | kIirNone;
}

void Uart16550::update_irq() {
  plic_.set_interrupt(irq_line_, (iir() & kIirNone) == 0);
}

bool Uart16550::read(uint64_t off, uint8_t* data, unsigned len, const sc_core::sc_time& now) {
  if (len != 1) return false;
  uint8_t v = 0;
  const bool dlab = lcr_ & kLcrDlab;
  switch (off) {
    case 0:
      if (dlab) {
        v = dll_;
        break;
      }
      if (!rx_fifo_.empty()) {
        v = rx_fifo_.front();
        rx_fifo_.pop_front();
        ++rx_bytes_;
      }
      timeout_ipending_ = false;
      if (!rx_fifo_.empty()) restart_timeout(now);
      update_irq();
      break;
    case 1: v = dlab ? dlm_ : ier_; break;
    case 2:
      v = iir();
      if ((v & kIirId) == kIirThre && !(v & kIirNone)) {  // reading IIR acknowledges THR empty
        thr_ipending_ = false;
        update_irq();
      }
      break;
    case 3: v = lcr_; break;
    case 4: v = mcr_; break;
    case 5:
      v = lsr();
      if (lsr_errors_ & (kLsrOe | kLsrBi)) {  // reading LSR clears the error and its interrupt
        lsr_errors_ &= ~(kLsrOe | kLsrBi);
        update_irq();
      }
      break;
    case 6:
      // Loopback ties the modem inputs to MCR's outputs (DCD=OUT2, RI=OUT1, DSR=DTR, CTS=RTS); otherwise
      // DCD, DSR and CTS are asserted: a connected null-modem line.
      v = (mcr_ & kMcrLoop)
              ? static_cast<uint8_t>((mcr_ & 0x0c) << 4 | (mcr_ & 0x02) << 3 | (mcr_ & 0x01) << 5)
              : 0xb0;
      break;
    case 7: v = scr_; break;
    default: break;
  }
  *data = v;
  return true;
}

bool Uart16550::write(uint64_t off, const uint8_t* data, unsigned len, const sc_core::sc_time& now) {
  if (len != 1) return false;
  const uint8_t v = *data;
  const bool dlab = lcr_ & kLcrDlab;
  switch (off) {
    case 0:
      if (dlab) {
        dll_ = v;
        break;
      }
      // Writing THR clears THR empty; the byte leaves at once, so THR is empty again and interrupts anew.
      thr_ipending_ = false;
      update_irq();
      thr_ipending_ = true;
      update_irq();
      ++tx_bytes_;
      if (mcr_ & kMcrLoop) {
        receive(v, now);
      } else {
        std::fputc(v, console_);
        if (v == '\n') std::fflush(console_);
      }
      break;
    case 1:
      if (dlab) {
        dlm_ = v;
      } else {
        const uint8_t changed = (ier_ ^ v) & kIerMask;
        ier_ = v & kIerMask;
        // Enabling the THR-empty interrupt while THR is empty raises it even if an IIR read had cleared it
        // (QEMU, after Bochs and what Windows relies on; the data sheet is silent).
        if (changed & kIerThre) thr_ipending_ = ier_ & kIerThre;
        if (changed) update_irq();
      }
      break;
    case 2: {
      uint8_t fcr = v;
      if ((fcr ^ fcr_) & kFcrEnable) fcr |= kFcrClearRx | kFcrClearTx;  // toggling the FIFOs empties them
      if (fcr & kFcrClearRx) {
        rx_fifo_.clear();
        timeout_event_.cancel();
        timeout_ipending_ = false;
      }
      if (fcr & kFcrClearTx) thr_ipending_ = true;  // the transmit FIFO is empty
      fcr_ = fcr & kFcrSticky;
      update_irq();
      break;
    }
    case 3: lcr_ = v; break;
    case 4: mcr_ = v & 0x1f; break;
    case 7: scr_ = v; break;
    default: break;
  }
  return true;
}

}  // namespace sv39sim
