#ifndef SKIFF_RANDOM_H
#define SKIFF_RANDOM_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
void hal_random_init(void);
bool hal_random_fill(uint8_t *bytes, size_t n); /* false: no source, or it kept failing */
const char *hal_random_source(void);
#endif
