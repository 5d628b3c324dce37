// NS16550A UART (register layout of QEMU virt's serial port). Transmit is instantaneous to the console
// stream. Receive reads a file or the process's stdin, polled every `rx_poll` of simulated time into a
// 16-byte FIFO, so a file input gives the same run every time.
//
// Interrupt sources and their set/clear conditions follow the 16550 data sheet as QEMU's serial model
// implements them, and the line is signalled to the PLIC exactly where QEMU's model updates it: on
// receiving a byte, the FIFO time-out, reading RBR, reading IIR while it shows THR empty, reading LSR
// while it holds an error, writing THR (the line is lowered, then raised again as THR empties at once),
// changing IER, and writing FCR. With QEMU's PLIC gateway each of those with an interrupt standing is one
// request, so a standing THR-empty condition interrupts once per event.
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
  void timeout_method();
  // A byte arrives at the receiver (from the input, or from THR in loopback mode).
  void receive(uint8_t byte, const sc_core::sc_time& now);
  // The character time-out fires four character times from `now` unless restarted.
  void restart_timeout(const sc_core::sc_time& now);
  sc_core::sc_time char_time() const;
  void update_irq();
  uint8_t iir() const;
  uint8_t lsr() const;

  std::FILE* console_;
  int input_fd_;
  sc_core::sc_time rx_poll_;
  InterruptSink& plic_;
  unsigned irq_line_;

  std::deque<uint8_t> rx_fifo_;
  // Reset values as QEMU's: divisor 12 (9600 baud), OUT2 set.
  uint8_t ier_ = 0, lcr_ = 0, mcr_ = 0x08, scr_ = 0, dll_ = 0x0c, dlm_ = 0;
  uint8_t fcr_ = 0;            // the bits that stick: FIFO enable, DMA mode, receiver trigger level
  uint8_t lsr_errors_ = 0;     // overrun (the only receiver error a byte stream can cause)
  bool thr_ipending_ = false;  // THR-empty interrupt: set when THR empties, cleared by IIR read or THR write
  bool timeout_ipending_ = false;  // character time-out: cleared by reading RBR
  sc_core::sc_event timeout_event_;
  uint64_t tx_bytes_ = 0, rx_bytes_ = 0;
};

}  // namespace sv39sim
