/** socket/: the SocketSet's port table and the sockets' bounded queues. */
import test from "ava";
import { AddressInUse, IcmpSocket, MessageTooLong, SocketClosed, SocketSet, UdpSocket, WouldBlock } from "../../../kernel-ts/net/socket/mod.ts";
import { Interface } from "../../../kernel-ts/net/iface/mod.ts";
import { checksum } from "../../../kernel-ts/net/wire/mod.ts";
import { FakeLink } from "./helpers/link.ts";

test("a port is bound once; closing frees it; port 0 is an ephemeral port", (t) => {
  const set = new SocketSet();
  const socket = set.bindUdp(53) as UdpSocket;
  t.true(set.bindUdp(53) instanceof AddressInUse);
  socket.close();
  t.true(set.bindUdp(53) instanceof UdpSocket);
  const ephemeral = set.bindUdp(0) as UdpSocket;
  t.true(ephemeral.port >= 49152 && ephemeral.port <= 65535);
  t.not((set.bindUdp(0) as UdpSocket).port, ephemeral.port);
  const random = new SocketSet({ randomFill: (bytes) => bytes.fill(0x42) });
  t.is((random.bindUdp(0) as UdpSocket).port, 49152 + (0x4242 % 16384));
  t.throws(() => set.bindUdp(70000), { instanceOf: RangeError });
  t.true(set.bindIcmp(7) instanceof IcmpSocket);
  t.true(set.bindIcmp(7) instanceof AddressInUse);
});

test("send copies into a bounded queue; beyond it WouldBlock, too large MessageTooLong, closed SocketClosed", (t) => {
  const set = new SocketSet();
  const socket = set.bindUdp(1000, { txQueueLimit: 2 }) as UdpSocket;
  const bytes = new Uint8Array([1, 2, 3]);
  t.is(socket.send({ address: 1, port: 2 }, bytes), undefined);
  bytes[0] = 9;
  t.deepEqual([...socket.peekOutgoing()!.bytes], [1, 2, 3]);
  t.is(socket.send({ address: 1, port: 2 }, bytes), undefined);
  t.true(socket.send({ address: 1, port: 2 }, bytes) instanceof WouldBlock);
  t.is(socket.stats.txQueueFull, 1);
  t.true(socket.send({ address: 1, port: 2 }, new Uint8Array(65_508)) instanceof MessageTooLong);
  socket.close();
  t.true(socket.send({ address: 1, port: 2 }, bytes) instanceof SocketClosed);
  t.is(socket.txQueued, 0);
});

test("the receive queue drops and counts beyond its bounds", (t) => {
  const socket = new SocketSet().bindUdp(1000, { rxQueueLimit: 2, rxByteLimit: 5 }) as UdpSocket;
  const from = { address: 1, port: 2 };
  t.true(socket.deliver(from, 3, new Uint8Array(2)));
  t.true(socket.deliver(from, 3, new Uint8Array(3)));
  t.false(socket.deliver(from, 3, new Uint8Array(0)), "entries");
  socket.receive();
  t.false(socket.deliver(from, 3, new Uint8Array(3)), "bytes");
  t.is(socket.stats.rxQueueDrops, 2);
  t.is(socket.stats.rxDatagrams, 2);
});

test("an ICMP socket pings a peer interface and gets its replies", (t) => {
  const a = new Interface({ mac: 0x525400000001, ipv4: { address: 0x0a000001, prefixLength: 24 }, checksum });
  const b = new Interface({ mac: 0x525400000002, ipv4: { address: 0x0a000002, prefixLength: 24 }, checksum });
  const linkA = new FakeLink("52:54:00:00:00:01");
  const linkB = new FakeLink("52:54:00:00:00:02");
  const ping = a.sockets.bindIcmp(0x1234) as IcmpSocket;
  ping.sendEcho(0x0a000002, 1, new TextEncoder().encode("hello"));
  for (let now = 0; now < 10 && ping.rxQueued === 0; now++) {
    a.poll(now, linkA);
    for (const p of linkA.take()) linkB.inject(p);
    b.poll(now, linkB);
    for (const p of linkB.take()) linkA.inject(p);
  }
  const reply = ping.receive();
  t.like(reply, { from: 0x0a000002, seqNo: 1 });
  t.is(Buffer.from(reply!.bytes).toString(), "hello");
  t.is(b.stats.icmp.echoRepliesSent, 1);
  t.is(ping.stats.txRequests, 1);
});
