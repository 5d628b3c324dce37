/* hello: prints "hello from pid N" and exits 0. */
#include "ulib.h"

int main(int argc, char **argv) {
  (void)argc, (void)argv;
  printf("hello from pid %ld\n", sys_getpid());
  return 0;
}
