/* virtio_pci.h: the modern virtio-pci transport (virtio 1.2 §4.1). */
#ifndef SKIFF_VIRTIO_PCI_H
#define SKIFF_VIRTIO_PCI_H
#include <stdint.h>
#include "pci.h"
#include "virtio.h"

#define VIRTIO_VENDOR 0x1af4
#define VIRTIO_ID_NET 1
#define VIRTIO_ID_BLOCK 2
#define VIRTIO_ID_CONSOLE 3
#define VIRTIO_ID_RNG 4
#define VIRTIO_NO_VECTOR 0xffff

/* The virtio device type of a PCI function (VIRTIO_ID_*), or 0 when it is not one. */
unsigned virtio_pci_type(const struct pci_device *d);
/* The function as a virtio device whose queues interrupt with MSI-X `vector`, or NULL
 * when it lacks the modern capabilities or MSI-X (a message says which). */
struct virtio_device *virtio_pci_open(struct pci_device *d, uint8_t vector, const char *name);
#endif
