/**
 * Path resolution (kernel-ts/fs/path.ts): lexical normalisation of "." and "..", nothing
 * above "/", relative paths from "/", "must be a directory" for a trailing slash, and
 * Linux's name limits.
 */
import test from "ava";
import { resolvePath } from "../../../kernel-ts/fs/path.ts";

const components = (path: string) => {
  const resolved = resolvePath(path);
  return typeof resolved === "string" ? resolved : resolved.components;
};

test("normalises . and .. and repeated slashes", (t) => {
  t.deepEqual(components("/tmp/a/../b/./c//d"), ["tmp", "b", "c", "d"]);
  t.deepEqual(components("/"), []);
  t.deepEqual(components("//"), []);
  t.deepEqual(components("/tmp/.."), []);
});

test("nothing climbs above the root", (t) => {
  t.deepEqual(components("/../../etc"), ["etc"]);
  t.deepEqual(components("/tmp/../../../x"), ["x"]);
  t.deepEqual(components(".."), []);
});

test("a relative path is read from /, the one working directory", (t) => {
  t.deepEqual(components("tmp/x"), ["tmp", "x"]);
  t.deepEqual(components("./tmp"), ["tmp"]);
  t.deepEqual(components("."), []);
});

test("a trailing slash, /. or /.. means the path must name a directory", (t) => {
  for (const path of ["/tmp/x/", "/tmp/x/.", "/tmp/x/y/..", "/"]) {
    const resolved = resolvePath(path);
    t.true(typeof resolved !== "string" && resolved.mustBeDirectory, path);
  }
  for (const path of ["/tmp/x", "tmp", "."]) {
    const resolved = resolvePath(path);
    t.true(typeof resolved !== "string" && !resolved.mustBeDirectory, path);
  }
});

test("the empty path names nothing", (t) => {
  t.is(resolvePath(""), "ENOENT");
});

test("names of more than 255 bytes and paths of more than 4095 are ENAMETOOLONG", (t) => {
  t.deepEqual(components(`/${"a".repeat(255)}`), ["a".repeat(255)]);
  t.is(resolvePath(`/${"a".repeat(256)}`), "ENAMETOOLONG");
  t.is(resolvePath(`/${"é".repeat(128)}`), "ENAMETOOLONG", "128 × 2 UTF-8 bytes");
  t.deepEqual(components(`/${"é".repeat(127)}`), ["é".repeat(127)]);
  const deep = `/${Array.from({ length: 400 }, () => "abcdefghij").join("/")}`;
  t.is(resolvePath(deep), "ENAMETOOLONG");
});
