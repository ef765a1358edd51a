/**
 * net_api: what apps get as the module `skiff:net` (defined at boot with
 * Platform.defineModule): TCP listen/connect, UDP ports, name lookup, and the named errors
 * to catch. Every call is a thin async shell over the synchronous stack (net/stack,
 * net/tcp, net/socket); nothing here reads a clock except through the kernel's timers.
 *
 *   const server = await listen({ port: 8080 });
 *   for (;;) { const conn = await server.accept(); … await conn.read(); await conn.write(bytes); conn.close(); }
 *   const conn = await connect({ host: "10.0.0.1", port: 80 });
 *   const udp = await bindUdp({ port: 5353 }); udp.send({ address, port }, bytes); await udp.receive();
 */

import { BadHostname, DnsServerFailure, DnsTimeout, NameNotFound, NoAddress, NoDnsServer } from "../dns/errors.ts";
import type { NetStack } from "../stack/net_stack.ts";
import { AddressInUse, ConnectionRefused, ConnectionReset, TimedOut } from "../tcp/errors.ts";
import type { TcpStack } from "../tcp/stack.ts";
import { MessageTooLong, SocketClosed, WouldBlock } from "../socket/errors.ts";
import { parseIpv4 } from "../wire/ipv4_address.ts";
import { WireError } from "../wire/error.ts";
import { Connection, type ConnectionTimers } from "./connection.ts";
import { Listener, ListenerClosed } from "./listener.ts";
import { UdpPort } from "./udp_port.ts";
import { Waiters } from "./waiters.ts";

const DEFAULT_BACKLOG = 128;
const MAX_PORT = 65535;

export interface ListenOptions {
  readonly port: number;
  /** The local address to accept on; default every address of the interface. */
  readonly host?: string;
  readonly backlog?: number;
}

export interface ConnectOptions {
  readonly host: string;
  readonly port: number;
  /** Per read/write bound on the connection, ms (Connection.timeoutMs). */
  readonly timeoutMs?: number;
}

/** No network device, or no address yet and none coming (a static config failed). */
export class NetworkUnavailable extends Error {
  override readonly name = "NetworkUnavailable";
  constructor(why: string) {
    super(`Cannot use the network: ${why}`);
  }
}

function checkPort(port: unknown, what: string, allowZero: boolean): number {
  if (typeof port !== "number" || !Number.isInteger(port) || port < (allowZero ? 0 : 1) || port > MAX_PORT) {
    throw new RangeError(`Cannot ${what}: port ${String(port)} is not an integer in ${allowZero ? 0 : 1}–${MAX_PORT}`);
  }
  return port;
}

function addressOf(host: string, what: string): number {
  const address = parseIpv4(host);
  if (address instanceof WireError) throw new RangeError(`Cannot ${what}: ${host} is not an IPv4 address`);
  return address;
}

export function createNetApi(stack: NetStack, tcp: TcpStack, timers: ConnectionTimers) {
  const waiters = new Waiters();
  tcp.onEvent = (target) => waiters.notify(target);

  async function listen(options: ListenOptions): Promise<Listener> {
    const port = checkPort(options?.port, "listen", false);
    const address = options.host === undefined ? 0 : addressOf(options.host, "listen");
    const backlog = options.backlog ?? DEFAULT_BACKLOG;
    return new Listener(tcp.listen({ address, port }, backlog), stack, waiters, timers);
  }

  async function connect(options: ConnectOptions): Promise<Connection> {
    const port = checkPort(options?.port, "connect", false);
    if (typeof options.host !== "string") throw new TypeError("Cannot connect: host is not a string");
    const [remote] = await stack.lookup(options.host);
    await stack.configured();
    const local = stack.address;
    if (local === undefined || remote === undefined) throw new NetworkUnavailable("the interface has no address");
    const connection = new Connection(tcp.connect({ address: local.address, port: 0 }, { address: remote, port }), stack, waiters, timers);
    if (options.timeoutMs !== undefined) connection.timeoutMs = options.timeoutMs;
    stack.kick();
    await connection.established();
    return connection;
  }

  async function bindUdp(options: { port?: number } = {}): Promise<UdpPort> {
    const port = checkPort(options.port ?? 0, "bind a UDP port", true);
    const socket = stack.sockets.bindUdp(port);
    if (socket instanceof AddressInUse) throw socket;
    return new UdpPort(socket, stack, (hook) => stack.onTurn(hook));
  }

  async function lookup(name: string): Promise<string[]> {
    if (typeof name !== "string") throw new TypeError("Cannot look up a name: it is not a string");
    const addresses = await stack.lookup(name);
    return addresses.map((address) => [24, 16, 8, 0].map((shift) => (address >>> shift) & 0xff).join("."));
  }

  return Object.freeze({
    listen,
    connect,
    bindUdp,
    lookup,
    ConnectionRefused,
    ConnectionReset,
    TimedOut,
    AddressInUse,
    ListenerClosed,
    NetworkUnavailable,
    WouldBlock,
    MessageTooLong,
    SocketClosed,
    NameNotFound,
    NoAddress,
    DnsServerFailure,
    DnsTimeout,
    NoDnsServer,
    BadHostname,
  });
}

export type NetApi = ReturnType<typeof createNetApi>;
