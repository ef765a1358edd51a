/* hal_js.h: what the skiff:hal function tables share (hal_module.c, hal_devices.c). */
#ifndef SKIFF_HAL_JS_H
#define SKIFF_HAL_JS_H
#include <stddef.h>
#include <stdint.h>
#include "quickjs.h"

/* The bytes of a Uint8Array argument, or NULL with a TypeError pending. */
uint8_t *hal_js_uint8(JSContext *ctx, JSValueConst value, size_t *length, const char *fn);
/* The device functions, added to skiff:hal beside the core ones. */
extern const JSCFunctionListEntry hal_device_functions[];
extern const int hal_device_function_count;
#endif
