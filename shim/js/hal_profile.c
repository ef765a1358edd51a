/*
 * hal_profile.c: a sampling profiler for the JS the engine runs, kernel and apps alike
 * (profileStart/profileStop in kernel-ts/hal/platform.ts; `profile=SECONDS` on the command
 * line, kernel-ts/profile.ts). Under TCG no host profiler can see into the guest, and
 * QuickJS has none of its own: this is how we learn where a request's time goes.
 *
 * How it samples: while running, QuickJS's interrupt handler is called every
 * PROFILE_INTERVAL bytecode branches and calls (patch 0006) instead of every 10000. At each
 * call the TSC clock is read; once about `period` (half to one and a half of it, at random)
 * has passed since the last sample, the time since then is charged to the stack running now
 * (JS_SampleStack, patch 0006). The sampler's own time is charged to nobody. Time asleep
 * in hal.wait is charged to nobody: the mark moves past it. What ran since the last poll
 * before a wait is charged to the stack that called wait, so the scheduler's loop carries
 * a little of its callees' time. Time in a native function (a device write, a copy) lands
 * on the JS stack that polls next after it, usually its caller.
 *
 * A poll as a promise job's first function begins, called from C, sees no JS frame yet:
 * its time is charged to "[no JS frame]".
 *
 * Frames are keyed by their function's bytecode (or C function object); a function freed
 * during a run whose memory is reused by another keeps the first one's name. Tables are
 * fixed: stacks beyond PROFILE_MAX_STACKS distinct ones are counted as dropped, frames past
 * PROFILE_MAX_DEPTH (from the innermost) are cut and the stack marked "[truncated]".
 *
 * profileStop returns folded stacks, one line per distinct stack, outermost frame first:
 *   # skiff profile: samples=N sampled_us=N idle_us=N dropped=N period_us=N
 *   run (kernel.js:120);serveNext (kernel.js:9001);parse (kernel.js:8800) 1234
 * the number being microseconds (Brendan Gregg's folded format: flamegraph.pl and
 * speedscope read it; bench/profile/report.ts prints the top functions).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "clock.h"
#include "hal_js.h"
#include "shim.h"

#define PROFILE_INTERVAL 50       /* branches and calls between two polls while profiling */
#define PROFILE_MAX_FRAMES 4096   /* distinct functions (power of two) */
#define PROFILE_MAX_STACKS 8192   /* distinct stacks (power of two) */
#define PROFILE_MAX_DEPTH 48
#define PROFILE_FRAME_TEXT 112
#define TRUNCATED_FRAME 0         /* stands for the frames cut from a deep stack */
#define OVERFLOW_FRAME 1          /* stands for a function the full frame table has no room for */
#define FIRST_FRAME 2

struct profile_frame {
  const void *key; /* NULL: free slot */
  uint16_t id;
  char text[PROFILE_FRAME_TEXT];
};

struct profile_stack {
  uint32_t hash; /* 0: free slot */
  uint16_t depth;
  uint16_t frames[PROFILE_MAX_DEPTH]; /* innermost first */
  uint32_t samples;
  uint64_t ns;
};

static struct profile {
  JSRuntime *rt;
  uint64_t period_ns, mark_ns, started_ns, idle_ns;
  uint64_t next_ns;  /* this sample's threshold: period_ns × ½ to 1½ */
  uint64_t jitter;   /* xorshift64 state for next_ns */
  uint64_t samples, sampled_ns, dropped;
  uint32_t frame_count; /* ids handed out, FIRST_FRAME included */
  struct profile_frame *frames; /* open addressing, by key */
  uint16_t *frame_slots;         /* frame id → slot in frames */
  struct profile_stack *stacks;  /* open addressing, by hash */
  /* the stack being sampled */
  uint16_t current[PROFILE_MAX_DEPTH];
  uint16_t depth;
  bool truncated;
} *profile;

static uint32_t mix(uint64_t value) {
  value ^= value >> 33;
  value *= 0xff51afd7ed558ccdULL;
  value ^= value >> 33;
  return (uint32_t)value;
}

/* The id of the frame for `key`, adding it with its text when new; OVERFLOW_FRAME when the
 * table is full. */
static uint16_t frame_id(const void *key, const char *name, const char *file, int line) {
  uint32_t slot = mix((uintptr_t)key) & (PROFILE_MAX_FRAMES - 1);
  while (profile->frames[slot].key != NULL) {
    if (profile->frames[slot].key == key) return profile->frames[slot].id;
    slot = (slot + 1) & (PROFILE_MAX_FRAMES - 1);
  }
  if (profile->frame_count >= PROFILE_MAX_FRAMES * 3 / 4) return OVERFLOW_FRAME;
  uint16_t id = (uint16_t)profile->frame_count++;
  profile->frames[slot].key = key;
  profile->frames[slot].id = id;
  if (line > 0) snprintf(profile->frames[slot].text, PROFILE_FRAME_TEXT, "%s (%s:%d)", name, file, line);
  else snprintf(profile->frames[slot].text, PROFILE_FRAME_TEXT, "%s (%s)", name, file);
  /* ';' separates frames in the folded format */
  for (char *c = profile->frames[slot].text; *c; c++) if (*c == ';' || *c == '\n') *c = ',';
  profile->frame_slots[id] = (uint16_t)slot;
  return id;
}

static void take_frame(void *opaque, const void *key, const char *name, const char *file, int line) {
  if (profile->depth == PROFILE_MAX_DEPTH) {
    profile->truncated = true;
    return;
  }
  profile->current[profile->depth++] = frame_id(key, name, file, line);
}

/* Charges `ns` to the running stack. */
static void sample(uint64_t ns) {
  profile->depth = 0;
  profile->truncated = false;
  JS_SampleStack(profile->rt, take_frame, NULL);
  if (profile->truncated) profile->current[PROFILE_MAX_DEPTH - 1] = TRUNCATED_FRAME;
  uint64_t hash = profile->depth;
  for (uint16_t i = 0; i < profile->depth; i++) hash = hash * 31 + profile->current[i];
  uint32_t key = mix(hash) | 1;
  uint32_t slot = key & (PROFILE_MAX_STACKS - 1);
  profile->samples++;
  profile->sampled_ns += ns;
  for (uint32_t probes = 0; probes < PROFILE_MAX_STACKS; probes++) {
    struct profile_stack *stack = &profile->stacks[slot];
    if (stack->hash == 0) {
      stack->hash = key;
      stack->depth = profile->depth;
      memcpy(stack->frames, profile->current, sizeof(uint16_t) * profile->depth);
    }
    if (stack->hash == key && stack->depth == profile->depth &&
        !memcmp(stack->frames, profile->current, sizeof(uint16_t) * profile->depth)) {
      stack->samples++;
      stack->ns += ns;
      return;
    }
    slot = (slot + 1) & (PROFILE_MAX_STACKS - 1);
  }
  profile->dropped++;
}

/* The next sample's threshold, between half a period and one and a half. A fixed period
 * would sample work that repeats at a steady rate (a round trip after each wake) at the same
 * points every time; under `-icount` (bench/profile --icount) it would hit exactly the same
 * instructions. */
static void next_threshold(void) {
  uint64_t x = profile->jitter;
  x ^= x << 13;
  x ^= x >> 7;
  x ^= x << 17;
  profile->jitter = x;
  profile->next_ns = profile->period_ns / 2 + x % (profile->period_ns + 1);
}

void hal_profile_poll(void) {
  if (!profile) return;
  uint64_t now = hal_clock_now_ns();
  if (now - profile->mark_ns < profile->next_ns) return;
  sample(now - profile->mark_ns);
  next_threshold();
  profile->mark_ns = hal_clock_now_ns(); /* the sampler's own time is charged to nobody */
}

void hal_profile_wait_begin(void) {
  if (!profile) return;
  uint64_t now = hal_clock_now_ns();
  if (now > profile->mark_ns) sample(now - profile->mark_ns);
  profile->mark_ns = now;
}

void hal_profile_wait_end(void) {
  if (!profile) return;
  uint64_t now = hal_clock_now_ns();
  profile->idle_ns += now - profile->mark_ns;
  profile->mark_ns = now;
}

static void profile_free(JSRuntime *rt) {
  free(profile->frames);
  free(profile->frame_slots);
  free(profile->stacks);
  free(profile);
  profile = NULL;
  JS_SetInterruptInterval(rt, 10000); /* QuickJS's own JS_INTERRUPT_COUNTER_INIT */
}

/* profileStart(periodUs): starts sampling every periodUs microseconds of JS time (at least
 * 10, default 100). RangeError when it is already running, out of memory when the tables
 * (about 1.5 MB) do not fit. */
JSValue hal_profile_start(JSContext *ctx, JSValueConst this, int argc, JSValueConst *argv) {
  if (profile) return JS_ThrowRangeError(ctx, "profileStart: the profiler is already running");
  double period_us = 100;
  if (argc > 0 && !JS_IsUndefined(argv[0])) {
    if (!JS_IsNumber(argv[0])) return JS_ThrowTypeError(ctx, "profileStart: the period must be a number of microseconds");
    JS_ToFloat64(ctx, &period_us, argv[0]);
    if (!(period_us >= 10 && period_us <= 1e6)) return JS_ThrowRangeError(ctx, "profileStart: the period must be 10 to 1000000 microseconds");
  }
  profile = calloc(1, sizeof *profile);
  if (profile) {
    profile->frames = calloc(PROFILE_MAX_FRAMES, sizeof *profile->frames);
    profile->frame_slots = calloc(PROFILE_MAX_FRAMES, sizeof *profile->frame_slots);
    profile->stacks = calloc(PROFILE_MAX_STACKS, sizeof *profile->stacks);
  }
  if (!profile || !profile->frames || !profile->frame_slots || !profile->stacks) {
    if (profile) profile_free(JS_GetRuntime(ctx));
    return JS_ThrowOutOfMemory(ctx);
  }
  profile->rt = JS_GetRuntime(ctx);
  profile->period_ns = (uint64_t)(period_us * 1000);
  profile->started_ns = profile->mark_ns = hal_clock_now_ns();
  profile->jitter = profile->started_ns | 1;
  next_threshold();
  profile->frame_count = FIRST_FRAME;
  JS_SetInterruptInterval(profile->rt, PROFILE_INTERVAL);
  return JS_UNDEFINED;
}

struct text {
  char *bytes;
  size_t length, capacity;
};

static bool append(struct text *text, const char *bytes, size_t length) {
  if (text->length + length > text->capacity) {
    size_t capacity = text->capacity * 2 > text->length + length ? text->capacity * 2 : text->length + length + 4096;
    char *grown = realloc(text->bytes, capacity);
    if (!grown) return false;
    text->bytes = grown;
    text->capacity = capacity;
  }
  memcpy(text->bytes + text->length, bytes, length);
  text->length += length;
  return true;
}

/* profileStop(): the folded stacks (see the top of this file); stops the profiler and frees
 * its tables. RangeError when it is not running. */
JSValue hal_profile_stop(JSContext *ctx, JSValueConst this, int argc, JSValueConst *argv) {
  if (!profile) return JS_ThrowRangeError(ctx, "profileStop: the profiler is not running");
  struct text text = {0};
  char line[160];
  int n = snprintf(line, sizeof line, "# skiff profile: samples=%llu sampled_us=%llu idle_us=%llu dropped=%llu period_us=%llu\n",
                   (unsigned long long)profile->samples, (unsigned long long)(profile->sampled_ns / 1000),
                   (unsigned long long)(profile->idle_ns / 1000), (unsigned long long)profile->dropped,
                   (unsigned long long)(profile->period_ns / 1000));
  bool ok = append(&text, line, (size_t)n);
  for (uint32_t slot = 0; ok && slot < PROFILE_MAX_STACKS; slot++) {
    struct profile_stack *stack = &profile->stacks[slot];
    if (stack->hash == 0) continue;
    if (stack->depth == 0) ok = append(&text, "[no JS frame]", 13); /* polled as a job's first function began */
    for (int i = stack->depth - 1; ok && i >= 0; i--) {
      uint16_t id = stack->frames[i];
      const char *frame = id == TRUNCATED_FRAME ? "[truncated]"
                        : id == OVERFLOW_FRAME  ? "[frame table full]"
                        : profile->frames[profile->frame_slots[id]].text;
      ok = append(&text, frame, strlen(frame)) && (i == 0 || append(&text, ";", 1));
    }
    n = snprintf(line, sizeof line, " %llu\n", (unsigned long long)(stack->ns / 1000));
    ok = ok && append(&text, line, (size_t)n);
  }
  profile_free(JS_GetRuntime(ctx));
  JSValue result = ok ? JS_NewStringLen(ctx, text.bytes, text.length) : JS_ThrowOutOfMemory(ctx);
  free(text.bytes);
  return result;
}
