/**
 * multipart: multipart/form-data (RFC 7578) as the HTML Standard writes it for a FormData
 * body (§ 4.10.21.8) and as the Fetch Standard's formData() reads it back.
 *
 * Writing: names and file names escape LF, CR and '"' as %0A, %0D, %22 (names after line
 * breaks are normalized to CRLF); string values have their line breaks normalized to
 * CRLF; files carry their type, or application/octet-stream.
 * Reading: the parts between "--boundary" delimiters, each with a Content-Disposition
 * of form-data and a name; a part with a filename becomes a File. Anything malformed is
 * a TypeError, as formData() requires.
 */

import { encodeUtf8 } from "../../console/utf8.ts";
import { utf8DecodeWithoutBom } from "../encoding/text_decoder.ts";
import { blobBytes } from "../file/blob.ts";
import { File } from "../file/file.ts";
import { FormData } from "./form_data.ts";

function escapeName(text: string): string {
  return text.replace(/\n/g, "%0A").replace(/\r/g, "%0D").replace(/"/g, "%22");
}

function normalizeLineBreaks(text: string): string {
  return text.replace(/\r\n|\r|\n/g, "\r\n");
}

/** A boundary unlikely to occur in any body: 24 random hex digits. */
export function makeBoundary(): string {
  let digits = "";
  for (let i = 0; i < 24; i++) digits += Math.floor(Math.random() * 16).toString(16);
  return `----skiff-formdata-${digits}`;
}

/** The body bytes of `form` with `boundary`. */
export function serializeMultipart(form: FormData, boundary: string): Uint8Array {
  const pieces: Uint8Array[] = [];
  for (const [name, value] of form) {
    let head = `--${boundary}\r\nContent-Disposition: form-data; name="${escapeName(normalizeLineBreaks(name))}"`;
    if (typeof value === "string") {
      pieces.push(encodeUtf8(`${head}\r\n\r\n${normalizeLineBreaks(value)}\r\n`));
    } else {
      head += `; filename="${escapeName(value.name)}"\r\nContent-Type: ${value.type || "application/octet-stream"}\r\n\r\n`;
      pieces.push(encodeUtf8(head), blobBytes(value), encodeUtf8("\r\n"));
    }
  }
  pieces.push(encodeUtf8(`--${boundary}--\r\n`));
  const out = new Uint8Array(pieces.reduce((total, piece) => total + piece.byteLength, 0));
  let at = 0;
  for (const piece of pieces) {
    out.set(piece, at);
    at += piece.byteLength;
  }
  return out;
}

function indexOfBytes(haystack: Uint8Array, needle: Uint8Array, from: number): number {
  const first = needle[0]!;
  for (let i = haystack.indexOf(first, from); i >= 0 && i + needle.length <= haystack.length; i = haystack.indexOf(first, i + 1)) {
    let match = true;
    for (let j = 1; j < needle.length; j++) {
      if (haystack[i + j] !== needle[j]) {
        match = false;
        break;
      }
    }
    if (match) return i;
  }
  return -1;
}

function malformed(reason: string): TypeError {
  return new TypeError(`Failed to parse body as FormData: ${reason}`);
}

/** A Content-Disposition parameter (quoted or not), with the %22/%0A/%0D escapes undone. */
function dispositionParameter(header: string, name: string): string | undefined {
  const match = new RegExp(`;\\s*${name}\\s*=\\s*(?:"((?:[^"\\\\]|\\\\.)*)"|([^;\\s]*))`, "i").exec(header);
  if (match === null) return undefined;
  const raw = match[1] !== undefined ? match[1].replace(/\\(.)/g, "$1") : match[2]!;
  return raw.replace(/%22/g, '"').replace(/%0D/gi, "\r").replace(/%0A/gi, "\n");
}

/** Parses a multipart/form-data body with `boundary`. */
export function parseMultipart(body: Uint8Array, boundary: string): FormData {
  const form = new FormData();
  const delimiter = encodeUtf8(`--${boundary}`);
  const headerEnd = encodeUtf8("\r\n\r\n");
  let at = indexOfBytes(body, delimiter, 0);
  if (at < 0) throw malformed("no boundary delimiter");
  for (;;) {
    at += delimiter.length;
    if (body[at] === 0x2d && body[at + 1] === 0x2d) return form; // "--": the close delimiter
    while (body[at] === 0x20 || body[at] === 0x09) at++; // transport padding
    if (body[at] !== 0x0d || body[at + 1] !== 0x0a) throw malformed("a delimiter is not followed by CRLF");
    at += 2;
    const headersEnd = indexOfBytes(body, headerEnd, at);
    if (headersEnd < 0) throw malformed("a part's headers do not end");
    const headers = utf8DecodeWithoutBom(body.subarray(at, headersEnd)).split("\r\n");
    const next = indexOfBytes(body, encodeUtf8(`\r\n--${boundary}`), headersEnd + 4);
    if (next < 0) throw malformed("a part does not end with a delimiter");
    const content = body.subarray(headersEnd + 4, next);
    let disposition: string | undefined;
    let contentType = "";
    for (const line of headers) {
      const colon = line.indexOf(":");
      if (colon < 0) throw malformed(`bad header line ${JSON.stringify(line)}`);
      const field = line.slice(0, colon).trim().toLowerCase();
      const value = line.slice(colon + 1).trim();
      if (field === "content-disposition") disposition = value;
      else if (field === "content-type") contentType = value;
    }
    if (disposition === undefined || !/^form-data\s*(;|$)/i.test(disposition)) throw malformed("a part has no form-data Content-Disposition");
    const name = dispositionParameter(disposition, "name");
    if (name === undefined) throw malformed("a part has no name");
    const filename = dispositionParameter(disposition, "filename");
    if (filename !== undefined) form.append(name, new File([content.slice()], filename, { type: contentType }));
    else form.append(name, utf8DecodeWithoutBom(content));
    at = next + 2;
  }
}
