/*
 * virtqueue_test.c: the driver side of shim/virtio/virtqueue.c against a device side
 * played here, following virtio 1.2 §2.7: the device reads avail->idx and the chains it
 * names, writes used entries, and uses avail_event / used_event (EVENT_IDX) to decide
 * about notifications and interrupts. Seeded random traffic checks that every request
 * comes back once with its cookie and buffers, the free count is exact, and the driver
 * notifies exactly when the device's avail_event asks for it.
 * Usage: virtqueue_test SEED ROUNDS
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "virtqueue.h"

_Noreturn void panic(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  fprintf(stderr, "\n");
  exit(1);
}

static unsigned long long seed, start_seed;
static unsigned next_random(void) {
  seed ^= seed >> 12, seed ^= seed << 25, seed ^= seed >> 27;
  return (unsigned)((seed * 2685821657736338717ull) >> 33);
}
#define CHECK(cond, ...) do { if (!(cond)) { fprintf(stderr, "FAIL (seed %llu) line %d: ", start_seed, __LINE__); \
  fprintf(stderr, __VA_ARGS__); fprintf(stderr, "\n"); exit(1); } } while (0)

/* The device's view. */
static unsigned notifications;
static uint16_t device_last_avail; /* next avail entry the device will read */
static void notify(struct virtq *vq) { (void)vq; notifications++; }

static uint16_t *avail_idx(struct virtq *vq) { return (uint16_t *)&vq->avail[1]; }
static uint16_t *avail_event(struct virtq *vq) { return (uint16_t *)(vq->used + 4 + 8 * vq->size); }
static uint16_t *used_idx(struct virtq *vq) { return (uint16_t *)(vq->used + 2); }
static uint16_t used_event(struct virtq *vq) { return vq->avail[2 + vq->size]; }
static int need_event(uint16_t event, uint16_t now, uint16_t old) { return (uint16_t)(now - event - 1) < (uint16_t)(now - old); }

struct pending { uint16_t head; uint32_t written; };

int main(int argc, char **argv) {
  start_seed = seed = argc > 1 ? strtoull(argv[1], 0, 10) : 1;
  long rounds = argc > 2 ? atol(argv[2]) : 100000;
  struct virtq vq;
  CHECK(virtq_init(&vq, 0, 64, true), "init");
  vq.notify = notify;
  static char payload[64][3][32];
  long cookies_out = 0, cookies_back = 0;
  struct pending inflight[64];
  unsigned inflight_count = 0;
  unsigned expected_notifications = 0, interrupts = 0;
  uint16_t kicked = 0;

  for (long round = 0; round < rounds; round++) {
    /* Driver: add a few requests of 1–3 buffers, then kick. */
    unsigned adds = next_random() % 4;
    for (unsigned a = 0; a < adds; a++) {
      unsigned parts = 1 + next_random() % 3, slot = (unsigned)(cookies_out % 64);
      struct virtq_buf bufs[3];
      for (unsigned p = 0; p < parts; p++) bufs[p] = (struct virtq_buf){(uint64_t)payload[slot][p], 32, p == parts - 1};
      unsigned free_before = virtq_free(&vq);
      int added = virtq_add(&vq, bufs, parts, (void *)(long)(cookies_out + 1));
      CHECK(added == (free_before >= parts), "add with %u free for %u parts returned %d", free_before, parts, added);
      if (added) { CHECK(virtq_free(&vq) == free_before - parts, "free count after add"); cookies_out++; }
    }
    uint16_t before = kicked, now = vq.avail_idx;
    unsigned n0 = notifications, want = now != before && need_event(*avail_event(&vq), now, before);
    virtq_kick(&vq);
    expected_notifications += want;
    kicked = now;
    CHECK(notifications - n0 == want, "kick from %u to %u with avail_event %u notified %u times", before, now,
          *avail_event(&vq), notifications - n0);
    CHECK(*avail_idx(&vq) == vq.avail_idx, "avail->idx published");

    /* Device: take new chains, sometimes ask to be notified later (avail_event). */
    while (device_last_avail != *avail_idx(&vq)) {
      uint16_t head = vq.avail[2 + (device_last_avail & 63)];
      CHECK(head < 64, "avail entry %u out of range", head);
      uint16_t i = head;
      uint32_t written = 0;
      for (int guard = 0; ; guard++) {
        CHECK(guard < 64, "descriptor loop");
        if (vq.desc[i].flags & VIRTQ_DESC_F_WRITE) written += vq.desc[i].len;
        if (!(vq.desc[i].flags & VIRTQ_DESC_F_NEXT)) break;
        i = vq.desc[i].next;
      }
      inflight[inflight_count++] = (struct pending){head, written};
      device_last_avail++;
    }
    *avail_event(&vq) = (uint16_t)(device_last_avail + next_random() % 3);

    /* Device: complete some, out of order; interrupt if used_event says so. */
    unsigned completes = inflight_count ? next_random() % (inflight_count + 1) : 0;
    for (unsigned c = 0; c < completes; c++) {
      unsigned pick = next_random() % inflight_count;
      struct pending done = inflight[pick];
      inflight[pick] = inflight[--inflight_count];
      uint16_t old = *used_idx(&vq);
      struct virtq_used_elem *e = (struct virtq_used_elem *)(vq.used + 4) + (old & 63);
      e->id = done.head;
      e->len = done.written;
      *used_idx(&vq) = (uint16_t)(old + 1);
      if (need_event(used_event(&vq), (uint16_t)(old + 1), old)) interrupts++;
    }

    /* Driver: consume completions, sometimes re-arm. */
    uint32_t len;
    void *cookie;
    while ((cookie = virtq_next_used(&vq, &len))) {
      cookies_back++;
      CHECK((long)cookie >= 1 && (long)cookie <= cookies_out, "cookie %ld never given", (long)cookie);
      CHECK(len == 32, "written length %u, expected the last buffer's 32", len);
    }
    if (next_random() % 2) CHECK(!virtq_arm(&vq), "arm reported completions that were consumed");
    else virtq_disarm(&vq);
    CHECK(virtq_free(&vq) + 0u <= 64, "free count");
  }
  CHECK(cookies_back + (long)inflight_count == cookies_out, "%ld given, %ld back, %u in flight", cookies_out, cookies_back,
        inflight_count);
  CHECK(notifications == expected_notifications, "notified %u times, the device asked %u", notifications,
        expected_notifications);
  /* Arming after the device used an entry we have not consumed must report it. */
  if (inflight_count) {
    uint16_t old = *used_idx(&vq);
    struct virtq_used_elem *e = (struct virtq_used_elem *)(vq.used + 4) + (old & 63);
    e->id = inflight[0].head;
    e->len = inflight[0].written;
    *used_idx(&vq) = (uint16_t)(old + 1);
    CHECK(virtq_arm(&vq), "arm missed a completion that raced with it");
  }
  printf("ok seed=%llu rounds=%ld requests=%ld notifications=%u interrupts=%u\n", start_seed, rounds, cookies_out,
         notifications, interrupts);
  return 0;
}
