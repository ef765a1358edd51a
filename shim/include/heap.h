#ifndef SKIFF_HEAP_H
#define SKIFF_HEAP_H
#include <stdint.h>
struct heap_stats {
  uint64_t total; /* bytes in the region */
  int64_t used;   /* bytes handed out (usable sizes) */
  int64_t peak;
};
void hal_heap_init(uintptr_t start, uintptr_t end);
const struct heap_stats *hal_heap_stats(void);
#endif
