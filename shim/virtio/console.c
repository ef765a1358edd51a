/*
 * console.c: the virtio-console driver (virtio 1.2 §5.3) for port 0 only, without
 * VIRTIO_CONSOLE_F_MULTIPORT: queue 0 receives, queue 1 transmits. It is a byte channel
 * to the host (the development channel of hot reload rides on it) and the kernel's own
 * console stays on the 16550 — except with devchannel=serial, where the roles swap and the
 * first port carries the console (shim/include/console.h). Receive buffers are posted in
 * advance and copied out by the JS layer; transmit copies into a small pool of buffers.
 */
#include <stdlib.h>
#include <string.h>
#include "clock.h"
#include "shim.h"
#include "virtio_small.h"

#define BUFFER_SIZE 4096
#define RX_BUFFERS 8
#define TX_BUFFERS 8

struct console_buffer { uint8_t data[BUFFER_SIZE]; struct console_buffer *next_free; };

struct virtio_console {
  struct virtio_device *dev;
  struct virtq rx, tx;
  struct console_buffer *rx_buffers, *tx_free;
  struct console_buffer *current; /* received, not yet consumed */
  uint32_t current_len;
};

static void post_rx(struct virtio_console *c, struct console_buffer *b) {
  struct virtq_buf buf = {(uint64_t)b->data, BUFFER_SIZE, true};
  virtq_add(&c->rx, &buf, 1, b);
  virtq_kick(&c->rx);
}

struct virtio_console *virtio_console_probe(struct virtio_device *dev) {
  struct virtio_console *c = calloc(1, sizeof *c);
  struct console_buffer *buffers = calloc(RX_BUFFERS + TX_BUFFERS, sizeof *buffers);
  if (!c || !buffers) panic("%s: out of memory", dev->name);
  c->dev = dev;
  uint64_t offered = virtio_begin(dev);
  if (!offered || !virtio_accept(dev, offered & VIRTIO_F_RING_EVENT_IDX)) return NULL;
  if (!virtio_queue(dev, &c->rx, 0, 16, true) || !virtio_queue(dev, &c->tx, 1, 16, true))
    panic("%s: out of memory for the virtqueues", dev->name);
  virtio_ready(dev);
  for (unsigned i = 0; i < RX_BUFFERS; i++) post_rx(c, &buffers[i]);
  for (unsigned i = RX_BUFFERS; i < RX_BUFFERS + TX_BUFFERS; i++) {
    buffers[i].next_free = c->tx_free;
    c->tx_free = &buffers[i];
  }
  virtq_arm(&c->rx);
  virtq_disarm(&c->tx);
  return c;
}

size_t virtio_console_peek(struct virtio_console *c, const uint8_t **bytes) {
  while (!c->current) {
    c->current = virtq_next_used(&c->rx, &c->current_len);
    if (c->current && c->current_len == 0) { post_rx(c, c->current); c->current = NULL; continue; }
    if (!c->current && !virtq_arm(&c->rx)) return 0;
  }
  *bytes = c->current->data;
  return c->current_len < BUFFER_SIZE ? c->current_len : BUFFER_SIZE;
}

void virtio_console_consumed(struct virtio_console *c) {
  if (!c->current) return;
  post_rx(c, c->current);
  c->current = NULL;
}

bool virtio_console_drain(struct virtio_console *c, uint64_t deadline_ns) {
  while (virtq_free(&c->tx) < c->tx.size) {
    if (hal_clock_now_ns() > deadline_ns) return false;
    virtq_next_used(&c->tx, NULL);
    __asm__ volatile("pause");
  }
  return true;
}

size_t virtio_console_write(struct virtio_console *c, const uint8_t *bytes, size_t n) {
  struct console_buffer *done;
  while ((done = virtq_next_used(&c->tx, NULL))) {
    done->next_free = c->tx_free;
    c->tx_free = done;
  }
  struct console_buffer *b = c->tx_free;
  if (!b) {
    virtq_arm(&c->tx);
    return 0;
  }
  size_t count = n < BUFFER_SIZE ? n : BUFFER_SIZE;
  memcpy(b->data, bytes, count);
  struct virtq_buf buf = {(uint64_t)b->data, (uint32_t)count, false};
  if (!virtq_add(&c->tx, &buf, 1, b)) return 0;
  c->tx_free = b->next_free;
  virtq_kick(&c->tx);
  virtq_disarm(&c->tx);
  return count;
}
