/**
 * Runs inside the private namespace (`ip netns exec NS node --import tsx first_200.ts URL
 * INTERVAL_MS TIMEOUT_MS`): prints "ready", then starts a GET to URL every INTERVAL_MS (each
 * on a new connection, each given 1 s) until one answers 200, and prints one JSON line
 * {"atNs": "<process.hrtime.bigint() at that answer>", "attempts": N}, or {"error": …} after
 * TIMEOUT_MS. hrtime is CLOCK_MONOTONIC, the clock the parent read when it spawned qemu.
 */
import http from "node:http";

const [url, intervalText, timeoutText] = process.argv.slice(2);
const intervalMs = Number(intervalText ?? 10);
const timeoutMs = Number(timeoutText ?? 120_000);
let attempts = 0;
let done = false;

function finish(result: object, status: number): void {
  if (done) return;
  done = true;
  process.stdout.write(`${JSON.stringify(result)}\n`, () => process.exit(status));
}

function attempt(): void {
  attempts++;
  const request = http.get(url!, { agent: false, timeout: 1000 }, (response) => {
    const atNs = process.hrtime.bigint();
    response.resume();
    if (response.statusCode === 200) finish({ atNs: String(atNs), attempts }, 0);
  });
  request.on("timeout", () => request.destroy());
  request.on("error", () => {});
}

if (url === undefined) finish({ error: "usage: first_200.ts URL INTERVAL_MS TIMEOUT_MS" }, 1);
setTimeout(() => finish({ error: `no 200 from ${url} within ${timeoutMs} ms (${attempts} attempts)` }, 1), timeoutMs);
process.stdout.write("ready\n");
// Bounded: at most TIMEOUT_MS / INTERVAL_MS attempts, each closed after 1 s.
const timer = setInterval(() => { if (!done) attempt(); else clearInterval(timer); }, intervalMs);
