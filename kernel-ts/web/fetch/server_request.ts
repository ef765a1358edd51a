/**
 * server_request: how the HTTP server (kernel-ts/http/connection.ts) makes the Request for a
 * parsed request head without the constructor's checks of what its parser already checked.
 * The factory is a static of the Request class under a registered symbol, so it belongs to
 * whichever build of the web classes an app runs on (a reloaded app API brings its own).
 *
 * `factory(url, method, fields, body)` is `new Request(url, { method, headers: fields, body,
 * duplex: "half" })` for fields with token names and values without control characters or
 * surrounding whitespace: the same Request, or the same TypeError for a URL that does not
 * parse, a forbidden method or a body with GET or HEAD.
 */
export const SERVER_REQUEST = Symbol.for("skiff.http.serverRequest");

export type ServerRequestFactory = (
  url: string,
  method: string,
  fields: readonly (readonly [string, string])[],
  body: ReadableStream<Uint8Array> | null,
) => Request;

/** The factory on `requestClass`, if it has one (a build of the web classes from before it, or another Request, has not). */
export function serverRequestFactory(requestClass: typeof Request): ServerRequestFactory | undefined {
  const factory = (requestClass as unknown as Record<symbol, unknown>)[SERVER_REQUEST];
  return typeof factory === "function" ? factory as ServerRequestFactory : undefined;
}
