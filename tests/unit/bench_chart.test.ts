/**
 * bench/chart.ts: the SVG chart beside each benchmark's results — bars scaled to the largest
 * in their block, values labelled, text escaped, a missing figure drawn as "—" — and every
 * benchmark's committed latest results mapped to a chart with Skiff's figures in it.
 */
import test from "ava";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { chartFor, drawAll, renderSvg } from "../../bench/chart.ts";

const results = path.join(import.meta.dirname, "..", "..", "bench", "results");

test("bars scale to the largest of their block; values are labelled, text escaped, a missing figure is a dash", (t) => {
  const svg = renderSvg({
    title: "A <b> & C", subtitle: "sub",
    groups: [
      { label: "first", unit: "ms", better: "lower", bars: [{ name: "Skiff", value: 50 }, { name: "Other", value: 100 }, { name: "None", value: undefined }] },
      { label: "second", unit: "x", better: "higher", bars: [{ name: "Skiff", value: 3 }] },
    ],
  });
  t.true(svg.startsWith("<svg xmlns=\"http://www.w3.org/2000/svg\""));
  t.true(svg.includes("A &lt;b&gt; &amp; C"));
  const widths = [...svg.matchAll(/<rect x="190" y="\d+" width="([\d.]+)"/g)].map((match) => Number(match[1]));
  t.deepEqual(widths, [220, 440, 0, 440]);
  t.true(svg.includes(">50.0<") && svg.includes(">100<") && svg.includes(">—<"));
  t.true(svg.includes("lower is better") && svg.includes("higher is better"));
});

test("every benchmark's latest results make a chart with Skiff's figures", (t) => {
  for (const name of ["http", "kv", "net", "reload", "boot", "devices"]) {
    const spec = chartFor(name, JSON.parse(fs.readFileSync(path.join(results, `${name}-latest.json`), "utf8")) as object);
    t.truthy(spec, name);
    t.true(spec!.groups.length > 0, name);
    const skiff = spec!.groups.flatMap((group) => group.bars).filter((bar) => bar.name.startsWith("Skiff"));
    t.true(skiff.length > 0 && skiff.every((bar) => typeof bar.value === "number" && bar.value > 0), `${name}: ${JSON.stringify(skiff)}`);
  }
  t.is(chartFor("profile", {}), undefined);
});

test("drawAll writes NAME-….svg beside each results JSON it knows", (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "skiff-chart-"));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  fs.copyFileSync(path.join(results, "kv-latest.json"), path.join(dir, "kv-2026-01-01T000000Z.json"));
  fs.writeFileSync(path.join(dir, "other-1.json"), "{}");
  fs.writeFileSync(path.join(dir, "http-ab-2026-01-01T0000Z-x.json"), "{}"); // an A/B, not an http run
  t.deepEqual(drawAll(dir), [path.join(dir, "kv-2026-01-01T000000Z.svg")]);
});
