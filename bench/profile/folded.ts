/**
 * Folded stacks as the guest's profiler prints them (kernel-ts/profile.ts,
 * shim/js/hal_profile.c): taken out of a console log, and summed per function into the
 * self time (the function was the innermost frame) and the total time (it was anywhere on
 * the stack, counted once per stack however often it recurs).
 */

export interface FoldedProfile {
  /** The "# skiff profile: k=v …" summary line's fields. */
  readonly summary: Readonly<Record<string, number>>;
  /** Each distinct stack, outermost frame first, with its microseconds. */
  readonly stacks: readonly { readonly frames: readonly string[]; readonly us: number }[];
}

export interface FunctionTime {
  readonly frame: string;
  readonly selfUs: number;
  readonly totalUs: number;
}

const BEGIN = "skiff: profile begin";
const END = "skiff: profile end";

/** The profile between the marker lines of `lines` (a guest's console); an Error naming what is missing. */
export function profileFromConsole(lines: readonly string[]): FoldedProfile {
  const begin = lines.indexOf(BEGIN);
  const end = lines.indexOf(END, begin + 1);
  if (begin < 0 || end < 0) throw new Error(`The console holds no complete profile (no "${begin < 0 ? BEGIN : END}" line)`);
  return parseFolded(lines.slice(begin + 1, end));
}

export function parseFolded(lines: readonly string[]): FoldedProfile {
  const summary: Record<string, number> = {};
  const stacks: { frames: string[]; us: number }[] = [];
  for (const line of lines) {
    if (line.startsWith("# skiff profile:")) {
      for (const match of line.matchAll(/(\w+)=(\d+)/g)) summary[match[1]!] = Number(match[2]);
      continue;
    }
    const space = line.lastIndexOf(" ");
    const us = Number(line.slice(space + 1));
    if (space <= 0 || !Number.isInteger(us)) throw new Error(`Cannot read the folded stack line ${JSON.stringify(line.slice(0, 200))}`);
    stacks.push({ frames: line.slice(0, space).split(";"), us });
  }
  return { summary, stacks };
}

/** Every function's self and total time, most self time first. */
export function functionTimes(profile: FoldedProfile): FunctionTime[] {
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  for (const { frames, us } of profile.stacks) {
    const leaf = frames[frames.length - 1]!;
    self.set(leaf, (self.get(leaf) ?? 0) + us);
    for (const frame of new Set(frames)) total.set(frame, (total.get(frame) ?? 0) + us);
  }
  return [...total].map(([frame, totalUs]) => ({ frame, selfUs: self.get(frame) ?? 0, totalUs }))
    .sort((a, b) => b.selfUs - a.selfUs || b.totalUs - a.totalUs);
}

/** A text table of the `top` functions by self time and by total time. */
export function report(profile: FoldedProfile, top = 30): string {
  const times = functionTimes(profile);
  const sampled = profile.stacks.reduce((sum, stack) => sum + stack.us, 0);
  const percent = (us: number): string => `${((100 * us) / Math.max(1, sampled)).toFixed(1).padStart(5)} %`;
  const rows = (list: readonly FunctionTime[], key: "selfUs" | "totalUs"): string[] =>
    list.slice(0, top).map((entry) => `${percent(entry[key])} ${String(entry[key]).padStart(10)} µs  ${entry.frame}`);
  const idle = profile.summary.idle_us ?? 0;
  return [
    `sampled ${(sampled / 1000).toFixed(1)} ms of JS in ${profile.stacks.length} stacks; asleep in wait ${(idle / 1000).toFixed(1)} ms` +
      ` (busy ${((100 * sampled) / Math.max(1, sampled + idle)).toFixed(1)} %); ${profile.summary.dropped ?? 0} samples dropped`,
    "", "self time:", ...rows(times, "selfUs"),
    "", "total time:", ...rows([...times].sort((a, b) => b.totalUs - a.totalUs), "totalUs"),
  ].join("\n");
}
