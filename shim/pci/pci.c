/*
 * pci.c: PCI configuration space, enumeration, BAR sizing, capabilities, MSI-X.
 *
 * Config access is through ECAM when the ACPI MCFG table gives one (cloud-hypervisor at
 * 0xE800_0000, qemu q35 at 0xB000_0000; uncached in our page tables) and through ports
 * 0xCF8/0xCFC otherwise. Buses are scanned from 0 following PCI-to-PCI bridges. BARs
 * are sized by the write-all-ones method with decoding off. cloud-hypervisor places them
 * itself and we never move one. qemu's q35 boots with qboot (hypervisor-configs/
 * qemu-q35.json: no BIOS POST, as cloud-hypervisor has none), which leaves them at 0, so
 * we place the memory BARs found unassigned, as Linux does under qboot: 32-bit ones just
 * above low RAM, below ECAM and the IOAPIC; 64-bit ones above 4 GiB and all RAM. I/O BARs
 * stay unassigned (no driver of ours uses port I/O on PCI), and so do BARs behind a bridge,
 * whose windows we do not program. 64-bit BARs above 4 GiB are mapped uncached here.
 */
#include <string.h>
#include "acpi.h"
#include "boot.h"
#include <stdio.h>
#include "lapic.h"
#include "paging.h"
#include "pci.h"
#include "shim.h"

#define CONFIG_ADDRESS 0xcf8
#define CONFIG_DATA 0xcfc
#define REG_VENDOR 0x00
#define REG_COMMAND 0x04
#define REG_CLASS 0x08
#define REG_HEADER_TYPE 0x0e
#define REG_BAR0 0x10
#define REG_SECONDARY_BUS 0x19
#define REG_CAPABILITIES 0x34
#define COMMAND_MEMORY (1u << 1)
#define COMMAND_BUS_MASTER (1u << 2)
#define COMMAND_INTX_DISABLE (1u << 10)
#define STATUS_CAPABILITIES (1u << 4)
#define MSIX_ENABLE (1u << 15)
#define MSIX_FUNCTION_MASK (1u << 14)

static uint64_t ecam_base;
static uint8_t ecam_bus_start, ecam_bus_end;
static struct pci_device devices[PCI_MAX_DEVICES];
static unsigned device_count;

static volatile uint32_t *ecam_address(uint8_t bus, uint8_t slot, uint8_t fn, uint16_t offset) {
  return (volatile uint32_t *)(ecam_base + ((uint64_t)(bus - ecam_bus_start) << 20) + ((uint64_t)slot << 15) +
                               ((uint64_t)fn << 12) + (offset & 0xffc));
}

static bool use_ecam(uint8_t bus) { return ecam_base && bus >= ecam_bus_start && bus <= ecam_bus_end; }

static uint32_t config_read(uint8_t bus, uint8_t slot, uint8_t fn, uint16_t offset) {
  if (use_ecam(bus)) return *ecam_address(bus, slot, fn, offset);
  outl(CONFIG_ADDRESS, 0x80000000u | bus << 16 | slot << 11 | fn << 8 | (offset & 0xfc));
  uint32_t v;
  __asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"((uint16_t)CONFIG_DATA));
  return v;
}

static void config_write(uint8_t bus, uint8_t slot, uint8_t fn, uint16_t offset, uint32_t value) {
  if (use_ecam(bus)) { *ecam_address(bus, slot, fn, offset) = value; return; }
  outl(CONFIG_ADDRESS, 0x80000000u | bus << 16 | slot << 11 | fn << 8 | (offset & 0xfc));
  outl(CONFIG_DATA, value);
}

uint32_t hal_pci_read32(const struct pci_device *d, uint16_t offset) {
  return config_read(d->bus, d->slot, d->function, offset);
}
void hal_pci_write32(const struct pci_device *d, uint16_t offset, uint32_t value) {
  config_write(d->bus, d->slot, d->function, offset, value);
}
uint8_t hal_pci_read8(const struct pci_device *d, uint16_t offset) {
  return (uint8_t)(hal_pci_read32(d, offset & ~3) >> ((offset & 3) * 8));
}
uint16_t hal_pci_read16(const struct pci_device *d, uint16_t offset) {
  return (uint16_t)(hal_pci_read32(d, offset & ~3) >> ((offset & 2) * 8));
}
void hal_pci_write16(const struct pci_device *d, uint16_t offset, uint16_t value) {
  uint32_t word = hal_pci_read32(d, offset & ~3), shift = (offset & 2) * 8;
  hal_pci_write32(d, offset & ~3, (word & ~(0xffffu << shift)) | (uint32_t)value << shift);
}

unsigned hal_pci_count(void) { return device_count; }
struct pci_device *hal_pci_get(unsigned i) { return i < device_count ? &devices[i] : NULL; }

void hal_pci_name(const struct pci_device *d, char *out, unsigned cap) {
  snprintf(out, cap, "%02x:%02x.%x", d->bus, d->slot, d->function);
}

/* Sizes BAR i (and its upper half when 64-bit); returns how many BAR slots it used. */
static int size_bar(struct pci_device *d, int i) {
  uint16_t reg = REG_BAR0 + 4 * i;
  uint32_t original = hal_pci_read32(d, reg);
  struct pci_bar *bar = &d->bars[i];
  bar->io = original & 1;
  bar->is64 = !bar->io && ((original >> 1) & 3) == 2;
  hal_pci_write32(d, reg, 0xffffffffu);
  uint32_t low = hal_pci_read32(d, reg);
  hal_pci_write32(d, reg, original);
  uint64_t mask = bar->io ? (low & ~3u) | 0xffff0000u : low & ~0xfu, base = bar->io ? original & ~3u : original & ~0xfu;
  if (bar->is64) {
    uint32_t original_high = hal_pci_read32(d, reg + 4);
    hal_pci_write32(d, reg + 4, 0xffffffffu);
    uint32_t high = hal_pci_read32(d, reg + 4);
    hal_pci_write32(d, reg + 4, original_high);
    mask |= (uint64_t)high << 32;
    base |= (uint64_t)original_high << 32;
  } else {
    mask |= 0xffffffff00000000ull;
  }
  /* A BAR that is not implemented reads back all zeros: no size, whatever the upper half. */
  bar->size = (low & (bar->io ? ~3u : ~0xfu)) ? ~mask + 1 : 0;
  if (bar->io) bar->size &= 0xffff;
  bar->base = bar->size ? base : 0;
  return bar->is64 ? 2 : 1;
}

/* Where unassigned memory BARs go: [next32, limit32) below 4 GiB, from next64 above. */
static uint64_t next32, limit32, next64;

static void plan_bar_windows(void) {
  next32 = ALIGN_UP(hal_boot_low_ram_top(), MiB);
  limit32 = 0xfec00000; /* the IOAPIC; above it the LAPIC and the firmware */
  if (ecam_base >= next32 && ecam_base < limit32) limit32 = ecam_base;
  uint64_t ram_top = ALIGN_UP(hal_boot_ram_top(), GiB);
  next64 = ram_top > 4 * GiB ? ram_top : 4 * GiB;
}

/* A naturally aligned `size` bytes from [*next, limit), or 0 when they do not fit. */
static uint64_t take(uint64_t *next, uint64_t limit, uint64_t size) {
  uint64_t base = ALIGN_UP(*next, size);
  if (base < *next || base > limit || size > limit - base) return 0; /* wrapped, or past the limit */
  *next = base + size;
  return base;
}

/* Places BAR i of a device on bus 0 that the firmware left at 0 (decoding is off). */
static void assign_bar(struct pci_device *d, int i) {
  struct pci_bar *bar = &d->bars[i];
  if (bar->io || bar->base || !bar->size || d->bus != 0) return;
  uint64_t base = bar->is64 ? take(&next64, UINT64_MAX, bar->size) : take(&next32, limit32, bar->size);
  if (!base) {
    kprintf("skiff: PCI %02x:%02x.%x: no room for BAR %d (%lu bytes): left unassigned\n", d->bus, d->slot, d->function,
            i, (unsigned long)bar->size);
    return;
  }
  uint16_t reg = REG_BAR0 + 4 * i;
  hal_pci_write32(d, reg, (uint32_t)base | (hal_pci_read32(d, reg) & 0xf));
  if (bar->is64) hal_pci_write32(d, reg + 4, (uint32_t)(base >> 32));
  bar->base = base;
}

static void probe_function(uint8_t bus, uint8_t slot, uint8_t fn);

static void scan_bus(uint8_t bus) {
  for (uint8_t slot = 0; slot < 32; slot++) {
    if ((config_read(bus, slot, 0, REG_VENDOR) & 0xffff) == 0xffff) continue;
    bool multifunction = (config_read(bus, slot, 0, REG_HEADER_TYPE & ~3) >> 16) & 0x80;
    for (uint8_t fn = 0; fn < (multifunction ? 8 : 1); fn++)
      if ((config_read(bus, slot, fn, REG_VENDOR) & 0xffff) != 0xffff) probe_function(bus, slot, fn);
  }
}

static void probe_function(uint8_t bus, uint8_t slot, uint8_t fn) {
  uint32_t id = config_read(bus, slot, fn, REG_VENDOR), class_reg = config_read(bus, slot, fn, REG_CLASS);
  uint8_t header = (uint8_t)(config_read(bus, slot, fn, REG_HEADER_TYPE & ~3) >> 16) & 0x7f;
  if (header == 1) { /* PCI-to-PCI bridge: scan what is behind it */
    uint8_t secondary = (uint8_t)(config_read(bus, slot, fn, REG_SECONDARY_BUS & ~3) >> 8);
    if (secondary > bus) scan_bus(secondary);
    return;
  }
  if (header != 0 || device_count == PCI_MAX_DEVICES) return;
  struct pci_device *d = &devices[device_count++];
  *d = (struct pci_device){bus, slot, fn, (uint16_t)id, (uint16_t)(id >> 16), (uint8_t)(class_reg >> 24),
                           (uint8_t)(class_reg >> 16), {{0}}};
  uint16_t command = hal_pci_read16(d, REG_COMMAND);
  hal_pci_write16(d, REG_COMMAND, command & ~(COMMAND_MEMORY | 1)); /* no decoding while sizing */
  for (int i = 0; i < 6;) {
    int used = size_bar(d, i);
    assign_bar(d, i);
    i += used;
  }
  hal_pci_write16(d, REG_COMMAND, command);
  for (int i = 0; i < 6; i++) {
    const struct pci_bar *bar = &d->bars[i];
    if (bar->base && !bar->io && bar->base + bar->size > 4 * GiB) hal_paging_map_mmio(bar->base, bar->size);
  }
}

void hal_pci_init(void) {
  const uint8_t *mcfg = hal_acpi_find_table("MCFG");
  if (mcfg && *(const uint32_t *)(mcfg + 4) >= 44 + 16) {
    const uint8_t *entry = mcfg + 44; /* SDT header (36) + reserved (8); first segment group */
    if (*(const uint16_t *)(entry + 8) == 0) {
      ecam_base = *(const uint64_t *)entry;
      ecam_bus_start = entry[10];
      ecam_bus_end = entry[11];
      if (ecam_base + ((uint64_t)(ecam_bus_end - ecam_bus_start + 1) << 20) > 4 * GiB)
        hal_paging_map_mmio(ecam_base, (uint64_t)(ecam_bus_end - ecam_bus_start + 1) << 20);
    }
  }
  plan_bar_windows();
  scan_bus(0);
}

const char *hal_pci_access_mode(void) { return ecam_base ? "ecam" : "ports"; }

uint8_t hal_pci_find_capability(const struct pci_device *d, uint8_t id, uint8_t after) {
  if (!(hal_pci_read16(d, 0x06) & STATUS_CAPABILITIES)) return 0;
  uint8_t offset = after ? hal_pci_read8(d, after + 1) : hal_pci_read8(d, REG_CAPABILITIES);
  for (int guard = 0; offset >= 0x40 && guard < 48; guard++) {
    offset &= 0xfc;
    if (hal_pci_read8(d, offset) == id) return offset;
    offset = hal_pci_read8(d, offset + 1);
  }
  return 0;
}

void hal_pci_enable(const struct pci_device *d) {
  uint16_t command = hal_pci_read16(d, REG_COMMAND);
  hal_pci_write16(d, REG_COMMAND, command | COMMAND_MEMORY | COMMAND_BUS_MASTER | COMMAND_INTX_DISABLE);
}

unsigned hal_pci_msix_enable(const struct pci_device *d, uint8_t vector) {
  uint8_t cap = hal_pci_find_capability(d, PCI_CAP_MSIX, 0);
  if (!cap) return 0;
  uint16_t control = hal_pci_read16(d, cap + 2);
  unsigned entries = (control & 0x7ff) + 1;
  uint32_t table = hal_pci_read32(d, cap + 4);
  const struct pci_bar *bar = &d->bars[table & 7];
  if (!bar->base || bar->io) panic("PCI %02x:%02x.%x: MSI-X table in an unusable BAR", d->bus, d->slot, d->function);
  volatile uint32_t *entry = (volatile uint32_t *)(bar->base + (table & ~7u));
  /* Mask the function while programming, then enable with every entry unmasked. */
  hal_pci_write16(d, cap + 2, control | MSIX_ENABLE | MSIX_FUNCTION_MASK);
  uint32_t apic_id = hal_lapic_id();
  for (unsigned i = 0; i < entries; i++, entry += 4) {
    entry[0] = 0xfee00000u | (apic_id & 0xff) << 12; /* message address: this CPU, fixed delivery */
    entry[1] = 0;
    entry[2] = vector;                             /* message data: edge, fixed, the vector */
    entry[3] = 0;                                  /* unmasked */
  }
  hal_pci_write16(d, cap + 2, (control | MSIX_ENABLE) & ~MSIX_FUNCTION_MASK);
  return entries;
}
