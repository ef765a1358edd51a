/**
 * Failures end the VM with the right report and status, on q35 and microvm: a kernel panic
 * (JS stack, 100), an app that throws (reported with its frames, 1), an app that runs out of
 * memory (reported, 1; no hang, no triple fault), and CPU exceptions raised by the shim on
 * purpose (register dump, 101).
 */
import test from "ava";
import { bootSkiff, lineIndex, machines } from "../helpers/vm.ts";

for (const machine of machines) {
  test(`${machine}: selftest=kernel-throw panics with a JS stack, status 100`, async (t) => {
    const vm = await bootSkiff(t, { machine, cmdline: "selftest=kernel-throw" });
    const panic = lineIndex(vm.text, /^skiff: KERNEL PANIC: /);
    t.true(panic >= 0, vm.output);
    t.regex(vm.text[panic + 1] ?? "", /^\s+at \S+/, "no stack frame after the panic line");
    t.is(vm.code, 100);
  });

  test(`${machine}: test-throw is reported with its frames, status 1`, async (t) => {
    const vm = await bootSkiff(t, { machine, app: "test-throw" });
    const failed = lineIndex(vm.text, /^skiff: app test-throw failed: Error: test-throw: out of widgets on purpose$/);
    t.true(failed >= 0, vm.output);
    t.regex(vm.text[failed + 1] ?? "", /^\s+at checkStock /);
    t.regex(vm.text[failed + 2] ?? "", /^\s+at placeOrder /);
    t.is(vm.code, 1);
  });

  test(`${machine}: test-oom gets an out-of-memory error, status 1`, async (t) => {
    // Filling the heap takes longer than the 100 ms CPU budget: lift it, this test is about memory.
    const vm = await bootSkiff(t, { machine, app: "test-oom", cmdline: "cpubudget=600000", timeoutMs: 120_000 });
    t.true(lineIndex(vm.text, /^skiff: app test-oom failed: .*out of memory/i) >= 0, vm.output);
    t.is(lineIndex(vm.text, /CPU EXCEPTION|KERNEL PANIC/), -1, vm.output);
    t.is(vm.code, 1);
  });

  for (const crash of ["ud2", "pf"] as const) {
    test(`${machine}: crash=${crash} prints the register dump and a backtrace, status 101`, async (t) => {
      const vm = await bootSkiff(t, { machine, cmdline: `crash=${crash}` });
      const vector = crash === "ud2" ? "6 \\(#UD\\)" : "14 \\(#PF\\)";
      const exception = lineIndex(vm.text, new RegExp(`^skiff: CPU EXCEPTION ${vector} error=0x[0-9a-f]+ rip=0x[0-9a-f]+ cr2=0x[0-9a-f]+$`));
      t.true(exception >= 0, vm.output);
      t.regex(vm.text[exception + 1] ?? "", /^rax=0x[0-9a-f]{16} rbx=0x[0-9a-f]{16}/);
      t.true(lineIndex(vm.text, /^skiff: backtrace \(frame pointers; addr2line -f -i -e build\/skiff\.sym\.elf\):( 0x[0-9a-f]+)+ \(\d+ frames\)$/) >= 0, vm.output);
      t.is(lineIndex(vm.text, /Hello from Skiff!/), -1, "the app ran after the exception");
      t.is(vm.code, 101);
    });
  }

  test(`${machine}: crash=stack runs into the stack's guard page, says so, and the backtrace shows the recursion, status 101`, async (t) => {
    const vm = await bootSkiff(t, { machine, cmdline: "crash=stack" });
    t.true(lineIndex(vm.text, /^skiff: CPU EXCEPTION 14 \(#PF\) error=0x[0-9a-f]+ rip=/) >= 0, vm.output);
    t.true(lineIndex(vm.text, /^skiff: the fault address is the kernel stack's guard page: stack overflow$/) >= 0, vm.output);
    // The recursion shows in the backtrace: one return address again and again, far more frames than shown.
    const backtrace = vm.text.find((line) => line.startsWith("skiff: backtrace")) ?? "";
    const match = /: ((?:0x[0-9a-f]+ ?)+) \.\.\. (\d+) frames in all$/.exec(backtrace);
    t.truthy(match, vm.output);
    const addresses = match![1]!.trim().split(" ");
    t.is(addresses.length, 24);
    t.true(addresses.slice(1).every((address) => address === addresses[1]), backtrace);
    t.true(Number(match![2]) > 1000, backtrace);
    t.is(vm.code, 101);
  });
}
