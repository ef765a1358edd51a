/**
 * source_map: maps a position in an app's bundle back to its TypeScript source, with the
 * source map esbuild wrote beside the bundle (Source Map Revision 3: `version`, `sources`,
 * `names`, `mappings`), which `skiff build` packs into the image as /app/NAME.js.map.
 *
 * `mappings` is one group per generated line, separated by ";"; each group is segments
 * separated by ","; each segment is 1, 4 or 5 Base64 VLQ numbers: the generated column
 * (relative to the previous segment of the line), then the source index, original line and
 * original column, and the name index (each relative to the previous segment that had it,
 * across lines). All of them 0-based.
 *
 * Decoding is lazy and partial: a lookup decodes the groups up to the line it asks for and
 * no further (the relative fields carry across lines, so every earlier group is read), and
 * keeps nothing but the state at the last line decoded. Errors are rare; this costs nothing
 * until one is reported.
 */

export interface OriginalPosition {
  readonly source: string;
  /** 1-based, as stack traces print them. */
  readonly line: number;
  readonly column: number;
  readonly name: string | undefined;
}

const BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const DIGIT = new Map([...BASE64].map((char, value) => [char, value]));

/** A source map is not version 3, or its fields are not what the format says. */
export class SourceMapError extends Error {
  override readonly name = "SourceMapError";
}

export class SourceMap {
  readonly #sources: readonly string[];
  readonly #names: readonly string[];
  readonly #mappings: string;

  private constructor(sources: readonly string[], names: readonly string[], mappings: string) {
    this.#sources = sources;
    this.#names = names;
    this.#mappings = mappings;
  }

  static parse(json: string): SourceMap {
    const map: unknown = JSON.parse(json);
    if (typeof map !== "object" || map === null) throw new SourceMapError("Cannot read the source map: not a JSON object");
    const { version, sources, names, mappings, sourceRoot } = map as Record<string, unknown>;
    if (version !== 3) throw new SourceMapError(`Cannot read the source map: version ${String(version)}, not 3`);
    if (!isStrings(sources) || !(names === undefined || isStrings(names)) || typeof mappings !== "string") {
      throw new SourceMapError("Cannot read the source map: sources and names must be lists of strings, mappings a string");
    }
    const root = typeof sourceRoot === "string" && sourceRoot !== "" ? sourceRoot.replace(/\/?$/, "/") : "";
    return new SourceMap(sources.map((source) => root + source), names ?? [], mappings);
  }

  /** The original position of 1-based `line`:`column` of the bundle, or undefined when unmapped. */
  original(line: number, column: number): OriginalPosition | undefined {
    const state = { column: 0, source: 0, line: 0, sourceColumn: 0, name: 0 };
    let found: OriginalPosition | undefined;
    let at = 0;
    for (let generated = 1; generated <= line && at <= this.#mappings.length; generated++) {
      const end = indexOrEnd(this.#mappings, ";", at);
      state.column = 0;
      let segment = at;
      while (segment < end) {
        const segmentEnd = indexOrEnd(this.#mappings, ",", segment, end);
        const fields = decodeVlqs(this.#mappings, segment, segmentEnd);
        state.column += fields[0] ?? 0;
        if (fields.length >= 4) {
          state.source += fields[1]!;
          state.line += fields[2]!;
          state.sourceColumn += fields[3]!;
          if (fields.length >= 5) state.name += fields[4]!;
          // The last segment of the line that starts at or before the column.
          if (generated === line && state.column <= column - 1) {
            found = {
              source: this.#sources[state.source] ?? "?",
              line: state.line + 1,
              column: state.sourceColumn + 1,
              name: fields.length >= 5 ? this.#names[state.name] : undefined,
            };
          }
        }
        segment = segmentEnd + 1;
      }
      at = end + 1;
    }
    return found;
  }
}

function isStrings(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === "string");
}

function indexOrEnd(text: string, char: string, from: number, end = text.length): number {
  const at = text.indexOf(char, from);
  return at === -1 || at > end ? end : at;
}

/** The Base64 VLQ numbers of text[from, to). */
function decodeVlqs(text: string, from: number, to: number): number[] {
  const values: number[] = [];
  let value = 0;
  let shift = 0;
  for (let i = from; i < to; i++) {
    const digit = DIGIT.get(text[i]!);
    if (digit === undefined) throw new SourceMapError(`Cannot read the source map: '${text[i]!}' is not a Base64 digit`);
    value += (digit & 31) * 2 ** shift;
    if (digit & 32) {
      shift += 5;
      continue;
    }
    values.push(value % 2 === 1 ? -(value - 1) / 2 : value / 2);
    value = 0;
    shift = 0;
  }
  return values;
}

/**
 * `frames` (stack lines) with every position in `bundle` ("apps/NAME.js:LINE:COLUMN", as
 * QuickJS prints them) replaced by its original one ("apps/NAME/main.ts:LINE:COLUMN");
 * positions the map does not cover stay as they are.
 */
export function mapFrames(frames: string, bundle: string, map: SourceMap): string {
  const escaped = bundle.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return frames.replace(new RegExp(`${escaped}:(\\d+):(\\d+)`, "g"), (whole, line: string, column: string) => {
    const original = map.original(Number(line), Number(column));
    return original === undefined ? whole : `${original.source}:${original.line}:${original.column}`;
  });
}
