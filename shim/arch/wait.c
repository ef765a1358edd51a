/*
 * wait.c: hal_wait(deadline), the only way the kernel sleeps. Interrupts are off
 * everywhere else; here the CPU halts with them on until the LAPIC timer or a device
 * interrupt arrives — and, while the UART carries the development channel (console.h),
 * at least every millisecond to look at its line status. "sti; hlt" is atomic (STI's
 * one-instruction shadow), so an interrupt cannot slip in between and leave us halted
 * past the deadline.
 */
#include "clock.h"
#include "console.h"
#include "lapic.h"
#include "paging.h"
#include "shim.h"
#include "traps.h"
#include "wait.h"

/* How often a sleep looks at the UART when it carries the development channel (it has no interrupt). */
#define SERIAL_POLL_NS 1000000ull

uint64_t hal_wait(uint64_t deadline_ns) {
  hal_paging_refresh_tlb(hal_clock_now_ns());
  for (;;) {
    uint64_t ready = hal_irq_pending | hal_console_channel_ready();
    if (ready) {
      hal_irq_pending = 0;
      return ready;
    }
    uint64_t now = hal_clock_now_ns();
    if (now >= deadline_ns) return 0;
    uint64_t wake = deadline_ns;
    if (hal_console_serial_is_channel() && (wake == HAL_WAIT_FOREVER || wake > now + SERIAL_POLL_NS)) wake = now + SERIAL_POLL_NS;
    if (wake != HAL_WAIT_FOREVER) hal_lapic_timer_arm(wake);
    __asm__ volatile("sti; hlt; cli" ::: "memory");
    hal_lapic_timer_disarm();
  }
}
