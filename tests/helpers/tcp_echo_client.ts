/**
 * The Linux side of the TCP echo tests: ECHO_CLIENT is a Node script, run inside a network
 * namespace under Linux's own TCP (`node -e ECHO_CLIENT HOST PORT LENGTH`), that connects to
 * a Skiff echo server (apps/test-tcp-echo), sends LENGTH bytes of a fixed pattern, half-closes,
 * reads the echo to its end and prints `echoed RECEIVED SHA256`. echoPattern(length) makes the
 * same bytes here, so a test compares the hash it printed with the hash of what was sent.
 * Status 1 on a socket error, 2 when it is still waiting after 180 s.
 */

/** The bytes ECHO_CLIENT sends: a fixed pattern (a 32-bit LCG's top byte), no seed to print. */
export function echoPattern(length: number): Buffer {
  const out = Buffer.alloc(length);
  let x = 0x12345678;
  for (let i = 0; i < length; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

/** Runs inside the namespace under Linux's TCP: send the pattern, half-close, read the echo. */
export const ECHO_CLIENT = `
const net = require("node:net"), crypto = require("node:crypto");
const [host, port, length] = [process.argv[1], Number(process.argv[2]), Number(process.argv[3])];
const out = Buffer.alloc(length); let x = 0x12345678;
for (let i = 0; i < length; i++) { x = (x * 1103515245 + 12345) >>> 0; out[i] = x >>> 24; }
const socket = net.connect(port, host, () => { socket.end(out); });
const hash = crypto.createHash("sha256"); let received = 0;
socket.on("data", (chunk) => { received += chunk.length; hash.update(chunk); });
socket.on("end", () => { console.log("echoed " + received + " " + hash.digest("hex")); });
socket.on("error", (error) => { console.error(error.message); process.exit(1); });
setTimeout(() => { console.error("timed out after receiving " + received); process.exit(2); }, 180000).unref();
`;
