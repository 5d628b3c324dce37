// sv39sim-args: --set disk.image=@FIRMWARE_DIR@/testdisk.img --set disk.preset=nvme
// qemu-args: -cpu rv64,f=false,d=false,h=false -global virtio-mmio.force-legacy=false -drive file=@FIRMWARE_DIR@/testdisk.img,if=none,format=raw,id=hd0,snapshot=on -device virtio-blk-device,drive=hd0
/* The virtio-blk device through virtio-mmio version 2, driven from M-mode: probe, feature negotiation
 * (VERSION_1 only), one split virtqueue, reads of a known pattern, a write read back, an out-of-range
 * read rejected with IOERR, completion by PLIC interrupt while the hart sleeps in WFI.
 * testdisk.img (built with the firmware): sector s holds bytes (s * 7 + i) & 0xff. */
#include "runtime.h"
#include "virtq.h"

#define VIRTIO_MAGIC 0x74726976u
#define REG(base, off) MMIO32((base) + (off))


static uint8_t buf[1024];
static uint64_t base;
static unsigned irq;
static int checks;

static void check(int ok, int n, const char *what) {
  if (!ok) {
    rt_printf("dev_virtio_blk: case %d failed: %s\n", n, what);
    rt_exit(n);
  }
  checks++;
}

/* One request, completed by interrupt: sleep in WFI (interrupts globally off) until MEIP, claim it. */
static uint8_t submit(uint32_t type, uint64_t sector, uint32_t len) {
  uint16_t before = blk_post(type, sector, buf, len);
  REG(base, 0x050) = 0;
  while (*(volatile uint16_t *)&used_ring.idx == before) {
    __asm__ volatile("wfi");
    uint32_t src = MMIO32(PLIC_CLAIM(0));
    if (src) {
      REG(base, 0x064) = REG(base, 0x060);  /* acknowledge before completing at the PLIC */
      MMIO32(PLIC_CLAIM(0)) = src;
    }
  }
  return status;
}

int main(void) {
  for (unsigned slot = 0; slot < 8 && !base; slot++) {
    uint64_t b = VIRTIO_BLK_BASE + 0x1000 * slot;
    if (REG(b, 0) == VIRTIO_MAGIC && REG(b, 4) == 2 && REG(b, 8) == 2) base = b, irq = VIRTIO_BLK_IRQ + slot;
  }
  check(base != 0, 1, "no virtio-blk device (magic, version 2, id 2)");
  REG(base, 0x070) = 0;
  REG(base, 0x070) = 1 | 2;  /* ACKNOWLEDGE | DRIVER */
  REG(base, 0x014) = 1;
  check(REG(base, 0x010) & 1, 2, "VERSION_1 offered");
  REG(base, 0x024) = 0, REG(base, 0x020) = 0;
  REG(base, 0x024) = 1, REG(base, 0x020) = 1;  /* VERSION_1 only */
  REG(base, 0x070) = 1 | 2 | 8;
  check(REG(base, 0x070) & 8, 3, "FEATURES_OK accepted");
  uint64_t capacity = REG(base, 0x100) | ((uint64_t)REG(base, 0x104) << 32);
  check(capacity == 128, 4, "capacity 128 sectors");
  REG(base, 0x030) = 0;
  check(REG(base, 0x034) >= QSIZE, 5, "queue size");
  REG(base, 0x038) = QSIZE;
  REG(base, 0x080) = (uint32_t)(uintptr_t)descs, REG(base, 0x084) = 0;
  REG(base, 0x090) = (uint32_t)(uintptr_t)&avail_ring, REG(base, 0x094) = 0;
  REG(base, 0x0a0) = (uint32_t)(uintptr_t)&used_ring, REG(base, 0x0a4) = 0;
  REG(base, 0x044) = 1;
  REG(base, 0x070) = 1 | 2 | 8 | 4;  /* DRIVER_OK */

  MMIO32(PLIC_PRIORITY(irq)) = 1;
  MMIO32(PLIC_ENABLE(0)) = 1u << irq;
  MMIO32(PLIC_THRESHOLD(0)) = 0;
  set_csr(mie, 1UL << 11);

  for (uint64_t s = 0; s < 128; s += 37) {
    check(submit(0, s, 1024) == 0, 10, "read status OK");
    for (unsigned i = 0; i < 1024; i++)
      check(buf[i] == (uint8_t)((s + i / 512) * 7 + i % 512), 11, "read pattern");
  }
  for (unsigned i = 0; i < 512; i++) buf[i] = (uint8_t)(0xa5 ^ i);
  check(submit(1, 5, 512) == 0, 20, "write status OK");
  for (unsigned i = 0; i < 512; i++) buf[i] = 0;
  check(submit(0, 5, 512) == 0, 21, "read-back status OK");
  for (unsigned i = 0; i < 512; i++) check(buf[i] == (uint8_t)(0xa5 ^ i), 22, "written data read back");
  check(submit(0, 128, 512) == 1, 30, "read past the end: IOERR");
  check(used_ring.idx == 7, 31, "one used entry per request");
  rt_printf("dev_virtio_blk: %d checks passed\n", checks);
  return 0;
}
