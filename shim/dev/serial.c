/*
 * serial.c: the 16550 UART at 0x3f8 is the kernel console (cloud-hypervisor's
 * --serial tty, qemu's -serial stdio). Output only; polled, because the console
 * must work before interrupts and while panicking. '\n' goes out as "\r\n", like
 * Linux's serial console, so a terminal in raw mode shows lines; hosts drop '\r'.
 */
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

static void put_raw(uint8_t c) {
  /* Bounded spin: a missing UART reads 0xff (THR empty), a stuck one must not hang us. */
  for (int spins = 0; spins < 100000 && !(inb(COM1 + REG_LSR) & LSR_THR_EMPTY); spins++)
    __asm__ volatile("pause");
  outb(COM1 + REG_DATA, c);
}

void hal_serial_flush(void) {
  /* LSR bit 6 (TEMT): the FIFO and the shift register are both empty. Bounded: a host
   * that stopped reading must not keep the machine from powering off. */
  for (int spins = 0; spins < 1000000 && !(inb(COM1 + REG_LSR) & 0x40); spins++) __asm__ volatile("pause");
}

void hal_serial_write(const uint8_t *bytes, size_t n) {
  for (size_t i = 0; i < n; i++) {
    if (bytes[i] == '\n') put_raw('\r');
    put_raw(bytes[i]);
  }
}
