/**
 * Fetches one Debian package with `apt-get download` (nothing is installed on the host) and
 * extracts files from it with dpkg-deb. Finds the version of Debian's current bookworm kernel
 * through the linux-image-amd64 metapackage.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

function run(program: string, args: readonly string[], cwd?: string): string {
  return execFileSync(program, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

/** `apt-cache depends`, running `apt-get update` once if the package lists know nothing yet. */
function aptDepends(pkg: string): string {
  try {
    return run("apt-cache", ["depends", pkg]);
  } catch {
    run("apt-get", ["update"]);
    return run("apt-cache", ["depends", pkg]);
  }
}

/** The package the metapackage linux-image-amd64 depends on, e.g. "linux-image-6.1.0-56-amd64". */
export function currentKernelPackage(): string {
  const match = /Depends: (linux-image-[0-9][^\s]*-amd64)/.exec(aptDepends("linux-image-amd64"));
  if (match?.[1] === undefined) throw new Error("Cannot find Debian's kernel package: `apt-cache depends linux-image-amd64` names no linux-image-*-amd64");
  return match[1];
}

/** The candidate version apt would download, e.g. "6.1.192-2". */
export function candidateVersion(pkg: string): string {
  const match = /Candidate: (\S+)/.exec(run("apt-cache", ["policy", pkg]));
  if (match?.[1] === undefined || match[1] === "(none)") throw new Error(`Cannot find a version of ${pkg} to download (apt-cache policy shows no candidate)`);
  return match[1];
}

/** Downloads `pkg` into `dir` (kept there as a cache) and returns the .deb's path. */
export function downloadPackage(pkg: string, dir: string): string {
  fs.mkdirSync(dir, { recursive: true });
  const existing = (): string | undefined => fs.readdirSync(dir).find((name) => name.startsWith(`${pkg}_`) && name.endsWith(".deb"));
  const cached = existing();
  if (cached !== undefined) return path.join(dir, cached);
  run("apt-get", ["download", pkg], dir);
  const fetched = existing();
  if (fetched === undefined) throw new Error(`Cannot find ${pkg}'s .deb in ${dir} after apt-get download`);
  return path.join(dir, fetched);
}

/**
 * Extracts the members matching `patterns` (tar wildcards such as "./boot/vmlinuz-*") into
 * `dir`. `dpkg-deb --fsys-tarfile` piped to tar is `dpkg-deb -x` limited to those members, so
 * the kernel package's 400 MB of modules are never written out.
 */
export function extractMembers(deb: string, dir: string, patterns: readonly string[]): void {
  fs.mkdirSync(dir, { recursive: true });
  const tarball = execFileSync("dpkg-deb", ["--fsys-tarfile", deb], { maxBuffer: 1 << 30 });
  execFileSync("tar", ["-x", "-C", dir, "--wildcards", ...patterns], { input: tarball, stdio: ["pipe", "ignore", "pipe"] });
}
