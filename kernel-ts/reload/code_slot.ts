/**
 * code_slot: CodeSlot, where the kernel finds the code of one reloadable kernel module (the
 * HTTP module, the TCP module, the loader: http/code_slot.ts, net/tcp/code_slot.ts,
 * loader/code_slot.ts). The kernel starts with the copy bundled into it; a reload (service.ts)
 * installs the default export of a newer build of the module, and the resident code that
 * reads `current` at each call runs the new code from then on (docs/hot-reload.md).
 *
 * Kernel modules keep the app contract (DESIGN.md: state is data, code is replaceable): what
 * a module's code needs from one version to the next lives in resident data the new code
 * picks up (a TCB, a connection's reader state), and a version that keeps state of its own
 * may export `dispose()` — its state as plain data — and `start(state)`, which install calls
 * in that order, synchronously, before the swap. State that is not plain data (it is
 * structured-cloned) or a start() that throws rejects the reload: the old code stays, and
 * its own start(state) gets its state back.
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
    this.#members = Object.keys(bundled).filter((name) => name !== "dispose" && name !== "start");
  }

  /**
   * Checks a reloaded module's default export, hands the state over (dispose, start) and
   * makes it current; TypeError when it lacks a function or its state is not data, and the
   * start() error as it is.
   */
  install(candidate: unknown): void {
    const record = typeof candidate === "object" && candidate !== null ? candidate as Record<string, unknown> : undefined;
    const missing = this.#members.filter((name) => typeof record?.[name] !== "function");
    if (record === undefined || missing.length > 0) {
      throw new TypeError(`Cannot reload the ${this.#module} module: its default export lacks ${missing.map((name) => `${name}()`).join(", ")}`);
    }
    const old = this.current as Partial<Lifecycle>;
    const next = record as Partial<Lifecycle>;
    const state = typeof old.dispose === "function" ? old.dispose() : undefined;
    let handed: unknown;
    try {
      handed = state === undefined ? undefined : structuredClone(state);
    } catch (error) {
      old.start?.(state);
      throw new TypeError(`Cannot reload the ${this.#module} module: dispose() returned state that is not plain data (${String(error)})`);
    }
    try {
      if (typeof next.start === "function") next.start(handed);
    } catch (error) {
      old.start?.(state);
      throw error;
    }
    this.current = record as T;
  }
}

/** A kernel module version's optional state handover (see above). */
interface Lifecycle {
  dispose(): unknown;
  start(state: unknown): void;
}
