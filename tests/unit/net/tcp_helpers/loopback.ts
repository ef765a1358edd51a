/**
 * Two TcpStacks wired directly through a lossy link with a virtual clock: the seed of the
 * netsim tests. Each direction drops, duplicates and reorders segments by a seeded PRNG;
 * the owners write `size` bytes from A, read them at B, and both close.
 */

import { internetChecksum } from "../../../../kernel-ts/hal/checksum.ts";
import type { Ipv4Endpoints } from "../../../../kernel-ts/net/contracts.ts";
import { TcpStack, type TcpConnection } from "../../../../kernel-ts/net/tcp/mod.ts";
import { TcpRepr } from "../../../../kernel-ts/net/wire/tcp.ts";
import { seededRandom } from "./harness.ts";

const A = 0x0a000001;
const B = 0x0a000002;

interface InFlight { at: number; to: TcpStack; ip: Ipv4Endpoints; segment: Uint8Array }

function prng(seed: number) {
  let s = seed >>> 0 || 1;
  return () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return s / 2 ** 32; };
}

export function transfer(seed: number, size: number, loss: number, options: { sack?: boolean; timestamps?: boolean; windowScaling?: boolean } = {}) {
  const random = prng(seed);
  const stackA = new TcpStack({ checksum: internetChecksum, randomFill: seededRandom(seed + 1), ...options });
  const stackB = new TcpStack({ checksum: internetChecksum, randomFill: seededRandom(seed + 2), ...options });
  const link: InFlight[] = [];
  let now = 0;
  const delay = 5;
  const carry = (to: TcpStack) => (ip: Ipv4Endpoints, repr: TcpRepr) => {
    const segment = TcpRepr.emit(repr, ip, internetChecksum);
    const r = random();
    if (r < loss) return true; // lost
    const copies = r < loss + 0.01 ? 2 : 1; // duplicated
    for (let i = 0; i < copies; i++) {
      const jitter = random() < 0.05 ? random() * 8 : 0; // reordered
      link.push({ at: now + delay + jitter, to, ip, segment });
    }
    return true;
  };
  const listener = stackB.listen({ address: B, port: 9000 }, 4);
  const client = stackA.connect({ address: A, port: 0 }, { address: B, port: 9000 });
  const data = new Uint8Array(size);
  seededRandom(seed + 3)(data);
  const received: Uint8Array[] = [];
  let receivedBytes = 0;
  let written = 0;
  let server: TcpConnection | undefined;
  let clientClosed = false;
  for (let step = 0; step < 2_000_000; step++) {
    // The owners: write what fits, read what arrived.
    if (client.state === "ESTABLISHED" || client.state === "CLOSE-WAIT") {
      if (written < size) written += client.write(data.subarray(written, Math.min(size, written + 65536)));
      if (written === size && !clientClosed) { client.closeWrite(); clientClosed = true; }
    }
    server ??= listener.accept();
    if (server !== undefined) {
      for (let chunk = server.read(); chunk !== undefined; chunk = server.read()) { received.push(chunk); receivedBytes += chunk.length; }
      if (server.ended && server.state === "CLOSE-WAIT") server.closeWrite();
    }
    stackA.output(now, carry(stackB));
    stackB.output(now, carry(stackA));
    const done = server !== undefined && server.state === "CLOSED" && client.state === "TIME-WAIT";
    if (done || client.error !== undefined || server?.error !== undefined) break;
    link.sort((x, y) => x.at - y.at);
    const next = Math.min(link[0]?.at ?? Infinity, stackA.pollAt(now), stackB.pollAt(now));
    if (next === Infinity) break;
    now = Math.max(now, next);
    while (link.length > 0 && link[0]!.at <= now) {
      const packet = link.shift()!;
      packet.to.input(now, packet.ip, packet.segment, false);
    }
  }
  const joined = new Uint8Array(receivedBytes);
  let at = 0;
  for (const chunk of received) { joined.set(chunk, at); at += chunk.length; }
  return { data, joined, client, server, now, stackA, stackB };
}

