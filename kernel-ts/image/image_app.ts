/**
 * image_app: where the TypeScript platforms (fake, hosted-node, hosted-quickjs) find an app in
 * their boot image. They run the image's JavaScript bundle (/app/NAME.js): their engines are
 * not the QuickJS build the bytecode (/app/NAME.bc) was compiled for, which only the native
 * loader (shim/js/hal_image.c) runs. Platform.loadApp's rule is the same everywhere: a bad
 * image refuses every load; an image without the app falls back to the apps built in.
 */

import { decodeUtf8 } from "../console/utf8.ts";
import { APP_NAME } from "./manifest.ts";
import { bytecodePath, sourcePath } from "./format.ts";
import { AppImageError, parseAppImage } from "./read_image.ts";

/**
 * The source of app `name` in `image`, or undefined when there is no image or it holds no
 * such app. Throws AppImageError when the image is unusable.
 */
export function imageAppSource(image: Uint8Array | undefined, name: string): string | undefined {
  if (image === undefined) return undefined;
  const parsed = parseAppImage(image);
  if (parsed instanceof AppImageError) throw parsed;
  if (!APP_NAME.test(name)) return undefined;
  const source = parsed.entries.get(sourcePath(name));
  if (source !== undefined) return decodeUtf8(source);
  if (parsed.entries.has(bytecodePath(name))) {
    throw new AppImageError(`it holds ${bytecodePath(name)} but not ${sourcePath(name)}, the bundle this platform runs`);
  }
  return undefined;
}
