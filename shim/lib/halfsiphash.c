/*
 * halfsiphash.c: HalfSipHash-2-4 with a 32-bit tag (Aumasson and Bernstein; the reduced
 * SipHash Linux uses as hsiphash), the keyed hash behind TCP's initial sequence numbers
 * (RFC 6528; kernel-ts/net/tcp/isn.ts). Twelve SipRounds are a few hundred instructions
 * here and about 850 bytecodes in QuickJS. kernel-ts/hal/halfsiphash.ts is the same
 * function in TypeScript; the HAL conformance checks hold both to the reference vectors.
 */
#include "halfsiphash.h"

static uint32_t rotl(uint32_t x, int b) { return (x << b) | (x >> (32 - b)); }

static uint32_t load_le32(const uint8_t *p) {
  return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

struct sip { uint32_t v0, v1, v2, v3; };

static void rounds(struct sip *s, int count) {
  for (int i = 0; i < count; i++) {
    s->v0 += s->v1; s->v1 = rotl(s->v1, 5); s->v1 ^= s->v0; s->v0 = rotl(s->v0, 16);
    s->v2 += s->v3; s->v3 = rotl(s->v3, 8); s->v3 ^= s->v2;
    s->v0 += s->v3; s->v3 = rotl(s->v3, 7); s->v3 ^= s->v0;
    s->v2 += s->v1; s->v1 = rotl(s->v1, 13); s->v1 ^= s->v2; s->v2 = rotl(s->v2, 16);
  }
}

uint32_t hal_halfsiphash24(const uint8_t key[8], const uint8_t *message, size_t length) {
  uint32_t k0 = load_le32(key), k1 = load_le32(key + 4);
  struct sip s = { k0, k1, 0x6c796765u ^ k0, 0x74656462u ^ k1 };
  size_t whole = length - length % 4;
  for (size_t at = 0; at < whole; at += 4) {
    uint32_t m = load_le32(message + at);
    s.v3 ^= m;
    rounds(&s, 2);
    s.v0 ^= m;
  }
  uint32_t last = (uint32_t)(length & 0xff) << 24;
  for (size_t at = whole; at < length; at++) last |= (uint32_t)message[at] << (8 * (at - whole));
  s.v3 ^= last;
  rounds(&s, 2);
  s.v0 ^= last;
  s.v2 ^= 0xff;
  rounds(&s, 4);
  return s.v1 ^ s.v3;
}
