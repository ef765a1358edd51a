/**
 * device_flags: the command-line spelling of the hosted devices, for `skiff run --hosted`
 * (and anything else that starts a hosted kernel):
 *
 *   --net dgram:LOCALPORT:REMOTEPORT              both on 127.0.0.1
 *   --net dgram:LOCALHOST:LOCALPORT:REMOTEHOST:REMOTEPORT
 *   --disk FILE        read-write
 *   --disk FILE,ro     read-only
 *
 * The net flag mirrors qemu's `-netdev dgram,id=n,local.type=inet,local.host=H,local.port=P,
 * remote.type=inet,remote.host=H,remote.port=P`: the two ends of one wire swap the ports.
 * A mistake throws a RangeError whose message names the flag.
 */
import type { HostedDiskOptions } from "./hosted_disk.ts";
import type { HostedNetOptions } from "./hosted_net.ts";

const LOOPBACK = "127.0.0.1";

function port(text: string, flag: string): number {
  const value = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!(value >= 0 && value <= 65535)) throw new RangeError(`Cannot use --net ${flag}: ${JSON.stringify(text)} is not a port (0–65535)`);
  return value;
}

export function parseNetFlag(flag: string): HostedNetOptions {
  const parts = flag.split(":");
  if (parts[0] !== "dgram") throw new RangeError(`Cannot use --net ${flag}: expected dgram:LOCALPORT:REMOTEPORT or dgram:LOCALHOST:LOCALPORT:REMOTEHOST:REMOTEPORT`);
  if (parts.length === 3) {
    return { local: { address: LOOPBACK, port: port(parts[1]!, flag) }, remote: { address: LOOPBACK, port: port(parts[2]!, flag) } };
  }
  if (parts.length === 5 && parts[1] !== "" && parts[3] !== "") {
    return { local: { address: parts[1]!, port: port(parts[2]!, flag) }, remote: { address: parts[3]!, port: port(parts[4]!, flag) } };
  }
  throw new RangeError(`Cannot use --net ${flag}: expected dgram:LOCALPORT:REMOTEPORT or dgram:LOCALHOST:LOCALPORT:REMOTEHOST:REMOTEPORT`);
}

export function parseDiskFlag(flag: string): HostedDiskOptions {
  const match = /^(.+?)(,ro)?$/.exec(flag);
  if (match === null || match[1] === undefined || match[1] === "") throw new RangeError(`Cannot use --disk ${JSON.stringify(flag)}: expected FILE or FILE,ro`);
  return { path: match[1], readOnly: match[2] !== undefined };
}
