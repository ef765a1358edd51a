/**
 * conformance_devices: the HAL conformance checks for devices. They need no peer (nothing
 * answers on the wire, nobody feeds the console), so they run on every platform, native
 * included (`selftest=hal`), and pass on a platform with no device of a kind.
 *
 * The block check writes the LAST 8 sectors of every writable disk, then puts back what
 * was there: run it on test disks. Completions are awaited by waiting on the disk's
 * ReadySet bit, bounded in time (qemu TCG is slow).
 */

import { check, expect, show, type HalCheck } from "./conformance_helpers.ts";
import { Again, NET_HEADER_BYTES, ReadOnly, type BlockStatus, type DeviceInfo, type DeviceKind } from "./devices.ts";
import type { Platform } from "./platform.ts";

const NS_PER_MS = 1_000_000;
const COMPLETION_BOUND_NS = 10_000 * NS_PER_MS;
const SECTOR_BYTES = 512;
const KINDS: readonly DeviceKind[] = ["net", "block", "rng", "console"];

function devicesOf(platform: Platform, kind: DeviceKind): DeviceInfo[] {
  return platform.devices().filter((device) => device.kind === kind);
}

/** An index that is no device: one past the last. */
function missingIndex(platform: Platform): number {
  return platform.devices().length;
}

function expectRangeError(call: () => unknown, what: string): void {
  let result: unknown;
  try {
    result = call();
  } catch (error) {
    expect(error instanceof RangeError, `${what} threw ${error instanceof Error ? `${error.name}: ${error.message}` : show(error)}, not a RangeError`);
    return;
  }
  throw new Error(`${what} did not throw a RangeError (returned ${show(result)})`);
}

function bitOf(ready: number, index: number): boolean {
  return Math.floor(ready / 2 ** index) % 2 === 1;
}

/**
 * Waits for the completion of request `id` on block device `device`: blockCompletions is
 * read only after a wait names the device, as the contract says completions arrive.
 */
function awaitCompletion(platform: Platform, device: number, id: number, what: string): BlockStatus {
  const giveUp = platform.monotonicNs() + COMPLETION_BOUND_NS;
  while (platform.monotonicNs() < giveUp) {
    const ready = platform.wait(Math.min(giveUp, platform.monotonicNs() + 100 * NS_PER_MS));
    expect(Number.isInteger(ready) && ready >= 0, `wait returned ${show(ready)}, not a ReadySet`);
    if (!bitOf(ready, device)) continue;
    const completions = platform.blockCompletions(device);
    expect(Array.isArray(completions), `blockCompletions(${device}) returned ${show(completions)}`);
    for (const completion of completions) {
      expect(["ok", "io-error", "unsupported"].includes(completion.status), `completion ${completion.id} has status ${show(completion.status)}`);
      if (completion.id === id) return completion.status;
      throw new Error(`${what}: blockCompletions(${device}) reported request ${completion.id}, which was not in flight`);
    }
  }
  throw new Error(`${what}: request ${id} did not complete within ${COMPLETION_BOUND_NS / NS_PER_MS} ms`);
}

function submitted(result: number | Again | ReadOnly, what: string): number {
  expect(typeof result === "number" && Number.isInteger(result), `${what} returned ${show(result)}, not a request id`);
  return result;
}

/** Bytes of 8 sectors, a pattern that differs per sector and per byte. */
function pattern(sectors: number): Uint8Array {
  const bytes = new Uint8Array(sectors * SECTOR_BYTES);
  for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7 + Math.floor(i / SECTOR_BYTES) * 13 + 0x5a) & 0xff;
  return bytes;
}

export const deviceChecks: readonly HalCheck[] = [
  check("devices-is-a-consistent-list", (platform) => {
    const first = platform.devices();
    const second = platform.devices();
    expect(Array.isArray(first), `devices() gave ${show(first)}`);
    expect(first !== second, "devices() returned the same array twice");
    expect(first.length === second.length, `devices() gave ${first.length}, then ${second.length} devices`);
    first.forEach((device, position) => {
      expect(device.index === position, `device at position ${position} has index ${show(device.index)}`);
      expect(KINDS.includes(device.kind), `device ${position} has kind ${show(device.kind)}`);
      expect(typeof device.name === "string" && device.name !== "", `device ${position} has name ${show(device.name)}`);
      const again = second[position]!;
      expect(again.index === device.index && again.kind === device.kind && again.name === device.name, `device ${position} changed between two devices() calls`);
    });
  }),

  check("checksum-matches-RFC-1071-vectors", (platform) => {
    const rfcExample = new Uint8Array([0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7]); // RFC 1071 §3
    const vectors: [string, Uint8Array, number, number, number, number][] = [
      ["the RFC 1071 example", rfcExample, 0, 8, 0, 0xddf2],
      ["an odd length (last byte padded)", new Uint8Array([0x00, 0x01, 0xf2]), 0, 3, 0, 0xf201],
      ["one byte", new Uint8Array([0xab]), 0, 1, 0, 0xab00],
      ["a seed with end-around carry", new Uint8Array([0xff, 0xff]), 0, 2, 0x0001, 0x0001],
      ["carries from many words", new Uint8Array(64).fill(0xff), 0, 64, 0, 0xffff],
      ["an empty range (the seed)", rfcExample, 4, 4, 0x1234, 0x1234],
      ["a range inside the array", rfcExample, 2, 6, 0, 0xe6f9],
      ["a view with a byteOffset", rfcExample.subarray(2), 0, 4, 0, 0xe6f9],
    ];
    for (const [what, bytes, start, end, seed, want] of vectors) {
      const got = platform.checksum(bytes, start, end, seed);
      expect(got === want, `checksum of ${what} gave 0x${got.toString(16)}, not 0x${want.toString(16)}`);
    }
  }),

  check("checksum-rejects-ranges-outside-the-array", (platform) => {
    const bytes = new Uint8Array(8);
    expectRangeError(() => platform.checksum(bytes, 0, 9, 0), "checksum(end past the array)");
    expectRangeError(() => platform.checksum(bytes, -1, 4, 0), "checksum(negative start)");
    expectRangeError(() => platform.checksum(bytes, 5, 4, 0), "checksum(start > end)");
  }),

  check("half-siphash-matches-the-reference-vectors", (platform) => {
    // The reference implementation's vectors_hsip32: key 00..07, messages 00..(n-1); the tag's
    // bytes as a little-endian number. Lengths on and off word boundaries, 12 as an ISN hashes.
    const tags: [number, number][] = [
      [0, 0x5b9f35a9], [1, 0xb85a4727], [3, 0x04e7fe8a], [4, 0x89466e2a], [7, 0xc563cf8b],
      [8, 0x8f84b8d0], [11, 0x50300808], [12, 0x2f87f057], [13, 0xff63e677], [19, 0x87e3ef7b],
    ];
    const key = Uint8Array.from({ length: 8 }, (_, i) => i);
    const bytes = Uint8Array.from({ length: 24 }, (_, i) => i);
    for (const [length, want] of tags) {
      const got = platform.halfSipHash(key, bytes.subarray(0, length));
      expect(got === want, `halfSipHash of ${length} bytes gave 0x${got.toString(16)}, not 0x${want.toString(16)}`);
    }
    const backing = new Uint8Array(40).fill(0xee);
    backing.set(key, 3);
    backing.set(bytes.subarray(0, 12), 20);
    const got = platform.halfSipHash(backing.subarray(3, 11), backing.subarray(20, 32));
    expect(got === 0x2f87f057, `halfSipHash of views with a byteOffset gave 0x${got.toString(16)}, not 0x2f87f057`);
  }),

  check("half-siphash-rejects-bad-arguments", (platform) => {
    expectRangeError(() => platform.halfSipHash(new Uint8Array(7), new Uint8Array(4)), "halfSipHash(a 7-byte key)");
    expectRangeError(() => platform.halfSipHash(new Uint8Array(16), new Uint8Array(4)), "halfSipHash(a 16-byte key)");
    let threw = false;
    try { platform.halfSipHash(new Uint8Array(8), [1, 2, 3] as unknown as Uint8Array); } catch (error) { threw = error instanceof TypeError; }
    expect(threw, "halfSipHash(key, an array) should throw a TypeError");
  }),

  check("ascii-codec-round-trips-ascii-and-refuses-the-rest", (platform) => {
    const all = Array.from({ length: 128 }, (_, code) => String.fromCharCode(code)).join("");
    const bytes = platform.asciiEncode(all);
    expect(bytes instanceof Uint8Array && bytes.length === 128 && bytes.every((byte, i) => byte === i), "asciiEncode of the 128 ASCII characters gave other bytes");
    expect(platform.asciiDecode(bytes!, 0, 128) === all, "asciiDecode did not give the 128 ASCII characters back");
    expect(platform.asciiDecode(bytes!, 65, 68) === "ABC", "asciiDecode of a range");
    expect(platform.asciiDecode(bytes!.subarray(65), 0, 3) === "ABC", "asciiDecode of a view with a byteOffset");
    expect(platform.asciiDecode(bytes!, 5, 5) === "", "asciiDecode of an empty range");
    const empty = platform.asciiEncode("");
    expect(empty instanceof Uint8Array && empty.length === 0, "asciiEncode of \"\"");
    for (const text of ["caf\u00e9", "\u0080", "a\ud800", "\u{1f600}", "\u00ff"]) {
      expect(platform.asciiEncode(text) === undefined, `asciiEncode(${JSON.stringify(text)}) should be undefined`);
    }
    expect(platform.asciiDecode(new Uint8Array([0x61, 0x80, 0x62]), 0, 3) === undefined, "asciiDecode of a byte 0x80 should be undefined");
    expect(platform.asciiDecode(new Uint8Array([0x61, 0xff]), 0, 1) === "a", "asciiDecode looks only inside its range");
  }),

  check("ascii-codec-rejects-bad-arguments", (platform) => {
    expectRangeError(() => platform.asciiDecode(new Uint8Array(4), 0, 5), "asciiDecode(end past the array)");
    expectRangeError(() => platform.asciiDecode(new Uint8Array(4), 3, 2), "asciiDecode(start > end)");
    let threw = false;
    try { platform.asciiEncode(42 as unknown as string); } catch (error) { threw = error instanceof TypeError; }
    expect(threw, "asciiEncode(42) should throw a TypeError");
  }),

  check("net-info-has-its-shape", (platform) => {
    for (const { index } of devicesOf(platform, "net")) {
      const info = platform.netInfo(index);
      expect(/^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/.test(info.mac), `netInfo(${index}).mac is ${show(info.mac)}`);
      expect(Number.isInteger(info.mtu) && info.mtu >= 68 && info.mtu <= 65535, `netInfo(${index}).mtu is ${show(info.mtu)}`);
      expect(typeof info.linkUp === "boolean", `netInfo(${index}).linkUp is ${show(info.linkUp)}`);
      for (const flag of ["csum", "guestCsum", "hostTso4", "guestTso4", "mergeableRxBuffers"] as const) {
        expect(typeof info.offloads[flag] === "boolean", `netInfo(${index}).offloads.${flag} is ${show(info.offloads[flag])}`);
      }
      const stats = platform.netStats(index);
      for (const field of ["rxFrames", "rxBytes", "rxDrops", "rxBufferStarved", "txFrames", "txBytes", "txRingFull"] as const) {
        expect(Number.isInteger(stats[field]) && stats[field] >= 0, `netStats(${index}).${field} is ${show(stats[field])}`);
      }
    }
  }),

  check("net-read-gives-a-frame-or-Again-and-an-empty-write-queues-none", (platform) => {
    for (const { index } of devicesOf(platform, "net")) {
      const packet = platform.netRead(index);
      expect(packet === Again || (packet instanceof Uint8Array && packet.length >= NET_HEADER_BYTES),
        `netRead(${index}) gave ${packet instanceof Uint8Array ? `${packet.length} bytes` : show(packet)}`);
      const queued = platform.netWrite(index, []);
      expect(queued === 0, `netWrite(${index}, []) returned ${show(queued)}`);
    }
  }),

  check("device-calls-reject-a-bad-index-or-kind", (platform) => {
    const missing = missingIndex(platform);
    const buffer = new Uint8Array(SECTOR_BYTES);
    expectRangeError(() => platform.netInfo(missing), `netInfo(${missing}) (no such device)`);
    expectRangeError(() => platform.netRead(-1), "netRead(-1)");
    expectRangeError(() => platform.netWrite(missing, []), `netWrite(${missing}, [])`);
    expectRangeError(() => platform.blockInfo(missing), `blockInfo(${missing})`);
    expectRangeError(() => platform.blockRead(missing, 0, buffer), `blockRead(${missing})`);
    expectRangeError(() => platform.channelWrite(missing, new Uint8Array(1)), `channelWrite(${missing})`);
    expectRangeError(() => platform.rngRead(missing, new Uint8Array(1)), `rngRead(${missing})`);
    for (const device of platform.devices()) {
      if (device.kind !== "net") expectRangeError(() => platform.netInfo(device.index), `netInfo(${device.index}) on a ${device.kind} device`);
      if (device.kind !== "block") expectRangeError(() => platform.blockInfo(device.index), `blockInfo(${device.index}) on a ${device.kind} device`);
      if (device.kind !== "console") expectRangeError(() => platform.channelRead(device.index), `channelRead(${device.index}) on a ${device.kind} device`);
      if (device.kind !== "rng") expectRangeError(() => platform.rngRead(device.index, new Uint8Array(1)), `rngRead(${device.index}) on a ${device.kind} device`);
    }
  }),

  check("block-info-has-its-shape-and-ranges-are-checked", (platform) => {
    for (const { index } of devicesOf(platform, "block")) {
      const info = platform.blockInfo(index);
      expect(Number.isInteger(info.sectors) && info.sectors >= 0, `blockInfo(${index}).sectors is ${show(info.sectors)}`);
      expect(Number.isInteger(info.blockSize) && info.blockSize >= SECTOR_BYTES && (info.blockSize & (info.blockSize - 1)) === 0,
        `blockInfo(${index}).blockSize is ${show(info.blockSize)}`);
      expect(typeof info.readOnly === "boolean" && typeof info.flush === "boolean", `blockInfo(${index}) flags are ${show(info.readOnly)}, ${show(info.flush)}`);
      const sector = new Uint8Array(SECTOR_BYTES);
      expectRangeError(() => platform.blockRead(index, info.sectors, sector), `blockRead(${index}) at sector ${info.sectors} (the end)`);
      expectRangeError(() => platform.blockRead(index, Math.max(0, info.sectors - 1), new Uint8Array(2 * SECTOR_BYTES)), `blockRead(${index}) across the end`);
      expectRangeError(() => platform.blockRead(index, 0, new Uint8Array(100)), `blockRead(${index}) of 100 bytes`);
      expectRangeError(() => platform.blockWrite(index, info.sectors, sector), `blockWrite(${index}) at sector ${info.sectors} (the end)`);
    }
  }),

  check("block-read-only-disks-refuse-writes", (platform) => {
    for (const { index } of devicesOf(platform, "block")) {
      const info = platform.blockInfo(index);
      if (!info.readOnly || info.sectors === 0) continue;
      const result = platform.blockWrite(index, 0, new Uint8Array(SECTOR_BYTES));
      expect(result === ReadOnly, `blockWrite(${index}) on a read-only disk returned ${show(result)}`);
      const status = awaitCompletion(platform, index, submitted(platform.blockRead(index, 0, new Uint8Array(SECTOR_BYTES)), `blockRead(${index})`), "a read of a read-only disk");
      expect(status === "ok", `a read of read-only disk ${index} completed ${status}`);
    }
  }),

  check("block-writes-flush-and-read-back-the-last-8-sectors", (platform) => {
    for (const { index } of devicesOf(platform, "block")) {
      const info = platform.blockInfo(index);
      if (info.readOnly || info.sectors < 8) continue;
      const first = info.sectors - 8;
      const original = new Uint8Array(8 * SECTOR_BYTES);
      const saved = awaitCompletion(platform, index, submitted(platform.blockRead(index, first, original), `blockRead(${index})`), "reading the last 8 sectors");
      expect(saved === "ok", `reading the last 8 sectors of disk ${index} completed ${saved}`);

      const written = pattern(8);
      const wrote = awaitCompletion(platform, index, submitted(platform.blockWrite(index, first, written), `blockWrite(${index})`), "writing the pattern");
      expect(wrote === "ok", `writing the last 8 sectors of disk ${index} completed ${wrote}`);
      const flushed = awaitCompletion(platform, index, submitted(platform.blockFlush(index), `blockFlush(${index})`), "flushing");
      expect(flushed === "ok" || (!info.flush && flushed === "unsupported"), `flushing disk ${index} completed ${flushed}`);

      const back = new Uint8Array(8 * SECTOR_BYTES);
      const read = awaitCompletion(platform, index, submitted(platform.blockRead(index, first, back), `blockRead(${index})`), "reading the pattern back");
      expect(read === "ok", `reading back disk ${index} completed ${read}`);
      const differs = back.findIndex((byte, i) => byte !== written[i]);
      expect(differs === -1, `disk ${index}: byte ${differs} of the last 8 sectors read back 0x${back[differs]?.toString(16)}, wrote 0x${written[differs]?.toString(16)}`);

      const restored = awaitCompletion(platform, index, submitted(platform.blockWrite(index, first, original), `blockWrite(${index})`), "restoring the last 8 sectors");
      expect(restored === "ok", `restoring the last 8 sectors of disk ${index} completed ${restored}`);
    }
  }),

  check("console-channels-take-bytes", (platform) => {
    for (const { index } of devicesOf(platform, "console")) {
      const empty = platform.channelWrite(index, new Uint8Array(0));
      expect(empty === 0 || empty === Again, `channelWrite(${index}, 0 bytes) returned ${show(empty)}`);
      const line = new Uint8Array([...("hal-conformance\n")].map((c) => c.charCodeAt(0)));
      const count = platform.channelWrite(index, line);
      expect(count === Again || (Number.isInteger(count) && count >= 0 && count <= line.length), `channelWrite(${index}) returned ${show(count)}`);
      const received = platform.channelRead(index);
      expect(received === Again || (received instanceof Uint8Array && received.length > 0), `channelRead(${index}) gave ${show(received)}`);
    }
  }),

  check("rng-devices-give-bytes-or-Again", (platform) => {
    for (const { index } of devicesOf(platform, "rng")) {
      const bytes = new Uint8Array(32);
      const count = platform.rngRead(index, bytes);
      expect(count === Again || (Number.isInteger(count) && count > 0 && count <= bytes.length), `rngRead(${index}) returned ${show(count)}`);
    }
  }),
];
