/* System calls (number in a7, arguments in a0..a2, result in a0): write and read on the console, exit. */
#include "user/syscall.h"

#include "kernel.h"

static int64_t sys_write(struct trapframe* tf) {
  if (tf->a0 != 1 && tf->a0 != 2) return -1;
  uint64_t va = tf->a1, n = tf->a2;
  char chunk[64];
  for (uint64_t done = 0; done < n;) {
    uint64_t m = n - done < sizeof chunk ? n - done : sizeof chunk;
    if (copyin(current_pagetable(), chunk, va + done, m)) return -1;
    for (uint64_t i = 0; i < m; i++) uartputc(chunk[i]);
    done += m;
  }
  return (int64_t)n;
}

static int64_t sys_read(struct trapframe* tf) {
  if (tf->a0 != 0) return -1;
  char line[128];
  int n = (int)(tf->a2 < sizeof line ? tf->a2 : sizeof line);
  int got = console_read(line, n);
  if (copyout(current_pagetable(), tf->a1, line, (uint64_t)got)) return -1;
  return got;
}

void syscall(void) {
  struct trapframe* tf = current_trapframe();
  switch (tf->a7) {
    case SYS_write: tf->a0 = (uint64_t)sys_write(tf); break;
    case SYS_read: tf->a0 = (uint64_t)sys_read(tf); break;
    case SYS_exit: proc_exit((int)tf->a0);
    default: kprintf("unknown system call %ld\n", (long)tf->a7); tf->a0 = (uint64_t)-1;
  }
}
