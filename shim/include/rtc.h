#ifndef SKIFF_RTC_H
#define SKIFF_RTC_H
#include <stdint.h>
/* Seconds since the Unix epoch (UTC) from the CMOS RTC; 0 if it reads as nonsense. */
int64_t hal_rtc_read_unix_seconds(void);
#endif
