#ifndef SKIFF_VIRTIO_BLK_H
#define SKIFF_VIRTIO_BLK_H
#include <stdbool.h>
#include <stdint.h>
#include "virtio.h"

enum blk_op { BLK_READ, BLK_WRITE, BLK_FLUSH };
enum blk_status { BLK_OK = 0, BLK_IOERR = 1, BLK_UNSUPP = 2 };

struct virtio_blk *virtio_blk_probe(struct virtio_device *dev);
uint64_t virtio_blk_sectors(const struct virtio_blk *b);
uint32_t virtio_blk_block_size(const struct virtio_blk *b);
bool virtio_blk_read_only(const struct virtio_blk *b);
bool virtio_blk_flush_supported(const struct virtio_blk *b);
/* Submits a request and returns its id (> 0), or 0 when the queue is full. `data` (for
 * reads and writes, a multiple of 512 bytes) is used in place until completion;
 * `cookie` comes back with the completion. The caller checks bounds and read-only. */
uint32_t virtio_blk_submit(struct virtio_blk *b, enum blk_op op, uint64_t sector, uint8_t *data, uint32_t len,
                           void *cookie);
/* The next completed request, or false (the queue is then armed for an interrupt). */
bool virtio_blk_complete(struct virtio_blk *b, uint32_t *id, enum blk_status *status, void **cookie);
#endif
