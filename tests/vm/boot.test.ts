/**
 * The image boots on q35 and microvm under TCG, runs hello, prints the boot timeline, and the
 * app's exit status comes out as qemu's exit status (via isa-debug-exit).
 */
import test from "ava";
import { bootSkiff, lineIndex, machines } from "../helpers/vm.ts";

for (const machine of machines) {
  test(`${machine}: boots and runs hello, status 0`, async (t) => {
    const vm = await bootSkiff(t, { machine });
    t.is(vm.code, 0, vm.output);
    const timeline = lineIndex(vm.text, /^skiff: boot timeline pvh-entry=0\.000ms .*app-start=[0-9.]+ms$/);
    const hello = lineIndex(vm.text, /^Hello from Skiff!$/);
    t.true(timeline >= 0, "no boot timeline line");
    t.true(hello > timeline, "Hello line missing or before the timeline");
    t.true(vm.text.includes("skiff: app hello exited with status 0"));
  });

  test(`${machine}: test-exit's status 7 becomes the exit code`, async (t) => {
    const vm = await bootSkiff(t, { machine, app: "test-exit", cmdline: "env.code=7" });
    t.true(vm.text.includes("skiff: app test-exit exited with status 7"), vm.output);
    t.is(vm.code, 7);
    t.is(vm.status, 2 * 7 + 3, "qemu's status is 2*code+3");
  });

  test(`${machine}: an unknown app is reported, status 1`, async (t) => {
    const vm = await bootSkiff(t, { machine, app: "no-such-app" });
    t.true(vm.text.includes("skiff: app no-such-app not found"), vm.output);
    t.is(vm.code, 1);
  });
}
