/*
 * hal_text.c: asciiEncode(text) and asciiDecode(bytes, start, end), the fast paths of the
 * kernel's text codecs (Platform in kernel-ts/hal/platform.ts; kernel-ts/ascii.ts). A JS loop spends microseconds per character under TCG; an HTTP head, a
 * Response's text and every console line would each pay it. Both answer only for ASCII,
 * where UTF-8, Latin-1 and ISO-8859-1 agree, and return undefined otherwise: the caller
 * then takes its exact JS path (lone surrogates, bytes above 0x7F).
 */
#include "hal_js.h"
#include "shim.h"

static bool all_ascii(const uint8_t *bytes, size_t length) {
  size_t i = 0;
  for (; i + 8 <= length; i += 8) {
    uint64_t word;
    __builtin_memcpy(&word, bytes + i, 8);
    if (word & 0x8080808080808080ull) return false;
  }
  for (; i < length; i++) if (bytes[i] & 0x80) return false;
  return true;
}

/* asciiEncode(text): a new Uint8Array of text's code units when all are below 0x80, else undefined. */
static JSValue hal_ascii_encode(JSContext *ctx, JSValueConst this, int argc, JSValueConst *argv) {
  if (!JS_IsString(argv[0])) return JS_ThrowTypeError(ctx, "asciiEncode: the text must be a string");
  size_t length;
  const char *utf8 = JS_ToCStringLen(ctx, &length, argv[0]); /* ASCII comes out unchanged */
  if (!utf8) return JS_EXCEPTION;
  if (!all_ascii((const uint8_t *)utf8, length)) {
    JS_FreeCString(ctx, utf8);
    return JS_UNDEFINED;
  }
  JSValue buffer = JS_NewArrayBufferCopy(ctx, (const uint8_t *)utf8, length);
  JS_FreeCString(ctx, utf8);
  if (JS_IsException(buffer)) return buffer;
  JSValueConst args[3] = {buffer, JS_UNDEFINED, JS_UNDEFINED};
  JSValue view = JS_NewTypedArray(ctx, 3, args, JS_TYPED_ARRAY_UINT8);
  JS_FreeValue(ctx, buffer);
  return view;
}

/* asciiDecode(bytes, start, end): bytes[start, end) as a string when all are below 0x80, else
 * undefined; RangeError for a range outside the array. */
static JSValue hal_ascii_decode(JSContext *ctx, JSValueConst this, int argc, JSValueConst *argv) {
  size_t length;
  uint8_t *bytes = hal_js_uint8(ctx, argv[0], &length, "asciiDecode");
  if (!bytes) return JS_EXCEPTION;
  double start, end;
  if (JS_ToFloat64(ctx, &start, argv[1]) || JS_ToFloat64(ctx, &end, argv[2])) return JS_EXCEPTION;
  if (!(start >= 0 && start <= end && end <= (double)length) || start != (double)(size_t)start || end != (double)(size_t)end)
    return JS_ThrowRangeError(ctx, "asciiDecode: range [%g, %g) is not within 0..%zu", start, end, length);
  const uint8_t *from = bytes + (size_t)start;
  size_t count = (size_t)(end - start);
  if (!all_ascii(from, count)) return JS_UNDEFINED;
  return JS_NewStringLen(ctx, (const char *)from, count);
}

const JSCFunctionListEntry hal_text_functions[] = {
    JS_CFUNC_DEF("asciiEncode", 1, hal_ascii_encode),
    JS_CFUNC_DEF("asciiDecode", 3, hal_ascii_decode),
};
const int hal_text_function_count = ARRAY_SIZE(hal_text_functions);
