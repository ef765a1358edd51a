/**
 * boot_timeline: the platform's boot stages plus the kernel's own marks, and the one line
 * host tools and the benchmark parse:
 *
 *   skiff: boot timeline pvh-entry=0.000ms c-main=0.412ms … kernel-ready=4.100ms app-start=4.300ms
 *
 * Times are milliseconds with 3 decimals relative to the first platform mark, or to the
 * kernel's first monotonicNs() reading when the platform gives none.
 */

import type { BootMark, Platform } from "./hal/platform.ts";

export class BootTimeline {
  readonly #platform: Platform;
  readonly #originNs: number;
  readonly #marks: BootMark[];

  /** `kernelOriginNs` is the kernel's first reading of platform.monotonicNs(). */
  constructor(platform: Platform, kernelOriginNs: number) {
    this.#platform = platform;
    this.#marks = [...platform.bootTimeline()];
    this.#originNs = this.#marks[0]?.ns ?? kernelOriginNs;
  }

  mark(label: string): void {
    this.#marks.push({ label, ns: this.#platform.monotonicNs() });
  }

  marks(): readonly BootMark[] {
    return this.#marks;
  }

  line(): string {
    const stages = this.#marks.map((mark) => `${mark.label}=${((mark.ns - this.#originNs) / 1e6).toFixed(3)}ms`);
    return `skiff: boot timeline ${stages.join(" ")}`;
  }
}
