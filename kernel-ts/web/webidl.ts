/**
 * webidl: the WebIDL string conversions this folder's APIs apply to their arguments:
 * ByteString (header names and values) and USVString (URLs, form data, text to encode).
 */

const ABOVE_LATIN1 = /[^\u0000-\u00ff]/;
const SURROGATE = /[\ud800-\udfff]/;

/** WebIDL ByteString: String(value), a TypeError if any code unit is above 0xFF. */
export function toByteString(value: unknown, context: string): string {
  const text = String(value);
  if (!ABOVE_LATIN1.test(text)) return text; // one native scan instead of a JS loop per character
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) > 0xff) {
      throw new TypeError(`${context}: Cannot convert argument to a ByteString because the character at index ${i} has a value of ${text.charCodeAt(i)} which is greater than 255.`);
    }
  }
  return text;
}

/** ES2024's String.prototype.toWellFormed, where the engine has it (QuickJS 2025-04-26 and Node 20 do). */
const toWellFormed = (String.prototype as { toWellFormed?: (this: string) => string }).toWellFormed;

/** WebIDL USVString: String(value) with lone surrogates replaced by U+FFFD. */
export function toUsvString(value: unknown): string {
  const text = String(value);
  if (toWellFormed !== undefined) return toWellFormed.call(text); // native: no regex scan, no JS loop
  if (!SURROGATE.test(text)) return text; // most strings have none: one native scan
  let out = "";
  let last = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0xd800 || code > 0xdfff) continue;
    if (code <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        i++;
        continue;
      }
    }
    out += text.slice(last, i) + "\ufffd";
    last = i + 1;
  }
  return last === 0 ? text : out + text.slice(last);
}
