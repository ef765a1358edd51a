#ifndef SKIFF_VIRTIO_NET_H
#define SKIFF_VIRTIO_NET_H
#include <stdbool.h>
#include <stdint.h>
#include "virtio.h"

#define VIRTIO_NET_HDR_SIZE 12 /* struct virtio_net_hdr_v1: VERSION_1 always has num_buffers */
#define VIRTIO_NET_F_CSUM (1ull << 0)
#define VIRTIO_NET_F_GUEST_CSUM (1ull << 1)
#define VIRTIO_NET_F_MTU (1ull << 3)
#define VIRTIO_NET_F_MAC (1ull << 5)
#define VIRTIO_NET_F_GUEST_TSO4 (1ull << 7)
#define VIRTIO_NET_F_HOST_TSO4 (1ull << 11)
#define VIRTIO_NET_F_MRG_RXBUF (1ull << 15)
#define VIRTIO_NET_F_STATUS (1ull << 16)

struct net_stats {
  uint64_t rx_frames, rx_bytes, rx_drops, rx_buffer_starved, tx_frames, tx_bytes, tx_ring_full;
  uint64_t tx_from_rx_buffers; /* frames sent straight out of a receive buffer: zero-copy evidence */
};

/* A received frame (virtio-net header first) lent to the kernel until released. */
struct net_rx {
  uint8_t *data;
  uint32_t len;
  struct virtio_net *owner;
  struct net_rx *next_free;
  bool copied; /* a frame merged from several buffers into one heap block */
};

struct virtio_net *virtio_net_probe(struct virtio_device *dev);
const uint8_t *virtio_net_mac(const struct virtio_net *n);
uint16_t virtio_net_mtu(const struct virtio_net *n);
bool virtio_net_link_up(const struct virtio_net *n);
uint64_t virtio_net_features(const struct virtio_net *n);
const struct net_stats *virtio_net_stats(const struct virtio_net *n);

/* The next received frame, or NULL (the receive queue is then armed for an interrupt). */
struct net_rx *virtio_net_receive(struct virtio_net *n);
/* The kernel is done with a frame: its buffer goes back to the device. */
void virtio_net_release(struct net_rx *rx);
/* Queues one frame for transmission; false when the ring is full (the transmit queue is
 * then armed, so its completions wake hal_wait). The device reads `frame` in place:
 * the caller keeps it alive until virtio_net_reclaim returns its cookie. */
bool virtio_net_transmit(struct virtio_net *n, const uint8_t *frame, uint32_t len, void *cookie);
/* Notifies the device of everything queued since the last call (once per batch). */
void virtio_net_flush(struct virtio_net *n);
/* Waits (spinning, until deadline_ns) for the device to finish every queued frame: at
 * power-off, so that frames handed over are not lost. Their cookies are dropped. */
bool virtio_net_drain(struct virtio_net *n, uint64_t deadline_ns);
/* The cookie of a frame the device has finished sending, or NULL. */
void *virtio_net_reclaim(struct virtio_net *n);
#endif
