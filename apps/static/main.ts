/**
 * static: serves its assets folder over HTTP — a fetch app (kernel-ts/loader/http_app.ts)
 * that reads the files from the boot image at /app (node:fs/promises, which is skiff:fs).
 *
 * The manifest's "assets": "public" puts apps/static/public/x into the image as
 * /app/assets/x, which the kernel mounts read-only at /app/assets/x (kernel-ts/fs/app_files.ts);
 * env.ROOT names another folder to serve. The app is "linked": false: without its image it
 * would have nothing to serve. `skiff run static` boots it from build/apps/static.img.
 * "cpuBudgetMs": 1000, not the default 100: on a busy host under qemu TCG a request's first
 * synchronous slice was seen to pass 100 ms of wall-clock time.
 *
 *   GET, HEAD     the file, with Content-Type by extension, ETag, Last-Modified, Range
 *                 (file_response.ts); a folder's index.html for a path ending in "/", and a
 *                 301 to the path with "/" for a folder named without one (so relative links
 *                 in its index.html resolve); no listings
 *   404           no such file, or a folder without index.html
 *   400           a path that decodes to more than one name: "..%2f", "%2fetc", "//" (request_path.ts)
 *   405           any other method (Allow: GET, HEAD)
 */

import { stat, type Stats } from "node:fs/promises";
import { fileResponse } from "./file_response.ts";
import { PathRefused, requestPath } from "./request_path.ts";

const DEFAULT_ROOT = "/app/assets";
/** What stat fails with for a path that names no file; anything else is a fault (500). */
const NO_SUCH_FILE = new Set(["ENOENT", "ENOTDIR", "ENAMETOOLONG"]);

function text(status: number, body: string, headers: Record<string, string> = {}): Response {
  return new Response(`${body}\n`, { status, headers: { "content-type": "text/plain; charset=utf-8", ...headers } });
}

async function statOf(path: string): Promise<Stats | undefined> {
  try {
    return await stat(path);
  } catch (error) {
    if (NO_SUCH_FILE.has((error as { code?: string }).code ?? "")) return undefined;
    throw error;
  }
}

export default {
  async fetch(request: Request, env: Record<string, string>): Promise<Response> {
    if (request.method !== "GET" && request.method !== "HEAD") {
      return text(405, `Cannot ${request.method} a static file: only GET and HEAD`, { allow: "GET, HEAD" });
    }
    const url = new URL(request.url);
    const target = requestPath(url.pathname);
    if (target instanceof PathRefused) return text(400, target.reason);
    const root = env.ROOT ?? DEFAULT_ROOT;
    let path = [root, ...target.segments].join("/");
    let stats = await statOf(path);
    if (stats?.isDirectory()) {
      if (!target.directory) return new Response(null, { status: 301, headers: { location: `${url.pathname}/${url.search}` } });
      path += "/index.html";
      stats = await statOf(path);
    } else if (target.directory) {
      stats = undefined; // "file.txt/" names a folder, and file.txt is not one
    }
    if (stats === undefined || !stats.isFile()) return text(404, `Cannot find ${url.pathname}`);
    return fileResponse(request, path, stats);
  },
};
