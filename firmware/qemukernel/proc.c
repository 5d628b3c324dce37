/* Runs one program at a time to completion: its image is copied from disk into freshly allocated pages
 * through the kernel's direct mapping, then entered at USER_BASE through sret, with no FENCE.I: on QEMU
 * (and any RISC-V with coherent instruction fetch, such as Spike) the new bytes run as written. The
 * freshly allocated pages are usually the ones the previous program executed from (kalloc is LIFO and
 * uvmfree frees the first code page last), which the loader reports. */
#include "disk.h"
#include "kernel.h"

int kctx_save(uint64_t ctx[14]) __attribute__((returns_twice));
void kctx_resume(uint64_t ctx[14]) __attribute__((noreturn));

#define MAX_PAGES 16

static struct disk_directory dir;
static uint64_t scheduler_ctx[14];
static struct trapframe* trapframe;
static pagetable_t pagetable;
static int exit_status;

struct trapframe* current_trapframe(void) {
  return trapframe;
}
pagetable_t current_pagetable(void) {
  return pagetable;
}

void proc_exit(int status) {
  exit_status = status;
  kctx_resume(scheduler_ctx);
}

void load_directory(void) {
  static uint8_t sector[SECTOR_SIZE];
  virtio_disk_rw(sector, 0, 0);
  memcpy(&dir, sector, sizeof dir);
  if (dir.magic != DISK_MAGIC || dir.files > DISK_MAX_FILES) panic("disk: no program directory");
  kprintf("disk: %u programs, scratch sector %u\n", dir.files, dir.scratch_sector);
}

uint32_t scratch_sector(void) {
  return dir.scratch_sector;
}

static const struct disk_file* lookup(const char* name) {
  for (uint32_t i = 0; i < dir.files; i++)
    if (!strncmp(dir.file[i].name, name, sizeof dir.file[i].name)) return &dir.file[i];
  return 0;
}

int run_program(const char* name) {
  const struct disk_file* f = lookup(name);
  if (!f) panic("run_program: no such program");
  uint64_t npages = PGROUNDUP((uint64_t)f->memory_size) / PGSIZE;
  if (npages == 0 || npages > MAX_PAGES || f->file_size > f->memory_size || f->entry < USER_BASE ||
      f->entry >= USER_BASE + f->memory_size)
    panic("run_program: bad image");

  /* The image pages first, so they are the pages the last program freed last. */
  uint64_t page[MAX_PAGES];
  int reused = 0;
  for (uint64_t i = 0; i < npages; i++) {
    page[i] = (uint64_t)kalloc();
    if (!page[i]) panic("run_program: out of memory");
    reused += held_executed_code(page[i]);
    memset((void*)page[i], 0, PGSIZE);
  }
  static uint8_t sector[SECTOR_SIZE];
  for (uint64_t off = 0; off < f->file_size; off += SECTOR_SIZE) {
    virtio_disk_rw(sector, f->first_sector + off / SECTOR_SIZE, 0);
    uint64_t n = f->file_size - off < SECTOR_SIZE ? f->file_size - off : SECTOR_SIZE;
    /* A sector never straddles two pages: both are aligned and PGSIZE is a multiple of SECTOR_SIZE. */
    memcpy((void*)(page[off / PGSIZE] + off % PGSIZE), sector, n);
  }

  trapframe = kalloc();
  uint64_t stack = (uint64_t)kalloc();
  if (!trapframe || !stack) panic("run_program: out of memory");
  memset(trapframe, 0, PGSIZE);
  pagetable = uvmcreate((uint64_t)trapframe);
  if (!pagetable) panic("run_program: out of memory");
  for (uint64_t i = 0; i < npages; i++)
    if (mappages(pagetable, USER_BASE + i * PGSIZE, PGSIZE, page[i], PTE_U | PTE_R | PTE_W | PTE_X))
      panic("run_program: out of memory");
  /* One unmapped guard page between the image and the stack. */
  uint64_t stack_va = USER_BASE + (npages + 1) * PGSIZE;
  if (mappages(pagetable, stack_va, PGSIZE, stack, PTE_U | PTE_R | PTE_W))
    panic("run_program: out of memory");
  trapframe->epc = f->entry;
  trapframe->sp = stack_va + PGSIZE;

  kprintf("exec %s: %u bytes in %lu pages, %d of them held code that ran before\n", name, f->file_size,
          npages, reused);
  if (!kctx_save(scheduler_ctx)) usertrapret();

  for (uint64_t i = 0; i < npages; i++) mark_executed(page[i]);
  kfree(trapframe);
  uvmfree(pagetable, npages + 1);
  trapframe = 0;
  pagetable = 0;
  kprintf("%s exited with status %d\n", name, exit_status);
  return exit_status;
}
