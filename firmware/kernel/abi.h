/* The contract between sv39sim, the pager kernel, user programs and the disk-image builder: disk
 * layout, boot arguments, system calls and the pager statistics sv39sim reads back. C, freestanding. */
#ifndef SV39SIM_ABI_H
#define SV39SIM_ABI_H

#include <stdint.h>

/* ---------------------------------------------------------------------------------------------------
 * Disk image (virtio-blk, 512-byte sectors; the layout is in 4 KiB blocks)
 *   block 0: boot block = struct disk_header in bytes 0..511, then boot arguments: NUL-terminated text
 *            of "key=value\n" lines in bytes 512..4095 (sv39sim rewrites them from the YAML `workload:`
 *            section; the image builder writes defaults; QEMU runs use the text as built or patched)
 *   block 1: directory: up to DISK_DIR_ENTRIES struct disk_dirent (64 bytes each)
 *   then:    files (user programs as ELF64, data files), each starting on a block boundary
 *   last:    swap area of swap_blocks blocks starting at swap_start
 * ------------------------------------------------------------------------------------------------- */
#define DISK_MAGIC "SV39DSK1"
#define DISK_BLOCK_SIZE 4096u
#define DISK_SECTOR_SIZE 512u
#define DISK_ARGS_OFFSET 512u
#define DISK_ARGS_SIZE (DISK_BLOCK_SIZE - DISK_ARGS_OFFSET)
#define DISK_DIR_BLOCK 1u
#define DISK_DIR_ENTRIES 64u
#define DISK_NAME_LEN 32u

struct disk_header {
  char magic[8];        /* DISK_MAGIC, not NUL-terminated */
  uint32_t version;     /* 1 */
  uint32_t block_size;  /* 4096 */
  uint32_t dir_block;   /* 1 */
  uint32_t dir_entries; /* entries in use */
  uint32_t swap_start;  /* first swap block */
  uint32_t swap_blocks; /* swap size in blocks */
  uint32_t total_blocks;
  uint32_t reserved[7];
};

#define DISK_FILE_PROGRAM 1u /* an ELF64 RISC-V executable for U-mode */
#define DISK_FILE_DATA 2u    /* a data file (mmap-able read-only) */

struct disk_dirent {
  char name[DISK_NAME_LEN]; /* NUL-padded */
  uint32_t type;            /* DISK_FILE_* */
  uint32_t start_block;
  uint64_t size; /* bytes */
  uint32_t reserved[4];
};

/* Boot arguments the kernel understands (all optional; defaults in brackets):
 *   run=<program> [args...][; <program> [args...]]...   processes to start ["hello"]
 *   frames=<n>          user frame pool in 4 KiB frames, 4..24576 [512]; at most (n + 1) / 5
 *                       processes hold frames at once (kernel.h, WS_PROCS)
 *   replacement=clock|fifo|random                        [clock]
 *   asids=on|off        off: one ASID for all, sfence.vma on every switch [on]
 *   timeslice_us=<n>    round-robin time slice [1000]
 *   seed=<n>            seed of the kernel's random replacement [1]
 *   verbose=0|1         per-fault log lines [0]
 *   asid_max=<n>        largest ASID handed out before recycling; 0 = all the hart has [0]
 *   marker=<address>    (decimal) the trace-marker device (sv39sim passes it; absent on QEMU: no marker writes)
 * A program's args are words after its name; `key=value` words are conventional (e.g. pages=64). */

/* ---------------------------------------------------------------------------------------------------
 * System calls: ecall from U-mode with a7 = number, arguments a0..a5, result in a0 (negative = error).
 * ------------------------------------------------------------------------------------------------- */
#define SYS_exit 0     /* (int code) -> never returns */
#define SYS_write 1    /* (int fd, const void *buf, uint64 len) -> bytes; fd 1 and 2 are the console */
#define SYS_getpid 2   /* () -> pid */
#define SYS_yield 3    /* () -> 0 */
#define SYS_sbrk 4     /* (int64 increment) -> old break, lazily backed */
#define SYS_mmap 5     /* (void *hint, uint64 len, int prot, int flags, const char *file) -> address */
#define SYS_munmap 6   /* (void *addr, uint64 len) -> 0 */
#define SYS_fork 7     /* () -> child pid in the parent, 0 in the child; copy-on-write */
#define SYS_wait 8     /* (int *status) -> pid of a finished child, -1 if none */
#define SYS_faults 9   /* (struct fault_counts *out) -> 0: the caller's own fault counts */
#define SYS_getargs 10 /* (char *buf, uint64 len) -> bytes: this process's argument text */
/* () -> 0: this process is about to fault on purpose (a crash test); its being killed does not fail the
 * run (see "Verdict" below) */
#define SYS_expect_kill 11

#define PROT_READ 1
#define PROT_WRITE 2
#define MAP_ANONYMOUS 1 /* file ignored */
#define MAP_FILE 2      /* read-only mapping of the named disk file */

struct fault_counts {
  uint64_t minor;      /* faults served from memory: zero-fill, copy-on-write, swap-cache hits, A/D */
  uint64_t major;      /* faults that read the disk (program text/data, file pages, swap-ins) */
  uint64_t swap_ins;   /* major faults that read a swap slot */
  uint64_t swap_outs;  /* of this process's pages */
  uint64_t cow;        /* minor faults that were writes to a page held copy-on-write since a fork */
  uint64_t zero_fills; /* minor faults that gave a fresh zeroed page */
};

/* ---------------------------------------------------------------------------------------------------
 * Verdict: the kernel ends the run (SBI shutdown: HTIF tohost, then the test finisher) with
 *   0 (pass)  every process of run= (and every child it forked) exited with status 0, or was killed
 *             after it called SYS_expect_kill;
 *   1 (fail)  otherwise: a program of run= is not on the disk, a process exited non-zero, a process was
 *             killed without having called SYS_expect_kill, or the configuration cannot run (too few
 *             frames); pager_stats.verdict says why;
 *   3 (fail)  kernel panic (verdict: "kernel panic: ...").
 * ------------------------------------------------------------------------------------------------- */
#define KERNEL_EXIT_FAIL 1
#define KERNEL_EXIT_PANIC 3

/* ---------------------------------------------------------------------------------------------------
 * Pager statistics: the kernel keeps this self-describing table in a global named `pager_stats`.
 * sv39sim finds the symbol in the kernel ELF and, at the end of a run, publishes every entry as
 * pager.<name> in stats.json / stats.txt, and prints a non-empty verdict on stderr. QEMU ignores it.
 * Names: [a-z0-9_], NUL-padded. Expected entries: minor_faults, major_faults, cow_faults, zero_fills,
 * swap_ins, swap_outs, file_reads, evictions, context_switches, processes, killed, disk_reads,
 * disk_writes, page_faults (every user page fault the kernel handled, legal or not).
 * ------------------------------------------------------------------------------------------------- */
#define PAGER_STATS_MAGIC "PGSTATS2"
#define PAGER_STATS_MAX 32
#define PAGER_VERDICT_MAX 256
struct pager_stat {
  char name[24];
  uint64_t value;
};
struct pager_stats_table {
  char magic[8];
  uint64_t count;
  struct pager_stat entries[PAGER_STATS_MAX];
  char verdict[PAGER_VERDICT_MAX]; /* why the run failed (printable ASCII, NUL-terminated); "" = pass */
};

/* ---------------------------------------------------------------------------------------------------
 * Trace markers: the kernel tells a waveform recorder what it is doing. sv39sim's trace-marker device
 * (models/devices/TraceMarker.h) has 64-bit registers ARG0 at +8, ARG1 at +16, ARG2 at +24 and CODE at
 * +0; writing CODE records one marker with the current ARGs (they keep their values). The kernel writes
 * only when the boot arguments give marker=<address>. This list is the only one: sv39sim names the codes
 * from it (X(code name, value, args)).
 * ------------------------------------------------------------------------------------------------- */
#define MARKER_CODE 0u
#define MARKER_ARG0 8u
#define MARKER_ARG1 16u
#define MARKER_ARG2 24u
#define PAGER_MARKERS(X)                                            \
  X(context_switch, 0, "pid, asid")                                 \
  X(fault_begin, 1, "pid, va, access (0 fetch / 1 load / 2 store)") \
  X(fault_end, 2, "pid, va, kind (MARK_FAULT_*)")                   \
  X(victim, 3, "pid, va, dirty")                                    \
  X(swap_submit, 4, "slot, write")                                  \
  X(swap_complete, 5, "slot, write")                                \
  X(process_create, 6, "pid")                                       \
  X(process_exit, 7, "pid, status")                                 \
  X(process_kill, 8, "pid")                                         \
  X(syscall_enter, 9, "pid, number")                                \
  X(syscall_exit, 10, "pid, number, result")
#define PAGER_MARKER_ENUM(name, value, args) MARK_##name = value,
enum pager_marker { PAGER_MARKERS(PAGER_MARKER_ENUM) MARK_COUNT };
#undef PAGER_MARKER_ENUM
/* fault_end kinds: minor (zero-fill .. swap cache), major (file read, swap-in), bad (the process dies) */
#define MARK_FAULT_ZERO 0
#define MARK_FAULT_COW 1
#define MARK_FAULT_AD 2
#define MARK_FAULT_SPURIOUS 3
#define MARK_FAULT_SWAPCACHE 4
#define MARK_FAULT_FILE 5
#define MARK_FAULT_SWAPIN 6
#define MARK_FAULT_BAD 7

#endif
