// kernel-ts/api/web_globals.d.ts promises apps what kernel-ts/web installs: every global
// it declares is installed, and every member its interfaces and constructors declare
// exists on the installed objects.
import test from "ava";
import { readFileSync } from "node:fs";
import { installWebGlobals } from "../../../kernel-ts/web/mod.ts";

const DECLARATIONS = readFileSync(new URL("../../../kernel-ts/api/web_globals.d.ts", import.meta.url), "utf8");
const MEMBER = /^\s+(?:readonly )?(\w+)\??[(:<]/;

function installed(): Record<string, unknown> {
  const target: Record<string, unknown> = {};
  installWebGlobals(target, { randomFill() {}, nowMs: () => 0, setTimeout: () => 0, clearTimeout() {} });
  return target;
}

function membersOf(body: string): string[] {
  return body.split("\n").map((line) => MEMBER.exec(line)?.[1]).filter((name): name is string => name !== undefined && name !== "new" && name !== "prototype");
}

test("every declared global is installed", (t) => {
  const globals = installed();
  const declared = [...DECLARATIONS.matchAll(/^declare (?:var|function) (\w+)/gm)].map((match) => match[1]!);
  t.true(declared.length >= 35);
  t.deepEqual(declared.filter((name) => !(name in globals)), []);
});

test("every declared instance member exists on the installed prototypes", (t) => {
  const globals = installed();
  const missing: string[] = [];
  let checked = 0;
  for (const [, name, body] of DECLARATIONS.matchAll(/^interface (\w+)(?:<[^>]*>)?(?: extends [^{]+)? \{\n([\s\S]*?)\n\}/gm)) {
    const holder = name === "Crypto" ? globals["crypto"] : name === "Performance" ? globals["performance"] : (globals[name!] as { prototype?: object } | undefined)?.prototype;
    if (holder === undefined) continue;
    for (const member of membersOf(body!)) {
      checked++;
      if (!(member in (holder as object))) missing.push(`${name}.${member}`);
    }
  }
  t.true(checked > 150);
  t.deepEqual(missing, []);
});

test("every declared static member exists on the installed constructors", (t) => {
  const globals = installed();
  const missing: string[] = [];
  for (const [, name, body] of DECLARATIONS.matchAll(/^declare var (\w+): \{\n([\s\S]*?)\n\};/gm)) {
    const constructor = globals[name!] as object;
    for (const member of membersOf(body!)) if (!(member in constructor)) missing.push(`${name}.${member}`);
  }
  t.deepEqual(missing, []);
});
