/**
 * wrk (Debian's wrk 4.1) against a guest, from inside the private namespace: one thread,
 * keep-alive, C connections for S seconds, --latency for the percentiles. Its text output
 * is parsed into numbers; a run with socket errors or non-2xx answers keeps them in the
 * figures rather than failing, so the table shows what happened.
 */
import type { BenchNetwork } from "../net/private_network.ts";
import { execInNamespace } from "./exec_in_namespace.ts";

export interface WrkFigures {
  readonly connections: number;
  readonly seconds: number;
  readonly requests: number;
  readonly requestsPerSecond: number;
  readonly latencyMs: { readonly p50: number; readonly p75: number; readonly p90: number; readonly p99: number; readonly mean: number; readonly max: number };
  readonly socketErrors: { readonly connect: number; readonly read: number; readonly write: number; readonly timeout: number };
  readonly non2xx: number;
}

const unitMs: Record<string, number> = { us: 0.001, ms: 1, s: 1000, m: 60_000 };

/** "1.23ms" → 1.23; "850.00us" → 0.85. */
function durationMs(text: string): number {
  const match = /^([0-9.]+)(us|ms|s|m)$/.exec(text);
  if (match === null) throw new Error(`Cannot parse wrk's duration ${JSON.stringify(text)}`);
  return Number((Number(match[1]) * unitMs[match[2]!]!).toFixed(3));
}

export function parseWrk(output: string, connections: number, seconds: number): WrkFigures {
  const need = (pattern: RegExp, what: string): RegExpExecArray => {
    const match = pattern.exec(output);
    if (match === null) throw new Error(`Cannot parse wrk's output: no ${what} in ${JSON.stringify(output.slice(0, 600))}`);
    return match;
  };
  const percentile = (p: number): number => durationMs(need(new RegExp(`^\\s+${p}%\\s+(\\S+)`, "m"), `${p}% line`)[1]!);
  const latency = need(/^\s+Latency\s+(\S+)\s+\S+\s+(\S+)/m, "Latency line");
  const errors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(output);
  return {
    connections,
    seconds,
    requests: Number(need(/(\d+) requests in /, "request count")[1]),
    requestsPerSecond: Number(need(/Requests\/sec:\s+([0-9.]+)/, "Requests/sec")[1]),
    latencyMs: { p50: percentile(50), p75: percentile(75), p90: percentile(90), p99: percentile(99), mean: durationMs(latency[1]!), max: durationMs(latency[2]!) },
    socketErrors: { connect: Number(errors?.[1] ?? 0), read: Number(errors?.[2] ?? 0), write: Number(errors?.[3] ?? 0), timeout: Number(errors?.[4] ?? 0) },
    non2xx: Number(/Non-2xx or 3xx responses: (\d+)/.exec(output)?.[1] ?? 0),
  };
}

export async function runWrk(network: BenchNetwork, url: string, connections: number, seconds: number): Promise<WrkFigures> {
  const result = await execInNamespace(network, ["wrk", "-t1", `-c${connections}`, `-d${seconds}s`, "--timeout", "10s", "--latency", url], (seconds + 30) * 1000);
  if (result.status !== 0) throw new Error(`wrk -c${connections} ${url} failed (status ${result.status}${result.timedOut ? ", killed after its time" : ""}): ${result.stderr.trim().slice(0, 300)}`);
  return parseWrk(result.stdout, connections, seconds);
}
