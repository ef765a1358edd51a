/*
 * virtqueue.h: split virtqueues (virtio 1.2 §2.7), independent of the transport: the
 * PCI transport (virtio_pci.c) gives a queue its size and its notify function; a
 * virtio-mmio transport could do the same without touching this file or the drivers.
 */
#ifndef SKIFF_VIRTQUEUE_H
#define SKIFF_VIRTQUEUE_H
#include <stdbool.h>
#include <stdint.h>

#define VIRTQ_DESC_F_NEXT 1
#define VIRTQ_DESC_F_WRITE 2

struct virtq_desc { uint64_t addr; uint32_t len; uint16_t flags, next; };
struct virtq_used_elem { uint32_t id, len; };

struct virtq {
  uint16_t size, index;
  bool event_idx;           /* VIRTIO_F_RING_EVENT_IDX negotiated */
  struct virtq_desc *desc;
  volatile uint16_t *avail; /* flags, idx, ring[size], used_event */
  volatile uint8_t *used;   /* flags u16, idx u16, ring[size] {id, len}, avail_event u16 */
  uint16_t free_head, free_count;
  uint16_t avail_idx;       /* our copy of avail->idx */
  uint16_t kicked_idx;      /* avail_idx at the last notification decision */
  uint16_t last_used;       /* next used entry to consume */
  void **cookies;           /* per head descriptor: what the driver attached */
  void (*notify)(struct virtq *vq);
  void *transport;          /* the transport's per-queue data for notify (PCI: the doorbell) */
};

/* One buffer of a request: device-readable unless `writable`. */
struct virtq_buf { uint64_t addr; uint32_t len; bool writable; };

/* Allocates the rings (page-aligned, zeroed) for `size` entries; false when out of memory. */
bool virtq_init(struct virtq *vq, uint16_t index, uint16_t size, bool event_idx);
/* Physical addresses of the three parts, for the transport. */
uint64_t virtq_desc_addr(const struct virtq *vq);
uint64_t virtq_avail_addr(const struct virtq *vq);
uint64_t virtq_used_addr(const struct virtq *vq);
/* Chains `count` buffers into one request and makes it available (not yet notified).
 * Returns false when there are not enough free descriptors. */
bool virtq_add(struct virtq *vq, const struct virtq_buf *bufs, unsigned count, void *cookie);
/* Publishes what virtq_add made available and notifies the device if it asked to be. */
void virtq_kick(struct virtq *vq);
/* The next completed request's cookie (and bytes written in *len), or NULL. */
void *virtq_next_used(struct virtq *vq, uint32_t *len);
/* Asks for an interrupt at the next completion. Returns true when completions are
 * already waiting (then no interrupt may come for them: consume them now). */
bool virtq_arm(struct virtq *vq);
/* Asks the device for no interrupts (a queue we reclaim by polling). */
void virtq_disarm(struct virtq *vq);
unsigned virtq_free(const struct virtq *vq);
#endif
