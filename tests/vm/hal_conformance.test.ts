/** The HAL conformance checks (kernel-ts/hal/conformance.ts) pass on the native HAL, in the VM. */
import test from "ava";
import { bootSkiff, machines } from "../helpers/vm.ts";

for (const machine of machines) {
  test(`${machine}: selftest=hal passes every check`, async (t) => {
    const vm = await bootSkiff(t, { machine, cmdline: "selftest=hal" });
    const summary = vm.text.find((line) => /^hal-conformance: \d+ passed, \d+ failed$/.test(line));
    t.truthy(summary, vm.output);
    t.regex(summary ?? "", / 0 failed$/, vm.text.filter((line) => line.includes("FAIL")).join("\n"));
    t.true(vm.text.filter((line) => line.startsWith("hal-conformance: ok ")).length > 0);
    t.is(vm.code, 0);
  });
}
