/*
 * wait.c: hal_wait(deadline), the only way the kernel sleeps. Interrupts are off
 * everywhere else; here the CPU halts with them on until the LAPIC timer or a
 * device interrupt arrives. "sti; hlt" is atomic (STI's one-instruction shadow),
 * so an interrupt cannot slip in between and leave us halted past the deadline.
 */
#include "clock.h"
#include "lapic.h"
#include "shim.h"
#include "traps.h"
#include "wait.h"

uint64_t hal_wait(uint64_t deadline_ns) {
  for (;;) {
    uint64_t ready = hal_irq_pending;
    if (ready) {
      hal_irq_pending = 0;
      return ready;
    }
    if (hal_clock_now_ns() >= deadline_ns) return 0;
    if (deadline_ns != HAL_WAIT_FOREVER) hal_lapic_timer_arm(deadline_ns);
    __asm__ volatile("sti; hlt; cli" ::: "memory");
    hal_lapic_timer_disarm();
  }
}
