/**
 * `node:fs/promises` and `fs/promises` for apps: the same module as skiff:fs (the app
 * bundler maps the names; see skiff_fs.d.ts). Where @types/node is loaded too (the host's
 * type check), these declarations merge with Node's own, whose exports take precedence.
 *
 * The bundle also gives these names a default export (npm code's `import fs from
 * "fs/promises"`); it is not declared here, because a declared default would replace the
 * type of Node's synthetic default in host code. Apps use named or namespace imports.
 */
declare module "node:fs/promises" {
  export * from "skiff:fs";
}
declare module "fs/promises" {
  export * from "skiff:fs";
}
