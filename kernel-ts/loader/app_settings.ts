/**
 * app_settings: what the loader applies from an app's manifest — its CPU budget and restart
 * policy — and where each came from.
 *
 * An app loaded from the boot image has its manifest in the image's metadata (image/
 * metadata.ts). An app linked into the ELF has no image, and no manifest at run time: it
 * gets the defaults (100 ms, "never"). The command line's `cpubudget=MS` overrides the
 * budget for either (an integer 1–3600000; anything else is reported and ignored).
 */

import type { KernelConsole } from "../console/mod.ts";
import { bootAppImage, DEFAULT_CPU_BUDGET_MS, type AppManifest, type ImageMetadata, type RestartPolicy } from "../image/mod.ts";
import type { Platform } from "../hal/platform.ts";

export interface AppSettings {
  readonly cpuBudgetMs: number;
  readonly restart: RestartPolicy;
}

const MAX_CPU_BUDGET_MS = 3_600_000;

/** The boot image's metadata, read once per boot; undefined without an image or for a bad one (loadApp reports that). */
export function bootImageMetadata(platform: Pick<Platform, "bootImage">): ImageMetadata | undefined {
  try {
    // No CRC here: loadApp checks it before any app code runs, and in JS it costs ~2 s per
    // MiB of image under TCG at every boot; the bounds checks still apply.
    return bootAppImage(platform, { verifyCrc: false })?.metadata;
  } catch {
    return undefined;
  }
}

/** App `name`'s manifest when the boot image carries that app. */
export function imageManifest(metadata: ImageMetadata | undefined, name: string): AppManifest | undefined {
  return metadata?.app.name === name ? metadata.app : undefined;
}

/** `manifest` (imageManifest) with the command line's cpubudget= over it, or the defaults. */
export function appSettings(manifest: AppManifest | undefined, cmdlineValues: ReadonlyMap<string, string>, console: KernelConsole): AppSettings {
  let cpuBudgetMs = manifest?.cpuBudgetMs ?? DEFAULT_CPU_BUDGET_MS;
  const given = cmdlineValues.get("cpubudget");
  if (given !== undefined) {
    const value = Number(given);
    if (/^\d+$/.test(given) && value >= 1 && value <= MAX_CPU_BUDGET_MS) cpuBudgetMs = value;
    else console.log(`skiff: cpubudget=${given} ignored: the budget is an integer number of ms from 1 to ${MAX_CPU_BUDGET_MS}`);
  }
  return { cpuBudgetMs, restart: manifest?.restart ?? "never" };
}
