/**
 * mime_type: the MIME Sniffing Standard's MIME type parser and serializer (§ 4.4, § 4.5),
 * which the body mixin uses to read a Content-Type: the essence decides how formData()
 * parses, parameters carry the multipart boundary, and the serialization is blob()'s type.
 */

import { isToken } from "./http_tokens.ts";

export interface MimeType {
  readonly type: string;
  readonly subtype: string;
  readonly parameters: Map<string, string>;
}

function isHttpWhitespace(char: string | undefined): boolean {
  return char === " " || char === "\t" || char === "\n" || char === "\r";
}

function trimHttpWhitespace(text: string): string {
  return text.replace(/^[\t\n\r ]+|[\t\n\r ]+$/g, "");
}

/** Code points a parameter value may hold: tab, U+0020–U+007E, U+0080–U+00FF. */
function isQuotedStringText(text: string): boolean {
  return /^[\t\u0020-\u007e\u0080-\u00ff]*$/.test(text);
}

/** § 4.4; null when `input` is not a MIME type. */
export function parseMimeType(input: string): MimeType | null {
  const text = trimHttpWhitespace(input);
  const slash = text.indexOf("/");
  if (slash < 0) return null;
  const type = text.slice(0, slash);
  if (!isToken(type)) return null;
  let position = slash + 1;
  let semicolon = text.indexOf(";", position);
  if (semicolon < 0) semicolon = text.length;
  const subtype = text.slice(position, semicolon).replace(/[\t\n\r ]+$/, "");
  if (!isToken(subtype)) return null;
  const mime: MimeType = { type: type.toLowerCase(), subtype: subtype.toLowerCase(), parameters: new Map() };
  position = semicolon;
  while (position < text.length) {
    position++; // the ";"
    while (isHttpWhitespace(text[position])) position++;
    let nameEnd = position;
    while (nameEnd < text.length && text[nameEnd] !== ";" && text[nameEnd] !== "=") nameEnd++;
    const name = text.slice(position, nameEnd).toLowerCase();
    position = nameEnd;
    if (position >= text.length) break;
    if (text[position] === ";") continue;
    position++; // the "="
    let value: string;
    if (text[position] === '"') {
      value = "";
      position++;
      while (position < text.length) {
        const char = text[position]!;
        if (char === '"') {
          position++;
          break;
        }
        if (char === "\\") {
          position++;
          if (position >= text.length) {
            value += "\\";
            break;
          }
        }
        value += text[position]!;
        position++;
      }
      while (position < text.length && text[position] !== ";") position++;
    } else {
      let valueEnd = text.indexOf(";", position);
      if (valueEnd < 0) valueEnd = text.length;
      value = text.slice(position, valueEnd).replace(/[\t\n\r ]+$/, "");
      position = valueEnd;
      if (value === "") continue;
    }
    if (name !== "" && isToken(name) && isQuotedStringText(value) && !mime.parameters.has(name)) {
      mime.parameters.set(name, value);
    }
  }
  return mime;
}

/** § 4.5. */
export function serializeMimeType(mime: MimeType): string {
  let out = `${mime.type}/${mime.subtype}`;
  for (const [name, value] of mime.parameters) {
    out += `;${name}=`;
    out += value !== "" && isToken(value) ? value : `"${value.replace(/["\\]/g, "\\$&")}"`;
  }
  return out;
}

export function essence(mime: MimeType): string {
  return `${mime.type}/${mime.subtype}`;
}
