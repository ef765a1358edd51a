/**
 * content_type: the Content-Type for a file, by its extension (lower-cased); text types say
 * UTF-8. Anything not listed is application/octet-stream, which browsers download rather
 * than guess at (the server also sends X-Content-Type-Options: nosniff).
 */

const UTF8 = "; charset=utf-8";

const TYPES: Readonly<Record<string, string>> = {
  html: `text/html${UTF8}`,
  htm: `text/html${UTF8}`,
  css: `text/css${UTF8}`,
  js: `text/javascript${UTF8}`,
  mjs: `text/javascript${UTF8}`,
  json: `application/json${UTF8}`,
  map: `application/json${UTF8}`,
  txt: `text/plain${UTF8}`,
  md: `text/markdown${UTF8}`,
  csv: `text/csv${UTF8}`,
  xml: `application/xml${UTF8}`,
  svg: `image/svg+xml${UTF8}`,
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  gif: "image/gif",
  webp: "image/webp",
  avif: "image/avif",
  ico: "image/x-icon",
  wasm: "application/wasm",
  woff: "font/woff",
  woff2: "font/woff2",
  ttf: "font/ttf",
  otf: "font/otf",
  pdf: "application/pdf",
  mp4: "video/mp4",
  webm: "video/webm",
  mp3: "audio/mpeg",
  ogg: "audio/ogg",
  wav: "audio/wav",
  zip: "application/zip",
  gz: "application/gzip",
};

export const DEFAULT_CONTENT_TYPE = "application/octet-stream";

export function contentType(fileName: string): string {
  const dot = fileName.lastIndexOf(".");
  if (dot <= 0) return DEFAULT_CONTENT_TYPE; // no extension, or a dot file such as ".env"
  return TYPES[fileName.slice(dot + 1).toLowerCase()] ?? DEFAULT_CONTENT_TYPE;
}
