/* Sieve of Eratosthenes below 1000: prints the last few primes and returns how many there are. */
#include "ulib.h"

static char composite[1000];

int main(void) {
  int count = 0, last[5] = {0};
  for (int i = 2; i < 1000; i++) {
    if (composite[i]) continue;
    last[count++ % 5] = i;
    for (int j = i * i; j < 1000; j += i) composite[j] = 1;
  }
  printf("primes: %d below 1000, the last five:", count);
  for (int k = 0; k < 5; k++) printf(" %d", last[(count + k) % 5]);
  printf("\n");
  return count;
}
