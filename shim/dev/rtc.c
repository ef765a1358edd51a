/*
 * rtc.c: wall-clock time at boot from the CMOS RTC (ports 0x70/0x71), which both
 * cloud-hypervisor and qemu provide. Read twice until two reads agree, outside an
 * update cycle; BCD or binary and 12/24-hour per status register B. UTC assumed
 * (hypervisors set the RTC to UTC by default).
 */
#include "rtc.h"
#include "shim.h"

#define CMOS_INDEX 0x70
#define CMOS_DATA 0x71

static uint8_t cmos(uint8_t reg) {
  outb(CMOS_INDEX, reg | 0x80); /* bit 7: keep NMIs disabled */
  return inb(CMOS_DATA);
}

struct rtc_time { uint8_t sec, min, hour, day, month, year, century; };

static void read_once(struct rtc_time *t) {
  for (int spins = 0; spins < 1000000 && (cmos(0x0a) & 0x80); spins++) /* update in progress */
    ;
  t->sec = cmos(0x00); t->min = cmos(0x02); t->hour = cmos(0x04);
  t->day = cmos(0x07); t->month = cmos(0x08); t->year = cmos(0x09); t->century = cmos(0x32);
}

static uint8_t from_bcd(uint8_t v) { return (uint8_t)((v & 0x0f) + (v >> 4) * 10); }

/* Days from 1970-01-01 to year-month-day (proleptic Gregorian), Howard Hinnant's algorithm. */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  int64_t era = (y >= 0 ? y : y - 399) / 400;
  unsigned yoe = (unsigned)(y - era * 400);
  unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + (int64_t)doe - 719468;
}

int64_t hal_rtc_read_unix_seconds(void) {
  struct rtc_time a, b;
  read_once(&a);
  for (int tries = 0; tries < 5; tries++) {
    read_once(&b);
    if (a.sec == b.sec && a.min == b.min && a.hour == b.hour && a.day == b.day && a.month == b.month &&
        a.year == b.year)
      break;
    a = b;
  }
  uint8_t status_b = cmos(0x0b);
  bool pm = b.hour & 0x80;
  b.hour &= 0x7f;
  if (!(status_b & 0x04)) { /* BCD */
    b.sec = from_bcd(b.sec); b.min = from_bcd(b.min); b.hour = from_bcd(b.hour);
    b.day = from_bcd(b.day); b.month = from_bcd(b.month); b.year = from_bcd(b.year);
    b.century = from_bcd(b.century);
  }
  if (!(status_b & 0x02) && pm) b.hour = (uint8_t)((b.hour % 12) + 12); /* 12-hour clock */
  if (b.month < 1 || b.month > 12 || b.day < 1 || b.day > 31) return 0;
  int64_t year = (b.century >= 19 && b.century <= 30 ? b.century : 20) * 100 + b.year;
  return days_from_civil(year, b.month, b.day) * 86400 + b.hour * 3600 + b.min * 60 + b.sec;
}
