/*
 * console.c: kprintf/kputs and panic, over the console (console.h): the serial port, or —
 * when the UART carries the development channel (devchannel=serial) — the first
 * virtio-console port. Until that port is up, its output waits in a small buffer; a panic
 * before then has nowhere else to go and is written to the UART all the same.
 */
#include <stdio.h>
#include <string.h>
#include "clock.h"
#include "console.h"
#include "power.h"
#include "serial.h"
#include "shim.h"
#include "virtio_small.h"

static bool serial_is_channel;
static struct virtio_console *port;
static int channel_index = -1;
static uint8_t early[4096]; /* console bytes before the virtio-console port is up */
static size_t early_length;

#define PORT_WAIT_NS 200000000ull /* a host that stops reading the console loses output after this */

static void port_write(const uint8_t *bytes, size_t n) {
  uint64_t deadline = hal_clock_tsc_hz() ? hal_clock_now_ns() + PORT_WAIT_NS : 0;
  while (n > 0) {
    size_t taken = virtio_console_write(port, bytes, n);
    if (taken == 0) {
      if (!deadline || hal_clock_now_ns() > deadline) return;
      __asm__ volatile("pause");
      continue;
    }
    bytes += taken;
    n -= taken;
  }
}

void hal_console_put(const uint8_t *bytes, size_t n) {
  if (!serial_is_channel) {
    hal_serial_write(bytes, n);
  } else if (port) {
    port_write(bytes, n);
  } else {
    size_t room = sizeof early - early_length;
    size_t count = n < room ? n : room;
    memcpy(early + early_length, bytes, count);
    early_length += count;
  }
}

void hal_console_flush(void) {
  if (port) virtio_console_drain(port, hal_clock_now_ns() + 2000000000ull);
  hal_serial_flush();
}

void hal_console_use_serial_channel(void) { serial_is_channel = true; }
bool hal_console_serial_is_channel(void) { return serial_is_channel; }

void hal_console_cancel_serial_channel(void) {
  serial_is_channel = false;
  hal_serial_write(early, early_length);
  early_length = 0;
}

void hal_console_attach(struct virtio_console *console_port) {
  port = console_port;
  if (early_length) port_write(early, early_length);
  early_length = 0;
}

void hal_console_set_channel_index(unsigned index) { channel_index = (int)index; }

uint64_t hal_console_channel_ready(void) {
  return channel_index >= 0 && hal_serial_rx_ready() ? 1ull << channel_index : 0;
}

void kputs(const char *s) { hal_console_put((const uint8_t *)s, strlen(s)); }

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
  if (serial_is_channel && !port) serial_is_channel = false; /* nowhere else to say it */
  kprintf("skiff: SHIM PANIC: %s\n", buf);
  hal_power_off(EXIT_SHIM_FAILED);
}
