/*
 * heap_test.c: the shim's allocator (shim/mm/heap.c), compiled for the host and driven
 * with a seeded random mix shaped like QuickJS's (mostly small blocks, some large
 * arrays grown by realloc). Checks after every step: 16-byte alignment, usable size ≥
 * request, contents intact (each block is filled with a pattern from its id and
 * verified before it is freed or moved), heapUsed equal to the sum of usable sizes, and
 * that the region can be handed out again once everything is freed.
 * Usage: heap_test SEED OPERATIONS   (prints "ok …" and the rate, exit 1 on failure)
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "heap.h"

void *heap_malloc(size_t);
void heap_free(void *);
void *heap_realloc(void *, size_t);
size_t heap_usable_size(void *);

static uint64_t seed;
static uint64_t next_random(void) { /* xorshift64* */
  seed ^= seed >> 12, seed ^= seed << 25, seed ^= seed >> 27;
  return seed * 2685821657736338717ull;
}

_Noreturn void panic(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fprintf(stderr, "heap panic: ");
  vfprintf(stderr, fmt, ap);
  fprintf(stderr, "\n");
  exit(1);
}

#define FAIL(...) do { fprintf(stderr, "FAIL (seed %llu, op %ld): ", (unsigned long long)start_seed, op); \
  fprintf(stderr, __VA_ARGS__); fprintf(stderr, "\n"); exit(1); } while (0)

#define SLOTS 4096
struct slot { uint8_t *p; size_t size; uint8_t tag; };
static struct slot slots[SLOTS];

static void fill(struct slot *s) { memset(s->p, s->tag, s->size); }
static int intact(const struct slot *s) {
  for (size_t i = 0; i < s->size; i++) if (s->p[i] != s->tag) return 0;
  return 1;
}

static size_t random_size(void) {
  uint64_t r = next_random() % 1000;
  if (r < 900) return 1 + next_random() % 128;      /* objects, shapes, short strings */
  if (r < 990) return 129 + next_random() % 4000;   /* longer strings, small arrays */
  return 16384 + next_random() % (512 * 1024);      /* large arrays and buffers */
}

int main(int argc, char **argv) {
  uint64_t start_seed = argc > 1 ? strtoull(argv[1], 0, 10) : 1;
  long operations = argc > 2 ? atol(argv[2]) : 1000000, op = 0;
  seed = start_seed ? start_seed : 1;
  size_t region_size = 256u << 20;
  void *region = aligned_alloc(4096, region_size);
  hal_heap_init((uintptr_t)region, (uintptr_t)region + region_size);

  /* Correctness pass: verify everything as we go. */
  int64_t expected_used = 0;
  for (op = 0; op < operations; op++) {
    struct slot *s = &slots[next_random() % SLOTS];
    if (s->p && next_random() % 4 == 0) { /* realloc */
      if (!intact(s)) FAIL("block %p changed under us", (void *)s->p);
      size_t size = random_size(), keep = size < s->size ? size : s->size;
      expected_used -= (int64_t)heap_usable_size(s->p);
      uint8_t *q = heap_realloc(s->p, size);
      if (!q) FAIL("realloc(%zu) failed", size);
      for (size_t i = 0; i < keep; i++) if (q[i] != s->tag) FAIL("realloc lost byte %zu", i);
      s->p = q, s->size = size, s->tag = (uint8_t)next_random();
    } else if (s->p) { /* free */
      if (!intact(s)) FAIL("block %p changed under us", (void *)s->p);
      expected_used -= (int64_t)heap_usable_size(s->p);
      heap_free(s->p);
      s->p = NULL;
      continue;
    } else {
      s->size = random_size();
      s->p = heap_malloc(s->size);
      if (!s->p) FAIL("malloc(%zu) failed with %lld used", s->size, (long long)hal_heap_stats()->used);
      s->tag = (uint8_t)next_random();
    }
    if ((uintptr_t)s->p % 16) FAIL("%p is not 16-byte aligned", (void *)s->p);
    if (heap_usable_size(s->p) < s->size) FAIL("usable %zu < %zu", heap_usable_size(s->p), s->size);
    expected_used += (int64_t)heap_usable_size(s->p);
    fill(s);
    if (hal_heap_stats()->used != expected_used) FAIL("heapUsed %lld, expected %lld",
        (long long)hal_heap_stats()->used, (long long)expected_used);
  }
  for (int i = 0; i < SLOTS; i++) if (slots[i].p) {
    if (!intact(&slots[i])) FAIL("block %d changed under us", i);
    heap_free(slots[i].p);
    slots[i].p = NULL;
  }
  if (hal_heap_stats()->used != 0) FAIL("heapUsed %lld after freeing everything", (long long)hal_heap_stats()->used);
  /* Everything large was coalesced back: one block of half the region must fit. */
  void *big = heap_malloc(region_size / 2);
  if (!big) FAIL("cannot allocate half the region after freeing everything");
  heap_free(big);

  /* Rate pass: a QuickJS-like churn of small malloc/free pairs, no checking. */
  struct timespec t0, t1;
  long pairs = operations;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  for (long i = 0; i < pairs; i++) {
    struct slot *s = &slots[next_random() % SLOTS];
    if (s->p) heap_free(s->p);
    s->p = heap_malloc(1 + next_random() % 128);
  }
  clock_gettime(CLOCK_MONOTONIC, &t1);
  double seconds = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
  printf("ok seed=%llu operations=%ld rate=%.0f malloc+free/s\n", (unsigned long long)start_seed, operations,
         pairs / seconds);
  return 0;
}
