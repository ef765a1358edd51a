/* app_image.h: reading an app image (layout: kernel-ts/image/format.ts). */
#ifndef SKIFF_APP_IMAGE_H
#define SKIFF_APP_IMAGE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define APP_IMAGE_FORMAT_VERSION 1

struct app_image {
  const uint8_t *bytes;
  uint32_t length;          /* the image's own length (the module MAY be longer) */
  const char *metadata;     /* UTF-8 JSON, not NUL-terminated */
  uint32_t metadata_length;
  uint32_t entry_count;
  uint32_t entries_offset;  /* of the first entry */
};

/* Checks the header, the CRC-32 and every entry's bounds over `size` bytes. Returns true,
 * or false with a sentence in `error` (read_image.ts's words). Reads nothing outside
 * [bytes, bytes + size). */
bool app_image_open(struct app_image *image, const uint8_t *bytes, uint64_t size, char *error, size_t error_size);

/* The data of the entry at `path`, in an image app_image_open accepted; false when absent. */
bool app_image_find(const struct app_image *image, const char *path, const uint8_t **data, uint32_t *length);
#endif
