/**
 * http_tokens: the Fetch Standard's small grammar checks (§ 2.2): tokens (header names,
 * methods), header values, reason phrases, and value normalization.
 */

/** tchar from RFC 9110 § 5.6.2. */
function isTokenCode(code: number): boolean {
  if (code >= 0x30 && code <= 0x39) return true; // 0-9
  if (code >= 0x41 && code <= 0x5a) return true; // A-Z
  if (code >= 0x61 && code <= 0x7a) return true; // a-z
  return "!#$%&'*+-.^_`|~".includes(String.fromCharCode(code)) && code < 0x80;
}

/** RFC 9110's token: one or more tchar. */
export function isToken(text: string): boolean {
  if (text.length === 0) return false;
  for (let i = 0; i < text.length; i++) {
    if (!isTokenCode(text.charCodeAt(i))) return false;
  }
  return true;
}

function isHttpWhitespace(code: number): boolean {
  return code === 0x09 || code === 0x0a || code === 0x0d || code === 0x20;
}

/** Removes leading and trailing HTTP whitespace (tab, LF, CR, space). */
export function normalizeHeaderValue(value: string): string {
  let start = 0;
  let end = value.length;
  while (start < end && isHttpWhitespace(value.charCodeAt(start))) start++;
  while (end > start && isHttpWhitespace(value.charCodeAt(end - 1))) end--;
  return value.slice(start, end);
}

/** A normalized value is valid when it holds no NUL, LF or CR (Fetch § 2.2 "header value"). */
export function isHeaderValue(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code === 0x00 || code === 0x0a || code === 0x0d) return false;
  }
  return true;
}

/** RFC 9112's reason-phrase: tab, space, visible ASCII and obs-text. */
export function isReasonPhrase(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code !== 0x09 && (code < 0x20 || code === 0x7f || code > 0xff)) return false;
  }
  return true;
}
