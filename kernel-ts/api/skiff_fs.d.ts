/**
 * The module `skiff:fs` as apps see it: the kernel defines it at boot (kernel-ts/fs/boot.ts,
 * Platform.defineModule) from kernel-ts/fs/api/fs_promises.ts, a node:fs/promises subset.
 * `node:fs/promises` (and `fs/promises`) is the same module: the app bundler maps those
 * names to skiff:fs (host/build/bundle.ts), and node_fs_promises.d.ts gives them these types.
 */
declare module "skiff:fs" {
  type FsPromises = import("../fs/api/fs_promises.ts").FsPromises;
  export type FileHandle = import("../fs/api/file_handle.ts").FileHandle;
  export type Stats = import("../fs/api/stats.ts").Stats;
  export type Dirent = import("../fs/api/stats.ts").Dirent;
  export type FsError = import("../fs/errors.ts").FsError;
  export const readFile: FsPromises["readFile"];
  export const writeFile: FsPromises["writeFile"];
  export const appendFile: FsPromises["appendFile"];
  export const readdir: FsPromises["readdir"];
  export const stat: FsPromises["stat"];
  export const lstat: FsPromises["lstat"];
  export const mkdir: FsPromises["mkdir"];
  export const rm: FsPromises["rm"];
  export const rmdir: FsPromises["rmdir"];
  export const unlink: FsPromises["unlink"];
  export const rename: FsPromises["rename"];
  export const access: FsPromises["access"];
  export const chmod: FsPromises["chmod"];
  export const truncate: FsPromises["truncate"];
  export const open: FsPromises["open"];
  export const constants: FsPromises["constants"];
  export const FsError: FsPromises["FsError"];
}
