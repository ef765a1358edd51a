/**
 * One running VMM process: spawns it with no stdin, collects the serial console (the VMM's
 * stdout) line by line with the time each line arrived, optionally echoes it, enforces a
 * timeout and guarantees the process can be killed — and dies when this process does. Everything that boots a VM (`skiff run`,
 * the vm tests, the benchmark) goes through here.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { StringDecoder } from "node:string_decoder";

const SETPRIV = "/usr/bin/setpriv";

export interface ConsoleLine {
  readonly text: string;
  /** Milliseconds from spawn to the arrival of the line's last byte. */
  readonly atMs: number;
}

export interface VmExit {
  /** The VMM's exit status, or null when a signal ended it. */
  readonly status: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly timedOut: boolean;
  /** Milliseconds from spawn to the process's exit. */
  readonly exitMs: number;
  /** The serial console decoded as UTF-8 (CR LF kept). */
  readonly output: string;
  readonly lines: readonly ConsoleLine[];
  /** The VMM's own diagnostics. */
  readonly stderr: string;
}

export interface VmProcessOptions {
  readonly program: string;
  readonly args: readonly string[];
  /** Kill the VMM (SIGKILL) after this long; Infinity for never. */
  readonly timeoutMs: number;
  /** Called with console bytes as they arrive, e.g. to echo them to the terminal. */
  readonly onOutput?: (chunk: Buffer) => void;
  readonly onStderr?: (chunk: Buffer) => void;
  readonly onLine?: (line: ConsoleLine) => void;
}

export class VmProcess {
  readonly exited: Promise<VmExit>;
  readonly #child: ChildProcess;
  #finished = false;

  constructor(options: VmProcessOptions) {
    const started = performance.now();
    const elapsed = (): number => performance.now() - started;
    // setpriv (util-linux, in every Debian) asks the kernel to SIGKILL the VMM when this
    // process dies, however it dies: a killed `skiff run` or test leaves no VM behind.
    const [program, args] = existsSync(SETPRIV)
      ? [SETPRIV, ["--pdeathsig", "KILL", "--", options.program, ...options.args]]
      : [options.program, options.args];
    const child = spawn(program, args, { stdio: ["ignore", "pipe", "pipe"] });
    this.#child = child;

    const lines: ConsoleLine[] = [];
    const outputChunks: Buffer[] = [];
    const stderrChunks: Buffer[] = [];
    const decoder = new StringDecoder("utf8");
    let partial = "";
    let timedOut = false;

    child.stdout!.on("data", (chunk: Buffer) => {
      const at = elapsed();
      outputChunks.push(chunk);
      options.onOutput?.(chunk);
      partial += decoder.write(chunk);
      let newline: number;
      while ((newline = partial.indexOf("\n")) >= 0) {
        const line = { text: partial.slice(0, newline).replace(/\r$/, ""), atMs: at };
        partial = partial.slice(newline + 1);
        lines.push(line);
        options.onLine?.(line);
      }
    });
    child.stderr!.on("data", (chunk: Buffer) => {
      stderrChunks.push(chunk);
      options.onStderr?.(chunk);
    });

    const timer = Number.isFinite(options.timeoutMs)
      ? setTimeout(() => {
          timedOut = true;
          this.kill();
        }, options.timeoutMs)
      : undefined;

    this.exited = new Promise((resolve, reject) => {
      child.once("error", (error) => {
        clearTimeout(timer);
        this.#finished = true;
        reject(new Error(`Cannot start ${options.program}: ${error.message}`));
      });
      child.once("close", (status, signal) => {
        clearTimeout(timer);
        this.#finished = true;
        const exitMs = elapsed();
        partial += decoder.end();
        if (partial.length > 0) lines.push({ text: partial.replace(/\r$/, ""), atMs: exitMs });
        resolve({
          status,
          signal,
          timedOut,
          exitMs,
          output: Buffer.concat(outputChunks).toString("utf8"),
          lines,
          stderr: Buffer.concat(stderrChunks).toString("utf8"),
        });
      });
    });
  }

  get pid(): number | undefined {
    return this.#child.pid;
  }

  /** Kills the VMM at once (SIGKILL). Safe to call any number of times, before or after exit. */
  kill(): void {
    if (this.#finished || this.#child.exitCode !== null || this.#child.signalCode !== null) return;
    this.#child.kill("SIGKILL");
  }
}
