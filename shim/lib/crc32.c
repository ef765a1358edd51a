/*
 * crc32.c: CRC-32 as IEEE 802.3 and zlib define it (reflected polynomial 0xEDB88320,
 * initial value and final XOR 0xFFFFFFFF), the app image's check value. The table is
 * built on first use; kernel-ts/image/crc32.ts computes the same in TypeScript.
 */
#include <stdbool.h>
#include "crc32.h"

static uint32_t table[256];
static bool table_ready;

static void build_table(void) {
  for (uint32_t n = 0; n < 256; n++) {
    uint32_t c = n;
    for (int k = 0; k < 8; k++) c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
    table[n] = c;
  }
  table_ready = true;
}

uint32_t hal_crc32(const uint8_t *bytes, size_t length) {
  if (!table_ready) build_table();
  uint32_t c = 0xffffffffu;
  for (size_t i = 0; i < length; i++) c = table[(c ^ bytes[i]) & 0xff] ^ (c >> 8);
  return c ^ 0xffffffffu;
}
