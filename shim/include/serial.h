#ifndef SKIFF_SERIAL_H
#define SKIFF_SERIAL_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
void hal_serial_init(void);
void hal_serial_write(const uint8_t *bytes, size_t n);
/* Waits (bounded) until every byte written has left the UART: before power-off. */
void hal_serial_flush(void);
/* The development channel over the UART (devchannel=serial): bytes as they are, both ways. */
void hal_serial_write_raw(const uint8_t *bytes, size_t n);
bool hal_serial_rx_ready(void);
size_t hal_serial_read(uint8_t *out, size_t max);
#endif
