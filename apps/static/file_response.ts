/**
 * file_response: the answer to a GET or HEAD of one file — 200, 206 (one range), 304 or 416 —
 * with its Content-Type, ETag, Last-Modified, Accept-Ranges and Content-Length. Only the bytes
 * a GET needs are read; HEAD reads none (beyond computing the ETag, once per file). Every
 * response says how long its body is, so the server sends it with Content-Length, whatever its
 * size, and a HEAD gets the length a GET would.
 */

import { open, readFile, type Stats } from "node:fs/promises";
import { byteRange } from "./byte_range.ts";
import { contentType } from "./content_type.ts";
import { entityTag, httpDate, notModified, rangeStillApplies, type Validators } from "./validators.ts";

/** /app does not change while the machine runs: a file's tag is kept while its size and mtime stay. */
const tags = new Map<string, { readonly size: number; readonly mtimeMs: number; readonly etag: string }>();

async function validatorsOf(path: string, stats: Stats): Promise<Validators> {
  const modifiedMs = Math.floor(stats.mtimeMs / 1000) * 1000;
  const known = tags.get(path);
  if (known !== undefined && known.size === stats.size && known.mtimeMs === stats.mtimeMs) return { etag: known.etag, modifiedMs };
  const etag = entityTag(await readFile(path));
  tags.set(path, { size: stats.size, mtimeMs: stats.mtimeMs, etag });
  return { etag, modifiedMs };
}

/** skiff:fs's bytes as a body: they are always over a plain ArrayBuffer, never a shared one. */
const body = (bytes: Uint8Array): Uint8Array<ArrayBuffer> => bytes as Uint8Array<ArrayBuffer>;

/** `length` bytes of the file at `path` from `start`. */
async function readSlice(path: string, start: number, length: number): Promise<Uint8Array> {
  const handle = await open(path, "r");
  try {
    const bytes = new Uint8Array(length);
    const { bytesRead } = await handle.read(bytes, 0, length, start);
    return bytesRead === length ? bytes : bytes.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

export async function fileResponse(request: Request, path: string, stats: Stats): Promise<Response> {
  const validators = await validatorsOf(path, stats);
  const headers = new Headers({
    "etag": validators.etag,
    "last-modified": httpDate(validators.modifiedMs),
    // Caches may keep the file but must ask again each time; the ETag makes asking cheap (304).
    "cache-control": "no-cache",
  });
  if (notModified(request.headers, validators)) return new Response(null, { status: 304, headers });

  const size = stats.size;
  const head = request.method === "HEAD";
  headers.set("content-type", contentType(path.slice(path.lastIndexOf("/") + 1)));
  headers.set("x-content-type-options", "nosniff");
  headers.set("accept-ranges", "bytes");
  // Range is defined for GET only (RFC 9110 §14.2): HEAD and a stale If-Range get the whole file.
  const range = !head && rangeStillApplies(request.headers, validators) ? byteRange(request.headers.get("range"), size) : { kind: "full" as const };
  switch (range.kind) {
    case "unsatisfiable":
      headers.set("content-range", `bytes */${size}`);
      headers.set("content-type", "text/plain; charset=utf-8");
      return new Response(`Cannot serve that range of ${size} bytes\n`, { status: 416, headers });
    case "partial": {
      const length = range.end - range.start + 1;
      headers.set("content-range", `bytes ${range.start}-${range.end}/${size}`);
      headers.set("content-length", String(length));
      return new Response(body(await readSlice(path, range.start, length)), { status: 206, headers });
    }
    case "full":
      headers.set("content-length", String(size));
      return new Response(head ? null : body(await readFile(path)), { status: 200, headers });
  }
}
