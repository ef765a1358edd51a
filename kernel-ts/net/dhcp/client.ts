/**
 * dhcp/client: the DHCP client state machine of RFC 2131 §4.4 (figure 5), pure: the caller
 * passes the time in and carries the datagrams (UDP 68 → 67). Nothing here reads a clock.
 *
 *   INIT ─DISCOVER→ SELECTING ─OFFER/REQUEST→ REQUESTING ─ACK→ BOUND
 *   BOUND ─T1→ RENEWING (REQUEST unicast to the server) ─T2→ REBINDING (REQUEST broadcast)
 *   ─lease end→ INIT;  an ACK in RENEWING/REBINDING → BOUND;  a NAK anywhere → INIT.
 *
 * Retransmission (backoff.ts): 4 s, 8 s … 64 s ± 1 s while SELECTING and REQUESTING (after
 * MAX_REQUEST_SENDS REQUESTs without an answer the client starts over from INIT); half the
 * remaining time, at least 60 s, while RENEWING and REBINDING. The first OFFER is taken.
 * Every exchange gets a fresh xid from the random source. Before the client has an address
 * its messages go from 0.0.0.0 with the BROADCAST flag set (§4.1), so the server answers to
 * 255.255.255.255 and the IP layer need not accept unicast to an address it does not have.
 * Replies that are not for us (op, xid, chaddr) or make no sense in the state are counted
 * and dropped; bytes that are not DHCP are counted as malformed.
 */
import type { Ipv4Address, RandomFill } from "../contracts.ts";
import { BootOp, DHCP_CLIENT_PORT, DHCP_SERVER_PORT, DhcpMessageType, DhcpPacket, DhcpWireError, emitDhcpMessage, parseDhcp, type DhcpRepr } from "../wire/dhcp.ts";
import { leaseRetransmitAt, retransmitDelayMs } from "./backoff.ts";
import { leaseFromAck, type DhcpLease } from "./lease.ts";

export type DhcpState = "init" | "selecting" | "requesting" | "bound" | "renewing" | "rebinding";

export const BROADCAST: Ipv4Address = 0xffffffff;
/** REQUESTs sent in REQUESTING before giving up on the offer and starting over. */
export const MAX_REQUEST_SENDS = 5;
/** RFC 2132 §9.8 parameters asked for: mask, router, DNS, lease, T1, T2. */
const PARAMETERS = [1, 3, 6, 51, 58, 59];

/** One datagram to send: UDP from `src`:68 to `dst`:67. `dst` is BROADCAST or the server. */
export interface DhcpDatagram {
  readonly src: Ipv4Address;
  readonly srcPort: number;
  readonly dst: Ipv4Address;
  readonly dstPort: number;
  readonly payload: Uint8Array;
}

export interface DhcpClientOptions {
  /** The interface's MAC, "52:54:00:12:34:56" (chaddr and client identifier). */
  readonly mac: string;
  readonly randomFill: RandomFill;
  /** Called when the lease appears, changes (a renewal) or is lost (undefined). */
  readonly onLeaseChange?: (lease: DhcpLease | undefined, previous: DhcpLease | undefined) => void;
}

export interface DhcpClientStats {
  readonly tx: { discover: number; request: number };
  readonly rx: { offer: number; ack: number; nak: number; malformed: number; notForUs: number; unexpected: number };
}

export class DhcpClient {
  readonly stats: DhcpClientStats = {
    tx: { discover: 0, request: 0 },
    rx: { offer: 0, ack: 0, nak: 0, malformed: 0, notForUs: 0, unexpected: 0 },
  };
  readonly #options: DhcpClientOptions;
  #state: DhcpState = "init";
  #lease: DhcpLease | undefined;
  #xid = 0;
  /** When the current exchange began (the `secs` field counts from here). */
  #exchangeStart = 0;
  /** The next transmission; Infinity when nothing is to be sent. */
  #sendAt = 0;
  #sends = 0;
  /** SELECTING → REQUESTING: the offer taken. */
  #offer: { address: Ipv4Address; server: Ipv4Address } | undefined;

  constructor(options: DhcpClientOptions) {
    this.#options = options;
  }

  get state(): DhcpState { return this.#state; }
  /** The lease in force (BOUND, RENEWING, REBINDING), else undefined. */
  get lease(): DhcpLease | undefined { return this.#lease; }

  /** The next time output() has something to do: a send or a lease timer; Infinity if none. */
  pollAt(_now: number): number {
    const lease = this.#lease;
    switch (this.#state) {
      case "bound": return lease!.renewAt;
      case "renewing": return Math.min(this.#sendAt, lease!.rebindAt);
      case "rebinding": return Math.min(this.#sendAt, lease!.expiresAt);
      default: return this.#sendAt;
    }
  }

  /** Runs the lease timers and returns the datagrams due at `now`. */
  output(now: number): DhcpDatagram[] {
    this.#runTimers(now);
    if (now < this.#sendAt || this.#state === "bound") return [];
    switch (this.#state) {
      case "init": {
        this.#newExchange(now);
        this.#state = "selecting";
        return [this.#sendDiscover(now)];
      }
      case "selecting":
        return [this.#sendDiscover(now)];
      case "requesting":
        if (this.#sends >= MAX_REQUEST_SENDS) {
          this.#restart(now);
          return this.output(now);
        }
        return [this.#sendRequest(now)];
      case "renewing":
      case "rebinding":
        return [this.#sendRequest(now)];
    }
  }

  /** A UDP payload that arrived on port 68. */
  input(now: number, payload: Uint8Array): void {
    const packet = DhcpPacket.checked(payload);
    const repr = packet instanceof DhcpWireError ? packet : parseDhcp(packet);
    if (repr instanceof DhcpWireError || repr.messageType === undefined) { this.stats.rx.malformed++; return; }
    if (repr.op !== BootOp.Reply || repr.transactionId !== this.#xid || repr.clientHardwareAddress !== this.#options.mac.toLowerCase()) {
      this.stats.rx.notForUs++;
      return;
    }
    this.#runTimers(now);
    switch (repr.messageType) {
      case DhcpMessageType.Offer: return this.#onOffer(now, repr);
      case DhcpMessageType.Ack: return this.#onAck(now, repr);
      case DhcpMessageType.Nak: return this.#onNak(now, repr);
      default: this.stats.rx.unexpected++;
    }
  }

  #onOffer(now: number, offer: DhcpRepr): void {
    if (this.#state !== "selecting" || offer.yourAddress === 0 || offer.serverIdentifier === undefined) { this.stats.rx.unexpected++; return; }
    this.stats.rx.offer++;
    this.#offer = { address: offer.yourAddress, server: offer.serverIdentifier };
    this.#state = "requesting";
    this.#sends = 0;
    this.#sendAt = now;
  }

  #onAck(now: number, ack: DhcpRepr): void {
    let server: Ipv4Address;
    if (this.#state === "requesting") {
      if (ack.serverIdentifier !== undefined && ack.serverIdentifier !== this.#offer!.server) { this.stats.rx.unexpected++; return; }
      server = this.#offer!.server;
    } else if (this.#state === "renewing" || this.#state === "rebinding") {
      server = ack.serverIdentifier ?? this.#lease!.serverIdentifier;
    } else {
      this.stats.rx.unexpected++;
      return;
    }
    // §4.4.5: times count from when the REQUEST was sent, which is the exchange's start.
    const lease = leaseFromAck(ack, server, this.#exchangeStart);
    if (lease === undefined) { this.stats.rx.unexpected++; return; }
    this.stats.rx.ack++;
    this.#state = "bound";
    this.#sendAt = Infinity;
    this.#offer = undefined;
    this.#setLease(lease);
    this.#runTimers(now);
  }

  #onNak(now: number, nak: DhcpRepr): void {
    const expected = this.#state === "requesting" ? this.#offer!.server : this.#lease?.serverIdentifier;
    const waiting = this.#state === "requesting" || this.#state === "renewing" || this.#state === "rebinding";
    if (!waiting || (nak.serverIdentifier !== undefined && this.#state !== "rebinding" && nak.serverIdentifier !== expected)) {
      this.stats.rx.unexpected++;
      return;
    }
    this.stats.rx.nak++;
    this.#restart(now);
  }

  /** Moves through T1, T2 and the lease's end when their time has come. */
  #runTimers(now: number): void {
    const lease = this.#lease;
    if (lease === undefined) return;
    if (now >= lease.expiresAt) {
      this.#restart(now);
      return;
    }
    if (this.#state === "bound" && now >= lease.renewAt) {
      this.#state = "renewing";
      this.#newExchange(now);
      this.#sendAt = now;
    }
    if (this.#state === "renewing" && now >= lease.rebindAt) {
      this.#state = "rebinding";
      this.#newExchange(now);
      this.#sendAt = now;
    }
  }

  /** Back to INIT: the lease (if any) is gone and a DISCOVER goes out at once. */
  #restart(now: number): void {
    this.#state = "init";
    this.#offer = undefined;
    this.#sendAt = now;
    this.#setLease(undefined);
  }

  #newExchange(now: number): void {
    const bytes = new Uint8Array(4);
    this.#options.randomFill(bytes);
    this.#xid = new DataView(bytes.buffer).getUint32(0);
    this.#exchangeStart = now;
    this.#sends = 0;
  }

  #setLease(lease: DhcpLease | undefined): void {
    const previous = this.#lease;
    this.#lease = lease;
    if (previous !== lease) this.#options.onLeaseChange?.(lease, previous);
  }

  #base(now: number): Omit<DhcpRepr, "messageType"> {
    return {
      op: BootOp.Request,
      transactionId: this.#xid,
      secs: Math.min(0xffff, Math.floor((now - this.#exchangeStart) / 1000)),
      broadcast: this.#lease === undefined,
      clientAddress: 0,
      yourAddress: 0,
      serverAddress: 0,
      relayAddress: 0,
      clientHardwareAddress: this.#options.mac.toLowerCase(),
      // RFC 2132 §9.14: type 1 (Ethernet) followed by the MAC.
      clientIdentifier: Uint8Array.of(1, ...this.#options.mac.split(":").map((pair) => Number.parseInt(pair, 16))),
      parameterRequestList: PARAMETERS,
      maxMessageSize: 1500,
    };
  }

  #datagram(src: Ipv4Address, dst: Ipv4Address, repr: DhcpRepr): DhcpDatagram {
    return { src, srcPort: DHCP_CLIENT_PORT, dst, dstPort: DHCP_SERVER_PORT, payload: emitDhcpMessage(repr) };
  }

  #sendDiscover(now: number): DhcpDatagram {
    this.stats.tx.discover++;
    this.#sendAt = now + retransmitDelayMs(this.#sends++, this.#options.randomFill);
    return this.#datagram(0, BROADCAST, { ...this.#base(now), messageType: DhcpMessageType.Discover });
  }

  /** §4.3.2: SELECTING names the server and the address; RENEWING/REBINDING fill ciaddr only. */
  #sendRequest(now: number): DhcpDatagram {
    this.stats.tx.request++;
    const base = this.#base(now);
    if (this.#state === "requesting") {
      const offer = this.#offer!;
      this.#sendAt = now + retransmitDelayMs(this.#sends++, this.#options.randomFill);
      return this.#datagram(0, BROADCAST, { ...base, messageType: DhcpMessageType.Request, requestedAddress: offer.address, serverIdentifier: offer.server });
    }
    const lease = this.#lease!;
    const renewing = this.#state === "renewing";
    this.#sends++;
    this.#sendAt = leaseRetransmitAt(now, renewing ? lease.rebindAt : lease.expiresAt);
    const repr: DhcpRepr = { ...base, messageType: DhcpMessageType.Request, clientAddress: lease.address };
    return this.#datagram(lease.address, renewing ? lease.serverIdentifier : BROADCAST, repr);
  }
}
