/**
 * http_tokens: the Fetch Standard's small grammar checks (§ 2.2): tokens (header names,
 * methods), header values, reason phrases, and value normalization.
 */

// Each check is one native regex scan: a JS loop per character costs microseconds apiece
// under TCG, and every header of every request and response passes through these.

/** RFC 9110 § 5.6.2's token: one or more tchar. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** HTTP whitespace at either end (tab, LF, CR, space). */
const EDGE_WHITESPACE = /^[\t\n\r ]+|[\t\n\r ]+$/g;
/** What a header value may not hold (Fetch § 2.2 "header value"): NUL, LF, CR. */
const NOT_IN_VALUE = /[\0\n\r]/;
/** A first or last character that normalization would remove. */
const EDGE = /^[\t\n\r ]|[\t\n\r ]$/;

export function isToken(text: string): boolean {
  return TOKEN.test(text);
}

/** Removes leading and trailing HTTP whitespace (tab, LF, CR, space). */
export function normalizeHeaderValue(value: string): string {
  return EDGE.test(value) ? value.replace(EDGE_WHITESPACE, "") : value;
}

/** A normalized value is valid when it holds no NUL, LF or CR (Fetch § 2.2 "header value"). */
export function isHeaderValue(value: string): boolean {
  return !NOT_IN_VALUE.test(value);
}

/** RFC 9112's reason-phrase: tab, space, visible ASCII and obs-text. */
export function isReasonPhrase(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code !== 0x09 && (code < 0x20 || code === 0x7f || code > 0xff)) return false;
  }
  return true;
}
