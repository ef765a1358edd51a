/*
 * clock.c: the monotonic clock, from the TSC.
 *
 * Frequency, first source that answers:
 *   1. CPUID leaf 0x40000010 (TSC kHz), which cloud-hypervisor and KVM offer when
 *      the host TSC is invariant;
 *   2. calibration against PIT channel 0, read back with latch commands (qemu,
 *      including microvm, which has no port 0x61 for the usual channel-2 trick;
 *      cloud-hypervisor has no PIT at all, hence source 1 first);
 *   3. CPUID leaf 0x15 (crystal ratio) when it gives a crystal frequency.
 * The origin is the TSC stamped by entry.S at the PVH entry.
 */
#include "clock.h"
#include "pit.h"
#include "shim.h"

extern uint64_t boot_tsc;
static uint64_t tsc_hz;
static uint64_t ns_per_tick_q32; /* nanoseconds per TSC tick, 32.32 fixed point */
static const char *tsc_source = "none";

static uint64_t tsc_hz_from_hypervisor(void) {
  uint32_t r[4];
  cpuid(1, 0, r);
  if (!(r[2] & (1u << 31))) return 0; /* not running on a hypervisor that says so */
  cpuid(0x40000000, 0, r);
  if (r[0] < 0x40000010) return 0;
  cpuid(0x40000010, 0, r);
  return (uint64_t)r[0] * 1000;
}

static uint64_t tsc_hz_from_crystal(void) {
  uint32_t r[4];
  cpuid(0, 0, r);
  if (r[0] < 0x15) return 0;
  cpuid(0x15, 0, r); /* eax = denominator, ebx = numerator, ecx = crystal Hz */
  if (!r[0] || !r[1] || !r[2]) return 0;
  return (uint64_t)r[2] * r[1] / r[0];
}

void hal_clock_init(void) {
  if ((tsc_hz = tsc_hz_from_hypervisor())) tsc_source = "cpuid-0x40000010";
  else if ((tsc_hz = hal_pit_measure_tsc_hz())) tsc_source = "pit";
  else if ((tsc_hz = tsc_hz_from_crystal())) tsc_source = "cpuid-0x15";
  else panic("no way to learn the TSC frequency (no CPUID 0x40000010, no PIT, no CPUID 0x15)");
  ns_per_tick_q32 = (uint64_t)(((unsigned __int128)1000000000 << 32) / tsc_hz);
}

uint64_t hal_clock_tsc_hz(void) { return tsc_hz; }
const char *hal_clock_source(void) { return tsc_source; }

uint64_t hal_clock_ns_from_tsc(uint64_t tsc) {
  return (uint64_t)(((unsigned __int128)(tsc - boot_tsc) * ns_per_tick_q32) >> 32);
}

uint64_t hal_clock_tsc_from_ns(uint64_t ns) {
  return boot_tsc + (uint64_t)(((unsigned __int128)ns * tsc_hz) / 1000000000u);
}

uint64_t hal_clock_now_ns(void) { return hal_clock_ns_from_tsc(rdtsc()); }
