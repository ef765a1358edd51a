/*
 * hal_module.c: the native module `skiff:hal`, the native implementation of the
 * Platform interface in kernel-ts/hal/platform.ts. One table of functions; each
 * checks its arguments (TypeError / RangeError for misuse) and returns expected
 * outcomes as values. The names and contracts are platform.ts's.
 */
#include <string.h>
#include "boot.h"
#include "bytecode.h"
#include "clock.h"
#include "console.h"
#include "devices.h"
#include "engine.h"
#include "hal_js.h"
#include "heap.h"
#include "power.h"
#include "random.h"
#include "serial.h"
#include "shim.h"
#include "wait.h"
#include "wallclock.h"

#define MAX_IDLE_WAITERS 32
#define MAX_DEFINED_MODULES 16
#define MAX_TRACKED_REJECTIONS 64

static JSValue uint8array_ctor; /* zero-initialised: the int 0, never freed */
static JSValue idle_waiters[MAX_IDLE_WAITERS]; /* resolve functions of yieldToJobs() */
static int idle_count;
static JSValue rejection_handler; /* int 0 until set */
static struct { JSValue promise, reason; } rejections[MAX_TRACKED_REJECTIONS];
static int rejection_count;
static struct { char name[32]; JSValue exports; } defined_modules[MAX_DEFINED_MODULES];
static int defined_count;

uint8_t *hal_js_uint8(JSContext *ctx, JSValueConst value, size_t *length, const char *fn) {
  if (!JS_IsObject(value) || JS_IsInstanceOf(ctx, value, uint8array_ctor) != 1) {
    JS_ThrowTypeError(ctx, "%s: the argument must be a Uint8Array", fn);
    return NULL;
  }
  size_t offset, bytes_per_element;
  JSValue buffer = JS_GetTypedArrayBuffer(ctx, value, &offset, length, &bytes_per_element);
  if (JS_IsException(buffer)) return NULL;
  size_t buffer_size;
  uint8_t *data = JS_GetArrayBuffer(ctx, &buffer_size, buffer);
  JS_FreeValue(ctx, buffer);
  if (!data && *length) {
    JS_ThrowTypeError(ctx, "%s: the Uint8Array's buffer is detached", fn);
    return NULL;
  }
  return data ? data + offset : (uint8_t *)"";
}

static JSValue hal_console_write(JSContext *ctx, JSValueConst this, int argc, JSValueConst *argv) {
  size_t n;
  uint8_t *bytes = hal_js_uint8(ctx, argv[0], &n, "consoleWrite");
  if (!bytes) return JS_EXCEPTION;
  hal_console_put(bytes, n);
  return JS_UNDEFINED;
}

static JSValue hal_cmdline(JSContext *ctx, JSValueConst this, int argc, JSValueConst *argv) {
  return JS_NewString(ctx, hal_boot_info()->cmdline);
}

static JSValue hal_boot_timeline(JSContext *ctx, JSValueConst this, int argc, JSValueConst *argv) {
  const struct timeline_mark *marks;
  unsigned n = hal_timeline(&marks);
  JSValue list = JS_NewArray(ctx);
  for (unsigned i = 0; i < n; i++) {
    JSValue mark = JS_NewObject(ctx);
    JS_SetPropertyStr(ctx, mark, "label", JS_NewString(ctx, marks[i].label));
    JS_SetPropertyStr(ctx, mark, "ns", JS_NewFloat64(ctx, (double)marks[i].ns));
    JS_SetPropertyUint32(ctx, list, i, mark);
  }
  return list;
}

static JSValue hal_memory_stats(JSContext *ctx, JSValueConst this, int argc, JSValueConst *argv) {
  const struct heap_stats *s = hal_heap_stats();
  JSValue stats = JS_NewObject(ctx);
  JS_SetPropertyStr(ctx, stats, "heapTotal", JS_NewFloat64(ctx, (double)s->total));
  JS_SetPropertyStr(ctx, stats, "heapUsed", JS_NewFloat64(ctx, (double)s->used));
  JS_SetPropertyStr(ctx, stats, "heapPeak", JS_NewFloat64(ctx, (double)s->peak));
  JS_SetPropertyStr(ctx, stats, "jsLimit", JS_NewFloat64(ctx, (double)hal_engine_memory_limit()));
  return stats;
}

static JSValue hal_monotonic_ns(JSContext *ctx, JSValueConst this, int argc, JSValueConst *argv) {
  return JS_NewFloat64(ctx, (double)hal_clock_now_ns());
}

static JSValue hal_wall_clock_ms(JSContext *ctx, JSValueConst this, int argc, JSValueConst *argv) {
  return JS_NewFloat64(ctx, (double)hal_wallclock_ms());
}

static JSValue hal_random_fill_js(JSContext *ctx, JSValueConst this, int argc, JSValueConst *argv) {
  size_t n;
  uint8_t *bytes = hal_js_uint8(ctx, argv[0], &n, "randomFill");
  if (!bytes) return JS_EXCEPTION;
  if (!hal_random_fill(bytes, n))
    return JS_ThrowInternalError(ctx, "randomFill: no working random source (the CPU offers no RDRAND/RDSEED)");
  return JS_UNDEFINED;
}

static JSValue hal_wait_js(JSContext *ctx, JSValueConst this, int argc, JSValueConst *argv) {
  if (!JS_IsNumber(argv[0])) return JS_ThrowTypeError(ctx, "wait: the deadline must be a number of nanoseconds");
  double deadline;
  JS_ToFloat64(ctx, &deadline, argv[0]);
  if (deadline != deadline) return JS_ThrowRangeError(ctx, "wait: the deadline is NaN");
  uint64_t target = deadline >= 1.8e19 ? HAL_WAIT_FOREVER : deadline <= 0 ? 0 : (uint64_t)deadline;
  hal_profile_wait_begin();
  uint64_t ready = hal_wait(target);
  hal_profile_wait_end();
  return JS_NewFloat64(ctx, (double)ready);
}

static JSValue hal_yield_to_jobs(JSContext *ctx, JSValueConst this, int argc, JSValueConst *argv) {
  if (idle_count == MAX_IDLE_WAITERS)
    return JS_ThrowRangeError(ctx, "yieldToJobs: more than %d calls are pending", MAX_IDLE_WAITERS);
  JSValue resolving[2];
  JSValue promise = JS_NewPromiseCapability(ctx, resolving);
  if (JS_IsException(promise)) return promise;
  idle_waiters[idle_count++] = resolving[0];
  JS_FreeValue(ctx, resolving[1]);
  return promise;
}

/* drainJobs(): the engine loop's steps, run now (engine.c, hal_engine_drain). */
static JSValue hal_drain_jobs(JSContext *ctx, JSValueConst this, int argc, JSValueConst *argv) {
  hal_engine_drain(ctx);
  return JS_UNDEFINED;
}

int hal_module_resolve_idle(JSContext *ctx) {
  int n = idle_count;
  JSValue waiters[MAX_IDLE_WAITERS];
  memcpy(waiters, idle_waiters, sizeof(JSValue) * n);
  idle_count = 0;
  for (int i = 0; i < n; i++) {
    JSValue r = JS_Call(ctx, waiters[i], JS_UNDEFINED, 0, NULL);
    JS_FreeValue(ctx, r);
    JS_FreeValue(ctx, waiters[i]);
  }
  return n;
}

/* A promise settled with `value`, or rejected with the pending exception. */
static JSValue settled(JSContext *ctx, JSValue value, bool reject) {
  JSValue resolving[2];
  JSValue promise = JS_NewPromiseCapability(ctx, resolving);
  if (JS_IsException(promise)) { JS_FreeValue(ctx, value); return promise; }
  JSValue r = JS_Call(ctx, resolving[reject ? 1 : 0], JS_UNDEFINED, 1, (JSValueConst *)&value);
  JS_FreeValue(ctx, r);
  JS_FreeValue(ctx, value);
  JS_FreeValue(ctx, resolving[0]);
  JS_FreeValue(ctx, resolving[1]);
  return promise;
}

static JSValue return_namespace(JSContext *ctx, JSValueConst this, int argc, JSValueConst *argv, int magic,
                                JSValue *data) {
  return JS_DupValue(ctx, data[0]);
}

/* Evaluates app bytecode in a new app context (app_context.c): a promise of its namespace. */
static JSValue evaluate_app(JSContext *ctx, const uint8_t *data, size_t size, JSValueConst globals) {
  /* The app's code holds its context (each function its realm); ours is dropped on return. */
  JSContext *app_ctx = hal_app_context_new(ctx, globals);
  if (!app_ctx) return settled(ctx, JS_GetException(ctx), true);
  JSValue module = JS_ReadObject(app_ctx, data, size, JS_READ_OBJ_BYTECODE);
  if (JS_IsException(module) || JS_ResolveModule(app_ctx, module) < 0) {
    JS_FreeValue(app_ctx, module);
    JS_FreeContext(app_ctx);
    return settled(ctx, JS_GetException(ctx), true);
  }
  JSModuleDef *def = JS_VALUE_GET_PTR(module);
  JSValue evaluation = JS_EvalFunction(app_ctx, module);
  if (JS_IsException(evaluation)) { JS_FreeContext(app_ctx); return settled(ctx, JS_GetException(ctx), true); }
  JSValue namespace = JS_GetModuleNamespace(app_ctx, def);
  JS_FreeContext(app_ctx);
  if (JS_IsException(namespace)) { JS_FreeValue(ctx, evaluation); return settled(ctx, JS_GetException(ctx), true); }
  JSValue on_fulfilled = JS_NewCFunctionData(ctx, return_namespace, 0, 0, 1, &namespace);
  JS_FreeValue(ctx, namespace);
  JSValue then = JS_GetPropertyStr(ctx, evaluation, "then");
  JSValue result = JS_Call(ctx, then, evaluation, 1, (JSValueConst *)&on_fulfilled);
  JS_FreeValue(ctx, then);
  JS_FreeValue(ctx, on_fulfilled);
  JS_FreeValue(ctx, evaluation);
  return result;
}

/* The boot image's /app/NAME.bc first (hal_image.c), then the apps linked into the ELF. */
JSValue hal_module_load_app(JSContext *ctx, const char *name, JSValueConst globals) {
  struct skiff_bytecode found = {name, NULL, 0};
  int in_image = hal_image_app_bytecode(ctx, name, &found.data, &found.size);
  if (in_image < 0) return settled(ctx, JS_GetException(ctx), true);
  const struct skiff_bytecode *app = in_image ? &found : NULL;
  for (unsigned i = 0; !app && i < skiff_app_count; i++)
    if (!strcmp(skiff_app_bytecode[i].name, name)) app = &skiff_app_bytecode[i];
  if (!app) return settled(ctx, JS_NewString(ctx, "not-found"), false);
  return evaluate_app(ctx, app->data, app->size, globals);
}

/* evaluateApp(name, code, globals): bytecode from the development channel. QuickJS reads
 * bytecode without verifying it; the version byte at least must be this engine's. */
static JSValue hal_evaluate_app(JSContext *ctx, JSValueConst this, int argc, JSValueConst *argv) {
  if (!JS_IsString(argv[0])) return JS_ThrowTypeError(ctx, "evaluateApp: the name must be a string");
  if (!JS_IsUndefined(argv[2]) && !JS_IsObject(argv[2])) return JS_ThrowTypeError(ctx, "evaluateApp: the globals must be an object");
  size_t size;
  uint8_t *code = hal_js_uint8(ctx, argv[1], &size, "evaluateApp");
  if (!code) return JS_EXCEPTION;
  int ours = skiff_kernel_bytecode.data[0];
  if (size == 0 || code[0] != ours) {
    JS_ThrowRangeError(ctx, "evaluateApp: the code is not bytecode of this engine (version byte %d, the engine's is %d)",
                       size ? code[0] : -1, ours);
    return settled(ctx, JS_GetException(ctx), true);
  }
  return evaluate_app(ctx, code, size, argv[2]);
}

static JSValue hal_load_app(JSContext *ctx, JSValueConst this, int argc, JSValueConst *argv) {
  if (!JS_IsString(argv[0])) return JS_ThrowTypeError(ctx, "loadApp: the name must be a string");
  if (!JS_IsUndefined(argv[1]) && !JS_IsObject(argv[1])) return JS_ThrowTypeError(ctx, "loadApp: the globals must be an object");
  const char *name = JS_ToCString(ctx, argv[0]);
  if (!name) return JS_EXCEPTION;
  JSValue result = hal_module_load_app(ctx, name, argv[1]);
  JS_FreeCString(ctx, name);
  return result;
}

static JSValue hal_on_unhandled_rejection(JSContext *ctx, JSValueConst this, int argc, JSValueConst *argv) {
  if (!JS_IsFunction(ctx, argv[0])) return JS_ThrowTypeError(ctx, "onUnhandledRejection: the handler must be a function");
  JS_FreeValue(ctx, rejection_handler);
  rejection_handler = JS_DupValue(ctx, argv[0]);
  return JS_UNDEFINED;
}

/* QuickJS calls this when a promise is rejected with no handler (is_handled 0)
 * and when a handler is attached later (1). Like Node, we report only what is
 * still unhandled once the job queue has run empty. */
void hal_module_track_rejection(JSContext *ctx, JSValueConst promise, JSValueConst reason, int is_handled) {
  if (is_handled) {
    for (int i = 0; i < rejection_count; i++) {
      if (JS_VALUE_GET_PTR(rejections[i].promise) != JS_VALUE_GET_PTR(promise)) continue;
      JS_FreeValue(ctx, rejections[i].promise);
      JS_FreeValue(ctx, rejections[i].reason);
      rejections[i] = rejections[--rejection_count];
      return;
    }
    return;
  }
  if (rejection_count == MAX_TRACKED_REJECTIONS) hal_module_report_rejections(ctx);
  rejections[rejection_count].promise = JS_DupValue(ctx, promise);
  rejections[rejection_count].reason = JS_DupValue(ctx, reason);
  rejection_count++;
}

int hal_module_report_rejections(JSContext *ctx) {
  int n = rejection_count;
  for (int i = 0; i < n; i++) {
    JSValue reason = rejections[i].reason;
    if (JS_IsFunction(ctx, rejection_handler)) {
      JSValue r = JS_Call(ctx, rejection_handler, JS_UNDEFINED, 1, (JSValueConst *)&reason);
      if (JS_IsException(r)) JS_FreeValue(ctx, JS_GetException(ctx));
      JS_FreeValue(ctx, r);
    } else {
      const char *text = JS_ToCString(ctx, reason);
      kprintf("skiff: unhandled promise rejection: %s\n", text ? text : "?");
      JS_FreeCString(ctx, text);
    }
    JS_FreeValue(ctx, rejections[i].promise);
    JS_FreeValue(ctx, reason);
  }
  rejection_count = 0;
  return n;
}

/* ---- defineModule: `skiff:*` modules the kernel provides to apps -------------------- */

static int find_defined(const char *name) {
  for (int i = 0; i < defined_count; i++)
    if (!strcmp(defined_modules[i].name, name)) return i;
  return -1;
}

/* "skiff:" then a lower-case letter and up to 24 of [a-z0-9_-]: as kernel-ts/hal/defined_modules.ts. */
static bool valid_module_name(const char *name) {
  if (strncmp(name, "skiff:", 6) || !strcmp(name, "skiff:hal")) return false;
  const char *p = name + 6;
  if (*p < 'a' || *p > 'z') return false;
  size_t n = 0;
  for (; *p; p++, n++)
    if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_' || *p == '-')) return false;
  return n <= 25;
}

static JSValue hal_define_module(JSContext *ctx, JSValueConst this, int argc, JSValueConst *argv) {
  if (!JS_IsString(argv[0])) return JS_ThrowTypeError(ctx, "defineModule: the name must be a string");
  if (!JS_IsObject(argv[1])) return JS_ThrowTypeError(ctx, "defineModule: the exports must be an object");
  const char *name = JS_ToCString(ctx, argv[0]);
  if (!name) return JS_EXCEPTION;
  JSValue result = JS_UNDEFINED;
  int at = find_defined(name);
  if (!valid_module_name(name))
    result = JS_ThrowRangeError(ctx, "defineModule: '%s' is not a name apps may import (skiff:NAME, not skiff:hal)", name);
  else if (at < 0 && defined_count == MAX_DEFINED_MODULES)
    result = JS_ThrowRangeError(ctx, "defineModule: more than %d modules", MAX_DEFINED_MODULES);
  else {
    if (at < 0) {
      at = defined_count++;
      strcpy(defined_modules[at].name, name);
    } else {
      JS_FreeValue(ctx, defined_modules[at].exports);
    }
    defined_modules[at].exports = JS_DupValue(ctx, argv[1]);
  }
  JS_FreeCString(ctx, name);
  return result;
}

/* QuickJS 2025-04-26 has no public JS_FreePropertyEnum: free each atom, then the array. */
void hal_js_free_property_enum(JSContext *ctx, JSPropertyEnum *props, uint32_t count) {
  for (uint32_t i = 0; i < count; i++) JS_FreeAtom(ctx, props[i].atom);
  js_free(ctx, props);
}

/* Copies the defining object's own enumerable properties into the module's exports. */
static int defined_module_init(JSContext *ctx, JSModuleDef *m) {
  JSAtom atom = JS_GetModuleName(ctx, m);
  const char *name = JS_AtomToCString(ctx, atom);
  JS_FreeAtom(ctx, atom);
  int at = name ? find_defined(name) : -1;
  JS_FreeCString(ctx, name);
  if (at < 0) return -1;
  JSPropertyEnum *props;
  uint32_t count;
  JSValueConst exports = defined_modules[at].exports;
  if (JS_GetOwnPropertyNames(ctx, &props, &count, exports, JS_GPN_STRING_MASK | JS_GPN_ENUM_ONLY)) return -1;
  int failed = 0;
  for (uint32_t i = 0; i < count && !failed; i++) {
    const char *key = JS_AtomToCString(ctx, props[i].atom);
    JSValue value = JS_GetProperty(ctx, exports, props[i].atom);
    failed = !key || JS_IsException(value) || JS_SetModuleExport(ctx, m, key, value) < 0;
    JS_FreeCString(ctx, key);
  }
  hal_js_free_property_enum(ctx, props, count);
  return failed ? -1 : 0;
}

JSModuleDef *hal_module_create_defined(JSContext *ctx, const char *name) {
  int at = find_defined(name);
  if (at < 0) return NULL;
  JSModuleDef *m = JS_NewCModule(ctx, name, defined_module_init);
  if (!m) return NULL;
  JSPropertyEnum *props;
  uint32_t count;
  if (JS_GetOwnPropertyNames(ctx, &props, &count, defined_modules[at].exports, JS_GPN_STRING_MASK | JS_GPN_ENUM_ONLY))
    return NULL;
  for (uint32_t i = 0; i < count; i++) {
    const char *key = JS_AtomToCString(ctx, props[i].atom);
    if (key) JS_AddModuleExport(ctx, m, key);
    JS_FreeCString(ctx, key);
  }
  hal_js_free_property_enum(ctx, props, count);
  return m;
}

static JSValue hal_poweroff(JSContext *ctx, JSValueConst this, int argc, JSValueConst *argv) {
  int32_t code;
  if (!JS_IsNumber(argv[0])) return JS_ThrowTypeError(ctx, "poweroff: the code must be a number");
  JS_ToInt32(ctx, &code, argv[0]);
  if (code < 0 || code > 255) return JS_ThrowRangeError(ctx, "poweroff: the code %d is outside 0–255", code);
  hal_devices_quiesce(500000000ull); /* frames and bytes already handed over still go out */
  hal_power_off(code);
}

static const JSCFunctionListEntry hal_functions[] = {
    JS_PROP_STRING_DEF("name", "native", 0),
    JS_CFUNC_DEF("consoleWrite", 1, hal_console_write),
    JS_CFUNC_DEF("cmdline", 0, hal_cmdline),
    JS_CFUNC_DEF("bootTimeline", 0, hal_boot_timeline),
    JS_CFUNC_DEF("memoryStats", 0, hal_memory_stats),
    JS_CFUNC_DEF("monotonicNs", 0, hal_monotonic_ns),
    JS_CFUNC_DEF("wallClockMs", 0, hal_wall_clock_ms),
    JS_CFUNC_DEF("randomFill", 1, hal_random_fill_js),
    JS_CFUNC_DEF("wait", 1, hal_wait_js),
    JS_CFUNC_DEF("yieldToJobs", 0, hal_yield_to_jobs),
    JS_CFUNC_DEF("drainJobs", 0, hal_drain_jobs),
    JS_CFUNC_DEF("bootImage", 0, hal_boot_image_js),
    JS_CFUNC_DEF("loadApp", 2, hal_load_app),
    JS_CFUNC_DEF("evaluateApp", 3, hal_evaluate_app),
    JS_CFUNC_DEF("onUnhandledRejection", 1, hal_on_unhandled_rejection),
    JS_CFUNC_DEF("poweroff", 1, hal_poweroff),
    JS_CFUNC_DEF("defineModule", 2, hal_define_module),
    JS_CFUNC_DEF("runWithDeadline", 2, hal_run_with_deadline),
    JS_CFUNC_DEF("profileStart", 1, hal_profile_start),
    JS_CFUNC_DEF("profileStop", 0, hal_profile_stop),
};

static int hal_module_init(JSContext *ctx, JSModuleDef *m) {
  if (JS_SetModuleExportList(ctx, m, hal_functions, ARRAY_SIZE(hal_functions))) return -1;
  if (JS_SetModuleExportList(ctx, m, hal_text_functions, hal_text_function_count)) return -1;
  return JS_SetModuleExportList(ctx, m, hal_device_functions, hal_device_function_count);
}

JSModuleDef *hal_module_create(JSContext *ctx) {
  JSValue global = JS_GetGlobalObject(ctx);
  JS_FreeValue(ctx, uint8array_ctor);
  uint8array_ctor = JS_GetPropertyStr(ctx, global, "Uint8Array");
  JS_FreeValue(ctx, global);
  JSModuleDef *m = JS_NewCModule(ctx, "skiff:hal", hal_module_init);
  if (m) {
    JS_AddModuleExportList(ctx, m, hal_functions, ARRAY_SIZE(hal_functions));
    JS_AddModuleExportList(ctx, m, hal_text_functions, hal_text_function_count);
    JS_AddModuleExportList(ctx, m, hal_device_functions, hal_device_function_count);
  }
  return m;
}
