/**
 * run_apps: every app of the boot, side by side on the kernel's one event loop, each in its
 * own context (app_life.ts), and the status the machine powers off with.
 *
 * The command line's `app=a,b,c` names them (cmdline.ts). They start in that order, each
 * as soon as it has loaded; one that fails is reported, restarted or not as its manifest
 * says, and the others go on. The loop runs, as Node's does, until nothing is left that
 * could wake it — or until every app has ended and one of them failed: a failed app's
 * timers are gone, but the kernel's (the network's) would keep the loop turning forever.
 * Whenever the loop runs empty while an app is still loading or in main(), that app can
 * never go on, and it fails ("main() never settled").
 *
 * Status: that of the first app to fail for good, else the largest an app returned (the
 * app's own status, when there is one app).
 */

import { appLife, type AppEnd, type AppLaunch, type AppRun, type LoopEmpty } from "./app_life.ts";

/** A LoopEmpty that run_apps fires each time scheduler.run() returns with apps still pending. */
class LoopEmptySignal implements LoopEmpty {
  #fire: () => void = () => {};
  #next = this.#arm();

  wait(): Promise<void> {
    return this.#next;
  }

  fire(): void {
    const fire = this.#fire;
    this.#next = this.#arm();
    fire();
  }

  #arm(): Promise<void> {
    return new Promise<void>((resolve) => { this.#fire = resolve; });
  }
}

export async function runApps(run: AppRun, launches: readonly AppLaunch[]): Promise<number> {
  const { scheduler, timeline, console } = run;
  const loopEmpty = new LoopEmptySignal();
  const ends: AppEnd[] = [];
  let firstFailure: AppEnd | undefined;
  let started = false;
  const onStart = (): void => {
    if (started) return;
    started = true;
    timeline.mark("app-start");
    console.log(timeline.line());
  };
  for (const launch of launches) {
    void appLife(run, launch, loopEmpty, onStart).then((end) => {
      ends.push(end);
      if (end.outcome !== "exited" && firstFailure === undefined) firstFailure = end;
      if (ends.length === launches.length && firstFailure !== undefined) scheduler.stop();
    });
  }
  for (;;) {
    await scheduler.run();
    if (ends.length === launches.length) break;
    loopEmpty.fire(); // the apps still pending can never settle: their lives go on to fail
  }
  // An app whose main() returned lives on in its timers and sockets until the loop ends.
  ends.sort((a, b) => launches.findIndex((l) => l.name === a.name) - launches.findIndex((l) => l.name === b.name));
  for (const end of ends) if (end.outcome === "exited") console.log(`skiff: app ${end.name} exited with status ${end.status}`);
  if (firstFailure !== undefined) return firstFailure.status;
  return Math.max(0, ...ends.map((end) => end.status));
}
