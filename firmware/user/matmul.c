/* matmul n=M
 * u64 matrices in heap memory (sbrk): A[i][j] = (i*M + j) % 97 + 1, B[i][j] = (3*i + 5*j) % 89 + 1,
 * C = A*B (mod 2^64). Self-check: Σ C == Σ_k (Σ_i A[i][k]) * (Σ_j B[k][j]).
 * Result: sum = Σ_ij C[i][j], trace = Σ_i C[i][i]. */
#include "ulib.h"

int main(int argc, char **argv) {
  uint64_t n = arg_u64(argc, argv, "n", 32);
  if (n == 0 || n > 1024) fail("matmul", "n must be in 1..1024");
  uint64_t bytes = 3 * n * n * 8;
  uint64_t *a = alloc_pages((bytes + PAGE_SIZE - 1) / PAGE_SIZE);
  if (!a) fail("matmul", "sbrk of %lu bytes failed", bytes);
  uint64_t *b = a + n * n, *c = b + n * n;
  struct fault_counts before, after;
  faults_snapshot(&before);
  for (uint64_t i = 0; i < n; i++)
    for (uint64_t j = 0; j < n; j++) {
      a[i * n + j] = (i * n + j) % 97 + 1;
      b[i * n + j] = (3 * i + 5 * j) % 89 + 1;
    }
  for (uint64_t i = 0; i < n; i++)
    for (uint64_t j = 0; j < n; j++) {
      uint64_t s = 0;
      for (uint64_t k = 0; k < n; k++) s += a[i * n + k] * b[k * n + j];
      c[i * n + j] = s;
    }
  uint64_t sum = 0, trace = 0, check = 0;
  for (uint64_t i = 0; i < n; i++) {
    trace += c[i * n + i];
    for (uint64_t j = 0; j < n; j++) sum += c[i * n + j];
  }
  for (uint64_t k = 0; k < n; k++) {
    uint64_t col = 0, row = 0;
    for (uint64_t i = 0; i < n; i++) col += a[i * n + k], row += b[k * n + i];
    check += col * row;
  }
  faults_snapshot(&after);
  if (sum != check) fail("matmul", "sum 0x%lx != row/column check 0x%lx", sum, check);
  printf("matmul: n=%lu sum=0x%016lx trace=0x%016lx minflt=%lu majflt=%lu\n", n, sum, trace,
         after.minor - before.minor, after.major - before.major);
  return 0;
}
