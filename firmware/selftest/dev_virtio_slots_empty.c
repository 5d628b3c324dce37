// qemu-args: -global virtio-mmio.force-legacy=false
/* QEMU virt's eight virtio-mmio transports with no disk (disk.image empty, no -device): all eight are
 * empty transports, slot 0 included. The checks are dev_virtio_slots.c's. */
#define DISK_SLOT (-1)
#define TEST_NAME "dev_virtio_slots_empty"
#include "dev_virtio_slots.c"
