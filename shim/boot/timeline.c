/* timeline.c: the boot stages the shim passes, for hal.bootTimeline(). */
#include "engine.h"
#include "shim.h"

static struct timeline_mark marks[TIMELINE_MAX];
static unsigned count;

void hal_timeline_mark(const char *label, uint64_t ns) {
  if (count < TIMELINE_MAX) marks[count++] = (struct timeline_mark){label, ns};
}

unsigned hal_timeline(const struct timeline_mark **out) {
  *out = marks;
  return count;
}
