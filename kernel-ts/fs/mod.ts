/**
 * fs/: the VFS — a mount table over file systems behind one interface (file_system.ts):
 * ramfs, devfs and a read-only image — with descriptors and positions (vfs.ts), and the
 * node:fs/promises subset apps import as `skiff:fs` (api/). boot.ts puts it together.
 */

export { startFiles, type Files, type FilesBoot } from "./boot.ts";
export { createFsPromises, type FsPromises } from "./api/fs_promises.ts";
export { FileHandle } from "./api/file_handle.ts";
export { Dirent, Stats } from "./api/stats.ts";
export { ArgumentOutOfRange, FileTooLarge, InvalidArgument } from "./api/argument_errors.ts";
export { FileClosed, FsError, RmIsDirectory, type FsCode, type FsResult } from "./errors.ts";
export type { DirEntry, FileSystem, NodeKind, NodeStats, OpenFile, OpenIntent } from "./file_system.ts";
export { Devfs, type DevfsOptions } from "./devfs.ts";
export { ImageFs, type ImageFsOptions } from "./image_fs.ts";
export { Ramfs, type RamfsOptions } from "./ramfs/ramfs.ts";
export { Vfs, type OpenFlags, type VfsStats } from "./vfs.ts";
