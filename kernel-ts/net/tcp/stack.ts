/**
 * stack: TcpStack, the TCP layer iface/ calls (contracts.ts TcpLayer), and the owner's
 * entry points: listen() and connect(). It finds the TCB for each segment (or the
 * listener, or answers RST for nobody, RFC 9293 §3.10.7.1), runs timers and emits in
 * output(now), and says in pollAt(now) when it next needs to.
 *
 * Time: every entry point takes `now` (ms) except listen/connect, which use the time of
 * the last call in (the ISN's clock needs only to move forward).
 *
 * Code: what acts on a TCB (segment arrival, emission, timers) is taken from code_slot.ts at
 * each call, so a reload of the TCP module takes over established connections.
 *
 * Scale: output and pollAt look only at connections that changed (dirty) or whose timer
 * is due (deadline_heap.ts), so idle and TIME-WAIT connections cost nothing per turn.
 */

import type { Ipv4Endpoints, TcpLayer } from "../contracts.ts";
import { WireError } from "../wire/error.ts";
import { readTcpSegment, TcpFlags, TcpRepr, verifyTcpChecksum } from "../wire/tcp.ts";
import { ringCreate } from "./byte_ring.ts";
import { resolveConfig, type TcpConfig, type TcpStackOptions } from "./config.ts";
import { type ConnectionHost, TcpConnection, TcpListener } from "./connection.ts";
import { INITIAL_DUP_THRESH, initialWindow } from "./congestion.ts";
import { AddressInUse } from "./errors.ts";
import type { InputContext, Segment } from "./input.ts";
import { initialSequenceNumber } from "./isn.ts";
import { type ListenerData, listenerKey, removeFromQueues } from "./listener.ts";
import { seqAdd, seqGt, seqLt } from "./seq.ts";
import { isSynchronized, TcpState } from "./state.ts";
import { newTcpStats, type TcpStats } from "./stats.ts";
import type { Tcb } from "./tcb.ts";
import { DeadlineHeap } from "./deadline_heap.ts";
import { tcpCode } from "./code_slot.ts";
import { TupleTable } from "./tuple_table.ts";

export interface TcpEndpoint {
  readonly address: number;
  readonly port: number;
}

const CONTROL_QUEUE_LIMIT = 256;
const EPHEMERAL_FIRST = 49152;

export class TcpStack implements TcpLayer, ConnectionHost {
  readonly config: TcpConfig;
  readonly stats: TcpStats = newTcpStats();
  /** Called with a connection or listener whose `changed` moved. Set by the owner. */
  onEvent: ((target: TcpConnection | TcpListener) => void) | undefined;

  private readonly tcbs = new TupleTable<Tcb>();
  private readonly byId = new Map<number, Tcb>();
  private readonly handles = new Map<number, TcpConnection>();
  private readonly listeners = new Map<string, ListenerData>();
  private readonly listenersById = new Map<number, ListenerData>();
  private readonly listenerHandles = new Map<number, TcpListener>();
  private readonly control: Array<{ ip: Ipv4Endpoints; repr: TcpRepr }> = [];
  private readonly dirty = new Set<number>();
  private readonly deadlines = new DeadlineHeap();
  private readonly notified = new Map<number, number>();
  private readonly context: InputContext;
  private nextId = 1;
  private now = 0;
  private challengeWindowStart = -Infinity;
  private challengeCount = 0;
  /** newTcb's random bytes for the timestamp offset: one array for every connection. */
  readonly #random4 = new Uint8Array(4);

  constructor(options: TcpStackOptions) {
    this.config = resolveConfig(options);
    this.context = {
      config: this.config,
      stats: this.stats,
      sendReset: (tcb, seq) => this.sendReset(tcb, seq),
      challengeAckAllowed: (now) => this.challengeAckAllowed(now),
      onEstablished: (tcb) => this.onEstablished(tcb),
    };
  }

  get currentTime(): number { return this.now; }
  /** Open TCBs (any state but CLOSED), for tests and stats. */
  get connectionCount(): number { return this.byId.size; }

  // ---- the owner's API --------------------------------------------------------------

  listen(local: TcpEndpoint, backlog: number): TcpListener {
    const key = listenerKey(local.address, local.port);
    if (this.listeners.has(key)) throw new AddressInUse(`${local.address}:${local.port}`);
    if (!Number.isInteger(backlog) || backlog < 1) throw new RangeError(`Cannot listen with backlog ${backlog}: must be a positive integer`);
    const data: ListenerData = { id: this.nextId++, address: local.address >>> 0, port: local.port, backlog, synQueue: [], acceptQueue: [], changed: 0, closed: false };
    this.listeners.set(key, data);
    this.listenersById.set(data.id, data);
    const handle = new TcpListener(this, data);
    this.listenerHandles.set(data.id, handle);
    return handle;
  }

  connect(local: TcpEndpoint, remote: TcpEndpoint): TcpConnection {
    const port = local.port !== 0 ? local.port : this.ephemeralPort(local.address, remote);
    if (this.tcbs.has(local.address, port, remote.address, remote.port)) throw new AddressInUse(`${local.address}:${port}`);
    const tcb = this.newTcb(local.address, port, remote.address, remote.port, 0);
    tcb.state = TcpState.SynSent;
    this.register(tcb);
    const handle = new TcpConnection(this, tcb);
    this.handles.set(tcb.id, handle);
    return handle;
  }

  // ---- TcpLayer ---------------------------------------------------------------------

  input(now: number, ip: Ipv4Endpoints, segment: Uint8Array, checksumVerified: boolean): void {
    this.now = now;
    this.stats.rx.segments += 1;
    const seg = readTcpSegment(segment); // the fields, which are also the Segment input.ts takes
    if (seg instanceof WireError) { this.stats.rx.malformed += 1; return; }
    if (!checksumVerified && !verifyTcpChecksum(segment, ip, this.config.checksum)) { this.stats.rx.badChecksum += 1; return; }
    if (seg.srcPort === 0 || seg.dstPort === 0) { this.stats.rx.malformed += 1; return; }
    const tcb = this.tcbs.get(ip.dst, seg.dstPort, ip.src, seg.srcPort);
    let iss: number | undefined;
    if (tcb !== undefined && tcb.state === TcpState.TimeWait && this.reopensTimeWait(tcb, seg) && this.listenerFor(ip.dst, seg.dstPort) !== undefined) {
      // RFC 9293 §3.6.1 (RFC 1122 §4.2.2.13): a new SYN may take over a connection in
      // TIME-WAIT; our ISS goes past every sequence number the old one used (Linux's
      // snd_nxt + 65537), so none of its segments can be taken for the new one's.
      iss = seqAdd(tcb.sndNxt, 65537);
      tcpCode.current.closeTcb(tcb, undefined);
      this.settle(tcb);
      this.stats.rx.timeWaitReopened += 1;
    } else if (tcb !== undefined) {
      const recovering = tcb.inRecovery;
      const spurious = tcb.spuriousRecoveries;
      tcpCode.current.segmentArrives(tcb, seg, now, this.context);
      if (!recovering && tcb.inRecovery) this.stats.tx.recoveries += 1;
      this.stats.tx.spuriousRecoveries += tcb.spuriousRecoveries - spurious;
      this.dirty.add(tcb.id);
      this.settle(tcb);
      return;
    }
    const listener = this.listenerFor(ip.dst, seg.dstPort);
    if (listener !== undefined) this.listenInput(listener, ip, seg.dstPort, seg.srcPort, seg, now, iss);
    else {
      this.stats.rx.noConnection += 1;
      this.resetFor(ip, seg.dstPort, seg.srcPort, seg);
    }
  }

  output(now: number, send: (ip: Ipv4Endpoints, segment: TcpRepr, segmentSize: number) => boolean): void {
    this.now = now;
    while (this.control.length > 0) {
      const { ip, repr } = this.control[0]!;
      if (!send(ip, repr, this.config.mss)) return;
      this.control.shift();
      this.stats.tx.segments += 1;
      if ((repr.flags & TcpFlags.RST) !== 0) this.stats.tx.resets += 1;
    }
    // Only connections with work: changed since the last call (dirty) or a timer due.
    for (let due = this.deadlines.peek(); due !== undefined && due.at <= now; due = this.deadlines.peek()) {
      this.deadlines.pop();
      const tcb = this.byId.get(due.id);
      if (tcb !== undefined && tcpCode.current.nextDeadline(tcb) <= now) this.dirty.add(tcb.id);
    }
    let blocked = false;
    if (this.dirty.size === 0) return; // nothing changed and no timer due: the common turn
    const ids = this.#dirtyIds; // a snapshot (settle and schedule change the set), in an array kept between calls
    ids.length = 0;
    for (const id of this.dirty) ids.push(id);
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i]!;
      const tcb = this.byId.get(id);
      if (tcb === undefined) {
        this.dirty.delete(id);
        continue;
      }
      if (tcpCode.current.nextDeadline(tcb) <= now) {
        const retries = tcb.retries;
        tcpCode.current.runTimers(tcb, this.config, now);
        if (tcb.retries > retries) this.stats.tx.timeouts += 1;
      }
      if (!blocked && tcb.state !== TcpState.Closed) {
        this.#emitTcb = tcb;
        this.#emitIp = { src: tcb.localAddress, dst: tcb.remoteAddress };
        this.#emitSend = send;
        blocked = !tcpCode.current.emit(tcb, this.config, now, this.#emitSegment);
        if (isSynchronized(tcb.state)) tcpCode.current.updatePersist(tcb, now);
      }
      this.settle(tcb);
      if (!blocked) this.dirty.delete(id);
      this.schedule(tcb);
    }
  }

  /** output()'s copy of the dirty set. */
  readonly #dirtyIds: number[] = [];

  /** The connection output() is emitting for (set just before emit), and where its segments go. */
  #emitTcb: Tcb | undefined;
  #emitIp: Ipv4Endpoints = { src: 0, dst: 0 };
  #emitSend: (ip: Ipv4Endpoints, segment: TcpRepr, segmentSize: number) => boolean = () => false;

  /** emit()'s sink for #emitTcb: one function for the stack's life, not a closure per connection per call. */
  readonly #emitSegment = (repr: TcpRepr, segmentSize: number): boolean => {
    const tcb = this.#emitTcb!;
    if (!this.#emitSend(this.#emitIp, repr, segmentSize)) return false;
    this.stats.tx.segments += 1;
    const occupies = repr.payload.length + ((repr.flags & (TcpFlags.SYN | TcpFlags.FIN)) !== 0 ? 1 : 0);
    if (occupies > 0 && seqLt(repr.seqNumber, tcb.sndMax)) this.stats.tx.retransmits += 1;
    return true;
  };

  /** Records when `tcb` next needs output(): now (dirty) or at its earliest timer. */
  private schedule(tcb: Tcb): void {
    if (tcb.state === TcpState.Closed || !this.byId.has(tcb.id)) return;
    const at = tcpCode.current.nextDeadline(tcb);
    if (at === -Infinity) this.dirty.add(tcb.id);
    else if (at !== Infinity) this.deadlines.push({ at, id: tcb.id });
    // Stale entries are dropped only when they surface; a busy connection pushes one per
    // call. Past a few per TCB, rebuild from the TCBs: memory stays O(connections).
    if (this.deadlines.size > 4 * this.byId.size + 64) this.rebuildDeadlines();
  }

  private rebuildDeadlines(): void {
    this.deadlines.clear();
    for (const tcb of this.byId.values()) {
      const at = tcpCode.current.nextDeadline(tcb);
      if (at === -Infinity) this.dirty.add(tcb.id);
      else if (at !== Infinity) this.deadlines.push({ at, id: tcb.id });
    }
  }

  pollAt(now: number): number {
    if (this.control.length > 0 || this.dirty.size > 0) return now;
    for (let top = this.deadlines.peek(); top !== undefined; top = this.deadlines.peek()) {
      const tcb = this.byId.get(top.id);
      if (tcb !== undefined && tcpCode.current.nextDeadline(tcb) === top.at) return top.at > now ? top.at : now;
      this.deadlines.pop(); // stale: the TCB moved on (a newer entry exists) or is gone
    }
    return Infinity;
  }

  // ---- ConnectionHost ---------------------------------------------------------------

  touch(tcb: Tcb): void {
    this.dirty.add(tcb.id);
    this.settle(tcb);
  }

  sendReset(tcb: Tcb, seq: number): void {
    this.queueControl({ src: tcb.localAddress, dst: tcb.remoteAddress }, {
      srcPort: tcb.localPort, dstPort: tcb.remotePort, seqNumber: seq, ackNumber: 0, flags: TcpFlags.RST,
      windowLen: 0, options: {}, payload: new Uint8Array(0),
    });
  }

  acceptFrom(listener: ListenerData): TcpConnection | undefined {
    for (;;) {
      const id = listener.acceptQueue.shift();
      if (id === undefined) return undefined;
      const tcb = this.byId.get(id);
      if (tcb === undefined) continue; // reset before it was accepted
      tcb.listenerId = 0;
      const handle = new TcpConnection(this, tcb);
      this.handles.set(id, handle);
      this.notified.set(id, tcb.changed);
      return handle;
    }
  }

  closeListener(listener: ListenerData): void {
    if (listener.closed) return;
    listener.closed = true;
    this.listeners.delete(listenerKey(listener.address, listener.port));
    this.listenersById.delete(listener.id);
    this.listenerHandles.delete(listener.id);
    for (const id of [...listener.synQueue, ...listener.acceptQueue]) {
      const tcb = this.byId.get(id);
      if (tcb === undefined) continue;
      this.sendReset(tcb, tcb.sndNxt);
      tcpCode.current.closeTcb(tcb, undefined);
      this.settle(tcb);
    }
  }

  // ---- internals --------------------------------------------------------------------

  /** `iss` when it must be one in particular (a connection reopened from TIME-WAIT); else RFC 6528's. */
  private newTcb(localAddress: number, localPort: number, remoteAddress: number, remotePort: number, listenerId: number, iss?: number): Tcb {
    const config = this.config;
    iss ??= initialSequenceNumber(config.isnSecret, { localAddress, localPort, remoteAddress, remotePort }, this.now, config.halfSipHash);
    const random = this.#random4;
    config.randomFill(random);
    let shift = 0;
    while (shift < 14 && config.receiveBufferSize >>> shift > 0xffff) shift += 1;
    const mss = config.mss - (config.timestamps ? 12 : 0);
    return {
      id: this.nextId++, state: TcpState.Closed,
      localAddress: localAddress >>> 0, localPort, remoteAddress: remoteAddress >>> 0, remotePort,
      listenerId, changed: 0, error: undefined,
      iss, sndUna: iss, sndNxt: iss, sndMax: iss, sndWnd: 0, sndWl1: 0, sndWl2: 0, maxSndWnd: 0,
      sendBuffer: ringCreate(config.sendBufferSize), finQueued: false, noDelay: false, smallSegmentEnd: iss,
      irs: 0, rcvNxt: 0, rcvAdvertised: 0, receiveBuffer: ringCreate(config.receiveBufferSize),
      outOfOrder: [], outOfOrderFin: undefined, lastOutOfOrder: undefined, finReceived: false, readClosed: false,
      sendMss: mss, receiveMss: config.mss,
      windowScaleOk: config.windowScaling, sndWindowShift: 0, rcvWindowShift: config.windowScaling ? shift : 0,
      sackOk: config.sack, timestampsOk: config.timestamps,
      tsOffset: ((random[0]! << 24) | (random[1]! << 16) | (random[2]! << 8) | random[3]!) >>> 0, tsRecent: 0,
      srtt: 0, rttVar: 0, rto: config.initialRto, hasRttSample: false, rttSeq: undefined, rttSentAt: 0,
      cwnd: initialWindow(mss), ssthresh: 0x7fffffff, dupAcks: 0, inRecovery: false, recover: iss,
      sacked: [], retransmitNext: iss, retransmitDue: false,
      dupThresh: INITIAL_DUP_THRESH, recoveryTsVal: undefined, priorCwnd: 0, priorSsthresh: 0, spuriousRecoveries: 0,
      congestionControl: config.congestionControl, cubicWMax: 0, cubicPriorWMax: 0, cubicK: 0, cubicEpochStart: -1, cubicWEst: 0,
      rtoAt: Infinity, retries: 0, delayedAckAt: Infinity, ackNow: false, unackedSegments: 0,
      persistAt: Infinity, persistBackoff: 0, timeWaitAt: Infinity,
      keepAliveEnabled: false, keepAliveAt: Infinity, keepAliveProbes: 0, lastReceivedAt: this.now, keepAliveDue: false, probeDue: false,
    };
  }

  private register(tcb: Tcb): void {
    this.tcbs.set(tcb.localAddress, tcb.localPort, tcb.remoteAddress, tcb.remotePort, tcb);
    this.byId.set(tcb.id, tcb);
    this.notified.set(tcb.id, tcb.changed);
    this.dirty.add(tcb.id);
  }

  /** After any change: tell the owner, and forget a TCB that reached CLOSED. */
  private settle(tcb: Tcb): void {
    if (this.notified.get(tcb.id) !== tcb.changed) {
      this.notified.set(tcb.id, tcb.changed);
      const handle = this.handles.get(tcb.id);
      if (handle !== undefined) this.onEvent?.(handle);
    }
    if (tcb.state !== TcpState.Closed) return;
    this.tcbs.delete(tcb.localAddress, tcb.localPort, tcb.remoteAddress, tcb.remotePort);
    this.byId.delete(tcb.id);
    this.handles.delete(tcb.id);
    this.notified.delete(tcb.id);
    this.dirty.delete(tcb.id);
    const listener = this.listenersById.get(tcb.listenerId);
    if (listener !== undefined) removeFromQueues(listener, tcb.id);
  }

  /** The listener on this address and port, or on any address and this port. */
  private listenerFor(address: number, port: number): ListenerData | undefined {
    return this.listeners.get(listenerKey(address, port)) ?? this.listeners.get(listenerKey(0, port));
  }

  /** RFC 9293 §3.10.7.2: a segment for a listener. */
  private listenInput(listener: ListenerData, ip: Ipv4Endpoints, localPort: number, remotePort: number, seg: Segment, now: number, iss?: number): void {
    if ((seg.flags & TcpFlags.RST) !== 0) return;
    if ((seg.flags & TcpFlags.ACK) !== 0) {
      this.queueControl({ src: ip.dst, dst: ip.src }, { srcPort: localPort, dstPort: remotePort, seqNumber: seg.ack, ackNumber: 0, flags: TcpFlags.RST, windowLen: 0, options: {}, payload: new Uint8Array(0) });
      return;
    }
    if ((seg.flags & TcpFlags.SYN) === 0) return;
    if (listener.acceptQueue.length >= listener.backlog) { this.stats.rx.listenOverflow += 1; return; }
    if (listener.synQueue.length >= this.config.synQueueLimit) {
      const oldest = this.byId.get(listener.synQueue[0]!);
      listener.synQueue.shift();
      this.stats.rx.synQueueEvictions += 1;
      if (oldest !== undefined) { tcpCode.current.closeTcb(oldest, undefined); this.settle(oldest); }
    }
    const tcb = this.newTcb(ip.dst, localPort, ip.src, remotePort, listener.id, iss);
    tcb.state = TcpState.SynReceived;
    tcb.irs = seg.seq;
    tcb.rcvNxt = seqAdd(seg.seq, 1);
    tcb.rcvAdvertised = tcb.rcvNxt;
    tcpCode.current.negotiateOptions(tcb, this.config, seg.options);
    tcb.sndWnd = seg.windowLen;
    tcb.maxSndWnd = seg.windowLen;
    tcb.sndWl1 = seg.seq;
    tcb.lastReceivedAt = now;
    listener.synQueue.push(tcb.id);
    this.register(tcb);
  }

  private onEstablished(tcb: Tcb): boolean {
    const listener = this.listenersById.get(tcb.listenerId);
    if (listener === undefined) return true;
    if (listener.acceptQueue.length >= listener.backlog) { this.stats.rx.listenOverflow += 1; return false; }
    removeFromQueues(listener, tcb.id);
    listener.acceptQueue.push(tcb.id);
    listener.changed += 1;
    const handle = this.listenerHandles.get(listener.id);
    if (handle !== undefined) this.onEvent?.(handle);
    return true;
  }

  /**
   * RFC 6191: whether a segment for a connection in TIME-WAIT is a new SYN that may reopen
   * it — a SYN alone, newer than everything the old connection received: by its timestamp
   * when the old one used timestamps and the new one will, else by its sequence number (a
   * peer's clock-driven ISN, RFC 6528, has moved on). Anything else gets TIME-WAIT's answer.
   */
  private reopensTimeWait(tcb: Tcb, seg: Segment): boolean {
    if ((seg.flags & (TcpFlags.SYN | TcpFlags.ACK | TcpFlags.RST)) !== TcpFlags.SYN) return false;
    const ts = this.config.timestamps ? seg.options.timestamps : undefined;
    const seqNewer = seqGt(seg.seq, tcb.rcvNxt);
    if (!tcb.timestampsOk) return ts !== undefined || seqNewer;
    if (ts === undefined) return seqNewer;
    return seqGt(ts.tsVal, tcb.tsRecent) || (ts.tsVal === tcb.tsRecent && seqNewer);
  }

  /** RFC 9293 §3.10.7.1: the reset for a segment nobody owns. */
  private resetFor(ip: Ipv4Endpoints, localPort: number, remotePort: number, seg: Segment): void {
    if ((seg.flags & TcpFlags.RST) !== 0) return;
    const back = { src: ip.dst, dst: ip.src };
    const base = { srcPort: localPort, dstPort: remotePort, windowLen: 0, options: {}, payload: new Uint8Array(0) };
    if ((seg.flags & TcpFlags.ACK) !== 0) {
      this.queueControl(back, { ...base, seqNumber: seg.ack, ackNumber: 0, flags: TcpFlags.RST });
    } else {
      const length = seg.payload.length + ((seg.flags & TcpFlags.SYN) !== 0 ? 1 : 0) + ((seg.flags & TcpFlags.FIN) !== 0 ? 1 : 0);
      this.queueControl(back, { ...base, seqNumber: 0, ackNumber: seqAdd(seg.seq, length), flags: TcpFlags.RST | TcpFlags.ACK });
    }
  }

  private queueControl(ip: Ipv4Endpoints, repr: TcpRepr): void {
    if (this.control.length >= CONTROL_QUEUE_LIMIT) { this.stats.tx.controlDropped += 1; return; }
    this.control.push({ ip, repr });
  }

  private challengeAckAllowed(now: number): boolean {
    if (now - this.challengeWindowStart >= 1000) {
      this.challengeWindowStart = now;
      this.challengeCount = 0;
    }
    if (this.challengeCount >= this.config.challengeAckLimit) return false;
    this.challengeCount += 1;
    return true;
  }

  private ephemeralPort(localAddress: number, remote: TcpEndpoint): number {
    const random = new Uint8Array(2);
    this.config.randomFill(random);
    const span = 65536 - EPHEMERAL_FIRST;
    const start = ((random[0]! << 8) | random[1]!) % span;
    for (let i = 0; i < span; i++) {
      const port = EPHEMERAL_FIRST + ((start + i) % span);
      if (!this.tcbs.has(localAddress, port, remote.address, remote.port) && !this.listeners.has(listenerKey(localAddress, port))) return port;
    }
    throw new AddressInUse(`${localAddress}:* (every ephemeral port is taken)`);
  }
}
