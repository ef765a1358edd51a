/**
 * test-image-only: an app that runs only from its app image. Its manifest says
 * "linked": false, so `make build` leaves it out of the kernel ELF: when it runs, the kernel
 * loaded it from PVH module 0 (`skiff build test-image-only`, tests/vm/app_image.test.ts).
 *
 * It reads one of its assets back the way any app does, from the read-only /app mount
 * (node:fs/promises, which the bundler maps to skiff:fs): the image's /app/assets/x is
 * /app/assets/x, and /app holds nothing else (kernel-ts/fs/app_files.ts). Its manifest, which
 * apps have no API for yet, it reads by a test-only path: it imports `bootImage` from
 * skiff:hal — the shim's module loader hands any importer the HAL, which apps are not meant
 * to use — and parses the image with the kernel's own reader (kernel-ts/image), bundled in.
 *
 * Prints, then exits 0 (3 when the image, the asset or /app's layout is not as expected):
 *   test-image-only: running from the app image
 *   test-image-only: manifest cpuBudgetMs=250 memoryMb=16 env.GREETING=greeting.txt
 *   test-image-only: asset greeting.txt = "Hello from an asset in the app image!\n"
 */
import { readdir, readFile } from "node:fs/promises";
import { bootImage } from "skiff:hal";
import { bootAppImage } from "../../kernel-ts/image/mod.ts";

export default {
  async main(): Promise<number> {
    console.log("test-image-only: running from the app image");
    const image = bootAppImage({ bootImage });
    if (image === undefined) {
      console.log("test-image-only: the machine booted with no app image");
      return 3;
    }
    const { app } = image.metadata;
    console.log(`test-image-only: manifest cpuBudgetMs=${app.cpuBudgetMs} memoryMb=${app.memoryMb} env.GREETING=${app.env.GREETING}`);
    const tree = (await readdir("/app", { recursive: true })).join(", ");
    if (tree !== "assets, assets/greeting.txt, assets/nested, assets/nested/data.json") {
      console.log(`test-image-only: /app holds ${tree}, not just the image's assets`);
      return 3;
    }
    const name = app.env.GREETING ?? "greeting.txt";
    console.log(`test-image-only: asset ${name} = ${JSON.stringify(await readFile(`/app/assets/${name}`, "utf8"))}`);
    return 0;
  },
};
