/**
 * tuple_table: connections by their 4-tuple (local address and port, remote address and
 * port), kept as two levels of numeric keys — remote (address, port), then local (address,
 * port), each pair packed into one exact integer below 2^48 — so that finding a segment's
 * connection builds no string (a string key cost three times the lookup under QuickJS).
 */

const PORTS = 0x10000;

/** (address, port) as one integer: 32 + 16 bits, exact in a double. */
function pairKey(address: number, port: number): number {
  return (address >>> 0) * PORTS + port;
}

export class TupleTable<T> {
  readonly #byRemote = new Map<number, Map<number, T>>();

  get(localAddress: number, localPort: number, remoteAddress: number, remotePort: number): T | undefined {
    return this.#byRemote.get(pairKey(remoteAddress, remotePort))?.get(pairKey(localAddress, localPort));
  }

  has(localAddress: number, localPort: number, remoteAddress: number, remotePort: number): boolean {
    return this.get(localAddress, localPort, remoteAddress, remotePort) !== undefined;
  }

  set(localAddress: number, localPort: number, remoteAddress: number, remotePort: number, value: T): void {
    const remote = pairKey(remoteAddress, remotePort);
    let locals = this.#byRemote.get(remote);
    if (locals === undefined) this.#byRemote.set(remote, (locals = new Map()));
    locals.set(pairKey(localAddress, localPort), value);
  }

  delete(localAddress: number, localPort: number, remoteAddress: number, remotePort: number): void {
    const remote = pairKey(remoteAddress, remotePort);
    const locals = this.#byRemote.get(remote);
    if (locals === undefined) return;
    locals.delete(pairKey(localAddress, localPort));
    if (locals.size === 0) this.#byRemote.delete(remote);
  }
}
