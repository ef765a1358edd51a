/*
 * app_image.c: the shim's reader of an app image (kernel-ts/image/format.ts), enough for
 * the native loadApp to find /app/NAME.bc in PVH module 0 without trusting it: every
 * length is checked against the bytes there are, in 64-bit arithmetic, and the CRC-32 over
 * the whole image is checked before any entry is believed, so a truncated or corrupted
 * image is an error message, never a read out of bounds or bytecode handed to
 * JS_ReadObject (which does not verify what it reads). kernel-ts/image/read_image.ts is the
 * kernel's reader of the same format, with the same checks and messages; it also checks
 * paths and the metadata's shape, which the loader here does not need.
 * Portable C: tests/native/app_image_test.c runs it on the host.
 */
#include <stdio.h>
#include <string.h>
#include "app_image.h"
#include "crc32.h"

#define HEADER_BYTES 32u
#define OFFSET_VERSION 8u
#define OFFSET_CRC 12u
#define OFFSET_LENGTH 16u
#define OFFSET_METADATA_LENGTH 20u
#define OFFSET_ENTRY_COUNT 24u
#define ENTRY_HEADER_BYTES 8u
#define MAX_PATH_BYTES 1024u

static const uint8_t magic[8] = {'S', 'K', 'I', 'F', 'F', 'I', 'M', 'G'};

static uint32_t u32(const uint8_t *p) {
  return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t padded(uint64_t n) { return (n + 3) & ~(uint64_t)3; }

bool app_image_open(struct app_image *image, const uint8_t *bytes, uint64_t size, char *error, size_t error_size) {
#define FAIL(...) do { snprintf(error, error_size, __VA_ARGS__); return false; } while (0)
  memset(image, 0, sizeof *image);
  if (size < HEADER_BYTES)
    FAIL("the image is truncated: %llu bytes, shorter than its %u-byte header", (unsigned long long)size, HEADER_BYTES);
  if (memcmp(bytes, magic, sizeof magic))
    FAIL("the image does not start with the magic \"SKIFFIMG\": not a Skiff app image");
  uint32_t version = u32(bytes + OFFSET_VERSION);
  if (version != APP_IMAGE_FORMAT_VERSION)
    FAIL("the image is format version %u; this kernel reads version %u", version, APP_IMAGE_FORMAT_VERSION);
  uint32_t length = u32(bytes + OFFSET_LENGTH);
  if (length < HEADER_BYTES) FAIL("the header gives an image length of %u bytes, shorter than the header", length);
  if (length > size)
    FAIL("the image is truncated: the header says %u bytes, there are %llu", length, (unsigned long long)size);
  uint32_t expected = u32(bytes + OFFSET_CRC);
  uint32_t actual = hal_crc32(bytes + OFFSET_LENGTH, length - OFFSET_LENGTH);
  if (actual != expected)
    FAIL("the image is corrupt: its CRC-32 is 0x%08x, the header says 0x%08x", actual, expected);

  uint32_t metadata_length = u32(bytes + OFFSET_METADATA_LENGTH);
  uint32_t count = u32(bytes + OFFSET_ENTRY_COUNT);
  if (metadata_length > length - HEADER_BYTES)
    FAIL("the metadata length %u passes the end of the image", metadata_length);
  uint64_t at = HEADER_BYTES + padded(metadata_length);
  for (uint32_t i = 0; i < count; i++) {
    if (at + ENTRY_HEADER_BYTES > length)
      FAIL("entry %u of %u starts at byte %llu, past the end of the image (%u)", i, count, (unsigned long long)at, length);
    uint32_t path_length = u32(bytes + at), data_length = u32(bytes + at + 4);
    if (path_length == 0 || path_length > MAX_PATH_BYTES)
      FAIL("entry %u has a path of %u bytes (1–%u allowed)", i, path_length, MAX_PATH_BYTES);
    uint64_t data_start = at + ENTRY_HEADER_BYTES + padded(path_length);
    if (data_start > length || data_length > length - data_start)
      FAIL("entry %u (%u-byte path, %u bytes of data at byte %llu) passes the end of the image (%u)", i, path_length,
           data_length, (unsigned long long)data_start, length);
    at = data_start + padded(data_length);
  }
  if (at != length) FAIL("the %u entries end at byte %llu, but the image is %u bytes", count, (unsigned long long)at, length);

  image->bytes = bytes;
  image->length = length;
  image->metadata = (const char *)bytes + HEADER_BYTES;
  image->metadata_length = metadata_length;
  image->entry_count = count;
  image->entries_offset = HEADER_BYTES + (uint32_t)padded(metadata_length);
  return true;
#undef FAIL
}

bool app_image_find(const struct app_image *image, const char *path, const uint8_t **data, uint32_t *length) {
  size_t want = strlen(path);
  uint32_t at = image->entries_offset;
  for (uint32_t i = 0; i < image->entry_count; i++) {
    uint32_t path_length = u32(image->bytes + at), data_length = u32(image->bytes + at + 4);
    uint32_t data_start = at + ENTRY_HEADER_BYTES + (uint32_t)padded(path_length);
    if (path_length == want && !memcmp(image->bytes + at + ENTRY_HEADER_BYTES, path, want)) {
      *data = image->bytes + data_start;
      *length = data_length;
      return true;
    }
    at = data_start + (uint32_t)padded(data_length);
  }
  return false;
}
