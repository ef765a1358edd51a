/**
 * test-image-only: an app that runs only from its app image. Its manifest says
 * "linked": false, so `make build` leaves it out of the kernel ELF: when it runs, the kernel
 * loaded it from PVH module 0 (`skiff build test-image-only`, tests/vm/app_image.test.ts).
 *
 * It reads one of its assets back from the image. Apps have no file API yet (the VFS will
 * mount the image's entries at /app), so this test app takes a test-only path: it imports
 * `bootImage` from skiff:hal — the shim's module loader hands any importer the HAL, which
 * apps are not meant to use — and parses the image with the kernel's own reader
 * (kernel-ts/image), bundled into the app.
 *
 * Prints, then exits 0 (3 when the asset is missing):
 *   test-image-only: running from the app image
 *   test-image-only: manifest cpuBudgetMs=250 memoryMb=16 env.GREETING=greeting.txt
 *   test-image-only: asset greeting.txt = "Hello from an asset in the app image!\n"
 */
import { bootImage } from "skiff:hal";
import { decodeUtf8 } from "../../kernel-ts/console/utf8.ts";
import { ASSETS_ROOT, bootAppImage } from "../../kernel-ts/image/mod.ts";

export default {
  main(): number {
    console.log("test-image-only: running from the app image");
    const image = bootAppImage({ bootImage });
    if (image === undefined) {
      console.log("test-image-only: the machine booted with no app image");
      return 3;
    }
    const { app } = image.metadata;
    console.log(`test-image-only: manifest cpuBudgetMs=${app.cpuBudgetMs} memoryMb=${app.memoryMb} env.GREETING=${app.env.GREETING}`);
    const name = app.env.GREETING ?? "greeting.txt";
    const asset = image.entries.get(`${ASSETS_ROOT}${name}`);
    if (asset === undefined) {
      console.log(`test-image-only: no ${ASSETS_ROOT}${name} in the image (it has ${[...image.entries.keys()].join(", ")})`);
      return 3;
    }
    console.log(`test-image-only: asset ${name} = ${JSON.stringify(decodeUtf8(asset))}`);
    return 0;
  },
};
