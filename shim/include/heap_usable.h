#ifndef SKIFF_HEAP_USABLE_H
#define SKIFF_HEAP_USABLE_H
/*
 * heap_usable.h: malloc_usable_size as an inline read of the block's header, force-included
 * into QuickJS's objects (the Makefile's -include). QuickJS asks it on every malloc, free and
 * realloc for its memory accounting, about 1200 times an HTTP request, and a call into
 * heap.c cost more than the read. The layout is heap.c's (struct header: the usable size in
 * the 8 bytes before the payload), which asserts it. The shim's own code calls heap.c's.
 */
#include <stddef.h>
#include <stdint.h>

static inline size_t skiff_malloc_usable_size(void *payload) {
  return payload ? (size_t)((const uint64_t *)payload)[-1] : 0;
}
#define malloc_usable_size skiff_malloc_usable_size
#endif
