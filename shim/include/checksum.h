#ifndef SKIFF_CHECKSUM_H
#define SKIFF_CHECKSUM_H
#include <stddef.h>
#include <stdint.h>
/* RFC 1071 sum of `bytes` as big-endian words, plus `seed`, folded; not inverted. */
uint16_t hal_checksum(const uint8_t *bytes, size_t length, uint16_t seed);
#endif
