/*
 * idt.c: the interrupt descriptor table and trap_dispatch.
 *
 * A CPU exception is always fatal here: there is no user mode to blame and no
 * demand paging. The handler prints the vector, error code, RIP, CR2 and every
 * register on the serial console, then powers off with EXIT_CPU_EXCEPTION.
 * Vectors 32–254 are interrupts: the timer only wakes the CPU, device vectors are
 * noted in hal_irq_pending for hal_wait. 255 is the LAPIC's spurious vector.
 */
#include <string.h>
#include "lapic.h"
#include "power.h"
#include "shim.h"
#include "traps.h"

extern const uint64_t trap_stub_table[256];
volatile uint64_t hal_irq_pending;

struct __attribute__((packed)) idt_entry {
  uint16_t offset_low, selector;
  uint8_t ist, type;
  uint16_t offset_mid;
  uint32_t offset_high, reserved;
};
static struct idt_entry idt[256];

static const char *const mnemonics[32] = {
    "#DE", "#DB", "NMI", "#BP", "#OF", "#BR", "#UD", "#NM", "#DF", "?", "#TS", "#NP", "#SS", "#GP", "#PF", "?",
    "#MF", "#AC", "#MC", "#XM", "#VE", "#CP", "?",   "?",   "?",   "?", "?",   "?",   "#HV", "#VC", "#SX", "?"};

void hal_idt_init(void) {
  for (int v = 0; v < 256; v++) {
    uint64_t handler = trap_stub_table[v];
    idt[v] = (struct idt_entry){
        .offset_low = handler & 0xffff,
        .selector = 0x08,
        .ist = v == 8 ? 2 : v < 32 ? 1 : 0,
        .type = 0x8e, /* present, ring 0, 64-bit interrupt gate: IF cleared on entry */
        .offset_mid = handler >> 16 & 0xffff,
        .offset_high = handler >> 32,
    };
  }
  struct __attribute__((packed)) { uint16_t limit; uint64_t base; } pointer = {sizeof idt - 1, (uint64_t)idt};
  __asm__ volatile("lidt %0" ::"m"(pointer));
}

/* The return addresses on the faulting stack, innermost first, by its frame pointers (the
 * shim and QuickJS are built with them): BACKTRACE_SHOWN of them, then how deep the chain
 * went. Host side: addr2line -f -i -e build/skiff.sym.elf ADDRESS… names them. A chain that
 * leaves the kernel stack, or does not move outward, ends the walk. */
#define BACKTRACE_SHOWN 24
static void backtrace(uint64_t fp) {
  extern char kernel_stack_bottom[], kernel_stack_top[];
  uint64_t bottom = (uint64_t)kernel_stack_bottom, top = (uint64_t)kernel_stack_top;
  unsigned depth = 0;
  kprintf("skiff: backtrace (frame pointers; addr2line -f -i -e build/skiff.sym.elf):");
  while (fp >= bottom && fp + 16 <= top && (fp & 7) == 0) {
    const uint64_t *frame = (const uint64_t *)fp;
    if (depth < BACKTRACE_SHOWN) kprintf(" 0x%lx", (unsigned long)frame[1]);
    depth++;
    if (frame[0] <= fp) break;
    fp = frame[0];
  }
  kprintf(depth > BACKTRACE_SHOWN ? " ... %u frames in all\n" : " (%u frames)\n", depth);
}

static _Noreturn void cpu_exception(const struct trap_frame *f) {
  uint64_t cr2, cr3;
  __asm__ volatile("mov %%cr2, %0" : "=r"(cr2));
  __asm__ volatile("mov %%cr3, %0" : "=r"(cr3));
  kprintf("\nskiff: CPU EXCEPTION %lu (%s) error=0x%lx rip=0x%lx cr2=0x%lx\n", (unsigned long)f->vector,
          mnemonics[f->vector], (unsigned long)f->error, (unsigned long)f->rip, (unsigned long)cr2);
  kprintf("rax=0x%016lx rbx=0x%016lx rcx=0x%016lx rdx=0x%016lx\n", f->rax, f->rbx, f->rcx, f->rdx);
  kprintf("rsi=0x%016lx rdi=0x%016lx rbp=0x%016lx rsp=0x%016lx\n", f->rsi, f->rdi, f->rbp, f->rsp);
  kprintf("r8 =0x%016lx r9 =0x%016lx r10=0x%016lx r11=0x%016lx\n", f->r8, f->r9, f->r10, f->r11);
  kprintf("r12=0x%016lx r13=0x%016lx r14=0x%016lx r15=0x%016lx\n", f->r12, f->r13, f->r14, f->r15);
  kprintf("rflags=0x%lx cs=0x%lx ss=0x%lx cr3=0x%lx\n", f->rflags, f->cs, f->ss, cr3);
  backtrace(f->rbp);
  extern char kernel_stack_guard[];
  if (f->vector == 14 && cr2 >= (uint64_t)kernel_stack_guard && cr2 < (uint64_t)kernel_stack_guard + 4096)
    kprintf("skiff: the fault address is the kernel stack's guard page: stack overflow\n");
  hal_power_off(EXIT_CPU_EXCEPTION);
}

void trap_dispatch(struct trap_frame *f) {
  if (f->vector < 32) cpu_exception(f);
  if (f->vector == VECTOR_SPURIOUS) return; /* no EOI for spurious interrupts */
  if (f->vector != VECTOR_TIMER) hal_irq_pending |= 1ull << (f->vector & 63);
  hal_lapic_eoi();
}

/* Recurses until the stack runs into its guard page; the buffer defeats tail calls,
 * and the limit (far beyond the stack's size) only keeps gcc from refusing the code. */
static uint64_t recurse_deeply(uint64_t depth) {
  volatile uint8_t frame[512];
  frame[depth % sizeof frame] = (uint8_t)depth;
  return depth > (1ull << 40) ? depth : recurse_deeply(depth + 1) + frame[0];
}

void hal_trap_selftest(const char *kind) {
  kprintf("skiff: crash=%s requested on the command line\n", kind);
  if (!strcmp(kind, "ud2")) __asm__ volatile("ud2");
  if (!strcmp(kind, "pf")) *(volatile uint64_t *)0xdead0000000ull = 1; /* unmapped */
  if (!strcmp(kind, "gp")) __asm__ volatile("mov %0, %%ds" ::"r"(0x28)); /* no such selector */
  if (!strcmp(kind, "de")) { volatile int zero = 0; kprintf("%d\n", 1 / zero); }
  if (!strcmp(kind, "stack")) kprintf("%lu\n", (unsigned long)recurse_deeply(0));
  kprintf("skiff: unknown crash=%s (ud2, pf, gp, de, stack)\n", kind);
}
