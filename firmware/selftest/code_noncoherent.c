// A non-coherent instruction cache (hart.icache_coherent = false): stored code runs only after FENCE.I;
// see smc.h. QEMU's instruction fetch is always coherent.
// sv39sim-args: --set hart.icache_coherent=false
// qemu: skip
#define SMC_COHERENT 0
#include "smc.h"

int main(void) {
  smc_main("code_noncoherent");
}
