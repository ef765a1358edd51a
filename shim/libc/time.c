/*
 * time.c: gettimeofday and localtime_r for QuickJS's Date. The wall clock is the
 * RTC reading at boot plus the monotonic clock since. There are no time zones in
 * the guest: local time is UTC (QuickJS reads only tm_gmtoff from localtime_r).
 */
#include <sys/time.h>
#include <time.h>
#include "clock.h"
#include "shim.h"
#include "wallclock.h"

static int64_t boot_unix_ns; /* wall-clock time at monotonic 0 */

void hal_wallclock_init(int64_t rtc_unix_seconds, uint64_t read_at_ns) {
  boot_unix_ns = rtc_unix_seconds * 1000000000ll - (int64_t)read_at_ns;
}

int64_t hal_wallclock_ms(void) { return (boot_unix_ns + (int64_t)hal_clock_now_ns()) / 1000000; }

int gettimeofday(struct timeval *restrict tv, void *restrict tz) {
  int64_t ns = boot_unix_ns + (int64_t)hal_clock_now_ns();
  tv->tv_sec = ns / 1000000000;
  tv->tv_usec = ns % 1000000000 / 1000;
  return 0;
}

struct tm *localtime_r(const time_t *restrict t, struct tm *restrict out) {
  int64_t days = *t / 86400, secs = *t % 86400;
  if (secs < 0) secs += 86400, days--;
  /* civil_from_days (Howard Hinnant) */
  int64_t z = days + 719468, era = (z >= 0 ? z : z - 146096) / 146097;
  unsigned doe = (unsigned)(z - era * 146097);
  unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  unsigned mp = (5 * doy + 2) / 153;
  unsigned d = doy - (153 * mp + 2) / 5 + 1, m = mp < 10 ? mp + 3 : mp - 9;
  int64_t y = (int64_t)yoe + era * 400 + (m <= 2);
  *out = (struct tm){.tm_sec = (int)(secs % 60), .tm_min = (int)(secs / 60 % 60), .tm_hour = (int)(secs / 3600),
                     .tm_mday = (int)d, .tm_mon = (int)m - 1, .tm_year = (int)(y - 1900),
                     .tm_wday = (int)((days % 7 + 11) % 7), .tm_isdst = 0, .tm_gmtoff = 0};
  return out;
}
