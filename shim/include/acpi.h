#ifndef SKIFF_ACPI_H
#define SKIFF_ACPI_H
#include <stdbool.h>
#include <stdint.h>
struct acpi_power {
  bool found;             /* a FADT was found */
  bool hardware_reduced;
  bool s5_found;          /* \_S5 parsed from the DSDT */
  uint8_t s5_slp_typ;
  uint32_t pm1a_cnt;      /* I/O port, 0 when absent */
  uint64_t sleep_control; /* SLEEP_CONTROL_REG: an I/O port, or an MMIO address; 0 when absent */
  bool sleep_control_mmio;
};
const struct acpi_power *hal_acpi_init(uint64_t rsdp_hint);
const struct acpi_power *hal_acpi_power(void);
/* A table by signature ("MCFG"), after hal_acpi_init; NULL when absent. */
const uint8_t *hal_acpi_find_table(const char *signature);
#endif
