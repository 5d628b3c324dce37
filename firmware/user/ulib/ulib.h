/* Tiny U-mode runtime for the pager OS's user programs: system calls (see firmware/kernel/abi.h),
 * console output over SYS_write, string helpers and `key=value` argument lookup. */
#ifndef SV39SIM_ULIB_H
#define SV39SIM_ULIB_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "abi.h"
#include "fwlib.h" /* mem*, str*, vsnprintf, snprintf: shared with the kernel runtime */

#define PAGE_SIZE 4096ul

/* ---- system calls: one stub per SYS_* in abi.h; negative results are errors ---------------- */
void sys_exit(int code) __attribute__((noreturn));
long sys_write(int fd, const void *buf, uint64_t len);
long sys_getpid(void);
long sys_yield(void);
void *sys_sbrk(int64_t increment); /* old break, or (void *)-1 style negative value on error */
void *sys_mmap(void *hint, uint64_t len, int prot, int flags, const char *file);
long sys_munmap(void *addr, uint64_t len);
long sys_fork(void);
long sys_wait(int *status);
long sys_faults(struct fault_counts *out);
long sys_getargs(char *buf, uint64_t len);
long sys_expect_kill(void); /* this process is about to fault on purpose: its kill passes the run */
/* A mmap/sbrk result is an error if it is a small negative number. */
static inline int sys_failed(const void *p) { return (int64_t)(uintptr_t)p < 0 && (int64_t)(uintptr_t)p > -4096; }

/* ---- console ------------------------------------------------------------------------------ */
/* printf, with the formats of fwlib.h's vformat. Every printf call is ONE SYS_write (lines of concurrent processes do not interleave); at most
 * 255 characters per call. */
int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int puts(const char *s); /* s and a newline */

/* ---- numbers ------------------------------------------------------------------------------ */
long atoi(const char *s);           /* decimal, or hex with 0x; optional sign */
uint64_t atou64(const char *s);     /* decimal or 0x hex */

/* ---- arguments ----------------------------------------------------------------------------- */
/* argv comes from SYS_getargs split on spaces; lookups scan every argv entry for "key=". */
const char *arg_str(int argc, char **argv, const char *key, const char *def);
long arg_int(int argc, char **argv, const char *key, long def);
uint64_t arg_u64(int argc, char **argv, const char *key, uint64_t def);
int arg_has(int argc, char **argv, const char *key);

/* ---- helpers shared by the workloads ------------------------------------------------------ */
/* Fault counts, taken twice so that a copy-on-write or zero-fill of the stack page that holds `out`
 * (caused by the first call's copy-out) is not part of the snapshot. */
void faults_snapshot(struct fault_counts *out);
/* sbrk `pages` whole pages; the result is page-aligned and none of its pages was touched before. */
void *alloc_pages(uint64_t pages);
/* Print "<name>: FAIL <why>" and exit(1). */
void fail(const char *name, const char *fmt, ...) __attribute__((noreturn, format(printf, 2, 3)));

int main(int argc, char **argv);

#endif
