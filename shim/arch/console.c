/* console.c: kprintf/kputs over the serial port, and panic. */
#include <stdio.h>
#include <string.h>
#include "power.h"
#include "serial.h"
#include "shim.h"

void kputs(const char *s) { hal_serial_write((const uint8_t *)s, strlen(s)); }

void kprintf(const char *fmt, ...) {
  char buf[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  kputs(buf);
}

_Noreturn void panic(const char *fmt, ...) {
  char buf[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  kprintf("skiff: SHIM PANIC: %s\n", buf);
  hal_power_off(EXIT_SHIM_FAILED);
}
