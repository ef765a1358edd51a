/**
 * Reads icount_plugin.c's shared table: the guest instructions executed so far, in all and
 * per translation block, and turns the difference of two reads into a per-function table
 * with the symbols of build/skiff.sym.elf.
 *
 * Layout (little-endian u64s): magic, capacity, used, total; then `capacity` slots of
 * {block address, instructions in the block, instructions executed}; slot 0 (address 0)
 * takes what overflowed.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";

const MAGIC = 0x32746e756f63696bn;
const HEADER_BYTES = 32;
const SLOT_BYTES = 24;

export interface Counts {
  /** Instructions executed, all blocks. */
  readonly total: number;
  /** Instructions executed per block address (retranslations added up). */
  readonly byAddress: ReadonlyMap<number, number>;
  /** Times each block ran: per translation, instructions ÷ its length, added up by address. */
  readonly runs: ReadonlyMap<number, number>;
}

export function readCounts(file: string): Counts {
  const fd = fs.openSync(file, "r");
  try {
    const header = Buffer.alloc(HEADER_BYTES);
    if (fs.readSync(fd, header, 0, HEADER_BYTES, 0) !== HEADER_BYTES || header.readBigUInt64LE(0) !== MAGIC) {
      throw new Error(`${file} is not an icount table (has qemu loaded icount_plugin.so yet?)`);
    }
    const capacity = Number(header.readBigUInt64LE(8));
    const used = Math.min(capacity, Number(header.readBigUInt64LE(16)));
    const total = Number(header.readBigUInt64LE(24));
    const slots = Buffer.alloc(used * SLOT_BYTES);
    fs.readSync(fd, slots, 0, slots.length, HEADER_BYTES);
    const byAddress = new Map<number, number>();
    const runs = new Map<number, number>();
    for (let at = 0; at < slots.length; at += SLOT_BYTES) {
      const insns = Number(slots.readBigUInt64LE(at + 16));
      if (insns === 0) continue;
      const address = Number(slots.readBigUInt64LE(at));
      const size = Number(slots.readBigUInt64LE(at + 8));
      byAddress.set(address, (byAddress.get(address) ?? 0) + insns);
      if (size > 0) runs.set(address, (runs.get(address) ?? 0) + insns / size);
    }
    return { total, byAddress, runs };
  } finally {
    fs.closeSync(fd);
  }
}

/** What ran between two reads of the same table. */
export function countsBetween(before: Counts, after: Counts): Counts {
  const byAddress = new Map<number, number>();
  for (const [address, insns] of after.byAddress) {
    const delta = insns - (before.byAddress.get(address) ?? 0);
    if (delta > 0) byAddress.set(address, delta);
  }
  const runs = new Map<number, number>();
  for (const [address, count] of after.runs) {
    const delta = count - (before.runs.get(address) ?? 0);
    if (delta > 0) runs.set(address, delta);
  }
  return { total: after.total - before.total, byAddress, runs };
}

export interface Symbols {
  readonly starts: readonly number[];
  readonly names: readonly string[];
  readonly startSet: ReadonlySet<number>;
}

/** The function symbols of an ELF with symbols (`nm -n`), sorted by address. */
export function loadSymbols(elf: string): Symbols {
  const starts: number[] = [];
  const names: string[] = [];
  for (const line of execFileSync("nm", ["-n", "--defined-only", elf], { encoding: "utf8", maxBuffer: 64 << 20 }).split("\n")) {
    const match = /^([0-9a-f]+) [tTwW] (\S+)$/.exec(line);
    if (match === null) continue;
    starts.push(parseInt(match[1]!, 16));
    names.push(match[2]!);
  }
  return { starts, names, startSet: new Set(starts) };
}

/** The function holding `address`: the last symbol at or below it. */
export function functionAt(symbols: Symbols, address: number): string {
  let low = 0;
  let high = symbols.starts.length - 1;
  if (high < 0 || address < symbols.starts[0]!) return `0x${address.toString(16)}`;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (symbols.starts[middle]! <= address) low = middle;
    else high = middle - 1;
  }
  return symbols.names[low]!;
}

export interface FunctionCount {
  readonly name: string;
  readonly instructions: number;
  /** Times its first block ran: calls, when the function's entry block is not also a loop's target. */
  readonly calls: number;
}

/** Instructions and calls per function, most instructions first. */
export function byFunction(counts: Counts, symbols: Symbols): FunctionCount[] {
  const totals = new Map<string, { instructions: number; calls: number }>();
  for (const [address, insns] of counts.byAddress) {
    const name = address === 0 ? "(overflow: blocks past the table)" : functionAt(symbols, address);
    const entry = totals.get(name) ?? { instructions: 0, calls: 0 };
    entry.instructions += insns;
    if (symbols.startSet.has(address)) entry.calls += counts.runs.get(address) ?? 0;
    totals.set(name, entry);
  }
  return [...totals].map(([name, entry]) => ({ name, ...entry })).sort((a, b) => b.instructions - a.instructions);
}
