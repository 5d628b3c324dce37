/* Sv39 page-table entry bits (privileged spec, "Sv39"), for every image that builds page tables. */
#ifndef SV39SIM_PTE_H
#define SV39SIM_PTE_H

#define PTE_V (1UL << 0)
#define PTE_R (1UL << 1)
#define PTE_W (1UL << 2)
#define PTE_X (1UL << 3)
#define PTE_U (1UL << 4)
#define PTE_G (1UL << 5)
#define PTE_A (1UL << 6)
#define PTE_D (1UL << 7)
#define PTE_PPN_SHIFT 10

#endif
