/**
 * connection: Connection, the app's TCP connection (skiff:net), over net/tcp's synchronous
 * TcpConnection. Promises resolve when the TCP layer reports progress (Waiters):
 *
 *   read()        → the next bytes received, or null at the end of the stream (the peer
 *                   closed its side); rejects with the connection's error (ConnectionReset, TimedOut…)
 *   write(bytes)  → resolves once every byte is in the send buffer (not when acknowledged):
 *                   backpressure comes from the bounded buffer
 *   closeWrite()  → sends FIN after what is buffered (half-close); reading goes on
 *   close()       → closes both directions gracefully; abort() → RST, at once
 *
 * `timeoutMs` (per connection, default none) bounds each read and write: past it the
 * promise rejects with TimedOut and the connection is aborted.
 */

import { TimedOut } from "../tcp/errors.ts";
import { isConnecting, isSynchronized, TcpState } from "../tcp/state.ts";
import type { TcpConnection } from "../tcp/connection.ts";
import type { NetStack } from "../stack/net_stack.ts";
import { formatIpv4 } from "../wire/ipv4_address.ts";
import type { Waiters } from "./waiters.ts";

/** What a step of #until returns while the operation must wait for another event. */
const NOT_YET: unique symbol = Symbol("not yet");

export interface SocketAddress {
  readonly address: string;
  readonly port: number;
}

export interface ConnectionTimers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(id: unknown): void;
}

export class Connection {
  /** Bounds each read and write, in ms; Infinity for none. */
  timeoutMs = Infinity;
  readonly #tcp: TcpConnection;
  readonly #stack: NetStack;
  readonly #waiters: Waiters;
  readonly #timers: ConnectionTimers;
  #release: (() => void) | undefined;

  constructor(tcp: TcpConnection, stack: NetStack, waiters: Waiters, timers: ConnectionTimers) {
    this.#tcp = tcp;
    this.#stack = stack;
    this.#waiters = waiters;
    this.#timers = timers;
    this.#release = stack.hold();
  }

  get local(): SocketAddress {
    return { address: formatIpv4(this.#tcp.local.address), port: this.#tcp.local.port };
  }

  get remote(): SocketAddress {
    return { address: formatIpv4(this.#tcp.remote.address), port: this.#tcp.remote.port };
  }

  /** Sends small writes at once (Nagle off) when true. */
  get noDelay(): boolean {
    return this.#tcp.noDelay;
  }
  set noDelay(on: boolean) {
    this.#tcp.noDelay = on;
  }

  /** The TCP state (RFC 9293's names: "ESTABLISHED", "CLOSE-WAIT", …). */
  get state(): string {
    return this.#tcp.state;
  }

  read(): Promise<Uint8Array | null> {
    return this.#until("read", this.#readStep);
  }

  /**
   * read(), but resolves "timeout" when nothing has come within `ms`, and the connection
   * stays as it was: the bytes that come later are the next read's. (timeoutMs still
   * bounds the read too, and aborts.) What a server waiting for a request uses.
   */
  readWithin(ms: number): Promise<Uint8Array | null | "timeout"> {
    return this.#until("read", this.#readStep, ms);
  }

  /** One attempt of a read: made once per connection, not once per read. */
  readonly #readStep = (): Uint8Array | null | typeof NOT_YET => {
    const bytes = this.#tcp.read();
    if (bytes !== undefined) {
      this.#stack.kick(); // the window opened: let TCP tell the peer
      return bytes;
    }
    if (this.#tcp.ended) return null;
    const error = this.#tcp.error;
    if (error !== undefined) throw error;
    return NOT_YET;
  };

  write(bytes: Uint8Array): Promise<void> {
    // Not an async function: #until's promise is returned as it is, a promise job fewer per write.
    if (!(bytes instanceof Uint8Array)) return Promise.reject(new TypeError("Cannot write: bytes is not a Uint8Array"));
    let rest = bytes;
    return this.#until("write", () => {
      const error = this.#tcp.error;
      if (error !== undefined) throw error;
      if (rest.length > 0) {
        const taken = this.#tcp.write(rest);
        rest = rest.subarray(taken);
        if (taken > 0) this.#stack.kick();
      }
      return rest.length === 0 ? undefined : NOT_YET;
    });
  }

  /**
   * Buffers what fits of `bytes` now, without waiting or a promise: how many bytes it took
   * (0 once the connection has failed or its sending side is closed: write() says why).
   */
  writeSome(bytes: Uint8Array): number {
    if (!(bytes instanceof Uint8Array)) throw new TypeError("Cannot write: bytes is not a Uint8Array");
    if (this.#tcp.error !== undefined) return 0;
    const taken = this.#tcp.write(bytes);
    if (taken > 0) this.#stack.kick();
    return taken;
  }

  closeWrite(): void {
    this.#tcp.closeWrite();
    this.#stack.kick();
  }

  /** Closes both directions; the machine stays up until the close handshake is done. */
  close(): void {
    this.#tcp.close();
    this.#stack.kick();
    this.closed().then(() => this.#done(), () => this.#done());
  }

  abort(): void {
    this.#tcp.abort();
    this.#stack.kick();
    this.#done();
  }

  /** Resolves once the handshake is done; rejects with ConnectionRefused or TimedOut. */
  established(): Promise<void> {
    return this.#until("connect", () => {
      const error = this.#tcp.error;
      if (error !== undefined) throw error;
      return isSynchronized(this.#tcp.state) && !isConnecting(this.#tcp.state) ? undefined : NOT_YET;
    });
  }

  /** Resolves when the connection is fully closed (both FINs acknowledged, or reset). */
  closed(): Promise<void> {
    return this.#until("close", () => (this.#tcp.state === TcpState.Closed || this.#tcp.state === TcpState.TimeWait ? undefined : NOT_YET));
  }

  #done(): void {
    this.#release?.();
    this.#release = undefined;
  }

  /**
   * Runs `step` now and at each event until it returns its result (anything but NOT_YET),
   * throws, or times out: past timeoutMs it rejects and aborts; past `withinMs`, when given,
   * it resolves "timeout". (A sentinel, not a { done } wrapper, and settling by a flag, not a
   * closure: every read and write that waits comes through here, and QuickJS pays for each
   * object.)
   */
  #until<T>(what: string, step: () => T | typeof NOT_YET): Promise<T>;
  #until<T>(what: string, step: () => T | typeof NOT_YET, withinMs: number): Promise<T | "timeout">;
  #until<T>(what: string, step: () => T | typeof NOT_YET, withinMs?: number): Promise<T | "timeout"> {
    // Done at once — bytes already here, a write taken whole — needs no waiter and no timer.
    let first: T | typeof NOT_YET;
    try {
      first = step();
    } catch (error) {
      this.#done();
      return Promise.reject(error);
    }
    if (first !== NOT_YET) return Promise.resolve(first);
    return new Promise<T | "timeout">((resolve, reject) => {
      let timer: unknown;
      let withinTimer: unknown;
      let finished = false;
      const finish = (ok: boolean, value: unknown): void => {
        if (finished) return;
        finished = true;
        if (timer !== undefined) this.#timers.clearTimeout(timer);
        if (withinTimer !== undefined) this.#timers.clearTimeout(withinTimer);
        if (ok) resolve(value as T | "timeout");
        else reject(value);
      };
      const attempt = (): void => {
        if (finished) return;
        let outcome: T | typeof NOT_YET;
        try {
          outcome = step();
        } catch (error) {
          this.#done();
          finish(false, error);
          return;
        }
        if (outcome !== NOT_YET) finish(true, outcome);
        else this.#waiters.wait(this.#tcp, attempt);
      };
      if (Number.isFinite(this.timeoutMs)) {
        timer = this.#timers.setTimeout(() => {
          finish(false, new TimedOut(`${what} took longer than ${this.timeoutMs} ms`));
          this.abort();
        }, this.timeoutMs);
      }
      if (withinMs !== undefined) {
        withinTimer = this.#timers.setTimeout(() => {
          this.#waiters.forget(this.#tcp, attempt); // the connection lives on: leave no stale waiter on it
          finish(true, "timeout");
        }, withinMs);
      }
      this.#waiters.wait(this.#tcp, attempt); // step just said "not yet"
    });
  }
}
