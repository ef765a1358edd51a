import test from "ava";
import { parseCmdline } from "../../kernel-ts/cmdline.ts";

test("an empty command line gives the defaults", (t) => {
  const cmdline = parseCmdline("");
  t.is(cmdline.app, "hello");
  t.is(cmdline.selftest, undefined);
  t.is(cmdline.unknownSelftest, "");
  t.deepEqual(cmdline.env, {});
  t.is(cmdline.values.size, 0);
  t.is(cmdline.flags.size, 0);
});

test("key=value tokens and bare flags, split on any whitespace", (t) => {
  const cmdline = parseCmdline("  app=echo\tdebug_exit=0xf4 quiet\n crash=pf verbose ");
  t.is(cmdline.app, "echo");
  t.is(cmdline.values.get("debug_exit"), "0xf4");
  t.is(cmdline.values.get("crash"), "pf");
  t.deepEqual([...cmdline.flags], ["quiet", "verbose"]);
});

test("a value keeps everything after the first '='; empty values are allowed; last wins", (t) => {
  const cmdline = parseCmdline("opt=a=b=c empty= app=first app=second");
  t.is(cmdline.values.get("opt"), "a=b=c");
  t.is(cmdline.values.get("empty"), "");
  t.is(cmdline.app, "second");
});

test("app= with no name falls back to hello; a token starting with '=' is a flag", (t) => {
  const cmdline = parseCmdline("app= =odd");
  t.is(cmdline.app, "hello");
  t.true(cmdline.flags.has("=odd"));
});

test("selftest names are recognised; others are reported as unknown", (t) => {
  t.is(parseCmdline("selftest=hal").selftest, "hal");
  t.is(parseCmdline("selftest=kernel-throw").selftest, "kernel-throw");
  const unknown = parseCmdline("selftest=frobnicate");
  t.is(unknown.selftest, undefined);
  t.is(unknown.unknownSelftest, "frobnicate");
});

test("env.X=Y tokens become a plain object for main(env)", (t) => {
  const cmdline = parseCmdline("env.PORT=8080 env.GREETING=hi=there env.=ignored env.__proto__=polluted other=1");
  t.deepEqual(Object.keys(cmdline.env), ["PORT", "GREETING", "__proto__"]);
  t.is(cmdline.env["PORT"], "8080");
  t.is(cmdline.env["GREETING"], "hi=there");
  t.is(Object.getPrototypeOf(cmdline.env), Object.prototype);
  t.is(({} as Record<string, unknown>)["polluted"], undefined);
});
