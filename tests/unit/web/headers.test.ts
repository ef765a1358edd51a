// Headers against Node's own (undici): validation, normalization, combination, iteration
// order with Set-Cookie kept apart, and the immutable guard.
import test from "ava";
import { Headers } from "../../../kernel-ts/web/mod.ts";
import { setHeadersGuard } from "../../../kernel-ts/web/fetch/headers.ts";
import { isHeaderValue, isToken, normalizeHeaderValue } from "../../../kernel-ts/web/fetch/http_tokens.ts";

const NodeHeaders = globalThis.Headers;

type Operation = [method: "append" | "set" | "delete", name: string, value?: string];

const SCRIPTS: Operation[][] = [
  [["append", "Content-Type", "text/plain"], ["append", "content-type", "text/html"], ["append", "X-B", "1"], ["append", "x-a", "2"]],
  [["append", "Set-Cookie", "a=1"], ["append", "set-cookie", "b=2"], ["append", "Accept", "*/*"], ["append", "Zed", "z"], ["append", "Set-Cookie", "c=3, d=4"]],
  [["append", "A", "  padded\t"], ["append", "B", "\r\n x \n"], ["append", "C", ""], ["set", "a", "replaced"], ["delete", "B"]],
  [["append", "X", "1"], ["append", "Y", "2"], ["append", "x", "3"], ["set", "X", "4"], ["append", "x", "5"]],
  [["append", "bad name", "v"]], [["append", "", "v"]], [["append", "x", "a\u0000b"]], [["append", "x", "a\nb"]], [["append", "x", "a\rb"]],
  [["append", "x", "é"]], [["append", "x", "\u0100"]], [["append", "é", "v"]], [["append", "a:b", "v"]], [["append", "!#$%&'*+-.^_`|~09AZaz", "v"]],
  [["append", "x", "\u0007 bell \u007f"]], [["set", "x", " \t "]], [["delete", "nope"]], [["append", "x-Multi", "a"], ["append", "X-MULTI", "b"], ["delete", "x-multi"]],
];

function run(HeadersClass: typeof Headers, script: Operation[]): string {
  try {
    const headers = new HeadersClass();
    for (const [method, name, value] of script) {
      if (method === "delete") headers.delete(name);
      else headers[method](name, value!);
    }
    return JSON.stringify({ entries: [...headers], get: script.map(([, name]) => { try { return headers.get(name); } catch { return "throws"; } }), cookies: headers.getSetCookie() });
  } catch (error) {
    return `throws ${(error as Error).name}`;
  }
}

test("operation scripts give Node's entries, get() results and Set-Cookie lists", (t) => {
  for (const script of SCRIPTS) t.is(run(Headers, script), run(NodeHeaders as unknown as typeof Headers, script), JSON.stringify(script));
});

test("constructor from records, pairs and other Headers; bad pairs are a TypeError", (t) => {
  const inits: unknown[] = [
    { A: "1", b: "2", "set-cookie": "x" }, [["A", "1"], ["a", "2"], ["Set-Cookie", "s1"], ["Set-Cookie", "s2"]],
    new Map([["k", "v"]]), [], {}, [["a", "1", "2"]], [["a"]], ["ab"], 5, "str",
  ];
  for (const init of inits) {
    let mine: string;
    let node: string;
    try { mine = JSON.stringify([...new Headers(init as never)]); } catch (error) { mine = (error as Error).name; }
    try { node = JSON.stringify([...new NodeHeaders(init as never)]); } catch (error) { node = (error as Error).name; }
    t.is(mine, node, JSON.stringify(init));
  }
  const original = new Headers([["X", "1"], ["Set-Cookie", "a"], ["Set-Cookie", "b"]]);
  t.deepEqual([...new Headers(original)], [...original]);
});

test("keys, values, forEach and has follow the sorted, combined view", (t) => {
  const pairs: Array<[string, string]> = [["b", "1"], ["A", "2"], ["set-cookie", "x"], ["b", "3"], ["Set-Cookie", "y"]];
  const mine = new Headers(pairs);
  const node = new NodeHeaders(pairs);
  t.deepEqual([...mine.keys()], [...node.keys()]);
  t.deepEqual([...mine.values()], [...node.values()]);
  const seen: string[] = [];
  mine.forEach((value, key, parent) => { t.is(parent, mine); seen.push(`${key}:${value}`); });
  t.deepEqual(seen, [...node].map(([k, v]) => `${k}:${v}`));
  t.true(mine.has("SET-COOKIE"));
  t.throws(() => mine.has("bad name"), { instanceOf: TypeError });
});

test("the immutable guard rejects every change with a TypeError", (t) => {
  const headers = new Headers({ a: "1" });
  setHeadersGuard(headers, "immutable");
  t.throws(() => headers.append("b", "2"), { instanceOf: TypeError, message: /immutable/ });
  t.throws(() => headers.set("a", "2"), { instanceOf: TypeError });
  t.throws(() => headers.delete("a"), { instanceOf: TypeError });
  t.is(headers.get("a"), "1");
});

test("http_tokens: token characters are exactly RFC 9110's tchar; values lose only HTTP whitespace at their ends", (t) => {
  const tchar = new Set("!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");
  for (let code = 0; code < 0x300; code++) {
    const char = String.fromCharCode(code);
    t.is(isToken(char), tchar.has(char), `U+${code.toString(16)}`);
    t.is(isToken(`a${char}b`), tchar.has(char), `a U+${code.toString(16)} b`);
  }
  t.false(isToken(""));
  const httpWhitespace = ["\t", "\n", "\r", " "];
  for (const left of ["", ...httpWhitespace, "\t \r\n"]) {
    for (const right of ["", ...httpWhitespace, " \t"]) {
      for (const core of ["", "v", "a b", "\u000bx\u000c", "\u00a0y\u00a0"]) {
        t.is(normalizeHeaderValue(left + core + right), core, JSON.stringify(left + core + right));
      }
    }
  }
  for (const bad of ["a\u0000b", "a\nb", "a\rb"]) t.false(isHeaderValue(bad));
  for (const good of ["", "a\tb", "caf\u00e9", "\u0001\u007f"]) t.true(isHeaderValue(good));
});

test("a field checked once is remembered by value: the same name with a bad value, or a long one, is still checked", (t) => {
  for (let round = 0; round < 3; round++) {
    const headers = new Headers({ "content-type": "text/plain; charset=utf-8" });
    t.is(headers.get("content-type"), "text/plain; charset=utf-8");
    t.throws(() => new Headers({ "content-type": "text/plain\r\nx-injected: 1" }), { instanceOf: TypeError }, "same name, a value with CR LF");
    t.is(new Headers({ "content-type": "  spaced  " }).get("content-type"), "spaced", "same name, a value that normalizes");
  }
  const long = "v".repeat(5000);
  for (let round = 0; round < 2; round++) t.is(new Headers([["x-long", long]]).get("x-long"), long);
  t.throws(() => new Headers([["x-long", `${long}\nx`]]), { instanceOf: TypeError }, "a line break inside a long value");
  for (let i = 0; i < 200; i++) t.is(new Headers({ [`x-${i}`]: `${i}` }).get(`x-${i}`), `${i}`, "many names: the memory is bounded and cleared, answers unchanged");
});
