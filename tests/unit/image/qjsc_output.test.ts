/**
 * bytecodeFromC (host/build/qjsc.ts), the reader of qjsc's C output that every app image and
 * hot reload goes through: the real qjsc's array read byte for byte (checked against a plain
 * split of the same text), and malformed arrays refused with where they break.
 */
import test from "ava";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { bytecodeFromC, compileToC } from "../../../host/build/qjsc.ts";
import { paths } from "../../../host/launch/paths.ts";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "skiff-qjsc-"));
test.after.always(() => fs.rmSync(dir, { recursive: true, force: true }));

/** What the array holds, read the slow, obvious way. */
function plainRead(cText: string, cName: string): Uint8Array {
  const array = new RegExp(`const uint8_t ${cName}\\[(\\d+)\\] = \\{([^}]*)\\};`).exec(cText)!;
  return Uint8Array.from(array[2]!.split(",").map((word) => word.trim()).filter((word) => word !== ""), (word) => Number(word));
}

test("qjsc's array is read byte for byte", (t) => {
  fs.writeFileSync(path.join(dir, "m.js"), `export const text = ${JSON.stringify("x".repeat(3000))}; export default function f(a) { return a * 2 + text.length; }\n`);
  const cText = compileToC(paths.qjsc, dir, "m.js", "m_bc", dir);
  const bytes = bytecodeFromC(cText, "m_bc");
  t.true(bytes.length > 3000);
  t.deepEqual(bytes, plainRead(cText, "m_bc"));
});

test("a malformed array is refused, saying where", (t) => {
  const good = "const uint8_t a[3] = {\n 0x01, 0xfF,\n 0x10,\n};\n";
  t.deepEqual(bytecodeFromC(good, "a"), Uint8Array.of(1, 255, 16));
  t.throws(() => bytecodeFromC(good, "b"), { message: "Cannot find the bytecode array b in qjsc's output" });
  t.throws(() => bytecodeFromC(good.replace("0xfF", "0xfG"), "a"), { message: /^Cannot read the bytecode array a: "0xfG,\\n 0x10," at offset \d+ is not a byte literal$/ });
  t.throws(() => bytecodeFromC(good.replace("0xfF", "0xfF1"), "a"), { message: /is not a byte literal$/ });
  t.throws(() => bytecodeFromC(good.replace("0x10,", ""), "a"), { message: "Cannot read the bytecode array a: it declares 3 bytes and holds 2 byte literals" });
  t.throws(() => bytecodeFromC(good.replace("[3]", "[2]"), "a"), { message: "Cannot read the bytecode array a: it declares 2 bytes and holds more byte literals" });
});
