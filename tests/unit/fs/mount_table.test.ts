/**
 * The mount table (kernel-ts/fs/mount_table.ts) and mounting through the VFS: the longest
 * prefix wins, by whole components; one mount per point; a mount needs a directory.
 */
import test from "ava";
import { ImageFs, Ramfs, Vfs } from "../../../kernel-ts/fs/mod.ts";
import { MountTable } from "../../../kernel-ts/fs/mount_table.ts";

const ramfs = () => new Ramfs({ maxBytes: 1024, nowMs: () => 0 });

test("a path goes to the mount whose point is its longest prefix", (t) => {
  const table = new MountTable();
  const root = table.add([], ramfs());
  const tmp = table.add(["tmp"], ramfs());
  const deep = table.add(["tmp", "deep"], ramfs());
  t.is(table.route(["tmp", "deep", "x"])?.mount, deep);
  t.deepEqual(table.route(["tmp", "deep", "x"])?.rest, ["x"]);
  t.is(table.route(["tmp", "x"])?.mount, tmp);
  t.is(table.route(["tmp"])?.mount, tmp);
  t.deepEqual(table.route(["tmp"])?.rest, []);
  t.is(table.route(["tmpfoo"])?.mount, root, "whole components only");
  t.is(table.route([])?.mount, root);
  t.deepEqual(table.list().map((mount) => mount.path), ["/", "/tmp", "/tmp/deep"]);
  t.deepEqual(new Set(table.list().map((mount) => mount.dev)).size, 3, "a device number each");
});

test("with nothing at /, a path under no mount names nothing", (t) => {
  const table = new MountTable();
  table.add(["tmp"], ramfs());
  t.is(table.route(["etc"]), undefined);
  const vfs = new Vfs();
  vfs.mount("/", new ImageFs(new Map(), { directories: ["/tmp"] }));
  t.notThrows(() => vfs.stat("/tmp"));
  const bare = new Vfs();
  t.throws(() => bare.stat("/tmp"), { code: "ENOENT", message: "ENOENT: no such file or directory, stat '/tmp'" });
});

test("a second mount on the same point is refused", (t) => {
  const table = new MountTable();
  table.add(["tmp"], ramfs());
  t.throws(() => table.add(["tmp"], ramfs()), { instanceOf: RangeError, message: "Cannot mount ramfs on /tmp: /tmp is already a mount point" });
});

test("a mount needs an existing directory to sit on", (t) => {
  const vfs = new Vfs();
  vfs.mount("/", new ImageFs(new Map([["/file", new Uint8Array(1)]]), { directories: ["/dir"] }));
  t.throws(() => vfs.mount("/missing", ramfs()), { code: "ENOENT", message: "ENOENT: no such file or directory, mount '/missing'" });
  t.throws(() => vfs.mount("/file", ramfs()), { code: "ENOTDIR", message: "ENOTDIR: not a directory, mount '/file'" });
  vfs.mount("/dir", ramfs());
  t.deepEqual(vfs.mounts(), [{ path: "/", type: "imagefs" }, { path: "/dir", type: "ramfs" }]);
});
