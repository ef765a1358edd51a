/* cmdline.c: the few command-line keys the shim itself reads (the kernel parses
 * the rest): debug_exit=PORT and crash=KIND. Tokens are separated by spaces. */
#include <string.h>
#include "cmdline.h"
#include "shim.h"

bool hal_cmdline_value(const char *cmdline, const char *key, char *out, size_t cap) {
  size_t key_len = strlen(key);
  for (const char *p = cmdline; *p;) {
    while (*p == ' ') p++;
    const char *end = p;
    while (*end && *end != ' ') end++;
    if ((size_t)(end - p) > key_len && !strncmp(p, key, key_len) && p[key_len] == '=') {
      size_t n = (size_t)(end - p) - key_len - 1;
      if (n >= cap) n = cap - 1;
      memcpy(out, p + key_len + 1, n);
      out[n] = 0;
      return true;
    }
    p = end;
  }
  return false;
}

uint64_t hal_parse_uint(const char *s) {
  uint64_t v = 0;
  int base = 10;
  if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) base = 16, s += 2;
  for (; *s; s++) {
    int d = *s >= '0' && *s <= '9' ? *s - '0' : (*s | 0x20) >= 'a' && (*s | 0x20) <= 'f' ? (*s | 0x20) - 'a' + 10 : 99;
    if (d >= base) return 0;
    v = v * (uint64_t)base + (uint64_t)d;
  }
  return v;
}
