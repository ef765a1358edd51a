/*
 * serial.c: the 16550 UART at 0x3f8 is the kernel console (cloud-hypervisor's
 * --serial tty, qemu's -serial stdio). Output only; polled, because the console
 * must work before interrupts and while panicking. '\n' goes out as "\r\n", like
 * Linux's serial console, so a terminal in raw mode shows lines; hosts drop '\r'.
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
