/**
 * Runs a client inside the bench's private namespace without blocking Node's event loop:
 * while a VM runs, the loop drains the guest's serial console, and a spawnSync would stall
 * the guest on its UART (bench/net/measure.ts pingSpread says more). Bounded: the child is
 * killed after `timeoutMs`.
 */
import type { BenchNetwork } from "../net/private_network.ts";

export interface ExecResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly timedOut: boolean;
}

export function execInNamespace(network: BenchNetwork, argv: readonly string[], timeoutMs: number, onStdoutLine?: (line: string) => void): Promise<ExecResult> {
  return new Promise((resolve) => {
    const child = network.spawn(argv);
    let stdout = "";
    let stderr = "";
    let pending = "";
    let timedOut = false;
    child.stdout!.on("data", (chunk: Buffer) => {
      const text = chunk.toString("utf8");
      stdout += text;
      if (onStdoutLine === undefined) return;
      pending += text;
      const lines = pending.split("\n");
      pending = lines.pop() ?? "";
      for (const line of lines) onStdoutLine(line);
    });
    child.stderr!.on("data", (chunk: Buffer) => { stderr += chunk.toString("utf8"); });
    const timer = setTimeout(() => { timedOut = true; child.kill("SIGKILL"); }, timeoutMs);
    child.once("close", (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr, timedOut });
    });
  });
}
