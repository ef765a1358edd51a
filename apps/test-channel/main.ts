/**
 * test-channel: the VM's end of the console channel (virtio-console). Bytes are gathered into
 * lines; each line comes back as "echo: LINE\n". The line "bye" is answered and ends the app.
 * Lines on the kernel console:
 *   channel: ready NAME
 *   channel: echoed N lines, B bytes
 * Status 0; 5 when there is no channel device; 6 when it is listed but has no driver.
 */
import { openChannel } from "./channel.ts";

const NEWLINE = 0x0a;
const PREFIX = Uint8Array.from("echo: ", (char) => char.charCodeAt(0));

export default {
  async main(_env: Record<string, string | undefined>, scope: unknown): Promise<number> {
    const channel = openChannel(scope);
    if (channel === undefined) {
      console.log("channel: no channel device");
      return 5;
    }
    if (typeof channel === "string") {
      console.log(`channel: cannot use: ${channel}`);
      return 6;
    }
    console.log(`channel: ready ${channel.name}`);
    let pending = new Uint8Array(0);
    let lines = 0;
    let bytes = 0;
    for (;;) {
      const chunk = await channel.read();
      bytes += chunk.length;
      const joined = new Uint8Array(pending.length + chunk.length);
      joined.set(pending, 0);
      joined.set(chunk, pending.length);
      let start = 0;
      let newline: number;
      while ((newline = joined.indexOf(NEWLINE, start)) >= 0) {
        const line = joined.subarray(start, newline + 1);
        const reply = new Uint8Array(PREFIX.length + line.length);
        reply.set(PREFIX, 0);
        reply.set(line, PREFIX.length);
        await channel.write(reply);
        lines++;
        start = newline + 1;
        if (line.length === 4 && line[0] === 0x62 && line[1] === 0x79 && line[2] === 0x65) {
          console.log(`channel: echoed ${lines} lines, ${bytes} bytes`);
          return 0;
        }
      }
      pending = joined.slice(start);
    }
  },
};
