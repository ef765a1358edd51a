/**
 * One VM serving an HTTP app for a whole test file: a private network (netns.ts), the app
 * booted on its tap with a static address — from its image when asked (`skiff build APP`
 * first, then qemu -initrd) — and the wait for its "serving http://…" line. ava allows no
 * t.teardown() in hooks, so the network and the VM are undone in test.after.always.
 * Clients must not block the event loop while the VM runs (PrivateNetwork.execAsync).
 *
 *   const app = httpAppVm("static", { fromImage: true });
 *   test("…", async (t) => { await app.network.execAsync(["curl", `${app.base}/`]); });
 */
import test, { type ExecutionContext } from "ava";
import { spawnSync } from "node:child_process";
import path from "node:path";
import { paths } from "../../host/launch/paths.ts";
import { createPrivateNetwork, type PrivateNetwork } from "./netns.ts";
import { startSkiff } from "./vm.ts";

export interface HttpAppVm {
  /** Set once the before hook ran. */
  readonly network: PrivateNetwork;
  /** "http://GUEST:8080" */
  readonly base: string;
  /** The VM's console so far, for failure messages. */
  output(): string;
}

export function httpAppVm(app: string, options: { fromImage?: boolean } = {}): HttpAppVm {
  const cleanups: Array<() => void | Promise<void>> = [];
  const hookContext = {
    teardown: (fn: () => void | Promise<void>) => { cleanups.push(fn); },
    log: (...values: unknown[]) => { if (process.env.SKIFF_TEST_LOG) console.error(...values); },
  } as unknown as ExecutionContext;
  const state: { network?: PrivateNetwork; base: string; output: () => string } = { base: "", output: () => "" };

  test.after.always(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  test.before(async () => {
    if (options.fromImage) {
      const built = spawnSync(process.execPath, ["--import", "tsx", "host/bin/skiff.ts", "build", app], { cwd: paths.repoRoot, encoding: "utf8", timeout: 120_000 });
      if (built.status !== 0) throw new Error(`skiff build ${app} failed:\n${built.stdout}${built.stderr}`);
    }
    const network = await createPrivateNetwork(hookContext);
    const vm = startSkiff(hookContext, {
      machine: "q35", app, ...(options.fromImage ? { initrd: path.join(paths.appImagesDir, `${app}.img`) } : {}),
      cmdline: `ip=${network.guestAddress}/30,gw=${network.hostAddress}`, devices: [network.device], netns: network.namespace, timeoutMs: 600_000,
    });
    state.network = network;
    state.output = () => vm.output();
    await vm.waitForLine(new RegExp(`^skiff: app ${app} serving http://[\\d.]+:8080/$`), 120_000);
    state.base = `http://${network.guestAddress}:8080`;
  });

  return {
    get network() {
      if (state.network === undefined) throw new Error(`the ${app} VM is not up (its before hook failed or has not run)`);
      return state.network;
    },
    get base() { return state.base; },
    output: () => state.output(),
  };
}
