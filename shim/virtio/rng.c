/*
 * rng.c: the virtio-rng driver (virtio 1.2 §5.4): one queue of device-writable buffers
 * the device fills with entropy. We keep one request of POOL bytes posted; what comes
 * back is handed out in order (each byte once) and the request is posted again.
 */
#include <stdlib.h>
#include <string.h>
#include "shim.h"
#include "virtio_small.h"

#define POOL 256

struct virtio_rng {
  struct virtio_device *dev;
  struct virtq queue;
  uint8_t pool[POOL];
  size_t ready, taken; /* pool[taken, ready) is unused entropy */
  bool posted;
  uint64_t delivered;
};

static void post(struct virtio_rng *r) {
  if (r->posted) return;
  struct virtq_buf buf = {(uint64_t)r->pool, POOL, true};
  if (virtq_add(&r->queue, &buf, 1, r)) {
    r->posted = true;
    r->ready = r->taken = 0;
    virtq_kick(&r->queue);
  }
}

struct virtio_rng *virtio_rng_probe(struct virtio_device *dev) {
  struct virtio_rng *r = calloc(1, sizeof *r);
  if (!r) panic("%s: out of memory", dev->name);
  r->dev = dev;
  uint64_t offered = virtio_begin(dev);
  if (!offered || !virtio_accept(dev, offered & VIRTIO_F_RING_EVENT_IDX)) return NULL;
  if (!virtio_queue(dev, &r->queue, 0, 4, true)) panic("%s: out of memory for the virtqueue", dev->name);
  virtio_ready(dev);
  post(r);
  virtq_arm(&r->queue);
  return r;
}

size_t virtio_rng_take(struct virtio_rng *r, uint8_t *out, size_t n) {
  uint32_t len;
  if (r->posted && virtq_next_used(&r->queue, &len)) {
    r->posted = false;
    r->ready = len < POOL ? len : POOL;
    r->delivered += r->ready;
  }
  size_t count = r->ready - r->taken < n ? r->ready - r->taken : n;
  memcpy(out, r->pool + r->taken, count);
  memset(r->pool + r->taken, 0, count); /* entropy is used once */
  r->taken += count;
  if (r->taken == r->ready) post(r);
  if (count == 0) virtq_arm(&r->queue);
  return count;
}

uint64_t virtio_rng_bytes_delivered(const struct virtio_rng *r) { return r->delivered; }
