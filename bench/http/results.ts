/**
 * What every HTTP/kv result file records besides its figures — the host, and the source
 * measured (the image's sha256 and the commit of the tree it was built in, with that tree's
 * uncommitted guest-side files) — and the writing of NAME-<date>.json and NAME-latest.json.
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

export interface HostInfo { cpu: string; cpus: number; qemu: string; node: string; kernel: string }
export interface SourceInfo { image: string; imageSha256: string; imageBuilt: string; appImage: string; appImageSha256: string; commit: string; uncommitted: string[] }

export function hostInfo(): HostInfo {
  const qemu = execFileSync("qemu-system-x86_64", ["--version"], { encoding: "utf8" }).split("\n")[0] ?? "";
  return { cpu: os.cpus()[0]?.model ?? "unknown", cpus: os.cpus().length, qemu, node: process.version, kernel: os.release() };
}

const sha256 = (file: string): string => createHash("sha256").update(fs.readFileSync(file)).digest("hex");

/** `image` is TREE/build/skiff.elf; the commit and dirty files are TREE's. */
export function sourceInfo(image: string, appImage: string): SourceInfo {
  const tree = path.dirname(path.dirname(image));
  const git = (args: string[]): string => {
    try {
      return execFileSync("git", ["-C", tree, ...args], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    } catch {
      throw new Error(`${image} is not TREE/build/skiff.elf of a git work tree, so the source measured cannot be recorded: build it in a worktree (git worktree add DIR REV; make build/skiff.elf there)`);
    }
  };
  return {
    image,
    imageSha256: sha256(image),
    imageBuilt: fs.statSync(image).mtime.toISOString(),
    appImage,
    appImageSha256: sha256(appImage),
    commit: git(["rev-parse", "HEAD"]).trim(),
    uncommitted: git(["status", "--porcelain", "--", "kernel-ts", "shim", "apps"]).split("\n").filter((line) => line !== ""),
  };
}

export function ratio(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined || b === undefined || b === 0 ? undefined : Number((a / b).toFixed(3));
}

export function median(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
