/**
 * request_path: the file a request's URL names, as segments below the served folder, or why
 * it names none (a 400).
 *
 * The URL parser has already removed "." and ".." segments, their percent-encoded forms
 * ("%2e%2e") included (WHATWG URL, path state), so a pathname never climbs above "/". What
 * is left to refuse is what percent-decoding would turn into more than one name: a segment
 * that decodes to something holding "/" or "\" ("..%2f..", "%2fetc%2fpasswd": an absolute
 * path or a climb in disguise), to "." or "..", or holding a NUL; an empty segment ("//"); and
 * escapes that are not UTF-8. Every segment left is one plain name, so the file it names is
 * inside the served folder whatever the names are.
 */

export interface RequestPath {
  /** The names from the served folder down; empty for the folder itself. */
  readonly segments: readonly string[];
  /** The pathname ended in "/": it asks for a directory (and its index.html). */
  readonly directory: boolean;
}

export class PathRefused {
  constructor(readonly reason: string) {}
}

export function requestPath(pathname: string): RequestPath | PathRefused {
  if (!pathname.startsWith("/")) return new PathRefused(`Cannot serve ${pathname}: the path is not absolute`);
  const raw = pathname.slice(1).split("/");
  const directory = raw[raw.length - 1] === "";
  if (directory) raw.pop();
  const segments: string[] = [];
  for (const encoded of raw) {
    let name: string;
    try {
      name = decodeURIComponent(encoded);
    } catch {
      return new PathRefused(`Cannot serve ${pathname}: "${encoded}" is not percent-encoded UTF-8`);
    }
    if (name === "") return new PathRefused(`Cannot serve ${pathname}: it has an empty segment`);
    if (name === "." || name === ".." || /[/\\\0]/.test(name)) {
      return new PathRefused(`Cannot serve ${pathname}: "${encoded}" decodes to "${name.replace(/\0/g, "\\0")}", which is not one file name`);
    }
    segments.push(name);
  }
  return { segments, directory };
}
