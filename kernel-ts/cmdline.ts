/**
 * cmdline: parses the kernel command line the hypervisor passed (`platform.cmdline()`).
 *
 * Grammar: tokens separated by whitespace; a token `key=value` (split at the first "=",
 * the value may be empty or hold more "=") or a bare flag. No quoting. When a key repeats
 * the last value wins. Unknown keys are kept but ignored by the kernel; the shim reads its
 * own (`debug_exit=0xf4`, `crash=ud2|pf|gp`) from the same line.
 *
 * Keys the kernel uses:
 *   app=NAME[,NAME…]      the apps to run, each in its own context (default "hello")
 *   selftest=kernel-throw|hal   run a self test instead of the app
 *   env.X=Y               becomes env.X = "Y" in the object passed to every app's main(env)
 *   NAME.env.X=Y          the same for app NAME only, over env.X
 *   netstats              print the network's counters when the app ends (net/boot.ts)
 *   tso=off               no TCP segmentation offload even when virtio-net offers it (net/boot.ts)
 *   ip=… / net=off        the network's configuration (net/config.ts, net/boot.ts)
 *   cpubudget=MS          the apps' CPU budget (loader/app_settings.ts)
 *   devtoken=HEX          this boot's development token (reload/service.ts; development images only)
 *   profile=S             sample JS stacks for S seconds, then print them; with
 *   profilestart=S, profileperiod=US   (profile.ts)
 */

export type Selftest = "kernel-throw" | "hal";

export interface Cmdline {
  /** Every key=value token; the last wins for repeated keys. */
  readonly values: ReadonlyMap<string, string>;
  /** Every bare token. */
  readonly flags: ReadonlySet<string>;
  /** app=NAME,NAME…: the first of them, or "hello". */
  readonly app: string;
  /** Every app app= names, in order, each once; ["hello"] without app=. */
  readonly apps: readonly string[];
  /** selftest=…, when it names a known self test. */
  readonly selftest: Selftest | undefined;
  /** selftest=… when its value is not a known self test ("" when absent or known). */
  readonly unknownSelftest: string;
  /** The env.X=Y tokens as a plain object { X: "Y" } with only own string properties. */
  readonly env: Record<string, string>;
  /** env for app `name`: env, then its NAME.env.X=Y tokens over it (a new object each call). */
  envFor(name: string): Record<string, string>;
}

export const DEFAULT_APP = "hello";

export function parseCmdline(text: string): Cmdline {
  const values = new Map<string, string>();
  const flags = new Set<string>();
  for (const token of text.split(/\s+/)) {
    if (token === "") continue;
    const equals = token.indexOf("=");
    if (equals <= 0) flags.add(token);
    else values.set(token.slice(0, equals), token.slice(equals + 1));
  }
  const env = envWithPrefix(values, "env.", {});
  const requested = values.get("selftest");
  const selftest = requested === "kernel-throw" || requested === "hal" ? requested : undefined;
  const named = [...new Set((values.get("app") ?? "").split(",").filter((name) => name !== ""))];
  const apps = named.length > 0 ? named : [DEFAULT_APP];
  return {
    values,
    flags,
    app: apps[0]!,
    apps,
    selftest,
    unknownSelftest: requested !== undefined && selftest === undefined ? requested : "",
    env,
    envFor: (name) => envWithPrefix(values, `${name}.env.`, env),
  };
}

/** `base`'s entries, then every PREFIX + X = Y token as X: "Y", in a new object. */
function envWithPrefix(values: ReadonlyMap<string, string>, prefix: string, base: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {};
  const define = (key: string, value: string): void => {
    // defineProperty, so that env.__proto__=x makes a property instead of a prototype.
    Object.defineProperty(env, key, { value, enumerable: true, writable: true, configurable: true });
  };
  for (const [key, value] of Object.entries(base)) define(key, value);
  for (const [key, value] of values) {
    if (key.startsWith(prefix) && key.length > prefix.length) define(key.slice(prefix.length), value);
  }
  return env;
}
