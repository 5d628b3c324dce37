/* virtio-blk over virtio-mmio version 2 (virtio 1.x "4.2 Virtio Over MMIO", "5.2 Block Device"), one
 * split virtqueue.
 *
 * Probing: sv39sim has one device at 0x10001000 (PLIC irq 1); QEMU virt has eight virtio-mmio slots at
 * 0x10001000 + 0x1000 * i (irq 1 + i) and puts the first -device in the last one. So all eight are probed
 * for magic "virt", version 2, device id 2.
 *
 * One request in flight at a time, served first come first served: the requesting process sleeps until
 * the used ring reports completion (interrupt through PLIC context 1); other processes wanting the disk
 * sleep until their turn. The order keeps a swap slot's write-out ahead of any later read of that slot. */
#include "kernel.h"

#define VIRTIO_MAGIC 0x74726976
#define R_MAGIC 0x000
#define R_VERSION 0x004
#define R_DEVICE_ID 0x008
#define R_DEV_FEATURES 0x010
#define R_DEV_FEATURES_SEL 0x014
#define R_DRV_FEATURES 0x020
#define R_DRV_FEATURES_SEL 0x024
#define R_QUEUE_SEL 0x030
#define R_QUEUE_NUM_MAX 0x034
#define R_QUEUE_NUM 0x038
#define R_QUEUE_READY 0x044
#define R_QUEUE_NOTIFY 0x050
#define R_INT_STATUS 0x060
#define R_INT_ACK 0x064
#define R_STATUS 0x070
#define R_QUEUE_DESC_LO 0x080
#define R_QUEUE_DESC_HI 0x084
#define R_QUEUE_DRIVER_LO 0x090
#define R_QUEUE_DRIVER_HI 0x094
#define R_QUEUE_DEVICE_LO 0x0a0
#define R_QUEUE_DEVICE_HI 0x0a4
#define R_CONFIG 0x100 /* virtio_blk_config: u64 capacity in 512-byte sectors */

#define ST_ACKNOWLEDGE 1
#define ST_DRIVER 2
#define ST_DRIVER_OK 4
#define ST_FEATURES_OK 8
#define ST_FAILED 128

#define F_VERSION_1_HI (1u << 0) /* feature bit 32 */

#define VIRTQ_DESC_F_NEXT 1
#define VIRTQ_DESC_F_WRITE 2
#define BLK_T_IN 0
#define BLK_T_OUT 1

#define QSZ 8

struct virtq_desc {
  uint64_t addr;
  uint32_t len;
  uint16_t flags;
  uint16_t next;
};
struct virtq_avail {
  uint16_t flags;
  uint16_t idx;
  uint16_t ring[QSZ];
  uint16_t used_event;
};
struct virtq_used_elem {
  uint32_t id;
  uint32_t len;
};
struct virtq_used {
  uint16_t flags;
  uint16_t idx;
  struct virtq_used_elem ring[QSZ];
  uint16_t avail_event;
};
struct blk_req {
  uint32_t type;
  uint32_t reserved;
  uint64_t sector;
};

/* The three rings in one page: descriptors (16-byte aligned), driver ring (2), device ring (4). */
static struct {
  struct virtq_desc desc[QSZ];
  uint8_t pad0[256 - sizeof(struct virtq_desc) * QSZ];
  struct virtq_avail avail;
  uint8_t pad1[256 - sizeof(struct virtq_avail)];
  struct virtq_used used;
} vq __attribute__((aligned(4096)));

static struct blk_req req_hdr;
static volatile uint8_t req_status;
static volatile int req_done;
static int busy;
static uint64_t next_ticket, serving;
static uint16_t last_used;
static uint64_t base;
static int irq;
static uint64_t capacity; /* sectors */

#define REG(off) MMIO32(base + (off))

int virtio_irq(void) {
  return irq;
}
int disk_busy(void) {
  return busy;
}

void virtio_init(void) {
  for (int slot = 0; slot < 8 && !base; slot++) {
    uint64_t b = VIRTIO_BLK_BASE + 0x1000UL * slot;
    if (MMIO32(b + R_MAGIC) == VIRTIO_MAGIC && MMIO32(b + R_VERSION) == 2 && MMIO32(b + R_DEVICE_ID) == 2) {
      base = b;
      irq = VIRTIO_BLK_IRQ + slot;
    }
  }
  if (!base) kpanic("virtio-blk: no version-2 block device at 0x10001000..0x10008000");
  REG(R_STATUS) = 0; /* reset */
  REG(R_STATUS) = ST_ACKNOWLEDGE;
  REG(R_STATUS) = ST_ACKNOWLEDGE | ST_DRIVER;
  REG(R_DEV_FEATURES_SEL) = 1;
  if (!(REG(R_DEV_FEATURES) & F_VERSION_1_HI)) kpanic("virtio-blk: device lacks VIRTIO_F_VERSION_1");
  /* Accept VERSION_1 only: no indirect descriptors, no event index, read-write, no flush needed. */
  REG(R_DRV_FEATURES_SEL) = 0;
  REG(R_DRV_FEATURES) = 0;
  REG(R_DRV_FEATURES_SEL) = 1;
  REG(R_DRV_FEATURES) = F_VERSION_1_HI;
  REG(R_STATUS) = ST_ACKNOWLEDGE | ST_DRIVER | ST_FEATURES_OK;
  if (!(REG(R_STATUS) & ST_FEATURES_OK)) kpanic("virtio-blk: features not accepted");
  REG(R_QUEUE_SEL) = 0;
  if (REG(R_QUEUE_READY)) kpanic("virtio-blk: queue 0 already live");
  uint32_t max = REG(R_QUEUE_NUM_MAX);
  if (max < QSZ) kpanic("virtio-blk: queue too small (%u)", max);
  REG(R_QUEUE_NUM) = QSZ;
  uint64_t d = (uint64_t)&vq.desc, a = (uint64_t)&vq.avail, u = (uint64_t)&vq.used;
  REG(R_QUEUE_DESC_LO) = (uint32_t)d;
  REG(R_QUEUE_DESC_HI) = (uint32_t)(d >> 32);
  REG(R_QUEUE_DRIVER_LO) = (uint32_t)a;
  REG(R_QUEUE_DRIVER_HI) = (uint32_t)(a >> 32);
  REG(R_QUEUE_DEVICE_LO) = (uint32_t)u;
  REG(R_QUEUE_DEVICE_HI) = (uint32_t)(u >> 32);
  REG(R_QUEUE_READY) = 1;
  REG(R_STATUS) = ST_ACKNOWLEDGE | ST_DRIVER | ST_FEATURES_OK | ST_DRIVER_OK;
  capacity = (uint64_t)REG(R_CONFIG) | ((uint64_t)REG(R_CONFIG + 4) << 32);
  plic_enable(irq);
  kprintf("[kernel] virtio-blk at 0x%lx irq %d, %lu sectors\n", base, irq, capacity);
}

/* Interrupt: acknowledge, then consume the used ring (at most one entry: one request in flight). */
void virtio_intr(void) {
  uint32_t st = REG(R_INT_STATUS);
  REG(R_INT_ACK) = st & 3;
  __asm__ volatile("fence rw, rw" ::: "memory");
  while (last_used != *(volatile uint16_t*)&vq.used.idx) {
    last_used++;
    req_done = 1;
  }
  if (req_done) wakeup((void*)&req_done);
}

int disk_rw(uint64_t block, void* buf, int write) {
  if ((block + 1) * (DISK_BLOCK_SIZE / DISK_SECTOR_SIZE) > capacity)
    kpanic("disk: block %lu beyond the disk (%lu sectors)", block, capacity);
  /* Requests are served in the order they were made (tickets), not in whatever order the waiters get
   * to run: an eviction makes the swap PTE before it queues the write of the slot, so a later swap-in of
   * that slot must not overtake the write. */
  uint64_t ticket = next_ticket++;
  while (busy || ticket != serving) sleep_on(&busy);
  busy = 1;
  req_done = 0;
  req_status = 0xff;
  req_hdr.type = write ? BLK_T_OUT : BLK_T_IN;
  req_hdr.reserved = 0;
  req_hdr.sector = block * (DISK_BLOCK_SIZE / DISK_SECTOR_SIZE);
  vq.desc[0] = (struct virtq_desc){(uint64_t)&req_hdr, sizeof req_hdr, VIRTQ_DESC_F_NEXT, 1};
  vq.desc[1] = (struct virtq_desc){(uint64_t)buf, DISK_BLOCK_SIZE,
                                   (uint16_t)(VIRTQ_DESC_F_NEXT | (write ? 0 : VIRTQ_DESC_F_WRITE)), 2};
  vq.desc[2] = (struct virtq_desc){(uint64_t)&req_status, 1, VIRTQ_DESC_F_WRITE, 0};
  vq.avail.ring[vq.avail.idx % QSZ] = 0;
  __asm__ volatile("fence rw, rw" ::: "memory"); /* descriptors before the index */
  *(volatile uint16_t*)&vq.avail.idx = vq.avail.idx + 1;
  __asm__ volatile("fence rw, rw" ::: "memory"); /* index before the notify */
  REG(R_QUEUE_NOTIFY) = 0;
  STAT(write ? ST_DISK_WRITE : ST_DISK_READ)++;
  while (!req_done) sleep_on((void*)&req_done);
  if (req_status != 0)
    kpanic("disk: %s of block %lu failed (status %u)", write ? "write" : "read", block, req_status);
  busy = 0;
  serving++;
  wakeup(&busy);
  return 0;
}
