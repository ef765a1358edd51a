/**
 * hosted_worker: runs a hosted kernel (quickjs_runner.ts) in a worker thread, so that this
 * process's main thread goes on while the kernel sleeps in Atomics.wait — `skiff dev
 * --hosted`, whose development channel is a pair of byte rings in shared memory between the
 * two threads (hosted_channel.ts). The options come as workerData (structured-cloned:
 * SharedArrayBuffers stay shared); the result goes back as one message.
 *
 * A .ts worker needs tsx in its own thread: startHostedWorker evaluates a small ESM that
 * registers tsx's loader there first, then imports this file.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Worker, isMainThread, parentPort, workerData } from "node:worker_threads";
import { runHosted, type HostedResult, type HostedRunOptions } from "./quickjs_runner.ts";

const here = fileURLToPath(import.meta.url);

/** Starts the kernel in a worker; resolves with its result when it powers off (or fails). */
export function startHostedWorker(options: HostedRunOptions, repoRoot: string): { result: Promise<HostedResult>; stop: () => Promise<void> } {
  const tsxApi = path.join(repoRoot, "node_modules", "tsx", "dist", "esm", "api", "index.mjs");
  const source = `import(${JSON.stringify(tsxApi)}).then((api) => { api.register(); return import(${JSON.stringify(here)}); });`;
  const worker = new Worker(source, { eval: true, workerData: options });
  const result = new Promise<HostedResult>((resolve, reject) => {
    worker.once("message", (message: HostedResult) => resolve(message));
    worker.once("error", reject);
    worker.once("exit", (code) => reject(new Error(`the hosted kernel's worker exited (${code}) without a result`)));
  });
  return { result, stop: async () => { await worker.terminate(); } };
}

if (!isMainThread && parentPort !== null && (workerData as HostedRunOptions | undefined)?.kernelBundle !== undefined) {
  const result = await runHosted(workerData as HostedRunOptions);
  parentPort.postMessage(result);
}
