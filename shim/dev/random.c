/*
 * random.c: random bytes: first from virtio-rng's pool when the VM has the device,
 * then from the CPU: RDSEED (a conditioned entropy source) when present, else RDRAND. Both can fail transiently (CF clear): retry a
 * bounded number of times, then report failure rather than return weak bytes.
 * With neither the device's bytes nor the instructions, randomFill throws.
 */
#include <string.h>
#include "devices.h"
#include "random.h"
#include "virtio_small.h"
#include "shim.h"

static bool has_rdrand, has_rdseed;

void hal_random_init(void) {
  uint32_t r[4];
  cpuid(1, 0, r);
  has_rdrand = r[2] & (1u << 30);
  cpuid(0, 0, r);
  if (r[0] >= 7) {
    cpuid(7, 0, r);
    has_rdseed = r[1] & (1u << 18);
  }
}

const char *hal_random_source(void) { return has_rdseed ? "rdseed" : has_rdrand ? "rdrand" : "none"; }

static bool next64(uint64_t *out) {
  for (int tries = 0; tries < 100; tries++) {
    uint8_t ok;
    if (has_rdseed) __asm__ volatile("rdseed %0; setc %1" : "=r"(*out), "=qm"(ok));
    else __asm__ volatile("rdrand %0; setc %1" : "=r"(*out), "=qm"(ok));
    if (ok) return true;
    __asm__ volatile("pause");
  }
  return false;
}

bool hal_random_fill(uint8_t *bytes, size_t n) {
  struct virtio_rng *rng = hal_device_first(DEVICE_RNG);
  if (rng) { /* the device's entropy first, as far as its pool goes */
    size_t got = virtio_rng_take(rng, bytes, n);
    bytes += got;
    n -= got;
  }
  if (n == 0) return true;
  if (!has_rdrand && !has_rdseed) return false;
  while (n) {
    uint64_t v;
    if (!next64(&v)) return false;
    size_t chunk = n < 8 ? n : 8;
    memcpy(bytes, &v, chunk);
    bytes += chunk;
    n -= chunk;
  }
  return true;
}
