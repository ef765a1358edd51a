/**
 * mount_table: which file system answers for which part of the tree. A path belongs to
 * the mount whose point is its longest prefix, compared by whole components (/tmpfoo is
 * not under /tmp); the rest of the path is what that file system sees. With nothing
 * mounted at "/", a path under no mount point names nothing.
 */

import type { FileSystem } from "./file_system.ts";
import { joinComponents } from "./path.ts";

export interface Mount {
  /** The mount point's components ([] for "/"). */
  readonly point: readonly string[];
  /** The mount point as text: "/tmp". */
  readonly path: string;
  readonly fs: FileSystem;
  /** The device number stat reports for everything in this mount; one per mount. */
  readonly dev: number;
}

export interface Routed {
  readonly mount: Mount;
  /** The path below the mount point, as the file system sees it. */
  readonly rest: readonly string[];
}

export class MountTable {
  /** Deepest first, so the first prefix found is the longest. */
  #mounts: Mount[] = [];
  /** In the order they were mounted. */
  readonly #inOrder: Mount[] = [];
  #nextDev = 1;

  /** Adds a mount at `point`; a second mount on the same point is a RangeError. */
  add(point: readonly string[], fs: FileSystem): Mount {
    const path = joinComponents(point);
    if (this.#mounts.some((mount) => mount.path === path)) throw new RangeError(`Cannot mount ${fs.type} on ${path}: ${path} is already a mount point`);
    const mount: Mount = { point: [...point], path, fs, dev: this.#nextDev++ };
    this.#mounts = [...this.#mounts, mount].sort((a, b) => b.point.length - a.point.length);
    this.#inOrder.push(mount);
    return mount;
  }

  /** The mount that holds `components`, or undefined when no mount point is a prefix. */
  route(components: readonly string[]): Routed | undefined {
    for (const mount of this.#mounts) {
      if (mount.point.length <= components.length && mount.point.every((name, i) => components[i] === name)) {
        return { mount, rest: components.slice(mount.point.length) };
      }
    }
    return undefined;
  }

  /** The mounts in the order they were made. */
  list(): readonly Mount[] {
    return [...this.#inOrder];
  }
}
