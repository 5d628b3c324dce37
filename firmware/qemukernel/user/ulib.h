/* What the QEMU-style kernel's user programs can call. */
#ifndef QEMUKERNEL_ULIB_H
#define QEMUKERNEL_ULIB_H

#include "fwlib.h"

long write(int fd, const void* buf, unsigned long n);
long read(int fd, void* buf, unsigned long n);
void exit(int status) __attribute__((noreturn));
int printf(const char* fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
