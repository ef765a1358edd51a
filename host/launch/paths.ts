/**
 * Where things live in the repository, resolved from this file so the CLI works from any
 * working directory. The build contract (Makefile) puts every artefact under build/.
 */
import { fileURLToPath } from "node:url";
import path from "node:path";

export const repoRoot = fileURLToPath(new URL("../../", import.meta.url));

export const paths = {
  repoRoot,
  appsDir: path.join(repoRoot, "apps"),
  buildDir: path.join(repoRoot, "build"),
  /** Stripped PVH ELF: shim + QuickJS + kernel bytecode + every linked app. */
  image: path.join(repoRoot, "build", "skiff.elf"),
  /** The kernel as an ESM bundle, `skiff:hal` left external (`make bundles`). */
  kernelBundle: path.join(repoRoot, "build", "js", "kernel.js"),
  /** One ESM bundle per app (`make bundles`). */
  appBundlesDir: path.join(repoRoot, "build", "js", "apps"),
  hypervisorConfigs: path.join(repoRoot, "hypervisor-configs"),
  /** App images, NAME.img each (`skiff build NAME`), booted as PVH module 0. */
  appImagesDir: path.join(repoRoot, "build", "apps"),
  /** The host QuickJS compiler, built from the guest engine's source (`make build/host/qjsc`). */
  qjsc: path.join(repoRoot, "build", "host", "qjsc"),
  /** The kernel's and apps' compiler options. */
  tsconfig: path.join(repoRoot, "tsconfig.json"),
  /** A tap device ↔ UDP datagrams, for a hosted kernel on a tap (`make tapbridge`). */
  tapBridge: path.join(repoRoot, "build", "host", "tapbridge"),
} as const;
