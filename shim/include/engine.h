#ifndef SKIFF_ENGINE_H
#define SKIFF_ENGINE_H
#include <stdint.h>
#include "quickjs.h"

/* The boot timeline the kernel reads through hal.bootTimeline(). */
#define TIMELINE_MAX 12
struct timeline_mark { const char *label; uint64_t ns; };
void hal_timeline_mark(const char *label, uint64_t ns);
unsigned hal_timeline(const struct timeline_mark **marks);

/* engine.c */
_Noreturn void hal_engine_run(uint64_t heap_bytes);
/* Runs promise jobs until none is left, reporting unhandled rejections and resolving
 * pending yieldToJobs() promises (whose jobs run too): the engine's loop, and hal.drainJobs(). */
void hal_engine_drain(JSContext *ctx);
uint64_t hal_engine_memory_limit(void);

/* hal_module.c: registers `skiff:hal`; the engine's loop services what it queued. */
JSModuleDef *hal_module_create(JSContext *ctx);
/* Resolves every pending yieldToJobs() promise; returns how many there were. */
int hal_module_resolve_idle(JSContext *ctx);
/* Reports rejections still unhandled once the job queue ran empty; returns how many. */
int hal_module_report_rejections(JSContext *ctx);
void hal_module_track_rejection(JSContext *ctx, JSValueConst promise, JSValueConst reason, int is_handled);
/* loadApp(name, globals): evaluates the app in a new app context (app_context.c). */
JSValue hal_module_load_app(JSContext *ctx, const char *name, JSValueConst globals);
/* A module the kernel defined with hal.defineModule, or NULL when `name` is not one. */
JSModuleDef *hal_module_create_defined(JSContext *ctx, const char *name);

/* app_context.c: the contexts apps run in (QuickJS patch 0005). */
/* Snapshots the standard globals of the kernel's fresh context; call before any kernel code runs. */
void hal_app_context_init(JSContext *kernel);
/* A new app context: the kernel's intrinsics, the standard globals, and `globals`' own
 * enumerable properties (when it is an object). NULL with an exception pending on failure. */
JSContext *hal_app_context_new(JSContext *kernel, JSValueConst globals);
/* Whether ctx is an app context (apps may not import skiff:hal). */
int hal_context_is_app(JSContext *ctx);
#endif
