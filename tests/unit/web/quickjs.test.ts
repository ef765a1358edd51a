// The web globals on the engine the kernel runs on: a script that uses them is bundled
// with kernel-ts/web by esbuild (as the kernel is: ESM, platform "neutral") and run in
// quickjs-emscripten, where no web API exists until installWebGlobals adds it; its
// results must equal the same script's results on Node's own globals. A Node-only API
// slipping into kernel-ts/web would fail here as a ReferenceError.
import test from "ava";
import { build } from "esbuild";
import { newQuickJSWASMModule } from "quickjs-emscripten";
import { exerciseGlobals } from "../../fixtures/web/exercise_globals.ts";

const ENTRY = `
import { installWebGlobals } from "./kernel-ts/web/mod.ts";
import { exerciseGlobals } from "./tests/fixtures/web/exercise_globals.ts";
const missing = ["URL", "TextEncoder", "Headers", "Response", "ReadableStream", "structuredClone", "crypto", "AbortController"].filter((name) => name in globalThis);
let seed = 1;
const installed = installWebGlobals(globalThis, {
  randomFill(bytes) { for (let i = 0; i < bytes.length; i++) { seed = (seed * 1103515245 + 12345) >>> 0; bytes[i] = seed >>> 24; } },
  nowMs: () => hostNowMs(),
  setTimeout: () => { throw new Error("no timers in this test"); },
  clearTimeout: () => {},
});
exerciseGlobals().then(
  (result) => hostReport(JSON.stringify({ result, installed, alreadyThere: missing, transfer: typeof ArrayBuffer.prototype.transfer })),
  (error) => hostReport(JSON.stringify({ error: String(error) + "\\n" + (error && error.stack) })),
);
`;

async function bundle(): Promise<string> {
  const result = await build({
    stdin: { contents: ENTRY, resolveDir: process.cwd(), sourcefile: "web_globals_entry.ts", loader: "ts" },
    bundle: true, format: "esm", platform: "neutral", target: "es2023", write: false, logLevel: "silent",
  });
  return result.outputFiles[0]!.text;
}

async function runInQuickJs(source: string): Promise<Record<string, unknown>> {
  const quickjs = await newQuickJSWASMModule();
  const runtime = quickjs.newRuntime();
  runtime.setMemoryLimit(64 * 1024 * 1024);
  const context = runtime.newContext();
  let report: string | undefined;
  const hostReport = context.newFunction("hostReport", (text) => { report = context.getString(text); });
  const hostNowMs = context.newFunction("hostNowMs", () => context.newNumber(performance.now()));
  context.setProp(context.global, "hostReport", hostReport);
  context.setProp(context.global, "hostNowMs", hostNowMs);
  hostReport.dispose();
  hostNowMs.dispose();
  const evaluated = context.evalCode(source, "web_globals.js", { type: "module" });
  if (evaluated.error !== undefined) {
    const error = context.dump(evaluated.error);
    evaluated.error.dispose();
    throw new Error(`the bundle threw: ${JSON.stringify(error)}`);
  }
  evaluated.value.dispose();
  for (let turns = 0; report === undefined && runtime.hasPendingJob() && turns < 10_000; turns++) {
    const ran = runtime.executePendingJobs();
    if (ran.error !== undefined) {
      const error = context.dump(ran.error);
      ran.error.dispose();
      throw new Error(`a job threw: ${JSON.stringify(error)}`);
    }
  }
  if (report === undefined) throw new Error("the script never reported (its promise never settled)");
  return JSON.parse(report) as Record<string, unknown>;
}

test("the globals work on QuickJS and give Node's results", async (t) => {
  const source = await bundle();
  const quickjs = await runInQuickJs(source);
  t.is(quickjs["error"], undefined, String(quickjs["error"]));
  t.deepEqual(quickjs["alreadyThere"], [], "QuickJS has none of these globals of its own");
  t.true((quickjs["installed"] as string[]).length >= 30);
  t.deepEqual(quickjs["result"], JSON.parse(JSON.stringify(await exerciseGlobals())));
});
