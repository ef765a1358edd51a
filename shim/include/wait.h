#ifndef SKIFF_WAIT_H
#define SKIFF_WAIT_H
#include <stdint.h>
#define HAL_WAIT_FOREVER UINT64_MAX
/* Returns the ready set (bit per device vector), 0 when the deadline passed. */
uint64_t hal_wait(uint64_t deadline_ns);
#endif
