/**
 * code_slot: CodeSlot, where the kernel finds the code of one reloadable kernel module (the
 * HTTP module, the TCP module, the loader's reload: http/code_slot.ts, net/tcp/code_slot.ts,
 * loader/code_slot.ts). The kernel starts with the copy bundled into it; a reload (service.ts)
 * installs the default export of a newer build of the module, and the resident code that
 * reads `current` at each call runs the new code from then on (docs/hot-reload.md).
 */

export class CodeSlot<T extends object> {
  current: T;
  readonly #module: string;
  /** The functions a version must provide: those of the bundled one. */
  readonly #members: readonly string[];

  /** `module` names it in errors ("HTTP"); `bundled` is the kernel's own copy, functions only. */
  constructor(module: string, bundled: T) {
    this.#module = module;
    this.current = bundled;
    this.#members = Object.keys(bundled);
  }

  /** Checks a reloaded module's default export and makes it current; TypeError when it lacks a function. */
  install(candidate: unknown): void {
    const record = typeof candidate === "object" && candidate !== null ? candidate as Record<string, unknown> : undefined;
    const missing = this.#members.filter((name) => typeof record?.[name] !== "function");
    if (record === undefined || missing.length > 0) {
      throw new TypeError(`Cannot reload the ${this.#module} module: its default export lacks ${missing.map((name) => `${name}()`).join(", ")}`);
    }
    this.current = record as T;
  }
}
