/**
 * The first network device of the app scope (`scope.devices.net`, kernel-ts/dev NetDevice),
 * as test-net-echo uses it. Described structurally: apps see the app API, not kernel modules.
 * Packets are what the HAL passes: a 12-byte virtio-net header, then the Ethernet frame.
 */
const NET_HEADER_BYTES = 12;

interface ScopeNetDevice {
  readonly mac: string;
  receive(): Uint8Array | undefined;
  nextFrame(): Promise<Uint8Array>;
  send(packets: readonly Uint8Array[]): number;
  stats(): NetCounters;
}

/** The device's counters (kernel-ts/hal/devices.ts NetStats); txFromRxBuffers is native only. */
export interface NetCounters {
  readonly rxFrames: number;
  readonly txFrames: number;
  readonly rxDrops: number;
  readonly txFromRxBuffers?: number;
}

export interface AppNet {
  readonly mac: string;
  /**
   * Resolves with the packets that have arrived, at least one. Each is the device's own
   * buffer (header, then frame): no copy.
   */
  receive(): Promise<Uint8Array[]>;
  /**
   * Queues packets for transmission, in order, each with its header cleared first (no
   * offloads asked of the device; a received header's DATA_VALID or num_buffers means
   * nothing on transmit); resolves once all are queued.
   */
  send(packets: readonly Uint8Array[]): Promise<void>;
  stats(): NetCounters;
}

export function frameOf(packet: Uint8Array): Uint8Array {
  return packet.subarray(NET_HEADER_BYTES);
}

function nextTurn(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

export function openNet(scope: unknown): AppNet | undefined {
  const device = (scope as { devices?: { net?: ScopeNetDevice } }).devices?.net;
  if (device === undefined) return undefined;
  return {
    mac: device.mac,
    stats: () => device.stats(),
    async receive() {
      const batch = [await device.nextFrame()];
      for (let packet = device.receive(); packet !== undefined; packet = device.receive()) batch.push(packet);
      return batch;
    },
    async send(packets) {
      for (const packet of packets) packet.fill(0, 0, NET_HEADER_BYTES);
      let rest = packets;
      for (;;) {
        const queued = device.send(rest);
        if (queued === rest.length) return;
        rest = rest.slice(queued); // the transmit queue is full: let a flush drain it
        await nextTurn();
      }
    },
  };
}
