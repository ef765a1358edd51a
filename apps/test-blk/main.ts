/**
 * test-blk: exercises the first disk (virtio-blk in the VM) for tests/vm/devices.test.ts and
 * bench/devices. Blocks are PATTERN_BLOCK_BYTES long, patterns come from pattern.ts.
 *
 *   env.mode=write   (default) write env.blocks blocks from env.start (a block number) with
 *                    env.seed's pattern, env.depth requests in flight; flush; read every
 *                    block back and compare. Lines: "blk: wrote …", "blk: flushed",
 *                    "blk: read back N blocks identical". Status 0; 2 on a mismatch.
 *   env.mode=verify  only read and compare what an earlier boot wrote: "blk: verified N blocks
 *                    identical (seed S)". Status 0; 2 on a mismatch ("blk: MISMATCH …").
 *   env.mode=bench   sequential write then read of env.total bytes in env.req-byte requests,
 *                    env.depth in flight, each timed: "blk-bench: op=write req=… depth=…
 *                    bytes=… ms=… MBps=…" then op=read. Status 0.
 *
 * A read-only disk: the write is tried anyway (the device must refuse it) and reported as
 * "blk: cannot write: the disk is read-only (…)", status 3; a write that is accepted on a
 * read-only disk is status 4. No disk at all: status 5.
 */
import { openBlock, type AppBlock } from "./block.ts";
import { checkPattern, fillPattern, PATTERN_BLOCK_BYTES } from "./pattern.ts";

type Env = Record<string, string | undefined>;

const SECTOR = 512;
const SECTORS_PER_BLOCK = PATTERN_BLOCK_BYTES / SECTOR;

function intEnv(env: Env, name: string, fallback: number): number {
  const text = env[name];
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0) throw new RangeError(`Cannot use env.${name}=${text}: expected a whole number >= 0`);
  return value;
}

/** Milliseconds; performance.now() where the kernel gives apps one, else Date.now(). */
function now(): number {
  const clock = (globalThis as { performance?: { now(): number } }).performance;
  return clock !== undefined ? clock.now() : Date.now();
}

/** Runs `count` jobs with at most `depth` in flight; `lane` (0 ≤ lane < depth) owns its buffer. */
async function inFlight(count: number, depth: number, job: (index: number, lane: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (lane: number): Promise<void> => {
    while (next < count) await job(next++, lane);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(depth, count)) }, (_, lane) => worker(lane)));
}

async function writeBlocks(disk: AppBlock, start: number, blocks: number, seed: number, depth: number): Promise<void> {
  const buffers = Array.from({ length: depth }, () => new Uint8Array(PATTERN_BLOCK_BYTES));
  await inFlight(blocks, depth, async (i, lane) => {
    const buffer = buffers[lane]!;
    fillPattern(buffer, seed, start + i);
    await disk.write((start + i) * SECTORS_PER_BLOCK, buffer);
  });
}

/** Reads and checks; returns a mismatch description or undefined. */
async function verifyBlocks(disk: AppBlock, start: number, blocks: number, seed: number, depth: number): Promise<string | undefined> {
  let mismatch: string | undefined;
  await inFlight(blocks, depth, async (i) => {
    const buffer = await disk.read((start + i) * SECTORS_PER_BLOCK, PATTERN_BLOCK_BYTES);
    const at = checkPattern(buffer, seed, start + i);
    if (at >= 0 && mismatch === undefined) mismatch = `block ${start + i} byte ${at}`;
  });
  return mismatch;
}

async function bench(disk: AppBlock, env: Env): Promise<number> {
  const req = intEnv(env, "req", 65536);
  const total = intEnv(env, "total", 16 << 20);
  const depth = intEnv(env, "depth", 1);
  const requests = Math.floor(total / req);
  const sectorsPerReq = req / SECTOR;
  if (requests * sectorsPerReq > disk.sectors) throw new RangeError(`Cannot bench ${total} bytes: the disk has ${disk.sectors * SECTOR}`);
  const buffers = Array.from({ length: Math.max(1, depth) }, (_, i) => new Uint8Array(req).fill(i + 1));
  for (const op of env.ops === undefined ? ["write", "read"] : env.ops.split("+")) {
    if (op === "write" && disk.readOnly) continue;
    const started = now();
    await inFlight(requests, depth, async (i, lane) => {
      const buffer = buffers[lane]!;
      if (op === "write") await disk.write(i * sectorsPerReq, buffer);
      else await disk.read(i * sectorsPerReq, req);
    });
    if (op === "write") await disk.flush();
    const ms = now() - started;
    const bytes = requests * req;
    console.log(`blk-bench: op=${op} req=${req} depth=${depth} bytes=${bytes} ms=${ms.toFixed(1)} MBps=${(bytes / 1e6 / (ms / 1000)).toFixed(2)}`);
  }
  return 0;
}

export default {
  async main(env: Env, scope: unknown): Promise<number> {
    const disk = openBlock(scope);
    if (disk === undefined) {
      console.log("blk: no block device");
      return 5;
    }
    console.log(`blk: disk ${disk.name} sectors=${disk.sectors} readOnly=${disk.readOnly} flush=${disk.info.flush}`);
    const mode = env.mode ?? "write";
    if (mode === "bench") return bench(disk, env);

    const seed = intEnv(env, "seed", 1);
    const start = intEnv(env, "start", 0);
    const blocks = intEnv(env, "blocks", 256);
    const depth = Math.max(1, intEnv(env, "depth", 8));
    if ((start + blocks) * SECTORS_PER_BLOCK > disk.sectors) throw new RangeError(`Cannot use blocks ${start}..${start + blocks}: the disk has ${disk.sectors / SECTORS_PER_BLOCK}`);

    if (mode === "write") {
      try {
        await writeBlocks(disk, start, blocks, seed, depth);
      } catch (error) {
        if (disk.readOnly) {
          console.log(`blk: cannot write: the disk is read-only (${error instanceof Error ? error.message : String(error)})`);
          return 3;
        }
        throw error;
      }
      if (disk.readOnly) {
        console.log("blk: a write to a read-only disk was accepted");
        return 4;
      }
      console.log(`blk: wrote ${blocks} blocks of ${PATTERN_BLOCK_BYTES} bytes from block ${start} (seed ${seed})`);
      await disk.flush();
      console.log("blk: flushed");
      const mismatch = await verifyBlocks(disk, start, blocks, seed, depth);
      if (mismatch !== undefined) {
        console.log(`blk: MISMATCH at ${mismatch}`);
        return 2;
      }
      console.log(`blk: read back ${blocks} blocks identical`);
      return 0;
    }
    if (mode === "verify") {
      const mismatch = await verifyBlocks(disk, start, blocks, seed, depth);
      if (mismatch !== undefined) {
        console.log(`blk: MISMATCH at ${mismatch} (seed ${seed})`);
        return 2;
      }
      console.log(`blk: verified ${blocks} blocks identical (seed ${seed})`);
      return 0;
    }
    throw new RangeError(`Cannot use env.mode=${mode}: expected write, verify or bench`);
  },
};
