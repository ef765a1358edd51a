/* hal_js.h: what the skiff:hal function tables share (hal_module.c, hal_devices.c). */
#ifndef SKIFF_HAL_JS_H
#define SKIFF_HAL_JS_H
#include <stddef.h>
#include <stdint.h>
#include "quickjs.h"

/* Frees what JS_GetOwnPropertyNames returned (QuickJS 2025-04-26 has no public JS_FreePropertyEnum). */
void hal_js_free_property_enum(JSContext *ctx, JSPropertyEnum *props, uint32_t count);
/* The bytes of a Uint8Array argument, or NULL with a TypeError pending. */
uint8_t *hal_js_uint8(JSContext *ctx, JSValueConst value, size_t *length, const char *fn);
/* bootImage(): PVH module 0 as a Uint8Array over its own memory, or undefined (hal_image.c). */
JSValue hal_boot_image_js(JSContext *ctx, JSValueConst this, int argc, JSValueConst *argv);
/* App `name`'s bytecode in the boot image: 1 with data and size, 0 when there is no image or
 * it has no such app, -1 with an exception pending when the image is refused (hal_image.c). */
int hal_image_app_bytecode(JSContext *ctx, const char *name, const uint8_t **data, uint32_t *size);
/* The watchdog (hal_watchdog.c): the runtime's interrupt handler, and runWithDeadline(deadlineNs, fn). */
int hal_watchdog_interrupt(JSRuntime *rt, void *opaque);
JSValue hal_run_with_deadline(JSContext *ctx, JSValueConst this, int argc, JSValueConst *argv);
/* The sampling profiler (hal_profile.c): profileStart/profileStop, the interrupt handler's
 * poll, and the marks around hal.wait that keep sleep out of the profile. */
JSValue hal_profile_start(JSContext *ctx, JSValueConst this, int argc, JSValueConst *argv);
JSValue hal_profile_stop(JSContext *ctx, JSValueConst this, int argc, JSValueConst *argv);
void hal_profile_poll(void);
void hal_profile_wait_begin(void);
void hal_profile_wait_end(void);
/* asciiEncode/asciiDecode (hal_text.c), added to skiff:hal beside the core ones. */
extern const JSCFunctionListEntry hal_text_functions[];
extern const int hal_text_function_count;
/* The device functions, added to skiff:hal beside the core ones. */
extern const JSCFunctionListEntry hal_device_functions[];
extern const int hal_device_function_count;
#endif
