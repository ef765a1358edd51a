/*
 * acpi.c: just enough ACPI to power off. From the RSDP (PVH start_info's rsdp_paddr,
 * else found by scanning the EBDA and the BIOS area as ACPI 6.5 §5.2.5.1 says) to
 * the RSDT/XSDT, the FADT ("FACP"), and the DSDT's \_S5 package for SLP_TYPa.
 * Hardware-reduced platforms (cloud-hypervisor, qemu microvm) power off through
 * the FADT's SLEEP_CONTROL_REG; others (qemu q35) through PM1a_CNT.
 */
#include <string.h>
#include "acpi.h"
#include "shim.h"

struct __attribute__((packed)) sdt_header {
  char signature[4];
  uint32_t length;
  uint8_t revision, checksum;
  char oem[6], oem_table[8];
  uint32_t oem_revision, creator, creator_revision;
};

static struct acpi_power power;
static uint64_t rsdp_address;

static bool checksum_ok(const void *p, size_t n) {
  uint8_t sum = 0;
  for (size_t i = 0; i < n; i++) sum += ((const uint8_t *)p)[i];
  return sum == 0;
}

/* Reads low physical memory; the empty asm hides the constant address from gcc,
 * which otherwise takes a dereference near 0 for a bug (-Warray-bounds). */
static uint16_t read_low16(uintptr_t addr) {
  __asm__("" : "+r"(addr));
  return *(volatile uint16_t *)addr;
}

static uint64_t find_rsdp(uint64_t hint) {
  if (hint) return hint;
  uint64_t ebda = (uint64_t)read_low16(0x40e) << 4; /* BIOS data area: EBDA segment */
  uint64_t ranges[2][2] = {{ebda, ebda + 1024}, {0xe0000, 0x100000}};
  for (int r = 0; r < 2; r++) {
    if (ranges[r][0] < 0x80000 && r == 0) continue; /* no plausible EBDA */
    for (uint64_t a = ranges[r][0]; a + 20 <= ranges[r][1]; a += 16)
      if (!memcmp((const void *)a, "RSD PTR ", 8) && checksum_ok((const void *)a, 20)) return a;
  }
  return 0;
}

static const struct sdt_header *find_table(uint64_t rsdp, const char *signature) {
  const uint8_t *r = (const uint8_t *)rsdp;
  uint8_t revision = r[15];
  uint64_t xsdt = revision >= 2 ? *(const uint64_t *)(r + 24) : 0;
  uint64_t rsdt = *(const uint32_t *)(r + 16);
  const struct sdt_header *root = (const struct sdt_header *)(xsdt ? xsdt : rsdt);
  if (!root || root->length < sizeof *root) return NULL;
  size_t entry = xsdt ? 8 : 4, count = (root->length - sizeof *root) / entry;
  const uint8_t *entries = (const uint8_t *)(root + 1);
  for (size_t i = 0; i < count; i++) {
    uint64_t a = entry == 8 ? *(const uint64_t *)(entries + i * 8) : *(const uint32_t *)(entries + i * 4);
    const struct sdt_header *t = (const struct sdt_header *)a;
    if (t && !memcmp(t->signature, signature, 4)) return t;
  }
  return NULL;
}

/* \_S5 is "_S5_" PackageOp(0x12) PkgLength NumElements then SLP_TYPa as a
 * BytePrefix (0x0a) constant, ZeroOp (0x00) or OneOp (0x01). */
static int parse_s5(const struct sdt_header *dsdt) {
  const uint8_t *p = (const uint8_t *)dsdt, *end = p + dsdt->length;
  for (p += sizeof *dsdt; p + 8 < end; p++) {
    if (memcmp(p, "_S5_", 4) || p[4] != 0x12) continue;
    const uint8_t *q = p + 5;
    q += 1 + (*q >> 6); /* PkgLength: the top two bits count the extra bytes */
    q++;                /* NumElements */
    if (*q == 0x0a) return q[1];
    if (*q <= 1) return *q;
    return -1;
  }
  return -1;
}

const struct acpi_power *hal_acpi_init(uint64_t rsdp_hint) {
  uint64_t rsdp = rsdp_address = find_rsdp(rsdp_hint);
  if (!rsdp) return &power;
  const struct sdt_header *fadt = find_table(rsdp, "FACP");
  if (!fadt) return &power;
  const uint8_t *f = (const uint8_t *)fadt;
  power.found = true;
  power.pm1a_cnt = *(const uint32_t *)(f + 64);
  power.hardware_reduced = fadt->length >= 116 && (*(const uint32_t *)(f + 112) & (1u << 20));
  /* SLEEP_CONTROL_REG, a Generic Address Structure: I/O space on cloud-hypervisor (port
   * 0x600), memory space on qemu microvm (its GED device). */
  if (fadt->length >= 256 && (f[244] == 0 || f[244] == 1) && *(const uint64_t *)(f + 248)) {
    power.sleep_control = *(const uint64_t *)(f + 248);
    power.sleep_control_mmio = f[244] == 0;
  }
  uint64_t dsdt = fadt->length >= 148 && *(const uint64_t *)(f + 140) ? *(const uint64_t *)(f + 140)
                                                                      : *(const uint32_t *)(f + 40);
  int s5 = dsdt ? parse_s5((const struct sdt_header *)dsdt) : -1;
  power.s5_slp_typ = s5 < 0 ? 0 : s5;
  power.s5_found = s5 >= 0;
  return &power;
}

const struct acpi_power *hal_acpi_power(void) { return &power; }

const uint8_t *hal_acpi_find_table(const char *signature) {
  return rsdp_address ? (const uint8_t *)find_table(rsdp_address, signature) : NULL;
}
