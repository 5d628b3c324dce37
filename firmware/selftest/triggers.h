/* Debug-trigger CSRs (Sdtrig: tselect 0x7a0, tdata1-3 0x7a1-0x7a3, tinfo 0x7a4) and the tdata1 fields the
 * trigger self-tests write, as the Debug Specification 1.0 lays them out. */
#ifndef SV39SIM_SELFTEST_TRIGGERS_H
#define SV39SIM_SELFTEST_TRIGGERS_H

#include <stdint.h>

#define csrr_num(num)                                        \
  ({                                                         \
    uint64_t v_;                                             \
    __asm__ volatile("csrr %0, " #num : "=r"(v_)::"memory"); \
    v_;                                                      \
  })
#define csrw_num(num, val) __asm__ volatile("csrw " #num ", %0" ::"r"((uint64_t)(val)) : "memory")
#define tselect_w(v) csrw_num(0x7a0, v)
#define tselect_r() csrr_num(0x7a0)
#define tdata1_w(v) csrw_num(0x7a1, v)
#define tdata1_r() csrr_num(0x7a1)
#define tdata2_w(v) csrw_num(0x7a2, v)
#define tdata2_r() csrr_num(0x7a2)
#define tdata3_w(v) csrw_num(0x7a3, v)
#define tdata3_r() csrr_num(0x7a3)
#define tinfo_r() csrr_num(0x7a4)

#define TYPE(t) ((uint64_t)(t) << 60)
#define T_LOAD (1UL << 0)
#define T_STORE (1UL << 1)
#define T_EXEC (1UL << 2)
#define T_U (1UL << 3)
#define T_S (1UL << 4)
#define T_M (1UL << 6)

#endif
