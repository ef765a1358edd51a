/**
 * Reads tests/fixtures/net/*.hex: `#` lines are provenance, the rest is hex (whitespace
 * ignored). Used by the DHCP and DNS tests; dhcp_dns_capture.sh says where the bytes came from.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export function hexFixture(name: string): Uint8Array {
  const path = fileURLToPath(new URL(`../fixtures/net/${name}`, import.meta.url));
  const hex = readFileSync(path, "utf8").split("\n").filter((line) => !line.startsWith("#")).join("").replace(/\s+/g, "");
  if (!/^([0-9a-f]{2})+$/.test(hex)) throw new Error(`Cannot read fixture ${name}: not hex`);
  return Uint8Array.from(Buffer.from(hex, "hex"));
}

/** "10.0.0.2" → 0x0a000002. */
export function ip(text: string): number {
  const parts = text.split(".").map(Number);
  return ((parts[0]! << 24) | (parts[1]! << 16) | (parts[2]! << 8) | parts[3]!) >>> 0;
}
