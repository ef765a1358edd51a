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
import { bootAppImage, DEFAULT_CPU_BUDGET_MS, type AppManifest, type RestartPolicy } from "../image/mod.ts";
import type { Platform } from "../hal/platform.ts";

export interface AppSettings {
  readonly cpuBudgetMs: number;
  readonly restart: RestartPolicy;
}

const MAX_CPU_BUDGET_MS = 3_600_000;

/** The boot image's manifest when it carries app `name`; undefined otherwise (or for a bad image: loadApp reports that). */
export function imageManifest(platform: Pick<Platform, "bootImage">, name: string): AppManifest | undefined {
  try {
    // No CRC here: loadApp checks it before any app code runs, and in JS it costs ~2 s per
    // MiB of image under TCG at every boot; the bounds checks still apply.
    const image = bootAppImage(platform, { verifyCrc: false });
    return image?.metadata.app.name === name ? image.metadata.app : undefined;
  } catch {
    return undefined;
  }
}

export function appSettings(platform: Pick<Platform, "bootImage">, name: string, cmdlineValues: ReadonlyMap<string, string>, console: KernelConsole): AppSettings {
  const manifest = imageManifest(platform, name);
  let cpuBudgetMs = manifest?.cpuBudgetMs ?? DEFAULT_CPU_BUDGET_MS;
  const given = cmdlineValues.get("cpubudget");
  if (given !== undefined) {
    const value = Number(given);
    if (/^\d+$/.test(given) && value >= 1 && value <= MAX_CPU_BUDGET_MS) cpuBudgetMs = value;
    else console.log(`skiff: cpubudget=${given} ignored: the budget is an integer number of ms from 1 to ${MAX_CPU_BUDGET_MS}`);
  }
  return { cpuBudgetMs, restart: manifest?.restart ?? "never" };
}
