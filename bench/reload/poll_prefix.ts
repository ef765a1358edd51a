/**
 * Runs inside the bench's private namespace (`ip netns exec NS node --import tsx
 * poll_prefix.ts URL PREFIX INTERVAL_MS TIMEOUT_MS`): prints "ready", then GETs URL every
 * INTERVAL_MS (each given 1 s) until a 200 whose body starts with PREFIX, and prints one JSON
 * line {"atNs": "<process.hrtime.bigint() then>"}, or {"error": …} after TIMEOUT_MS. hrtime is
 * CLOCK_MONOTONIC, the clock the parent read when it saved the file.
 */
import http from "node:http";

const [url, prefix, intervalText, timeoutText] = process.argv.slice(2);
const intervalMs = Number(intervalText ?? 5);
const timeoutMs = Number(timeoutText ?? 60_000);
let done = false;

function finish(result: object, status: number): void {
  if (done) return;
  done = true;
  process.stdout.write(`${JSON.stringify(result)}\n`, () => process.exit(status));
}

function attempt(): void {
  const request = http.get(url!, { agent: false, timeout: 1000 }, (response) => {
    let body = "";
    response.setEncoding("utf8");
    response.on("data", (text: string) => { body += text; });
    response.on("end", () => {
      if (response.statusCode === 200 && body.startsWith(prefix!)) finish({ atNs: String(process.hrtime.bigint()) }, 0);
    });
  });
  request.on("timeout", () => request.destroy());
  request.on("error", () => {});
}

if (url === undefined || prefix === undefined) finish({ error: "usage: poll_prefix.ts URL PREFIX INTERVAL_MS TIMEOUT_MS" }, 1);
setTimeout(() => finish({ error: `no body starting with ${JSON.stringify(prefix)} from ${url} within ${timeoutMs} ms` }, 1), timeoutMs);
process.stdout.write("ready\n");
const timer = setInterval(() => { if (!done) attempt(); else clearInterval(timer); }, intervalMs);
