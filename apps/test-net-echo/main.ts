/**
 * test-net-echo: the VM's end of tests/helpers/dgram_wire.ts. Every frame received on the
 * first network device goes back out unchanged, byte for byte (no address swap: the harness
 * compares identity), in arrival order, until env.count frames have been echoed or a frame
 * with EtherType 0x88b6 (the harness's "stop") arrives. Lines:
 *   net-echo: ready mac=52:54:00:12:34:56 count=N
 *   net-echo: echoed N frames, B bytes[, stopped]
 *   net-echo: stats rxFrames=N txFrames=N txFromRxBuffers=N rxDrops=N
 * Status 0; 5 when there is no network device.
 */
import { frameOf, openNet } from "./net.ts";

const ETHERTYPE_STOP = 0x88b6;

function isStop(frame: Uint8Array): boolean {
  return frame.length >= 14 && frame[12] === ETHERTYPE_STOP >> 8 && frame[13] === (ETHERTYPE_STOP & 0xff);
}

export default {
  async main(env: Record<string, string | undefined>, scope: unknown): Promise<number> {
    const net = openNet(scope);
    if (net === undefined) {
      console.log("net-echo: no network device");
      return 5;
    }
    const count = env.count === undefined ? Infinity : Number(env.count);
    if (!(count >= 0)) throw new RangeError(`Cannot use env.count=${env.count}: expected a number of frames`);
    console.log(`net-echo: ready mac=${net.mac} count=${env.count ?? "unlimited"}`);
    let frames = 0;
    let bytes = 0;
    let stopped = false;
    while (frames < count) {
      const batch = await net.receive();
      const echo: Uint8Array[] = [];
      for (const packet of batch) {
        if (packet.length < 12 + 14) {
          // Not a frame (the HAL promises header + Ethernet header): say so; the harness sees the loss.
          console.log(`net-echo: received a packet of ${packet.length} bytes (byteOffset ${packet.byteOffset}, buffer ${packet.buffer.byteLength} bytes); not echoed`);
          continue;
        }
        const frame = frameOf(packet);
        if (isStop(frame)) {
          stopped = true;
          break;
        }
        echo.push(packet); // the received buffer goes back out as it is: no copy
        bytes += frame.length;
        if (frames + echo.length >= count) break;
      }
      frames += echo.length;
      await net.send(echo);
      if (stopped) break;
    }
    console.log(`net-echo: echoed ${frames} frames, ${bytes} bytes${stopped ? ", stopped" : ""}`);
    const stats = net.stats();
    console.log(`net-echo: stats rxFrames=${stats.rxFrames} txFrames=${stats.txFrames} txFromRxBuffers=${stats.txFromRxBuffers ?? "n/a"} rxDrops=${stats.rxDrops}`);
    return 0;
  },
};
