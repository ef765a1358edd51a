/**
 * udp_worker_source: the JavaScript the UDP worker thread runs (see udp_ring.ts for why
 * there is a worker). It is a string evaluated as a CommonJS worker script (`eval: true`),
 * so it needs no TypeScript loader in the worker (tsx does not reach workers on Node 20)
 * and no file next to a bundle.
 *
 * workerData: { control, lengths, data, slots, slotBytes, local: {address, port},
 * remote: {address, port}, status: MessagePort }. It binds the socket, posts
 * { ok: true, port } or { ok: false, message } on `status`, then sets Cell.State and
 * notifies it. Each datagram received goes into the ring; each message from the parent is
 * an array of ArrayBuffers, one Ethernet frame each, sent as one datagram each
 * (qemu's -netdev dgram framing: no header, no length prefix).
 */
import { Cell, SocketState } from "./udp_ring.ts";

export const udpWorkerSource = `
"use strict";
const { workerData, parentPort } = require("node:worker_threads");
const dgram = require("node:dgram");
const { local, remote, status, slots, slotBytes } = workerData;
const control = new Int32Array(workerData.control);
const lengths = new Int32Array(workerData.lengths);
const data = new Uint8Array(workerData.data);

function bumpEvents() {
  Atomics.add(control, ${Cell.Events}, 1);
  Atomics.notify(control, ${Cell.Events});
}

function setState(state, message) {
  status.postMessage(message);
  Atomics.store(control, ${Cell.State}, state);
  Atomics.notify(control, ${Cell.State});
}

const socket = dgram.createSocket({ type: local.address.includes(":") ? "udp6" : "udp4" });
let bound = false;

socket.on("error", (error) => {
  if (!bound) setState(${SocketState.Failed}, { ok: false, message: error.message });
});

socket.on("message", (datagram) => {
  if (datagram.length > slotBytes) {
    Atomics.add(control, ${Cell.RxOversize}, 1);
    return;
  }
  const written = Atomics.load(control, ${Cell.RxWritten});
  const read = Atomics.load(control, ${Cell.RxRead});
  if (((written - read) | 0) >= slots) {
    Atomics.add(control, ${Cell.RxRingFull}, 1);
    return;
  }
  const slot = written & (slots - 1);
  data.set(datagram, slot * slotBytes);
  lengths[slot] = datagram.length;
  Atomics.store(control, ${Cell.RxWritten}, (written + 1) | 0); // publishes the slot
  bumpEvents();
});

function sent(error) {
  if (error) Atomics.add(control, ${Cell.TxErrors}, 1);
  Atomics.add(control, ${Cell.TxDone}, 1);
  if (Atomics.compareExchange(control, ${Cell.TxBlocked}, 1, 0) === 1) bumpEvents();
}

parentPort.on("message", (frames) => {
  for (const frame of frames) socket.send(new Uint8Array(frame), remote.port, remote.address, sent);
});

socket.bind(local.port, local.address, () => {
  bound = true;
  setState(${SocketState.Bound}, { ok: true, port: socket.address().port });
});
`;
