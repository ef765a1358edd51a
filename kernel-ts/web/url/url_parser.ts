/**
 * url_parser: the URL Standard's basic URL parser (§ 4.4), state by state, in the
 * standard's own terms: a pointer into the input's code points, a buffer, and flags.
 *
 * `parseUrl(input, base)` parses a whole URL. The URL setters call `parseUrlInto` with a
 * state override; it changes the record in place and returns false where the standard
 * returns failure (changes made before the failure stay, as in the standard).
 *
 * This follows the standard as Node 20 implements it: an opaque path keeps its spaces
 * as they are (a later edition writes a space before "?" or "#" as "%20").
 */

import { parseSimpleUrl } from "./fast_path.ts";
import { parseHost } from "./host.ts";
import { ASCII_CHARS, c0ControlSet, fragmentSet, pathSet, percentEncodeCodePoint, percentEncodeString, querySet, specialQuerySet, userinfoSet } from "./percent_encoding.ts";
import {
  isAsciiAlpha, isAsciiDigit, isDoubleDot, isNormalizedWindowsDriveLetter, isSingleDot, isWindowsDriveLetter, shortenPath,
  startsWithWindowsDriveLetter, stripControlAndSpace, toCodePoints,
} from "./parser_helpers.ts";
import { defaultPort, emptyUrlRecord, includesCredentials, isSpecialScheme, type UrlRecord } from "./url_record.ts";

export type ParserState =
  | "scheme start" | "scheme" | "no scheme" | "special relative or authority" | "path or authority"
  | "relative" | "relative slash" | "special authority slashes" | "special authority ignore slashes"
  | "authority" | "host" | "hostname" | "port" | "file" | "file slash" | "file host"
  | "path start" | "path" | "opaque path" | "query" | "fragment";

const EOF_CODE = -1;

/** Parses `input` against `base`; null on failure. */
export function parseUrl(input: string, base: UrlRecord | null = null): UrlRecord | null {
  if (base === null) {
    const simple = parseSimpleUrl(input); // the common "http://host:port/path?query" in one match
    if (simple !== undefined) return simple;
  }
  return parseUrlByStates(input, base);
}

/** parseUrl without the fast path: the state machine alone (and the fast path's test oracle). */
export function parseUrlByStates(input: string, base: UrlRecord | null = null): UrlRecord | null {
  const url = emptyUrlRecord();
  return run(stripControlAndSpace(input), base, url, undefined) ? url : null;
}

/** Runs the parser on `url` with a state override (the URL setters); false on failure. */
export function parseUrlInto(input: string, url: UrlRecord, stateOverride: ParserState): boolean {
  return run(input, null, url, stateOverride);
}

function run(rawInput: string, base: UrlRecord | null, url: UrlRecord, stateOverride: ParserState | undefined): boolean {
  const input = toCodePoints(rawInput.replace(/[\t\n\r]/g, ""));
  let state: ParserState = stateOverride ?? "scheme start";
  let buffer = "";
  let atSignSeen = false;
  let insideBrackets = false;
  let passwordTokenSeen = false;
  let pointer = 0;
  const special = (): boolean => isSpecialScheme(url.scheme);
  const path = (): string[] => url.path as string[];
  const remainingStartsWith = (code: number): boolean => input[pointer + 1] === code;

  for (; ; pointer++) {
    const c = pointer < input.length ? input[pointer]! : EOF_CODE;
    const char = c === EOF_CODE ? "" : c < 0x80 ? ASCII_CHARS[c]! : String.fromCodePoint(c);
    switch (state) {
      case "scheme start":
        if (isAsciiAlpha(c)) {
          buffer += char.toLowerCase();
          state = "scheme";
        } else if (stateOverride === undefined) {
          state = "no scheme";
          pointer--;
        } else {
          return false;
        }
        break;

      case "scheme":
        if (isAsciiAlpha(c) || isAsciiDigit(c) || c === 0x2b || c === 0x2d || c === 0x2e) {
          buffer += char.toLowerCase();
        } else if (c === 0x3a) {
          if (stateOverride !== undefined) {
            if (isSpecialScheme(url.scheme) !== isSpecialScheme(buffer)) return true;
            if ((includesCredentials(url) || url.port !== null) && buffer === "file") return true;
            if (url.scheme === "file" && url.host === "") return true;
          }
          url.scheme = buffer;
          if (stateOverride !== undefined) {
            if (url.port === defaultPort(url.scheme)) url.port = null;
            return true;
          }
          buffer = "";
          if (url.scheme === "file") {
            state = "file";
          } else if (special() && base !== null && base.scheme === url.scheme) {
            state = "special relative or authority";
          } else if (special()) {
            state = "special authority slashes";
          } else if (remainingStartsWith(0x2f)) {
            state = "path or authority";
            pointer++;
          } else {
            url.path = "";
            state = "opaque path";
          }
        } else if (stateOverride === undefined) {
          buffer = "";
          state = "no scheme";
          pointer = -1;
        } else {
          return false;
        }
        break;

      case "no scheme":
        if (base === null || (typeof base.path === "string" && c !== 0x23)) return false;
        if (typeof base.path === "string" && c === 0x23) {
          url.scheme = base.scheme;
          url.path = base.path;
          url.query = base.query;
          url.fragment = "";
          state = "fragment";
        } else if (base.scheme !== "file") {
          state = "relative";
          pointer--;
        } else {
          state = "file";
          pointer--;
        }
        break;

      case "special relative or authority":
        if (c === 0x2f && remainingStartsWith(0x2f)) {
          state = "special authority ignore slashes";
          pointer++;
        } else {
          state = "relative";
          pointer--;
        }
        break;

      case "path or authority":
        if (c === 0x2f) {
          state = "authority";
        } else {
          state = "path";
          pointer--;
        }
        break;

      case "relative": {
        const from = base!;
        url.scheme = from.scheme;
        if (c === 0x2f) {
          state = "relative slash";
        } else if (special() && c === 0x5c) {
          state = "relative slash";
        } else {
          url.username = from.username;
          url.password = from.password;
          url.host = from.host;
          url.port = from.port;
          url.path = typeof from.path === "string" ? from.path : [...from.path];
          url.query = from.query;
          if (c === 0x3f) {
            url.query = "";
            state = "query";
          } else if (c === 0x23) {
            url.fragment = "";
            state = "fragment";
          } else if (c !== EOF_CODE) {
            url.query = null;
            shortenPath(url);
            state = "path";
            pointer--;
          }
        }
        break;
      }

      case "relative slash":
        if (special() && (c === 0x2f || c === 0x5c)) {
          state = "special authority ignore slashes";
        } else if (c === 0x2f) {
          state = "authority";
        } else {
          url.username = base!.username;
          url.password = base!.password;
          url.host = base!.host;
          url.port = base!.port;
          state = "path";
          pointer--;
        }
        break;

      case "special authority slashes":
        state = "special authority ignore slashes";
        if (c === 0x2f && remainingStartsWith(0x2f)) pointer++;
        else pointer--;
        break;

      case "special authority ignore slashes":
        if (c !== 0x2f && c !== 0x5c) {
          state = "authority";
          pointer--;
        }
        break;

      case "authority":
        if (c === 0x40) {
          if (atSignSeen) buffer = "%40" + buffer;
          atSignSeen = true;
          for (const codePoint of toCodePoints(buffer)) {
            if (codePoint === 0x3a && !passwordTokenSeen) {
              passwordTokenSeen = true;
              continue;
            }
            const encoded = percentEncodeCodePoint(codePoint, userinfoSet);
            if (passwordTokenSeen) url.password += encoded;
            else url.username += encoded;
          }
          buffer = "";
        } else if (c === EOF_CODE || c === 0x2f || c === 0x3f || c === 0x23 || (special() && c === 0x5c)) {
          if (atSignSeen && buffer === "") return false;
          pointer -= toCodePoints(buffer).length + 1;
          buffer = "";
          state = "host";
        } else {
          buffer += char;
        }
        break;

      case "host":
      case "hostname":
        if (stateOverride !== undefined && url.scheme === "file") {
          pointer--;
          state = "file host";
        } else if (c === 0x3a && !insideBrackets) {
          if (buffer === "") return false;
          if (stateOverride === "hostname") return false;
          const host = parseHost(buffer, !special());
          if (host === null) return false;
          url.host = host;
          buffer = "";
          state = "port";
        } else if (c === EOF_CODE || c === 0x2f || c === 0x3f || c === 0x23 || (special() && c === 0x5c)) {
          pointer--;
          if (special() && buffer === "") return false;
          if (stateOverride !== undefined && buffer === "" && (includesCredentials(url) || url.port !== null)) return false;
          const host = parseHost(buffer, !special());
          if (host === null) return false;
          url.host = host;
          buffer = "";
          state = "path start";
          if (stateOverride !== undefined) return true;
        } else {
          if (c === 0x5b) insideBrackets = true;
          if (c === 0x5d) insideBrackets = false;
          buffer += char;
        }
        break;

      case "port":
        if (isAsciiDigit(c)) {
          buffer += char;
        } else if (c === EOF_CODE || c === 0x2f || c === 0x3f || c === 0x23 || (special() && c === 0x5c) || stateOverride !== undefined) {
          if (buffer !== "") {
            const port = parseInt(buffer, 10);
            if (port > 65535) return false;
            url.port = port === defaultPort(url.scheme) ? null : port;
            buffer = "";
          }
          if (stateOverride !== undefined) return true;
          state = "path start";
          pointer--;
        } else {
          return false;
        }
        break;

      case "file":
        url.scheme = "file";
        url.host = "";
        if (c === 0x2f || c === 0x5c) {
          state = "file slash";
        } else if (base !== null && base.scheme === "file") {
          url.host = base.host;
          url.path = [...(base.path as string[])];
          url.query = base.query;
          if (c === 0x3f) {
            url.query = "";
            state = "query";
          } else if (c === 0x23) {
            url.fragment = "";
            state = "fragment";
          } else if (c !== EOF_CODE) {
            url.query = null;
            if (!startsWithWindowsDriveLetter(input, pointer)) shortenPath(url);
            else url.path = [];
            state = "path";
            pointer--;
          }
        } else {
          state = "path";
          pointer--;
        }
        break;

      case "file slash":
        if (c === 0x2f || c === 0x5c) {
          state = "file host";
        } else {
          if (base !== null && base.scheme === "file") {
            url.host = base.host;
            const basePath = base.path as string[];
            if (!startsWithWindowsDriveLetter(input, pointer) && basePath.length > 0 && isNormalizedWindowsDriveLetter(basePath[0]!)) {
              path().push(basePath[0]!);
            }
          }
          state = "path";
          pointer--;
        }
        break;

      case "file host":
        if (c === EOF_CODE || c === 0x2f || c === 0x5c || c === 0x3f || c === 0x23) {
          pointer--;
          if (stateOverride === undefined && isWindowsDriveLetter(buffer)) {
            state = "path";
          } else if (buffer === "") {
            url.host = "";
            if (stateOverride !== undefined) return true;
            state = "path start";
          } else {
            let host = parseHost(buffer, !special());
            if (host === null) return false;
            if (host === "localhost") host = "";
            url.host = host;
            if (stateOverride !== undefined) return true;
            buffer = "";
            state = "path start";
          }
        } else {
          buffer += char;
        }
        break;

      case "path start":
        if (special()) {
          state = "path";
          if (c !== 0x2f && c !== 0x5c) pointer--;
        } else if (stateOverride === undefined && c === 0x3f) {
          url.query = "";
          state = "query";
        } else if (stateOverride === undefined && c === 0x23) {
          url.fragment = "";
          state = "fragment";
        } else if (c !== EOF_CODE) {
          state = "path";
          if (c !== 0x2f) pointer--;
        } else if (stateOverride !== undefined && url.host === null) {
          path().push("");
        }
        break;

      case "path":
        if (c === EOF_CODE || c === 0x2f || (special() && c === 0x5c) || (stateOverride === undefined && (c === 0x3f || c === 0x23))) {
          const slash = c === 0x2f || (special() && c === 0x5c);
          if (isDoubleDot(buffer)) {
            shortenPath(url);
            if (!slash) path().push("");
          } else if (isSingleDot(buffer) && !slash) {
            path().push("");
          } else if (!isSingleDot(buffer)) {
            if (url.scheme === "file" && path().length === 0 && isWindowsDriveLetter(buffer)) {
              buffer = buffer[0]! + ":";
            }
            path().push(buffer);
          }
          buffer = "";
          if (c === 0x3f) {
            url.query = "";
            state = "query";
          }
          if (c === 0x23) {
            url.fragment = "";
            state = "fragment";
          }
        } else {
          buffer += percentEncodeCodePoint(c, pathSet);
        }
        break;

      case "opaque path":
        if (c === 0x3f) {
          url.query = "";
          state = "query";
        } else if (c === 0x23) {
          url.fragment = "";
          state = "fragment";
        } else if (c !== EOF_CODE) {
          url.path = (url.path as string) + percentEncodeCodePoint(c, c0ControlSet);
        }
        break;

      case "query":
        if ((stateOverride === undefined && c === 0x23) || c === EOF_CODE) {
          url.query = (url.query ?? "") + percentEncodeString(buffer, special() ? specialQuerySet : querySet);
          buffer = "";
          if (c === 0x23) {
            url.fragment = "";
            state = "fragment";
          }
        } else {
          buffer += char;
        }
        break;

      case "fragment":
        if (c !== EOF_CODE) url.fragment = (url.fragment ?? "") + percentEncodeCodePoint(c, fragmentSet);
        break;
    }
    // After a run with the pointer on EOF the parse is done; a state that stepped back
    // (pointer--) runs again on the same position.
    if (pointer >= input.length) return true;
  }
}
