/**
 * loader/source_map.ts against a reference decoder (@jridgewell/trace-mapping, what
 * esbuild's and Node's tooling use) on maps esbuild writes for real apps: every generated
 * position maps to the same original one; frames are rewritten; bad maps are refused.
 */
import test from "ava";
import { build } from "esbuild";
import { GREATEST_LOWER_BOUND, originalPositionFor, TraceMap } from "@jridgewell/trace-mapping";
import { appBundle } from "../../../host/build/esbuild_options.ts";
import { mapFrames, SourceMap, SourceMapError } from "../../../kernel-ts/loader/source_map.ts";

async function bundleWithMap(entry: string): Promise<{ code: string; map: string }> {
  const result = await build({ ...appBundle, entryPoints: [entry], write: false, outfile: "out/app.js", sourcemap: "external", sourcesContent: false, logLevel: "silent" });
  const code = result.outputFiles.find((file) => file.path.endsWith(".js"))!.text;
  const map = result.outputFiles.find((file) => file.path.endsWith(".map"))!.text;
  return { code, map };
}

for (const app of ["apps/test-throw/main.ts", "apps/kv/main.ts", "apps/hono/main.ts"]) {
  test(`${app}: every position of esbuild's bundle maps as trace-mapping maps it`, async (t) => {
    const { code, map } = await bundleWithMap(app);
    const ours = SourceMap.parse(map);
    const reference = new TraceMap(map);
    const lines = code.split("\n");
    let compared = 0;
    // Every position of a small bundle; of a large one (hono: ~10k lines; each lookup decodes
    // from the start), every 7th column of 300 lines spread over it.
    const small = code.length < 5000;
    const lineStep = small ? 1 : Math.max(1, Math.floor(lines.length / 300));
    for (let line = 1; line <= lines.length; line += lineStep) {
      for (let column = 1; column <= lines[line - 1]!.length; column += small ? 1 : 7) {
        const expected = originalPositionFor(reference, { line, column: column - 1, bias: GREATEST_LOWER_BOUND });
        const actual = ours.original(line, column);
        if (expected.source === null) {
          if (actual !== undefined) t.fail(`${line}:${column} is unmapped for trace-mapping, ours says ${JSON.stringify(actual)}`);
        } else {
          const want = { source: expected.source, line: expected.line, column: expected.column + 1 };
          const got = actual && { source: actual.source, line: actual.line, column: actual.column };
          if (JSON.stringify(got) !== JSON.stringify(want)) {
            t.fail(`${line}:${column}: ours ${JSON.stringify(got)}, trace-mapping ${JSON.stringify(want)}`);
            return;
          }
        }
        compared++;
      }
    }
    t.true(compared > 100, `only ${compared} positions`);
  });
}

test("mapFrames rewrites the bundle's positions and leaves others alone", async (t) => {
  const { code, map } = await bundleWithMap("apps/test-throw/main.ts");
  const line = code.split("\n").findIndex((text) => text.includes("throw new Error")) + 1;
  const column = code.split("\n")[line - 1]!.indexOf("new Error") + 1;
  const frames = [
    `    at checkStock (apps/test-throw.js:${line}:${column})`,
    "    at call (native)",
    "    at run (kernel.js:6687:51)",
  ].join("\n");
  t.is(mapFrames(frames, "apps/test-throw.js", SourceMap.parse(map)), [
    "    at checkStock (../apps/test-throw/main.ts:6:9)",
    "    at call (native)",
    "    at run (kernel.js:6687:51)",
  ].join("\n"));
});

test("maps that are not version 3 or whose fields are wrong are refused with SourceMapError", (t) => {
  t.throws(() => SourceMap.parse('{"version":2,"sources":[],"mappings":""}'), { instanceOf: SourceMapError, message: /version 2, not 3/ });
  t.throws(() => SourceMap.parse('{"version":3,"sources":[1],"mappings":""}'), { instanceOf: SourceMapError });
  t.throws(() => SourceMap.parse('{"version":3,"sources":["a"],"mappings":"!!"}').original(1, 1), { instanceOf: SourceMapError, message: /'!' is not a Base64 digit/ });
  t.is(SourceMap.parse('{"version":3,"sources":["a.ts"],"mappings":";AAAA"}').original(1, 1), undefined, "line 1 has no segment");
  t.deepEqual(SourceMap.parse('{"version":3,"sourceRoot":"src","sources":["a.ts"],"names":["f"],"mappings":";AAAAA,IAACA"}').original(2, 9), { source: "src/a.ts", line: 1, column: 2, name: "f" });
});
