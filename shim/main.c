/*
 * main.c: the shim's boot script, from C's first line to the kernel's bytecode.
 * entry.S got us here in long mode on the kernel stack, with SSE on.
 */
#include <string.h>
#include "acpi.h"
#include "boot.h"
#include "clock.h"
#include "cmdline.h"
#include "console.h"
#include "devices.h"
#include "engine.h"
#include "heap.h"
#include "lapic.h"
#include "paging.h"
#include "power.h"
#include "random.h"
#include "rtc.h"
#include "serial.h"
#include "shim.h"
#include "traps.h"
#include "wallclock.h"

#define MSR_FS_BASE 0xc0000100

extern char __image_start[], __image_end[];
/* musl's libm objects are built with the stack protector and read the canary at
 * %fs:0x28: give FS a small block to point at. */
static uint8_t fs_block[256] __attribute__((aligned(64)));

void shim_main(uint64_t start_info) {
  uint64_t c_main_tsc = rdtsc();
  char value[64];

  hal_serial_init();           // console: everything after this can print
  hal_gdt_init();              // GDT + TSS: IST stacks for the trap handlers
  hal_idt_init();              // CPU exceptions print the registers and power off
  wrmsr(MSR_FS_BASE, (uint64_t)fs_block);
  hal_boot_info_read(start_info);  // command line, memory map, modules, RSDP
  hal_boot_modules_check((uint64_t)__image_start, (uint64_t)__image_end);  // the app image stays where it is
  const char *cmdline = hal_boot_info()->cmdline;
  if (hal_cmdline_value(cmdline, "devchannel", value, sizeof value)) {  // skiff dev's channel on the UART?
    if (strcmp(value, "serial") == 0) hal_console_use_serial_channel();  // then the console is virtio-console's
    else kprintf("skiff: devchannel=%s ignored: the only choice is devchannel=serial\n", value);
  }
  if (hal_cmdline_value(cmdline, "debug_exit", value, sizeof value))
    hal_power_set_debug_exit((uint16_t)hal_parse_uint(value));  // qemu's isa-debug-exit
  uint64_t ram_top = hal_boot_ram_top();
  hal_paging_init(hal_boot_low_ram_top(), ram_top);  // identity map, MMIO uncached, stack guard
  hal_acpi_init(hal_boot_info()->rsdp);  // power-off registers
  hal_clock_init();            // TSC frequency: CPUID 0x40000010, else the PIT
  hal_timeline_mark("pvh-entry", 0);
  hal_timeline_mark("c-main", hal_clock_ns_from_tsc(c_main_tsc));
  hal_timeline_mark("clock-ready", hal_clock_now_ns());  // paging, ACPI, the TSC's frequency
  hal_wallclock_init(hal_rtc_read_unix_seconds(), hal_clock_now_ns());  // CMOS RTC
  hal_lapic_init();            // LAPIC timer wakes hal_wait; legacy PIC masked
  hal_random_init();           // RDSEED / RDRAND

  struct range heap = hal_boot_heap_range(ALIGN_UP((uint64_t)__image_end, 4096), hal_paging_mapped_top(ram_top));
  if (heap.end - heap.start < 2 * MiB)
    panic("only %lu KiB of RAM above the image: give the VM more memory", (unsigned long)((heap.end - heap.start) / KiB));
  hal_heap_init(heap.start, heap.end);  // malloc for QuickJS and the drivers, clear of every module
  hal_timeline_mark("heap-ready", hal_clock_now_ns());
  hal_devices_init();          // PCI scan; virtio net, block, rng, console up with MSI-X

  if (hal_cmdline_value(cmdline, "crash", value, sizeof value)) hal_trap_selftest(value);
  hal_timeline_mark("platform-ready", hal_clock_now_ns());

  hal_engine_run(heap.end - heap.start);  // QuickJS, skiff:hal, the kernel: never returns
}
