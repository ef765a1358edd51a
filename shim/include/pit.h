#ifndef SKIFF_PIT_H
#define SKIFF_PIT_H
#include <stdint.h>
uint64_t hal_pit_measure_tsc_hz(void);
#endif
