/*
 * devices.c: the device table. Scans PCI, opens each virtio device we drive through the
 * PCI transport, hands it to its driver, and gives it the next index (its HAL argument,
 * ReadySet bit and MSI-X vector offset). A virtio-mmio scan would sit beside the PCI one
 * and hand its devices to the same drivers.
 *
 * With devchannel=serial (console.h) the first virtio-console port is the console — it
 * keeps its index and vector but is hidden from the HAL — and the UART is appended as a
 * console-kind device, the development channel, polled rather than interrupt-driven.
 */
#include <stdio.h>
#include "clock.h"
#include "console.h"
#include "devices.h"
#include "pci.h"
#include "shim.h"
#include "virtio_blk.h"
#include "virtio_net.h"
#include "virtio_pci.h"
#include "virtio_small.h"

static struct device devices[MAX_DEVICES];
static unsigned count;
char hal_serial_channel_driver;

void hal_devices_init(void) {
  bool console_attached = false;
  hal_pci_init();
  for (unsigned i = 0; i < hal_pci_count() && count < MAX_DEVICES; i++) {
    struct pci_device *pci = hal_pci_get(i);
    unsigned type = virtio_pci_type(pci);
    if (!type) continue;
    struct device *dev = &devices[count];
    char where[16];
    hal_pci_name(pci, where, sizeof where);
    static const struct { const char *prefix; enum device_kind kind; } kinds[] = {
        [VIRTIO_ID_NET] = {"virtio-net", DEVICE_NET},
        [VIRTIO_ID_BLOCK] = {"virtio-blk", DEVICE_BLOCK},
        [VIRTIO_ID_CONSOLE] = {"virtio-console", DEVICE_CONSOLE},
        [VIRTIO_ID_RNG] = {"virtio-rng", DEVICE_RNG},
    };
    if (type >= ARRAY_SIZE(kinds) || !kinds[type].prefix) continue; /* a virtio device we do not drive (yet) */
    snprintf(dev->name, sizeof dev->name, "%s@%s", kinds[type].prefix, where);
    dev->kind = kinds[type].kind;
    struct virtio_device *virtio = virtio_pci_open(pci, (uint8_t)(DEVICE_VECTOR_BASE + count), dev->name);
    if (!virtio) continue;
    switch (dev->kind) {
    case DEVICE_NET: dev->driver = virtio_net_probe(virtio); break;
    case DEVICE_BLOCK: dev->driver = virtio_blk_probe(virtio); break;
    case DEVICE_RNG: dev->driver = virtio_rng_probe(virtio); break;
    case DEVICE_CONSOLE: dev->driver = virtio_console_probe(virtio); break;
    }
    if (!dev->driver) continue;
    if (dev->kind == DEVICE_CONSOLE && hal_console_serial_is_channel() && !console_attached) {
      dev->hidden = true;
      hal_console_attach(dev->driver);
      console_attached = true;
    }
    count++;
  }
  if (hal_console_serial_is_channel() && !console_attached) {
    hal_console_cancel_serial_channel(); /* no virtio-console to take the console: it stays on the UART */
    kprintf("skiff: devchannel=serial, but there is no virtio-console for the console: it stays on the serial port, and the development channel is closed\n");
  }
  if (hal_console_serial_is_channel() && count < MAX_DEVICES) {
    struct device *uart = &devices[count];
    snprintf(uart->name, sizeof uart->name, "serial@0x3f8");
    uart->kind = DEVICE_CONSOLE;
    uart->driver = SERIAL_CHANNEL;
    hal_console_set_channel_index(count);
    count++;
  }
}

void hal_devices_quiesce(uint64_t timeout_ns) {
  uint64_t deadline = hal_clock_now_ns() + timeout_ns;
  for (unsigned i = 0; i < count; i++) {
    bool drained = true;
    if (devices[i].kind == DEVICE_NET) drained = virtio_net_drain(devices[i].driver, deadline);
    if (devices[i].kind == DEVICE_CONSOLE && devices[i].driver != SERIAL_CHANNEL) drained = virtio_console_drain(devices[i].driver, deadline);
    if (!drained) kprintf("skiff: %s: output still queued at power-off after %lu ms\n", devices[i].name,
                          (unsigned long)(timeout_ns / 1000000));
  }
}

unsigned hal_device_count(void) { return count; }
const struct device *hal_device(unsigned index) { return index < count ? &devices[index] : NULL; }

void *hal_device_first(enum device_kind kind) {
  for (unsigned i = 0; i < count; i++)
    if (devices[i].kind == kind && !devices[i].hidden) return devices[i].driver;
  return NULL;
}
