/**
 * inline: writes the kernel bundle's calls of a few one-expression helpers out in place, the
 * way a compiler inlines. QuickJS inlines nothing, and a call costs it ~160 instructions of
 * frame set-up and tear-down while these helpers' bodies cost a few dozen: counted in the
 * guest, the TCP round trip made ~70 such calls (seqDiff alone 14). Sources keep the named
 * helpers (`seqLt(seg.ack, tcb.sndMax)` reads better than its arithmetic); kernel.js, which
 * stack traces name, has the arithmetic.
 *
 * A helper is inlined when the bundle defines it exactly as esbuild prints a function whose
 * body is one `return EXPR;`; otherwise the build stops and says so (the helper changed:
 * take it off the list or keep it one expression). A call is inlined only when every
 * argument is pure — names, member reads (plain fields), numbers, arithmetic, comparisons and
 * parentheses, no call, assignment, string or function — and an argument used more than once
 * in the body is a name, a member read, a number, or a sum or difference of up to three of
 * them (`at + 2`, `IP_AT + 12`): evaluating such an argument once or four times, or not at
 * all, is the same, and costs a few bytecodes where the call costs ~160 instructions. Other
 * calls stay calls. Each parameter becomes `(argument)`, and the whole becomes `(EXPR)`. A
 * body may name only its parameters, numbers and the other listed helpers: any other name
 * could be hidden by a local of that name where it is written out.
 */

/** The helpers, by the name esbuild gives them in kernel.js (its top level: unique). */
export const INLINED_HELPERS: readonly string[] = [
  // net/tcp/seq.ts
  "seqAdd", "seqDiff", "seqLt", "seqLe", "seqGt", "seqGe",
  // net/wire/bytes.ts
  "readU16", "readU32",
  // net/tcp/byte_ring.ts, net/tcp/rcv.ts
  "ringFree", "receiveSpace", "sillyWindowThreshold",
  // net/wire/ipv4.ts, net/wire/ipv4_address.ts
  "ipv4HeaderLen", "ipv4TotalLen", "ipv4SrcAddr", "ipv4DstAddr", "ipv4Protocol",
  "isMulticastIpv4", "isLoopbackIpv4",
  // dev/device_loop.ts
  "isReady",
  // net/tcp/snd.ts
  "tsVal",
];

/** Words a helper's body may use besides its parameters and the other helpers. */
const LITERALS = new Set(["true", "false", "null", "void", "undefined"]);

export class InlineError extends Error {}

interface Helper {
  readonly params: readonly string[];
  body: string;
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;
/** A name or a chain of member reads: `a`, `tcb.sndUna`, `this.#ring.length`, `seg.options.x`. */
const MEMBER_CHAIN = /^(?:this|[A-Za-z_$][\w$]*)(?:\.#?[A-Za-z_$][\w$]*)*$/;
const NUMBER = /^(?:0x[0-9a-fA-F]+|\d+(?:\.\d+)?)$/;

/** `code` with the listed helpers' eligible calls written out. */
export function inlineHelpers(code: string, names: readonly string[] = INLINED_HELPERS): { code: string; inlined: number } {
  const helpers = new Map<string, Helper>();
  for (const name of names) helpers.set(name, findHelper(code, name, names));
  // Helpers that call helpers (receiveSpace calls ringFree): expand their bodies first.
  for (let round = 0; round < names.length; round++) {
    let changed = false;
    for (const helper of helpers.values()) {
      const expanded = expandCalls(helper.body, helpers).code;
      if (expanded !== helper.body) {
        helper.body = expanded;
        changed = true;
      }
    }
    if (!changed) break;
  }
  return expandCalls(code, helpers);
}

function findHelper(code: string, name: string, helperNames: readonly string[]): Helper {
  const definition = new RegExp(`^function ${name}\\(([^)]*)\\) \\{\\n  return ([^\\n]*);\\n\\}$`, "m").exec(code);
  if (definition === null) {
    const defined = new RegExp(`^function ${name}\\(`, "m").test(code);
    throw new InlineError(defined
      ? `Cannot inline ${name}: its body in the bundle is not one \`return EXPR;\` (keep it one expression, or take it off host/build/inline.ts's list)`
      : `Cannot inline ${name}: the bundle has no top-level function of that name (renamed or removed? update host/build/inline.ts's list)`);
  }
  const params = definition[1]!.split(",").map((param) => param.trim()).filter((param) => param.length > 0);
  if (!params.every((param) => IDENTIFIER.test(param))) throw new InlineError(`Cannot inline ${name}: its parameters are not plain names (${definition[1]})`);
  const body = definition[2]!.replace(/\s*\/\*[^*]*\*\//g, ""); // esbuild's /* NAME */ after an inlined enum value
  if (/[{}"'`]|=>|\bfunction\b/.test(body)) throw new InlineError(`Cannot inline ${name}: its body holds an object, a string or a function (${body})`);
  // Any other name in the body could be hidden, at a call site, by a local of that name.
  const free = (body.match(/(?<![\w$.#])[A-Za-z_$][\w$]*/g) ?? []).filter((word) => !params.includes(word) && !helperNames.includes(word) && !LITERALS.has(word));
  if (free.length > 0) throw new InlineError(`Cannot inline ${name}: its body reads ${[...new Set(free)].join(", ")}, which a local variable at a call site could hide (only parameters, numbers and the other listed helpers)`);
  return { params, body };
}

/** Replaces the eligible calls of `helpers` in `text`, innermost first. */
function expandCalls(text: string, helpers: ReadonlyMap<string, Helper>): { code: string; inlined: number } {
  const pattern = new RegExp(`(?<![\\w$.#])(${[...helpers.keys()].map(escape).join("|")})\\(`, "g");
  const starts: { at: number; name: string }[] = [];
  for (const match of text.matchAll(pattern)) {
    if (text.slice(Math.max(0, match.index - 9), match.index) === "function ") continue; // the definition
    starts.push({ at: match.index, name: match[1]! });
  }
  let code = text;
  let inlined = 0;
  // From the last call back: an inner call (which starts later) is written out before the
  // call whose argument it is, and the text before each call has not moved yet.
  for (let i = starts.length - 1; i >= 0; i--) {
    const { at, name } = starts[i]!;
    const helper = helpers.get(name)!;
    const call = readArguments(code, at + name.length);
    if (call === undefined || call.args.length !== helper.params.length) continue;
    if (!call.args.every((arg, index) => isPure(arg) && (uses(helper.body, helper.params[index]!) <= 1 || isCheap(arg)))) continue;
    // All parameters in one pass: one at a time, an argument naming a later parameter
    // (esbuild calls seqDiff's parameters b2, a2 and a sort callback's a2, b2) would be
    // replaced again.
    const body = helper.body.replace(paramPattern(helper.params), (param) => `(${call.args[helper.params.indexOf(param)]!.trim()})`);
    code = `${code.slice(0, at)}(${body})${code.slice(call.end)}`;
    inlined++;
  }
  return { code, inlined };
}

/**
 * The arguments of the call whose "(" is at `open`, without comments (esbuild writes
 * `12 /* ETHERTYPE *\/` for an enum's value), and the index after its ")"; undefined when
 * it holds a string, a brace, another slash (a regexp or a division) or a line break.
 */
function readArguments(code: string, open: number): { args: string[]; end: number } | undefined {
  const raw = readRawArguments(code, open);
  if (raw === undefined) return undefined;
  return { args: raw.args.map((arg) => arg.replace(/\/\*[^*\n]*\*\//g, "")), end: raw.end };
}

function readRawArguments(code: string, open: number): { args: string[]; end: number } | undefined {
  const args: string[] = [];
  let depth = 0;
  let from = open + 1;
  for (let i = open; i < code.length; i++) {
    const char = code[i]!;
    if (char === "/" && code[i + 1] === "*") {
      const close = code.indexOf("*/", i + 2);
      if (close < 0 || /[*\n]/.test(code.slice(i + 2, close))) return undefined;
      i = close + 1;
      continue;
    }
    if (char === "(" || char === "[") depth++;
    else if (char === ")" || char === "]") {
      depth--;
      if (depth === 0) {
        args.push(code.slice(from, i));
        return { args: args.length === 1 && args[0]!.trim() === "" ? [] : args, end: i + 1 };
      }
    } else if (char === "," && depth === 1) {
      args.push(code.slice(from, i));
      from = i + 1;
    } else if (char === '"' || char === "'" || char === "`" || char === "{" || char === "}" || char === "/" || char === "\n") {
      return undefined;
    }
  }
  return undefined;
}

/** Names, member reads, numbers, operators and parentheses; no call, assignment, increment or function. */
function isPure(arg: string): boolean {
  const text = arg.trim();
  if (text === "") return false;
  if (/[\w$\]).]\s*\(/.test(text)) return false; // a call (f(x), a.b(x), a?.(x), (f)(x))
  // Any "=" left once the comparisons are gone is an assignment (=, +=, <<=, >>>=…) or an arrow.
  if (/=/.test(text.replace(/[=!]==?|(?<![<>])[<>]=/g, " ")) || /\+\+|--/.test(text)) return false;
  if (/\b(?:new|await|yield|delete|function|class|typeof|void|in|instanceof)\b/.test(text)) return false;
  return /^[\w$#.\s()[\]+\-*%|&^~<>=!?:]*$/.test(text);
}

/** Read twice or not at all, the same, and at little cost: a name, a member read, a number, or a sum or difference of up to three of them. */
function isCheap(arg: string): boolean {
  const terms = arg.replace(/[()]/g, " ").split(/[+-]/).map((term) => term.trim());
  return terms.length <= 3 && terms.every((term) => MEMBER_CHAIN.test(term) || NUMBER.test(term));
}

function paramPattern(params: readonly string[]): RegExp {
  return new RegExp(`(?<![\\w$.#])(?:${params.map(escape).join("|")})(?![\\w$])`, "g");
}

function uses(body: string, param: string): number {
  return (body.match(paramPattern([param])) ?? []).length;
}

function escape(text: string): string {
  return text.replace(/[$]/g, "\\$");
}
