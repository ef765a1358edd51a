#ifndef SKIFF_CLOCK_H
#define SKIFF_CLOCK_H
#include <stdint.h>
void hal_clock_init(void);
uint64_t hal_clock_now_ns(void);              /* ns since the PVH entry */
uint64_t hal_clock_ns_from_tsc(uint64_t tsc); /* for timestamps taken before init */
uint64_t hal_clock_tsc_from_ns(uint64_t ns);
uint64_t hal_clock_tsc_hz(void);
const char *hal_clock_source(void);
#endif
