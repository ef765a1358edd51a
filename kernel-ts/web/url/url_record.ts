/**
 * url_record: the URL Standard's URL record (§ 4.1) and what is computed from it: the
 * serializer (§ 4.5), the path serializer, origins (§ 4.7), and the scheme facts the
 * parser and the URL class share (special schemes and their default ports).
 *
 * Hosts are stored serialized (see host.ts): null for no host, "" for the empty host.
 * An opaque path is a string; any other path is a list of segments.
 */

export interface UrlRecord {
  scheme: string;
  username: string;
  password: string;
  host: string | null;
  port: number | null;
  path: string[] | string;
  query: string | null;
  fragment: string | null;
}

const SPECIAL_PORTS: ReadonlyMap<string, number | null> = new Map([
  ["ftp", 21], ["file", null], ["http", 80], ["https", 443], ["ws", 80], ["wss", 443],
]);

export function isSpecialScheme(scheme: string): boolean {
  return SPECIAL_PORTS.has(scheme);
}

/** The default port of a special scheme; null for file and non-special schemes. */
export function defaultPort(scheme: string): number | null {
  return SPECIAL_PORTS.get(scheme) ?? null;
}

export function emptyUrlRecord(): UrlRecord {
  return { scheme: "", username: "", password: "", host: null, port: null, path: [], query: null, fragment: null };
}

export function cloneUrlRecord(url: UrlRecord): UrlRecord {
  return { ...url, path: typeof url.path === "string" ? url.path : [...url.path] };
}

export function hasOpaquePath(url: UrlRecord): boolean {
  return typeof url.path === "string";
}

export function includesCredentials(url: UrlRecord): boolean {
  return url.username !== "" || url.password !== "";
}

export function cannotHaveUsernamePasswordPort(url: UrlRecord): boolean {
  return url.host === null || url.host === "" || url.scheme === "file";
}

/** § 4.5 "URL path serializer". */
export function serializePath(url: UrlRecord): string {
  if (typeof url.path === "string") return url.path;
  let out = "";
  for (const segment of url.path) out += "/" + segment;
  return out;
}

/** § 4.5 "URL serializer". */
export function serializeUrl(url: UrlRecord, excludeFragment = false): string {
  let out = url.scheme + ":";
  if (url.host !== null) {
    out += "//";
    if (includesCredentials(url)) {
      out += url.username;
      if (url.password !== "") out += ":" + url.password;
      out += "@";
    }
    out += url.host;
    if (url.port !== null) out += ":" + String(url.port);
  } else if (typeof url.path !== "string" && url.path.length > 1 && url.path[0] === "") {
    out += "/.";
  }
  out += serializePath(url);
  if (url.query !== null) out += "?" + url.query;
  if (!excludeFragment && url.fragment !== null) out += "#" + url.fragment;
  return out;
}

/** § 4.7 origin, serialized (§ "serialization of an origin"): "null" for opaque origins. */
export function serializeOrigin(url: UrlRecord, parse: (input: string) => UrlRecord | null): string {
  switch (url.scheme) {
    case "blob": {
      const inner = parse(serializePath(url));
      if (inner === null || (inner.scheme !== "http" && inner.scheme !== "https")) return "null";
      return serializeOrigin(inner, parse);
    }
    case "ftp": case "http": case "https": case "ws": case "wss":
      return `${url.scheme}://${url.host ?? ""}${url.port === null ? "" : ":" + String(url.port)}`;
    default:
      return "null";
  }
}
