/**
 * The DHCP client driven through whole leases with the time passed in. The server's replies
 * are dnsmasq's captured OFFER and ACK (lease 3600 s, T1 1800 s, T2 3150 s) with the
 * client's xid put in, so the client meets what a real server sends.
 */
import test from "ava";
import { hexFixture, ip } from "../../helpers/net_hex_fixtures.ts";
import { BROADCAST, DhcpClient, MAX_REQUEST_SENDS, type DhcpDatagram, type DhcpLease } from "../../../kernel-ts/net/dhcp/mod.ts";
import { BootOp, DhcpMessageType, DhcpPacket, DhcpWireError, emitDhcpMessage, parseDhcp, type DhcpRepr } from "../../../kernel-ts/net/wire/dhcp.ts";

const MAC = "52:54:00:12:34:56";
const SERVER = ip("10.77.200.1");
const ADDRESS = ip("10.77.200.2");
const S = 1000;

function parse(bytes: Uint8Array): DhcpRepr {
  const packet = DhcpPacket.checked(bytes);
  if (packet instanceof DhcpWireError) throw new Error(packet.message);
  const repr = parseDhcp(packet);
  if (repr instanceof DhcpWireError) throw new Error(repr.message);
  return repr;
}

const CAPTURED_OFFER = parse(hexFixture("dhcp_offer.hex"));
const CAPTURED_ACK = parse(hexFixture("dhcp_ack.hex"));

/** dnsmasq's reply, answering `request`. */
function reply(request: DhcpDatagram, captured: DhcpRepr, change: Partial<DhcpRepr> = {}): Uint8Array {
  return emitDhcpMessage({ ...captured, transactionId: parse(request.payload).transactionId, ...change });
}
function nak(request: DhcpDatagram): Uint8Array {
  const xid = parse(request.payload).transactionId;
  return emitDhcpMessage({ op: BootOp.Reply, transactionId: xid, secs: 0, broadcast: true, clientAddress: 0, yourAddress: 0, serverAddress: 0, relayAddress: 0, clientHardwareAddress: MAC, messageType: DhcpMessageType.Nak, serverIdentifier: SERVER });
}

/** A random source that fills every byte with `value`: 0x00 makes the jitter −1 s, 0xff +1 s. */
function constantFill(value: number) {
  return (bytes: Uint8Array): void => { bytes.fill(value); };
}
/** A counter, so every xid differs. */
function countingFill() {
  let next = 1;
  return (bytes: Uint8Array): void => { for (let i = 0; i < bytes.length; i++) bytes[i] = next++ & 0xff; };
}

function client(randomFill = countingFill()) {
  const changes: (DhcpLease | undefined)[] = [];
  const dhcp = new DhcpClient({ mac: MAC, randomFill, onLeaseChange: (lease) => changes.push(lease) });
  return { dhcp, changes };
}

/** The one datagram output(now) sends; fails if there is not exactly one. */
function one(dhcp: DhcpClient, now: number): DhcpDatagram {
  const out = dhcp.output(now);
  if (out.length !== 1) throw new Error(`expected one datagram at ${now} ms, got ${out.length} (state ${dhcp.state})`);
  return out[0]!;
}

/** Drives the client to BOUND at `start`; returns the REQUEST that was ACKed. */
function bind(dhcp: DhcpClient, start: number): DhcpDatagram {
  const discover = one(dhcp, start);
  dhcp.input(start + 5, reply(discover, CAPTURED_OFFER));
  const request = one(dhcp, start + 5);
  dhcp.input(start + 10, reply(request, CAPTURED_ACK));
  return request;
}

test("DISCOVER goes from 0.0.0.0 to broadcast with the BROADCAST flag, then retransmits at 4, 8, 16, 32, 64, 64 s − 1 s", (t) => {
  const { dhcp } = client(constantFill(0x00));
  t.is(dhcp.state, "init");
  t.is(dhcp.pollAt(0), 0);
  const first = one(dhcp, 0);
  t.like(first, { src: 0, srcPort: 68, dst: BROADCAST, dstPort: 67 });
  const repr = parse(first.payload);
  t.like(repr, { op: BootOp.Request, messageType: DhcpMessageType.Discover, broadcast: true, clientAddress: 0, clientHardwareAddress: MAC });
  t.deepEqual(repr.parameterRequestList, [1, 3, 6, 51, 58, 59]);
  t.is(dhcp.state, "selecting");
  let now = 0;
  for (const delay of [3, 7, 15, 31, 63, 63, 63]) {
    t.deepEqual(dhcp.output(now + delay * S - 1), [], `nothing before ${now + delay * S}`);
    now += delay * S;
    t.is(dhcp.pollAt(now - 1), now);
    t.is(parse(one(dhcp, now).payload).messageType, DhcpMessageType.Discover);
  }
  t.is(dhcp.stats.tx.discover, 8);
});

test("the jitter reaches +1 s: 5, 9, 17, 33, 65 s", (t) => {
  const { dhcp } = client(constantFill(0xff));
  one(dhcp, 0);
  let now = 0;
  for (const delay of [5, 9, 17, 33, 65, 65]) {
    now += delay * S;
    t.is(dhcp.pollAt(now - delay * S), now);
    one(dhcp, now);
  }
});

test("OFFER → REQUEST at once (same xid, server id, requested address) → ACK → BOUND with the lease", (t) => {
  const { dhcp, changes } = client();
  const discover = one(dhcp, 1_000);
  dhcp.input(1_005, reply(discover, CAPTURED_OFFER));
  t.is(dhcp.state, "requesting");
  t.is(dhcp.pollAt(1_005), 1_005);
  const request = one(dhcp, 1_005);
  t.like(request, { src: 0, dst: BROADCAST });
  const requestRepr = parse(request.payload);
  t.like(requestRepr, { messageType: DhcpMessageType.Request, transactionId: parse(discover.payload).transactionId, requestedAddress: ADDRESS, serverIdentifier: SERVER, clientAddress: 0, broadcast: true });
  dhcp.input(1_010, reply(request, CAPTURED_ACK));
  t.is(dhcp.state, "bound");
  t.like(dhcp.lease, {
    address: ADDRESS, prefixLength: 30, router: SERVER, serverIdentifier: SERVER, leaseTime: 3600, renewalTime: 1800, rebindingTime: 3150,
    renewAt: 1_000 + 1800 * S, rebindAt: 1_000 + 3150 * S, expiresAt: 1_000 + 3600 * S,
  });
  t.deepEqual(dhcp.lease!.dnsServers, [SERVER]);
  t.deepEqual(changes, [dhcp.lease]);
  t.is(dhcp.pollAt(2_000), 1_000 + 1800 * S);
  t.deepEqual(dhcp.output(1_000 + 1800 * S - 1), []);
});

test("at T1 a unicast REQUEST from our address renews; the ACK restarts the lease's clock", (t) => {
  const { dhcp, changes } = client();
  bind(dhcp, 0);
  const t1 = 1800 * S;
  const renew = one(dhcp, t1);
  t.is(dhcp.state, "renewing");
  t.like(renew, { src: ADDRESS, dst: SERVER, dstPort: 67 });
  const repr = parse(renew.payload);
  t.like(repr, { messageType: DhcpMessageType.Request, clientAddress: ADDRESS, broadcast: false, requestedAddress: undefined, serverIdentifier: undefined });
  dhcp.input(t1 + 3, reply(renew, CAPTURED_ACK));
  t.is(dhcp.state, "bound");
  t.like(dhcp.lease, { renewAt: t1 + 1800 * S, expiresAt: t1 + 3600 * S });
  t.is(changes.length, 2, "the renewal is a change: the times moved");
});

test("no answer: RENEWING retransmits at half the time to T2 (≥ 60 s), REBINDING broadcasts, the lease ends, DISCOVER again", (t) => {
  const { dhcp, changes } = client();
  bind(dhcp, 0);
  const t1 = 1800 * S, t2 = 3150 * S, end = 3600 * S;
  one(dhcp, t1);
  // (3150 − 1800) / 2 = 675 s after T1, then half again …, never under 60 s, never past T2
  const renewals = [t1];
  while (dhcp.pollAt(renewals.at(-1)!) < t2) {
    const at = dhcp.pollAt(renewals.at(-1)!);
    t.is(one(dhcp, at).dst, SERVER);
    renewals.push(at);
  }
  t.deepEqual(renewals.slice(0, 3), [t1, t1 + 675 * S, t1 + 675 * S + 337.5 * S]);
  for (let i = 1; i < renewals.length; i++) t.true(renewals[i]! - renewals[i - 1]! >= 60 * S || renewals[i] === t2);
  t.is(dhcp.pollAt(renewals.at(-1)!), t2);
  const rebind = one(dhcp, t2);
  t.is(dhcp.state, "rebinding");
  t.like(rebind, { src: ADDRESS, dst: BROADCAST });
  t.like(parse(rebind.payload), { clientAddress: ADDRESS, serverIdentifier: undefined });
  t.is(dhcp.pollAt(t2), t2 + 225 * S, "half of the 450 s left");
  let now = t2;
  while (dhcp.pollAt(now) < end) { now = dhcp.pollAt(now); t.is(one(dhcp, now).dst, BROADCAST); }
  t.is(dhcp.pollAt(now), end);
  const discover = one(dhcp, end);
  t.is(dhcp.state, "selecting");
  t.is(dhcp.lease, undefined);
  t.like(discover, { src: 0, dst: BROADCAST });
  t.is(parse(discover.payload).messageType, DhcpMessageType.Discover);
  t.is(changes.length, 2);
  t.is(changes[1], undefined, "the loss is reported");
});

test("an ACK while REBINDING (from any server) binds again", (t) => {
  const { dhcp } = client();
  bind(dhcp, 0);
  one(dhcp, 1800 * S);
  const rebind = one(dhcp, 3150 * S);
  dhcp.input(3150 * S + 1, reply(rebind, CAPTURED_ACK, { serverIdentifier: ip("10.77.200.3") }));
  t.is(dhcp.state, "bound");
  t.is(dhcp.lease!.serverIdentifier, ip("10.77.200.3"));
});

test("a NAK sends the client back to INIT with a new xid; so does a NAK while renewing, dropping the lease", (t) => {
  const { dhcp, changes } = client();
  const discover = one(dhcp, 0);
  dhcp.input(1, reply(discover, CAPTURED_OFFER));
  const request = one(dhcp, 1);
  dhcp.input(2, nak(request));
  t.is(dhcp.state, "init");
  t.is(dhcp.stats.rx.nak, 1);
  const again = one(dhcp, 2);
  t.not(parse(again.payload).transactionId, parse(discover.payload).transactionId);
  dhcp.input(3, reply(again, CAPTURED_OFFER));
  dhcp.input(4, reply(one(dhcp, 3), CAPTURED_ACK));
  t.is(dhcp.state, "bound");
  const renew = one(dhcp, 3 + 1800 * S);
  dhcp.input(4 + 1800 * S, nak(renew));
  t.is(dhcp.state, "init");
  t.is(dhcp.lease, undefined);
  t.is(changes.at(-1), undefined);
});

test(`REQUESTING gives up after ${MAX_REQUEST_SENDS} REQUESTs and starts over`, (t) => {
  const { dhcp } = client(constantFill(0x80)); // jitter ≈ 0
  const discover = one(dhcp, 0);
  dhcp.input(1, reply(discover, CAPTURED_OFFER));
  let now = 1;
  const times: number[] = [];
  for (let i = 0; i < MAX_REQUEST_SENDS; i++) {
    now = dhcp.pollAt(now);
    t.is(parse(one(dhcp, now).payload).messageType, DhcpMessageType.Request);
    times.push(now);
  }
  t.deepEqual(times.map((at, i) => (i === 0 ? 0 : Math.round((at - times[i - 1]!) / S))), [0, 4, 8, 16, 32]);
  now = dhcp.pollAt(now);
  t.is(parse(one(dhcp, now).payload).messageType, DhcpMessageType.Discover);
  t.is(dhcp.state, "selecting");
});

test("replies not for us are counted and dropped: other xid, other MAC, a request, garbage, an ACK while selecting", (t) => {
  const { dhcp } = client();
  const discover = one(dhcp, 0);
  dhcp.input(1, reply(discover, CAPTURED_OFFER, { transactionId: 0x12345678 }));
  dhcp.input(1, reply(discover, CAPTURED_OFFER, { clientHardwareAddress: "52:54:00:00:00:01" }));
  dhcp.input(1, reply(discover, CAPTURED_OFFER, { op: BootOp.Request }));
  t.is(dhcp.stats.rx.notForUs, 3);
  dhcp.input(1, Uint8Array.of(1, 2, 3));
  dhcp.input(1, hexFixture("dhcp_ack.hex").subarray(0, 250));
  t.is(dhcp.stats.rx.malformed, 2);
  dhcp.input(1, reply(discover, CAPTURED_ACK));
  t.is(dhcp.stats.rx.unexpected, 1);
  dhcp.input(1, reply(discover, CAPTURED_OFFER, { serverIdentifier: undefined }));
  t.is(dhcp.stats.rx.unexpected, 2, "an OFFER without a server identifier is refused");
  t.is(dhcp.state, "selecting");
});

test("an ACK without T1/T2 gets the RFC defaults (½ and ⅞ of the lease); no mask means the classful prefix", (t) => {
  const { dhcp } = client();
  const discover = one(dhcp, 0);
  dhcp.input(1, reply(discover, CAPTURED_OFFER));
  dhcp.input(2, reply(one(dhcp, 1), CAPTURED_ACK, { renewalTime: undefined, rebindingTime: undefined, subnetMask: undefined, leaseTime: 1000 }));
  t.like(dhcp.lease, { renewalTime: 500, rebindingTime: 875, renewAt: 500 * S, rebindAt: 875 * S, expiresAt: 1000 * S, prefixLength: 8 });
});
