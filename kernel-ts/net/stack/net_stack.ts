/**
 * net_stack: one network interface put together and driven by the event loop — the
 * Interface (ARP, IPv4, ICMP, UDP dispatch) over a link device, its SocketSet, TCP, the
 * DHCP client or a static address from the command line, and the DNS stub resolver.
 *
 * Everything below this file is pure (time passed in, no timers); this file is where the
 * loop meets it: a poll hook runs the interface when the device has news, a flush hook
 * sends what tasks queued during the turn, and a deadline hook tells the loop when the
 * earliest protocol timer (ARP, TCP, DHCP, DNS) is due, so an idle stack sleeps.
 *
 * The stack keeps the loop alive only while someone waits on it (a listener, an open
 * connection, a pending query: `hold()`), like Node's handles; a DHCP lease alone does not.
 */

import type { DhcpLease } from "../dhcp/lease.ts";
import { DhcpClient } from "../dhcp/client.ts";
import type { NetworkConfig } from "../config.ts";
import type { LinkDevice, RandomFill, TcpLayer } from "../contracts.ts";
import { DnsResolver } from "../dns/resolver.ts";
import { Interface, type Ipv4Config } from "../iface/interface.ts";
import { AddressInUse } from "../socket/errors.ts";
import { SocketSet } from "../socket/socket_set.ts";
import type { UdpSocket } from "../socket/udp_socket.ts";
import { checksum as softwareChecksum } from "../wire/checksum.ts";
import { formatIpv4 } from "../wire/ipv4_address.ts";
import { parseMac } from "../wire/ethernet.ts";
import { WireError } from "../wire/error.ts";
import type { ChecksumFn } from "../contracts.ts";

const DHCP_CLIENT_PORT = 68;
const DNS_TIMEOUT_MS = 1000;
const NS_PER_MS = 1e6;

/** What the stack needs from the event loop (the Scheduler provides it). */
export interface NetLoop {
  onPoll(hook: (ready: number, nowNs: number) => void): () => void;
  onFlush(hook: (nowNs: number) => void): () => void;
  /** The earliest time (ns) the hook needs a turn; the loop sleeps no longer. */
  onDeadline(hook: (nowNs: number) => number): () => void;
  keepAlive(): () => void;
  requestTurn(): void;
}

/** The link device plus the flush the stack calls after queuing frames (NetDevice). */
export interface StackDevice extends LinkDevice {
  readonly index: number;
  flush(): void;
}

export interface NetStackOptions {
  readonly device: StackDevice;
  readonly loop: NetLoop;
  readonly config: NetworkConfig;
  readonly randomFill: RandomFill;
  readonly checksum?: ChecksumFn;
  /** TCP over this interface: built by the caller around the stack's checksum and random source. */
  readonly tcp?: TcpLayer;
  /** Called with a line when the address is set or lost ("skiff: net …"). */
  readonly log?: (line: string) => void;
  /** Monotonic clock in ns (the loop's), for work started outside a hook. */
  readonly nowNs: () => number;
}

export class NetStack {
  readonly iface: Interface;
  readonly sockets: SocketSet;
  readonly dns: DnsResolver;
  readonly tcp: TcpLayer | undefined;
  readonly #device: StackDevice;
  readonly #loop: NetLoop;
  readonly #log: (line: string) => void;
  readonly #nowNs: () => number;
  readonly #removers: (() => void)[];
  readonly #dhcp: DhcpClient | undefined;
  #dhcpSocket: UdpSocket | undefined;
  #dnsSocket: UdpSocket | undefined;
  #holds = 0;
  /** Between this turn's poll hook and its flush hook: the flush will send what is queued. */
  #flushAhead = false;
  readonly #turnHooks: (() => void)[] = [];
  readonly #lookups = new Map<number, { resolve: (addresses: number[]) => void; reject: (error: Error) => void; release: () => void }>();
  #release: (() => void) | undefined;
  readonly #configured: (() => void)[] = [];

  constructor(options: NetStackOptions) {
    const mac = parseMac(options.device.mac);
    if (mac instanceof WireError) throw new RangeError(`Cannot start the network on ${options.device.mac}: ${mac.message}`);
    this.#device = options.device;
    this.#loop = options.loop;
    this.#log = options.log ?? (() => {});
    this.#nowNs = options.nowNs;
    this.tcp = options.tcp;
    this.sockets = new SocketSet({ randomFill: options.randomFill });
    const checksum = options.checksum ?? softwareChecksum;
    this.iface = new Interface({ mac, checksum, sockets: this.sockets, randomFill: options.randomFill, ...(options.tcp ? { tcp: options.tcp } : {}) });
    this.dns = new DnsResolver({ servers: [], randomFill: options.randomFill, timeoutMs: DNS_TIMEOUT_MS });

    if (options.config.mode === "static") {
      const { address, prefixLength, gateway, dnsServers } = options.config;
      this.#configure({ address, prefixLength, ...(gateway !== undefined ? { gateway } : {}) }, dnsServers, "static");
    } else {
      this.#dhcp = new DhcpClient({
        mac: options.device.mac,
        randomFill: options.randomFill,
        onLeaseChange: (lease) => this.#leaseChanged(lease),
      });
      const socket = this.sockets.bindUdp(DHCP_CLIENT_PORT);
      if (socket instanceof AddressInUse) throw new Error("Cannot start DHCP: UDP port 68 is taken");
      this.#dhcpSocket = socket;
    }

    this.#removers = [
      // Before the tasks: take in what arrived and wake the sockets' owners, but send
      // nothing yet — the ACKs that arrivals call for go after the owners have run, with
      // their answers and with the window their reads reopened (one segment, not two).
      this.#loop.onPoll((_ready, nowNs) => {
        this.#flushAhead = true;
        this.#turn(false, nowNs / NS_PER_MS);
      }),
      // After the tasks: send what they queued and the ACKs — only when something is due.
      // (Compared in ms, the unit of the timers: ns → ms → ns need not round-trip exactly.)
      this.#loop.onFlush((nowNs) => {
        this.#flushAhead = false;
        const now = nowNs / NS_PER_MS;
        if (this.#dueMs(now) <= now) this.#turn(true, now);
      }),
      this.#loop.onDeadline((nowNs) => this.#deadlineNs(nowNs)),
    ];
  }

  /** The interface's address, once DHCP or the command line has given one. */
  get address(): Ipv4Config | undefined {
    return this.iface.ipv4;
  }

  /** Resolves once the interface has an address (at once for a static configuration). */
  configured(): Promise<void> {
    if (this.iface.ipv4 !== undefined) return Promise.resolve();
    return new Promise((resolve) => {
      this.#configured.push(resolve);
      this.#update();
    });
  }

  /** Resolves `name` (or a dotted quad) to IPv4 addresses through the stub resolver. */
  lookup(name: string): Promise<number[]> {
    return new Promise((resolve, reject) => {
      const id = this.dns.query(this.nowMs(), name);
      this.#lookups.set(id, { resolve, reject, release: this.hold() });
      this.#settleLookups();
      this.kick();
    });
  }

  /** Runs `hook` after every turn of the interface (sockets check for arrivals). Returns a remover. */
  onTurn(hook: () => void): () => void {
    this.#turnHooks.push(hook);
    return () => {
      const at = this.#turnHooks.indexOf(hook);
      if (at >= 0) this.#turnHooks.splice(at, 1);
    };
  }

  /** Keeps the loop alive until the returned release is called: a listener, a connection, a query. */
  hold(): () => void {
    this.#holds++;
    this.#update();
    let held = true;
    return () => {
      if (!held) return;
      held = false;
      this.#holds--;
      this.#update();
    };
  }

  /**
   * Asks for a turn soon: a socket has something to send. Between this turn's poll and flush
   * hooks (the tasks run there) the flush ahead sends it: no second turn, which would cost
   * a whole loop turn per request answered. (The deadline hook still says "now" while
   * anything is due, so nothing waits on a kick that was not passed on.)
   */
  kick(): void {
    if (!this.#flushAhead) this.#loop.requestTurn();
  }

  /** The current monotonic time in ms, for callers outside a hook. */
  nowMs(): number {
    return this.#nowNs() / NS_PER_MS;
  }

  /** Unhooks the stack from the loop. */
  detach(): void {
    for (const remove of this.#removers.splice(0)) remove();
    this.#release?.();
    this.#release = undefined;
  }

  // ---- the turn -----------------------------------------------------------------------

  /** Receives (and with `transmit`, sends what is due), then tells sockets and lookups. `now`: the hook's time, in ms. */
  #turn(transmit: boolean, now: number): void {
    // Guarded here, not inside: a call costs QuickJS ~160 instructions, and most turns have
    // neither a DHCP client (a static address) nor a lookup. Every DNS query comes from
    // lookup(), so with none in #lookups the resolver has nothing to send or settle.
    if (this.#dhcp !== undefined) this.#runDhcp(now);
    if (this.#lookups.size > 0 || this.#dnsSocket !== undefined) this.#runDns(now);
    // Budgeted: when it says more may be waiting, come back at once rather than sleep.
    // (Output due now needs no request: the deadline hook says "now" and the loop does not sleep.)
    if (this.iface.receive(now, this.#device)) this.#loop.requestTurn();
    if (transmit) this.iface.transmit(now, this.#device);
    this.#device.flush();
    if (this.#lookups.size > 0) this.#settleLookups();
    if (this.#turnHooks.length === 0) return; // most turns: no copy to make
    const hooks = this.#turnHooks.slice(); // a hook may remove itself
    for (let i = 0; i < hooks.length; i++) { const hook = hooks[i]!; hook(); }
  }

  #settleLookups(): void {
    for (const [id, pending] of this.#lookups) {
      const result = this.dns.take(id);
      if (result === undefined) continue;
      this.#lookups.delete(id);
      pending.release();
      if (result.ok) pending.resolve([...result.addresses]);
      else pending.reject(result.error);
    }
  }

  #deadlineNs(nowNs: number): number {
    const now = nowNs / NS_PER_MS;
    const at = this.#dueMs(now);
    return at === Infinity ? Infinity : (at > now ? at : now) * NS_PER_MS; // not Math.max: every turn
  }

  /** When (ms) the stack next needs a turn with no new input: now or earlier when something is due. */
  #dueMs(now: number): number {
    let at = this.iface.pollAt(now);
    if (this.#dhcp !== undefined) {
      const renew = this.#dhcp.pollAt(now);
      if (renew < at) at = renew; // not Math.min: every turn (the default configuration is DHCP)
    }
    if (this.#lookups.size === 0) return at; // no query in the resolver (see #turn)
    const dns = this.dns.pollAt(now);
    return dns < at ? dns : at;
  }

  #runDhcp(now: number): void {
    const client = this.#dhcp;
    const socket = this.#dhcpSocket;
    if (client === undefined || socket === undefined) return;
    for (let datagram = socket.receive(); datagram !== undefined; datagram = socket.receive()) {
      if (datagram.from.port === 67) client.input(now, datagram.bytes);
    }
    for (const out of client.output(now)) socket.send({ address: out.dst, port: out.dstPort }, out.payload);
  }

  #runDns(now: number): void {
    const socket = this.#dnsSocket;
    if (socket !== undefined) {
      for (let datagram = socket.receive(); datagram !== undefined; datagram = socket.receive()) {
        this.dns.input(now, datagram.bytes, datagram.from);
      }
    }
    const out = this.dns.output(now);
    if (out.length === 0) return;
    const sender = socket ?? this.#openDnsSocket();
    if (sender === undefined) return;
    for (const datagram of out) sender.send(datagram.dst, datagram.payload);
  }

  #openDnsSocket(): UdpSocket | undefined {
    const socket = this.sockets.bindUdp(0);
    if (socket instanceof AddressInUse) return undefined;
    this.#dnsSocket = socket;
    return socket;
  }

  #leaseChanged(lease: DhcpLease | undefined): void {
    if (lease === undefined) {
      this.iface.setIpv4(undefined);
      this.dns.setServers([]);
      this.#log("skiff: net: DHCP lease lost; no address");
      return;
    }
    const config: Ipv4Config = { address: lease.address, prefixLength: lease.prefixLength, ...(lease.router !== undefined ? { gateway: lease.router } : {}) };
    this.#configure(config, lease.dnsServers, `dhcp from ${formatIpv4(lease.serverIdentifier)}`);
  }

  #configure(config: Ipv4Config, dnsServers: readonly number[], how: string): void {
    const before = this.iface.ipv4;
    this.iface.setIpv4(config);
    this.dns.setServers(dnsServers);
    if (before?.address !== config.address || before.prefixLength !== config.prefixLength) {
      const gateway = config.gateway !== undefined ? ` gw ${formatIpv4(config.gateway)}` : "";
      const dns = dnsServers.length > 0 ? ` dns ${dnsServers.map(formatIpv4).join(",")}` : "";
      this.#log(`skiff: net ${formatIpv4(config.address)}/${config.prefixLength}${gateway}${dns} (${how})`);
    }
    for (const resolve of this.#configured.splice(0)) resolve();
    this.#update();
  }

  /** Held while anyone waits on the stack, or while it still has frames to hand over. */
  #update(): void {
    const busy = this.#holds > 0 || this.#configured.length > 0;
    if (busy && this.#release === undefined) this.#release = this.#loop.keepAlive();
    else if (!busy && this.#release !== undefined) {
      this.#release();
      this.#release = undefined;
    }
  }
}
