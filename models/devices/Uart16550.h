// NS16550A UART (register layout of QEMU virt's serial port). Transmit is instantaneous to the console
// stream. Receive reads a file or the process's stdin, polled every `rx_poll` of simulated time into a
// 16-byte FIFO, so a file input gives the same run every time.
#pragma once

#include <cstdio>
#include <deque>
#include <string>

#include "models/devices/Interrupts.h"
#include "models/devices/MmioDevice.h"

namespace sv39sim {

class Uart16550 : public MmioDevice {
 public:
  static constexpr uint64_t kSize = 0x100;
  // input_fd < 0: no input. The UART owns neither the output stream nor the fd.
  Uart16550(sc_core::sc_module_name name, std::FILE* console, int input_fd, sc_core::sc_time rx_poll,
            InterruptSink& plic, unsigned irq_line);

  uint64_t tx_bytes() const { return tx_bytes_; }
  uint64_t rx_bytes() const { return rx_bytes_; }

 protected:
  bool read(uint64_t offset, uint8_t* data, unsigned len, const sc_core::sc_time& now) override;
  bool write(uint64_t offset, const uint8_t* data, unsigned len, const sc_core::sc_time& now) override;

 private:
  void rx_thread();
  void update_irq();
  uint8_t iir() const;

  std::FILE* console_;
  int input_fd_;
  sc_core::sc_time rx_poll_;
  InterruptSink& plic_;
  unsigned irq_line_;

  std::deque<uint8_t> rx_fifo_;
  uint8_t ier_ = 0, lcr_ = 0, mcr_ = 0, scr_ = 0, dll_ = 0, dlm_ = 0;
  bool fifo_enabled_ = false;
  bool thr_empty_irq_ = false;  // THRE interrupt latched until IIR is read or THR written
  uint64_t tx_bytes_ = 0, rx_bytes_ = 0;
};

}  // namespace sv39sim
