#ifndef SKIFF_TRAPS_H
#define SKIFF_TRAPS_H
#include <stdint.h>

/* What traps.S pushes, lowest address first. */
struct trap_frame {
  uint64_t r15, r14, r13, r12, r11, r10, r9, r8, rbp, rdi, rsi, rdx, rcx, rbx, rax;
  uint64_t vector, error;
  uint64_t rip, cs, rflags, rsp, ss; /* pushed by the CPU */
};

#define VECTOR_TIMER 0x20
#define VECTOR_SPURIOUS 0xff

void hal_gdt_init(void);
void hal_idt_init(void);
/* Set by the interrupt handler for device vectors; hal_wait reads and clears it. */
extern volatile uint64_t hal_irq_pending;
/* Triggers a CPU exception on purpose (kernel command line crash=ud2|pf|gp|de|stack). */
void hal_trap_selftest(const char *kind);
#endif
