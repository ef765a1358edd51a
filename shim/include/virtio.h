/*
 * virtio.h: a virtio device as its drivers see it, whatever carries it. A transport
 * (virtio_pci.c today; virtio-mmio for qemu microvm and Firecracker later) implements
 * the four operations below; drivers (net.c, blk.c, rng.c, console.c) use only these,
 * the device configuration pointer and virtqueue.h, so a new transport needs no driver
 * change. The operations follow the initialization order of virtio 1.2 §3.1.1.
 */
#ifndef SKIFF_VIRTIO_H
#define SKIFF_VIRTIO_H
#include <stdbool.h>
#include <stdint.h>
#include "virtqueue.h"

#define VIRTIO_F_VERSION_1 (1ull << 32)
#define VIRTIO_F_RING_EVENT_IDX (1ull << 29)

struct virtio_device;

struct virtio_transport {
  /* Steps 1–4: reset, ACKNOWLEDGE, DRIVER; the features the device offers, 0 when the
   * device cannot be used (a message says why). */
  uint64_t (*begin)(struct virtio_device *dev);
  /* Steps 4–6: write `features` (plus VERSION_1), FEATURES_OK, and check the device kept it. */
  bool (*accept)(struct virtio_device *dev, uint64_t features);
  /* Step 7: queue `index` with at most `max_size` entries; interrupts through the device's vector or none. */
  bool (*queue)(struct virtio_device *dev, struct virtq *vq, uint16_t index, uint16_t max_size, bool interrupts);
  /* Step 8: DRIVER_OK. */
  void (*ready)(struct virtio_device *dev);
};

struct virtio_device {
  const struct virtio_transport *transport;
  const char *name;            /* "virtio-net@00:03.0", for messages */
  volatile uint8_t *config;    /* the device-specific configuration, or NULL */
  uint64_t features;           /* negotiated, after accept */
};

static inline uint64_t virtio_begin(struct virtio_device *d) { return d->transport->begin(d); }
static inline bool virtio_accept(struct virtio_device *d, uint64_t f) { return d->transport->accept(d, f); }
static inline bool virtio_queue(struct virtio_device *d, struct virtq *vq, uint16_t index, uint16_t max_size,
                                bool interrupts) {
  return d->transport->queue(d, vq, index, max_size, interrupts);
}
static inline void virtio_ready(struct virtio_device *d) { d->transport->ready(d); }
static inline bool virtio_has(const struct virtio_device *d, uint64_t feature) {
  return (d->features & feature) == feature;
}
#endif
