/*
 * format.c: vsnprintf and snprintf, for QuickJS's messages and the shim's console.
 * Integers, strings, chars and pointers follow C99 exactly (flags - 0 + space #,
 * width and precision with *, length modifiers hh h l ll z j t). %f %e %g are
 * approximate (no correct rounding of the last digit): QuickJS formats JS numbers
 * with its own dtoa and uses these only in debug dumps.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

struct out {
  char *buf;
  size_t cap;
  size_t len; /* characters produced, even past cap */
};

static void put(struct out *o, char c) {
  if (o->len + 1 < o->cap) o->buf[o->len] = c;
  o->len++;
}

static void pad(struct out *o, char c, int n) {
  while (n-- > 0) put(o, c);
}

struct spec {
  bool left, zero, plus, space, alt;
  int width, precision; /* precision -1 = none */
};

static void emit_number(struct out *o, const struct spec *sp, uint64_t v, bool negative, int base, bool upper) {
  char digits[24];
  int n = 0;
  const char *set = upper ? "0123456789ABCDEF" : "0123456789abcdef";
  while (v) {
    digits[n++] = set[v % base];
    v /= base;
  }
  int precision = sp->precision < 0 ? 1 : sp->precision;
  int zeros = precision > n ? precision - n : 0;
  char sign = negative ? '-' : sp->plus ? '+' : sp->space ? ' ' : 0;
  const char *prefix = (sp->alt && base == 16 && n) ? (upper ? "0X" : "0x") : "";
  int body = n + zeros + (sign != 0) + (int)strlen(prefix);
  int fill = sp->width > body ? sp->width - body : 0;
  if (sp->zero && !sp->left && sp->precision < 0) zeros += fill, fill = 0;
  if (!sp->left) pad(o, ' ', fill);
  if (sign) put(o, sign);
  for (const char *p = prefix; *p; p++) put(o, *p);
  pad(o, '0', zeros);
  while (n) put(o, digits[--n]);
  if (sp->left) pad(o, ' ', fill);
}

static void emit_string(struct out *o, const struct spec *sp, const char *s) {
  if (!s) s = "(null)";
  size_t n = strlen(s);
  if (sp->precision >= 0 && (size_t)sp->precision < n) n = (size_t)sp->precision;
  int fill = sp->width > (int)n ? sp->width - (int)n : 0;
  if (!sp->left) pad(o, ' ', fill);
  for (size_t i = 0; i < n; i++) put(o, s[i]);
  if (sp->left) pad(o, ' ', fill);
}

/* Approximate %f / %e / %g: enough for debug output. */
static void emit_double(struct out *o, const struct spec *sp, double d, char conv) {
  char tmp[64];
  struct out t = {tmp, sizeof tmp, 0};
  int precision = sp->precision < 0 ? 6 : sp->precision;
  if (d != d) { emit_string(o, sp, "nan"); return; }
  if (d < 0) { put(&t, '-'); d = -d; }
  if (d > 1e300) { emit_string(o, sp, t.len ? "-inf" : "inf"); return; }
  int exponent = 0;
  bool sci = conv == 'e';
  if (conv == 'g') {
    if (precision == 0) precision = 1;
    double m = d;
    while (m >= 10) m /= 10, exponent++;
    while (m > 0 && m < 1) m *= 10, exponent--;
    sci = exponent < -4 || exponent >= precision;
    precision = sci ? precision - 1 : precision - 1 - exponent;
    exponent = 0;
  }
  if (sci) {
    while (d >= 10) d /= 10, exponent++;
    while (d > 0 && d < 1) d *= 10, exponent--;
  }
  double rounding = 0.5;
  for (int i = 0; i < precision; i++) rounding /= 10;
  d += rounding;
  if (sci && d >= 10) d /= 10, exponent++;
  uint64_t whole = (uint64_t)d;
  struct spec plain = {.precision = -1};
  emit_number(&t, &plain, whole, false, 10, false);
  double frac = d - (double)whole;
  if (precision > 0) {
    put(&t, '.');
    for (int i = 0; i < precision; i++) {
      frac *= 10;
      int digit = (int)frac;
      put(&t, (char)('0' + digit));
      frac -= digit;
    }
  }
  if (sci) {
    put(&t, 'e');
    put(&t, exponent < 0 ? '-' : '+');
    struct spec two = {.precision = 2};
    emit_number(&t, &two, (uint64_t)(exponent < 0 ? -exponent : exponent), false, 10, false);
  }
  tmp[t.len < sizeof tmp ? t.len : sizeof tmp - 1] = 0;
  struct spec rest = *sp;
  rest.precision = -1;
  emit_string(o, &rest, tmp);
}

int vsnprintf(char *restrict buf, size_t cap, const char *restrict fmt, va_list ap) {
  struct out o = {buf, cap, 0};
  for (const char *f = fmt; *f; f++) {
    if (*f != '%') { put(&o, *f); continue; }
    struct spec sp = {.precision = -1};
    for (;; f++) {
      char c = f[1];
      if (c == '-') sp.left = true;
      else if (c == '0') sp.zero = true;
      else if (c == '+') sp.plus = true;
      else if (c == ' ') sp.space = true;
      else if (c == '#') sp.alt = true;
      else break;
    }
    f++;
    if (*f == '*') { sp.width = va_arg(ap, int); if (sp.width < 0) sp.left = true, sp.width = -sp.width; f++; }
    else while (*f >= '0' && *f <= '9') sp.width = sp.width * 10 + (*f++ - '0');
    if (*f == '.') {
      f++;
      sp.precision = 0;
      if (*f == '*') { sp.precision = va_arg(ap, int); f++; }
      else while (*f >= '0' && *f <= '9') sp.precision = sp.precision * 10 + (*f++ - '0');
    }
    int size = 0; /* 0 int, 1 long, 2 long long, -1 short, -2 char */
    for (;; f++) {
      if (*f == 'l') size++;
      else if (*f == 'h') size--;
      else if (*f == 'z' || *f == 'j' || *f == 't') size = 2;
      else break;
    }
    switch (*f) {
    case 'd': case 'i': {
      int64_t v = size >= 1 ? va_arg(ap, long long) : va_arg(ap, int);
      if (size == -1) v = (short)v;
      if (size == -2) v = (signed char)v;
      emit_number(&o, &sp, v < 0 ? -(uint64_t)v : (uint64_t)v, v < 0, 10, false);
      break;
    }
    case 'u': case 'x': case 'X': case 'o': {
      uint64_t v = size >= 1 ? va_arg(ap, unsigned long long) : va_arg(ap, unsigned);
      if (size == -1) v = (unsigned short)v;
      if (size == -2) v = (unsigned char)v;
      emit_number(&o, &sp, v, false, *f == 'o' ? 8 : *f == 'u' ? 10 : 16, *f == 'X');
      break;
    }
    case 'p': sp.alt = true; emit_number(&o, &sp, (uintptr_t)va_arg(ap, void *), false, 16, false); break;
    case 's': emit_string(&o, &sp, va_arg(ap, const char *)); break;
    case 'c': { char s[2] = {(char)va_arg(ap, int), 0}; sp.precision = -1; emit_string(&o, &sp, s); break; }
    case 'f': case 'F': case 'e': case 'g': case 'G': case 'E':
      emit_double(&o, &sp, va_arg(ap, double), (*f | 0x20) == 'f' ? 'f' : (*f | 0x20));
      break;
    case '%': put(&o, '%'); break;
    case 0: f--; break;
    default: put(&o, '%'); put(&o, *f); break;
    }
  }
  if (cap) buf[o.len < cap ? o.len : cap - 1] = 0;
  return (int)o.len;
}

int snprintf(char *restrict buf, size_t cap, const char *restrict fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(buf, cap, fmt, ap);
  va_end(ap);
  return n;
}
