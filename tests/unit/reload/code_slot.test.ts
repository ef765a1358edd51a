/**
 * CodeSlot (kernel-ts/reload/code_slot.ts): a kernel module's new code is installed only with
 * every function the bundled version has; a version with state hands it over through
 * dispose() and start(state) as plain data; a refused handover leaves the old code current
 * with its state given back.
 */
import test from "ava";
import { CodeSlot } from "../../../kernel-ts/reload/code_slot.ts";

/** A module version counting its calls; its count is its state. */
function version(tag: string, options: { startThrows?: boolean; notData?: boolean } = {}) {
  let count = 0;
  const log: string[] = [];
  return {
    log,
    code: {
      serve: () => `${tag} ${++count}`,
      dispose: () => (options.notData ? { count, f() {} } : { count }),
      start: (state?: { count: number }) => {
        log.push(`start ${JSON.stringify(state)}`);
        if (options.startThrows) throw new Error(`${tag} cannot start`);
        if (state !== undefined) count = state.count;
      },
    },
  };
}

test("the new code takes the state over and serves from then on", (t) => {
  const first = version("v1");
  const slot = new CodeSlot("test", first.code);
  slot.current.serve();
  slot.current.serve();
  const second = version("v2");
  slot.install(second.code);
  t.deepEqual(second.log, ["start {\"count\":2}"]);
  t.is(slot.current.serve(), "v2 3");
});

test("a start() that throws, or state that is not data, leaves the old code current with its state", (t) => {
  const first = version("v1");
  const slot = new CodeSlot("test", first.code);
  slot.current.serve();
  t.throws(() => slot.install(version("v2", { startThrows: true }).code), { message: "v2 cannot start" });
  t.is(slot.current.serve(), "v1 2");
  t.deepEqual(first.log, ["start {\"count\":1}"], "the old code got its state back");
  const keeper = version("k", { notData: true });
  const other = new CodeSlot("test", keeper.code);
  t.throws(() => other.install(version("v2").code), { message: /^Cannot reload the test module: dispose\(\) returned state that is not plain data/ });
  t.is(other.current.serve(), "k 1");
});

test("a version without state, and one lacking a function the bundled one has", (t) => {
  const slot = new CodeSlot<{ serveNext(): number }>("HTTP", { serveNext: () => 1 });
  slot.install({ serveNext: () => 2 });
  t.is(slot.current.serveNext(), 2);
  t.throws(() => slot.install({ other: () => 3 }), { message: "Cannot reload the HTTP module: its default export lacks serveNext()" });
  t.throws(() => slot.install(null), { instanceOf: TypeError });
  t.is(slot.current.serveNext(), 2);
});
