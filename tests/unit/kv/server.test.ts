/**
 * The kv server over in-memory connections, where the corpus cannot go: time (expiry,
 * touch, gat, delayed flush_all on a virtual clock), eviction order and the evictions
 * stat under a small cap, CAS races between two clients, the stats counters, and what
 * kv says about itself (VERSION, stats settings, verbosity's log lines).
 */
import test from "ava";
import { MIN_LIMIT_BYTES } from "../../../apps/kv/store.ts";
import { VERSION } from "../../../apps/kv/server.ts";
import { TestClient, testServer } from "./helpers/kv_session.ts";

function stat(listing: string, name: string): string | undefined {
  return new RegExp(`^STAT ${name} (.*)\r$`, "m").exec(listing)?.[1];
}

test("a stream that takes a reply in pieces (writeSome's room, then write()) gets every byte, in order, counted once", async (t) => {
  const { server } = testServer();
  for (const room of [Infinity, 7, 0]) {
    const client = new TestClient(server, room);
    const value = "v".repeat(100);
    t.is(await client.send(`set k${room} 5 0 100\r\n${value}\r\n`), "STORED\r\n", `room ${room}`);
    t.is(await client.send(`get k${room}\r\n`), `VALUE k${room} 5 100\r\n${value}\r\nEND\r\n`, `room ${room}`);
    const before = server.connections.bytesWritten;
    const answer = await client.send("version\r\n");
    t.is(server.connections.bytesWritten - before, answer.length, `room ${room}: bytes_written counts what was sent`);
  }
});

test("relative expiry: present until its second, gone from it", async (t) => {
  const { server, clock } = testServer();
  const client = new TestClient(server);
  t.is(await client.send("set a 0 10 1\r\nx\r\n"), "STORED\r\n");
  clock.advance(9.999);
  t.is(await client.send("get a\r\n"), "VALUE a 0 1\r\nx\r\nEND\r\n");
  clock.advance(0.001);
  t.is(await client.send("get a\r\n"), "END\r\n");
  t.is(stat(await client.send("stats\r\n"), "get_expired"), "1");
});

test("absolute expiry: a Unix time past 30 days", async (t) => {
  const { server, clock } = testServer();
  const client = new TestClient(server);
  const inOneMinute = Math.floor(clock.ms / 1000) + 60;
  await client.send(`set a 0 ${inOneMinute} 1\r\nx\r\nset b 0 ${inOneMinute - 120} 1\r\ny\r\n`);
  t.is(await client.send("get a b\r\n"), "VALUE a 0 1\r\nx\r\nEND\r\n", "b's time had passed");
  clock.advance(60);
  t.is(await client.send("get a\r\n"), "END\r\n");
});

test("touch and gat move the deadline; append keeps it", async (t) => {
  const { server, clock } = testServer();
  const client = new TestClient(server);
  await client.send("set a 0 10 1\r\nx\r\nset b 0 10 1\r\ny\r\n");
  clock.advance(5);
  t.is(await client.send("touch a 100\r\ngat 100 b\r\nappend a 0 1 1\r\nz\r\n"), "TOUCHED\r\nVALUE b 0 1\r\ny\r\nEND\r\nSTORED\r\n");
  clock.advance(90);
  t.is(await client.send("get a b\r\n"), "VALUE a 0 2\r\nxz\r\nVALUE b 0 1\r\ny\r\nEND\r\n");
  clock.advance(10);
  t.is(await client.send("get a b\r\n"), "END\r\n");
});

test("flush_all with a delay: items stored before it go when it comes, later ones stay", async (t) => {
  const { server, clock } = testServer();
  const client = new TestClient(server);
  t.is(await client.send("set a 0 0 1\r\nx\r\nflush_all 10\r\n"), "STORED\r\nOK\r\n");
  clock.advance(9);
  t.is(await client.send("set b 0 0 1\r\ny\r\nget a b\r\n"), "STORED\r\nVALUE a 0 1\r\nx\r\nVALUE b 0 1\r\ny\r\nEND\r\n");
  clock.advance(1);
  t.is(await client.send("get a b\r\nset c 0 0 1\r\nz\r\n"), "END\r\nSTORED\r\n");
  clock.advance(100);
  t.is(await client.send("get c\r\n"), "VALUE c 0 1\r\nz\r\nEND\r\n");
  t.is(stat(await client.send("stats\r\n"), "cmd_flush"), "1");
});

test("eviction under the cap: the least recently used go first, counted in stats", async (t) => {
  const { server } = testServer({ limitBytes: MIN_LIMIT_BYTES });
  const client = new TestClient(server);
  const value = "v".repeat(100_000);
  for (let i = 0; i < 10; i++) t.is(await client.send(`set k${i} 0 0 ${value.length}\r\n${value}\r\n`), "STORED\r\n");
  t.regex(await client.send("get k0\r\n"), /^VALUE k0 /, "k0 is now the most recently used");
  t.is(await client.send(`set k10 0 0 ${value.length}\r\n${value}\r\nset k11 0 0 ${value.length}\r\n${value}\r\n`), "STORED\r\nSTORED\r\n");
  const held = [];
  for (let i = 0; i < 12; i++) if ((await client.send(`get k${i}\r\n`)) !== "END\r\n") held.push(i);
  t.deepEqual(held, [0, 3, 4, 5, 6, 7, 8, 9, 10, 11], "k1 and k2 were the least recently used");
  const stats = await client.send("stats\r\n");
  t.is(stat(stats, "evictions"), "2");
  t.is(stat(stats, "curr_items"), "10");
  t.is(stat(stats, "limit_maxbytes"), String(MIN_LIMIT_BYTES));
  t.true(Number(stat(stats, "bytes")) <= MIN_LIMIT_BYTES);
});

test("a CAS race between two clients: the first cas wins, the second gets EXISTS", async (t) => {
  const { server } = testServer();
  const alice = new TestClient(server);
  const bob = new TestClient(server);
  await alice.send("set n 0 0 1\r\n0\r\n");
  const unique = /^VALUE n 0 1 (\d+)\r\n/.exec(await alice.send("gets n\r\n"))![1];
  t.is(await bob.send("gets n\r\n"), `VALUE n 0 1 ${unique}\r\n0\r\nEND\r\n`);
  t.is(await bob.send(`cas n 0 0 1 ${unique}\r\nB\r\n`), "STORED\r\n");
  t.is(await alice.send(`cas n 0 0 1 ${unique}\r\nA\r\n`), "EXISTS\r\n");
  t.is(await alice.send("get n\r\n"), "VALUE n 0 1\r\nB\r\nEND\r\n");
  await alice.send("delete n\r\n");
  t.is(await bob.send(`cas n 0 0 1 ${unique}\r\nB\r\n`), "NOT_FOUND\r\n");
  const stats = await alice.send("stats\r\n");
  t.deepEqual([stat(stats, "cas_hits"), stat(stats, "cas_badval"), stat(stats, "cas_misses")], ["1", "1", "1"]);
});

test("two clients' pipelines interleave command by command, never inside one", async (t) => {
  const { server } = testServer();
  const alice = new TestClient(server);
  const bob = new TestClient(server);
  await alice.send("set n 0 0 1\r\n0\r\n");
  const pipeline = "incr n 1\r\n".repeat(100);
  const [fromAlice, fromBob] = await Promise.all([alice.send(pipeline, [333, 666]), bob.send(pipeline, [500])]);
  const numbers = [...fromAlice.split("\r\n"), ...fromBob.split("\r\n")].filter((line) => line !== "").map(Number);
  t.is(numbers.length, 200);
  t.deepEqual([...numbers].sort((a, b) => a - b), Array.from({ length: 200 }, (_, i) => i + 1), "each increment seen once");
  t.is(await alice.send("get n\r\n"), "VALUE n 0 3\r\n200\r\nEND\r\n");
});

test("the stats counters follow the commands", async (t) => {
  const { server } = testServer();
  const client = new TestClient(server);
  const commands = "set a 0 0 1\r\n1\r\nget a b c\r\nadd a 0 0 1\r\n2\r\nincr a 5\r\nincr zz 1\r\ndecr a 1\r\ndecr zz 1\r\ntouch a 0\r\ntouch zz 0\r\ndelete zz\r\ndelete a\r\nset big 0 0 2000000 noreply\r\n";
  await client.send(commands);
  await client.send(new Uint8Array(2_000_002));
  const stats = await client.send("stats\r\n");
  const expected: Record<string, string> = {
    cmd_get: "3", get_hits: "1", get_misses: "2", cmd_set: "2", total_items: "1" /* incr and decr rewrote in place */, incr_hits: "1", incr_misses: "1",
    decr_hits: "1", decr_misses: "1", cmd_touch: "2", touch_hits: "1", touch_misses: "1", delete_hits: "1",
    delete_misses: "1", store_too_large: "1", curr_items: "0", bytes: "0", curr_connections: "1", total_connections: "1",
  };
  for (const [name, value] of Object.entries(expected)) t.is(stat(stats, name), value, name);
  t.is(Number(stat(stats, "bytes_read")), commands.length + 2_000_002 + "stats\r\n".length);
  t.is(await client.send("stats reset\r\n"), "RESET\r\n");
  const after = await client.send("stats\r\n");
  t.is(stat(after, "cmd_get"), "0");
  t.is(stat(after, "total_connections"), "0");
  t.is(stat(after, "curr_connections"), "1", "what is current is not reset");
});

test("stats lists memcached's names in its order and ends with END", async (t) => {
  const { server, clock } = testServer();
  clock.advance(0);
  const client = new TestClient(server);
  clock.advance(42);
  const stats = await client.send("stats\r\n");
  t.regex(stats, /^(STAT [a-z_]+ [^\r\n]+\r\n)+END\r\n$/);
  const names = [...stats.matchAll(/^STAT ([a-z_]+) /gm)].map((match) => match[1]);
  for (const name of ["pid", "uptime", "time", "version", "curr_connections", "total_connections", "cmd_get", "cmd_set", "get_hits", "get_misses", "curr_items", "total_items", "bytes", "evictions", "limit_maxbytes"]) {
    t.true(names.includes(name), name);
  }
  t.is(stat(stats, "uptime"), "42");
  t.is(stat(stats, "time"), String(Math.floor(clock.ms / 1000)));
  t.is(stat(stats, "version"), VERSION);
  t.is(await client.send("stats settings\r\n"), "STAT maxbytes 67108864\r\nSTAT tcpport 11211\r\nSTAT verbosity 0\r\nSTAT evictions on\r\nSTAT cas_enabled yes\r\nSTAT item_size_max 1048576\r\nEND\r\n");
});

test("VERSION names the memcached release followed and kv; libmemcached parses the numbers before the dash", async (t) => {
  const { server } = testServer();
  t.is(await new TestClient(server).send("version\r\n"), "VERSION 1.6.18-skiff-kv\r\n");
});

test("verbosity 1 logs connections, 2 every command line", async (t) => {
  const { server, logs } = testServer();
  const client = new TestClient(server);
  await client.send("verbosity 2\r\nget a\r\n");
  const other = new TestClient(server);
  await other.send("verbosity 1\r\nget b\r\n");
  other.stream.end();
  await other.done;
  t.deepEqual(logs, ["kv: 1 < get a", "kv: connection 2 opened", "kv: 2 < verbosity 1", "kv: connection 2 closed"]);
});

test("a client that closes its side ends the session; a client's stream failing is counted as closed", async (t) => {
  const { server } = testServer();
  const client = new TestClient(server);
  await client.send("set a 0 0 1\r\nx\r\n");
  client.stream.end();
  await client.done;
  t.is(client.stream.closed, "close");
  t.is(server.connections.current, 0);
  const failing = new TestClient(server);
  failing.stream.read = () => Promise.reject(new Error("reset by peer"));
  failing.stream.send(new Uint8Array(0));
  await failing.done;
  t.is(failing.stream.closed, "abort");
  t.is(server.connections.current, 0);
});
