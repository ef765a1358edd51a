/**
 * app_files: what the read-only /app mount holds — the boot image's assets, each at the path
 * the image gives it.
 *
 * One name everywhere: the manifest's assets folder lands in the image under /app/assets/
 * (image/format.ts), and the image's entry /app/assets/css/site.css is the file
 * /app/assets/css/site.css that an app reads. The image's other entries, /app/NAME.bc and
 * /app/NAME.js, are the app's own code, the loader's business, and are left out: an app sees
 * the same tree whichever platform runs it (bytecode or bundle), and what the image carries
 * for the loader can change without changing what apps see. No image, or an image without
 * assets, leaves /app empty.
 */

import { APP_ROOT, ASSETS_ROOT } from "../image/format.ts";

/** The image's asset entries as ImageFs wants them: paths below the /app mount ("/assets/…"), bytes not copied. */
export function appFiles(entries: ReadonlyMap<string, Uint8Array> | undefined): Map<string, Uint8Array> {
  const files = new Map<string, Uint8Array>();
  for (const [path, bytes] of entries ?? []) {
    if (path.startsWith(ASSETS_ROOT)) files.set(path.slice(APP_ROOT.length - 1), bytes);
  }
  return files;
}
