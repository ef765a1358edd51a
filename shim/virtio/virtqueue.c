/*
 * virtqueue.c: the driver side of a split virtqueue (virtio 1.2 §2.7) with
 * VIRTIO_F_RING_EVENT_IDX (§2.7.7, §2.7.10): we notify only when the device's
 * avail_event says it wants to hear, and we ask for an interrupt by writing used_event.
 *
 * Memory ordering (x86 is TSO: stores are not reordered with stores, loads not with
 * loads, but a store may pass a later load):
 *   - descriptors and ring entries are written before avail->idx: a compiler barrier;
 *   - avail->idx is written before avail_event is read to decide on notifying (§2.7.13.3:
 *     "the driver MUST … before checking if notifications are suppressed"): mfence;
 *   - used_event is written before used->idx is read again in virtq_arm: mfence;
 *   - used->idx is read before the used entries it covers: a compiler barrier.
 */
#include <stdlib.h>
#include <string.h>
#include "shim.h"
#include "virtqueue.h"

#define compiler_barrier() __asm__ volatile("" ::: "memory")
#define full_barrier() __asm__ volatile("mfence" ::: "memory")

static void *alloc_zeroed_pages(size_t bytes) {
  uint8_t *raw = malloc(bytes + 4096);
  if (!raw) return NULL;
  uint8_t *p = (uint8_t *)ALIGN_UP((uintptr_t)raw, 4096);
  memset(p, 0, bytes);
  return p; /* rings live for the whole boot: the raw pointer is never freed */
}

static volatile uint16_t *used_idx(struct virtq *vq) { return (volatile uint16_t *)(vq->used + 2); }
static volatile struct virtq_used_elem *used_ring(struct virtq *vq) {
  return (volatile struct virtq_used_elem *)(vq->used + 4);
}
static volatile uint16_t *avail_event(struct virtq *vq) {
  return (volatile uint16_t *)(vq->used + 4 + 8 * vq->size);
}
static volatile uint16_t *used_event(struct virtq *vq) { return &vq->avail[2 + vq->size]; }

bool virtq_init(struct virtq *vq, uint16_t index, uint16_t size, bool event_idx) {
  ASSERT(size && !(size & (size - 1)));
  memset(vq, 0, sizeof *vq);
  vq->index = index;
  vq->size = size;
  vq->event_idx = event_idx;
  vq->desc = alloc_zeroed_pages(16u * size);
  vq->avail = alloc_zeroed_pages(6u + 2u * size);
  vq->used = alloc_zeroed_pages(6u + 8u * size);
  vq->cookies = calloc(size, sizeof(void *));
  if (!vq->desc || !vq->avail || !vq->used || !vq->cookies) return false;
  for (uint16_t i = 0; i < size; i++) vq->desc[i].next = (uint16_t)(i + 1);
  vq->free_count = size;
  return true;
}

uint64_t virtq_desc_addr(const struct virtq *vq) { return (uint64_t)vq->desc; }
uint64_t virtq_avail_addr(const struct virtq *vq) { return (uint64_t)vq->avail; }
uint64_t virtq_used_addr(const struct virtq *vq) { return (uint64_t)vq->used; }
unsigned virtq_free(const struct virtq *vq) { return vq->free_count; }

bool virtq_add(struct virtq *vq, const struct virtq_buf *bufs, unsigned count, void *cookie) {
  if (count == 0 || count > vq->free_count) return false;
  uint16_t head = vq->free_head, i = head, last = head;
  for (unsigned n = 0; n < count; n++) {
    struct virtq_desc *d = &vq->desc[i];
    d->addr = bufs[n].addr; /* identity-mapped: the virtual address is the physical one */
    d->len = bufs[n].len;
    d->flags = (uint16_t)((bufs[n].writable ? VIRTQ_DESC_F_WRITE : 0) | (n + 1 < count ? VIRTQ_DESC_F_NEXT : 0));
    last = i;
    i = d->next;
  }
  vq->free_head = vq->desc[last].next;
  vq->free_count = (uint16_t)(vq->free_count - count);
  vq->cookies[head] = cookie;
  vq->avail[2 + (vq->avail_idx & (vq->size - 1))] = head;
  vq->avail_idx++;
  return true;
}

void virtq_kick(struct virtq *vq) {
  uint16_t old = vq->kicked_idx, now = vq->avail_idx;
  if (old == now) return;
  compiler_barrier(); /* ring entries before the index */
  vq->avail[1] = now;
  full_barrier();     /* the index before reading avail_event / used->flags */
  vq->kicked_idx = now;
  bool notify;
  if (vq->event_idx) {
    uint16_t event = *avail_event(vq);
    notify = (uint16_t)(now - event - 1) < (uint16_t)(now - old); /* vring_need_event */
  } else {
    notify = !(*(volatile uint16_t *)vq->used & 1); /* VIRTQ_USED_F_NO_NOTIFY */
  }
  if (notify) vq->notify(vq);
}

void *virtq_next_used(struct virtq *vq, uint32_t *len) {
  if (vq->last_used == *used_idx(vq)) return NULL;
  compiler_barrier(); /* the index before the entry it covers */
  volatile struct virtq_used_elem *e = &used_ring(vq)[vq->last_used & (vq->size - 1)];
  uint16_t head = (uint16_t)e->id;
  if (head >= vq->size) panic("virtqueue %u: the device returned descriptor %u of %u", vq->index, head, vq->size);
  if (len) *len = e->len;
  vq->last_used++;
  void *cookie = vq->cookies[head];
  vq->cookies[head] = NULL;
  /* Return the chain to the free list. */
  uint16_t i = head, count = 1;
  while (vq->desc[i].flags & VIRTQ_DESC_F_NEXT) i = vq->desc[i].next, count++;
  vq->desc[i].next = vq->free_head;
  vq->free_head = head;
  vq->free_count = (uint16_t)(vq->free_count + count);
  return cookie;
}

bool virtq_arm(struct virtq *vq) {
  if (vq->event_idx) *used_event(vq) = vq->last_used;
  else vq->avail[0] = 0; /* clear VIRTQ_AVAIL_F_NO_INTERRUPT */
  full_barrier();
  return vq->last_used != *used_idx(vq);
}

void virtq_disarm(struct virtq *vq) {
  /* The device interrupts when used->idx passes used_event: put it half the index
   * space ahead (re-disarming as we consume keeps it there). */
  if (vq->event_idx) *used_event(vq) = (uint16_t)(vq->last_used + 0x7fff);
  else vq->avail[0] = 1;
}
