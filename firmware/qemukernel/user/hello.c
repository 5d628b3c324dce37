/* Prints through write and printf and returns 42. */
#include "ulib.h"

int main(void) {
  static const char greeting[] = "hello: written with the write system call\n";
  write(1, greeting, sizeof greeting - 1);
  printf("hello: printf from user mode, main at %p\n", (void*)main);
  return 42;
}
