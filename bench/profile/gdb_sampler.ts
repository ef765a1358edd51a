/**
 * A native profile of the guest, taken from outside: qemu's gdbstub (`-gdb unix:PATH`)
 * stops the VM at random moments of the host's time, and each stop reads the vCPU's
 * instruction pointer and walks its frame pointers (the shim and QuickJS keep them:
 * shim/arch/idt.c's backtrace walks the same chain). Where the guest profiler
 * (shim/js/hal_profile.c) says which JS function runs, this says which C code the
 * interpreter spends that time in — dispatch, property lookup, allocation, the GC — and,
 * being host time, it also counts what TCG makes dear (helpers, device exits).
 *
 * The GDB remote serial protocol, the little of it used here: packets `$DATA#CK` (CK the
 * sum of DATA's bytes mod 256, two hex digits), each acknowledged with `+` (qemu 7.2 has
 * no QStartNoAckMode); a raw 0x03 byte stops the
 * VM, which answers with a stop packet (`T…`/`S…`); `g` reads the registers (x86-64:
 * rax rbx rcx rdx rsi rdi rbp rsp r8–r15 rip, 8 little-endian bytes each, in hex), `mADDR,LEN`
 * reads memory through the guest's page tables, `c` continues.
 */
import net from "node:net";
import { execFileSync } from "node:child_process";
import { connectWhenReady } from "../../host/launch/unix_socket.ts";

const RBP = 6;
const RIP = 16;

export class GdbSampler {
  readonly #socket: net.Socket;
  #buffer = "";
  #waiter: ((packet: string) => void) | undefined;

  private constructor(socket: net.Socket) {
    this.#socket = socket;
    socket.setEncoding("latin1");
    socket.on("data", (chunk: string) => this.#receive(chunk));
  }

  /** Connects to the gdbstub at `socketPath`, retrying while qemu has not made it yet (`withinMs`). */
  static async connect(socketPath: string, withinMs: number): Promise<GdbSampler> {
    let socket: net.Socket;
    try {
      socket = await connectWhenReady(socketPath, withinMs, 100);
    } catch (error) {
      throw new Error(`No gdbstub at ${socketPath} within ${withinMs} ms: ${String(error)}`);
    }
    const sampler = new GdbSampler(socket);
    await sampler.#next(); // qemu stops the VM when a debugger connects, and says so
    sampler.#send("c");
    return sampler;
  }

  /** Stops the VM, reads its instruction pointer and up to `depth` return addresses, and lets it run on. */
  async sample(depth: number): Promise<bigint[]> {
    const stopped = this.#next();
    this.#socket.write("\x03");
    await stopped;
    const registers = await this.#request("g");
    const pcs = [register(registers, RIP)];
    let frame = register(registers, RBP);
    for (let i = 0; i < depth && frame !== 0n && frame % 8n === 0n; i++) {
      const words = await this.#request(`m${frame.toString(16)},10`);
      if (words.length < 32 || words.startsWith("E")) break;
      const next = register(words, 0);
      const ret = register(words, 1);
      if (ret === 0n) break;
      pcs.push(ret - 1n); // inside the call instruction, not past it (a call may end a function)
      if (next <= frame) break; // the chain runs up the stack; anything else is not a frame
      frame = next;
    }
    this.#send("c");
    return pcs;
  }

  close(): void {
    this.#socket.destroy();
  }

  #send(data: string): void {
    let sum = 0;
    for (let i = 0; i < data.length; i++) sum = (sum + data.charCodeAt(i)) & 0xff;
    this.#socket.write(`$${data}#${sum.toString(16).padStart(2, "0")}`);
  }

  #request(data: string): Promise<string> {
    const reply = this.#next();
    this.#send(data);
    return reply;
  }

  #next(): Promise<string> {
    if (this.#waiter !== undefined) throw new Error("gdbstub: a request is already waiting");
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => { this.#waiter = undefined; reject(new Error("gdbstub: no answer within 10 s")); }, 10_000);
      this.#waiter = (packet) => { clearTimeout(timer); resolve(packet); };
      this.#receive("");
    });
  }

  #receive(chunk: string): void {
    this.#buffer += chunk;
    for (;;) {
      this.#buffer = this.#buffer.replace(/^\++/, "");
      const start = this.#buffer.indexOf("$");
      const end = this.#buffer.indexOf("#", start);
      if (start < 0 || end < 0 || this.#buffer.length < end + 3 || this.#waiter === undefined) return;
      const packet = this.#buffer.slice(start + 1, end);
      this.#buffer = this.#buffer.slice(end + 3);
      this.#socket.write("+");
      const waiter = this.#waiter;
      this.#waiter = undefined;
      waiter(packet);
    }
  }
}

/** The `index`th 8-byte little-endian word of a hex string. */
function register(hex: string, index: number): bigint {
  const bytes = hex.slice(index * 16, index * 16 + 16);
  let value = 0n;
  for (let i = 14; i >= 0; i -= 2) value = (value << 8n) | BigInt(parseInt(bytes.slice(i, i + 2), 16));
  return value;
}

/** Names addresses by the function symbols of an ELF with symbols (build/skiff.sym.elf). */
export class Symbolizer {
  readonly #starts: bigint[] = [];
  readonly #names: string[] = [];

  constructor(elf: string) {
    const table = execFileSync("nm", ["-n", "--defined-only", elf], { encoding: "utf8", maxBuffer: 64 << 20 });
    for (const line of table.split("\n")) {
      const [address, type, name] = line.split(" ");
      if (name === undefined || !/^[tTwW]$/.test(type!)) continue;
      this.#starts.push(BigInt(`0x${address}`));
      this.#names.push(name);
    }
    if (this.#starts.length === 0) throw new Error(`${elf} has no function symbols (the stripped image? use skiff.sym.elf)`);
  }

  name(pc: bigint): string {
    let low = 0;
    let high = this.#starts.length - 1;
    if (pc < this.#starts[0]!) return `0x${pc.toString(16)}`;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (this.#starts[middle]! <= pc) low = middle; else high = middle - 1;
    }
    return this.#names[low]!;
  }
}
