/**
 * The Linux side of the kv VM test's raw protocol checks: KV_RAW_CLIENT is a Node script,
 * run inside a network namespace under Linux's own TCP (`node -e KV_RAW_CLIENT HOST PORT
 * CASES.json`), that replays exchanges against a kv server, one connection each. Each
 * exchange's bytes go out in one write, or in writes of `piece` bytes a millisecond apart
 * (TCP_NODELAY, so the server sees partial reads). It collects the answer until the
 * server closes, or `expectLength` bytes came and 150 ms passed without more, or 10 s, and
 * prints one JSON array of { output (latin1), closed }. Status 1 on a socket error.
 */

export interface RawExchange {
  /** The client's bytes, latin1. */
  readonly send: string;
  readonly expectLength: number;
  /** Write in pieces of this many bytes; 0 for one write. */
  readonly piece: number;
}

export interface RawAnswer {
  readonly output: string;
  readonly closed: boolean;
}

export const KV_RAW_CLIENT = `
const net = require("node:net"), fs = require("node:fs");
const [host, port, file] = [process.argv[1], Number(process.argv[2]), process.argv[3]];
const exchanges = JSON.parse(fs.readFileSync(file, "utf8"));
function run(exchange) {
  return new Promise((resolve) => {
    const socket = net.connect(port, host);
    socket.setNoDelay(true);
    const parts = []; let length = 0, quiet, done = false;
    const finish = (closed) => {
      if (done) return; done = true;
      clearTimeout(overall); clearTimeout(quiet); socket.destroy();
      resolve({ output: Buffer.concat(parts).toString("latin1"), closed });
    };
    const overall = setTimeout(() => finish(false), 10000);
    const armQuiet = () => { clearTimeout(quiet); if (length >= exchange.expectLength) quiet = setTimeout(() => finish(false), 150); };
    socket.on("connect", async () => {
      const bytes = Buffer.from(exchange.send, "latin1");
      if (exchange.piece === 0) socket.write(bytes);
      else for (let at = 0; at < bytes.length && !done; at += exchange.piece) {
        socket.write(bytes.subarray(at, at + exchange.piece));
        await new Promise((r) => setTimeout(r, 1));
      }
      armQuiet();
    });
    socket.on("data", (chunk) => { parts.push(chunk); length += chunk.length; armQuiet(); });
    socket.on("end", () => finish(true));
    socket.on("error", (error) => { if (error.code === "ECONNRESET" || error.code === "EPIPE") finish(true); else { console.error(error.message); process.exit(1); } });
  });
}
(async () => {
  const answers = [];
  for (const exchange of exchanges) answers.push(await run(exchange));
  console.log(JSON.stringify(answers));
})();
`;
