/**
 * http/request_head: requests as curl, Node and browsers send them parse; each malformed
 * one is refused with the status RFC 9110/9112 give (the corpus the VM test also sends).
 */
import test from "ava";
import { HttpError } from "../../../kernel-ts/http/errors.ts";
import { DEFAULT_HTTP_LIMITS, resolveLimits } from "../../../kernel-ts/http/limits.ts";
import { findHeadEnd, parseRequestHead, type RequestHead } from "../../../kernel-ts/http/request_head.ts";
import { useAsciiCodec } from "../../../kernel-ts/ascii.ts";
import { asciiDecode, asciiEncode } from "../../../kernel-ts/hal/ascii.ts";

const bytes = (text: string): Uint8Array => Uint8Array.from(text, (c) => c.charCodeAt(0));

function parseWith(codec: "js" | "ascii", text: string, limits: typeof DEFAULT_HTTP_LIMITS): RequestHead | HttpError {
  const buffer = bytes(text);
  const end = findHeadEnd(buffer, limits);
  if (end === undefined) throw new Error("head incomplete");
  useAsciiCodec(codec === "ascii" ? { asciiEncode, asciiDecode } : { asciiEncode: () => undefined, asciiDecode: () => undefined });
  try {
    return parseRequestHead(buffer.subarray(end.start, end.end), limits);
  } catch (error) {
    if (error instanceof HttpError) return error;
    throw error;
  } finally {
    useAsciiCodec({ asciiEncode: () => undefined, asciiDecode: () => undefined });
  }
}

/** Parses with the per-byte path and with the ASCII fast path (the VM's): both must agree. */
function parse(text: string, limits = DEFAULT_HTTP_LIMITS): RequestHead {
  const slow = parseWith("js", text, limits);
  const fast = parseWith("ascii", text, limits);
  if (slow instanceof HttpError || fast instanceof HttpError) {
    if (!(slow instanceof HttpError && fast instanceof HttpError && slow.status === fast.status && slow.message === fast.message)) {
      throw new Error(`the two decoding paths disagree on ${JSON.stringify(text)}: ${String(slow)} vs ${String(fast)}`);
    }
    throw slow;
  }
  if (JSON.stringify(slow) !== JSON.stringify(fast)) throw new Error(`the two decoding paths disagree on ${JSON.stringify(text)}`);
  return slow;
}

function refused(text: string, limits = DEFAULT_HTTP_LIMITS): number {
  try {
    parse(text, limits);
  } catch (error) {
    if (error instanceof HttpError) return error.status;
    throw error;
  }
  return 0;
}

test("curl's GET parses: method, target, version, fields in order, keep-alive by default", (t) => {
  const head = parse("GET /hello?x=1 HTTP/1.1\r\nHost: 10.77.1.2:8080\r\nUser-Agent: curl/7.88.1\r\nAccept: */*\r\n\r\n");
  t.like(head, { method: "GET", target: "/hello?x=1", version: "1.1", keepAlive: true, expectContinue: false, host: "10.77.1.2:8080", body: { kind: "none" } });
  t.deepEqual(head.headers, [["Host", "10.77.1.2:8080"], ["User-Agent", "curl/7.88.1"], ["Accept", "*/*"]]);
});

test("the head ends at the first empty line; CRLF or bare LF; leading empty lines are skipped", (t) => {
  const buffer = bytes("\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\nGET /next HTTP/1.1\r\n");
  t.deepEqual(findHeadEnd(buffer, DEFAULT_HTTP_LIMITS), { start: 2, end: 29 });
  t.is(parse("GET / HTTP/1.1\nHost: a\n\n").host, "a");
  t.is(findHeadEnd(bytes("GET / HTTP/1.1\r\nHost: a\r\n"), DEFAULT_HTTP_LIMITS), undefined, "not all there yet");
});

test("field values lose surrounding whitespace, keep inner; obs-text is kept as ISO-8859-1", (t) => {
  const head = parse("GET / HTTP/1.1\r\nHost: a\r\nX-Thing: \t one  two \t\r\nX-Latin: caf\xe9\r\n\r\n");
  t.deepEqual(head.headers.slice(1), [["X-Thing", "one  two"], ["X-Latin", "café"]]);
});

test("body framing: Content-Length, chunked, neither; HTTP/1.0 keep-alive only when asked", (t) => {
  t.deepEqual(parse("POST /u HTTP/1.1\r\nHost: a\r\nContent-Length: 42\r\n\r\n").body, { kind: "length", length: 42 });
  t.deepEqual(parse("POST /u HTTP/1.1\r\nHost: a\r\nContent-Length: 42, 42\r\n\r\n").body, { kind: "length", length: 42 });
  t.deepEqual(parse("POST /u HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n").body, { kind: "chunked" });
  t.deepEqual(parse("POST /u HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n").body, { kind: "none" });
  t.false(parse("GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n").keepAlive);
  t.false(parse("GET / HTTP/1.0\r\n\r\n").keepAlive);
  t.true(parse("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n").keepAlive);
  t.true(parse("PUT /f HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n").expectContinue);
  t.is(parse("GET / HTTP/1.2\r\nHost: a\r\n\r\n").version, "1.1", "a higher minor version is answered as 1.1 (RFC 9112 §2.3)");
});

test("malformed requests get the status the RFCs give", (t) => {
  const cases: Array<[string, number]> = [
    ["GET /\r\nHost: a\r\n\r\n", 400],                                          // no version
    ["GET  / HTTP/1.1\r\nHost: a\r\n\r\n", 400],                                // two spaces
    ["G@T / HTTP/1.1\r\nHost: a\r\n\r\n", 400],                                 // method not a token
    ["GET / HTTP/1.1\r\n\r\n", 400],                                            // no Host
    ["GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400],                      // two Hosts
    ["GET / HTTP/1.1\r\nHost : a\r\n\r\n", 400],                                // space before colon
    ["GET / HTTP/1.1\r\nHost: a\r\n folded\r\n\r\n", 400],                      // obs-fold
    ["GET / HTTP/1.1\r\nHost: a\r\nNoColon\r\n\r\n", 400],
    ["GET / HTTP/1.1\r\nHost: a\rb\r\n\r\n", 400],                              // bare CR
    ["GET / HTTP/1.1\r\nHost: a\x00b\r\n\r\n", 400],                            // NUL in a value
    ["POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 12x\r\n\r\n", 400],
    ["POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n", 400],
    ["POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n", 400],
    ["POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n", 400],
    ["POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", 501],
    ["POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 99999999999\r\n\r\n", 413],
    ["GET / HTTP/1.1\r\nHost: a\r\nExpect: the-unexpected\r\n\r\n", 417],
    ["GET / HTTP/2.0\r\nHost: a\r\n\r\n", 505],
    ["GET / HTTX/1.1\r\nHost: a\r\n\r\n", 400],
  ];
  for (const [request, status] of cases) t.is(refused(request), status, JSON.stringify(request));
});

test("limits: a long request line is 414, a long or crowded header section 431", (t) => {
  const limits = resolveLimits({ requestLineBytes: 64, headerBytes: 256, headerCount: 4 });
  const longTarget = `GET /${"a".repeat(100)} HTTP/1.1\r\nHost: a\r\n\r\n`;
  t.is(refused(longTarget, limits), 414);
  t.throws(() => findHeadEnd(bytes(`GET /${"a".repeat(100)}`), limits), { instanceOf: HttpError, message: /longer than 64/ }, "refused before the line ends");
  t.is(refused(`GET / HTTP/1.1\r\nHost: a\r\nX: ${"b".repeat(300)}\r\n\r\n`, limits), 431);
  t.throws(() => findHeadEnd(bytes(`GET / HTTP/1.1\r\nHost: a\r\nX: ${"b".repeat(300)}`), limits), { instanceOf: HttpError, message: /header section/ });
  t.is(refused("GET / HTTP/1.1\r\nHost: a\r\nA: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\n\r\n", limits), 431);
});

test("limits must be positive integers", (t) => {
  t.throws(() => resolveLimits({ bodyBytes: 0 }), { instanceOf: RangeError, message: /bodyBytes/ });
});
