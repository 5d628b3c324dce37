#include "models/devices/Uart16550.h"

#include <poll.h>
#include <unistd.h>

namespace sv39sim {

namespace {
constexpr uint8_t kIerRx = 0x01, kIerThre = 0x02;
constexpr uint8_t kLcrDlab = 0x80;
constexpr uint8_t kLsrDr = 0x01, kLsrThre = 0x20, kLsrTemt = 0x40;
constexpr uint8_t kIirNone = 0x01, kIirThre = 0x02, kIirRx = 0x04, kIirFifo = 0xc0;
constexpr size_t kFifoDepth = 16;
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
    update_irq();
  }
}

uint8_t Uart16550::iir() const {
  const uint8_t fifo = fifo_enabled_ ? kIirFifo : 0;
  if ((ier_ & kIerRx) && !rx_fifo_.empty()) return fifo | kIirRx;
  if ((ier_ & kIerThre) && thr_empty_irq_) return fifo | kIirThre;
  return fifo | kIirNone;
}

void Uart16550::update_irq() {
  plic_.set_interrupt(irq_line_, (iir() & kIirNone) == 0);
}

bool Uart16550::read(uint64_t off, uint8_t* data, unsigned len, const sc_core::sc_time&) {
  if (len != 1) return false;
  uint8_t v = 0;
  const bool dlab = lcr_ & kLcrDlab;
  switch (off) {
    case 0:
      if (dlab) {
        v = dll_;
      } else if (!rx_fifo_.empty()) {
        v = rx_fifo_.front();
        rx_fifo_.pop_front();
        ++rx_bytes_;
      }
      break;
    case 1: v = dlab ? dlm_ : ier_; break;
    case 2:
      v = iir();
      if ((v & 0x0f) == kIirThre) thr_empty_irq_ = false;  // reading IIR acknowledges THRE
      break;
    case 3: v = lcr_; break;
    case 4: v = mcr_; break;
    case 5: v = kLsrThre | kLsrTemt | (rx_fifo_.empty() ? 0 : kLsrDr); break;
    case 6: v = 0xb0; break;  // DCD, DSR, CTS asserted: a connected null-modem line
    case 7: v = scr_; break;
    default: break;
  }
  *data = v;
  update_irq();
  return true;
}

bool Uart16550::write(uint64_t off, const uint8_t* data, unsigned len, const sc_core::sc_time&) {
  if (len != 1) return false;
  const uint8_t v = *data;
  const bool dlab = lcr_ & kLcrDlab;
  switch (off) {
    case 0:
      if (dlab) {
        dll_ = v;
      } else {
        std::fputc(v, console_);
        if (v == '\n') std::fflush(console_);
        ++tx_bytes_;
        thr_empty_irq_ = true;  // transmission is instantaneous: THR is empty again
      }
      break;
    case 1:
      if (dlab) {
        dlm_ = v;
      } else {
        // Enabling THRE while the holder is empty raises the interrupt at once, as on real parts.
        if ((v & kIerThre) && !(ier_ & kIerThre)) thr_empty_irq_ = true;
        ier_ = v & 0x0f;
      }
      break;
    case 2:
      fifo_enabled_ = v & 1;
      if (v & 2) rx_fifo_.clear();
      break;
    case 3: lcr_ = v; break;
    case 4: mcr_ = v & 0x1f; break;
    case 7: scr_ = v; break;
    default: break;
  }
  update_irq();
  return true;
}

}  // namespace sv39sim
