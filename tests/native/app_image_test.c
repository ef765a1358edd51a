/*
 * app_image_test.c: the shim's app image reader (shim/lib/app_image.c, shim/lib/crc32.c),
 * compiled for the host. Reads FILE whole and opens it as the shim opens PVH module 0; the
 * ava side (tests/unit/shim_app_image.test.ts) feeds it images from the TypeScript writer,
 * truncated and corrupted, and compares with the TypeScript reader.
 * Usage: app_image_test FILE [PATH…]
 *   prints "ok length=N entries=N metadata=N" or "error: MESSAGE" (exit 1), then for each
 *   PATH "found PATH LENGTH CRC32" or "absent PATH".
 */
#include <stdio.h>
#include <stdlib.h>
#include "app_image.h"
#include "crc32.h"

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: app_image_test FILE [PATH…]\n");
    return 2;
  }
  FILE *file = fopen(argv[1], "rb");
  if (!file) { perror(argv[1]); return 2; }
  fseek(file, 0, SEEK_END);
  long size = ftell(file);
  fseek(file, 0, SEEK_SET);
  /* An exact-size heap block: a read past the end is a fault under a sanitizer, and garbage otherwise. */
  unsigned char *bytes = malloc(size > 0 ? (size_t)size : 1);
  if (size > 0 && fread(bytes, 1, (size_t)size, file) != (size_t)size) { perror("fread"); return 2; }
  fclose(file);

  struct app_image image;
  char error[256];
  if (!app_image_open(&image, bytes, (uint64_t)size, error, sizeof error)) {
    printf("error: %s\n", error);
    free(bytes);
    return 1;
  }
  printf("ok length=%u entries=%u metadata=%u\n", image.length, image.entry_count, image.metadata_length);
  for (int i = 2; i < argc; i++) {
    const uint8_t *data;
    uint32_t length;
    if (app_image_find(&image, argv[i], &data, &length)) printf("found %s %u %08x\n", argv[i], length, hal_crc32(data, length));
    else printf("absent %s\n", argv[i]);
  }
  free(bytes);
  return 0;
}
