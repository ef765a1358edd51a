// ByteQueue.takeView: a view into the chunk when the bytes lie in one, a copy when they span
// chunks; either way the queue moves on exactly as take() does. And what the parser hands on
// to be stored (a data block) is always a copy, never a view that would keep a read's chunk.
import test from "ava";
import { ByteQueue } from "../../../apps/kv/byte_queue.ts";
import { RequestParser } from "../../../apps/kv/request_parser.ts";
import { latin1 } from "./helpers/kv_session.ts";

test("takeView gives a view within one chunk and a copy across two, and advances like take", (t) => {
  const first = new Uint8Array([1, 2, 3, 4]);
  const second = new Uint8Array([5, 6]);
  const queue = new ByteQueue();
  queue.push(first);
  queue.push(second);
  const view = queue.takeView(2);
  t.deepEqual([...view], [1, 2]);
  t.is(view.buffer, first.buffer, "within the first chunk: a view of it");
  t.is(queue.length, 4);
  const across = queue.takeView(3);
  t.deepEqual([...across], [3, 4, 5]);
  t.not(across.buffer, first.buffer, "across chunks: a copy");
  t.is(queue.length, 1);
  t.is(queue.byteAt(0), 6);
  t.deepEqual([...queue.takeView(0)], []);
  t.throws(() => queue.takeView(2), { instanceOf: RangeError });
});

test("a stored block is a copy, not a view of the bytes read", (t) => {
  const parser = new RequestParser();
  const read = latin1("set k 0 0 3\r\nabc\r\n");
  parser.push(read);
  const request = parser.next();
  if (request?.type !== "store") return t.fail(`expected a store request, got ${JSON.stringify(request)}`);
  t.deepEqual([...request.data], [...latin1("abc")]);
  t.not(request.data.buffer, read.buffer);
});
