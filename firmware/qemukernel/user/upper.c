/* Reads console lines until "end" and prints each in capitals with its number; returns the number of
 * lines before "end". */
#include "ulib.h"

int main(void) {
  char line[100];
  int lines = 0;
  for (;;) {
    long n = read(0, line, sizeof line - 1);
    if (n <= 0) return -1;
    line[n] = 0;
    if (!strcmp(line, "end\n")) break;
    for (long i = 0; i < n; i++)
      if (line[i] >= 'a' && line[i] <= 'z') line[i] = (char)(line[i] - 'a' + 'A');
    printf("upper %d: %s", ++lines, line);
  }
  return lines;
}
