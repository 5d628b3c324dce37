// sv39sim-args: --set disk.image=@FIRMWARE_DIR@/testdisk.img
// qemu-args: -global virtio-mmio.force-legacy=false -drive file=@FIRMWARE_DIR@/testdisk.img,if=none,format=raw,id=hd0,snapshot=on -device virtio-blk-device,drive=hd0
/* virtio-blk as a driver written for QEMU's virt machine finds and drives it (the way xv6-riscv's
 * virtio_disk.c does): the identity registers must read magic "virt", version 2, device id 2 and vendor
 * id 0x554d4551 ("QEMU"); the driver reads feature word 0 only, writes driver feature word 0 only (it never
 * acknowledges VIRTIO_F_VERSION_1, bit 32) and sets FEATURES_OK, which QEMU's modern device accepts; then
 * reads and writes through one split virtqueue must work, completion seen by polling the used ring.
 * testdisk.img (built with the firmware): sector s holds bytes (s * 7 + i) & 0xff. */
#include "runtime.h"
#include "virtq.h"

#define REG(off) MMIO32(base + (off))
#define VIRTIO_MAGIC 0x74726976u
#define VIRTIO_VENDOR_QEMU 0x554d4551u
/* Feature bits xv6 turns off before acknowledging the rest of word 0. */
#define BLK_F_RO 5
#define BLK_F_SCSI 7
#define BLK_F_CONFIG_WCE 11
#define BLK_F_MQ 12
#define F_ANY_LAYOUT 27
#define RING_F_INDIRECT_DESC 28
#define RING_F_EVENT_IDX 29

static uint8_t buf[1024];
static uint64_t base;
static int checks;

static void check(int ok, int n, const char *what) {
  if (!ok) {
    rt_printf("dev_virtio_qemu_identity: case %d failed: %s\n", n, what);
    rt_exit(n);
  }
  checks++;
}

static uint8_t submit(uint32_t type, uint64_t sector, uint32_t len) {
  uint16_t before = blk_post(type, sector, buf, len);
  REG(0x050) = 0;
  long spin = 0;
  while (*(volatile uint16_t *)&used_ring.idx == before && spin < 50000000) spin++;
  check(spin < 50000000, 9, "request completes");
  REG(0x064) = REG(0x060) & 3; /* acknowledge, as the driver's interrupt handler would */
  return status;
}

int main(void) {
  for (unsigned slot = 0; slot < 8 && !base; slot++) {
    uint64_t b = VIRTIO_BLK_BASE + 0x1000 * slot;
    if (MMIO32(b) == VIRTIO_MAGIC && MMIO32(b + 4) == 2 && MMIO32(b + 8) == 2) base = b;
  }
  check(base != 0, 1, "a virtio-blk device (magic, version 2, device id 2)");
  check(REG(0x00c) == VIRTIO_VENDOR_QEMU, 2, "vendor id 0x554d4551 (QEMU)");

  uint32_t st = 0;
  REG(0x070) = st;
  REG(0x070) = st |= 1; /* ACKNOWLEDGE */
  REG(0x070) = st |= 2; /* DRIVER */
  uint32_t features = REG(0x010); /* word 0: DeviceFeaturesSel is 0 after reset */
  features &= ~((1u << BLK_F_RO) | (1u << BLK_F_SCSI) | (1u << BLK_F_CONFIG_WCE) | (1u << BLK_F_MQ) |
                (1u << F_ANY_LAYOUT) | (1u << RING_F_EVENT_IDX) | (1u << RING_F_INDIRECT_DESC));
  REG(0x020) = features; /* word 0 only: VERSION_1 is never acknowledged */
  REG(0x070) = st |= 8;  /* FEATURES_OK */
  check(REG(0x070) & 8, 3, "FEATURES_OK kept without VIRTIO_F_VERSION_1");

  REG(0x030) = 0;
  check(REG(0x044) == 0, 4, "queue 0 not ready before setup");
  check(REG(0x034) >= QSIZE, 5, "queue 0 holds QSIZE descriptors");
  REG(0x038) = QSIZE;
  REG(0x080) = (uint32_t)(uintptr_t)descs, REG(0x084) = 0;
  REG(0x090) = (uint32_t)(uintptr_t)&avail_ring, REG(0x094) = 0;
  REG(0x0a0) = (uint32_t)(uintptr_t)&used_ring, REG(0x0a4) = 0;
  REG(0x044) = 1;
  REG(0x070) = st |= 4; /* DRIVER_OK */
  check(REG(0x070) == 15, 6, "status ACKNOWLEDGE|DRIVER|FEATURES_OK|DRIVER_OK, no NEEDS_RESET");

  /* One 1 KiB block (two sectors) read, written and read back, as xv6's buffer cache does. */
  check(submit(0, 6, 1024) == 0, 10, "read status OK");
  for (unsigned i = 0; i < 1024; i++) check(buf[i] == (uint8_t)((6 + i / 512) * 7 + i % 512), 11, "read pattern");
  for (unsigned i = 0; i < 1024; i++) buf[i] = (uint8_t)(0x5a ^ i);
  check(submit(1, 6, 1024) == 0, 12, "write status OK");
  for (unsigned i = 0; i < 1024; i++) buf[i] = 0;
  check(submit(0, 6, 1024) == 0, 13, "read-back status OK");
  for (unsigned i = 0; i < 1024; i++) check(buf[i] == (uint8_t)(0x5a ^ i), 14, "written data read back");
  check(REG(0x070) == 15, 15, "device still healthy");
  rt_printf("dev_virtio_qemu_identity: %d checks passed\n", checks);
  return 0;
}
