#ifndef SKIFF_CRC32_H
#define SKIFF_CRC32_H
#include <stddef.h>
#include <stdint.h>
/* CRC-32 (IEEE 802.3, zlib's) of `bytes`: crc32("123456789") = 0xcbf43926. */
uint32_t hal_crc32(const uint8_t *bytes, size_t length);
#endif
