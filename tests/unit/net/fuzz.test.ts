/**
 * Robustness (issue 4 item 7): a million random and mutated frames through an Interface
 * with UDP sockets bound, an ICMP socket and the TCP double. Nothing may throw, the stats
 * must add up (stats.ts) and every bounded structure must stay within its bound.
 *
 * The corpus is the Linux capture (tests/fixtures/net/wire_frames.json); mutations are bit
 * flips, truncations, lying length fields (with the IP checksum fixed so the lie reaches
 * the layer it targets), fragment fields, random bytes, random virtio-net flags. Time moves
 * on by up to 200 ms a frame, so ARP retries, entry and fragment timeouts all happen.
 *
 *   SKIFF_FUZZ_FRAMES=1000000 (default)  SKIFF_FUZZ_SEED=<n> (default: random, printed on failure)
 */
import test from "ava";
import { Interface } from "../../../kernel-ts/net/iface/mod.ts";
import { IcmpSocket, UdpSocket } from "../../../kernel-ts/net/socket/mod.ts";
import { checksum } from "../../../kernel-ts/net/wire/mod.ts";
import { brokenInvariant, FakeLink, segmentOf, TcpDouble } from "./helpers/link.ts";
import { FIXTURES } from "./helpers/wire_fixtures.ts";

const FRAMES = Number(process.env.SKIFF_FUZZ_FRAMES ?? 1_000_000);
const SEED = Number(process.env.SKIFF_FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 32));

/** mulberry32: small, fast, good enough to explore. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = a;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

const CORPUS = FIXTURES.map((f) => f.bytes);

function fixIpChecksum(frame: Uint8Array): void {
  if (frame.length < 34) return;
  const headerLen = (frame[14]! & 0xf) * 4;
  if (14 + headerLen > frame.length) return;
  frame[24] = 0;
  frame[25] = 0;
  const sum = ~checksum(frame, 14, 14 + headerLen, 0) & 0xffff;
  frame[24] = sum >>> 8;
  frame[25] = sum & 0xff;
}

function mutate(random: () => number): Uint8Array {
  const int = (n: number) => Math.floor(random() * n);
  const choice = int(10);
  if (choice === 0) {
    const bytes = new Uint8Array(int(1600));
    for (let i = 0; i < bytes.length; i++) bytes[i] = int(256);
    if (bytes.length >= 14 && random() < 0.5) bytes.set([0x52, 0x54, 0x00, 0x99, 0x77, 0x02, 0, 0, 0, 0, 0, 0, 0x08, random() < 0.7 ? 0x00 : 0x06], 0);
    return bytes;
  }
  let frame = CORPUS[int(CORPUS.length)]!.slice();
  if (random() < 0.8) frame.set([0x52, 0x54, 0x00, 0x99, 0x77, 0x02], 0); // reach the upper layers more often than "not for us"
  switch (choice) {
    case 1:
    case 2: {
      const flips = 1 + int(8);
      for (let i = 0; i < flips; i++) {
        const at = int(frame.length);
        frame[at] = frame[at]! ^ (1 << int(8));
      }
      break;
    }
    case 3:
      frame = frame.subarray(0, int(frame.length + 1));
      break;
    case 4:
    case 5: {
      // A length field lies: IP total length, IHL, UDP length, or any u16 in the first 60 bytes.
      const targets = [16, 14, 38, 14 + int(46)];
      const at = targets[int(targets.length)]!;
      if (at + 1 < frame.length) {
        const value = random() < 0.5 ? int(65536) : (((frame[at]! << 8) | frame[at + 1]!) + int(17) - 8) & 0xffff;
        frame[at] = value >>> 8;
        frame[at + 1] = value & 0xff;
      }
      break;
    }
    case 6:
    case 7:
      // Fragment fields: MF, offsets, a handful of idents, so datagrams collide and overlap.
      if (frame.length >= 34) {
        const offset = int(8) === 0 ? int(0x2000) : int(16) * 185;
        const flags = (random() < 0.6 ? 0x2000 : 0) | offset;
        frame[20] = flags >>> 8;
        frame[21] = flags & 0xff;
        frame[18] = 0;
        frame[19] = int(8);
        if (random() < 0.3) frame = frame.subarray(0, Math.max(34, int(frame.length + 1)));
      }
      break;
    case 8:
      // Random source addresses, to fill the ARP cache and the reassembly table.
      if (frame.length >= 34) for (let i = 26; i < 30; i++) frame[i] = int(256);
      if (frame.length >= 42 && frame[12] === 0x08 && frame[13] === 0x06) for (let i = 28; i < 32; i++) frame[i] = int(256);
      break;
    case 9:
      // Another protocol in the same bytes: TCP (to the double), or a number nobody handles.
      if (frame.length >= 34 && random() < 0.5) frame[23] = random() < 0.8 ? 6 : int(256);
      break; // else unchanged: the valid frames must keep flowing too
  }
  if (random() < 0.7) fixIpChecksum(frame);
  return frame;
}

test(`${FRAMES} random and mutated frames: nothing throws, stats add up, memory stays bounded`, (t) => {
  const random = prng(SEED);
  const tcp = new TcpDouble(false);
  const iface = new Interface({ mac: 0x525400997702, ipv4: { address: 0x0a634d02, prefixLength: 30, gateway: 0x0a634d01 }, checksum, tcp });
  const link = new FakeLink();
  const udp = [7777, 53, 68].map((port) => iface.sockets.bindUdp(port) as UdpSocket);
  const ping = iface.sockets.bindIcmp(0x1234) as IcmpSocket;
  let now = 0;
  let frame: Uint8Array = new Uint8Array(0);
  const started = Date.now();
  try {
    for (let i = 0; i < FRAMES; i++) {
      frame = mutate(random);
      link.inject(frame, random() < 0.1 ? 1 + Math.floor(random() * 3) : 0);
      now += Math.floor(random() * 200) / 4;
      link.room = random() < 0.05 ? 0 : Infinity;
      if (random() < 0.02) udp[0]!.send({ address: Math.floor(random() * 2 ** 32), port: 1 + Math.floor(random() * 65535) }, new Uint8Array(Math.floor(random() * 3000)));
      if (random() < 0.01) ping.sendEcho(0x0a634d00 + Math.floor(random() * 4), i & 0xffff, new Uint8Array(8));
      if (random() < 0.005) tcp.outgoing.push({ ip: { src: 0x0a634d02, dst: 0x0a634d01 }, repr: segmentOf(Math.floor(random() * 2000)), segmentSize: 2000 });
      iface.poll(now, link);
      link.sent.length = 0;
      if (random() < 0.0003) for (const socket of [...udp, ping]) while (socket.receive() !== undefined); // an app that drains now and then: the queues fill up in between
      if (i % 1000 === 0) {
        const broken = brokenInvariant(iface);
        if (broken !== undefined) throw new Error(broken);
      }
    }
  } catch (error) {
    t.log(`seed ${SEED} (rerun: SKIFF_FUZZ_SEED=${SEED} SKIFF_FUZZ_FRAMES=${FRAMES}); last frame: ${Buffer.from(frame).toString("hex")}`);
    throw error;
  }
  const broken = brokenInvariant(iface);
  if (broken !== undefined) t.log(`seed ${SEED}`);
  t.is(broken, undefined);
  const seconds = (Date.now() - started) / 1000;
  const { rx, fragments, tx } = iface.stats;
  t.log(`seed ${SEED}: ${FRAMES} frames in ${seconds.toFixed(1)} s (${Math.round(FRAMES / seconds)}/s); delivered ${rx.delivered}, tcp ${tcp.inputCount}, reassembled ${fragments.reassembled}; drops ${JSON.stringify(rx.drops)}; tx ${JSON.stringify(tx)}`);
  // The fuzz must reach every outcome, or it is not testing what it claims.
  t.true(rx.delivered > 0 && tcp.inputCount > 0 && fragments.reassembled > 0 && fragments.timeouts > 0, "valid frames, TCP, reassembly and timeouts were all reached");
  for (const [reason, count] of Object.entries(rx.drops)) t.true(count > 0, `drop reason ${reason} reached`);
});
