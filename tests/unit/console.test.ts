import test from "ava";
import { createConsole, decodeUtf8, encodeUtf8, format, inspect } from "../../kernel-ts/console/mod.ts";

const bytes = (...values: number[]) => new Uint8Array(values);

test("UTF-8: ASCII, 2-, 3- and 4-byte sequences", (t) => {
  t.deepEqual(encodeUtf8("A"), bytes(0x41));
  t.deepEqual(encodeUtf8("é"), bytes(0xc3, 0xa9));
  t.deepEqual(encodeUtf8("€"), bytes(0xe2, 0x82, 0xac));
  t.deepEqual(encodeUtf8("😀"), bytes(0xf0, 0x9f, 0x98, 0x80)); // U+1F600, a surrogate pair
  t.deepEqual(encodeUtf8("\u{10FFFF}"), bytes(0xf4, 0x8f, 0xbf, 0xbf));
  t.deepEqual(encodeUtf8(""), bytes());
});

test("UTF-8: lone surrogates become U+FFFD", (t) => {
  const fffd = [0xef, 0xbf, 0xbd];
  t.deepEqual(encodeUtf8("\ud83d"), bytes(...fffd));
  t.deepEqual(encodeUtf8("\ude00x"), bytes(...fffd, 0x78));
  t.deepEqual(encodeUtf8("a\ud83d\ud83d\ude00"), bytes(0x61, ...fffd, 0xf0, 0x9f, 0x98, 0x80));
});

test("UTF-8: agrees with Node's encoder on a mixed string", (t) => {
  const text = "Skiff ⛵ — ünïcödé 𝄞 \ud800 end";
  t.deepEqual(encodeUtf8(text), new Uint8Array(Buffer.from(text, "utf8")));
  t.is(decodeUtf8(encodeUtf8(text)), text.replace("\ud800", "\ufffd"));
});

test("UTF-8 decoding replaces ill-formed sequences", (t) => {
  t.is(decodeUtf8(bytes(0x61, 0xff, 0x62)), "a\ufffdb");
  t.is(decodeUtf8(bytes(0xe2, 0x82)), "\ufffd");
  t.is(decodeUtf8(bytes(0xc0, 0xaf)), "\ufffd\ufffd"); // overlong
  t.is(decodeUtf8(bytes(0xed, 0xa0, 0x80)), "\ufffd\ufffd\ufffd"); // encoded surrogate
});

test("format: strings as they are, other values inspected, joined by spaces", (t) => {
  t.is(format(["hello", "world"]), "hello world");
  t.is(format([1, -0, 2n, true, null, undefined, Symbol("s")]), "1 -0 2n true null undefined Symbol(s)");
  t.is(format(["n:", 42]), "n: 42");
  t.is(format([]), "");
});

test("format: printf-style directives", (t) => {
  t.is(format(["%s=%d", "x", 42]), "x=42");
  t.is(format(["%i %f", 3.9, "2.5"]), "3 2.5");
  t.is(format(["%j", { a: [1] }]), '{"a":[1]}');
  t.is(format(["%o and %O", [1], { b: 2 }]), "[ 1 ] and { b: 2 }");
  t.is(format(["100%% %s"]), "100% %s");
  t.is(format(["%s", "a", "extra", 3]), "a extra 3");
  t.is(format(["%c styled", "color: red"]), " styled");
});

test("inspect: objects, arrays, nesting, and depth", (t) => {
  t.is(inspect({ a: 1, b: "two", "c-d": [1, 2] }), "{ a: 1, b: 'two', 'c-d': [ 1, 2 ] }");
  t.is(inspect([]), "[]");
  t.is(inspect({}), "{}");
  t.is(inspect({ a: { b: { c: { d: 1 } } } }), "{ a: { b: { c: [Object] } } }");
  t.is(inspect(new Map([["k", 1]])), "Map(1) { 'k' => 1 }");
  t.is(inspect(new Set([1])), "Set(1) { 1 }");
  t.is(inspect(new Uint8Array([1, 2])), "Uint8Array(2) [ 1, 2 ]");
  t.is(inspect(function named() {}), "[Function: named]");
  t.is(inspect(() => {}), "[Function (anonymous)]");
  t.is(inspect(class Thing {}), "[class Thing]");
  t.is(inspect(new (class Point { x = 1; })()), "Point { x: 1 }");
  t.is(inspect(Object.create(null)), "[Object: null prototype] {}");
  t.is(inspect(new Date(0)), "1970-01-01T00:00:00.000Z");
  t.is(inspect({ get g() { return 1; } }), "{ g: [Getter] }");
  t.is(inspect("it's"), "it's");
  t.is(inspect({ s: "it's" }), "{ s: 'it\\'s' }");
});

test("inspect: cycles are shown, not followed", (t) => {
  const cyclic: Record<string, unknown> = { name: "loop" };
  cyclic["self"] = cyclic;
  t.is(inspect(cyclic), "{ name: 'loop', self: [Circular] }");
  const list: unknown[] = [1];
  list.push(list);
  t.is(inspect(list), "[ 1, [Circular] ]");
});

test("inspect: long arrays are cut", (t) => {
  t.regex(inspect(Array.from({ length: 150 }, (_, i) => i)), /, 99, \.\.\. 50 more items \]$/);
});

test("inspect never throws, even for a hostile Proxy", (t) => {
  const hostile = new Proxy({}, { ownKeys() { throw new Error("no"); } });
  t.is(inspect(hostile), "[Inspection threw]");
});

test("errors print with their stack; nested errors briefly", (t) => {
  const error = new Error("broken");
  const printed = format([error]);
  t.true(printed.startsWith("Error: broken\n"), printed);
  t.regex(printed, /\n\s+at /);
  t.is(format([{ cause: error }]), "{ cause: [Error: broken] }");
});

test("a QuickJS-style stack without a header gets one", (t) => {
  const error = new TypeError("bad");
  Object.defineProperty(error, "stack", { value: "    at f (kernel.js:1)\n" });
  t.is(format([error]), "TypeError: bad\n    at f (kernel.js:1)");
});

test("console methods write one UTF-8 line per call through the sink", (t) => {
  const writes: Uint8Array[] = [];
  const console = createConsole((chunk) => writes.push(chunk));
  console.log("héllo", 1);
  console.error("%s!", "oops");
  console.warn();
  console.assert(true, "not printed");
  console.assert(false, "printed %d", 5);
  console.dir("s");
  const lines = writes.map((chunk) => decodeUtf8(chunk));
  t.deepEqual(lines, ["héllo 1\n", "oops!\n", "\n", "Assertion failed: printed 5\n", "'s'\n"]);
  t.deepEqual(writes[0], new Uint8Array(Buffer.from("héllo 1\n")));
});

test("console.trace prints the call site's frames", (t) => {
  const writes: string[] = [];
  const console = createConsole((chunk) => writes.push(decodeUtf8(chunk)));
  (function callerOfTrace() { console.trace("here", 1); })();
  t.regex(writes[0] ?? "", /^Trace: here 1\n\s+at .*callerOfTrace/);
});
