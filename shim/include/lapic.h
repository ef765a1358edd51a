#ifndef SKIFF_LAPIC_H
#define SKIFF_LAPIC_H
#include <stdint.h>
void hal_lapic_init(void);
void hal_lapic_eoi(void);
uint32_t hal_lapic_id(void); /* this CPU's APIC id, for MSI-X message addresses */
void hal_lapic_timer_arm(uint64_t deadline_ns);
void hal_lapic_timer_disarm(void);
const char *hal_lapic_mode(void);
#endif
