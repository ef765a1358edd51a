#ifndef SKIFF_BOOT_H
#define SKIFF_BOOT_H
#include <stdint.h>
#define BOOT_MAX_RAM 32
#define BOOT_MAX_MODULES 4
struct range { uint64_t start, end; };
struct boot_info {
  char cmdline[4096];
  uint64_t rsdp; /* 0 when the hypervisor did not say */
  struct range ram[BOOT_MAX_RAM];
  unsigned ram_count;
  struct range modules[BOOT_MAX_MODULES]; /* --initramfs / -initrd is module 0 */
  unsigned module_count;
};
void hal_boot_info_read(uint64_t start_info_paddr);
const struct boot_info *hal_boot_info(void);
uint64_t hal_boot_low_ram_top(void);
uint64_t hal_boot_ram_top(void);
struct range hal_boot_heap_range(uint64_t image_end, uint64_t mapped_top);
/* Panics unless every module lies in RAM, clear of [image_start, image_end). */
void hal_boot_modules_check(uint64_t image_start, uint64_t image_end);
#endif
