/**
 * manifest: what an app's manifest (apps/NAME/app.json) may say, checked in one place.
 * The host's reader (host/build/manifest.ts) runs it on the file, adding what only the host
 * can check (the entry and assets exist); the kernel runs it again on the manifest an app
 * image carries (metadata.ts), so both read the same rules.
 *
 *   name         required; lower-case letters, digits and "-", starting with a letter (≤ 63)
 *   entry        required; the entry module, a path relative to the app's folder
 *   ports        optional; TCP ports the app serves (integers 1–65535, no repeats); default []
 *   env          optional; default values of the app's env (string → string); the command
 *                line's env.KEY=VALUE words win over them; default {}
 *   assets       optional; a folder relative to the app's folder whose files the image
 *                carries under /app/assets/; default none
 *   memoryMb     optional; the memory the app needs, in MiB (integer 1–1048576); default none
 *   cpuBudgetMs  optional; the watchdog's budget for one synchronous run of app code, in ms
 *                (integer 1–3600000); default 100
 *   linked       optional; false keeps the app out of the kernel ELF (`make build`), so it
 *                runs only from its image; default true
 *   restart      optional; "never" (the default) or "on-failure": a main() app that fails is
 *                started again, a few times with a growing pause (loader/app_life.ts)
 * cpuBudgetMs and restart are applied by the loader (loader/app_settings.ts); memoryMb is
 * validated and carried in the image's metadata but not enforced (one heap for all). Any other key is an error, so a misspelt one is not ignored.
 */

export interface AppManifest {
  readonly name: string;
  readonly entry: string;
  readonly ports: readonly number[];
  readonly env: Readonly<Record<string, string>>;
  readonly assets?: string;
  readonly memoryMb?: number;
  readonly cpuBudgetMs: number;
  readonly linked: boolean;
  /** Absent means "never" (kept absent so older images and manifests read the same). */
  readonly restart?: RestartPolicy;
}

export type RestartPolicy = "never" | "on-failure";
const RESTART_POLICIES: readonly RestartPolicy[] = ["never", "on-failure"];

export const DEFAULT_CPU_BUDGET_MS = 100;
const MAX_MEMORY_MB = 1 << 20;
const MAX_CPU_BUDGET_MS = 3_600_000;

export const APP_NAME = /^[a-z][a-z0-9-]{0,62}$/;
const ENV_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;
const KNOWN_KEYS = ["name", "entry", "ports", "env", "assets", "memoryMb", "cpuBudgetMs", "linked", "restart"] as const;

/** A manifest that breaks the rules; `problems` lists every one found, in key order. */
export class ManifestError extends Error {
  override readonly name = "ManifestError";
  constructor(readonly problems: readonly string[]) {
    super(problems.join("; "));
  }
}

/** A relative path inside the app's folder: no leading "/", no "\\", no ".." or empty segment. */
function relativePathProblem(key: string, value: unknown): string | undefined {
  if (typeof value !== "string" || value === "") return `"${key}" must be a non-empty string (a path relative to the app's folder)`;
  if (value.startsWith("/") || value.includes("\\")) return `"${key}" ${JSON.stringify(value)} must be a relative path with "/" separators`;
  const segments = value.replace(/\/$/, "").split("/");
  if (segments.some((segment) => segment === "" || segment === "..")) return `"${key}" ${JSON.stringify(value)} must stay inside the app's folder (no "..", no empty segment)`;
  return undefined;
}

function integerIn(value: unknown, min: number, max: number): value is number {
  return typeof value === "number" && Number.isInteger(value) && value >= min && value <= max;
}

/**
 * Checks a parsed manifest and returns it with its defaults filled in. Throws ManifestError
 * naming every problem: unknown keys, wrong types, values out of range, missing name or entry.
 */
export function checkManifest(value: unknown): AppManifest {
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new ManifestError(["the manifest must be a JSON object"]);
  const record = value as Record<string, unknown>;
  const problems: string[] = [];

  for (const key of Object.keys(record)) {
    if (!(KNOWN_KEYS as readonly string[]).includes(key)) problems.push(`unknown key ${JSON.stringify(key)} (known: ${KNOWN_KEYS.join(", ")})`);
  }
  if (typeof record.name !== "string" || !APP_NAME.test(record.name)) {
    problems.push(record.name === undefined ? `"name" is missing` : `"name" must match ${APP_NAME} (got ${JSON.stringify(record.name)})`);
  }
  if (record.entry === undefined) problems.push(`"entry" is missing (the app's entry module, e.g. "main.ts")`);
  else {
    const problem = relativePathProblem("entry", record.entry);
    if (problem !== undefined) problems.push(problem);
  }

  const ports = record.ports ?? [];
  if (!Array.isArray(ports) || !ports.every((port) => integerIn(port, 1, 65535))) problems.push(`"ports" must be an array of port numbers (integers 1–65535)`);
  else if (new Set(ports).size !== ports.length) problems.push(`"ports" lists a port twice`);

  const env = record.env ?? {};
  if (typeof env !== "object" || env === null || Array.isArray(env)) problems.push(`"env" must be an object of string values`);
  else {
    for (const [key, item] of Object.entries(env)) {
      if (!ENV_KEY.test(key)) problems.push(`"env" key ${JSON.stringify(key)} must be letters, digits and "_", not starting with a digit`);
      if (typeof item !== "string") problems.push(`"env" value of ${key} must be a string (got ${typeof item})`);
    }
  }

  if (record.assets !== undefined) {
    const problem = relativePathProblem("assets", record.assets);
    if (problem !== undefined) problems.push(problem);
  }
  if (record.memoryMb !== undefined && !integerIn(record.memoryMb, 1, MAX_MEMORY_MB)) problems.push(`"memoryMb" must be an integer from 1 to ${MAX_MEMORY_MB}`);
  if (record.cpuBudgetMs !== undefined && !integerIn(record.cpuBudgetMs, 1, MAX_CPU_BUDGET_MS)) problems.push(`"cpuBudgetMs" must be an integer from 1 to ${MAX_CPU_BUDGET_MS}`);
  if (record.linked !== undefined && typeof record.linked !== "boolean") problems.push(`"linked" must be true or false`);
  if (record.restart !== undefined && !(RESTART_POLICIES as readonly unknown[]).includes(record.restart)) problems.push(`"restart" must be "never" or "on-failure"`);

  if (problems.length > 0) throw new ManifestError(problems);
  const envCopy: Record<string, string> = {};
  for (const [key, item] of Object.entries(env as Record<string, string>)) {
    Object.defineProperty(envCopy, key, { value: item, enumerable: true, writable: true, configurable: true });
  }
  return {
    name: record.name as string,
    entry: record.entry as string,
    ports: [...(ports as number[])],
    env: envCopy,
    ...(record.assets !== undefined ? { assets: (record.assets as string).replace(/\/$/, "") } : {}),
    ...(record.memoryMb !== undefined ? { memoryMb: record.memoryMb as number } : {}),
    cpuBudgetMs: (record.cpuBudgetMs as number | undefined) ?? DEFAULT_CPU_BUDGET_MS,
    linked: (record.linked as boolean | undefined) ?? true,
    ...(record.restart !== undefined ? { restart: record.restart as RestartPolicy } : {}),
  };
}
