/*
 * string.c: the string and memory functions QuickJS and the shim call.
 * Built like the rest of the shim, but gcc must not recognise these loops as
 * memset/memcpy and turn them into calls to themselves: the Makefile adds
 * -fno-builtin -fno-tree-loop-distribute-patterns for shim/libc/.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* Word-at-a-time loops rather than "rep movsb": under qemu's TCG every iteration of
 * a rep-prefixed string instruction is a trip through the translator's helper, so the
 * plain loop is several times faster there, and no slower with KVM for our sizes. */
void *memcpy(void *restrict dst, const void *restrict src, size_t n) {
  unsigned char *d = dst;
  const unsigned char *s = src;
  for (; n >= 8; n -= 8, d += 8, s += 8) {
    uint64_t w;
    __builtin_memcpy(&w, s, 8); /* a single unaligned load: not a call */
    __builtin_memcpy(d, &w, 8);
  }
  while (n--) *d++ = *s++;
  return dst;
}

void *memmove(void *dst, const void *src, size_t n) {
  unsigned char *d = dst;
  const unsigned char *s = src;
  if (d == s || n == 0) return dst;
  if (d < s || d >= s + n) return memcpy(dst, src, n);
  /* Overlapping with dst above src: copy backwards. */
  while (n >= 8) {
    n -= 8;
    uint64_t w;
    __builtin_memcpy(&w, s + n, 8);
    __builtin_memcpy(d + n, &w, 8);
  }
  while (n--) d[n] = s[n];
  return dst;
}

void *memset(void *dst, int c, size_t n) {
  unsigned char *d = dst;
  uint64_t w = 0x0101010101010101ull * (unsigned char)c;
  for (; n >= 8; n -= 8, d += 8) __builtin_memcpy(d, &w, 8);
  while (n--) *d++ = (unsigned char)c;
  return dst;
}

int memcmp(const void *a, const void *b, size_t n) {
  const unsigned char *x = a, *y = b;
  for (; n; n--, x++, y++)
    if (*x != *y) return *x - *y;
  return 0;
}

void *memchr(const void *p, int c, size_t n) {
  const unsigned char *s = p;
  for (; n; n--, s++)
    if (*s == (unsigned char)c) return (void *)s;
  return NULL;
}

size_t strlen(const char *s) {
  const char *p = s;
  while (*p) p++;
  return (size_t)(p - s);
}

int strcmp(const char *a, const char *b) {
  while (*a && *a == *b) a++, b++;
  return (unsigned char)*a - (unsigned char)*b;
}

int strncmp(const char *a, const char *b, size_t n) {
  for (; n; n--, a++, b++) {
    if (*a != *b) return (unsigned char)*a - (unsigned char)*b;
    if (!*a) return 0;
  }
  return 0;
}

char *strchr(const char *s, int c) {
  for (;; s++) {
    if (*s == (char)c) return (char *)s;
    if (!*s) return NULL;
  }
}

char *strrchr(const char *s, int c) {
  const char *last = NULL;
  for (;; s++) {
    if (*s == (char)c) last = s;
    if (!*s) return (char *)last;
  }
}
