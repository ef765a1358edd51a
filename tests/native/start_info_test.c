/*
 * start_info_test.c: the shim's PVH start_info reader (shim/boot/start_info.c), compiled for
 * the host and fed a hvm_start_info built here: a memory map like qemu's and one module
 * (the app image) where a scenario puts it. Prints what the heap gets and whether the
 * module check passed; the ava side (tests/unit/shim_start_info.test.ts) checks that the
 * heap never overlaps the module and that a module outside RAM or over the image panics.
 * Usage: start_info_test SCENARIO   (top | middle | none | outside-ram | over-image)
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "boot.h"

#define MiB (1024ull * 1024)

struct __attribute__((packed)) hvm_start_info {
  uint32_t magic, version, flags, nr_modules;
  uint64_t modlist_paddr, cmdline_paddr, rsdp_paddr, memmap_paddr;
  uint32_t memmap_entries, reserved;
};
struct __attribute__((packed)) hvm_memmap_entry { uint64_t addr, size; uint32_t type, reserved; };
struct __attribute__((packed)) hvm_modlist_entry { uint64_t paddr, size, cmdline_paddr, reserved; };

_Noreturn void panic(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  printf("panic: ");
  vprintf(fmt, ap);
  printf("\n");
  va_end(ap);
  exit(3);
}

int main(int argc, char **argv) {
  const char *scenario = argc > 1 ? argv[1] : "top";
  static struct hvm_memmap_entry map[] = {
      {0, 0x9fc00, 1, 0}, {0x9fc00, 0x400, 2, 0}, {0xf0000, 0x10000, 2, 0}, {0x100000, 64 * MiB - 0x100000, 1, 0},
  };
  static struct hvm_modlist_entry module = {0, 0, 0, 0};
  static char cmdline[] = "app=hello";
  uint64_t image_start = 1 * MiB, image_end = 2 * MiB;
  if (!strcmp(scenario, "top")) module = (struct hvm_modlist_entry){64 * MiB - 0x4a000, 300001, 0, 0};
  else if (!strcmp(scenario, "middle")) module = (struct hvm_modlist_entry){30 * MiB + 0x123, 5000, 0, 0};
  else if (!strcmp(scenario, "outside-ram")) module = (struct hvm_modlist_entry){0xa0000, 0x1000, 0, 0};
  else if (!strcmp(scenario, "over-image")) module = (struct hvm_modlist_entry){image_end - 0x1000, 0x2000, 0, 0};
  else if (strcmp(scenario, "none")) { fprintf(stderr, "unknown scenario %s\n", scenario); return 2; }

  struct hvm_start_info si = {
      .magic = 0x336ec578u, .version = 1, .nr_modules = strcmp(scenario, "none") ? 1 : 0,
      .modlist_paddr = (uint64_t)(uintptr_t)&module, .cmdline_paddr = (uint64_t)(uintptr_t)cmdline,
      .memmap_paddr = (uint64_t)(uintptr_t)map, .memmap_entries = sizeof map / sizeof map[0],
  };
  hal_boot_info_read((uint64_t)(uintptr_t)&si);
  hal_boot_modules_check(image_start, image_end);
  struct range heap = hal_boot_heap_range(image_end, 64 * MiB);
  const struct boot_info *info = hal_boot_info();
  printf("modules %u\n", info->module_count);
  for (unsigned i = 0; i < info->module_count; i++)
    printf("module %#llx %#llx\n", (unsigned long long)info->modules[i].start, (unsigned long long)info->modules[i].end);
  printf("heap %#llx %#llx\n", (unsigned long long)heap.start, (unsigned long long)heap.end);
  return 0;
}
