/*
 * serial.c: the 16550 UART at 0x3f8. Normally the kernel console (cloud-hypervisor's
 * --serial tty, qemu's -serial stdio): output only; polled, because the console must work
 * before interrupts and while panicking. '\n' goes out as "\r\n", like Linux's serial
 * console, so a terminal in raw mode shows lines; hosts drop '\r'.
 *
 * With devchannel=serial the UART is the development channel instead (console.c): bytes
 * go both ways untranslated (hal_serial_write_raw, hal_serial_read), still polled — no
 * IOAPIC route is set up for IRQ 4 — and hal_wait looks at the line status as it sleeps.
 */
#include "clock.h"
#include "serial.h"
#include "shim.h"

#define COM1 0x3f8
#define REG_DATA 0
#define REG_IER 1
#define REG_FCR 2
#define REG_LCR 3
#define REG_MCR 4
#define REG_LSR 5
#define LSR_DATA_READY 0x01
#define LSR_THR_EMPTY 0x20
#define LSR_TRANSMITTER_EMPTY 0x40
#define LCR_DLAB 0x80
#define LCR_8N1 0x03

void hal_serial_init(void) {
  outb(COM1 + REG_IER, 0x00);     /* no interrupts */
  outb(COM1 + REG_LCR, LCR_DLAB); /* divisor latch: 115200 baud */
  outb(COM1 + REG_DATA, 1);
  outb(COM1 + REG_IER, 0);
  outb(COM1 + REG_LCR, LCR_8N1);
  outb(COM1 + REG_FCR, 0xc7);     /* FIFOs on and cleared */
  outb(COM1 + REG_MCR, 0x03);     /* DTR, RTS */
}

/*
 * Waits until the LSR shows `bit`, for at most `limit_ns` once the clock runs (a spin
 * count before). A slow reader on the host side (qemu holds the byte until its chardev
 * takes it) must not lose output, and a UART nobody reads must not hang the machine.
 */
static void wait_lsr(uint8_t bit, uint64_t limit_ns) {
  if (inb(COM1 + REG_LSR) & bit) return;
  if (hal_clock_tsc_hz()) {
    uint64_t deadline = hal_clock_now_ns() + limit_ns;
    while (!(inb(COM1 + REG_LSR) & bit) && hal_clock_now_ns() < deadline) __asm__ volatile("pause");
  } else {
    for (int spins = 0; spins < 1000000 && !(inb(COM1 + REG_LSR) & bit); spins++) __asm__ volatile("pause");
  }
}

#define BYTE_WAIT_NS 200000000ull  /* 200 ms for one byte: a reader that stalls longer loses output */
#define FLUSH_WAIT_NS 2000000000ull /* 2 s for the last bytes before power-off */

static void put_raw(uint8_t c) {
  wait_lsr(LSR_THR_EMPTY, BYTE_WAIT_NS);
  outb(COM1 + REG_DATA, c);
}

void hal_serial_flush(void) {
  /* LSR bit 6 (TEMT): the FIFO and the shift register are both empty. Bounded: a host
   * that stopped reading must not keep the machine from powering off. */
  wait_lsr(LSR_TRANSMITTER_EMPTY, FLUSH_WAIT_NS);
}

void hal_serial_write(const uint8_t *bytes, size_t n) {
  for (size_t i = 0; i < n; i++) {
    if (bytes[i] == '\n') put_raw('\r');
    put_raw(bytes[i]);
  }
}

void hal_serial_write_raw(const uint8_t *bytes, size_t n) {
  for (size_t i = 0; i < n; i++) put_raw(bytes[i]);
}

bool hal_serial_rx_ready(void) { return (inb(COM1 + REG_LSR) & LSR_DATA_READY) != 0; }

/*
 * Up to `max` received bytes; 0 when none is waiting. Once bytes flow it keeps reading
 * through gaps shorter than RX_GAP_NS: qemu refills its 16-byte FIFO from the socket a
 * little after each read, and a 16-byte read per wake-up would crawl.
 */
#define RX_GAP_NS 500000ull
size_t hal_serial_read(uint8_t *out, size_t max) {
  size_t n = 0;
  if (!hal_serial_rx_ready()) return 0;
  uint64_t last = hal_clock_now_ns();
  while (n < max) {
    if (inb(COM1 + REG_LSR) & LSR_DATA_READY) {
      out[n++] = inb(COM1 + REG_DATA);
      last = hal_clock_now_ns();
    } else if (hal_clock_now_ns() - last > RX_GAP_NS) {
      break;
    } else {
      __asm__ volatile("pause");
    }
  }
  return n;
}
