import test from "ava";
import { hexFixture, ip } from "../../helpers/net_hex_fixtures.ts";
import { BootOp, DhcpMessageType, DhcpPacket, DhcpWireError, dhcpBufferLen, emitDhcpMessage, parseDhcp, type DhcpRepr } from "../../../kernel-ts/net/wire/dhcp.ts";

// Captured from dnsmasq 2.90 and busybox udhcpc (tests/fixtures/net/dhcp_dns_capture.sh).
const DISCOVER = hexFixture("dhcp_discover.hex");
const OFFER = hexFixture("dhcp_offer.hex");
const REQUEST = hexFixture("dhcp_request.hex");
const ACK = hexFixture("dhcp_ack.hex");

function parse(bytes: Uint8Array): DhcpRepr {
  const packet = DhcpPacket.checked(bytes);
  if (packet instanceof DhcpWireError) throw new Error(packet.message);
  const repr = parseDhcp(packet);
  if (repr instanceof DhcpWireError) throw new Error(repr.message);
  return repr;
}

for (const [name, bytes] of [["DISCOVER", DISCOVER], ["OFFER", OFFER], ["REQUEST", REQUEST], ["ACK", ACK]] as const) {
  test(`the captured ${name} re-emits byte for byte`, (t) => {
    const repr = parse(bytes);
    t.is(dhcpBufferLen(repr), bytes.length);
    t.deepEqual(emitDhcpMessage(repr), bytes);
  });
}

test("udhcpc's DISCOVER: broadcast request from 0.0.0.0 with its parameter list", (t) => {
  const repr = parse(DISCOVER);
  t.is(repr.op, BootOp.Request);
  t.is(repr.messageType, DhcpMessageType.Discover);
  t.is(repr.clientHardwareAddress, "52:54:00:12:34:56");
  t.is(repr.clientAddress, 0);
  t.deepEqual(repr.parameterRequestList, [1, 3, 6, 12, 15, 28, 42]);
  t.is(repr.maxMessageSize, 576);
  t.deepEqual(repr.clientIdentifier, Uint8Array.of(1, 0x52, 0x54, 0x00, 0x12, 0x34, 0x56));
  t.is(DISCOVER.length, 300, "padded to BOOTP's minimum");
});

test("dnsmasq's OFFER and ACK carry the lease, T1, T2, mask, router and DNS server", (t) => {
  const offer = parse(OFFER);
  const ack = parse(ACK);
  const request = parse(REQUEST);
  t.is(offer.messageType, DhcpMessageType.Offer);
  t.is(ack.messageType, DhcpMessageType.Ack);
  t.is(offer.transactionId, parse(DISCOVER).transactionId);
  t.is(ack.transactionId, request.transactionId);
  for (const reply of [offer, ack]) {
    t.is(reply.op, BootOp.Reply);
    t.is(reply.yourAddress, ip("10.77.200.2"));
    t.is(reply.serverIdentifier, ip("10.77.200.1"));
    t.is(reply.leaseTime, 3600);
    t.is(reply.renewalTime, 1800);
    t.is(reply.rebindingTime, 3150);
    t.is(reply.subnetMask, ip("255.255.255.252"));
    t.deepEqual(reply.routers, [ip("10.77.200.1")]);
    t.deepEqual(reply.dnsServers, [ip("10.77.200.1")]);
  }
  t.is(request.requestedAddress, ip("10.77.200.2"));
  t.is(request.serverIdentifier, ip("10.77.200.1"));
});

test("every truncation of every captured message is rejected", (t) => {
  for (const bytes of [DISCOVER, OFFER, REQUEST, ACK]) {
    const end = bytes.indexOf(255, 240); // the END option: anything shorter lacks it
    for (let length = 0; length <= end; length++) {
      const packet = DhcpPacket.checked(bytes.subarray(0, length));
      t.true(packet instanceof DhcpWireError, `length ${length} of ${bytes.length}`);
    }
  }
});

test("bad magic, over-long hlen, an option running past the end and wrong option lengths are rejected", (t) => {
  const reasons = (mutate: (bytes: Uint8Array) => void): string => {
    const bytes = ACK.slice();
    mutate(bytes);
    const packet = DhcpPacket.checked(bytes);
    if (packet instanceof DhcpWireError) return packet.reason;
    const repr = parseDhcp(packet);
    return repr instanceof DhcpWireError ? repr.reason : "ok";
  };
  t.is(reasons((b) => { b[236] = 0; }), "bad-magic");
  t.is(reasons((b) => { b[2] = 17; }), "bad-hardware-length");
  t.is(reasons((b) => { b[241] = 200; }), "option-overrun"); // message type claims 200 bytes
  t.is(reasons((b) => { b[241] = 2; b[242] = 5; b[243] = 0x36; }), "bad-option-length"); // 53 with length 2
  t.is(reasons((b) => { b[b.length - 1] = 0; }), "no-end-option");
  t.is(reasons(() => {}), "ok");
});

test("emit without an option order puts the message type first and pads to 300", (t) => {
  const bytes = emitDhcpMessage({
    op: BootOp.Request, transactionId: 0x01020304, secs: 3, broadcast: true, clientAddress: 0, yourAddress: 0, serverAddress: 0, relayAddress: 0,
    clientHardwareAddress: "52:54:00:12:34:56", messageType: DhcpMessageType.Request, requestedAddress: ip("10.0.0.2"), serverIdentifier: ip("10.0.0.1"),
  });
  t.is(bytes.length, 300);
  t.deepEqual([...bytes.subarray(240, 255)], [53, 1, 3, 50, 4, 10, 0, 0, 2, 54, 4, 10, 0, 0, 1]);
  t.is(bytes[255], 255);
  const repr = parse(bytes);
  t.is(repr.broadcast, true);
  t.is(repr.secs, 3);
  t.is(repr.transactionId, 0x01020304);
});
