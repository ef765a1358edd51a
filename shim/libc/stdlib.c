/*
 * stdlib.c: the few process-level functions QuickJS links against. There is no
 * process: abort and a failed assert are shim panics, and stderr is the console.
 */
#include <stdio.h>
#include <stdlib.h>
#include "shim.h"

_Noreturn void abort(void) { panic("abort() called"); }

_Noreturn void __assert_fail(const char *expr, const char *file, int line, const char *func) {
  panic("assertion failed in QuickJS: %s (%s:%d, %s)", expr, file, line, func);
}

/* musl declares stdout/stderr as FILE *const; any non-NULL token will do, since
 * fprintf below writes every stream to the console. */
static char console_file;
FILE *const stderr = (FILE *)&console_file;
FILE *const stdout = (FILE *)&console_file;

static int console_vprintf(const char *fmt, va_list ap) {
  char buf[512];
  int n = vsnprintf(buf, sizeof buf, fmt, ap);
  kputs(buf);
  return n;
}

int fprintf(FILE *stream, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = console_vprintf(fmt, ap);
  va_end(ap);
  return n;
}

int printf(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = console_vprintf(fmt, ap);
  va_end(ap);
  return n;
}

int putchar(int c) {
  char s[2] = {(char)c, 0};
  kputs(s);
  return c;
}

int fputc(int c, FILE *stream) { return putchar(c); }
int fputs(const char *s, FILE *stream) { kputs(s); return 0; }
int puts(const char *s) { kputs(s); kputs("\n"); return 0; }
size_t fwrite(const void *p, size_t size, size_t n, FILE *stream) {
  const char *s = p;
  for (size_t i = 0; i < size * n; i++) putchar(s[i]);
  return n;
}
int fflush(FILE *stream) { return 0; }
