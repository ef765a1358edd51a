/**
 * Runs inside the private namespace (`ip netns exec NS node --import tsx first_200.ts URL
 * INTERVAL_MS TIMEOUT_MS [PREFIX]`): prints "ready", then starts a GET to URL every
 * INTERVAL_MS (each on a new connection, each given 1 s) until one answers 200 — and, given
 * PREFIX, with a body that starts with it (bench/reload: the new code's answer) — and prints
 * one JSON line {"atNs": "<process.hrtime.bigint() at that answer>", "attempts": N}, or
 * {"error": …} after TIMEOUT_MS. hrtime is CLOCK_MONOTONIC, the clock the parent read when it
 * spawned qemu (or saved the file). Without PREFIX the answer's time is its head's; with
 * one, its body's end.
 */
import http from "node:http";

const [url, intervalText, timeoutText, prefix] = process.argv.slice(2);
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
    if (prefix === undefined) {
      response.resume();
      if (response.statusCode === 200) finish({ atNs: String(atNs), attempts }, 0);
      return;
    }
    let body = "";
    response.setEncoding("utf8");
    response.on("data", (text: string) => { body += text; });
    response.on("end", () => {
      if (response.statusCode === 200 && body.startsWith(prefix)) finish({ atNs: String(process.hrtime.bigint()), attempts }, 0);
    });
  });
  request.on("timeout", () => request.destroy());
  request.on("error", () => {});
}

if (url === undefined) finish({ error: "usage: first_200.ts URL INTERVAL_MS TIMEOUT_MS [PREFIX]" }, 1);
const wanted = prefix === undefined ? "200" : `200 starting ${JSON.stringify(prefix)}`;
setTimeout(() => finish({ error: `no ${wanted} from ${url} within ${timeoutMs} ms (${attempts} attempts)` }, 1), timeoutMs);
process.stdout.write("ready\n");
// Bounded: at most TIMEOUT_MS / INTERVAL_MS attempts, each closed after 1 s.
const timer = setInterval(() => { if (!done) attempt(); else clearInterval(timer); }, intervalMs);
