/** wire/: address helpers, MACs and the checksum pieces. */
import test from "ava";
import {
  addSums, checksum, formatIpv4, formatMac, isMulticastIpv4, isMulticastMac, parseIpv4, parseMac, prefixMask, pseudoHeaderSum, sameNetwork, subnetBroadcast, WireError,
} from "../../../kernel-ts/net/wire/mod.ts";

test("RFC 1071 §3's example sums to 0xddf2, and the seed is added", (t) => {
  const bytes = new Uint8Array([0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7]);
  t.is(checksum(bytes, 0, 8, 0), 0xddf2);
  t.is(checksum(bytes, 0, 8, 0x1000), addSums(0xddf2, 0x1000));
});

test("the pseudo-header sum is the sum of its 12 bytes", (t) => {
  const pseudo = new Uint8Array([10, 99, 77, 1, 10, 99, 77, 2, 0, 17, 0, 12]);
  t.is(pseudoHeaderSum(0x0a634d01, 0x0a634d02, 17, 12), checksum(pseudo, 0, 12, 0));
});

test("dotted quads round-trip; bad ones are WireErrors", (t) => {
  t.is(parseIpv4("10.0.0.2"), 0x0a000002);
  t.is(parseIpv4("255.255.255.255"), 0xffffffff);
  t.is(formatIpv4(0xc0a80101), "192.168.1.1");
  for (const bad of ["10.0.0", "10.0.0.256", "10.0.0.02", "a.b.c.d", "", "1.2.3.4.5"]) t.true(parseIpv4(bad) instanceof WireError, bad);
});

test("prefix masks, networks and broadcasts", (t) => {
  t.is(prefixMask(0), 0);
  t.is(prefixMask(24), 0xffffff00);
  t.is(prefixMask(32), 0xffffffff);
  t.is(prefixMask(30), 0xfffffffc);
  t.throws(() => prefixMask(33), { instanceOf: RangeError });
  t.true(sameNetwork(0x0a634d01, 0x0a634d02, 30));
  t.false(sameNetwork(0x0a634d01, 0x0a634d05, 30));
  t.is(subnetBroadcast(0x0a634d01, 30), 0x0a634d03);
  t.true(isMulticastIpv4(0xe0000001));
  t.false(isMulticastIpv4(0x0a000001));
});

test("MAC strings round-trip; the group bit is seen", (t) => {
  t.is(parseMac("52:54:00:12:34:56"), 0x525400123456);
  t.is(parseMac("FF-FF-FF-FF-FF-FF"), 0xffffffffffff);
  t.is(formatMac(0x525400123456), "52:54:00:12:34:56");
  t.is(formatMac(0x0000000000ab), "00:00:00:00:00:ab");
  for (const bad of ["52:54:00:12:34", "52:54:00:12:34:5g", "525400123456"]) t.true(parseMac(bad) instanceof WireError, bad);
  t.true(isMulticastMac(0xffffffffffff));
  t.true(isMulticastMac(0x01005e000001));
  t.false(isMulticastMac(0x525400123456));
});
