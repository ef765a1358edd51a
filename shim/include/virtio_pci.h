#ifndef SKIFF_VIRTIO_PCI_H
#define SKIFF_VIRTIO_PCI_H
#include <stdbool.h>
#include <stdint.h>
#include "pci.h"
#include "virtqueue.h"

#define VIRTIO_VENDOR 0x1af4
#define VIRTIO_ID_NET 1
#define VIRTIO_ID_BLOCK 2
#define VIRTIO_ID_CONSOLE 3
#define VIRTIO_ID_RNG 4
#define VIRTIO_F_VERSION_1 (1ull << 32)
#define VIRTIO_F_RING_EVENT_IDX (1ull << 29)
#define VIRTIO_NO_VECTOR 0xffff

/* The modern virtio-pci transport (virtio 1.2 §4.1) of one device. */
struct virtio_pci {
  struct pci_device *pci;
  volatile uint8_t *common, *isr, *config, *notify;
  uint32_t notify_multiplier;
  uint64_t features; /* negotiated */
  uint8_t vector;    /* the MSI-X vector every queue of this device raises */
};

/* The virtio device type of a PCI function (VIRTIO_ID_*), or 0 when it is not one. */
unsigned virtio_pci_type(const struct pci_device *d);
/* Handshake steps 1–4 (§3.1.1): finds the capabilities, turns on MSI-X with `vector`,
 * resets, ACKNOWLEDGE, DRIVER, and returns the features the device offers (0 when it is
 * unusable: no modern capabilities, no MSI-X, no VERSION_1; a message says which). */
uint64_t virtio_pci_begin(struct virtio_pci *vp, struct pci_device *d, uint8_t vector, const char *name);
/* Steps 4–6: writes `features` (plus VERSION_1) and sets FEATURES_OK; false, with the
 * device FAILED and a message, when the device does not accept them. */
bool virtio_pci_accept(struct virtio_pci *vp, uint64_t features, const char *name);
/* Sets up queue `index` with at most `max_size` entries; `interrupts`: MSI-X vector or none. */
bool virtio_pci_queue(struct virtio_pci *vp, struct virtq *vq, uint16_t index, uint16_t max_size, bool interrupts);
/* DRIVER_OK: the device may now use the queues. */
void virtio_pci_ready(struct virtio_pci *vp);
bool virtio_has(const struct virtio_pci *vp, uint64_t feature);
#endif
