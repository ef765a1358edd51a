/*
 * start_info.c: reads the PVH hvm_start_info the hypervisor left for us
 * (xen/include/public/arch-x86/hvm/start_info.h) and copies what we keep —
 * command line, memory map, RSDP address, modules — into our own BSS, because
 * it may sit in memory we reuse (on qemu microvm it lies in the BIOS area).
 *
 * Modules are kept where the hypervisor loaded them: module 0 is the app image
 * (cloud-hypervisor --initramfs, qemu -initrd), which the kernel reads in place
 * (shim/js/hal_image.c) for the whole boot. So the heap is carved around every module
 * (hal_boot_heap_range), and a module that is not in RAM or overlaps the shim's image
 * is a panic rather than memory two owners would write.
 */
#include <string.h>
#include "boot.h"
#include "shim.h"

#define HVM_START_MAGIC 0x336ec578u
#define E820_RAM 1

struct __attribute__((packed)) hvm_start_info {
  uint32_t magic, version, flags, nr_modules;
  uint64_t modlist_paddr, cmdline_paddr, rsdp_paddr;
  uint64_t memmap_paddr; /* version >= 1 */
  uint32_t memmap_entries, reserved;
};
struct __attribute__((packed)) hvm_memmap_entry { uint64_t addr, size; uint32_t type, reserved; };
struct __attribute__((packed)) hvm_modlist_entry { uint64_t paddr, size, cmdline_paddr, reserved; };

static struct boot_info info;

const struct boot_info *hal_boot_info(void) { return &info; }

void hal_boot_info_read(uint64_t start_info_paddr) {
  const struct hvm_start_info *si = (const struct hvm_start_info *)start_info_paddr;
  if (!si || si->magic != HVM_START_MAGIC) panic("no PVH start_info (magic %x)", si ? si->magic : 0);
  if (si->version < 1 || !si->memmap_paddr) panic("PVH start_info version %u has no memory map", si->version);
  if (si->cmdline_paddr) {
    const char *cmdline = (const char *)si->cmdline_paddr;
    size_t n = strlen(cmdline);
    if (n >= sizeof info.cmdline) n = sizeof info.cmdline - 1;
    memcpy(info.cmdline, cmdline, n);
  }
  info.rsdp = si->rsdp_paddr;
  const struct hvm_memmap_entry *map = (const struct hvm_memmap_entry *)si->memmap_paddr;
  for (uint32_t i = 0; i < si->memmap_entries && info.ram_count < BOOT_MAX_RAM; i++) {
    if (map[i].type != E820_RAM || map[i].size == 0) continue; /* microvm adds an all-zero entry */
    info.ram[info.ram_count].start = map[i].addr;
    info.ram[info.ram_count].end = map[i].addr + map[i].size;
    info.ram_count++;
  }
  const struct hvm_modlist_entry *mods = (const struct hvm_modlist_entry *)si->modlist_paddr;
  for (uint32_t i = 0; mods && i < si->nr_modules && info.module_count < BOOT_MAX_MODULES; i++) {
    info.modules[info.module_count].start = mods[i].paddr;
    info.modules[info.module_count].end = mods[i].paddr + mods[i].size;
    info.module_count++;
  }
}

void hal_boot_modules_check(uint64_t image_start, uint64_t image_end) {
  for (unsigned m = 0; m < info.module_count; m++) {
    struct range mod = info.modules[m];
    if (mod.end < mod.start) panic("PVH module %u has a size that wraps around (start %#lx)", m, (unsigned long)mod.start);
    bool in_ram = false;
    for (unsigned i = 0; i < info.ram_count && !in_ram; i++)
      in_ram = mod.start >= info.ram[i].start && mod.end <= info.ram[i].end;
    if (!in_ram)
      panic("PVH module %u at [%#lx, %#lx) is not in RAM: the kernel cannot keep it", m, (unsigned long)mod.start,
            (unsigned long)mod.end);
    if (mod.start < image_end && mod.end > image_start)
      panic("PVH module %u at [%#lx, %#lx) overlaps the shim's image [%#lx, %#lx)", m, (unsigned long)mod.start,
            (unsigned long)mod.end, (unsigned long)image_start, (unsigned long)image_end);
  }
}

uint64_t hal_boot_low_ram_top(void) {
  uint64_t top = 0;
  for (unsigned i = 0; i < info.ram_count; i++) {
    if (info.ram[i].start >= 4 * GiB) continue;
    uint64_t end = info.ram[i].end < 4 * GiB ? info.ram[i].end : 4 * GiB;
    if (end > top) top = end;
  }
  return top;
}

uint64_t hal_boot_ram_top(void) {
  uint64_t top = 0;
  for (unsigned i = 0; i < info.ram_count; i++)
    if (info.ram[i].end > top) top = info.ram[i].end;
  return top;
}

/* The heap gets the largest piece of RAM above the image that holds no module
 * and lies below `mapped_top`. */
struct range hal_boot_heap_range(uint64_t image_end, uint64_t mapped_top) {
  struct range best = {0, 0};
  for (unsigned i = 0; i < info.ram_count; i++) {
    struct range pieces[BOOT_MAX_MODULES + 1];
    unsigned n = 0;
    pieces[n++] = (struct range){info.ram[i].start > image_end ? info.ram[i].start : image_end,
                                 info.ram[i].end < mapped_top ? info.ram[i].end : mapped_top};
    for (unsigned m = 0; m < info.module_count; m++) {
      struct range mod = {ALIGN_DOWN(info.modules[m].start, 4096), ALIGN_UP(info.modules[m].end, 4096)};
      for (unsigned p = 0, count = n; p < count; p++) {
        struct range *r = &pieces[p];
        if (mod.end <= r->start || mod.start >= r->end) continue;
        if (mod.end < r->end && n < ARRAY_SIZE(pieces)) pieces[n++] = (struct range){mod.end, r->end};
        r->end = mod.start > r->start ? mod.start : r->start;
      }
    }
    for (unsigned p = 0; p < n; p++)
      if (pieces[p].end > pieces[p].start && pieces[p].end - pieces[p].start > best.end - best.start)
        best = pieces[p];
  }
  return best;
}
