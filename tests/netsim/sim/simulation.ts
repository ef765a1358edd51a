/**
 * simulation: two SimNodes on one /24 joined by a SimWire, and the driver loop. Time is
 * virtual and moves only here: each turn delivers the frames due, polls both stacks until
 * they settle, lets the applications act (`tick`), then jumps to the earliest of the
 * wire's next arrival and both stacks' pollAt — so a run takes as long in real time as
 * its events need, whatever its virtual duration, and replays exactly from its seed.
 */

import { SimNode } from "./node.ts";
import { deriveSeed, seededRandom } from "./random.ts";
import { type LinkModel, SimWire } from "./wire.ts";
import type { TcpStackOptions } from "../../../kernel-ts/net/tcp/mod.ts";

export const ADDRESS_A = 0x0a000001; // 10.0.0.1/24
export const ADDRESS_B = 0x0a000002; // 10.0.0.2/24

export interface SimulationConfig {
  readonly seed: number;
  /** Both directions, or [A→B, B→A]. */
  readonly link: LinkModel | readonly [LinkModel, LinkModel];
  readonly tcp?: Partial<Omit<TcpStackOptions, "checksum" | "randomFill">>;
}

export interface RunLimits {
  /** Give up (throw) past this virtual time, ms. */
  readonly maxVirtualMs: number;
}

export class Simulation {
  now = 0;
  turns = 0;
  readonly a: SimNode;
  readonly b: SimNode;
  readonly wire: SimWire;

  constructor(readonly config: SimulationConfig) {
    const [aToB, bToA] = Array.isArray(config.link) ? config.link as readonly [LinkModel, LinkModel] : [config.link as LinkModel, config.link as LinkModel];
    const tcp = config.tcp ?? {};
    this.a = new SimNode({ name: "A", mac: "52:54:00:00:00:01", address: ADDRESS_A, prefixLength: 24, seed: deriveSeed(config.seed, 1), tcp });
    this.b = new SimNode({ name: "B", mac: "52:54:00:00:00:02", address: ADDRESS_B, prefixLength: 24, seed: deriveSeed(config.seed, 2), tcp });
    this.wire = new SimWire(this.a.device, this.b.device, aToB, bToA, seededRandom(deriveSeed(config.seed, 3)));
    this.a.device.plug(this.wire, 0);
    this.b.device.plug(this.wire, 1);
  }

  /**
   * Runs turns until `tick` (the applications, called once per turn after both stacks
   * settled) returns true. Throws if the virtual clock passes the limit, or if nothing is
   * scheduled and tick is not done (a deadlock: both stacks idle with work unfinished).
   */
  run(tick: (now: number) => boolean, limits: RunLimits): void {
    let turnsAtThisTime = 0;
    for (;;) {
      this.turns += 1;
      this.wire.deliver(this.now);
      this.a.poll(this.now);
      this.b.poll(this.now);
      if (tick(this.now)) return;
      const next = Math.min(this.a.pollAt(this.now), this.b.pollAt(this.now), this.wire.nextAt);
      if (next === Infinity) throw new Error(`Deadlock at t=${this.now.toFixed(3)} ms: no frame in flight, no timer, and the run is not done`);
      if (next <= this.now) {
        if (++turnsAtThisTime > 10_000) throw new Error(`Livelock at t=${this.now.toFixed(3)} ms: the stacks keep asking for a poll now`);
      } else {
        turnsAtThisTime = 0;
        this.now = next;
      }
      if (this.now > limits.maxVirtualMs) throw new Error(`Gave up at t=${this.now.toFixed(0)} ms: past the ${limits.maxVirtualMs} ms limit`);
    }
  }
}
