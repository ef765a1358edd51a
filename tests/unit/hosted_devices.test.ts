/**
 * The hosted devices on NodePlatform: two platforms exchange Ethernet frames over loopback
 * UDP (qemu's -netdev dgram framing), a plain dgram socket sees the bare frames, and a
 * disk is a temporary file. Every wait is bounded.
 */
import test from "ava";
import dgram from "node:dgram";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { NodePlatform } from "../../host/hosted/node_platform.ts";
import { parseDiskFlag, parseNetFlag } from "../../host/hosted/device_flags.ts";
import { Again, NET_HEADER_BYTES } from "../../kernel-ts/hal/devices.ts";

const dir = mkdtempSync(join(tmpdir(), "skiff-hosted-devices-"));
test.after.always(() => rmSync(dir, { recursive: true, force: true }));

/** A UDP port free right now (bound and released). */
async function freePort(): Promise<number> {
  const socket = dgram.createSocket("udp4");
  await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", resolve));
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(resolve));
  return port;
}

function netPlatform(localPort: number, remotePort: number): NodePlatform {
  return new NodePlatform({ write: () => {}, net: { local: { address: "127.0.0.1", port: localPort }, remote: { address: "127.0.0.1", port: remotePort } } });
}

/** Waits (really) until the device's bit shows and reads one frame; fails after 5 s. */
function readFrame(platform: NodePlatform, device: number): Uint8Array {
  const giveUp = platform.monotonicNs() + 5e9;
  for (;;) {
    const packet = platform.netRead(device);
    if (packet !== Again) return packet;
    if (platform.monotonicNs() > giveUp) throw new Error("no frame within 5 s");
    platform.wait(platform.monotonicNs() + 100e6);
  }
}

const frameOf = (size: number, tag: number) => {
  const packet = new Uint8Array(NET_HEADER_BYTES + size);
  for (let i = 0; i < size; i++) packet[NET_HEADER_BYTES + i] = (i * 31 + tag) & 0xff;
  return packet;
};

test("two NodePlatforms exchange frames over loopback UDP, header added and stripped", async (t) => {
  const [portA, portB] = [await freePort(), await freePort()];
  const a = netPlatform(portA, portB);
  const b = netPlatform(portB, portA);
  try {
    const sizes = [60, 61, 1514, 128, 1000];
    t.is(a.netWrite(0, sizes.map((size, i) => frameOf(size, i))), sizes.length);
    const got = sizes.map(() => readFrame(b, 0));
    t.deepEqual(got.map((packet) => packet.length - NET_HEADER_BYTES), sizes);
    t.deepEqual(got, sizes.map((size, i) => frameOf(size, i)), "frames arrive intact, in order, behind a zero header");
    t.is(b.netWrite(0, [frameOf(64, 99)]), 1);
    t.deepEqual(readFrame(a, 0), frameOf(64, 99));
    t.is(b.netStats(0).rxFrames, sizes.length);
    t.is(b.netStats(0).rxBytes, sizes.reduce((sum, size) => sum + size, 0));
    t.is(a.netStats(0).txFrames, sizes.length);
    t.is(a.devices()[0]?.name, `udp:127.0.0.1:${portA}`);
  } finally {
    a.dispose();
    b.dispose();
  }
});

test("wait wakes early with the net bit when a datagram arrives, and datagrams are bare frames", async (t) => {
  const peer = dgram.createSocket("udp4");
  await new Promise<void>((resolve) => peer.bind(0, "127.0.0.1", resolve));
  const platform = netPlatform(0, peer.address().port);
  try {
    const fromKernel = new Promise<Buffer>((resolve) => peer.once("message", resolve));
    platform.netWrite(0, [frameOf(60, 5)]);
    t.deepEqual(new Uint8Array(await fromKernel), frameOf(60, 5).subarray(NET_HEADER_BYTES));

    // The peer lives on this thread: let its send go out before this thread sleeps in wait.
    await new Promise<void>((resolve) => peer.send(new Uint8Array([1, 2, 3, 4]), platform.netLocalPort!, "127.0.0.1", () => resolve()));
    const start = platform.monotonicNs();
    let ready = 0;
    while (ready === 0 && platform.monotonicNs() - start < 5e9) ready = platform.wait(start + 5e9);
    t.is(ready, 1, "the net device's bit");
    t.true(platform.monotonicNs() - start < 4e9, "woke long before the deadline");
    t.deepEqual([...(platform.netRead(0) as Uint8Array)], [...new Uint8Array(NET_HEADER_BYTES), 1, 2, 3, 4]);
    t.is(platform.netRead(0), Again);
  } finally {
    platform.dispose();
    peer.close();
  }
});

test("a full receive ring drops datagrams and counts them", async (t) => {
  const peer = dgram.createSocket("udp4");
  await new Promise<void>((resolve) => peer.bind(0, "127.0.0.1", resolve));
  const platform = new NodePlatform({ write: () => {}, net: { local: { address: "127.0.0.1", port: 0 }, remote: { address: "127.0.0.1", port: peer.address().port }, ringSlots: 4 } });
  try {
    for (let i = 0; i < 10; i++) await new Promise<void>((resolve) => peer.send(new Uint8Array([i]), platform.netLocalPort!, "127.0.0.1", () => resolve()));
    const giveUp = Date.now() + 5000;
    while (platform.netStats(0).rxBufferStarved < 6 && Date.now() < giveUp) platform.wait(platform.monotonicNs() + 20e6);
    t.is(platform.netStats(0).rxBufferStarved, 6);
    const kept = [0, 1, 2, 3].map(() => (platform.netRead(0) as Uint8Array)[NET_HEADER_BYTES]);
    t.deepEqual(kept, [0, 1, 2, 3]);
  } finally {
    platform.dispose();
    peer.close();
  }
});

test("the hosted disk reads and writes the file at sector offsets; flush completes; completions come at the next wait", (t) => {
  const path = join(dir, "rw.img");
  writeFileSync(path, new Uint8Array(16 * 512 + 100)); // a partial last sector is not counted
  const platform = new NodePlatform({ write: () => {}, disk: { path } });
  try {
    t.deepEqual(platform.blockInfo(0), { sectors: 16, blockSize: 512, readOnly: false, flush: true });
    const write = platform.blockWrite(0, 2, new Uint8Array(512).fill(0x77));
    const flush = platform.blockFlush(0);
    t.deepEqual(platform.blockCompletions(0), [], "nothing before a wait");
    t.is(platform.wait(platform.monotonicNs() + 1e9), 1);
    t.deepEqual(platform.blockCompletions(0), [{ id: write, status: "ok" }, { id: flush, status: "ok" }]);
    t.is(readFileSync(path)[2 * 512], 0x77);
    const buffer = new Uint8Array(1024);
    const read = platform.blockRead(0, 1, buffer);
    platform.wait(platform.monotonicNs() + 1e9);
    t.deepEqual(platform.blockCompletions(0), [{ id: read, status: "ok" }]);
    t.is(buffer[0], 0);
    t.is(buffer[512], 0x77);
  } finally {
    platform.dispose();
  }
});

test("a read-only hosted disk answers ReadOnly and leaves the file alone", (t) => {
  const path = join(dir, "ro.img");
  writeFileSync(path, new Uint8Array(4 * 512).fill(3));
  const platform = new NodePlatform({ write: () => {}, disk: { path, readOnly: true } });
  try {
    t.is(platform.blockInfo(0).readOnly, true);
    t.is(platform.blockWrite(0, 0, new Uint8Array(512)), "read-only");
    t.is(readFileSync(path)[0], 3);
  } finally {
    platform.dispose();
  }
});

test("device flags: --net dgram:… and --disk FILE[,ro]", (t) => {
  t.deepEqual(parseNetFlag("dgram:5555:5556"), { local: { address: "127.0.0.1", port: 5555 }, remote: { address: "127.0.0.1", port: 5556 } });
  t.deepEqual(parseNetFlag("dgram:0.0.0.0:5555:10.0.0.2:6000"), { local: { address: "0.0.0.0", port: 5555 }, remote: { address: "10.0.0.2", port: 6000 } });
  t.throws(() => parseNetFlag("udp:1:2"), { instanceOf: RangeError, message: /--net udp:1:2/ });
  t.throws(() => parseNetFlag("dgram:1:70000"), { instanceOf: RangeError, message: /"70000" is not a port/ });
  t.deepEqual(parseDiskFlag("disk.img"), { path: "disk.img", readOnly: false });
  t.deepEqual(parseDiskFlag("a,b.img,ro"), { path: "a,b.img", readOnly: true });
  t.throws(() => parseDiskFlag(""), { instanceOf: RangeError });
});

test("a port already in use is an error that names it", async (t) => {
  const port = await freePort();
  const first = netPlatform(port, 9);
  try {
    t.throws(() => netPlatform(port, 9), { message: new RegExp(`Cannot open the hosted network on udp:127.0.0.1:${port}: .*EADDRINUSE`) });
  } finally {
    first.dispose();
  }
});
