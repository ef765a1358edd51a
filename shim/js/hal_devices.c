/*
 * hal_devices.c: the device members of skiff:hal (kernel-ts/hal/platform.ts, devices.ts)
 * over the drivers in shim/virtio/. Argument checks first (TypeError, RangeError);
 * "nothing now" is the string "again", a refused write "read-only".
 *
 * Zero copy: netRead wraps the receive buffer itself in an ArrayBuffer whose free
 * callback hands it back to the driver; netWrite passes each frame's own memory to the
 * device and keeps a reference to its ArrayBuffer (the ring's cookie) until the device
 * is done; blockRead/blockWrite do the same for their buffers.
 */
#include <stdio.h>
#include <string.h>
#include "checksum.h"
#include "devices.h"
#include "halfsiphash.h"
#include "hal_js.h"
#include "serial.h"
#include "shim.h"
#include "virtio_blk.h"
#include "virtio_net.h"
#include "virtio_small.h"

#define AGAIN "again"
#define MAX_BLOCK_REQUEST (4 * 1024 * 1024)
#define SERIAL_WRITE_MAX 1024

static const char *const kind_names[] = {"net", "block", "rng", "console"};

/* The driver of device argv[0] if it is of `kind`, else NULL with a RangeError pending. */
static void *device_arg(JSContext *ctx, JSValueConst value, enum device_kind kind, const char *fn) {
  int32_t index;
  if (!JS_IsNumber(value)) {
    JS_ThrowTypeError(ctx, "%s: the device must be a number", fn);
    return NULL;
  }
  JS_ToInt32(ctx, &index, value);
  const struct device *d = index >= 0 ? hal_device((unsigned)index) : NULL;
  if (!d || d->kind != kind || d->hidden) {
    JS_ThrowRangeError(ctx, "%s: device %d is not a %s device", fn, index, kind_names[kind]);
    return NULL;
  }
  return d->driver;
}

/* An ArrayBuffer's reference, kept as a ring cookie while the device uses its memory. */
static void *hold(JSValue buffer) { return JS_VALUE_GET_PTR(buffer); }
static void unhold(JSContext *ctx, void *cookie) { JS_FreeValue(ctx, JS_MKPTR(JS_TAG_OBJECT, cookie)); }

/* The bytes of a Uint8Array and a new reference to its ArrayBuffer (for hold). */
static uint8_t *buffer_arg(JSContext *ctx, JSValueConst value, size_t *length, JSValue *buffer, const char *fn) {
  uint8_t *bytes = hal_js_uint8(ctx, value, length, fn);
  if (!bytes) return NULL;
  size_t offset, bytes_per_element;
  *buffer = JS_GetTypedArrayBuffer(ctx, value, &offset, length, &bytes_per_element);
  return JS_IsException(*buffer) ? NULL : bytes;
}

static JSValue hal_devices_list(JSContext *ctx, JSValueConst this, int argc, JSValueConst *argv) {
  JSValue list = JS_NewArray(ctx);
  uint32_t listed = 0;
  for (unsigned i = 0; i < hal_device_count(); i++) {
    const struct device *d = hal_device(i);
    if (d->hidden) continue; /* the console's own port (devchannel=serial) */
    JSValue info = JS_NewObject(ctx);
    JS_SetPropertyStr(ctx, info, "index", JS_NewInt32(ctx, (int32_t)i));
    JS_SetPropertyStr(ctx, info, "kind", JS_NewString(ctx, kind_names[d->kind]));
    JS_SetPropertyStr(ctx, info, "name", JS_NewString(ctx, d->name));
    JS_SetPropertyUint32(ctx, list, listed++, info);
  }
  return list;
}

static JSValue hal_checksum_js(JSContext *ctx, JSValueConst this, int argc, JSValueConst *argv) {
  size_t length;
  uint8_t *bytes = hal_js_uint8(ctx, argv[0], &length, "checksum");
  if (!bytes) return JS_EXCEPTION;
  double start, end, seed;
  if (JS_ToFloat64(ctx, &start, argv[1]) || JS_ToFloat64(ctx, &end, argv[2]) || JS_ToFloat64(ctx, &seed, argv[3]))
    return JS_EXCEPTION;
  if (!(start >= 0 && start <= end && end <= (double)length) || start != (double)(size_t)start || end != (double)(size_t)end)
    return JS_ThrowRangeError(ctx, "checksum: range [%g, %g) is not within 0..%zu", start, end, length);
  if (!(seed >= 0 && seed <= 0xffff)) return JS_ThrowRangeError(ctx, "checksum: the seed %g is not a 16-bit sum", seed);
  return JS_NewInt32(ctx, hal_checksum(bytes + (size_t)start, (size_t)(end - start), (uint16_t)seed));
}

/* halfSipHash(key, message): HalfSipHash-2-4's 32-bit tag (Platform.halfSipHash). */
static JSValue hal_half_siphash_js(JSContext *ctx, JSValueConst this, int argc, JSValueConst *argv) {
  size_t key_length, length;
  uint8_t *key = hal_js_uint8(ctx, argv[0], &key_length, "halfSipHash");
  if (!key) return JS_EXCEPTION;
  if (key_length != 8) return JS_ThrowRangeError(ctx, "halfSipHash: the key is %zu bytes, not 8", key_length);
  uint8_t *message = hal_js_uint8(ctx, argv[1], &length, "halfSipHash");
  if (!message) return JS_EXCEPTION;
  return JS_NewUint32(ctx, hal_halfsiphash24(key, message, length));
}

/* ---- net ------------------------------------------------------------------------------ */

static JSValue hal_net_info(JSContext *ctx, JSValueConst this, int argc, JSValueConst *argv) {
  struct virtio_net *n = device_arg(ctx, argv[0], DEVICE_NET, "netInfo");
  if (!n) return JS_EXCEPTION;
  const uint8_t *m = virtio_net_mac(n);
  char mac[18];
  snprintf(mac, sizeof mac, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
  uint64_t f = virtio_net_features(n);
  JSValue offloads = JS_NewObject(ctx);
  JS_SetPropertyStr(ctx, offloads, "csum", JS_NewBool(ctx, f & VIRTIO_NET_F_CSUM));
  JS_SetPropertyStr(ctx, offloads, "guestCsum", JS_NewBool(ctx, f & VIRTIO_NET_F_GUEST_CSUM));
  JS_SetPropertyStr(ctx, offloads, "hostTso4", JS_NewBool(ctx, f & VIRTIO_NET_F_HOST_TSO4));
  JS_SetPropertyStr(ctx, offloads, "guestTso4", JS_NewBool(ctx, f & VIRTIO_NET_F_GUEST_TSO4));
  JS_SetPropertyStr(ctx, offloads, "mergeableRxBuffers", JS_NewBool(ctx, f & VIRTIO_NET_F_MRG_RXBUF));
  JSValue info = JS_NewObject(ctx);
  JS_SetPropertyStr(ctx, info, "mac", JS_NewString(ctx, mac));
  JS_SetPropertyStr(ctx, info, "mtu", JS_NewInt32(ctx, virtio_net_mtu(n)));
  JS_SetPropertyStr(ctx, info, "linkUp", JS_NewBool(ctx, virtio_net_link_up(n)));
  JS_SetPropertyStr(ctx, info, "offloads", offloads);
  return info;
}

static JSValue hal_net_stats(JSContext *ctx, JSValueConst this, int argc, JSValueConst *argv) {
  struct virtio_net *n = device_arg(ctx, argv[0], DEVICE_NET, "netStats");
  if (!n) return JS_EXCEPTION;
  const struct net_stats *s = virtio_net_stats(n);
  JSValue stats = JS_NewObject(ctx);
  JS_SetPropertyStr(ctx, stats, "rxFrames", JS_NewFloat64(ctx, (double)s->rx_frames));
  JS_SetPropertyStr(ctx, stats, "rxBytes", JS_NewFloat64(ctx, (double)s->rx_bytes));
  JS_SetPropertyStr(ctx, stats, "rxDrops", JS_NewFloat64(ctx, (double)s->rx_drops));
  JS_SetPropertyStr(ctx, stats, "rxBufferStarved", JS_NewFloat64(ctx, (double)s->rx_buffer_starved));
  JS_SetPropertyStr(ctx, stats, "txFrames", JS_NewFloat64(ctx, (double)s->tx_frames));
  JS_SetPropertyStr(ctx, stats, "txBytes", JS_NewFloat64(ctx, (double)s->tx_bytes));
  JS_SetPropertyStr(ctx, stats, "txRingFull", JS_NewFloat64(ctx, (double)s->tx_ring_full));
  JS_SetPropertyStr(ctx, stats, "txFromRxBuffers", JS_NewFloat64(ctx, (double)s->tx_from_rx_buffers));
  return stats;
}

static void release_rx(JSRuntime *rt, void *opaque, void *ptr) { virtio_net_release(opaque); }

/* A Uint8Array over all of `buffer`. JS_NewTypedArray reads argv[1] and argv[2] (offset,
 * length) whatever argc says, so all three are given. */
static JSValue whole_view(JSContext *ctx, JSValue buffer) {
  JSValueConst args[3] = {buffer, JS_UNDEFINED, JS_UNDEFINED};
  return JS_NewTypedArray(ctx, 3, args, JS_TYPED_ARRAY_UINT8);
}

static JSValue hal_net_read(JSContext *ctx, JSValueConst this, int argc, JSValueConst *argv) {
  struct virtio_net *n = device_arg(ctx, argv[0], DEVICE_NET, "netRead");
  if (!n) return JS_EXCEPTION;
  struct net_rx *rx = virtio_net_receive(n);
  if (!rx) return JS_NewString(ctx, AGAIN);
  JSValue buffer = JS_NewArrayBuffer(ctx, rx->data, rx->len, release_rx, rx, 0);
  if (JS_IsException(buffer)) {
    virtio_net_release(rx);
    return buffer;
  }
  JSValue view = whole_view(ctx, buffer);
  JS_FreeValue(ctx, buffer);
  return view;
}

static void reclaim_tx(JSContext *ctx, struct virtio_net *n) {
  void *cookie;
  while ((cookie = virtio_net_reclaim(n))) unhold(ctx, cookie);
}

static JSValue hal_net_write(JSContext *ctx, JSValueConst this, int argc, JSValueConst *argv) {
  struct virtio_net *n = device_arg(ctx, argv[0], DEVICE_NET, "netWrite");
  if (!n) return JS_EXCEPTION;
  if (!JS_IsArray(ctx, argv[1])) return JS_ThrowTypeError(ctx, "netWrite: the frames must be an array of Uint8Array");
  int64_t count;
  JSValue length_value = JS_GetPropertyStr(ctx, argv[1], "length");
  int failed = JS_ToInt64(ctx, &count, length_value);
  JS_FreeValue(ctx, length_value);
  if (failed) return JS_EXCEPTION;
  reclaim_tx(ctx, n);
  int64_t queued = 0;
  for (; queued < count; queued++) {
    JSValue frame = JS_GetPropertyUint32(ctx, argv[1], (uint32_t)queued);
    size_t length;
    JSValue buffer = JS_UNDEFINED;
    uint8_t *bytes = buffer_arg(ctx, frame, &length, &buffer, "netWrite");
    JS_FreeValue(ctx, frame);
    if (!bytes) break;
    if (length < VIRTIO_NET_HDR_SIZE + 14 || length > 65536 + VIRTIO_NET_HDR_SIZE) {
      JS_FreeValue(ctx, buffer);
      JS_ThrowRangeError(ctx, "netWrite: frame %lld is %zu bytes; a header and an Ethernet frame need 26 to 65548",
                         (long long)queued, length);
      break;
    }
    if (!virtio_net_transmit(n, bytes, (uint32_t)length, hold(buffer))) {
      JS_FreeValue(ctx, buffer);
      break;
    }
  }
  virtio_net_flush(n);
  if (JS_HasException(ctx)) return JS_EXCEPTION;
  return JS_NewInt64(ctx, queued);
}

/* ---- block ---------------------------------------------------------------------------- */

static JSValue hal_block_info(JSContext *ctx, JSValueConst this, int argc, JSValueConst *argv) {
  struct virtio_blk *b = device_arg(ctx, argv[0], DEVICE_BLOCK, "blockInfo");
  if (!b) return JS_EXCEPTION;
  JSValue info = JS_NewObject(ctx);
  JS_SetPropertyStr(ctx, info, "sectors", JS_NewFloat64(ctx, (double)virtio_blk_sectors(b)));
  JS_SetPropertyStr(ctx, info, "blockSize", JS_NewInt32(ctx, (int32_t)virtio_blk_block_size(b)));
  JS_SetPropertyStr(ctx, info, "readOnly", JS_NewBool(ctx, virtio_blk_read_only(b)));
  JS_SetPropertyStr(ctx, info, "flush", JS_NewBool(ctx, virtio_blk_flush_supported(b)));
  return info;
}

static JSValue submit(JSContext *ctx, JSValueConst *argv, enum blk_op op, const char *fn) {
  struct virtio_blk *b = device_arg(ctx, argv[0], DEVICE_BLOCK, fn);
  if (!b) return JS_EXCEPTION;
  if (op == BLK_FLUSH) {
    uint32_t id = virtio_blk_submit(b, BLK_FLUSH, 0, NULL, 0, NULL);
    return id ? JS_NewInt64(ctx, id) : JS_NewString(ctx, AGAIN);
  }
  double sector;
  if (!JS_IsNumber(argv[1])) return JS_ThrowTypeError(ctx, "%s: the sector must be a number", fn);
  JS_ToFloat64(ctx, &sector, argv[1]);
  size_t length;
  JSValue buffer = JS_UNDEFINED;
  uint8_t *bytes = buffer_arg(ctx, argv[2], &length, &buffer, fn);
  if (!bytes) return JS_EXCEPTION;
  uint64_t capacity = virtio_blk_sectors(b);
  if (length == 0 || length % 512 || length > MAX_BLOCK_REQUEST) {
    JS_FreeValue(ctx, buffer);
    return JS_ThrowRangeError(ctx, "%s: %zu bytes is not a positive multiple of 512 up to %d", fn, length,
                              MAX_BLOCK_REQUEST);
  }
  if (!(sector >= 0 && sector == (double)(uint64_t)sector && (uint64_t)sector + length / 512 <= capacity)) {
    JS_FreeValue(ctx, buffer);
    return JS_ThrowRangeError(ctx, "%s: sectors %g+%zu are beyond the device's %llu", fn, sector, length / 512,
                              (unsigned long long)capacity);
  }
  if (op == BLK_WRITE && virtio_blk_read_only(b)) { /* a refusal, after the misuse checks */
    JS_FreeValue(ctx, buffer);
    return JS_NewString(ctx, "read-only");
  }
  uint32_t id = virtio_blk_submit(b, op, (uint64_t)sector, bytes, (uint32_t)length, hold(buffer));
  if (!id) {
    JS_FreeValue(ctx, buffer);
    return JS_NewString(ctx, AGAIN);
  }
  return JS_NewInt64(ctx, id);
}

static JSValue hal_block_read(JSContext *ctx, JSValueConst this, int argc, JSValueConst *argv) {
  return submit(ctx, argv, BLK_READ, "blockRead");
}
static JSValue hal_block_write(JSContext *ctx, JSValueConst this, int argc, JSValueConst *argv) {
  return submit(ctx, argv, BLK_WRITE, "blockWrite");
}
static JSValue hal_block_flush(JSContext *ctx, JSValueConst this, int argc, JSValueConst *argv) {
  return submit(ctx, argv, BLK_FLUSH, "blockFlush");
}

static JSValue hal_block_completions(JSContext *ctx, JSValueConst this, int argc, JSValueConst *argv) {
  struct virtio_blk *b = device_arg(ctx, argv[0], DEVICE_BLOCK, "blockCompletions");
  if (!b) return JS_EXCEPTION;
  static const char *const statuses[] = {"ok", "io-error", "unsupported"};
  JSValue list = JS_NewArray(ctx);
  uint32_t id, n = 0;
  enum blk_status status;
  void *cookie;
  while (virtio_blk_complete(b, &id, &status, &cookie)) {
    if (cookie) unhold(ctx, cookie);
    JSValue done = JS_NewObject(ctx);
    JS_SetPropertyStr(ctx, done, "id", JS_NewInt64(ctx, id));
    JS_SetPropertyStr(ctx, done, "status", JS_NewString(ctx, statuses[status]));
    JS_SetPropertyUint32(ctx, list, n++, done);
  }
  return list;
}

/* ---- rng and console ------------------------------------------------------------------ */

static JSValue hal_rng_read(JSContext *ctx, JSValueConst this, int argc, JSValueConst *argv) {
  struct virtio_rng *r = device_arg(ctx, argv[0], DEVICE_RNG, "rngRead");
  if (!r) return JS_EXCEPTION;
  size_t length;
  uint8_t *bytes = hal_js_uint8(ctx, argv[1], &length, "rngRead");
  if (!bytes) return JS_EXCEPTION;
  if (length == 0) return JS_ThrowRangeError(ctx, "rngRead: the array is empty");
  size_t n = virtio_rng_take(r, bytes, length);
  return n ? JS_NewInt64(ctx, (int64_t)n) : JS_NewString(ctx, AGAIN);
}

static JSValue hal_channel_read(JSContext *ctx, JSValueConst this, int argc, JSValueConst *argv) {
  struct virtio_console *c = device_arg(ctx, argv[0], DEVICE_CONSOLE, "channelRead");
  if (!c) return JS_EXCEPTION;
  const bool uart = (void *)c == SERIAL_CHANNEL;
  static uint8_t from_uart[4096];
  const uint8_t *bytes = from_uart;
  size_t n = uart ? hal_serial_read(from_uart, sizeof from_uart) : virtio_console_peek(c, &bytes);
  if (!n) return JS_NewString(ctx, AGAIN);
  JSValue buffer = JS_NewArrayBufferCopy(ctx, bytes, n);
  if (!uart) virtio_console_consumed(c);
  if (JS_IsException(buffer)) return buffer;
  JSValue view = whole_view(ctx, buffer);
  JS_FreeValue(ctx, buffer);
  return view;
}

static JSValue hal_channel_write(JSContext *ctx, JSValueConst this, int argc, JSValueConst *argv) {
  struct virtio_console *c = device_arg(ctx, argv[0], DEVICE_CONSOLE, "channelWrite");
  if (!c) return JS_EXCEPTION;
  size_t length;
  uint8_t *bytes = hal_js_uint8(ctx, argv[1], &length, "channelWrite");
  if (!bytes) return JS_EXCEPTION;
  if (length == 0) return JS_NewInt32(ctx, 0);
  if ((void *)c == SERIAL_CHANNEL) {
    size_t count = length < SERIAL_WRITE_MAX ? length : SERIAL_WRITE_MAX; /* a turn's share: the UART takes a byte at a time */
    hal_serial_write_raw(bytes, count);
    return JS_NewInt64(ctx, (int64_t)count);
  }
  size_t n = virtio_console_write(c, bytes, length);
  return n ? JS_NewInt64(ctx, (int64_t)n) : JS_NewString(ctx, AGAIN);
}

const JSCFunctionListEntry hal_device_functions[] = {
    JS_CFUNC_DEF("devices", 0, hal_devices_list),
    JS_CFUNC_DEF("checksum", 4, hal_checksum_js),
    JS_CFUNC_DEF("halfSipHash", 2, hal_half_siphash_js),
    JS_CFUNC_DEF("netInfo", 1, hal_net_info),
    JS_CFUNC_DEF("netStats", 1, hal_net_stats),
    JS_CFUNC_DEF("netRead", 1, hal_net_read),
    JS_CFUNC_DEF("netWrite", 2, hal_net_write),
    JS_CFUNC_DEF("blockInfo", 1, hal_block_info),
    JS_CFUNC_DEF("blockRead", 3, hal_block_read),
    JS_CFUNC_DEF("blockWrite", 3, hal_block_write),
    JS_CFUNC_DEF("blockFlush", 1, hal_block_flush),
    JS_CFUNC_DEF("blockCompletions", 1, hal_block_completions),
    JS_CFUNC_DEF("rngRead", 2, hal_rng_read),
    JS_CFUNC_DEF("channelRead", 1, hal_channel_read),
    JS_CFUNC_DEF("channelWrite", 2, hal_channel_write),
};
const int hal_device_function_count = ARRAY_SIZE(hal_device_functions);
