#ifndef SKIFF_CMDLINE_H
#define SKIFF_CMDLINE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
bool hal_cmdline_value(const char *cmdline, const char *key, char *out, size_t cap);
uint64_t hal_parse_uint(const char *s); /* decimal or 0x hex; 0 on junk */
#endif
