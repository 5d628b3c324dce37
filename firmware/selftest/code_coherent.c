// Code written by stores runs without FENCE.I (the default, hart.icache_coherent = true, as on QEMU):
// see smc.h.
// qemu-args: -cpu rv64,f=false,d=false,h=false,sstc=false,svpbmt=false,svnapot=false,svinval=false
#define SMC_COHERENT 1
#include "smc.h"

int main(void) {
  smc_main("code_coherent");
}
