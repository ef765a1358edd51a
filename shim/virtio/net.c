/*
 * net.c: the virtio-net driver (virtio 1.2 §5.1). Queue 0 receives, queue 1 transmits;
 * no control queue. Every frame in either direction starts with the 12-byte
 * virtio_net_hdr_v1, which the kernel reads and writes itself (offloads are its policy).
 *
 * Zero copy: receive buffers are a fixed pool allocated once; a received buffer is lent
 * to JS as the backing store of an ArrayBuffer and comes back to the pool when JS drops
 * it (virtio_net_release, from the ArrayBuffer's free callback), to be posted again at
 * the next receive. Transmitted frames are JS ArrayBuffers the device reads in place;
 * the JS layer holds a reference per frame until reclaimed. The only copy is for a frame
 * the device spread over several buffers (MRG_RXBUF, large GSO frames only).
 */
#include <stdlib.h>
#include <string.h>
#include "clock.h"
#include "shim.h"
#include "virtio_net.h"

#define RX_QUEUE 0
#define TX_QUEUE 1
#define RX_BUFFER_SIZE 2048 /* header + 1514-byte frame + VLAN tag, rounded up */
#define RX_BUFFERS 128
#define TX_RING_MAX 256
#define CONFIG_MAC 0
#define CONFIG_STATUS 6
#define CONFIG_MTU 10
#define STATUS_LINK_UP 1

struct virtio_net {
  struct virtio_device *dev;
  struct virtq rx, tx;
  uint8_t mac[6];
  uint16_t mtu;
  struct net_rx buffers[RX_BUFFERS];
  struct net_rx *returned; /* released by JS, waiting to be posted again */
  unsigned posted;
  struct net_stats stats;
};

static void post_returned(struct virtio_net *n) {
  bool added = false;
  while (n->returned && virtq_free(&n->rx)) {
    struct net_rx *rx = n->returned;
    n->returned = rx->next_free;
    struct virtq_buf buf = {(uint64_t)rx->data, RX_BUFFER_SIZE, true};
    virtq_add(&n->rx, &buf, 1, rx);
    n->posted++;
    added = true;
  }
  if (added) virtq_kick(&n->rx);
}

struct virtio_net *virtio_net_probe(struct virtio_device *dev) {
  const char *name = dev->name;
  struct virtio_net *n = calloc(1, sizeof *n);
  uint8_t *pool = malloc(RX_BUFFERS * RX_BUFFER_SIZE);
  if (!n || !pool) panic("%s: out of memory for the receive buffers", name);
  n->dev = dev;
  uint64_t offered = virtio_begin(dev);
  if (!offered) return NULL;
  uint64_t wanted = VIRTIO_F_RING_EVENT_IDX | VIRTIO_NET_F_MAC | VIRTIO_NET_F_STATUS | VIRTIO_NET_F_MTU |
                    VIRTIO_NET_F_MRG_RXBUF | VIRTIO_NET_F_CSUM | VIRTIO_NET_F_GUEST_CSUM | VIRTIO_NET_F_HOST_TSO4 |
                    VIRTIO_NET_F_GUEST_TSO4;
  uint64_t take = offered & wanted;
  /* Large received segments fit our 2 KiB buffers only when they may span several. */
  if (!(take & VIRTIO_NET_F_MRG_RXBUF)) take &= ~VIRTIO_NET_F_GUEST_TSO4;
  if (!(take & VIRTIO_NET_F_GUEST_CSUM)) take &= ~VIRTIO_NET_F_GUEST_TSO4; /* §5.1.3.1 */
  if (!(take & VIRTIO_NET_F_CSUM)) take &= ~VIRTIO_NET_F_HOST_TSO4;
  if (!virtio_accept(dev, take)) return NULL;
  if (!virtio_queue(dev, &n->rx, RX_QUEUE, RX_BUFFERS, true) || !virtio_queue(dev, &n->tx, TX_QUEUE, TX_RING_MAX, true))
    panic("%s: out of memory for the virtqueues", name);
  volatile uint8_t *config = dev->config;
  for (int i = 0; i < 6; i++)
    n->mac[i] = virtio_has(n->dev, VIRTIO_NET_F_MAC) && config ? config[CONFIG_MAC + i] : (uint8_t)(i ? 0x11 * i : 0x02);
  n->mtu = virtio_has(n->dev, VIRTIO_NET_F_MTU) && config ? *(volatile uint16_t *)(config + CONFIG_MTU) : 1500;
  for (unsigned i = 0; i < RX_BUFFERS; i++) {
    n->buffers[i] = (struct net_rx){.data = pool + i * RX_BUFFER_SIZE, .owner = n, .next_free = n->returned};
    n->returned = &n->buffers[i];
  }
  virtio_ready(dev);
  post_returned(n);
  virtq_arm(&n->rx);
  virtq_disarm(&n->tx);
  return n;
}

const uint8_t *virtio_net_mac(const struct virtio_net *n) { return n->mac; }
uint16_t virtio_net_mtu(const struct virtio_net *n) { return n->mtu; }
uint64_t virtio_net_features(const struct virtio_net *n) { return n->dev->features; }
const struct net_stats *virtio_net_stats(const struct virtio_net *n) { return &n->stats; }

bool virtio_net_link_up(const struct virtio_net *n) {
  if (!virtio_has(n->dev, VIRTIO_NET_F_STATUS) || !n->dev->config) return true;
  return *(volatile uint16_t *)(n->dev->config + CONFIG_STATUS) & STATUS_LINK_UP;
}

void virtio_net_release(struct net_rx *rx) {
  if (rx->copied) { free(rx); return; }
  rx->next_free = rx->owner->returned;
  rx->owner->returned = rx;
}

/* A frame spread over num_buffers buffers: copy it into one heap block. */
static struct net_rx *merge(struct virtio_net *n, struct net_rx *first, uint32_t len, uint16_t count) {
  struct net_rx *out = malloc(sizeof *out + 65536 + VIRTIO_NET_HDR_SIZE);
  uint32_t total = 0;
  struct net_rx *part = first;
  for (uint16_t i = 0; part; i++) {
    if (out && total + len <= 65536 + VIRTIO_NET_HDR_SIZE) memcpy((uint8_t *)(out + 1) + total, part->data, len);
    total += len;
    n->posted--;
    virtio_net_release(part);
    part = i + 1 < count ? virtq_next_used(&n->rx, &len) : NULL;
    if (i + 1 < count && !part) break; /* the device announced more buffers than it used */
  }
  if (!out || total > 65536 + VIRTIO_NET_HDR_SIZE) {
    free(out);
    n->stats.rx_drops++;
    return NULL;
  }
  *out = (struct net_rx){.data = (uint8_t *)(out + 1), .len = total, .owner = n, .copied = true};
  return out;
}

struct net_rx *virtio_net_receive(struct virtio_net *n) {
  post_returned(n);
  for (;;) {
    uint32_t len;
    struct net_rx *rx = virtq_next_used(&n->rx, &len);
    if (!rx) {
      if (n->posted == 0) n->stats.rx_buffer_starved++;
      if (virtq_arm(&n->rx)) continue; /* completions raced with arming: take them */
      return NULL;
    }
    uint16_t buffers = virtio_has(n->dev, VIRTIO_NET_F_MRG_RXBUF) ? *(uint16_t *)(rx->data + 10) : 1;
    if (len < VIRTIO_NET_HDR_SIZE || len > RX_BUFFER_SIZE) { /* the device broke the contract */
      n->posted--;
      n->stats.rx_drops++;
      virtio_net_release(rx);
      continue;
    }
    if (buffers > 1) {
      rx = merge(n, rx, len, buffers);
      if (!rx) continue;
    } else {
      n->posted--;
      rx->len = len;
    }
    n->stats.rx_frames++;
    n->stats.rx_bytes += rx->len - VIRTIO_NET_HDR_SIZE;
    return rx;
  }
}

bool virtio_net_transmit(struct virtio_net *n, const uint8_t *frame, uint32_t len, void *cookie) {
  struct virtq_buf buf = {(uint64_t)frame, len, false};
  if (!virtq_add(&n->tx, &buf, 1, cookie)) {
    n->stats.tx_ring_full++;
    virtq_arm(&n->tx); /* the next completion wakes hal_wait; any already there the caller reclaims */
    return false;
  }
  n->stats.tx_frames++;
  n->stats.tx_bytes += len - VIRTIO_NET_HDR_SIZE;
  const uint8_t *pool = n->buffers[0].data;
  if (frame >= pool && frame < pool + RX_BUFFERS * RX_BUFFER_SIZE) n->stats.tx_from_rx_buffers++;
  return true;
}

void virtio_net_flush(struct virtio_net *n) { virtq_kick(&n->tx); }

bool virtio_net_drain(struct virtio_net *n, uint64_t deadline_ns) {
  virtq_kick(&n->tx);
  while (virtq_free(&n->tx) < n->tx.size) {
    if (hal_clock_now_ns() > deadline_ns) return false;
    virtq_next_used(&n->tx, NULL); /* the frames' owners are going away with the machine */
    __asm__ volatile("pause");
  }
  return true;
}

void *virtio_net_reclaim(struct virtio_net *n) {
  void *cookie = virtq_next_used(&n->tx, NULL);
  if (!cookie) virtq_disarm(&n->tx);
  return cookie;
}
