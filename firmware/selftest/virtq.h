/* The split virtqueue layout (virtio 1.1, 2.6) and the virtio-blk request header, as the virtio-blk
 * self-tests lay them out in memory: one queue of QSIZE descriptors. */
#ifndef SV39SIM_SELFTEST_VIRTQ_H
#define SV39SIM_SELFTEST_VIRTQ_H

#include <stdint.h>

#define QSIZE 8

struct desc { uint64_t addr; uint32_t len; uint16_t flags, next; };
struct avail { uint16_t flags, idx, ring[QSIZE], used_event; };
struct used_elem { uint32_t id, len; };
struct used { uint16_t flags, idx; struct used_elem ring[QSIZE]; uint16_t avail_event; };
struct blk_req { uint32_t type, reserved; uint64_t sector; };

#endif
