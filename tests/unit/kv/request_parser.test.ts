/**
 * request_parser: framing over pieces of any size — pipelined requests come out in order,
 * a data block may arrive a byte at a time or in TCP-sized pieces, a too-large block is
 * discarded as it arrives rather than buffered, and an endless line ends the connection.
 */
import test from "ava";
import { MAX_GET_LINE_BYTES, MAX_LINE_BYTES, RequestParser } from "../../../apps/kv/request_parser.ts";
import type { Request } from "../../../apps/kv/request.ts";
import { latin1 } from "./helpers/kv_session.ts";

function drain(parser: RequestParser): Request[] {
  const out: Request[] = [];
  for (let request = parser.next(); request !== undefined; request = parser.next()) out.push(request);
  return out;
}

function feed(bytes: Uint8Array, pieceSize: number): { parser: RequestParser; requests: Request[]; maxBuffered: number } {
  const parser = new RequestParser();
  const requests: Request[] = [];
  let maxBuffered = 0;
  for (let at = 0; at < bytes.length; at += pieceSize) {
    parser.push(bytes.subarray(at, at + pieceSize));
    maxBuffered = Math.max(maxBuffered, parser.buffered);
    requests.push(...drain(parser));
  }
  return { parser, requests, maxBuffered };
}

test("pipelined requests come out in order, storage ones with their data", (t) => {
  const { requests } = feed(latin1("get a b\r\nset k 5 10 3 noreply\r\nxyz\r\ncas k 0 0 1 42\r\nq\r\ndelete k\r\n"), 1 << 20);
  t.deepEqual(requests.map((request) => request.type), ["command", "store", "store", "command"]);
  t.deepEqual(requests[0], { type: "command", words: ["get", "a", "b"] });
  t.like(requests[1], { type: "store", command: "set", key: "k", flags: 5, exptime: 10, noreply: true, badChunk: false, casUnique: undefined });
  t.deepEqual((requests[1] as { data: Uint8Array }).data, latin1("xyz"));
  t.like(requests[2], { command: "cas", casUnique: 42n, noreply: false });
});

test("the same requests whatever the piece size", (t) => {
  const bytes = latin1("set k 0 0 5\r\na\r\nbc\r\nget k\r\nincr n 1\r\nappend k 0 0 0\r\n\r\n");
  const whole = feed(bytes, bytes.length).requests;
  t.is(whole.length, 4);
  for (let size = 1; size < bytes.length; size++) t.deepEqual(feed(bytes, size).requests, whole, `pieces of ${size}`);
});

test("a 1 MiB data block in TCP-sized pieces arrives whole, copied out once", (t) => {
  const data = Uint8Array.from({ length: 1_048_000 }, (_, i) => (i * 7919) & 0xff);
  const bytes = new Uint8Array([...latin1("set big 0 0 1048000\r\n"), ...data, ...latin1("\r\nget big\r\n")]);
  const started = performance.now();
  const { requests } = feed(bytes, 1448);
  t.true(performance.now() - started < 2000, "linear in the block's size");
  t.is(requests.length, 2);
  t.deepEqual((requests[0] as { data: Uint8Array }).data, data);
});

test("a too-large block is refused at once and discarded as it arrives, never buffered", (t) => {
  const length = 5_000_000;
  const bytes = new Uint8Array(30 + length + 20);
  const head = latin1(`set k 0 0 ${length}\r\n`);
  bytes.set(head);
  bytes.set(latin1("\r\nget k\r\n"), head.length + length);
  const { requests, maxBuffered } = feed(bytes.subarray(0, head.length + length + 9), 65536);
  t.deepEqual(requests[0], { type: "refused", reply: "SERVER_ERROR object too large for cache", noreply: false, tooLarge: { command: "set", key: "k" } });
  t.deepEqual(requests[1], { type: "command", words: ["get", "k"] });
  t.true(maxBuffered <= 65536, `at most one piece buffered, saw ${maxBuffered}`);
});

test("an unfinished line past 2048 bytes closes, unless it is a multi-get, up to 1 MiB", (t) => {
  const parser = new RequestParser();
  parser.push(latin1("x".repeat(MAX_LINE_BYTES)));
  t.is(parser.next(), undefined, "2048 bytes may still end");
  parser.push(latin1("x"));
  t.like(parser.next(), { type: "close" });
  parser.push(latin1("\r\nget a\r\n"));
  t.is(parser.next(), undefined, "nothing is parsed after the close");

  const get = new RequestParser();
  get.push(latin1(`get${" key".repeat(MAX_GET_LINE_BYTES / 4 - 1)}`));
  t.is(get.next(), undefined);
  get.push(latin1("\r\n"));
  const request = get.next();
  if (request?.type !== "command") return t.fail(`a multi-get, not ${JSON.stringify(request)}`);
  t.is(request.words.length, MAX_GET_LINE_BYTES / 4);

  const endless = new RequestParser();
  endless.push(latin1(`get${" key".repeat(MAX_GET_LINE_BYTES / 4)}`));
  t.like(endless.next(), { type: "close" });
});

test("a command line: one CR before the LF dropped, cut at NUL, split on spaces only", (t) => {
  const { requests } = feed(latin1("get a\r\r\nget  b\u0000c d\nget\te\r\n"), 64);
  t.deepEqual(requests, [
    { type: "command", words: ["get", "a\r"] },
    { type: "command", words: ["get", "b"] },
    { type: "command", words: ["get\te"] },
  ]);
});
