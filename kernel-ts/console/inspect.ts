/**
 * inspect: a brief, one-line rendering of any JS value for the console, in the style of
 * Node's util.inspect (a subset: no colours, no line wrapping).
 *
 * Invariants: never throws (a getter or a Proxy trap that throws is shown as
 * `[Inspection threw]`); terminates on cyclic structures (`[Circular]`); bounded output
 * (objects deeper than MAX_DEPTH show as `[Object]`, long arrays and maps are cut after
 * MAX_ITEMS entries, strings inside objects after MAX_STRING characters).
 */

const MAX_DEPTH = 2;
const MAX_ITEMS = 100;
const MAX_STRING = 10_000;
const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** Renders `value` as the console shows an argument that is not a top-level string. */
export function inspect(value: unknown): string {
  try {
    return inspectValue(value, 0, []);
  } catch {
    return "[Inspection threw]";
  }
}

/**
 * Renders an Error as Node prints an uncaught one: its stack when the engine gives one.
 * V8's stack starts with "Name: message"; QuickJS's holds only the "    at …" frames, so
 * the header is added when it is missing.
 */
export function inspectError(error: Error): string {
  const header = safeString(error);
  const stack = readStack(error);
  if (stack === undefined || stack === "") return header;
  const trimmed = stack.replace(/\s+$/, "");
  if (trimmed.startsWith(header) || /^\S/.test(trimmed)) return trimmed;
  return `${header}\n${trimmed}`;
}

function inspectValue(value: unknown, depth: number, seen: object[]): string {
  switch (typeof value) {
    case "string":
      return depth === 0 ? value : quote(value);
    case "number":
      return Object.is(value, -0) ? "-0" : String(value);
    case "bigint":
      return `${String(value)}n`;
    case "boolean":
    case "undefined":
      return String(value);
    case "symbol":
      return value.toString();
    case "function":
      return inspectFunction(value);
    default:
      break;
  }
  if (value === null) return "null";
  const object = value as object;
  if (seen.includes(object)) return "[Circular]";
  if (object instanceof Error) return depth === 0 ? inspectError(object) : `[${safeString(object)}]`;
  if (object instanceof Date) return Number.isNaN(object.getTime()) ? "Invalid Date" : object.toISOString();
  if (object instanceof RegExp) return String(object);
  if (object instanceof Promise) return "Promise { <unknown> }";
  if (depth > MAX_DEPTH) return Array.isArray(object) ? "[Array]" : `[${constructorName(object) ?? "Object"}]`;

  seen.push(object);
  try {
    return inspectContainer(object, depth, seen);
  } finally {
    seen.pop();
  }
}

function inspectContainer(object: object, depth: number, seen: object[]): string {
  const child = (v: unknown) => inspectValue(v, depth + 1, seen);
  if (Array.isArray(object)) {
    const items = limited(object.length, (i) => child(object[i]));
    return wrap("", "[", items, "]");
  }
  if (ArrayBuffer.isView(object) && !(object instanceof DataView)) {
    const view = object as unknown as ArrayLike<number | bigint>;
    const items = limited(view.length, (i) => child(view[i]));
    return wrap(`${constructorName(object) ?? "TypedArray"}(${view.length}) `, "[", items, "]");
  }
  if (object instanceof ArrayBuffer) return `ArrayBuffer { byteLength: ${object.byteLength} }`;
  if (object instanceof Map) {
    const items: string[] = [];
    for (const [k, v] of object) {
      if (items.length === MAX_ITEMS) { items.push(`... ${object.size - MAX_ITEMS} more items`); break; }
      items.push(`${child(k)} => ${child(v)}`);
    }
    return wrap(`Map(${object.size}) `, "{", items, "}");
  }
  if (object instanceof Set) {
    const items: string[] = [];
    for (const v of object) {
      if (items.length === MAX_ITEMS) { items.push(`... ${object.size - MAX_ITEMS} more items`); break; }
      items.push(child(v));
    }
    return wrap(`Set(${object.size}) `, "{", items, "}");
  }
  const items = ownProperties(object, child);
  const name = constructorName(object);
  const prefix = Object.getPrototypeOf(object) === null
    ? "[Object: null prototype] "
    : name === undefined || name === "Object" ? "" : `${name} `;
  return wrap(prefix, "{", items, "}");
}

function ownProperties(object: object, child: (v: unknown) => string): string[] {
  const items: string[] = [];
  const keys: (string | symbol)[] = Reflect.ownKeys(object);
  for (const key of keys) {
    const descriptor = Reflect.getOwnPropertyDescriptor(object, key);
    if (descriptor === undefined || !descriptor.enumerable) continue;
    if (items.length === MAX_ITEMS) { items.push(`... more properties`); break; }
    const label = typeof key === "symbol" ? `[${key.toString()}]` : IDENTIFIER.test(key) ? key : quote(key);
    if (descriptor.get !== undefined || descriptor.set !== undefined) {
      const kind = descriptor.get && descriptor.set ? "Getter/Setter" : descriptor.get ? "Getter" : "Setter";
      items.push(`${label}: [${kind}]`);
    } else {
      items.push(`${label}: ${child(descriptor.value)}`);
    }
  }
  return items;
}

function limited(length: number, render: (index: number) => string): string[] {
  const items: string[] = [];
  for (let i = 0; i < Math.min(length, MAX_ITEMS); i++) items.push(render(i));
  if (length > MAX_ITEMS) items.push(`... ${length - MAX_ITEMS} more items`);
  return items;
}

function wrap(prefix: string, open: string, items: string[], close: string): string {
  return items.length === 0 ? `${prefix}${open}${close}` : `${prefix}${open} ${items.join(", ")} ${close}`;
}

function inspectFunction(fn: Function): string {
  const name = typeof fn.name === "string" && fn.name !== "" ? fn.name : "";
  let source = "";
  try { source = Function.prototype.toString.call(fn); } catch { /* native or revoked */ }
  if (source.startsWith("class")) return name ? `[class ${name}]` : "[class (anonymous)]";
  return name ? `[Function: ${name}]` : "[Function (anonymous)]";
}

function constructorName(object: object): string | undefined {
  try {
    const ctor: unknown = (object as { constructor?: unknown }).constructor;
    if (typeof ctor === "function" && typeof ctor.name === "string" && ctor.name !== "") return ctor.name;
  } catch { /* a throwing getter or Proxy */ }
  return undefined;
}

function quote(text: string): string {
  const shown = text.length > MAX_STRING ? text.slice(0, MAX_STRING) : text;
  const body = shown
    .replace(/\\/g, "\\\\").replace(/'/g, "\\'").replace(/\n/g, "\\n").replace(/\r/g, "\\r").replace(/\t/g, "\\t");
  const more = text.length > MAX_STRING ? `... ${text.length - MAX_STRING} more characters` : "";
  return `'${body}'${more}`;
}

function readStack(error: Error): string | undefined {
  try {
    const stack: unknown = error.stack;
    return typeof stack === "string" ? stack : undefined;
  } catch {
    return undefined;
  }
}

function safeString(value: unknown): string {
  try {
    return String(value);
  } catch {
    return "[object that cannot be converted to a string]";
  }
}
