/* virtio_small.h: the entropy (virtio-rng) and byte-channel (virtio-console) drivers. */
#ifndef SKIFF_VIRTIO_SMALL_H
#define SKIFF_VIRTIO_SMALL_H
#include <stddef.h>
#include <stdint.h>
#include "virtio.h"

struct virtio_rng *virtio_rng_probe(struct virtio_device *dev);
/* Copies up to n bytes the device has delivered; returns how many (0: none ready yet,
 * and the queue is armed). Keeps a request posted so the pool refills. */
size_t virtio_rng_take(struct virtio_rng *r, uint8_t *out, size_t n);
uint64_t virtio_rng_bytes_delivered(const struct virtio_rng *r);

struct virtio_console *virtio_console_probe(struct virtio_device *dev);
/* Received bytes: a pointer to them and their count, valid until virtio_console_consumed;
 * 0 when nothing arrived (the receive queue is then armed). */
size_t virtio_console_peek(struct virtio_console *c, const uint8_t **bytes);
void virtio_console_consumed(struct virtio_console *c);
/* Copies up to n bytes into a transmit buffer and sends it; returns the count (0: no free
 * buffer, the transmit queue is then armed). */
size_t virtio_console_write(struct virtio_console *c, const uint8_t *bytes, size_t n);
/* Waits (until deadline_ns) for the device to take every byte written: at power-off. */
bool virtio_console_drain(struct virtio_console *c, uint64_t deadline_ns);
#endif
