// TextEncoder / TextDecoder against Node's own, on valid text and on a corpus of invalid
// and truncated UTF-8 (the Encoding Standard's replacement rules), streaming included.
import test from "ava";
import { useAsciiCodec } from "../../../kernel-ts/ascii.ts";
import * as hal from "../../../kernel-ts/hal/ascii.ts";
import { TextDecoder, TextEncoder } from "../../../kernel-ts/web/mod.ts";

const NodeDecoder = globalThis.TextDecoder;
const NodeEncoder = globalThis.TextEncoder;

const TEXTS = ["", "hello", "Skiff ⛵ — ünïcödé 𝄞", "\ud800", "a\udc00b", "\ud83d\ude00\ud83d", "\u0000\u007f\u0080\u07ff\u0800\uffff", "\ufeffBOM"];

const INVALID: number[][] = [
  [0xff], [0xfe, 0xfe], [0x80], [0xbf, 0x80], [0xc0, 0xaf], [0xc1, 0xbf], [0xc2], [0xc2, 0x41], [0xe0, 0x80, 0x80],
  [0xe0, 0xa0], [0xe2, 0x82], [0xe2, 0x82, 0x41], [0xed, 0xa0, 0x80], [0xed, 0x9f, 0xbf], [0xef, 0xbf, 0xbf],
  [0xf0, 0x80, 0x80, 0x80], [0xf0, 0x90, 0x80], [0xf0, 0x9f, 0x98], [0xf4, 0x90, 0x80, 0x80], [0xf4, 0x8f, 0xbf, 0xbf],
  [0xf5, 0x80, 0x80, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80], [0x61, 0xf1, 0x80, 0x80, 0xe1, 0x80, 0xc2, 0x62, 0x80, 0x63, 0x80, 0xbf, 0x64],
  [0xef, 0xbb, 0xbf, 0x41], [0xef, 0xbb, 0xbf, 0xef, 0xbb, 0xbf], [0xef, 0xbb], [0xe1, 0x80, 0xe2, 0xf0, 0x91, 0x92, 0xf1, 0xbf, 0x41],
  [0xc3, 0xa9, 0xe9], [0x41, 0xc3],
];

test("encode agrees with Node on valid text and lone surrogates", (t) => {
  for (const text of TEXTS) t.deepEqual(new TextEncoder().encode(text), new NodeEncoder().encode(text), JSON.stringify(text));
  t.deepEqual(new TextEncoder().encode(), new Uint8Array(0));
  t.is(new TextEncoder().encoding, "utf-8");
});

test("encodeInto writes whole code points and reports read/written like Node", (t) => {
  for (const text of TEXTS) {
    for (const size of [0, 1, 2, 3, 4, 5, 8, 64]) {
      const mine = new Uint8Array(size);
      const node = new Uint8Array(size);
      t.deepEqual(new TextEncoder().encodeInto(text, mine), new NodeEncoder().encodeInto(text, node), `${JSON.stringify(text)} into ${size}`);
      t.deepEqual(mine, node);
    }
  }
});

test("decode replaces invalid and truncated sequences exactly like Node", (t) => {
  for (const bytes of INVALID) {
    const input = new Uint8Array(bytes);
    t.is(new TextDecoder().decode(input), new NodeDecoder().decode(input), bytes.map((b) => b.toString(16)).join(" "));
    t.is(new TextDecoder("utf-8", { ignoreBOM: true }).decode(input), new NodeDecoder("utf-8", { ignoreBOM: true }).decode(input));
  }
});

test("decode in fatal mode throws a TypeError where Node does", (t) => {
  for (const bytes of INVALID) {
    const input = new Uint8Array(bytes);
    let nodeThrows = false;
    try { new NodeDecoder("utf-8", { fatal: true }).decode(input); } catch { nodeThrows = true; }
    if (nodeThrows) t.throws(() => new TextDecoder("utf-8", { fatal: true }).decode(input), { instanceOf: TypeError });
    else t.notThrows(() => new TextDecoder("utf-8", { fatal: true }).decode(input));
  }
});

test("streaming decode: every split of every corpus entry gives Node's result", (t) => {
  for (const bytes of [...INVALID, ...TEXTS.map((text) => [...new NodeEncoder().encode(text)])]) {
    for (let split = 0; split <= bytes.length; split++) {
      const mine = new TextDecoder();
      const node = new NodeDecoder();
      const first = new Uint8Array(bytes.slice(0, split));
      const rest = new Uint8Array(bytes.slice(split));
      const got = mine.decode(first, { stream: true }) + mine.decode(rest);
      const want = node.decode(first, { stream: true }) + node.decode(rest);
      t.is(got, want, `${bytes.map((b) => b.toString(16)).join(" ")} split at ${split}`);
    }
  }
});

test("a finished stream resets the decoder: the BOM is stripped again", (t) => {
  const decoder = new TextDecoder();
  const bom = new Uint8Array([0xef, 0xbb, 0xbf, 0x41]);
  t.is(decoder.decode(bom), "A");
  t.is(decoder.decode(bom), "A");
  t.is(decoder.decode(new Uint8Array([0xe2, 0x82]), { stream: true }), "");
  t.is(decoder.decode(new Uint8Array([0xac])), "€");
});

test("labels: the UTF-8 labels are accepted, trimmed and case-folded; others are a RangeError", (t) => {
  for (const label of ["utf-8", "UTF8", " unicode-1-1-utf-8 ", "unicode11utf8", "x-unicode20utf8"]) {
    t.is(new TextDecoder(label).encoding, "utf-8");
  }
  for (const label of ["utf-16le", "latin1", "", "utf-7"]) {
    t.throws(() => new TextDecoder(label), { instanceOf: RangeError });
  }
});

test("decode accepts ArrayBuffer, DataView and any typed array view", (t) => {
  const bytes = new NodeEncoder().encode("xé€");
  t.is(new TextDecoder().decode(bytes.buffer), "xé€");
  t.is(new TextDecoder().decode(new DataView(bytes.buffer, 1)), "é€");
  t.is(new TextDecoder().decode(new Uint16Array(new Uint8Array([0x68, 0x69]).buffer)), "hi");
  t.is(new TextDecoder().decode(), "");
  t.throws(() => new TextDecoder().decode("text" as never), { instanceOf: TypeError });
});

test("the ASCII fast path (the VM's native codec, here its TS twin) changes no result", (t) => {
  const none = { asciiEncode: () => undefined, asciiDecode: () => undefined };
  const run = (codec: "none" | "ascii"): unknown[] => {
    useAsciiCodec(codec === "ascii" ? { asciiEncode: hal.asciiEncode, asciiDecode: hal.asciiDecode } : none);
    try {
      const out: unknown[] = [];
      for (const text of ["", "hello", "a\u0000b", "caf\u00e9", "\u00ff", "a\ud800b", "\u{1f600}", "x".repeat(10_000)]) out.push([...new TextEncoder().encode(text)]);
      for (const bytes of [[], [0x41, 0x42], [0xef, 0xbb, 0xbf, 0x41], [0xe2, 0x82, 0xac], [0x80], [0x41, 0xff]]) out.push(new TextDecoder().decode(new Uint8Array(bytes)));
      const streaming = new TextDecoder();
      out.push(streaming.decode(new Uint8Array([0xe2, 0x82]), { stream: true }) + streaming.decode(new Uint8Array([0xac, 0x41])));
      out.push(streaming.decode(new Uint8Array([0xe2]), { stream: true }) + streaming.decode(new Uint8Array([0x41])));
      const bom = new TextDecoder();
      out.push(bom.decode(new Uint8Array([0x41]), { stream: true }) + bom.decode(new Uint8Array([0xef, 0xbb, 0xbf, 0x42])));
      return out;
    } finally {
      useAsciiCodec(none);
    }
  };
  t.deepEqual(run("ascii"), run("none"));
});
