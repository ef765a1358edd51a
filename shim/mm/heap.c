/*
 * heap.c: malloc for QuickJS and the shim, over one contiguous RAM region.
 *
 * QuickJS's pattern is a very high rate of small malloc/free pairs (objects,
 * shapes, strings), occasional large arrays that grow by realloc, and a
 * malloc_usable_size call on every allocation for its memory accounting. So:
 *
 *   - every block has a 16-byte header {class, magic, usable size}: 16-byte
 *     alignment of every payload, and malloc_usable_size in O(1) (for QuickJS an
 *     inline read of the header: heap_usable.h);
 *   - small sizes (≤ 16 KiB) round up to one of 40 size classes (16-byte steps to
 *     256, then four steps per power of two) and are recycled through one LIFO
 *     free list per class: malloc and free are a few instructions each;
 *   - large blocks are first-fit from an address-ordered free list that coalesces
 *     neighbours, and the block at the top of the region can grow in place;
 *   - fresh memory comes from a bump pointer that large frees can pull back.
 *
 * Interrupt handlers never allocate, so no locking. Running out returns NULL;
 * QuickJS turns that into an "out of memory" exception (and its memory limit,
 * set below the region size, normally fires first).
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include "heap.h"
#include "shim.h"

#define HEADER_SIZE 16
#define SMALL_CLASSES 40
#define SMALL_MAX (16 * KiB)
#define TAG_LARGE 0xffu
#define MAGIC_USED 0x5a1ffu
#define MAGIC_FREE 0xf4eeu
#define LARGE_SPLIT_MIN (SMALL_MAX + HEADER_SIZE)

struct header {
  uint32_t tag;   /* size class, or TAG_LARGE */
  uint32_t magic; /* MAGIC_USED or MAGIC_FREE */
  uint64_t size;  /* usable bytes after the header */
};

struct free_small {
  struct free_small *next;
};

struct free_large { /* lives in the payload of a free large block */
  struct free_large *prev, *next;
};

static uintptr_t region_start, region_end, bump;
static struct free_small *small_free[SMALL_CLASSES];
static struct free_large *large_free; /* sorted by address */
static struct heap_stats stats;

static inline struct header *header_of(void *p) { return (struct header *)((char *)p - HEADER_SIZE); }
static inline void *payload_of(struct header *h) { return (char *)h + HEADER_SIZE; }

static unsigned small_class(size_t size) {
  if (size <= 256) return size <= 16 ? 0 : (unsigned)((size + 15) / 16 - 1);
  uint64_t v = size - 1;
  unsigned p = 63 - (unsigned)__builtin_clzll(v);
  return 16 + (p - 8) * 4 + (unsigned)((v >> (p - 2)) & 3);
}

static size_t class_size(unsigned c) {
  if (c < 16) return (c + 1) * 16;
  unsigned p = (c - 16) / 4 + 8, q = (c - 16) % 4;
  return (size_t)(4 + q + 1) << (p - 2);
}

void hal_heap_init(uintptr_t start, uintptr_t end) {
  region_start = bump = ALIGN_UP(start, 16);
  region_end = ALIGN_DOWN(end, 16);
  stats.total = region_end - region_start;
}

const struct heap_stats *hal_heap_stats(void) { return &stats; }

static struct header *bump_alloc(size_t usable) {
  if (region_end - bump < HEADER_SIZE + usable) return NULL;
  struct header *h = (struct header *)bump;
  bump += HEADER_SIZE + usable;
  return h;
}

static void account(int64_t delta) {
  stats.used += delta;
  if (stats.used > stats.peak) stats.peak = stats.used;
}

static void large_unlink(struct free_large *f) {
  if (f->prev) f->prev->next = f->next; else large_free = f->next;
  if (f->next) f->next->prev = f->prev;
}

static void large_free_block(struct header *h);

static struct header *large_alloc(size_t usable) {
  for (struct free_large *f = large_free; f; f = f->next) {
    struct header *h = header_of(f);
    if (h->size < usable) continue;
    large_unlink(f);
    if (h->size - usable >= LARGE_SPLIT_MIN) { /* give the tail back */
      struct header *rest = (struct header *)((char *)payload_of(h) + usable);
      rest->tag = TAG_LARGE;
      rest->magic = MAGIC_USED;
      rest->size = h->size - usable - HEADER_SIZE;
      h->size = usable;
      large_free_block(rest);
    }
    return h;
  }
  struct header *h = bump_alloc(usable);
  if (h) h->size = usable;
  return h;
}

static void large_free_block(struct header *h) {
  uintptr_t start = (uintptr_t)h;
  struct free_large *prev = NULL, *next = large_free;
  while (next && (uintptr_t)next < start) prev = next, next = next->next;
  /* Merge with the following free block, then with the preceding one. */
  if (next && start + HEADER_SIZE + h->size == (uintptr_t)header_of(next)) {
    h->size += HEADER_SIZE + header_of(next)->size;
    struct free_large *after = next->next;
    large_unlink(next);
    next = after;
  }
  if (prev && (uintptr_t)payload_of(header_of(prev)) + header_of(prev)->size == start) {
    header_of(prev)->size += HEADER_SIZE + h->size;
    h = header_of(prev);
    large_unlink(prev);
    prev = prev->prev;
  }
  if ((uintptr_t)payload_of(h) + h->size == bump) { /* at the top: give it back */
    bump = (uintptr_t)h;
    return;
  }
  struct free_large *f = payload_of(h);
  h->magic = MAGIC_FREE;
  f->prev = prev;
  f->next = prev ? prev->next : large_free;
  if (f->next) f->next->prev = f;
  if (prev) prev->next = f; else large_free = f;
}

void *malloc(size_t size) {
  struct header *h;
  if (size <= SMALL_MAX) {
    unsigned c = small_class(size);
    struct free_small *f = small_free[c];
    if (f) {
      small_free[c] = f->next;
      h = header_of(f);
    } else {
      h = bump_alloc(class_size(c));
      if (!h) return NULL;
      h->tag = c;
      h->size = class_size(c);
    }
  } else {
    if (size > region_end - region_start) return NULL;
    h = large_alloc(ALIGN_UP(size, 16));
    if (!h) return NULL;
    h->tag = TAG_LARGE;
  }
  h->magic = MAGIC_USED;
  account((int64_t)h->size);
  return payload_of(h);
}

void free(void *p) {
  if (!p) return;
  struct header *h = header_of(p);
  if (h->magic != MAGIC_USED)
    panic("heap: free(%p) of a block that is not allocated (magic 0x%x)", p, h->magic);
  account(-(int64_t)h->size);
  if (h->tag == TAG_LARGE) {
    large_free_block(h);
    return;
  }
  ASSERT(h->tag < SMALL_CLASSES);
  h->magic = MAGIC_FREE;
  struct free_small *f = p;
  f->next = small_free[h->tag];
  small_free[h->tag] = f;
}

/* heap_usable.h reads the size this way, inline, for QuickJS: keep the two in step. */
_Static_assert(offsetof(struct header, size) == HEADER_SIZE - sizeof(uint64_t), "the usable size ends the header");
size_t malloc_usable_size(void *p) { return p ? header_of(p)->size : 0; }

void *realloc(void *p, size_t size) {
  if (!p) return malloc(size);
  if (size == 0) { free(p); return NULL; }
  struct header *h = header_of(p);
  if (h->magic != MAGIC_USED) panic("heap: realloc(%p) of a block that is not allocated", p);
  if (size <= h->size && (h->tag != TAG_LARGE || size > SMALL_MAX)) return p;
  size_t grow = ALIGN_UP(size, 16);
  if (h->tag == TAG_LARGE && size > h->size && (uintptr_t)p + h->size == bump &&
      region_end - (uintptr_t)p >= grow) { /* the top block grows in place */
    account((int64_t)(grow - h->size));
    bump = (uintptr_t)p + grow;
    h->size = grow;
    return p;
  }
  void *q = malloc(size);
  if (!q) return NULL;
  memcpy(q, p, h->size < size ? h->size : size);
  free(p);
  return q;
}

void *calloc(size_t n, size_t size) {
  if (size && n > SIZE_MAX / size) return NULL;
  void *p = malloc(n * size);
  if (p) memset(p, 0, n * size);
  return p;
}
