/*
 * hal_image.c: the boot image in skiff:hal — `bootImage()`, and where the native
 * `loadApp(name)` finds an app before it looks at the apps linked into the ELF.
 *
 * The image is PVH module 0 (cloud-hypervisor --initramfs, qemu -initrd; start_info.c
 * records it and main.c keeps the heap off it), used in place: bootImage() wraps the
 * module's own memory in an ArrayBuffer without copying — nothing in the shim writes
 * there, the kernel must not (platform.ts), and the buffer has no free function because
 * the memory is never given back.
 *
 * Before the first app comes out of it, the image is checked once (shim/lib/app_image.c:
 * header, CRC-32, bounds) and so is the engine its bytecode was compiled for: QuickJS
 * reads bytecode without verifying it, so an image from another QuickJS release or
 * bytecode version is refused here, with both versions named, and never reaches
 * JS_ReadObject. A refused image makes every loadApp reject; an image without the app
 * falls back to the linked-in apps.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "app_image.h"
#include "boot.h"
#include "bytecode.h"
#include "hal_js.h"

#ifndef SKIFF_QUICKJS_VERSION
#error "SKIFF_QUICKJS_VERSION (the QuickJS release, e.g. \"2025-04-26\") must be defined by the build"
#endif

static enum { IMAGE_UNCHECKED, IMAGE_NONE, IMAGE_GOOD, IMAGE_REFUSED } image_state;
static struct app_image image;
static char refusal[320];

static const struct range *boot_module(void) {
  const struct boot_info *info = hal_boot_info();
  return info->module_count > 0 ? &info->modules[0] : NULL;
}

JSValue hal_boot_image_js(JSContext *ctx, JSValueConst this, int argc, JSValueConst *argv) {
  const struct range *module = boot_module();
  if (!module) return JS_UNDEFINED;
  JSValue buffer = JS_NewArrayBuffer(ctx, (uint8_t *)(uintptr_t)module->start, module->end - module->start, NULL, NULL, false);
  if (JS_IsException(buffer)) return buffer;
  /* JS_NewTypedArray reads argv[1] and argv[2] whatever argc says: pass all three. */
  JSValueConst args[3] = {buffer, JS_NewInt32(ctx, 0), JS_UNDEFINED};
  JSValue view = JS_NewTypedArray(ctx, 3, args, JS_TYPED_ARRAY_UINT8);
  JS_FreeValue(ctx, buffer);
  return view;
}

/* Reads engine.quickjs and engine.bytecodeVersion from the metadata; false (refusal set) when it cannot. */
static bool check_engine(JSContext *ctx) {
  char *json = malloc(image.metadata_length + 1); /* JS_ParseJSON wants a NUL after the text */
  if (!json) {
    snprintf(refusal, sizeof refusal, "Cannot read the app image: no memory for its %u-byte metadata", image.metadata_length);
    return false;
  }
  memcpy(json, image.metadata, image.metadata_length);
  json[image.metadata_length] = 0;
  JSValue metadata = JS_ParseJSON(ctx, json, image.metadata_length, "app image metadata");
  free(json);
  if (JS_IsException(metadata)) {
    JS_FreeValue(ctx, JS_GetException(ctx));
    snprintf(refusal, sizeof refusal, "Cannot read the app image: the metadata is not JSON");
    return false;
  }
  JSValue engine = JS_GetPropertyStr(ctx, metadata, "engine");
  JSValue quickjs = JS_GetPropertyStr(ctx, engine, "quickjs");
  JSValue bytecode = JS_GetPropertyStr(ctx, engine, "bytecodeVersion");
  const char *built_for = JS_IsString(quickjs) ? JS_ToCString(ctx, quickjs) : NULL;
  int32_t built_version = -1;
  if (JS_IsNumber(bytecode)) JS_ToInt32(ctx, &built_version, bytecode);
  /* Every QuickJS bytecode blob starts with its BC_VERSION; the kernel's was read by this engine. */
  int ours = skiff_kernel_bytecode.data[0];
  bool ok = false;
  if (!built_for || built_version < 0)
    snprintf(refusal, sizeof refusal, "Cannot read the app image: the metadata's engine must be { quickjs: string, bytecodeVersion: 0–255 }");
  else if (strcmp(built_for, SKIFF_QUICKJS_VERSION) || built_version != ours)
    snprintf(refusal, sizeof refusal,
             "Cannot run an app from the app image: the image was built for QuickJS %s (bytecode version %d), "
             "this kernel runs QuickJS %s (bytecode version %d): rebuild it with `skiff build`",
             built_for, (int)built_version, SKIFF_QUICKJS_VERSION, ours);
  else
    ok = true;
  JS_FreeCString(ctx, built_for);
  JS_FreeValue(ctx, bytecode);
  JS_FreeValue(ctx, quickjs);
  JS_FreeValue(ctx, engine);
  JS_FreeValue(ctx, metadata);
  return ok;
}

static void check_image(JSContext *ctx) {
  const struct range *module = boot_module();
  if (!module) {
    image_state = IMAGE_NONE;
    return;
  }
  char error[200];
  if (!app_image_open(&image, (const uint8_t *)(uintptr_t)module->start, module->end - module->start, error, sizeof error)) {
    snprintf(refusal, sizeof refusal, "Cannot read the app image: %s", error);
    image_state = IMAGE_REFUSED;
    return;
  }
  image_state = check_engine(ctx) ? IMAGE_GOOD : IMAGE_REFUSED;
}

int hal_image_app_bytecode(JSContext *ctx, const char *name, const uint8_t **data, uint32_t *size) {
  if (image_state == IMAGE_UNCHECKED) check_image(ctx);
  if (image_state == IMAGE_NONE) return 0;
  if (image_state == IMAGE_REFUSED) {
    JSValue error = JS_NewError(ctx);
    JS_DefinePropertyValueStr(ctx, error, "name", JS_NewString(ctx, "AppImageError"), JS_PROP_WRITABLE | JS_PROP_CONFIGURABLE);
    JS_DefinePropertyValueStr(ctx, error, "message", JS_NewString(ctx, refusal), JS_PROP_WRITABLE | JS_PROP_CONFIGURABLE);
    JS_Throw(ctx, error);
    return -1;
  }
  char path[96];
  if ((size_t)snprintf(path, sizeof path, "/app/%s.bc", name) >= sizeof path) return 0; /* no app has so long a name */
  return app_image_find(&image, path, data, size) ? 1 : 0;
}
