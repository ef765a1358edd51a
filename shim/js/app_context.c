/*
 * app_context.c: the QuickJS context each app runs in.
 *
 * An app context (QuickJS patch 0005, JS_NewContextSharingIntrinsics) shares the kernel's
 * intrinsics — Object, Array, Uint8Array, Promise and their prototypes are the very same
 * objects — and has its own global object and its own module list. So objects cross between
 * kernel and app with no realm mismatch, while what an app puts on globalThis stays its own,
 * and each app (each version of an app, during a reload) links its own modules.
 *
 * The global object of an app holds the standard globals as they were when the engine
 * started, before any kernel code ran (a snapshot taken by hal_app_context_init), then the
 * kernel's app API: the own enumerable properties of the `globals` object the kernel passes
 * to loadApp (console, timers, the web globals; kernel-ts/globals.ts). Nothing else of the
 * kernel's is reachable from it: `skiff:hal` is refused to app contexts (hal_context_is_app),
 * and Function() and indirect eval compile in the caller's context (patch 0005).
 */
#include <string.h>
#include "engine.h"
#include "hal_js.h"
#include "shim.h"

#define MAX_INTRINSIC_GLOBALS 96

static struct { JSAtom atom; JSValue value; int flags; } intrinsics[MAX_INTRINSIC_GLOBALS];
static int intrinsic_count;
static const char app_marker; /* an app context's opaque points here */

void hal_app_context_init(JSContext *kernel) {
  JSValue global = JS_GetGlobalObject(kernel);
  JSAtom global_this = JS_NewAtom(kernel, "globalThis");
  JSPropertyEnum *props;
  uint32_t count;
  if (JS_GetOwnPropertyNames(kernel, &props, &count, global, JS_GPN_STRING_MASK | JS_GPN_SYMBOL_MASK))
    panic("app contexts: cannot list the engine's standard globals");
  for (uint32_t i = 0; i < count; i++) {
    if (props[i].atom == global_this) continue; /* each context has its own */
    JSPropertyDescriptor desc;
    if (JS_GetOwnProperty(kernel, &desc, global, props[i].atom) != 1) continue;
    if (intrinsic_count == MAX_INTRINSIC_GLOBALS) panic("app contexts: more than %d standard globals", MAX_INTRINSIC_GLOBALS);
    int flags = (desc.flags & (JS_PROP_WRITABLE | JS_PROP_CONFIGURABLE | JS_PROP_ENUMERABLE)) |
                JS_PROP_HAS_WRITABLE | JS_PROP_HAS_CONFIGURABLE | JS_PROP_HAS_ENUMERABLE | JS_PROP_HAS_VALUE;
    if (desc.flags & JS_PROP_GETSET) panic("app contexts: the standard global #%u is an accessor", i);
    intrinsics[intrinsic_count].atom = JS_DupAtom(kernel, props[i].atom);
    intrinsics[intrinsic_count].value = desc.value; /* keeps the reference */
    intrinsics[intrinsic_count].flags = flags;
    intrinsic_count++;
  }
  hal_js_free_property_enum(kernel, props, count);
  JS_FreeAtom(kernel, global_this);
  JS_FreeValue(kernel, global);
}

int hal_context_is_app(JSContext *ctx) { return JS_GetContextOpaque(ctx) == &app_marker; }

/* Defines `globals`' own enumerable properties on `global` as installGlobals does on the kernel's. */
static int define_app_api(JSContext *app, JSValueConst global, JSValueConst globals) {
  JSPropertyEnum *props;
  uint32_t count;
  if (JS_GetOwnPropertyNames(app, &props, &count, globals, JS_GPN_STRING_MASK | JS_GPN_ENUM_ONLY)) return -1;
  int failed = 0;
  for (uint32_t i = 0; i < count && !failed; i++) {
    JSValue value = JS_GetProperty(app, globals, props[i].atom);
    failed = JS_IsException(value) ||
             JS_DefinePropertyValue(app, global, props[i].atom, value, JS_PROP_WRITABLE | JS_PROP_CONFIGURABLE) < 0;
  }
  hal_js_free_property_enum(app, props, count);
  return failed ? -1 : 0;
}

JSContext *hal_app_context_new(JSContext *kernel, JSValueConst globals) {
  JSContext *app = JS_NewContextSharingIntrinsics(kernel);
  if (!app) {
    JS_ThrowOutOfMemory(kernel);
    return NULL;
  }
  JS_SetContextOpaque(app, (void *)&app_marker);
  JSValue global = JS_GetGlobalObject(app);
  int failed = 0;
  for (int i = 0; i < intrinsic_count && !failed; i++)
    failed = JS_DefineProperty(app, global, intrinsics[i].atom, intrinsics[i].value, JS_UNDEFINED, JS_UNDEFINED,
                               intrinsics[i].flags) < 0;
  if (!failed && JS_IsObject(globals)) failed = define_app_api(app, global, globals);
  JS_FreeValue(app, global);
  if (failed) {
    JS_FreeContext(app);
    return NULL;
  }
  return app;
}
