/**
 * app_frames: an app's stack frames at their TypeScript positions, for report.ts. The app's
 * bundle is compiled as module "apps/NAME.js" (host/build/app_image_build.ts), so QuickJS
 * prints its frames as "at fn (apps/NAME.js:3:18)"; `skiff build` packs esbuild's source
 * map beside it as /app/NAME.js.map, with sources relative to the project ("apps/NAME/main.ts",
 * "node_modules/hono/dist/…"). The map is read and parsed at the first report, not at boot.
 *
 * Apps linked into the ELF carry no map: their frames stay bundle positions.
 */

import type { BootImageSource } from "../image/mod.ts";
import { appImageEntries, sourceMapPath } from "../image/mod.ts";
import type { FrameMapper } from "../report.ts";
import { mapFrames, SourceMap } from "./source_map.ts";

/** A FrameMapper for app `name` (frames unchanged when the boot image has no map for it). */
export function appFrameMapper(platform: BootImageSource, name: string): FrameMapper {
  let map: SourceMap | null | undefined; // null: looked, none
  return (frames) => {
    if (map === undefined) map = readMap(platform, name);
    return map === null ? frames : mapFrames(frames, `apps/${name}.js`, map);
  };
}

function readMap(platform: BootImageSource, name: string): SourceMap | null {
  try {
    const bytes = appImageEntries(platform, { verifyCrc: false })?.get(sourceMapPath(name));
    return bytes === undefined ? null : SourceMap.parse(new TextDecoder().decode(bytes));
  } catch {
    return null; // a map that cannot be read leaves the frames as they are
  }
}
