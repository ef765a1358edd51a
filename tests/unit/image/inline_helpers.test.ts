import test from "ava";
import { build } from "esbuild";
import { InlineError, inlineHelpers } from "../../../host/build/inline.ts";

// Helpers and callers as esbuild prints a bundle (the real ones come from kernel-ts/net/).
const HELPERS = `function seqAdd(a, n) {
  return a + n >>> 0;
}
function seqDiff(b, a) {
  return b - a | 0;
}
function seqLt(a, b) {
  return (a - b | 0) < 0;
}
function readU16(bytes, at) {
  return bytes[at] << 8 | bytes[at + 1];
}
function ringFree(ring) {
  return ring.limit - ring.length;
}
function receiveSpace(tcb) {
  return ringFree(tcb.receiveBuffer);
}
`;
const NAMES = ["seqAdd", "seqDiff", "seqLt", "readU16", "ringFree", "receiveSpace"];

function run(code: string, body: string, ...args: unknown[]): unknown {
  return new Function(`${code}\nreturn (${body})(...arguments);`)(...args);
}

test("pure calls are written out, innermost first, and compute what the calls did", (t) => {
  const callers = `${HELPERS}function window(tcb, seg, bytes) {
  const ahead = seqDiff(seqAdd(seg.seq, seg.length), tcb.rcvNxt);
  const late = seqLt(seg.seq + 1, tcb.rcvNxt) ? 1 : 0;
  return [ahead, late, receiveSpace(tcb), readU16(bytes, seg.at), readU16(bytes, seg.at + 2)];
}
`;
  const { code } = inlineHelpers(callers, NAMES);
  const windowFn = code.slice(code.indexOf("function window"));
  t.false(/seqDiff\(|seqAdd\(|seqLt\(|receiveSpace\(|ringFree\(/.test(windowFn), windowFn);
  t.true(windowFn.includes("((bytes)[(seg.at)] << 8 | (bytes)[(seg.at) + 1])"), windowFn);
  // \`at\` is read twice in readU16's body: \`seg.at + 2\` is computed twice, which costs less than the call.
  t.true(windowFn.includes("((bytes)[(seg.at + 2)] << 8 | (bytes)[(seg.at + 2) + 1])"), windowFn);
  const bytes = Uint8Array.from({ length: 64 }, (_, i) => (i * 37 + 11) & 0xff);
  for (const seq of [0, 1, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff]) {
    for (const rcvNxt of [0, 5, 0xfffffff0, 0x80000001]) {
      const tcb = { rcvNxt, receiveBuffer: { limit: 65535, length: seq & 0xfff } };
      const seg = { seq, length: (seq >>> 3) & 0xffff, at: seq & 31 };
      t.deepEqual(run(code, "window", tcb, seg, bytes), run(callers, "window", tcb, seg, bytes), `seq ${seq} rcvNxt ${rcvNxt}`);
    }
  }
});

test("an argument that names another of the helper's parameters is not replaced again", (t) => {
  // esbuild's own renaming: the helper's parameters b2, a2 and a sort callback's a2, b2.
  const renamed = `function seqDiff(b2, a2) {
  return b2 - a2 | 0;
}
function order(list) {
  return list.sort((a2, b2) => seqDiff(a2.left, b2.left)).map((r) => r.left);
}
`;
  const { code } = inlineHelpers(renamed, ["seqDiff"]);
  t.true(code.includes("list.sort((a2, b2) => ((a2.left) - (b2.left) | 0))"), code);
  const list = [{ left: 5 }, { left: 0xfffffff0 }, { left: 2 }, { left: 7 }];
  t.deepEqual(run(code, "order", list.map((r) => ({ ...r }))), run(renamed, "order", list.map((r) => ({ ...r }))));
});

test("an enum value's comment in an argument is dropped; a division or a regexp keeps the call", (t) => {
  const callers = `${HELPERS}function f(bytes, at) {
  return [readU16(bytes, 12 /* ETHERTYPE */), readU16(bytes, at + 6 /* FLG_OFF */), readU16(bytes, at / 2), seqAdd(at, /x/.source.length)];
}
`;
  const { code } = inlineHelpers(callers, NAMES);
  const f = code.slice(code.indexOf("function f("));
  t.true(f.includes("((bytes)[(12)] << 8 | (bytes)[(12) + 1])"), f);
  t.true(f.includes("((bytes)[(at + 6)] << 8 | (bytes)[(at + 6) + 1])"), f);
  t.true(f.includes("readU16(bytes, at / 2), seqAdd(at, /x/.source.length)"), f);
  const bytes = Uint8Array.from({ length: 32 }, (_, i) => (i * 29 + 3) & 0xff);
  t.deepEqual(run(code, "f", bytes, 4), run(callers, "f", bytes, 4));
});

test("a call with an impure argument stays a call", (t) => {
  const callers = `${HELPERS}function f(state, list, i) {
  const a = seqAdd(list.shift(), 1);
  const b = seqDiff(i++, 0);
  const c = seqLt("1", i);
  const d = seqAdd(i = 2, 3);
  const e = seqAdd(i <<= 1, 3);
  const g = seqAdd(i >>>= 1, state?.(1));
  return [a, b, c, d, e, g, readU16(list, (() => 0)())];
}
`;
  const { code } = inlineHelpers(callers, NAMES);
  const f = (text: string): string => text.slice(text.indexOf("function f("));
  t.is(f(code), f(callers));
});

test("an argument the body reads twice is written out only when reading it is free of effect and cheap", (t) => {
  const twice = `function isOpen(state) {
  return state !== 1 && state !== 2;
}
function f(conn, n) {
  return [isOpen(conn.state), isOpen(n + 1), isOpen((conn.base) + n - 2), isOpen(n * 2), isOpen(n + n + n + 1), isOpen(-n)];
}
`;
  const { code } = inlineHelpers(twice, ["isOpen"]);
  t.true(code.includes("((conn.state) !== 1 && (conn.state) !== 2)"), code);
  t.true(code.includes("((n + 1) !== 1 && (n + 1) !== 2)"), code);
  t.true(code.includes("(((conn.base) + n - 2) !== 1 && ((conn.base) + n - 2) !== 2)"), code);
  // A product, more than three terms, a unary minus: each stays a call.
  t.true(code.includes("isOpen(n * 2), isOpen(n + n + n + 1), isOpen(-n)"), code);
});

test("a helper that is not one return expression, reads a name other than its parameters, or is missing, stops the build with its name", (t) => {
  const twoStatements = `function addSums(a, b) {
  const sum = a + b;
  return (sum & 65535) + (sum >>> 16);
}
`;
  t.throws(() => inlineHelpers(twoStatements, ["addSums"]), { instanceOf: InlineError, message: /Cannot inline addSums: its body in the bundle is not one `return EXPR;`/ });
  t.throws(() => inlineHelpers(HELPERS, ["seqGone"]), { instanceOf: InlineError, message: /Cannot inline seqGone: the bundle has no top-level function/ });
  const readsAGlobal = `function isClosed(state) {
  return state === TcpState.Closed;
}
`;
  t.throws(() => inlineHelpers(readsAGlobal, ["isClosed"]), { instanceOf: InlineError, message: /Cannot inline isClosed: its body reads TcpState, which a local variable at a call site could hide/ });
});

test("the kernel's own helpers are found in a bundle of their sources", async (t) => {
  const result = await build({
    stdin: {
      contents: `
        import { seqAdd, seqDiff, seqLt, seqLe, seqGt, seqGe } from "./kernel-ts/net/tcp/seq.ts";
        import { readU16, readU32 } from "./kernel-ts/net/wire/bytes.ts";
        export const used = [seqAdd, seqDiff, seqLt, seqLe, seqGt, seqGe, readU16, readU32];
        export function probe(a, b, bytes) { return [seqLt(seqAdd(a, 1), b), seqGe(a, b), readU32(bytes, 0)]; }`,
      resolveDir: process.cwd(),
      loader: "ts",
    },
    bundle: true, format: "esm", platform: "neutral", target: "es2023", write: false,
  });
  const bundle = result.outputFiles[0]!.text;
  const { code, inlined } = inlineHelpers(bundle, ["seqAdd", "seqDiff", "seqLt", "seqLe", "seqGt", "seqGe", "readU16", "readU32"]);
  t.is(inlined, 4);
  t.false(/function probe[^]*(?:seqLt|seqAdd|seqGe|readU32)\(/.test(code), code);
});
