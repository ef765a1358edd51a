/**
 * Apps in contexts of their own, several per machine (issue 5, "Loader"), under qemu TCG:
 * test-contexts checks from inside what its context is (its own globalThis, the app API,
 * the kernel's intrinsics, no skiff:hal, Function() and eval bound to its own global), once
 * beside a second app running the same checks, once beside an app that fails.
 */
import test from "ava";
import { bootSkiff, lineIndex } from "../helpers/vm.ts";

const CHECKS = 13;

function okLines(text: readonly string[], name: string): number {
  return text.filter((line) => line.startsWith(`test-contexts ${name}: ok `)).length;
}

test("two apps in one machine: each passes every context check in its own globalThis", async (t) => {
  const vm = await bootSkiff(t, { machine: "q35", app: "test-contexts,test-contexts-b", cmdline: "env.NAME=a test-contexts-b.env.NAME=b" });
  t.is(lineIndex(vm.text, /: FAIL /), -1, vm.output);
  t.is(okLines(vm.text, "a"), CHECKS, vm.output);
  t.is(okLines(vm.text, "b"), CHECKS, vm.output);
  t.true(lineIndex(vm.text, /^skiff: app test-contexts exited with status 0$/) >= 0, vm.output);
  t.true(lineIndex(vm.text, /^skiff: app test-contexts-b exited with status 0$/) >= 0, vm.output);
  t.is(vm.code, 0);
});

test("an app that throws is reported with its frames; the app beside it runs to its end; status 1", async (t) => {
  const vm = await bootSkiff(t, { machine: "q35", app: "test-throw,test-contexts", cmdline: "env.NAME=a" });
  const failed = lineIndex(vm.text, /^skiff: app test-throw failed: Error: test-throw: out of widgets on purpose$/);
  t.true(failed >= 0, vm.output);
  t.regex(vm.text[failed + 1] ?? "", /^\s+at checkStock /);
  t.true(lineIndex(vm.text, /^test-contexts a: done 0 failed$/) > failed, vm.output);
  t.true(lineIndex(vm.text, /^skiff: app test-contexts exited with status 0$/) >= 0, vm.output);
  t.is(vm.code, 1);
});
