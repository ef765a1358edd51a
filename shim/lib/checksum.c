/*
 * checksum.c: the Internet checksum's one's-complement sum (RFC 1071), the one hot loop
 * that belongs in C (an interpreter is ~20× slower at it). Sums 64 bits at a time in
 * native (little-endian) order and swaps at the end: RFC 1071 §2(B), byte-order
 * independence. The result is not inverted; the caller does that.
 */
#include <string.h>
#include "checksum.h"

static uint64_t add_carry(uint64_t sum, uint64_t v) {
  sum += v;
  return sum + (sum < v);
}

uint16_t hal_checksum(const uint8_t *bytes, size_t length, uint16_t seed) {
  uint64_t sum = 0;
  for (; length >= 8; length -= 8, bytes += 8) {
    uint64_t v;
    memcpy(&v, bytes, 8);
    sum = add_carry(sum, v);
  }
  for (; length >= 2; length -= 2, bytes += 2) sum = add_carry(sum, (uint64_t)bytes[0] | (uint64_t)bytes[1] << 8);
  if (length) sum = add_carry(sum, bytes[0]); /* odd byte: the high-order byte of a big-endian word */
  sum = (sum >> 32) + (sum & 0xffffffffu);
  sum = (sum >> 32) + (sum & 0xffffffffu);
  sum = (sum >> 16) + (sum & 0xffff);
  sum = (sum >> 16) + (sum & 0xffff);
  sum = (sum >> 16) + (sum & 0xffff);
  uint16_t native = (uint16_t)sum;
  uint32_t big = (uint32_t)(uint16_t)(native << 8 | native >> 8) + seed; /* back to network order, plus the seed */
  big = (big >> 16) + (big & 0xffff);
  return (uint16_t)((big >> 16) + (big & 0xffff));
}
