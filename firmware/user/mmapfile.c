/* mmapfile file=NAME [size=BYTES]   (default file=mmapdata)
 * Maps a data file of the disk read-only (SYS_mmap with MAP_FILE) and checks it. File format
 * (mkdisk.py gen-data): bytes 0..7 "SV39DATA", 8..15 the total size (u64 LE), then payload, and the
 * last 8 bytes the checksum of everything before them: h = 0xcbf29ce484222325; for each u64 LE word w
 * of bytes [0, size-8): h = (h ^ w) * 0x100000001b3 (mod 2^64). Without size= the first page is mapped
 * to read the size, unmapped, and the whole file mapped.
 * Result: "mmapfile: file=F size=S checksum=0x.. stored=0x.. minflt=.. majflt=.. PASS". */
#include "ulib.h"

int main(int argc, char **argv) {
  const char *file = arg_str(argc, argv, "file", "mmapdata");
  uint64_t size = arg_u64(argc, argv, "size", 0);
  struct fault_counts before, after;
  faults_snapshot(&before);
  if (size == 0) {
    const uint64_t *hdr = sys_mmap(0, PAGE_SIZE, PROT_READ, MAP_FILE, file);
    if (sys_failed(hdr)) fail("mmapfile", "mmap of the first page of '%s' failed (%ld)", file, (long)hdr);
    if (memcmp(hdr, "SV39DATA", 8) != 0) fail("mmapfile", "'%s' does not start with SV39DATA", file);
    size = hdr[1];
    if (sys_munmap((void *)hdr, PAGE_SIZE) != 0) fail("mmapfile", "munmap failed");
  }
  if (size < 24 || size % 8) fail("mmapfile", "bad size %lu (needs >= 24, multiple of 8)", size);
  const uint64_t *w = sys_mmap(0, size, PROT_READ, MAP_FILE, file);
  if (sys_failed(w)) fail("mmapfile", "mmap of %lu bytes of '%s' failed (%ld)", size, file, (long)w);
  if (memcmp(w, "SV39DATA", 8) != 0 || w[1] != size)
    fail("mmapfile", "header: size field %lu, mapped %lu", w[1], size);
  uint64_t h = 0xcbf29ce484222325ull;
  for (uint64_t i = 0; i < size / 8 - 1; i++) h = (h ^ w[i]) * 0x100000001b3ull;
  uint64_t stored = w[size / 8 - 1];
  faults_snapshot(&after);
  printf("mmapfile: file=%s size=%lu checksum=0x%016lx stored=0x%016lx minflt=%lu majflt=%lu %s\n", file, size, h,
         stored, after.minor - before.minor, after.major - before.major, h == stored ? "PASS" : "FAIL");
  return h == stored ? 0 : 1;
}
