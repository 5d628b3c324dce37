/* virtio-blk over virtio-mmio, written the way QEMU-targeted teaching kernels write it: the device must
 * show QEMU's identity (magic, version 2, block device, vendor "QEMU"); the driver writes only the low
 * feature word and so never acknowledges VIRTIO_F_VERSION_1 (feature bit 32), then sets FEATURES_OK. One
 * request at a time, three chained descriptors, completion by interrupt. */
#include "kernel.h"

#define VREG(off) MMIO32(VIRTIO_BLK_BASE + (off))
#define MAGIC 0x000
#define VERSION 0x004
#define DEVICE_ID 0x008
#define VENDOR_ID 0x00c
#define DEVICE_FEATURES 0x010
#define DRIVER_FEATURES 0x020
#define QUEUE_SEL 0x030
#define QUEUE_NUM_MAX 0x034
#define QUEUE_NUM 0x038
#define QUEUE_READY 0x044
#define QUEUE_NOTIFY 0x050
#define INTERRUPT_STATUS 0x060
#define INTERRUPT_ACK 0x064
#define STATUS 0x070
#define QUEUE_DESC_LOW 0x080
#define QUEUE_DESC_HIGH 0x084
#define DRIVER_DESC_LOW 0x090
#define DRIVER_DESC_HIGH 0x094
#define DEVICE_DESC_LOW 0x0a0
#define DEVICE_DESC_HIGH 0x0a4

#define STATUS_ACKNOWLEDGE 1
#define STATUS_DRIVER 2
#define STATUS_DRIVER_OK 4
#define STATUS_FEATURES_OK 8

#define F_BLK_RO 5
#define F_BLK_SCSI 7
#define F_BLK_CONFIG_WCE 11
#define F_BLK_MQ 12
#define F_ANY_LAYOUT 27
#define F_RING_INDIRECT_DESC 28
#define F_RING_EVENT_IDX 29

#define NUM 8
#define DESC_F_NEXT 1
#define DESC_F_WRITE 2
#define BLK_T_IN 0
#define BLK_T_OUT 1

struct vdesc {
  uint64_t addr;
  uint32_t len;
  uint16_t flags, next;
};
struct vavail {
  uint16_t flags, idx, ring[NUM], unused;
};
struct vused_elem {
  uint32_t id, len;
};
struct vused {
  uint16_t flags, idx;
  struct vused_elem ring[NUM];
};
struct blk_req {
  uint32_t type, reserved;
  uint64_t sector;
};

static struct vdesc* desc;
static struct vavail* avail;
static struct vused* used;
static uint16_t used_seen;
static struct blk_req req;
static volatile uint8_t req_status;
static volatile int req_done;

void virtio_disk_init(void) {
  if (VREG(MAGIC) != 0x74726976 || VREG(VERSION) != 2 || VREG(DEVICE_ID) != 2 ||
      VREG(VENDOR_ID) != 0x554d4551)
    panic("could not find virtio disk");

  uint32_t status = 0;
  VREG(STATUS) = status;
  status |= STATUS_ACKNOWLEDGE;
  VREG(STATUS) = status;
  status |= STATUS_DRIVER;
  VREG(STATUS) = status;

  uint32_t features = VREG(DEVICE_FEATURES);
  features &= ~(1u << F_BLK_RO);
  features &= ~(1u << F_BLK_SCSI);
  features &= ~(1u << F_BLK_CONFIG_WCE);
  features &= ~(1u << F_BLK_MQ);
  features &= ~(1u << F_ANY_LAYOUT);
  features &= ~(1u << F_RING_EVENT_IDX);
  features &= ~(1u << F_RING_INDIRECT_DESC);
  VREG(DRIVER_FEATURES) = features;

  status |= STATUS_FEATURES_OK;
  VREG(STATUS) = status;
  if (!(VREG(STATUS) & STATUS_FEATURES_OK)) panic("virtio disk FEATURES_OK unset");

  VREG(QUEUE_SEL) = 0;
  if (VREG(QUEUE_READY)) panic("virtio disk should not be ready");
  uint32_t max = VREG(QUEUE_NUM_MAX);
  if (max == 0) panic("virtio disk has no queue 0");
  if (max < NUM) panic("virtio disk max queue too short");

  desc = kalloc();
  avail = kalloc();
  used = kalloc();
  if (!desc || !avail || !used) panic("virtio disk kalloc");
  memset(desc, 0, PGSIZE);
  memset(avail, 0, PGSIZE);
  memset(used, 0, PGSIZE);

  VREG(QUEUE_NUM) = NUM;
  VREG(QUEUE_DESC_LOW) = (uint32_t)(uint64_t)desc;
  VREG(QUEUE_DESC_HIGH) = (uint32_t)((uint64_t)desc >> 32);
  VREG(DRIVER_DESC_LOW) = (uint32_t)(uint64_t)avail;
  VREG(DRIVER_DESC_HIGH) = (uint32_t)((uint64_t)avail >> 32);
  VREG(DEVICE_DESC_LOW) = (uint32_t)(uint64_t)used;
  VREG(DEVICE_DESC_HIGH) = (uint32_t)((uint64_t)used >> 32);
  VREG(QUEUE_READY) = 1;

  status |= STATUS_DRIVER_OK;
  VREG(STATUS) = status;
}

/* Reads or writes one sector through buf (a kernel address, which is its physical address), waiting for
 * the completion interrupt. */
void virtio_disk_rw(void* buf, uint64_t sector, int write) {
  req.type = write ? BLK_T_OUT : BLK_T_IN;
  req.reserved = 0;
  req.sector = sector;
  req_status = 0xff;
  req_done = 0;

  desc[0] = (struct vdesc){(uint64_t)&req, sizeof req, DESC_F_NEXT, 1};
  desc[1] =
      (struct vdesc){(uint64_t)buf, SECTOR_SIZE, (uint16_t)(DESC_F_NEXT | (write ? 0 : DESC_F_WRITE)), 2};
  desc[2] = (struct vdesc){(uint64_t)&req_status, 1, DESC_F_WRITE, 0};

  avail->ring[avail->idx % NUM] = 0;
  __sync_synchronize();
  avail->idx += 1;
  __sync_synchronize();
  VREG(QUEUE_NOTIFY) = 0;

  while (!req_done) wait_for_interrupt();
  if (req_status != 0) panic("virtio disk request failed");
}

void virtio_disk_intr(void) {
  VREG(INTERRUPT_ACK) = VREG(INTERRUPT_STATUS) & 0x3;
  __sync_synchronize();
  while (used_seen != used->idx) {
    __sync_synchronize();
    if (used->ring[used_seen % NUM].id != 0) panic("virtio disk: unknown request completed");
    req_done = 1;
    used_seen++;
  }
}
