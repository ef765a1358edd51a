#ifndef SKIFF_SERIAL_H
#define SKIFF_SERIAL_H
#include <stddef.h>
#include <stdint.h>
void hal_serial_init(void);
void hal_serial_write(const uint8_t *bytes, size_t n);
/* Waits (bounded) until every byte written has left the UART: before power-off. */
void hal_serial_flush(void);
#endif
