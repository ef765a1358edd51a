/**
 * Two whole network stacks (kernel-ts/net/stack + TCP + the skiff:net API) on one event
 * loop with the fake platform's virtual clock, joined by an in-memory Ethernet: 10.0.0.1
 * (`a`) and 10.0.0.2 (`b`). For tests of what runs over skiff:net (the API itself, HTTP).
 */
import { createNetApi, type NetApi } from "../../../kernel-ts/net/api/mod.ts";
import { NetStack, type StackDevice } from "../../../kernel-ts/net/stack/mod.ts";
import { TcpStack } from "../../../kernel-ts/net/tcp/mod.ts";
import { internetChecksum } from "../../../kernel-ts/hal/checksum.ts";
import { makeScheduler } from "./fake.ts";

export type Scheduler = ReturnType<typeof makeScheduler>["scheduler"];

/** One end of a wire: what it sends arrives at the other end's receive(). */
export class MemoryDevice implements StackDevice {
  readonly info = { mtu: 1500, offloads: { csum: false, guestCsum: false, hostTso4: false, guestTso4: false } };
  readonly inbox: Uint8Array[] = [];
  peer: MemoryDevice | undefined;
  constructor(readonly index: number, readonly mac: string, private readonly loop: Scheduler) {}
  receive(): Uint8Array | undefined {
    return this.inbox.shift();
  }
  send(packets: Uint8Array | readonly Uint8Array[]): number {
    const list = packets instanceof Uint8Array ? [packets] : packets;
    for (const packet of list) this.peer!.inbox.push(packet.slice());
    if (list.length > 0) this.loop.requestTurn();
    return list.length;
  }
  flush(): void {}
}

let seed = 1;
const randomFill = (bytes: Uint8Array) => {
  for (let i = 0; i < bytes.length; i++) bytes[i] = (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24;
};

/** `dnsServers`: both stacks' (lookup asks them; 10.0.0.2 is `b`). */
export function pair(options: { dnsServers?: readonly number[] } = {}) {
  const { platform, scheduler } = makeScheduler();
  const devices = [new MemoryDevice(0, "52:54:00:00:00:01", scheduler), new MemoryDevice(1, "52:54:00:00:00:02", scheduler)] as const;
  devices[0].peer = devices[1];
  devices[1].peer = devices[0];
  const apis = devices.map((device, i): NetApi => {
    const tcp = new TcpStack({ checksum: internetChecksum, randomFill });
    const stack = new NetStack({
      device, loop: scheduler, tcp, randomFill, checksum: internetChecksum, nowNs: () => platform.monotonicNs(),
      config: { mode: "static", address: 0x0a000001 + i, prefixLength: 24, gateway: undefined, dnsServers: options.dnsServers ?? [] },
    });
    return createNetApi(stack, tcp, scheduler);
  });
  return { scheduler, a: apis[0]!, b: apis[1]! };
}

export async function run<T>(scheduler: Scheduler, body: () => Promise<T>): Promise<T> {
  const task = scheduler.spawn("test", body);
  await scheduler.run();
  return task.result;
}

