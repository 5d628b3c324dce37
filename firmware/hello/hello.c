/* The default firmware until the pager kernel exists: greets, shows where it runs, passes. */
#include "runtime.h"

int main(void) {
  rt_printf("Hello from sv39sim firmware on hart %lu\n", read_csr(mhartid));
  rt_printf("%s %d %u 0x%08x %5d|%-5s|\n", "printf check:", -42, 42u, 0xbeefu, 7, "ab");
  return 0;
}
