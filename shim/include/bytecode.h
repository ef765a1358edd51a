/* bytecode.h: the QuickJS bytecode the build links in (build/gen/bytecode.c). */
#ifndef SKIFF_BYTECODE_H
#define SKIFF_BYTECODE_H
#include <stdint.h>

struct skiff_bytecode {
  const char *name;     /* "kernel.js", or the app's name */
  const uint8_t *data;  /* JS_WriteObject output of host qjsc */
  uint32_t size;
};

extern const struct skiff_bytecode skiff_kernel_bytecode;
extern const struct skiff_bytecode skiff_app_bytecode[];
extern const unsigned skiff_app_count;
#endif
