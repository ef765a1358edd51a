/*
 * pit.c: measures the TSC frequency against the 8254 PIT's channel 0 (1.193182 MHz),
 * reading the counter back with latch commands. Used only when the hypervisor does
 * not state the TSC frequency (qemu under TCG). Returns 0 when no PIT answers.
 */
#include "pit.h"
#include "shim.h"

#define PIT_HZ 1193182u
#define PIT_CH0 0x40
#define PIT_CMD 0x43
#define MEASURE_TICKS 2386 /* 2 ms: ±1 tick is ±0.04%, and boot time matters */

static uint16_t read_counter(void) {
  outb(PIT_CMD, 0x00); /* latch channel 0 */
  uint8_t lo = inb(PIT_CH0);
  uint8_t hi = inb(PIT_CH0);
  return (uint16_t)(hi << 8 | lo);
}

uint64_t hal_pit_measure_tsc_hz(void) {
  outb(PIT_CMD, 0x34); /* channel 0, lobyte/hibyte, mode 2 (rate generator), binary */
  outb(PIT_CH0, 0xff);
  outb(PIT_CH0, 0xff);
  uint16_t start = read_counter();
  uint64_t tsc0 = rdtsc();
  /* A missing PIT reads 0xffff forever: give up after a while. */
  for (uint32_t spins = 0;; spins++) {
    uint16_t now = read_counter();
    uint32_t elapsed = (uint16_t)(start - now); /* mode 2 counts down from 0xffff */
    if (elapsed >= MEASURE_TICKS && elapsed < 0x8000) {
      uint64_t tsc1 = rdtsc();
      return (tsc1 - tsc0) * PIT_HZ / elapsed;
    }
    if (spins > 2000000 && elapsed == 0) return 0;
    if (spins > 50000000) return 0;
  }
}
