/*
 * blk.c: the virtio-blk driver (virtio 1.2 §5.2). One request queue; each request is a
 * chain of three descriptors: the header (type, sector; device-readable), the data (in
 * place: the caller's buffer, device-writable for reads), and the status byte
 * (device-writable). Several requests are in flight at once; completions come back in
 * whatever order the device finishes them.
 */
#include <stdlib.h>
#include "shim.h"
#include "virtio_blk.h"

#define VIRTIO_BLK_F_RO (1ull << 5)
#define VIRTIO_BLK_F_BLK_SIZE (1ull << 6)
#define VIRTIO_BLK_F_FLUSH (1ull << 9)
#define VIRTIO_BLK_T_IN 0
#define VIRTIO_BLK_T_OUT 1
#define VIRTIO_BLK_T_FLUSH 4
#define QUEUE_MAX 128
#define CONFIG_CAPACITY 0
#define CONFIG_BLK_SIZE 20

struct blk_request {
  struct { uint32_t type, reserved; uint64_t sector; } header; /* struct virtio_blk_req's head */
  uint8_t status;
  uint32_t id;
  void *cookie;
  struct blk_request *next_free;
};

struct virtio_blk {
  struct virtio_device *dev;
  struct virtq queue;
  uint64_t sectors;
  uint32_t block_size;
  uint32_t next_id;
  struct blk_request *free;
  struct blk_request requests[QUEUE_MAX]; /* at most size/3 in flight, fewer is fine */
};

struct virtio_blk *virtio_blk_probe(struct virtio_device *dev) {
  const char *name = dev->name;
  struct virtio_blk *b = calloc(1, sizeof *b);
  if (!b) panic("%s: out of memory", name);
  b->dev = dev;
  uint64_t offered = virtio_begin(dev);
  if (!offered) return NULL;
  uint64_t take = offered & (VIRTIO_F_RING_EVENT_IDX | VIRTIO_BLK_F_RO | VIRTIO_BLK_F_BLK_SIZE | VIRTIO_BLK_F_FLUSH);
  if (!virtio_accept(dev, take)) return NULL;
  if (!virtio_queue(dev, &b->queue, 0, QUEUE_MAX, true)) panic("%s: out of memory for the virtqueue", name);
  if (!dev->config) panic("%s: no device configuration structure", name);
  b->sectors = *(volatile uint64_t *)(dev->config + CONFIG_CAPACITY);
  b->block_size = virtio_has(b->dev, VIRTIO_BLK_F_BLK_SIZE) ? *(volatile uint32_t *)(dev->config + CONFIG_BLK_SIZE) : 512;
  for (unsigned i = 0; i < QUEUE_MAX; i++) {
    b->requests[i].next_free = b->free;
    b->free = &b->requests[i];
  }
  virtio_ready(dev);
  virtq_arm(&b->queue);
  return b;
}

uint64_t virtio_blk_sectors(const struct virtio_blk *b) { return b->sectors; }
uint32_t virtio_blk_block_size(const struct virtio_blk *b) { return b->block_size; }
bool virtio_blk_read_only(const struct virtio_blk *b) { return virtio_has(b->dev, VIRTIO_BLK_F_RO); }
bool virtio_blk_flush_supported(const struct virtio_blk *b) { return virtio_has(b->dev, VIRTIO_BLK_F_FLUSH); }

uint32_t virtio_blk_submit(struct virtio_blk *b, enum blk_op op, uint64_t sector, uint8_t *data, uint32_t len,
                           void *cookie) {
  struct blk_request *r = b->free;
  if (!r || virtq_free(&b->queue) < 3) return 0;
  r->header.type = op == BLK_READ ? VIRTIO_BLK_T_IN : op == BLK_WRITE ? VIRTIO_BLK_T_OUT : VIRTIO_BLK_T_FLUSH;
  r->header.reserved = 0;
  r->header.sector = op == BLK_FLUSH ? 0 : sector;
  r->status = 0xff; /* the device overwrites it */
  r->cookie = cookie;
  r->id = ++b->next_id ? b->next_id : ++b->next_id; /* 0 means "queue full" */
  struct virtq_buf bufs[3] = {{(uint64_t)&r->header, sizeof r->header, false}};
  unsigned n = 1;
  if (op != BLK_FLUSH) bufs[n++] = (struct virtq_buf){(uint64_t)data, len, op == BLK_READ};
  bufs[n++] = (struct virtq_buf){(uint64_t)&r->status, 1, true};
  if (!virtq_add(&b->queue, bufs, n, r)) return 0;
  b->free = r->next_free;
  virtq_kick(&b->queue);
  return r->id;
}

bool virtio_blk_complete(struct virtio_blk *b, uint32_t *id, enum blk_status *status, void **cookie) {
  struct blk_request *r;
  while (!(r = virtq_next_used(&b->queue, NULL)))
    if (!virtq_arm(&b->queue)) return false;
  *id = r->id;
  *status = r->status == 0 ? BLK_OK : r->status == 2 ? BLK_UNSUPP : BLK_IOERR;
  *cookie = r->cookie;
  r->next_free = b->free;
  b->free = r;
  return true;
}
