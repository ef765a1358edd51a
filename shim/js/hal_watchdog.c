/*
 * hal_watchdog.c: runWithDeadline(deadlineNs, fn), the CPU budget for app code
 * (Platform.runWithDeadline in kernel-ts/hal/platform.ts). No policy here: the kernel
 * picks the deadline and decides what an overrun means; this only stops the code.
 *
 * QuickJS calls the runtime's interrupt handler every 10000 or so bytecode branches and
 * calls (JS_INTERRUPT_COUNTER_INIT); a non-zero answer throws an uncatchable
 * InternalError("interrupted") there, which unwinds every JS frame up to the nearest C
 * caller without running a catch or finally. The handler reads the TSC clock only while
 * a deadline is armed. Once the deadline has passed it keeps answering "interrupt" until
 * the budgeted call returns: code that turns the error into a value (an async function,
 * whose promise rejects; patch 0004 makes such values catchable) and runs on is stopped
 * again at its next poll.
 *
 * A run that ends past the deadline without being interrupted (no poll came in time) is
 * reported as passed as well, so every platform answers alike.
 *
 * Nesting: an inner call's deadline is the earlier of the two; when the outer deadline has
 * passed too, the outer run stays marked as overrun, so its code is stopped as well.
 * Native code that runs no bytecode (a long JS_ReadObject, hal.wait) is not interrupted:
 * the overrun is noticed at the next poll after it.
 */
#include "clock.h"
#include "hal_js.h"
#include "shim.h"

#define NO_DEADLINE UINT64_MAX

static uint64_t deadline_ns = NO_DEADLINE;
static bool overrun; /* the armed deadline passed: interrupt at every poll */

int hal_watchdog_interrupt(JSRuntime *rt, void *opaque) {
  hal_profile_poll(); /* the profiler shares the handler (hal_profile.c) */
  if (deadline_ns == NO_DEADLINE) return 0;
  if (!overrun && hal_clock_now_ns() < deadline_ns) return 0;
  overrun = true;
  return 1;
}

JSValue hal_run_with_deadline(JSContext *ctx, JSValueConst this, int argc, JSValueConst *argv) {
  if (!JS_IsNumber(argv[0])) return JS_ThrowTypeError(ctx, "runWithDeadline: the deadline must be a number of nanoseconds");
  double requested;
  JS_ToFloat64(ctx, &requested, argv[0]);
  if (requested != requested) return JS_ThrowRangeError(ctx, "runWithDeadline: the deadline is NaN");
  if (!JS_IsFunction(ctx, argv[1])) return JS_ThrowTypeError(ctx, "runWithDeadline: fn must be a function");
  uint64_t deadline = requested >= 1.8e19 ? NO_DEADLINE - 1 : requested <= 0 ? 0 : (uint64_t)requested;

  uint64_t outer_deadline = deadline_ns;
  bool outer_overrun = overrun;
  deadline_ns = deadline < outer_deadline ? deadline : outer_deadline;
  overrun = outer_overrun;
  JSValue result = JS_Call(ctx, argv[1], JS_UNDEFINED, 0, NULL);
  /* Past the deadline without a poll in between counts too, as on the platforms that
   * judge it afterwards (the interrupt only comes every ~10000 branches). */
  bool stopped = overrun || hal_clock_now_ns() >= deadline_ns;
  deadline_ns = outer_deadline;
  overrun = outer_overrun || (stopped && outer_deadline != NO_DEADLINE && hal_clock_now_ns() >= outer_deadline);

  if (!stopped) {
    if (JS_IsException(result)) return JS_EXCEPTION; /* fn's own error, as it threw it */
    JS_FreeValue(ctx, result);
    return JS_UNDEFINED;
  }
  /* Stopped: the interrupt (or whatever the unwinding threw) is dropped; the caller
   * learns of the overrun from the value. */
  if (JS_IsException(result)) JS_FreeValue(ctx, JS_GetException(ctx));
  else JS_FreeValue(ctx, result);
  return JS_NewString(ctx, "deadline-passed");
}
