/**
 * The development channel's framing (kernel-ts/reload/protocol.ts): frames survive any cut
 * into chunks, several frames in one chunk come out in order, and a stream that is not the
 * protocol is refused with ProtocolError.
 */
import test from "ava";
import { encodeFrame, FrameReader, MAX_FRAME, ProtocolError, type Message } from "../../../kernel-ts/reload/protocol.ts";

const hello: Message = { type: "hello", protocol: 1, bootId: "0123456789abcdef", uptimeMs: 12.5, engine: { quickjs: "2025-04-26", bytecodeVersion: 4 }, apps: ["a"] };
const reload: Message = { type: "reload", id: 7, token: "ab".repeat(16), kind: "app", app: "a", engine: { quickjs: "2025-04-26", bytecodeVersion: 4 }, changed: ["apps/a/main.ts"] };

test("frames come out whole however the stream is cut", (t) => {
  const code = Uint8Array.from({ length: 70_000 }, (_, i) => (i * 31) & 0xff);
  const stream = new Uint8Array([...encodeFrame(hello), ...encodeFrame(reload, code)]);
  for (const chunkSize of [1, 7, 4096, stream.length]) {
    const reader = new FrameReader();
    const frames = [];
    for (let at = 0; at < stream.length; at += chunkSize) frames.push(...reader.push(stream.subarray(at, at + chunkSize)));
    t.is(frames.length, 2, `chunks of ${chunkSize}`);
    t.deepEqual(frames[0]!.message, hello);
    t.is(frames[0]!.payload.length, 0);
    t.deepEqual(frames[1]!.message, reload);
    t.deepEqual(frames[1]!.payload, code);
  }
});

test("a stream that is not the protocol is refused", (t) => {
  t.throws(() => new FrameReader().push(new TextEncoder().encode("GET / HTTP/1.1\r\n\r\n")), { instanceOf: ProtocolError, message: /does not start with SKDV/ });
  const huge = encodeFrame(hello);
  new DataView(huge.buffer).setUint32(8, MAX_FRAME, true);
  t.throws(() => new FrameReader().push(huge), { instanceOf: ProtocolError, message: /over the 16777216-byte limit/ });
  const badJson = encodeFrame(hello);
  badJson[12] = 0x5b; // "[" where "{" was: the JSON no longer parses
  t.throws(() => new FrameReader().push(badJson), { instanceOf: ProtocolError, message: /JSON does not parse/ });
});
