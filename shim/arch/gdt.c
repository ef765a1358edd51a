/*
 * gdt.c: the long-mode GDT with a TSS, whose IST stacks the exception handlers
 * run on: IST1 for every exception, IST2 for the double fault (so a fault while
 * handling a fault still reaches a clean stack and prints something).
 */
#include <string.h>
#include "shim.h"
#include "traps.h"

#define IST_STACK_SIZE (32 * KiB)

struct __attribute__((packed)) tss {
  uint32_t reserved0;
  uint64_t rsp[3];
  uint64_t reserved1;
  uint64_t ist[7];
  uint64_t reserved2;
  uint16_t reserved3;
  uint16_t iomap_base;
};

static struct tss tss;
static uint8_t ist1_stack[IST_STACK_SIZE] __attribute__((aligned(16)));
static uint8_t ist2_stack[IST_STACK_SIZE] __attribute__((aligned(16)));
static uint64_t gdt[7];

void hal_gdt_init(void) {
  gdt[0] = 0;
  gdt[1] = 0x00af9a000000ffffull; /* 0x08 64-bit code */
  gdt[2] = 0x00cf92000000ffffull; /* 0x10 data */
  gdt[3] = 0x00cf9a000000ffffull; /* 0x18 32-bit code (unused after boot) */
  tss.ist[0] = (uint64_t)(ist1_stack + sizeof ist1_stack);
  tss.ist[1] = (uint64_t)(ist2_stack + sizeof ist2_stack);
  tss.iomap_base = sizeof tss;
  uint64_t base = (uint64_t)&tss, limit = sizeof tss - 1;
  gdt[4] = (limit & 0xffff) | ((base & 0xffffff) << 16) | (0x89ull << 40) |
           ((limit >> 16 & 0xf) << 48) | ((base >> 24 & 0xff) << 56); /* 0x20 TSS */
  gdt[5] = base >> 32;
  struct __attribute__((packed)) { uint16_t limit; uint64_t base; } pointer = {sizeof gdt - 1, (uint64_t)gdt};
  __asm__ volatile("lgdt %0" ::"m"(pointer));
  __asm__ volatile("ltr %w0" ::"r"(0x20));
}
