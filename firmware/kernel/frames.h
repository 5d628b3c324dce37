/* The user frame pool, reverse maps, working-set pins, swap slots and replacement (frames.c), as the
 * page-fault handler and address-space code in vm.c use them. The design is described at the top of vm.c. */
#ifndef SV39SIM_KERNEL_FRAMES_H
#define SV39SIM_KERNEL_FRAMES_H

#include "kernel.h"

enum { F_FREE, F_BUSY, F_RESIDENT };
struct rmap {
  struct proc* p;
  struct rmap* next;
};
struct frame {
  uint64_t va;
  struct rmap* maps;
  uint32_t nmaps;
  uint8_t state;
  uint8_t dirty;
  uint8_t pins;       /* processes whose working-set minimum holds this frame */
  int32_t slot;       /* the swap slot this frame is a clean copy of (it holds a reference), or -1 */
  int32_t next, prev; /* free list (next) or resident list in load order (FIFO) */
};

extern struct frame* frames;
extern int frame_wait; /* channel: a frame settled (became free or resident) */
extern uint16_t* slot_refs;
extern int32_t* slot_frame;

uint64_t frame_pa(int32_t f);
int32_t pa_frame(uint64_t pa);
void pin(struct proc* p, int32_t f);
void rmap_add(struct frame* fr, struct proc* p);
void slot_get(uint32_t s);
void slot_put(uint32_t s);
void frame_drop_slot(struct frame* fr);
uint64_t slot_block(uint32_t s);
int32_t frame_alloc(struct proc* p);
void frame_free(int32_t f);
void frame_unmap(int32_t f, struct proc* p);
void frame_install(struct proc* p, int32_t f, uint64_t va, uint64_t* pte, uint64_t bits);

/* From vm.c: page-table walk and the per-page fence. */
uint64_t* walk(uint64_t* root, uint64_t va, int alloc);
void tlb_flush_page(struct proc* p, uint64_t va);

#endif
