/*
 * console.h: where the console goes (kputs, kprintf, panics, skiff:hal's consoleWrite).
 * Normally the 16550 UART. With devchannel=serial on the command line the UART carries
 * the development channel (cloud-hypervisor's --serial socket=…, whose --console has no
 * socket backend), and the console moves to the first virtio-console port (--console tty).
 */
#ifndef SKIFF_CONSOLE_H
#define SKIFF_CONSOLE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct virtio_console;

void hal_console_put(const uint8_t *bytes, size_t n);
/* Waits (bounded) until the console's bytes are out: before power-off. */
void hal_console_flush(void);
/* devchannel=serial: the UART becomes a channel device (devices.c), the console virtio-console. */
void hal_console_use_serial_channel(void);
bool hal_console_serial_is_channel(void);
/* There is no virtio-console to take the console: it stays on the UART (what waited is written there). */
void hal_console_cancel_serial_channel(void);
/* The virtio-console port the console writes to from now on (devices.c, serial-channel mode). */
void hal_console_attach(struct virtio_console *port);
/* The ready-set bit of the UART channel while it has bytes waiting, else 0 (hal_wait polls it). */
uint64_t hal_console_channel_ready(void);
/* The UART channel's device index once it has one (devices.c). */
void hal_console_set_channel_index(unsigned index);
#endif
