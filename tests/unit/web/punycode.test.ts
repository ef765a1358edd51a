// Punycode (RFC 3492) against Node's own punycode module, and the reduced domain-to-ASCII
// against Node's url.domainToASCII (full UTS #46) on domains where the two must agree.
import test from "ava";
import { createRequire } from "node:module";
import { domainToASCII } from "node:url";
import { punycodeDecode, punycodeEncode } from "../../../kernel-ts/web/url/punycode.ts";
import { domainToAscii } from "../../../kernel-ts/web/url/domain_to_ascii.ts";

// node:punycode is deprecated (DEP0040) but is Node's own RFC 3492 implementation.
const nodePunycode = createRequire(import.meta.url)("node:punycode") as { encode(s: string): string; decode(s: string): string };

const LABELS = [
  "münchen", "bücher", "日本語", "3年B組金八先生", "Pročprostěnemluvíčesky", "ليهمابتكلموشعربي؟", "他们为什么不说中文", "почемужеонинеговорятпорусски",
  "TạisaohọkhôngthểchỉnóitiếngViệt", "ひとつ屋根の下2", "MajiでKoiする5秒前", "パフィーdeルンバ", "そのスピードで", "-> $1.00 <-", "😀", "a😀b", "ü", "üü", "abc-ü",
];

test("encode and decode agree with RFC 3492's reference behaviour (Node's punycode)", (t) => {
  for (const label of LABELS) {
    const encoded = punycodeEncode(label);
    t.is(encoded, nodePunycode.encode(label), label);
    t.is(punycodeDecode(encoded!), label, label);
  }
  t.is(punycodeEncode("3年B組金八先生"), "3B-ww4c5e180e575a65lsy2b");
  t.is(punycodeEncode("Pročprostěnemluvíčesky"), "Proprostnemluvesky-uyb24dma41a");
});

test("decode fails where Node's does (non-basic code points, truncation, overflow)", (t) => {
  for (const input of ["ü-abc", "abc-", "abc-ü", "9", "99999999999", "zzzzzzzzzzzzzzzzzzzz", "-9", "a-", "bcher-kva", "mnchen-3ya", "mnchen-3y"]) {
    let node: string | null;
    try { node = nodePunycode.decode(input); } catch { node = null; }
    t.is(punycodeDecode(input), node, input);
  }
});

const DOMAINS = [
  "example.com", "EXAMPLE.COM", "münchen.de", "MÜNCHEN.DE", "bücher.example", "日本語.jp", "xn--mnchen-3ya.de", "faß.de", "ｅｘａｍｐｌｅ.com", "a\u3002b\uff0ec",
  "\u00adsoft.example", "zero\u200bwidth.example", "😀.example", "xn--zz.example", "a..b", "a.b.", "mañana.com", "ελληνικά.gr", "россия.рф",
];

test("domain to ASCII agrees with Node's UTS #46 on ordinary domains", (t) => {
  for (const domain of DOMAINS) {
    const node = domainToASCII(domain);
    t.is(domainToAscii(domain) ?? "", node, domain);
  }
});
