/*
 * lapic.c: the local APIC, the only interrupt controller the shim uses (the 8259
 * PIC is masked: cloud-hypervisor has none, and on qemu the firmware leaves the
 * PIT's IRQ 0 routed to vector 8, which would look like a double fault).
 * x2APIC (MSRs) when the CPU offers it, else xAPIC (MMIO at the base in
 * IA32_APIC_BASE). The timer runs in TSC-deadline mode when offered; otherwise
 * one-shot, with its rate measured against the TSC here.
 */
#include "clock.h"
#include "lapic.h"
#include "shim.h"
#include "traps.h"

#define MSR_APIC_BASE 0x1b
#define APIC_BASE_ENABLE (1ull << 11)
#define APIC_BASE_X2 (1ull << 10)
#define MSR_TSC_DEADLINE 0x6e0
#define REG_EOI 0x0b0
#define REG_SVR 0x0f0
#define REG_LVT_TIMER 0x320
#define REG_LVT_LINT0 0x350
#define REG_LVT_LINT1 0x360
#define REG_LVT_ERROR 0x370
#define REG_TIMER_INITIAL 0x380
#define REG_TIMER_CURRENT 0x390
#define REG_TIMER_DIVIDE 0x3e0
#define LVT_MASKED (1u << 16)
#define LVT_TSC_DEADLINE (2u << 17)
#define SVR_ENABLE (1u << 8)

static bool x2apic, tsc_deadline;
static volatile uint32_t *mmio;
static uint64_t timer_hz; /* one-shot mode: timer ticks per second (divide by 16) */

static void write_reg(uint32_t reg, uint32_t v) {
  if (x2apic) wrmsr(0x800 + (reg >> 4), v);
  else mmio[reg / 4] = v;
}

static uint32_t read_reg(uint32_t reg) {
  return x2apic ? (uint32_t)rdmsr(0x800 + (reg >> 4)) : mmio[reg / 4];
}

void hal_lapic_eoi(void) { write_reg(REG_EOI, 0); }

uint32_t hal_lapic_id(void) { return x2apic ? (uint32_t)rdmsr(0x802) : read_reg(0x020) >> 24; }

static void mask_legacy_pic(void) {
  outb(0x21, 0xff);
  outb(0xa1, 0xff);
}

void hal_lapic_init(void) {
  mask_legacy_pic();
  uint32_t r[4];
  cpuid(1, 0, r);
  x2apic = r[2] & (1u << 21);
  tsc_deadline = r[2] & (1u << 24);
  uint64_t base = rdmsr(MSR_APIC_BASE);
  base |= APIC_BASE_ENABLE;
  if (x2apic) base |= APIC_BASE_X2;
  wrmsr(MSR_APIC_BASE, base);
  mmio = (volatile uint32_t *)(uintptr_t)(base & ~0xfffull);

  write_reg(REG_SVR, SVR_ENABLE | VECTOR_SPURIOUS);
  write_reg(REG_LVT_LINT0, LVT_MASKED);
  write_reg(REG_LVT_LINT1, LVT_MASKED);
  write_reg(REG_LVT_ERROR, LVT_MASKED);
  if (tsc_deadline) {
    write_reg(REG_LVT_TIMER, VECTOR_TIMER | LVT_TSC_DEADLINE);
    return;
  }
  /* One-shot: count down from the maximum for 1 ms of TSC to learn the rate. */
  write_reg(REG_TIMER_DIVIDE, 0x3); /* divide by 16 */
  write_reg(REG_LVT_TIMER, VECTOR_TIMER | LVT_MASKED);
  uint64_t end = rdtsc() + hal_clock_tsc_hz() / 1000;
  write_reg(REG_TIMER_INITIAL, 0xffffffffu);
  while (rdtsc() < end) __asm__ volatile("pause");
  timer_hz = (uint64_t)(0xffffffffu - read_reg(REG_TIMER_CURRENT)) * 1000;
  write_reg(REG_TIMER_INITIAL, 0);
  write_reg(REG_LVT_TIMER, VECTOR_TIMER);
  if (!timer_hz) panic("the LAPIC timer does not count");
}

const char *hal_lapic_mode(void) {
  return x2apic ? (tsc_deadline ? "x2apic, tsc-deadline" : "x2apic, one-shot")
                : (tsc_deadline ? "xapic, tsc-deadline" : "xapic, one-shot");
}

void hal_lapic_timer_arm(uint64_t deadline_ns) {
  if (tsc_deadline) {
    __asm__ volatile("mfence" ::: "memory"); /* SDM: order the LVT write before the MSR */
    wrmsr(MSR_TSC_DEADLINE, hal_clock_tsc_from_ns(deadline_ns));
    return;
  }
  uint64_t now = hal_clock_now_ns();
  uint64_t delta = deadline_ns > now ? deadline_ns - now : 1;
  uint64_t ticks = (uint64_t)(((unsigned __int128)delta * timer_hz) / 1000000000u);
  if (ticks == 0) ticks = 1;
  if (ticks > 0xffffffffu) ticks = 0xffffffffu; /* wakes early; the caller waits again */
  write_reg(REG_TIMER_INITIAL, (uint32_t)ticks);
}

void hal_lapic_timer_disarm(void) {
  if (tsc_deadline) wrmsr(MSR_TSC_DEADLINE, 0);
  else write_reg(REG_TIMER_INITIAL, 0);
}
