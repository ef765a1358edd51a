/**
 * test-contexts: what an app context is (issue 5, "Loader"; shim/js/app_context.c) —
 * checked from inside the app, one line each:
 *   test-contexts NAME: ok CHECK | test-contexts NAME: FAIL CHECK: why
 * and "test-contexts NAME: done N failed" at the end (status N). tests/vm/app_contexts.test.ts
 * runs it alone and beside test-contexts-b, which runs the same checks.
 *
 * - its own global object: a global an app sets, no other app sees (run two of them: each
 *   marks globalThis at load, and still finds its own mark after the other has loaded);
 * - the app API and the standard globals are there, kernel-made objects are of the app's
 *   intrinsics (shared with the kernel: a TextEncoder's bytes are `instanceof Uint8Array`);
 * - skiff:hal cannot be imported;
 * - Function(), indirect eval and the constructors reached through a function's prototype
 *   chain all compile in the app's context: they reach its globalThis, not the kernel's.
 */

const me = (globalThis as { contextMark?: string }).contextMark = `load-${Math.random()}`;

interface Check { readonly name: string; readonly run: () => unknown | Promise<unknown> }

const AsyncFunction = (async () => {}).constructor as FunctionConstructor;

const checks: Check[] = [
  { name: "globalThis is its own", run: () => (globalThis as { contextMark?: string }).contextMark === me || "another app replaced the mark" },
  { name: "globalThis.globalThis", run: () => globalThis.globalThis === globalThis },
  { name: "the app API", run: () => ["console", "setTimeout", "clearInterval", "queueMicrotask", "Response", "Request", "Headers", "URL", "TextEncoder", "ReadableStream", "crypto", "performance", "structuredClone"].filter((name) => !(name in globalThis)).join(", ") || true },
  { name: "the standard globals", run: () => ["Object", "Array", "Uint8Array", "Promise", "JSON", "Math", "Reflect", "Proxy", "Map", "WeakRef", "BigInt", "eval", "parseInt", "NaN"].filter((name) => !(name in globalThis)).join(", ") || true },
  { name: "kernel-made bytes are Uint8Arrays", run: () => new TextEncoder().encode("x") instanceof Uint8Array },
  { name: "a kernel-made body is an ArrayBuffer", run: async () => (await new Response("body").arrayBuffer()) instanceof ArrayBuffer },
  { name: "kernel JSON is of the app's Object", run: async () => { const value = await new Response('{"a":[1]}').json() as { a: unknown }; return value instanceof Object && value.a instanceof Array; } },
  { name: "new Function sees this globalThis", run: () => new Function("return globalThis.contextMark")() === me },
  { name: "indirect eval sees this globalThis", run: () => (0, eval)("globalThis.contextMark") === me },
  { name: "Reflect.construct(Function) sees this globalThis", run: () => (Reflect.construct(Function, ["return globalThis.contextMark"]) as () => unknown)() === me },
  { name: "a function's constructor sees this globalThis", run: () => ((() => {}).constructor as FunctionConstructor)("return globalThis.contextMark")() === me },
  { name: "AsyncFunction sees this globalThis", run: async () => await (AsyncFunction("return globalThis.contextMark") as () => Promise<unknown>)() === me },
  {
    name: "skiff:hal is not importable",
    run: async () => {
      try {
        await import("skiff:" + "hal");
        return "the import succeeded";
      } catch (error) {
        return /Cannot import skiff:hal in an app/.test(String(error)) || `wrong error: ${String(error)}`;
      }
    },
  },
];

export default {
  async main(env: Record<string, string>): Promise<number> {
    const name = env.NAME ?? "test-contexts";
    await new Promise<void>((resolve) => setTimeout(() => resolve(), 50)); // every app of the machine has loaded
    let failed = 0;
    for (const check of checks) {
      let result: unknown;
      try {
        result = await check.run();
      } catch (error) {
        result = `threw ${String(error)}`;
      }
      if (result === true) console.log(`test-contexts ${name}: ok ${check.name}`);
      else {
        failed++;
        console.log(`test-contexts ${name}: FAIL ${check.name}: ${String(result)}`);
      }
    }
    console.log(`test-contexts ${name}: done ${failed} failed`);
    return failed;
  },
};
