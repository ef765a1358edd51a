/**
 * watch_tree: calls back on any change under a folder. One non-recursive fs.watch (inotify)
 * per folder, not Node's recursive mode: on Linux that mode loses a file once an editor saves
 * it by renaming a new file over it (Node 20: the first save is seen, the next ones are not).
 * A folder watch sees every rename into it. Folders made later are watched when they appear;
 * node_modules and dot-folders are skipped.
 */
import fs from "node:fs";
import path from "node:path";

export interface TreeWatch {
  close(): void;
}

export function watchTree(root: string, onChange: () => void): TreeWatch {
  const watchers = new Map<string, fs.FSWatcher>();
  const add = (dir: string): void => {
    if (watchers.has(dir)) return;
    let watcher: fs.FSWatcher;
    try {
      watcher = fs.watch(dir, (_event, name) => {
        if (name !== null) {
          const child = path.join(dir, name);
          if (isWatchable(child)) add(child);
        }
        onChange();
      });
    } catch {
      return; // gone already
    }
    watcher.on("error", () => { watcher.close(); watchers.delete(dir); });
    watchers.set(dir, watcher);
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const child = path.join(dir, entry.name);
      if (entry.isDirectory() && isWatchable(child)) add(child);
    }
  };
  add(root);
  return {
    close() {
      for (const watcher of watchers.values()) watcher.close();
      watchers.clear();
    },
  };
}

function isWatchable(dir: string): boolean {
  const name = path.basename(dir);
  if (name === "node_modules" || name.startsWith(".")) return false;
  try {
    return fs.statSync(dir).isDirectory();
  } catch {
    return false;
  }
}
