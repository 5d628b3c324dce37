/* System call numbers shared by the QEMU-style kernel and its user programs. */
#ifndef QEMUKERNEL_SYSCALL_H
#define QEMUKERNEL_SYSCALL_H

#define SYS_write 1
#define SYS_read 2
#define SYS_exit 3

#endif
