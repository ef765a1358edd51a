/**
 * Parses the kernel's boot timeline line,
 *   skiff: boot timeline pvh-entry=0.000ms c-main=0.412ms … app-start=4.300ms
 * into stage → milliseconds since PVH entry, in the order printed.
 */
export type Timeline = Record<string, number>;

const PREFIX = "skiff: boot timeline ";

export function parseTimeline(lines: readonly string[]): Timeline | undefined {
  const line = lines.find((text) => text.startsWith(PREFIX));
  if (line === undefined) return undefined;
  const timeline: Timeline = {};
  for (const field of line.slice(PREFIX.length).trim().split(/\s+/)) {
    const match = /^([A-Za-z0-9_-]+)=([0-9.]+)ms$/.exec(field);
    if (match !== null) timeline[match[1]!] = Number(match[2]);
  }
  return timeline;
}
