/**
 * listener: Listener, the app's listening TCP socket (skiff:net `listen`). accept()
 * resolves with the next established connection, in arrival order; the listener keeps
 * the machine running (a server) until close().
 */

import type { TcpListener } from "../tcp/connection.ts";
import type { NetStack } from "../stack/net_stack.ts";
import { Connection, type ConnectionTimers } from "./connection.ts";
import type { Waiters } from "./waiters.ts";

export class ListenerClosed extends Error {
  override readonly name = "ListenerClosed";
  constructor(port: number) {
    super(`Cannot accept on port ${port}: the listener is closed`);
  }
}

export class Listener {
  readonly port: number;
  readonly #tcp: TcpListener;
  readonly #stack: NetStack;
  readonly #waiters: Waiters;
  readonly #timers: ConnectionTimers;
  #release: (() => void) | undefined;

  constructor(tcp: TcpListener, stack: NetStack, waiters: Waiters, timers: ConnectionTimers) {
    this.#tcp = tcp;
    this.#stack = stack;
    this.#waiters = waiters;
    this.#timers = timers;
    this.port = tcp.local.port;
    this.#release = stack.hold();
  }

  accept(): Promise<Connection> {
    return new Promise((resolve, reject) => {
      const attempt = (): void => {
        if (this.#release === undefined) return reject(new ListenerClosed(this.port));
        const tcp = this.#tcp.accept();
        if (tcp !== undefined) return resolve(new Connection(tcp, this.#stack, this.#waiters, this.#timers));
        this.#waiters.wait(this.#tcp, attempt);
      };
      attempt();
    });
  }

  /** Stops listening: pending accept() calls reject with ListenerClosed. */
  close(): void {
    this.#tcp.close();
    this.#release?.();
    this.#release = undefined;
    this.#waiters.notify(this.#tcp);
    this.#stack.kick();
  }
}
