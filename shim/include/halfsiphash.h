#pragma once
#include <stddef.h>
#include <stdint.h>

/* HalfSipHash-2-4, 32-bit tag: the reference output bytes read as a little-endian word. */
uint32_t hal_halfsiphash24(const uint8_t key[8], const uint8_t *message, size_t length);
