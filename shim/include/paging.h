#ifndef SKIFF_PAGING_H
#define SKIFF_PAGING_H
#include <stdint.h>
/* low_ram_top: end of RAM below 4 GiB (above it: MMIO, uncached); ram_top: end of all RAM. */
void hal_paging_init(uint64_t low_ram_top, uint64_t ram_top);
/* The highest address hal_paging_init maps for RAM ending at ram_top. */
uint64_t hal_paging_mapped_top(uint64_t ram_top);
/* Maps an MMIO range above 4 GiB, uncached (below 4 GiB it is mapped already). */
void hal_paging_map_mmio(uint64_t base, uint64_t size);
/*
 * Reloads CR3 (a TLB flush) when `period_ns` has passed since the last reload. Under TCG,
 * qemu sizes its software TLB only when the guest flushes it; see paging.c.
 */
void hal_paging_refresh_tlb(uint64_t now_ns);
#endif
