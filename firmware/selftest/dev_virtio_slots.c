// sv39sim-args: --set disk.image=@FIRMWARE_DIR@/testdisk.img
// qemu-args: -global virtio-mmio.force-legacy=false -drive file=@FIRMWARE_DIR@/testdisk.img,if=none,format=raw,id=hd0,snapshot=on -device virtio-blk-device,drive=hd0,bus=virtio-mmio-bus.0
/* QEMU virt's eight virtio-mmio transports at 0x10001000 + i * 0x1000: the disk in slot 0 (QEMU puts it
 * there with bus=virtio-mmio-bus.0), slots 1..7 empty. An empty transport (QEMU's virtio-mmio.c with no
 * backend) reads magic "virt", version 2, vendor id "QEMU" and device id 0, every other register 0, and
 * ignores writes. Reads narrower or wider than a register are answered in 4-byte pieces, each the
 * register at its exact offset: a byte at offset 0 is the magic's low byte ('v'), a byte at offset 1 is 0,
 * 8 bytes at offset 0 are magic | version << 32. */
#include "runtime.h"

#define VIRTIO_MAGIC 0x74726976u
#define VIRTIO_VENDOR_QEMU 0x554d4551u
#define SLOT(i) (0x10001000UL + 0x1000UL * (i))
/* The slot holding the disk; dev_virtio_slots_empty.c runs these checks with none (-1). */
#ifndef DISK_SLOT
#define DISK_SLOT 0
#endif
#ifndef TEST_NAME
#define TEST_NAME "dev_virtio_slots"
#endif

static int checks;

static void check(int ok, int n, unsigned slot, const char* what) {
  if (!ok) {
    rt_printf(TEST_NAME ": case %d failed (slot %u): %s\n", n, slot, what);
    rt_exit(n);
  }
  checks++;
}

int main(void) {
  for (unsigned i = 0; i < 8; i++) {
    const uint64_t b = SLOT(i);
    check(MMIO32(b) == VIRTIO_MAGIC, 1, i, "magic \"virt\"");
    check(MMIO32(b + 0x004) == 2, 2, i, "version 2");
    check(MMIO32(b + 0x008) == ((int)i == DISK_SLOT ? 2u : 0u), 3, i,
          "device id: 2 (block) in the disk's slot, 0 elsewhere");
    check(MMIO32(b + 0x00c) == VIRTIO_VENDOR_QEMU, 4, i, "vendor id 0x554d4551");
  }
  for (unsigned i = 0; i < 8; i++) {
    if ((int)i == DISK_SLOT) continue;
    const uint64_t b = SLOT(i);
    /* DeviceFeatures, QueueNumMax, QueueReady, InterruptStatus, Status, ConfigGeneration, config space. */
    static const uint16_t zero_regs[] = {0x010, 0x034, 0x044, 0x060, 0x070, 0x0fc, 0x100, 0x104};
    for (unsigned r = 0; r < sizeof zero_regs / sizeof zero_regs[0]; r++)
      check(MMIO32(b + zero_regs[r]) == 0, 5, i, "registers other than the identity read 0");
    MMIO32(b + 0x070) = 1 | 2; /* ACKNOWLEDGE | DRIVER */
    MMIO32(b + 0x014) = 1;     /* DeviceFeaturesSel */
    MMIO32(b + 0x030) = 0;     /* QueueSel */
    MMIO32(b + 0x038) = 8;     /* QueueNum */
    MMIO32(b + 0x044) = 1;     /* QueueReady */
    check(MMIO32(b + 0x070) == 0, 6, i, "a status write is ignored");
    check(MMIO32(b + 0x010) == 0, 7, i, "device features still 0 after selecting word 1");
    check(MMIO32(b + 0x034) == 0 && MMIO32(b + 0x044) == 0, 8, i, "no queue: QueueNumMax and QueueReady 0");
    check(MMIO8(b) == 0x76, 9, i, "byte 0 of the magic");
    check(MMIO8(b + 1) == 0, 10, i, "a byte inside the magic register reads 0");
    check(MMIO64(b) == ((uint64_t)2 << 32 | VIRTIO_MAGIC), 11, i, "8 bytes at 0: magic, then version");
    check(MMIO64(b + 8) == ((uint64_t)VIRTIO_VENDOR_QEMU << 32), 12, i, "8 bytes at 8: device id 0, vendor");
  }
  rt_printf(TEST_NAME ": %d checks passed\n", checks);
  return 0;
}
