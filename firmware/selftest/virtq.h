/* The split virtqueue layout (virtio 1.1, 2.6) and the virtio-blk request header, as the virtio-blk
 * self-tests lay them out in memory: one queue of QSIZE descriptors, one request at a time. */
#ifndef SV39SIM_SELFTEST_VIRTQ_H
#define SV39SIM_SELFTEST_VIRTQ_H

#include <stdint.h>

#define QSIZE 8

struct desc { uint64_t addr; uint32_t len; uint16_t flags, next; };
struct avail { uint16_t flags, idx, ring[QSIZE], used_event; };
struct used_elem { uint32_t id, len; };
struct used { uint16_t flags, idx; struct used_elem ring[QSIZE]; uint16_t avail_event; };
struct blk_req { uint32_t type, reserved; uint64_t sector; };

/* The one queue of the test and its one request in flight (header, data buffer, status byte). */
static struct desc descs[QSIZE] __attribute__((aligned(16)));
static struct avail avail_ring __attribute__((aligned(2)));
static struct used used_ring __attribute__((aligned(4)));
static struct blk_req req;
static volatile uint8_t status;

/* Chains a request of `type` (0 read, 1 write) for `sector` with `len` bytes at `data` and makes it
 * available; returns the used index from before, which moves when the device completes it. The caller
 * notifies the device (QueueNotify) and waits in its own way. */
static uint16_t blk_post(uint32_t type, uint64_t sector, void *data, uint32_t len) {
  req.type = type;
  req.sector = sector;
  status = 0xff;
  descs[0] = (struct desc){(uintptr_t)&req, sizeof req, 1, 1};
  descs[1] = (struct desc){(uintptr_t)data, len, (uint16_t)(1 | (type == 0 ? 2 : 0)), 2};
  descs[2] = (struct desc){(uintptr_t)&status, 1, 2, 0};
  uint16_t before = used_ring.idx;
  avail_ring.ring[avail_ring.idx % QSIZE] = 0;
  __asm__ volatile("fence rw, rw");
  avail_ring.idx++;
  __asm__ volatile("fence rw, rw");
  return before;
}

#endif
