/* System-call stubs: ecall with a7 = number, arguments in a0..a5, result in a0 (abi.h). */
#include "ulib.h"

static inline long syscall6(long n, long a0, long a1, long a2, long a3, long a4, long a5) {
  register long r_a0 __asm__("a0") = a0;
  register long r_a1 __asm__("a1") = a1;
  register long r_a2 __asm__("a2") = a2;
  register long r_a3 __asm__("a3") = a3;
  register long r_a4 __asm__("a4") = a4;
  register long r_a5 __asm__("a5") = a5;
  register long r_a7 __asm__("a7") = n;
  __asm__ volatile("ecall"
                   : "+r"(r_a0)
                   : "r"(r_a1), "r"(r_a2), "r"(r_a3), "r"(r_a4), "r"(r_a5), "r"(r_a7)
                   : "memory");
  return r_a0;
}

void sys_exit(int code) {
  syscall6(SYS_exit, code, 0, 0, 0, 0, 0);
  for (;;) {
  }
}
long sys_write(int fd, const void *buf, uint64_t len) {
  return syscall6(SYS_write, fd, (long)buf, (long)len, 0, 0, 0);
}
long sys_getpid(void) { return syscall6(SYS_getpid, 0, 0, 0, 0, 0, 0); }
long sys_yield(void) { return syscall6(SYS_yield, 0, 0, 0, 0, 0, 0); }
void *sys_sbrk(int64_t increment) { return (void *)syscall6(SYS_sbrk, increment, 0, 0, 0, 0, 0); }
void *sys_mmap(void *hint, uint64_t len, int prot, int flags, const char *file) {
  return (void *)syscall6(SYS_mmap, (long)hint, (long)len, prot, flags, (long)file, 0);
}
long sys_munmap(void *addr, uint64_t len) { return syscall6(SYS_munmap, (long)addr, (long)len, 0, 0, 0, 0); }
long sys_fork(void) { return syscall6(SYS_fork, 0, 0, 0, 0, 0, 0); }
long sys_wait(int *status) { return syscall6(SYS_wait, (long)status, 0, 0, 0, 0, 0); }
long sys_faults(struct fault_counts *out) { return syscall6(SYS_faults, (long)out, 0, 0, 0, 0, 0); }
long sys_getargs(char *buf, uint64_t len) { return syscall6(SYS_getargs, (long)buf, (long)len, 0, 0, 0, 0); }
long sys_expect_kill(void) { return syscall6(SYS_expect_kill, 0, 0, 0, 0, 0, 0); }
