/**
 * test-image-only: an app that runs only from its app image. Its manifest says
 * "linked": false, so `make build` leaves it out of the kernel ELF: when it runs, the kernel
 * loaded it from PVH module 0 (`skiff build test-image-only`, tests/vm/app_image.test.ts).
 *
 * It reads one of its assets back the way any app does, from the read-only /app mount
 * (node:fs/promises, which the bundler maps to skiff:fs): the image's /app/assets/x is
 * /app/assets/x, and /app holds nothing else (kernel-ts/fs/app_files.ts). Its manifest, as
 * built into the image, comes with main's scope (scope.manifest; a linked app has none).
 *
 * Prints, then exits 0 (3 when the image, the asset or /app's layout is not as expected):
 *   test-image-only: running from the app image
 *   test-image-only: manifest cpuBudgetMs=250 memoryMb=16 env.GREETING=greeting.txt
 *   test-image-only: asset greeting.txt = "Hello from an asset in the app image!\n"
 */
import { readdir, readFile } from "node:fs/promises";
import type { AppScope } from "../../kernel-ts/globals.ts";

export default {
  async main(_env: Record<string, string>, scope: AppScope): Promise<number> {
    console.log("test-image-only: running from the app image");
    const app = scope.manifest;
    if (app === undefined) {
      console.log("test-image-only: no manifest: the app did not come from an image");
      return 3;
    }
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
