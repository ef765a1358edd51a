/**
 * chart: an SVG chart beside each benchmark's JSON (bench/results/NAME-<date>.svg and
 * NAME-latest.svg), so a run reads at a glance: one block per measure, one bar per system
 * (Skiff first, in its own colour), bars scaled to the largest in the block, each labelled
 * with its value and whether higher or lower is better. Plain SVG text, no dependencies.
 *
 * chartFor(name, results) knows each benchmark's JSON (http, kv, net, reload, boot, devices)
 * and returns undefined for anything else; writeResults (args.ts) calls it for every run.
 *
 *   npx tsx bench/chart.ts        # (re)draws the chart of every results JSON in bench/results
 */
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

export interface Bar {
  readonly name: string;
  /** Undefined: not measured in this run (drawn as "—"). */
  readonly value: number | undefined;
}

export interface ChartGroup {
  readonly label: string;
  readonly unit: string;
  readonly better: "higher" | "lower";
  readonly bars: readonly Bar[];
}

export interface ChartSpec {
  readonly title: string;
  readonly subtitle: string;
  readonly groups: readonly ChartGroup[];
}

const WIDTH = 760;
const LABEL_WIDTH = 150;
const BAR_AREA = 440;
const BAR_HEIGHT = 16;
const BAR_GAP = 4;
const GROUP_GAP = 10;
const GROUP_TITLE = 20;
const HEAD = 56;
const SKIFF_COLOUR = "#1f6feb";
const OTHER_COLOURS = ["#8c959f", "#57606a", "#afb8c1"];

function escape(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

function format(value: number): string {
  if (value >= 1000) return Math.round(value).toLocaleString("en-US");
  if (value >= 100) return value.toFixed(0);
  if (value >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

/** The SVG document for `spec`. */
export function renderSvg(spec: ChartSpec): string {
  const others = new Map<string, string>();
  const colour = (name: string): string => {
    if (name.toLowerCase().startsWith("skiff")) return SKIFF_COLOUR;
    if (!others.has(name)) others.set(name, OTHER_COLOURS[others.size % OTHER_COLOURS.length]!);
    return others.get(name)!;
  };
  const parts: string[] = [];
  let y = HEAD;
  for (const group of spec.groups) {
    const max = Math.max(0, ...group.bars.map((bar) => bar.value ?? 0));
    parts.push(`<text x="10" y="${y + 12}" class="group">${escape(group.label)} <tspan class="note">${escape(`(${group.unit}, ${group.better} is better)`)}</tspan></text>`);
    y += GROUP_TITLE;
    group.bars.forEach((bar, i) => {
      const top = y + i * (BAR_HEIGHT + BAR_GAP);
      const width = bar.value === undefined || max === 0 ? 0 : Math.max(1, (bar.value / max) * BAR_AREA);
      const x = LABEL_WIDTH + 40;
      parts.push(`<text x="${x - 6}" y="${top + 12}" class="name" text-anchor="end">${escape(bar.name)}</text>`);
      parts.push(`<rect x="${x}" y="${top}" width="${width.toFixed(1)}" height="${BAR_HEIGHT}" fill="${colour(bar.name)}"/>`);
      parts.push(`<text x="${(x + width + 6).toFixed(1)}" y="${top + 12}" class="value">${bar.value === undefined ? "—" : escape(format(bar.value))}</text>`);
    });
    y += group.bars.length * (BAR_HEIGHT + BAR_GAP) + GROUP_GAP;
  }
  const height = y + 8;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="sans-serif">`,
    "<style>.title{font-size:16px;font-weight:bold}.sub{font-size:11px;fill:#57606a}.group{font-size:12px;font-weight:bold}.note{font-size:10px;font-weight:normal;fill:#57606a}.name{font-size:11px}.value{font-size:11px}</style>",
    `<rect width="${WIDTH}" height="${height}" fill="#ffffff"/>`,
    `<text x="10" y="22" class="title">${escape(spec.title)}</text>`,
    `<text x="10" y="40" class="sub">${escape(spec.subtitle)}</text>`,
    ...parts,
    "</svg>",
    "",
  ].join("\n");
}

type Json = Record<string, unknown>;
const num = (value: unknown): number | undefined => (typeof value === "number" && Number.isFinite(value) ? value : undefined);
const list = (value: unknown): Json[] => (Array.isArray(value) ? value as Json[] : []);
const obj = (value: unknown): Json => (typeof value === "object" && value !== null ? value as Json : {});

function subtitle(results: Json, what: string): string {
  const settings = obj(results.settings);
  const accel = settings.accel ?? results.accel ?? "tcg";
  return `${String(results.date ?? "")}: ${what}; qemu ${String(accel)}${settings.machine !== undefined ? `, ${String(settings.machine)}` : ""}`;
}

function httpChart(results: Json): ChartSpec {
  const servers = list(results.servers);
  const server = (name: string): Json => servers.find((entry) => entry.server === name) ?? {};
  const wrk = (name: string, connections: number): Json => list(server(name).wrk).find((entry) => entry.connections === connections) ?? {};
  const names: Array<[string, string]> = [["skiff", "Skiff"], ["node", "Linux + Node"], ["busybox", "Linux + busybox httpd"]];
  const wrkNames = names.slice(0, 2);
  return {
    title: "HTTP: http-hello vs the Linux guest",
    subtitle: subtitle(results, "boot → first 200 (median of boots), wrk -t1 keep-alive"),
    groups: [
      { label: "boot → first HTTP 200", unit: "ms", better: "lower", bars: names.map(([key, name]) => ({ name, value: num(obj(server(key).bootToFirst200Ms).median) })) },
      ...[10, 100].flatMap((connections): ChartGroup[] => [
        { label: `requests/s, ${connections} connections`, unit: "requests/s", better: "higher", bars: wrkNames.map(([key, name]) => ({ name, value: num(wrk(key, connections).requestsPerSecond) })) },
        { label: `p99 latency, ${connections} connections`, unit: "ms", better: "lower", bars: wrkNames.map(([key, name]) => ({ name, value: num(obj(wrk(key, connections).latencyMs).p99) })) },
      ]),
    ],
  };
}

function kvChart(results: Json): ChartSpec {
  const servers = list(results.servers);
  const ops = (server: string, test: string): number | undefined => num(list(servers.find((entry) => entry.server === server)?.runs).find((run) => run.test === test)?.operationsPerSecond);
  return {
    title: "kv: apps/kv vs memcached in the Linux guest",
    subtitle: subtitle(results, "memcslap from the host's namespace"),
    groups: ["set", "get"].map((test) => ({ label: `${test} operations/s`, unit: "operations/s", better: "higher" as const, bars: [{ name: "Skiff kv", value: ops("skiff", test) }, { name: "memcached", value: ops("memcached", test) }] })),
  };
}

function netChart(results: Json): ChartSpec {
  const guests = list(results.guests);
  const guest = (name: string): Json => guests.find((entry) => entry.guest === name) ?? {};
  const both = (read: (entry: Json) => number | undefined): Bar[] => [{ name: "Skiff", value: read(guest("skiff")) }, { name: "Linux", value: read(guest("linux")) }];
  return {
    title: "TCP/IP: Skiff vs the Linux guest",
    subtitle: subtitle(results, "Linux's TCP on the host side of a tap"),
    groups: [
      { label: "bulk host → guest", unit: "Mbit/s", better: "higher", bars: both((entry) => num(obj(entry.hostToGuest).megabitsPerSecond)) },
      { label: "bulk guest → host", unit: "Mbit/s", better: "higher", bars: both((entry) => num(obj(entry.guestToHost).megabitsPerSecond)) },
      { label: "connections per second", unit: "connections/s", better: "higher", bars: both((entry) => num(obj(entry.connections).perSecond)) },
      { label: "32-byte round trip (median)", unit: "ms", better: "lower", bars: both((entry) => num(obj(obj(entry.roundTrip).rttMs).median)) },
      { label: "ICMP echo (median)", unit: "ms", better: "lower", bars: both((entry) => num(obj(obj(entry.ping).rttMs).median)) },
    ],
  };
}

function reloadChart(results: Json): ChartSpec {
  const median = (key: string, field: string): number | undefined => num(obj(results[key])[field]);
  return {
    title: "Hot reload: save → first answer from the new code",
    subtitle: subtitle(results, "median of the saves; reboots and node --watch for comparison"),
    groups: [{
      label: "save → new code answering", unit: "ms", better: "lower",
      bars: [
        { name: "Skiff dev, an app", value: median("skiffDev", "medianSaveToAnswerMs") },
        { name: "Skiff dev, HTTP module", value: median("skiffDevKernelModule", "medianSaveToAnswerMs") },
        { name: "Skiff dev, app API", value: median("skiffDevAppApi", "medianSaveToAnswerMs") },
        { name: "Skiff dev --hosted", value: median("skiffDevHosted", "medianSaveToAnswerMs") },
        { name: "Skiff VM reboot", value: median("skiffReboot", "medianMs") },
        { name: "node --watch (Linux)", value: median("nodeWatchInLinuxGuest", "medianMs") },
      ],
    }],
  };
}

function bootChart(results: Json): ChartSpec {
  const machines = obj(results.machines);
  return {
    title: "Boot: qemu spawn → hello",
    subtitle: subtitle(results, "median of runs per machine"),
    groups: Object.entries(machines).map(([machine, value]) => ({
      label: `${machine}: spawn → "hello"`, unit: "ms", better: "lower" as const,
      bars: [{ name: "Skiff", value: num(obj(obj(obj(value).skiff).helloMs).median) }, { name: "Linux", value: num(obj(obj(obj(value).linux).helloMs).median) }],
    })),
  };
}

function devicesChart(results: Json): ChartSpec {
  const blk = list(results.blk);
  const read64 = (guest: string): number | undefined => num(blk.find((entry) => entry.guest === guest && entry.op === "read" && entry.requestBytes === 65536 && entry.depth === 1)?.megabytesPerSecond);
  return {
    title: "Devices: virtio-net and virtio-blk",
    subtitle: subtitle(results, "frames echoed guest ↔ host; sequential disk reads"),
    groups: [
      { label: "net echo, frames/s", unit: "frames/s", better: "higher", bars: list(results.net).map((entry) => ({ name: `Skiff, ${String(entry.frameBytes)} B`, value: num(entry.framesPerSecond) })) },
      { label: "disk read, 64 KiB requests, depth 1", unit: "MB/s", better: "higher", bars: [{ name: "Skiff", value: read64("skiff") }, { name: "Linux dd", value: read64("linux") }] },
    ],
  };
}

const CHARTS: Readonly<Record<string, (results: Json) => ChartSpec>> = {
  http: httpChart, kv: kvChart, net: netChart, reload: reloadChart, boot: bootChart, devices: devicesChart,
};

/** The chart of benchmark `name`'s results, or undefined when it has none. */
export function chartFor(name: string, results: object): ChartSpec | undefined {
  const make = CHARTS[name];
  return make === undefined ? undefined : make(results as Json);
}

/** Draws the chart of every NAME-….json in `dir`; the files written. */
export function drawAll(dir: string): string[] {
  const written: string[] = [];
  for (const file of fs.readdirSync(dir).filter((entry) => entry.endsWith(".json")).sort()) {
    const name = /^([a-z-]+?)-(?:\d{4}-|latest\.)/.exec(file)?.[1]; // "http-ab-2026-…" is not an http run
    const spec = name === undefined ? undefined : chartFor(name, JSON.parse(fs.readFileSync(path.join(dir, file), "utf8")) as object);
    if (spec === undefined) continue;
    const target = path.join(dir, file.replace(/\.json$/, ".svg"));
    fs.writeFileSync(target, renderSvg(spec));
    written.push(target);
  }
  return written;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const dir = path.join(path.dirname(new URL(import.meta.url).pathname), "results");
  process.stdout.write(`${drawAll(dir).length} charts drawn in ${dir}\n`);
}
