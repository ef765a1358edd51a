/*
 * virtio_pci.c: the modern virtio-pci transport (virtio 1.2 §4.1): the vendor
 * capabilities that locate the common, notify, ISR and device configuration structures
 * in the BARs; the status handshake of §3.1.1, step by step; queue setup; MSI-X.
 * cloud-hypervisor offers exactly this (modern only, MSI-X only); qemu does with
 * disable-legacy=on. Ring logic lives in virtqueue.c, device logic in the drivers.
 */
#include <stdio.h>
#include "clock.h"
#include "shim.h"
#include <stdlib.h>
#include "virtio_pci.h"

/* The transport's state; `dev` first, so a struct virtio_device * is also one of these. */
struct virtio_pci {
  struct virtio_device dev;
  struct pci_device *pci;
  volatile uint8_t *common, *isr, *notify;
  uint32_t notify_multiplier;
};

#define CAP_COMMON 1
#define CAP_NOTIFY 2
#define CAP_ISR 3
#define CAP_DEVICE 4

/* Common configuration structure offsets (§4.1.4.3). */
#define DEVICE_FEATURE_SELECT 0x00
#define DEVICE_FEATURE 0x04
#define DRIVER_FEATURE_SELECT 0x08
#define DRIVER_FEATURE 0x0c
#define CONFIG_MSIX_VECTOR 0x10
#define NUM_QUEUES 0x12
#define DEVICE_STATUS 0x14
#define QUEUE_SELECT 0x16
#define QUEUE_SIZE 0x18
#define QUEUE_MSIX_VECTOR 0x1a
#define QUEUE_ENABLE 0x1c
#define QUEUE_NOTIFY_OFF 0x1e
#define QUEUE_DESC 0x20
#define QUEUE_DRIVER 0x28
#define QUEUE_DEVICE 0x30

#define STATUS_ACKNOWLEDGE 1
#define STATUS_DRIVER 2
#define STATUS_DRIVER_OK 4
#define STATUS_FEATURES_OK 8
#define STATUS_FAILED 128

#define R8(vp, off) (*(volatile uint8_t *)((vp)->common + (off)))
#define R16(vp, off) (*(volatile uint16_t *)((vp)->common + (off)))
#define R32(vp, off) (*(volatile uint32_t *)((vp)->common + (off)))

static void write64(struct virtio_pci *vp, unsigned off, uint64_t v) {
  R32(vp, off) = (uint32_t)v; /* §4.1.3.1: 64-bit fields may be written as two 32-bit halves */
  R32(vp, off + 4) = (uint32_t)(v >> 32);
}

unsigned virtio_pci_type(const struct pci_device *d) {
  if (d->vendor != VIRTIO_VENDOR) return 0;
  if (d->device >= 0x1041 && d->device <= 0x107f) return d->device - 0x1040; /* modern */
  switch (d->device) { /* transitional ids, usable through their modern capabilities */
  case 0x1000: return VIRTIO_ID_NET;
  case 0x1001: return VIRTIO_ID_BLOCK;
  case 0x1003: return VIRTIO_ID_CONSOLE;
  case 0x1005: return VIRTIO_ID_RNG;
  default: return 0;
  }
}

static bool find_structures(struct virtio_pci *vp) {
  const struct pci_device *d = vp->pci;
  for (uint8_t cap = hal_pci_find_capability(d, PCI_CAP_VENDOR, 0); cap;
       cap = hal_pci_find_capability(d, PCI_CAP_VENDOR, cap)) {
    uint8_t type = hal_pci_read8(d, cap + 3), bar = hal_pci_read8(d, cap + 4);
    uint32_t offset = hal_pci_read32(d, cap + 8);
    if (bar > 5 || !d->bars[bar].base || d->bars[bar].io) continue;
    volatile uint8_t *at = (volatile uint8_t *)(d->bars[bar].base + offset);
    switch (type) { /* the first of each type is the preferred one (§4.1.4) */
    case CAP_COMMON: if (!vp->common) vp->common = at; break;
    case CAP_ISR: if (!vp->isr) vp->isr = at; break;
    case CAP_DEVICE: if (!vp->dev.config) vp->dev.config = at; break;
    case CAP_NOTIFY:
      if (!vp->notify) vp->notify = at, vp->notify_multiplier = hal_pci_read32(d, cap + 16);
      break;
    }
  }
  return vp->common && vp->notify && vp->isr;
}

static void set_status(struct virtio_pci *vp, uint8_t bits) { R8(vp, DEVICE_STATUS) = R8(vp, DEVICE_STATUS) | bits; }

static uint64_t pci_begin(struct virtio_device *dev) {
  struct virtio_pci *vp = (struct virtio_pci *)dev;
  const char *name = dev->name;
  /* §3.1.1: 1. reset, and wait until the device reads back 0. */
  R8(vp, DEVICE_STATUS) = 0;
  uint64_t deadline = hal_clock_now_ns() + 1000000000ull;
  while (R8(vp, DEVICE_STATUS) != 0)
    if (hal_clock_now_ns() > deadline) panic("%s: the device did not reset within 1 s", name);
  set_status(vp, STATUS_ACKNOWLEDGE);  // 2. we noticed it
  set_status(vp, STATUS_DRIVER);       // 3. we know how to drive it
  R32(vp, DEVICE_FEATURE_SELECT) = 0;  // 4. read what it offers
  uint64_t offered = R32(vp, DEVICE_FEATURE);
  R32(vp, DEVICE_FEATURE_SELECT) = 1;
  offered |= (uint64_t)R32(vp, DEVICE_FEATURE) << 32;
  if (!(offered & VIRTIO_F_VERSION_1)) {
    kprintf("skiff: %s: not a virtio 1.x device (no VERSION_1): skipped\n", name);
    set_status(vp, STATUS_FAILED);
    return 0;
  }
  return offered;
}

static bool pci_accept(struct virtio_device *dev, uint64_t features) {
  struct virtio_pci *vp = (struct virtio_pci *)dev;
  const char *name = dev->name;
  dev->features = features | VIRTIO_F_VERSION_1;
  R32(vp, DRIVER_FEATURE_SELECT) = 0;  // 4. (cont.) write the subset we take
  R32(vp, DRIVER_FEATURE) = (uint32_t)dev->features;
  R32(vp, DRIVER_FEATURE_SELECT) = 1;
  R32(vp, DRIVER_FEATURE) = (uint32_t)(dev->features >> 32);
  set_status(vp, STATUS_FEATURES_OK);  // 5. no more feature changes…
  if (!(R8(vp, DEVICE_STATUS) & STATUS_FEATURES_OK)) { // 6. …if the device agrees
    kprintf("skiff: %s: the device refused features 0x%lx: skipped\n", name, (unsigned long)dev->features);
    set_status(vp, STATUS_FAILED);
    return false;
  }
  R16(vp, CONFIG_MSIX_VECTOR) = VIRTIO_NO_VECTOR; /* no configuration-change interrupts */
  return true;                         // 7. the driver sets up its queues next
}

/* vq->transport holds the queue's doorbell (§4.1.4.4), computed once at setup: each
 * access to the common configuration would be a trap to the hypervisor. */
static void notify_queue(struct virtq *vq) { *(volatile uint16_t *)vq->transport = vq->index; }

static bool pci_queue(struct virtio_device *dev, struct virtq *vq, uint16_t index, uint16_t max_size, bool interrupts) {
  struct virtio_pci *vp = (struct virtio_pci *)dev;
  if (index >= R16(vp, NUM_QUEUES)) panic("virtio queue %u requested, the device has %u", index, R16(vp, NUM_QUEUES));
  R16(vp, QUEUE_SELECT) = index;
  uint16_t size = R16(vp, QUEUE_SIZE);
  if (size == 0) panic("virtio queue %u is not available (size 0)", index);
  while (size > max_size) size /= 2; /* sizes are powers of two for split queues */
  R16(vp, QUEUE_SIZE) = size;
  if (!virtq_init(vq, index, size, virtio_has(dev, VIRTIO_F_RING_EVENT_IDX))) return false;
  vq->notify = notify_queue;
  vq->transport = (void *)(vp->notify + (uint32_t)R16(vp, QUEUE_NOTIFY_OFF) * vp->notify_multiplier);
  R16(vp, QUEUE_MSIX_VECTOR) = interrupts ? 0 : VIRTIO_NO_VECTOR; /* MSI-X table entry 0 → vp->vector */
  if (interrupts && R16(vp, QUEUE_MSIX_VECTOR) == VIRTIO_NO_VECTOR)
    panic("virtio queue %u: the device could not map MSI-X entry 0", index);
  write64(vp, QUEUE_DESC, virtq_desc_addr(vq));
  write64(vp, QUEUE_DRIVER, virtq_avail_addr(vq));
  write64(vp, QUEUE_DEVICE, virtq_used_addr(vq));
  R16(vp, QUEUE_ENABLE) = 1;
  return true;
}

static void pci_ready(struct virtio_device *dev) {
  struct virtio_pci *vp = (struct virtio_pci *)dev;
  set_status(vp, STATUS_DRIVER_OK); // 8. live
  if (R8(vp, DEVICE_STATUS) & STATUS_FAILED) panic("virtio device at %02x:%02x.%x failed after DRIVER_OK",
                                                   vp->pci->bus, vp->pci->slot, vp->pci->function);
}

static const struct virtio_transport pci_transport = {pci_begin, pci_accept, pci_queue, pci_ready};

struct virtio_device *virtio_pci_open(struct pci_device *d, uint8_t vector, const char *name) {
  struct virtio_pci *vp = calloc(1, sizeof *vp);
  if (!vp) panic("%s: out of memory", name);
  vp->dev = (struct virtio_device){.transport = &pci_transport, .name = name};
  vp->pci = d;
  if (!find_structures(vp)) {
    kprintf("skiff: %s: no modern virtio-pci capabilities (legacy-only device?): skipped\n", name);
    free(vp);
    return NULL;
  }
  hal_pci_enable(d);
  if (!hal_pci_msix_enable(d, vector)) { /* every table entry → vector; queues use entry 0 */
    kprintf("skiff: %s: no MSI-X capability: skipped\n", name);
    free(vp);
    return NULL;
  }
  return &vp->dev;
}
