/**
 * http_app: running an app whose default export has `fetch(request, env, ctx)` — the shape
 * of Workers, Deno and Bun — as an HTTP/1.1 server (kernel-ts/http) on skiff:net.
 *
 * The port is env.PORT if given, else the manifest's first port (the loader passes it), else
 * 8080. Once listening it prints one line a user (and `make run`) can act on:
 *   skiff: app NAME serving http://ADDRESS:PORT/
 * ADDRESS is the interface's address once configured (DHCP or ip=), else 0.0.0.0. The
 * server runs until the machine stops; a handler that throws answers 500 and is reported
 * with its stack, and the server keeps serving.
 */

import type { KernelConsole } from "../console/mod.ts";
import { resolveLimits } from "../http/limits.ts";
import type { FetchHandler, WebClasses } from "../http/connection.ts";
import { serveHttp, type HttpServer, type StreamListener } from "../http/server.ts";
import type { HttpTimers } from "../http/request_reader.ts";
import { reportAppError, type FrameMapper } from "../report.ts";

export const DEFAULT_HTTP_PORT = 8080;

export interface HttpAppContext {
  readonly name: string;
  readonly env: Record<string, string>;
  readonly console: KernelConsole;
  readonly timers: HttpTimers;
  readonly wallClockMs: () => number;
  /** skiff:net's listen, and the interface address once it has one. */
  readonly listen: (options: { port: number }) => Promise<StreamListener>;
  readonly address: () => Promise<string>;
  /** Shows the app's stack frames at their source positions (app_frames.ts). */
  readonly mapFrames?: FrameMapper;
  /** The manifest's ports, first one the default. */
  readonly ports?: readonly number[];
  /** The app API's classes for the next request (live_app.ts); the globals' when absent. */
  readonly web?: () => WebClasses;
}

/** The port to serve on: env.PORT, the manifest's, or 8080; a bad env.PORT is an error. */
export function httpPort(env: Record<string, string>, ports: readonly number[] = []): number {
  const given = env.PORT;
  if (given === undefined) return ports[0] ?? DEFAULT_HTTP_PORT;
  const port = Number(given);
  if (!/^\d+$/.test(given) || port < 1 || port > 65535) throw new RangeError(`Cannot serve on env.PORT=${given}: not a port number (1–65535)`);
  return port;
}

/** Starts serving `handler`; resolves once listening, with the server. */
export async function startHttpApp(handler: FetchHandler, context: HttpAppContext): Promise<HttpServer> {
  const port = httpPort(context.env, context.ports);
  const listener = await context.listen({ port });
  const server = serveHttp(listener, {
    handler,
    env: context.env,
    limits: resolveLimits(),
    timers: context.timers,
    wallClockMs: context.wallClockMs,
    ...(context.web === undefined ? {} : { web: context.web }),
    reportError: (what, error) => reportAppError(context.console, context.name, what, error, context.mapFrames),
  });
  context.console.log(`skiff: app ${context.name} serving http://${await context.address()}:${port}/`);
  return server;
}
