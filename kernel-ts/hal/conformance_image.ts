/**
 * conformance_image: the HAL checks about the boot image (Platform.bootImage, and loadApp's
 * rule to look there first). Every platform passes them with or without an image: without
 * one they check only that bootImage() says so consistently.
 */

import { parseAppImage, AppImageError } from "../image/read_image.ts";
import { check, expect, show, type HalCheck } from "./conformance_helpers.ts";
import { NotFound } from "./platform.ts";

export const imageChecks: readonly HalCheck[] = [
  check("bootImage-gives-the-same-bytes-on-every-call", (platform) => {
    const first = platform.bootImage();
    const second = platform.bootImage();
    if (first === undefined) {
      expect(second === undefined, "bootImage() gave undefined, then bytes");
      return;
    }
    expect(first instanceof Uint8Array, `bootImage() gave ${show(first)}, not a Uint8Array or undefined`);
    expect(second instanceof Uint8Array && second.length === first.length, `bootImage() gave ${first.length} bytes, then ${second?.length ?? "undefined"}`);
    for (let i = 0; i < first.length; i++) expect(first[i] === second[i], `bootImage()'s byte ${i} changed between two calls`);
  }),

  check("loadApp-runs-the-boot-image's-app", async (platform) => {
    const bytes = platform.bootImage();
    if (bytes === undefined) return; // booted without an image: nothing to show
    const image = parseAppImage(bytes);
    if (image instanceof AppImageError) {
      let rejected = false;
      try {
        await platform.loadApp("hello");
      } catch {
        rejected = true;
      }
      expect(rejected, `the boot image is not valid (${image.reason}), yet loadApp("hello") did not reject`);
      return;
    }
    const name = image.metadata.app.name;
    const namespace = await platform.loadApp(name);
    expect(namespace !== NotFound, `loadApp(${show(name)}) resolved NotFound though the boot image holds that app`);
    expect("default" in namespace, `the boot image's app ${name} has no default export`);
  }),
];
