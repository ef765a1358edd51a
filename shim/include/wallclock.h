#ifndef SKIFF_WALLCLOCK_H
#define SKIFF_WALLCLOCK_H
#include <stdint.h>
void hal_wallclock_init(int64_t rtc_unix_seconds, uint64_t read_at_ns);
int64_t hal_wallclock_ms(void);
#endif
