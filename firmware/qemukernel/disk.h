/* The program disk (built by mkdisk.py): sector 0 is the directory, each program's flat image starts on
 * its own sector, and one scratch sector after them is free for the kernel's write test. All fields
 * little-endian. */
#ifndef QEMUKERNEL_DISK_H
#define QEMUKERNEL_DISK_H

#include <stdint.h>

#define DISK_MAGIC 0x53464b51u /* "QKFS" */
#define DISK_MAX_FILES 8

struct disk_file {
  char name[16];
  uint32_t first_sector;
  uint32_t file_size;   /* bytes of the image on disk */
  uint32_t memory_size; /* bytes from USER_BASE to the end of .bss */
  uint32_t entry;
};

struct disk_directory {
  uint32_t magic, files, scratch_sector, reserved;
  struct disk_file file[DISK_MAX_FILES];
};

#endif
