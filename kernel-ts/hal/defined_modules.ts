/**
 * defined_modules: the `skiff:*` modules the kernel offers apps (Platform.defineModule),
 * kept for the platforms written in TypeScript (fake, hosted). The native platform keeps
 * the same table in C (shim/js/hal_module.c). One rule for the names everywhere: "skiff:"
 * and a lower-case name, never "skiff:hal".
 */

import type { ModuleNamespace } from "./platform.ts";

const MODULE_NAME = /^skiff:[a-z][a-z0-9_-]{0,24}$/;

export class DefinedModules {
  readonly #modules = new Map<string, Readonly<Record<string, unknown>>>();

  define(name: string, exports: Readonly<Record<string, unknown>>): void {
    if (typeof name !== "string") throw new TypeError("Cannot define module: name is not a string");
    if (typeof exports !== "object" || exports === null) throw new TypeError(`Cannot define module ${name}: exports is not an object`);
    if (!MODULE_NAME.test(name) || name === "skiff:hal") {
      throw new RangeError(`Cannot define module ${name}: apps may import skiff:NAME modules other than skiff:hal`);
    }
    this.#modules.set(name, exports);
  }

  /** The module's exports as a namespace-like object: its own enumerable string keys. */
  namespace(name: string): ModuleNamespace {
    const exports = this.#modules.get(name);
    if (exports === undefined) throw new ReferenceError(`Cannot find module '${name}': the kernel did not define it`);
    return Object.freeze({ ...exports });
  }

  names(): string[] {
    return [...this.#modules.keys()];
  }
}
