/**
 * http/chunked: the chunked coding decoded in pieces of every size, bytes after the body
 * left for the next request, malformed bodies refused; and the encoder's output decoded.
 */
import test from "ava";
import { chunk, ChunkedDecoder, LAST_CHUNK } from "../../../kernel-ts/http/chunked.ts";
import { HttpError } from "../../../kernel-ts/http/errors.ts";

const bytes = (text: string): Uint8Array => Uint8Array.from(text, (c) => c.charCodeAt(0));
const text = (parts: Uint8Array[]): string => parts.map((p) => String.fromCharCode(...p)).join("");

/** RFC 9112 §7.1 style body with an extension and a trailer, then the next request. */
const BODY = "4\r\nWiki\r\n7;name=value\r\npedia i\r\nB\r\nn chunks.\r\n\r\n0\r\nExpires: never\r\n\r\nGET /next";

test("decodes a body fed in pieces of any size; what follows it is not consumed", (t) => {
  for (let size = 1; size <= BODY.length; size++) {
    const decoder = new ChunkedDecoder(1 << 20, 1024);
    const input = bytes(BODY);
    const data: Uint8Array[] = [];
    let at = 0;
    while (!decoder.done) {
      const piece = input.subarray(at, Math.min(input.length, at + size));
      const out = decoder.feed(piece);
      data.push(...out.data.map((d) => d.slice()));
      at += out.consumed;
      if (out.consumed < piece.length) t.true(out.done, "stops early only at the end");
    }
    t.is(text(data), "Wikipedia in chunks.\r\n", `pieces of ${size}`);
    t.is(String.fromCharCode(...input.subarray(at)), "GET /next");
  }
});

test("malformed chunked bodies are 400; past the limit 413; a huge trailer 431", (t) => {
  const status = (body: string, limit = 1 << 20, trailer = 1024): number => {
    try {
      new ChunkedDecoder(limit, trailer).feed(bytes(body));
    } catch (error) {
      if (error instanceof HttpError) return error.status;
      throw error;
    }
    return 0;
  };
  t.is(status("zz\r\n"), 400);
  t.is(status("-1\r\n"), 400);
  t.is(status("123456789\r\n"), 400, "more than 8 hex digits");
  t.is(status("3\r\nabcX"), 400, "no CRLF after the data");
  t.is(status(`1${"0".repeat(5000)}`), 400, "an endless size line");
  t.is(status("10\r\n", 15), 413);
  t.is(status(`0\r\nX: ${"y".repeat(2000)}`), 431);
  t.is(status("0\r\nnocolon\r\n"), 400);
});

test("the encoder's chunks decode to the data", (t) => {
  const decoder = new ChunkedDecoder(1 << 20, 1024);
  const data = Uint8Array.from({ length: 5000 }, (_, i) => i & 0xff);
  const wire = [chunk(data.subarray(0, 17)), chunk(new Uint8Array(0)), chunk(data.subarray(17)), LAST_CHUNK];
  const out: number[] = [];
  for (const piece of wire) for (const part of decoder.feed(piece).data) out.push(...part);
  t.true(decoder.done);
  t.deepEqual(Uint8Array.from(out), data);
  t.is(String.fromCharCode(...chunk(bytes("hello"))), "5\r\nhello\r\n");
});
