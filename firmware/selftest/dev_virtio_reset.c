// sv39sim-args: --set disk.image=@FIRMWARE_DIR@/testdisk.img --set disk.preset=nvme
// qemu-args: -cpu rv64,f=false,d=false,h=false -global virtio-mmio.force-legacy=false -drive file=@FIRMWARE_DIR@/testdisk.img,if=none,format=raw,id=hd0,snapshot=on -device virtio-blk-device,drive=hd0
/* A driver may reset the virtio-blk device at any time, even while a request is in service (virtio 1.1
 * "Device Reset"). The device must come out of it consistent: reset registers, and a queue set up again
 * from scratch that serves requests normally. The request in flight at the reset must not complete into
 * the new queue. An NVMe read takes 85 us; the reset comes 20 us after the notification.
 * testdisk.img (built with the firmware): sector s holds bytes (s * 7 + i) & 0xff. */
#include "runtime.h"
#include "virtq.h"

#define REG(off) MMIO32(base + (off))


static uint8_t buf[512];
static uint64_t base;

static void check(int ok, int n, const char *what) {
  if (!ok) {
    rt_printf("dev_virtio_reset: case %d failed: %s\n", n, what);
    rt_exit(n);
  }
}

static void wait_ticks(uint64_t ticks) {
  const uint64_t start = MMIO64(CLINT_MTIME);
  while (MMIO64(CLINT_MTIME) - start < ticks) {
  }
}

static void setup_queue(void) {
  REG(0x070) = 0;
  REG(0x070) = 1 | 2;
  REG(0x024) = 0, REG(0x020) = 0;
  REG(0x024) = 1, REG(0x020) = 1; /* VERSION_1 only */
  REG(0x070) = 1 | 2 | 8;
  check(REG(0x070) & 8, 2, "FEATURES_OK accepted");
  for (unsigned i = 0; i < sizeof used_ring; i++) ((volatile uint8_t *)&used_ring)[i] = 0;
  for (unsigned i = 0; i < sizeof avail_ring; i++) ((volatile uint8_t *)&avail_ring)[i] = 0;
  REG(0x030) = 0;
  REG(0x038) = QSIZE;
  REG(0x080) = (uint32_t)(uintptr_t)descs, REG(0x084) = 0;
  REG(0x090) = (uint32_t)(uintptr_t)&avail_ring, REG(0x094) = 0;
  REG(0x0a0) = (uint32_t)(uintptr_t)&used_ring, REG(0x0a4) = 0;
  REG(0x044) = 1;
  REG(0x070) = 1 | 2 | 8 | 4; /* DRIVER_OK */
}

/* Posts a one-sector read of `sector` and notifies the device; does not wait. */
static void post_read(uint64_t sector) {
  blk_post(0, sector, buf, sizeof buf);
  REG(0x050) = 0;
}

/* Posts a read, lets the device start on it, and resets the device in the middle of its service. */
static void reset_during_read(void) {
  post_read(100);
  wait_ticks(TIMEBASE_HZ / 50000); /* 20 us of the read's 85 */
  REG(0x070) = 0;
}

int main(void) {
  for (unsigned slot = 0; slot < 8 && !base; slot++) {
    const uint64_t b = VIRTIO_BLK_BASE + 0x1000 * slot;
    if (MMIO32(b) == 0x74726976u && MMIO32(b + 4) == 2 && MMIO32(b + 8) == 2) base = b;
  }
  check(base != 0, 1, "no virtio-blk device");

  /* A reset, then a driver that has only told the device where its next used ring lives. */
  setup_queue();
  reset_during_read();
  check(REG(0x070) == 0, 3, "status reads 0 after reset");
  check(REG(0x044) == 0, 4, "queue not ready after reset");
  check(REG(0x060) == 0, 5, "no interrupt pending after reset");
  REG(0x030) = 0;
  REG(0x0a0) = (uint32_t)(uintptr_t)&used_ring, REG(0x0a4) = 0;
  wait_ticks(TIMEBASE_HZ / 1000); /* 1 ms: well past the end of the abandoned request's service */

  /* A reset, then a new queue at once: the abandoned request must not complete into it. */
  setup_queue();
  reset_during_read();
  setup_queue();
  wait_ticks(TIMEBASE_HZ / 1000);
  check(*(volatile uint16_t *)&used_ring.idx == 0, 6, "the request dropped by the reset never completes");

  post_read(3);
  for (uint64_t t = 0; *(volatile uint16_t *)&used_ring.idx == 0; t++) {
    check(t < 2000000, 7, "a request after the reset completes");
  }
  check(status == 0, 8, "read status OK");
  for (unsigned i = 0; i < sizeof buf; i++) check(buf[i] == (uint8_t)(3 * 7 + i), 9, "read pattern");
  rt_printf("dev_virtio_reset: pass\n");
  return 0;
}
