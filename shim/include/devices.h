/*
 * devices.h: the devices the shim drives, by index. The index is the device's argument
 * in the HAL and its bit in hal_wait's ready set; its MSI-X vector is
 * DEVICE_VECTOR_BASE + index.
 */
#ifndef SKIFF_DEVICES_H
#define SKIFF_DEVICES_H
#include <stdbool.h>
#include <stdint.h>

#define MAX_DEVICES 16
#define DEVICE_VECTOR_BASE 0x40

enum device_kind { DEVICE_NET, DEVICE_BLOCK, DEVICE_RNG, DEVICE_CONSOLE };

struct device {
  enum device_kind kind;
  char name[40];  /* "virtio-net@00:03.0" */
  void *driver;   /* struct virtio_net *, struct virtio_blk *, …; SERIAL_CHANNEL for the UART */
  bool hidden;    /* the console's own virtio-console port (devchannel=serial): not a HAL device */
};

/* The driver of the UART when it is a channel device (devchannel=serial). */
extern char hal_serial_channel_driver;
#define SERIAL_CHANNEL ((void *)&hal_serial_channel_driver)

/* Scans PCI and brings up every virtio device it knows. */
void hal_devices_init(void);
unsigned hal_device_count(void);
/* Lets devices finish sending what they were given (at most timeout_ns): power-off. */
void hal_devices_quiesce(uint64_t timeout_ns);
const struct device *hal_device(unsigned index);
/* The first device of a kind, or NULL. */
void *hal_device_first(enum device_kind kind);
#endif
