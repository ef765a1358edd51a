/**
 * connection: the owner's handles on a TCB and a listener — a synchronous API (no
 * promises; the async socket API wraps it). Nothing here blocks or waits:
 *
 * - write(bytes) copies as much as the bounded send buffer takes and returns that count
 *   (0 when full: backpressure; 0 too once the write side is closed or the connection is
 *   gone — check `state` and `error`). Data is sent on the stack's next output().
 * - read(max) returns up to `max` in-order bytes (a copy), or undefined when none are
 *   buffered; `ended` says the peer has closed its side and everything has been read.
 * - closeWrite() queues a FIN after the buffered data (half-close, RFC 9293 §3.6).
 * - close() is closeWrite() plus giving up reading: later data is acknowledged and
 *   dropped. If unread data is buffered at close(), the connection is aborted instead
 *   (RFC 2525 §2.17, as Linux does): the peer learns its data was not consumed.
 * - abort() sends RST and drops the connection at once (RFC 9293 §3.10.5 ABORT).
 * - `changed` increases on every change worth a look (data, space, state, error); the
 *   stack also calls its `onEvent` with the handle, so the owner need not poll.
 */

import { ringFree, ringPush, ringRead } from "./byte_ring.ts";
import { errorFromCode } from "./errors.ts";
import { canSend, isSynchronized, TcpState } from "./state.ts";
import type { Tcb } from "./tcb.ts";
import { tcpCode } from "./code_slot.ts";
import type { TcpConfig } from "./config.ts";
import type { ListenerData } from "./listener.ts";

/** What a handle needs from its stack. */
export interface ConnectionHost {
  readonly config: TcpConfig;
  /** The TCB changed by the owner: look at it on the next output. */
  touch(tcb: Tcb): void;
  sendReset(tcb: Tcb, seq: number): void;
  acceptFrom(listener: ListenerData): TcpConnection | undefined;
  closeListener(listener: ListenerData): void;
  readonly currentTime: number;
}

export class TcpConnection {
  constructor(private readonly host: ConnectionHost, readonly tcb: Tcb) {}

  get id(): number { return this.tcb.id; }
  get state(): TcpState { return this.tcb.state; }
  get changed(): number { return this.tcb.changed; }
  get local(): { address: number; port: number } { return { address: this.tcb.localAddress, port: this.tcb.localPort }; }
  get remote(): { address: number; port: number } { return { address: this.tcb.remoteAddress, port: this.tcb.remotePort }; }
  /** The error that ended the connection, if one did. */
  get error(): Error | undefined { return this.tcb.error === undefined ? undefined : errorFromCode(this.tcb.error); }
  /** Bytes ready to read. */
  get readable(): number { return this.tcb.receiveBuffer.length; }
  /** Bytes write() would take now. */
  get writable(): number { return canSend(this.tcb.state) && !this.tcb.finQueued ? ringFree(this.tcb.sendBuffer) : 0; }
  /** The peer sent FIN and every byte before it has been read. */
  get ended(): boolean { return this.tcb.finReceived && this.tcb.receiveBuffer.length === 0; }

  get noDelay(): boolean { return this.tcb.noDelay; }
  set noDelay(on: boolean) { this.tcb.noDelay = on; this.host.touch(this.tcb); }

  get keepAlive(): boolean { return this.tcb.keepAliveEnabled; }
  set keepAlive(on: boolean) {
    this.tcb.keepAliveEnabled = on;
    tcpCode.current.restartKeepAlive(this.tcb, this.host.config, this.host.currentTime);
    this.host.touch(this.tcb); // its timer moved: the stack must see the new deadline
  }

  write(bytes: Uint8Array): number {
    if (this.writable === 0) return 0;
    const taken = ringPush(this.tcb.sendBuffer, bytes);
    if (taken > 0) this.host.touch(this.tcb);
    return taken;
  }

  read(max = Infinity): Uint8Array | undefined {
    if (this.tcb.receiveBuffer.length === 0) return undefined;
    const bytes = ringRead(this.tcb.receiveBuffer, max);
    if (isSynchronized(this.tcb.state) && tcpCode.current.windowUpdateWorthwhile(this.tcb)) {
      this.tcb.ackNow = true; // the window reopened: tell the peer (RFC 9293 §3.8.6.2.2)
      this.host.touch(this.tcb);
    }
    return bytes;
  }

  closeWrite(): void {
    const tcb = this.tcb;
    if (tcb.finQueued) return;
    switch (tcb.state) {
      case TcpState.SynSent:
        tcpCode.current.closeTcb(tcb, undefined); // RFC 9293 §3.10.4: nothing was sent to the peer yet worth closing
        break;
      case TcpState.SynReceived:
        tcb.finQueued = true; // FIN-WAIT-1 once established
        break;
      case TcpState.Established:
        tcb.finQueued = true;
        tcb.state = TcpState.FinWait1;
        break;
      case TcpState.CloseWait:
        tcb.finQueued = true;
        tcb.state = TcpState.LastAck;
        break;
      default:
        return;
    }
    tcb.changed += 1;
    this.host.touch(tcb);
  }

  close(): void {
    if (this.tcb.receiveBuffer.length > 0 && isSynchronized(this.tcb.state)) return this.abort();
    this.tcb.readClosed = true;
    this.closeWrite();
  }

  abort(): void {
    const tcb = this.tcb;
    if (tcb.state === TcpState.Closed) return;
    if (isSynchronized(tcb.state) && tcb.state !== TcpState.TimeWait) this.host.sendReset(tcb, tcb.sndNxt);
    tcpCode.current.closeTcb(tcb, undefined);
    this.host.touch(tcb);
  }
}

export class TcpListener {
  constructor(private readonly host: ConnectionHost, readonly data: ListenerData) {}

  get local(): { address: number; port: number } { return { address: this.data.address, port: this.data.port }; }
  /** Established connections waiting for accept(). */
  get pending(): number { return this.data.acceptQueue.length; }
  get changed(): number { return this.data.changed; }

  /** The oldest established connection, or undefined. */
  accept(): TcpConnection | undefined {
    return this.host.acceptFrom(this.data);
  }

  /** Stops listening; half-open and unaccepted connections are reset. */
  close(): void {
    this.host.closeListener(this.data);
  }
}
