#ifndef SKIFF_POWER_H
#define SKIFF_POWER_H
#include <stdint.h>
void hal_power_set_debug_exit(uint16_t port);
_Noreturn void hal_power_off(int code);
#endif
