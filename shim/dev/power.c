/*
 * power.c: power-off with an exit status, tried in this order:
 *   1. qemu's isa-debug-exit, when the command line names its port (debug_exit=0xf4):
 *      writing v makes qemu exit with status 2v+1, and we write v = code + 1, so
 *      the status is 2·code + 3 — never 0 (plain shutdown) or 1 (qemu's own errors);
 *   2. ACPI S5: SLEEP_CONTROL_REG on hardware-reduced platforms, else PM1a_CNT;
 *   3. port 0x600 ← 0x34, cloud-hypervisor's documented shutdown register, in case
 *      its tables could not be read.
 * cloud-hypervisor cannot carry the status: the kernel prints it on the console.
 */
#include "acpi.h"
#include "clock.h"
#include "console.h"
#include "power.h"
#include "serial.h"
#include "shim.h"

#define SLP_EN_PM1 (1u << 13)
#define SLP_EN_HW_REDUCED (1u << 5)
#define DEBUG_EXIT_MAX 126

static uint16_t debug_exit_port;

void hal_power_set_debug_exit(uint16_t port) { debug_exit_port = port; }

/* A VMM may act on a power-off write after the instruction has retired (qemu's GED
 * requests the shutdown from its main loop): give it time before trying the next way. */
static void settle(void) {
  if (!hal_clock_tsc_hz()) { /* before the clock is up (an early panic): a plain spin */
    for (volatile uint32_t i = 0; i < 20000000; i++) __asm__ volatile("pause");
    return;
  }
  uint64_t end = hal_clock_now_ns() + 200000000ull;
  while (hal_clock_now_ns() < end) __asm__ volatile("pause");
}

_Noreturn void hal_power_off(int code) {
  __asm__ volatile("cli");
  if (code < 0) code = EXIT_SHIM_FAILED;
  hal_console_flush(); /* the last lines say why we stopped: let them out first */
  if (debug_exit_port) outl(debug_exit_port, (uint32_t)(code > DEBUG_EXIT_MAX ? DEBUG_EXIT_MAX : code) + 1);
  const struct acpi_power *acpi = hal_acpi_power();
  uint8_t sleep = (uint8_t)((acpi->s5_slp_typ & 7) << 2 | SLP_EN_HW_REDUCED);
  if (acpi->found && acpi->sleep_control && acpi->sleep_control_mmio)
    *(volatile uint8_t *)acpi->sleep_control = sleep; /* below 4 GiB: mapped uncached */
  else if (acpi->found && acpi->sleep_control)
    outb((uint16_t)acpi->sleep_control, sleep);
  else if (acpi->found && acpi->pm1a_cnt)
    outw((uint16_t)acpi->pm1a_cnt, (uint16_t)((acpi->s5_slp_typ & 7) << 10 | SLP_EN_PM1));
  settle();
  outb(0x600, 0x34);
  settle();
  kputs("skiff: power-off failed; halting\n");
  for (;;) __asm__ volatile("cli; hlt");
}
