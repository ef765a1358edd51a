/*
 * paging.c: the real page tables, replacing entry.S's bootstrap ones.
 *
 * Everything is identity-mapped (virtual = physical), so an ArrayBuffer's address
 * is what a device sees. Mapped: the first 4 GiB with 2 MiB pages — RAM
 * write-back, everything above the top of low RAM (LAPIC, IOAPIC, PCI ECAM and
 * 32-bit BARs) uncached — and RAM above 4 GiB with 1 GiB pages (2 MiB pages when
 * the CPU lacks them, up to EXTRA_PD_POOL GiB). The page below the kernel stack
 * is left unmapped: a stack overflow faults instead of corrupting memory.
 */
#include <string.h>
#include "paging.h"
#include "shim.h"

#define PTE_P 0x1ull
#define PTE_RW 0x2ull
#define PTE_PWT 0x8ull
#define PTE_PCD 0x10ull
#define PTE_PS 0x80ull
#define PAGE 4096
#define EXTRA_PD_POOL 28

typedef uint64_t table_t[512] __attribute__((aligned(PAGE)));
static table_t pml4, pdpt, pd_low[4], guard_pt, pd_pool[EXTRA_PD_POOL];
static unsigned pd_pool_used;

extern char kernel_stack_guard[];

static bool cpu_has_1g_pages(void) {
  uint32_t r[4];
  cpuid(0x80000000, 0, r);
  if (r[0] < 0x80000001) return false;
  cpuid(0x80000001, 0, r);
  return r[3] & (1u << 26);
}

void hal_paging_init(uint64_t low_ram_top, uint64_t ram_top) {
  for (uint64_t i = 0; i < 2048; i++) {
    uint64_t addr = i << 21;
    uint64_t cache = addr >= low_ram_top ? PTE_PCD | PTE_PWT : 0;
    pd_low[i / 512][i % 512] = addr | PTE_P | PTE_RW | PTE_PS | cache;
  }
  for (int i = 0; i < 4; i++) pdpt[i] = (uint64_t)pd_low[i] | PTE_P | PTE_RW;

  uint64_t top = ALIGN_UP(ram_top, GiB);
  if (top > 512 * GiB) top = 512 * GiB;
  bool huge = cpu_has_1g_pages();
  for (uint64_t gib = 4; gib * GiB < top; gib++) {
    if (huge) {
      pdpt[gib] = gib * GiB | PTE_P | PTE_RW | PTE_PS;
    } else if (pd_pool_used < EXTRA_PD_POOL) {
      for (uint64_t j = 0; j < 512; j++) pd_pool[pd_pool_used][j] = (gib * GiB + (j << 21)) | PTE_P | PTE_RW | PTE_PS;
      pdpt[gib] = (uint64_t)pd_pool[pd_pool_used++] | PTE_P | PTE_RW;
    }
  }
  pml4[0] = (uint64_t)pdpt | PTE_P | PTE_RW;

  /* The guard page: split its 2 MiB page into 4 KiB pages and leave one out. */
  uint64_t guard = (uint64_t)kernel_stack_guard, big = ALIGN_DOWN(guard, 2 * MiB);
  for (uint64_t j = 0; j < 512; j++) guard_pt[j] = (big + j * PAGE) | PTE_P | PTE_RW;
  guard_pt[(guard - big) / PAGE] = 0;
  pd_low[big >> 30][(big >> 21) & 511] = (uint64_t)guard_pt | PTE_P | PTE_RW;

  __asm__ volatile("mov %0, %%cr3" ::"r"(pml4) : "memory");
}

/* Maps [base, base+size) uncached with 2 MiB pages: 64-bit BARs and ECAM above 4 GiB.
 * Below 4 GiB everything past low RAM is mapped uncached already. */
void hal_paging_map_mmio(uint64_t base, uint64_t size) {
  for (uint64_t page = ALIGN_DOWN(base, 2 * MiB); page < base + size; page += 2 * MiB) {
    if (page < 4 * GiB) continue;
    uint64_t gib = page >> 30;
    if (gib >= 512) panic("MMIO at 0x%lx is beyond the 512 GiB we map", (unsigned long)page);
    if (pdpt[gib] & PTE_PS) panic("MMIO at 0x%lx overlaps RAM mapped with 1 GiB pages", (unsigned long)page);
    if (!(pdpt[gib] & PTE_P)) {
      if (pd_pool_used == EXTRA_PD_POOL) panic("no page directory left to map MMIO at 0x%lx", (unsigned long)page);
      uint64_t *pd = pd_pool[pd_pool_used++];
      memset(pd, 0, sizeof(table_t));
      pdpt[gib] = (uint64_t)pd | PTE_P | PTE_RW;
    }
    uint64_t *pd = (uint64_t *)(pdpt[gib] & ~0xfffull);
    pd[(page >> 21) & 511] = page | PTE_P | PTE_RW | PTE_PS | PTE_PCD | PTE_PWT;
  }
  __asm__ volatile("mov %%cr3, %%rax; mov %%rax, %%cr3" ::: "rax", "memory"); /* flush the TLB */
}

/*
 * A periodic TLB flush, for qemu's TCG. Its software TLB starts with 256 direct-mapped
 * entries (1 MiB of 4 KiB pages) and is resized only when the guest flushes it: doubled
 * when more than 70 % of it was in use, shrunk when less than 30 % was over 100 ms. A
 * kernel that never switches address spaces never flushes, so the engine's heap would be
 * reached through those 256 entries for ever, each miss a page walk in software. Reloading
 * CR3 every TLB_REFRESH_NS lets qemu fit the TLB to what the kernel touches; on hardware
 * (KVM) it costs a few hundred page walks a second, nothing against 2 MiB and 1 GiB pages.
 *
 * Why a second: qemu counts the entries filled since the last flush, and the TLB is
 * direct-mapped, so it stops growing when about 70 % of its slots are in use — smaller than
 * what the kernel touches, every slot shared. The longer between flushes, the more of the
 * kernel's pages are counted and the larger the TLB it settles on. Host time in qemu's
 * TLB-miss paths under 32-byte round trips (perf on qemu, 2 rounds each): 8.7 % at 20 ms,
 * 5.9–7.8 % at 100 ms, 3.9–4.2 % at 1 s. From 256 entries it takes a flush per doubling,
 * so for its first TLB_GROWTH_NS (boot, the first request) the kernel flushes every
 * 100 ms as before: the TLB reaches a few thousand entries by then.
 */
#define TLB_REFRESH_NS 1000000000ull
#define TLB_GROWTH_REFRESH_NS 100000000ull
#define TLB_GROWTH_NS 2000000000ull
static uint64_t last_tlb_refresh_ns;

void hal_paging_refresh_tlb(uint64_t now_ns) {
  uint64_t period = now_ns < TLB_GROWTH_NS ? TLB_GROWTH_REFRESH_NS : TLB_REFRESH_NS;
  if (now_ns - last_tlb_refresh_ns < period) return;
  last_tlb_refresh_ns = now_ns;
  __asm__ volatile("mov %%cr3, %%rax; mov %%rax, %%cr3" ::: "rax", "memory");
}

uint64_t hal_paging_mapped_top(uint64_t ram_top) {
  if (cpu_has_1g_pages()) return ram_top < 512 * GiB ? ram_top : 512 * GiB;
  uint64_t limit = (4 + EXTRA_PD_POOL) * GiB;
  return ram_top < limit ? ram_top : limit;
}
