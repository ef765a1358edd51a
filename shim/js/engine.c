/*
 * engine.c: QuickJS up, the kernel's bytecode run, and the job loop.
 *
 * The kernel's event loop (kernel-ts/sched) is written in TypeScript, but only the
 * host can run QuickJS's promise jobs. So the loop here is small and fixed
 * (hal_engine_drain): run jobs until the queue is empty; report rejections nobody
 * handled; resolve the kernel's pending hal.yieldToJobs() promises, which queues the
 * loop's next turn; repeat. The kernel sleeps inside its own turn, through hal.wait.
 * hal.drainJobs() runs the same steps from inside the kernel's loop, so a turn need not
 * await (and suspend the loop's async frame) to let the jobs run. If the queue
 * ever runs dry with nothing pending, the kernel has stopped without powering off:
 * that is a shim failure, reported as such.
 *
 * Memory: the heap is shared with C, so QuickJS gets a limit below the heap's size
 * (a reserve for C and for QuickJS's own allocations while it throws), making
 * exhaustion a JS "out of memory" exception instead of a NULL deep inside C.
 */
#include <string.h>
#include "bytecode.h"
#include "clock.h"
#include "engine.h"
#include "hal_js.h"
#include "power.h"
#include "shim.h"

#define JS_STACK_LIMIT (2 * MiB - 256 * KiB) /* of the 2 MiB kernel stack; C keeps the rest */
#define RESERVE_MIN (1 * MiB)

static uint64_t memory_limit;
uint64_t hal_engine_memory_limit(void) { return memory_limit; }

static JSModuleDef *load_module(JSContext *ctx, const char *name, void *opaque) {
  if (!strcmp(name, "skiff:hal")) {
    if (!hal_context_is_app(ctx)) return hal_module_create(ctx);
    JS_ThrowReferenceError(ctx, "Cannot import skiff:hal in an app: it is the kernel's; apps import skiff:net, skiff:fs and the other skiff: modules");
    return NULL;
  }
  JSModuleDef *defined = hal_module_create_defined(ctx, name);
  if (defined) return defined;
  JS_ThrowReferenceError(ctx, "Cannot find module '%s': the kernel provides skiff:hal and what it defined with defineModule",
                         name);
  return NULL;
}

static void track_rejection(JSContext *ctx, JSValueConst promise, JSValueConst reason, JS_BOOL is_handled,
                            void *opaque) {
  hal_module_track_rejection(ctx, promise, reason, is_handled);
}

/* Prints a pending exception with its stack; used only when the kernel itself
 * cannot (it failed before its panic handler existed). */
static void print_exception(JSContext *ctx, const char *what) {
  JSValue error = JS_GetException(ctx);
  const char *message = JS_ToCString(ctx, error);
  kprintf("skiff: %s: %s\n", what, message ? message : "(exception not printable)");
  JS_FreeCString(ctx, message);
  if (JS_IsError(ctx, error)) {
    JSValue stack = JS_GetPropertyStr(ctx, error, "stack");
    const char *text = JS_ToCString(ctx, stack);
    if (text) kputs(text);
    JS_FreeCString(ctx, text);
    JS_FreeValue(ctx, stack);
  }
  JS_FreeValue(ctx, error);
}

static void run_jobs(JSRuntime *rt) {
  JSContext *job_ctx;
  for (;;) {
    int r = JS_ExecutePendingJob(rt, &job_ctx);
    if (r == 0) return;
    if (r < 0) {
      print_exception(job_ctx, "KERNEL PANIC: exception in a promise job");
      hal_power_off(100);
    }
  }
}

void hal_engine_drain(JSContext *ctx) {
  for (;;) {
    run_jobs(JS_GetRuntime(ctx));
    if (hal_module_report_rejections(ctx) > 0) continue;
    if (hal_module_resolve_idle(ctx) > 0) continue;
    return;
  }
}

_Noreturn void hal_engine_run(uint64_t heap_bytes) {
  JSRuntime *rt = JS_NewRuntime();
  if (!rt) panic("JS_NewRuntime failed: out of memory");
  JS_SetMaxStackSize(rt, JS_STACK_LIMIT);
  JS_SetModuleLoaderFunc(rt, NULL, load_module, NULL);
  JS_SetHostPromiseRejectionTracker(rt, track_rejection, NULL);
  JS_SetInterruptHandler(rt, hal_watchdog_interrupt, NULL); /* idle until runWithDeadline arms it */
  /* JS_NewContext ignores allocation failures in its intrinsics and can return a
   * half-built context: create it before the limit applies. */
  JSContext *ctx = JS_NewContext(rt);
  if (!ctx) panic("JS_NewContext failed: out of memory");
  hal_app_context_init(ctx); /* the standard globals, before kernel code adds its own */
  uint64_t reserve = heap_bytes / 8 > RESERVE_MIN ? heap_bytes / 8 : RESERVE_MIN;
  memory_limit = heap_bytes > 2 * reserve ? heap_bytes - reserve : heap_bytes / 2;
  JS_SetMemoryLimit(rt, memory_limit);
  hal_timeline_mark("quickjs-ready", hal_clock_now_ns());

  JSValue kernel = JS_ReadObject(ctx, skiff_kernel_bytecode.data, skiff_kernel_bytecode.size,
                                 JS_READ_OBJ_BYTECODE);
  if (JS_IsException(kernel)) {
    print_exception(ctx, "cannot read the kernel bytecode");
    hal_power_off(EXIT_SHIM_FAILED);
  }
  if (JS_ResolveModule(ctx, kernel) < 0) {
    print_exception(ctx, "cannot link the kernel");
    hal_power_off(EXIT_SHIM_FAILED);
  }
  hal_timeline_mark("kernel-loaded", hal_clock_now_ns());
  JSValue evaluation = JS_EvalFunction(ctx, kernel); /* a promise: modules may await */
  if (JS_IsException(evaluation)) {
    print_exception(ctx, "KERNEL PANIC: the kernel threw while loading");
    hal_power_off(100);
  }

  hal_engine_drain(ctx);
  if (JS_PromiseState(ctx, evaluation) == JS_PROMISE_REJECTED) {
    JS_Throw(ctx, JS_PromiseResult(ctx, evaluation));
    print_exception(ctx, "KERNEL PANIC: the kernel module failed");
    hal_power_off(100);
  }
  kputs("skiff: the kernel stopped without powering off\n");
  hal_power_off(EXIT_SHIM_FAILED);
}
