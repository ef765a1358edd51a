/**
 * parser_helpers: the URL Standard's small definitions the basic URL parser leans on
 * (§ 4.2–4.4): ASCII classes, Windows drive letters, single- and double-dot path segments,
 * shortening a path, and the input's preparation (code points, the leading and trailing
 * C0-control-or-space strip).
 */

import type { UrlRecord } from "./url_record.ts";

export function isAsciiAlpha(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

export function isAsciiDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

export function isWindowsDriveLetter(text: string): boolean {
  return text.length === 2 && isAsciiAlpha(text.charCodeAt(0)) && (text[1] === ":" || text[1] === "|");
}

export function isNormalizedWindowsDriveLetter(text: string): boolean {
  return text.length === 2 && isAsciiAlpha(text.charCodeAt(0)) && text[1] === ":";
}

/** "starts with a Windows drive letter", over code points from `from`. */
export function startsWithWindowsDriveLetter(codePoints: readonly number[], from: number): boolean {
  if (codePoints.length - from < 2) return false;
  const first = codePoints[from]!;
  const second = codePoints[from + 1]!;
  if (!isAsciiAlpha(first) || (second !== 0x3a && second !== 0x7c)) return false;
  if (codePoints.length - from === 2) return true;
  const third = codePoints[from + 2]!;
  return third === 0x2f || third === 0x5c || third === 0x3f || third === 0x23;
}

export function isSingleDot(segment: string): boolean {
  return segment === "." || segment.toLowerCase() === "%2e";
}

export function isDoubleDot(segment: string): boolean {
  switch (segment.toLowerCase()) {
    case "..": case ".%2e": case "%2e.": case "%2e%2e":
      return true;
    default:
      return false;
  }
}

/** § 4.2 "shorten a URL's path". */
export function shortenPath(url: UrlRecord): void {
  const path = url.path as string[];
  if (url.scheme === "file" && path.length === 1 && isNormalizedWindowsDriveLetter(path[0]!)) return;
  path.pop();
}

export function toCodePoints(text: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < text.length; i++) {
    let code = text.codePointAt(i)!;
    if (code > 0xffff) i++;
    else if (code >= 0xd800 && code <= 0xdfff) code = 0xfffd; // USVString: lone surrogates
    out.push(code);
  }
  return out;
}

export function stripControlAndSpace(input: string): string {
  return input.replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, "");
}
