/**
 * The skiff:net API (kernel-ts/net/api) over two whole stacks (kernel-ts/net/stack) on one
 * event loop with the fake platform's virtual clock, joined by an in-memory Ethernet: what
 * apps see — connect/accept, read until null at the peer's FIN, write backpressure,
 * ConnectionRefused, ListenerClosed, UDP datagrams both ways.
 */
import test from "ava";
import { ListenerClosed, type NetApi } from "../../../kernel-ts/net/api/mod.ts";
import { Waiters } from "../../../kernel-ts/net/api/waiters.ts";
import { ConnectionRefused } from "../../../kernel-ts/net/tcp/errors.ts";
import { hexFixture } from "../../helpers/net_hex_fixtures.ts";
import { pair, run } from "../helpers/net_pair.ts";

test("connect, accept, 600 KB one way (more than the send buffer: backpressure), read() gives null after the peer's FIN", async (t) => {
  const { scheduler, a, b } = pair();
  const sent = new Uint8Array(600_000).map((_, i) => (i * 7) & 0xff);
  const received = await run(scheduler, async () => {
    const server = await b.listen({ port: 80 });
    const accepting = server.accept();
    const client = await a.connect({ host: "10.0.0.2", port: 80 });
    const connection = await accepting;
    t.is(connection.remote.address, "10.0.0.1");
    const writing = (async () => {
      await client.write(sent); // resolves once buffered: more than the send buffer holds at once
      client.closeWrite();
    })();
    const chunks: Uint8Array[] = [];
    for (let chunk = await connection.read(); chunk !== null; chunk = await connection.read()) chunks.push(chunk);
    await writing;
    connection.close();
    client.close();
    server.close();
    const all = new Uint8Array(chunks.reduce((sum, chunk) => sum + chunk.length, 0));
    let at = 0;
    for (const chunk of chunks) all.set(chunk, (at += chunk.length) - chunk.length);
    return all;
  });
  t.deepEqual(received, sent);
});

/** A listener on b at `port` and a connection to it from a: both ends. */
async function connected(a: NetApi, b: NetApi, port: number) {
  const server = await b.listen({ port });
  const accepting = server.accept();
  const client = await a.connect({ host: "10.0.0.2", port });
  return { server, client, connection: await accepting };
}

test("readWithin gives \"timeout\" when nothing comes in time, leaves the connection open, and the bytes that come later go to the next read", async (t) => {
  const { scheduler, a, b } = pair();
  const outcome = await run(scheduler, async () => {
    const { server, client, connection } = await connected(a, b, 82);
    const early = await connection.readWithin(50);
    const state = connection.state;
    await client.write(Uint8Array.of(1, 2, 3));
    const later = await connection.readWithin(1000);
    client.closeWrite();
    const end = await connection.readWithin(1000);
    connection.close();
    client.close();
    server.close();
    return { early, state, later, end };
  });
  t.is(outcome.early, "timeout");
  t.is(outcome.state, "ESTABLISHED");
  t.deepEqual(outcome.later, Uint8Array.of(1, 2, 3));
  t.is(outcome.end, null);
});

test("Waiters.forget takes a waiter back: the next event does not run it, and runs the others", (t) => {
  const waiters = new Waiters();
  const target = {};
  const ran: string[] = [];
  const first = (): void => void ran.push("first");
  const second = (): void => void ran.push("second");
  waiters.wait(target, first);
  waiters.wait(target, second);
  waiters.forget(target, first);
  waiters.notify(target);
  t.deepEqual(ran, ["second"]);
  waiters.wait(target, first);
  waiters.forget(target, first);
  waiters.forget(target, first); // twice: nothing left to take
  waiters.notify(target);
  t.deepEqual(ran, ["second"]);
});

test("readWithin timing out again and again on a quiet connection leaves no waiters behind", async (t) => {
  const { scheduler, a, b } = pair();
  const outcome = await run(scheduler, async () => {
    const { server, client, connection } = await connected(a, b, 84);
    let timeouts = 0;
    for (let i = 0; i < 50; i++) if ((await connection.readWithin(5)) === "timeout") timeouts++;
    await client.write(Uint8Array.of(9));
    const later = await connection.readWithin(1000);
    connection.close();
    client.close();
    server.close();
    return { timeouts, later };
  });
  t.is(outcome.timeouts, 50);
  t.deepEqual(outcome.later, Uint8Array.of(9));
});

test("writeSome buffers what fits at once and says how much; the peer gets those bytes; 0 after closeWrite", async (t) => {
  const { scheduler, a, b } = pair();
  const outcome = await run(scheduler, async () => {
    const { server, client, connection } = await connected(a, b, 83);
    const big = new Uint8Array(2_000_000).map((_, i) => i & 0xff);
    const taken = client.writeSome(big); // more than the send buffer holds: a part
    client.closeWrite();
    const afterClose = client.writeSome(Uint8Array.of(1));
    let received = 0;
    let intact = true;
    for (let chunk = await connection.read(); chunk !== null; chunk = await connection.read()) {
      for (let i = 0; i < chunk.length; i++) if (chunk[i] !== ((received + i) & 0xff)) intact = false;
      received += chunk.length;
    }
    connection.close();
    client.close();
    server.close();
    return { taken, afterClose, received, intact, total: big.length };
  });
  t.true(outcome.taken > 0 && outcome.taken < outcome.total, `took ${outcome.taken}`);
  t.is(outcome.afterClose, 0);
  t.is(outcome.received, outcome.taken);
  t.true(outcome.intact);
});

test("connecting to a port nobody listens on rejects with ConnectionRefused", async (t) => {
  const { scheduler, a } = pair();
  const error = await run(scheduler, () => a.connect({ host: "10.0.0.2", port: 81 }).then(() => undefined, (e: unknown) => e));
  t.true(error instanceof ConnectionRefused, String(error));
});

test("closing a listener rejects a pending accept with ListenerClosed", async (t) => {
  const { scheduler, b } = pair();
  const error = await run(scheduler, async () => {
    const server = await b.listen({ port: 90 });
    const pending = server.accept().then(() => undefined, (e: unknown) => e);
    server.close();
    return pending;
  });
  t.true(error instanceof ListenerClosed, String(error));
});

test("UDP datagrams go both ways with their source address and port", async (t) => {
  const { scheduler, a, b } = pair();
  const reply = await run(scheduler, async () => {
    const server = await b.bindUdp({ port: 5353 });
    const client = await a.bindUdp();
    client.send({ address: "10.0.0.2", port: 5353 }, new TextEncoder().encode("ping"));
    const request = await server.receive();
    t.is(request.from.address, "10.0.0.1");
    server.send(request.from, new TextEncoder().encode("pong"));
    const answer = await client.receive();
    server.close();
    client.close();
    return new TextDecoder().decode(answer.bytes);
  });
  t.is(reply, "pong");
});

test("lookup asks the DNS server over UDP, answers again from the cache, and times out against a server that never answers", async (t) => {
  const { scheduler, a, b } = pair({ dnsServers: [0x0a000002] });
  const answer = hexFixture("dns_answer_www.hex"); // dnsmasq's: www.skiff.test A 93.184.216.34, TTL 300
  const result = await run(scheduler, async () => {
    const server = await b.bindUdp({ port: 53 });
    const looking = a.lookup("www.skiff.test");
    const query = await server.receive();
    const reply = answer.slice();
    reply.set(query.bytes.subarray(0, 2)); // the query's id
    server.send(query.from, reply);
    const addresses = await looking;
    const cached = await a.lookup("www.skiff.test");
    const queries = [query];
    const counting = (async () => { for (;;) queries.push(await server.receive()); })();
    counting.catch(() => {}); // ends when the port closes
    const failure = await a.lookup("nosuch.skiff.test").then(() => undefined, (error: unknown) => error);
    server.close();
    return { addresses, cached, queries: queries.map((q) => q.bytes.length), failure };
  });
  t.deepEqual(result.addresses, ["93.184.216.34"]);
  t.deepEqual(result.cached, ["93.184.216.34"]);
  t.is(result.queries.length, 4, "one query for www (the second lookup is cached), three tries for nosuch");
  t.true(result.failure instanceof Error && result.failure.name === "DnsTimeout", String(result.failure));
});

test("bad arguments are TypeErrors and RangeErrors", async (t) => {
  const { a } = pair();
  await t.throwsAsync(a.listen({ port: 0 }), { instanceOf: RangeError });
  await t.throwsAsync(a.connect({ host: "10.0.0.2", port: 70000 }), { instanceOf: RangeError });
  await t.throwsAsync(a.listen({ port: 80, host: "not-an-address" }), { instanceOf: RangeError });
});
