/**
 * Buffers cost memory only while they hold bytes: a new connection starts with none, they
 * grow as data is queued (up to the socket buffer size), and a connection in TIME-WAIT
 * gives them back — hundreds of those sit on a busy server for 2·MSL.
 */
import test from "ava";
import { ACK, FIN, Harness, PEER_ISS, PSH, flags } from "./tcp_helpers/harness.ts";

test("a connection's buffers start empty, grow with data, and are released in TIME-WAIT", (t) => {
  const h = new Harness(t);
  const { conn, iss } = h.connect();
  t.is(conn.tcb.sendBuffer.bytes.length, 0, "no send storage before anything is written");
  t.is(conn.tcb.receiveBuffer.bytes.length, 0, "no receive storage before anything arrives");
  t.is(conn.write(new Uint8Array(1000).fill(7)), 1000);
  t.true(conn.tcb.sendBuffer.bytes.length >= 1000 && conn.tcb.sendBuffer.bytes.length < 64 * 1024);
  t.is(conn.writable + 1000, conn.tcb.sendBuffer.limit, "the window the app sees is the limit, not the storage");
  h.expect(flags(PSH | ACK));
  h.send({ seq: PEER_ISS + 1, ack: iss + 1 + 1000, flags: ACK });
  conn.closeWrite();
  h.expect(flags(FIN | ACK));
  h.send({ seq: PEER_ISS + 1, ack: iss + 1002, flags: FIN | ACK });
  t.is(conn.state, "TIME-WAIT");
  t.is(conn.tcb.sendBuffer.bytes.length, 0, "TIME-WAIT holds no send storage");
  t.is(conn.tcb.receiveBuffer.bytes.length, 0, "TIME-WAIT holds no receive storage");
});
