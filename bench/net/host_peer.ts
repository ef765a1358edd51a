/**
 * The host side of the network benchmark, run inside the private namespace (Linux's own
 * TCP; `ip netns exec NS node --import tsx bench/net/host_peer.ts MODE …`) against a guest
 * playing the roles of apps/bench-tcp. Prints one JSON line and exits 0, or prints why and
 * exits 1. Every mode is bounded in count and in time (the last argument, ms).
 *   send      HOST PORT BYTES TIMEOUT            write BYTES, half-close, wait for the guest's close
 *   receive   HOST PORT BYTES TIMEOUT            read until BYTES arrived (or EOF)
 *   connect   HOST PORT SECONDS MAX TIMEOUT      sequential connections to accept-and-close
 *   pingpong  HOST PORT COUNT SIZE TIMEOUT       COUNT round trips of SIZE bytes on one connection
 *   stop      HOST PORT TIMEOUT                  connect once (the guest's stop port)
 */
import net from "node:net";

const nowMs = (): number => Number(process.hrtime.bigint()) / 1e6;

function fail(why: string): never {
  process.stdout.write(`${JSON.stringify({ error: why })}\n`);
  process.exit(1);
}

function open(host: string, port: number): Promise<{ socket: net.Socket; setupMs: number }> {
  const started = nowMs();
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port });
    socket.once("connect", () => resolve({ socket, setupMs: nowMs() - started }));
    socket.once("error", reject);
  });
}

async function send(host: string, port: number, total: number): Promise<object> {
  const block = Buffer.alloc(64 * 1024, 0x5a);
  const started = nowMs();
  const { socket } = await open(host, port);
  let sent = 0;
  while (sent < total) {
    const piece = block.subarray(0, Math.min(block.length, total - sent));
    sent += piece.length;
    if (!socket.write(piece)) await new Promise((resolve) => socket.once("drain", resolve));
  }
  socket.end();
  socket.resume();
  await new Promise<void>((resolve, reject) => { socket.once("close", () => resolve()); socket.once("error", reject); });
  const ms = nowMs() - started;
  return { bytes: sent, ms, megabitsPerSecond: (sent * 8) / 1e3 / ms };
}

async function receive(host: string, port: number, total: number): Promise<object> {
  const started = nowMs();
  const { socket } = await open(host, port);
  let received = 0;
  await new Promise<void>((resolve, reject) => {
    socket.on("data", (chunk: Buffer) => {
      received += chunk.length;
      if (received >= total) resolve();
    });
    socket.once("end", () => resolve());
    socket.once("error", reject);
  });
  const ms = nowMs() - started;
  socket.destroy();
  if (received < total) fail(`received ${received} of ${total} bytes before the guest closed`);
  return { bytes: received, ms, megabitsPerSecond: (received * 8) / 1e3 / ms };
}

/** One connection: handshake, the guest's FIN, our FIN, closed. */
async function connectOnce(host: string, port: number): Promise<{ setupMs: number; totalMs: number }> {
  const started = nowMs();
  const { socket, setupMs } = await open(host, port);
  await new Promise<void>((resolve, reject) => {
    socket.once("end", () => socket.end());
    socket.once("close", () => resolve());
    socket.once("error", reject);
    socket.resume();
  });
  return { setupMs, totalMs: nowMs() - started };
}

async function connections(host: string, port: number, seconds: number, max: number): Promise<object> {
  const started = nowMs();
  const setups: number[] = [];
  while (setups.length < max && nowMs() - started < seconds * 1000) setups.push((await connectOnce(host, port)).setupMs);
  const ms = nowMs() - started;
  return { connections: setups.length, ms, perSecond: (setups.length * 1000) / ms, setupMs: summarize(setups) };
}

async function pingpong(host: string, port: number, count: number, size: number): Promise<object> {
  const { socket } = await open(host, port);
  socket.setNoDelay(true);
  const message = Buffer.alloc(size, 0x61);
  let pending: { want: number; got: number; resolve: () => void } | undefined;
  socket.on("data", (chunk: Buffer) => {
    if (pending === undefined) return fail(`${chunk.length} unexpected bytes`);
    pending.got += chunk.length;
    if (pending.got >= pending.want) {
      const done = pending.resolve;
      pending = undefined;
      done();
    }
  });
  socket.once("error", (error) => fail(error.message));
  const roundTrip = (): Promise<number> => {
    const started = nowMs();
    return new Promise((resolve) => {
      pending = { want: size, got: 0, resolve: () => resolve(nowMs() - started) };
      socket.write(message);
    });
  };
  const warmUp = Math.min(50, count);
  for (let i = 0; i < warmUp; i++) await roundTrip();
  const rtts: number[] = [];
  for (let i = 0; i < count; i++) rtts.push(await roundTrip());
  socket.end();
  return { roundTrips: count, warmUp, size, rttMs: summarize(rtts) };
}

function summarize(values: readonly number[]): { median: number; p90: number; min: number; max: number; mean: number } {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
  const round = (x: number): number => Number(x.toFixed(3));
  return { median: round(at(0.5)), p90: round(at(0.9)), min: round(sorted[0] ?? NaN), max: round(sorted[sorted.length - 1] ?? NaN), mean: round(values.reduce((a, b) => a + b, 0) / values.length) };
}

async function main(): Promise<void> {
  const [mode, host, portText, ...rest] = process.argv.slice(2);
  const numbers = rest.map(Number);
  const timeoutMs = numbers[numbers.length - 1] ?? 60_000;
  if (host === undefined || portText === undefined || numbers.some((value) => !Number.isFinite(value))) fail(`Cannot run host_peer ${process.argv.slice(2).join(" ")}: bad arguments`);
  setTimeout(() => fail(`${mode} did not finish within ${timeoutMs} ms`), timeoutMs).unref();
  const port = Number(portText);
  let result: object;
  switch (mode) {
    case "send": result = await send(host, port, numbers[0]!); break;
    case "receive": result = await receive(host, port, numbers[0]!); break;
    case "connect": result = await connections(host, port, numbers[0]!, numbers[1]!); break;
    case "pingpong": result = await pingpong(host, port, numbers[0]!, numbers[1]!); break;
    case "stop": result = await connectOnce(host, port); break;
    default: fail(`Cannot run host_peer mode ${mode}`);
  }
  process.stdout.write(`${JSON.stringify(result)}\n`);
  process.exit(0);
}

main().catch((error: unknown) => fail(error instanceof Error ? error.message : String(error)));
