// Blob, File and the streams the runtime bundles, against Node's own Blob and File.
import test from "ava";
import { Blob, File, ReadableStream, TransformStream, WritableStream } from "../../../kernel-ts/web/mod.ts";
import { isDisturbed } from "../../../kernel-ts/web/streams.ts";

const NodeBlob = globalThis.Blob;

const PARTS: unknown[][] = [
  [], ["abc"], ["a", "b\r\nc"], ["é\ud800"], [new Uint8Array([1, 2, 3]), new Uint16Array([0x4142]).buffer], [new DataView(new Uint8Array([9, 8, 7]).buffer, 1)],
  [new Uint8Array([0, 1, 2, 3, 4, 5]).subarray(2, 4)],
];
const TYPES = [undefined, "text/plain", "TEXT/Plain;Charset=UTF-8", "a\u0001b", "é/x", ""];

async function describe(blob: { size: number; type: string; arrayBuffer(): Promise<ArrayBuffer>; text(): Promise<string> }): Promise<string> {
  return JSON.stringify([blob.size, blob.type, [...new Uint8Array(await blob.arrayBuffer())], await blob.text()]);
}

test("Blob: size, type, bytes and text like Node's for every part kind and type", async (t) => {
  for (const parts of PARTS) {
    for (const type of TYPES) {
      const options = type === undefined ? undefined : { type };
      t.is(await describe(new Blob(parts as never, options)), await describe(new NodeBlob(parts as never, options)), `${String(type)}`);
    }
  }
  // File API "convert line endings to native" turns a lone CR into LF too; Node 20 leaves it.
  t.is(await new Blob(["x\r\ny\rz\n"], { endings: "native" }).text(), "x\ny\nz\n");
  t.is(await describe(new Blob([new Blob(["inner"]), "-", new Blob(["x"])])), await describe(new NodeBlob([new NodeBlob(["inner"]), "-", new NodeBlob(["x"])])));
  t.throws(() => new Blob("str" as never), { instanceOf: TypeError });
});

test("Blob.slice clamps like Node's, negative indices and content type included", async (t) => {
  const mine = new Blob(["0123456789"]);
  const node = new NodeBlob(["0123456789"]);
  const ranges: Array<[number?, number?, string?]> = [[], [2], [2, 5], [-3], [-3, -1], [5, 2], [0, 100], [-100, 3], [1, 4, "X/Y"]];
  for (const [start, end, type] of ranges) {
    t.is(await describe(mine.slice(start, end, type)), await describe(node.slice(start, end, type)), JSON.stringify([start, end, type]));
  }
  t.is(await mine.slice(2, 8).slice(1, 3).text(), "34");
  // Node 20 aborts the process on a NaN index (a native assertion), so this one is ours alone.
  t.is(await mine.slice(NaN, 3).text(), "012");
});

test("Blob.bytes and stream give the whole content; File keeps name and lastModified", async (t) => {
  const big = new Uint8Array(200_000).map((_, i) => i % 251);
  const blob = new Blob([big]);
  t.deepEqual(await blob.bytes(), big);
  const chunks: Uint8Array[] = [];
  for await (const chunk of blob.stream() as unknown as AsyncIterable<Uint8Array>) chunks.push(chunk);
  t.true(chunks.length > 1);
  t.deepEqual(new Uint8Array(await new Blob(chunks).arrayBuffer()), big);
  const file = new File(["x"], "name.txt", { type: "text/plain", lastModified: 42 });
  t.deepEqual([file.name, file.lastModified, file.size, file.type, file instanceof Blob], ["name.txt", 42, 1, "text/plain", true]);
  t.true(Math.abs(new File([], "now").lastModified - Date.now()) < 1000);
});

test("streams: the bundled ReadableStream tracks disturbance (bodyUsed relies on it)", async (t) => {
  const stream = new ReadableStream<number>({ start(controller) { controller.enqueue(1); controller.close(); } });
  t.false(isDisturbed(stream));
  const reader = stream.getReader();
  t.deepEqual(await reader.read(), { done: false, value: 1 });
  t.true(isDisturbed(stream));
  const cancelled = new ReadableStream();
  await cancelled.cancel();
  t.true(isDisturbed(cancelled));
});

test("streams: pull, tee, pipeThrough a TransformStream into a WritableStream", async (t) => {
  let next = 0;
  const source = new ReadableStream<number>({ pull(controller) { if (next < 5) controller.enqueue(next++); else controller.close(); } });
  const [left, right] = source.tee();
  const doubled = left.pipeThrough(new TransformStream<number, number>({ transform(chunk, controller) { controller.enqueue(chunk * 2); } }));
  const written: number[] = [];
  await doubled.pipeTo(new WritableStream<number>({ write(chunk) { written.push(chunk); } }));
  t.deepEqual(written, [0, 2, 4, 6, 8]);
  const other: number[] = [];
  for await (const value of right as unknown as AsyncIterable<number>) other.push(value);
  t.deepEqual(other, [0, 1, 2, 3, 4]);
});
