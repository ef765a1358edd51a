#ifndef SKIFF_PCI_H
#define SKIFF_PCI_H
#include <stdbool.h>
#include <stdint.h>

#define PCI_MAX_DEVICES 32
#define PCI_CAP_MSIX 0x11
#define PCI_CAP_VENDOR 0x09

struct pci_bar {
  uint64_t base; /* 0 when unassigned or absent */
  uint64_t size;
  bool io, is64;
};

struct pci_device {
  uint8_t bus, slot, function;
  uint16_t vendor, device;
  uint8_t class_code, subclass;
  struct pci_bar bars[6];
};

void hal_pci_init(void);
unsigned hal_pci_count(void);
struct pci_device *hal_pci_get(unsigned i);
uint32_t hal_pci_read32(const struct pci_device *d, uint16_t offset);
void hal_pci_write32(const struct pci_device *d, uint16_t offset, uint32_t value);
uint8_t hal_pci_read8(const struct pci_device *d, uint16_t offset);
uint16_t hal_pci_read16(const struct pci_device *d, uint16_t offset);
void hal_pci_write16(const struct pci_device *d, uint16_t offset, uint16_t value);
/* Offset of the next capability with this id after `after` (0 = from the start), or 0. */
uint8_t hal_pci_find_capability(const struct pci_device *d, uint8_t id, uint8_t after);
/* Memory decoding and bus mastering on, legacy INTx off. */
void hal_pci_enable(const struct pci_device *d);
/* Points every MSI-X table entry of the device at `vector` on this CPU and enables MSI-X.
 * Returns the table size, or 0 when the device has no MSI-X capability. */
unsigned hal_pci_msix_enable(const struct pci_device *d, uint8_t vector);
/* "bb:ss.f" */
void hal_pci_name(const struct pci_device *d, char *out, unsigned cap);
#endif
