/**
 * web: the web-standard globals apps get, in TypeScript that runs on QuickJS (which has
 * none of them): the public face of this folder, and `installWebGlobals`, which puts
 * them on a global object.
 *
 * installWebGlobals defines each global (non-enumerable, writable, configurable, as Web
 * IDL does) only where the target lacks it: on QuickJS everything is installed; under
 * Node, Node's own implementations are left alone. The platform services they need are
 * passed in: random bytes (crypto), a monotonic clock (performance) and timers
 * (AbortSignal.timeout).
 */

import { setAbortTimers } from "./abort_signal.ts";
import { AbortController } from "./abort_controller.ts";
import { AbortSignal } from "./abort_signal.ts";
import { createCrypto, Crypto, type RandomFill } from "./crypto.ts";
import { DOMException } from "./dom_exception.ts";
import { atob, btoa } from "./encoding/base64.ts";
import { TextDecoder } from "./encoding/text_decoder.ts";
import { TextEncoder } from "./encoding/text_encoder.ts";
import { Event } from "./event.ts";
import { EventTarget } from "./event_target.ts";
import { FormData } from "./fetch/form_data.ts";
import { Headers } from "./fetch/headers.ts";
import { Request } from "./fetch/request.ts";
import { Response } from "./fetch/response.ts";
import { Blob } from "./file/blob.ts";
import { File } from "./file/file.ts";
import { createPerformance, Performance } from "./performance.ts";
import * as streams from "./streams.ts";
import { structuredClone } from "./structured_clone.ts";
import { URL } from "./url/url.ts";
import { URLSearchParams } from "./url/url_search_params.ts";

export { AbortController } from "./abort_controller.ts";
export { AbortSignal } from "./abort_signal.ts";
export { createCrypto, Crypto, type RandomFill } from "./crypto.ts";
export { DOMException } from "./dom_exception.ts";
export { atob, btoa } from "./encoding/base64.ts";
export { TextDecoder, type TextDecoderOptions, type TextDecodeOptions } from "./encoding/text_decoder.ts";
export { TextEncoder, type TextEncoderEncodeIntoResult } from "./encoding/text_encoder.ts";
export { Event, type EventInit } from "./event.ts";
export { EventTarget, type AddEventListenerOptions, type EventListenerOrEventListenerObject } from "./event_target.ts";
export type { BodyInit } from "./fetch/body.ts";
export { FormData, type FormDataEntryValue } from "./fetch/form_data.ts";
export { Headers, type HeadersInit } from "./fetch/headers.ts";
export { Request, type RequestInfo, type RequestInit } from "./fetch/request.ts";
export { Response, type ResponseInit, type ResponseType } from "./fetch/response.ts";
export { Blob, type BlobPart, type BlobPropertyBag } from "./file/blob.ts";
export { File, type FilePropertyBag } from "./file/file.ts";
export { createPerformance, Performance } from "./performance.ts";
export {
  ByteLengthQueuingStrategy, CountQueuingStrategy, ReadableByteStreamController, ReadableStream, ReadableStreamBYOBReader,
  ReadableStreamBYOBRequest, ReadableStreamDefaultController, ReadableStreamDefaultReader, TransformStream,
  TransformStreamDefaultController, WritableStream, WritableStreamDefaultController, WritableStreamDefaultWriter,
} from "./streams.ts";
export { structuredClone, type StructuredSerializeOptions } from "./structured_clone.ts";
export { URL } from "./url/url.ts";
export { URLSearchParams, type URLSearchParamsInit } from "./url/url_search_params.ts";

export interface WebGlobalsDeps {
  /** Fills every byte with unpredictable values (crypto). */
  randomFill(bytes: Uint8Array): void;
  /** A monotonic clock in milliseconds (performance.now). */
  nowMs(): number;
  /** Timers for AbortSignal.timeout. */
  setTimeout(callback: () => void, delayMs: number): unknown;
  clearTimeout(id: unknown): void;
}

/**
 * Every web global by name, made over `deps`: the classes of this copy of the module (a
 * reload of the app API, module.ts, evaluates a newer copy in a context of its own and
 * hands its record to the apps), and a crypto and a performance object.
 */
export function webGlobals(deps: WebGlobalsDeps): Record<string, unknown> {
  setAbortTimers({ setTimeout: deps.setTimeout, clearTimeout: deps.clearTimeout });
  const randomFill: RandomFill = (bytes) => deps.randomFill(bytes);
  return {
    AbortController, AbortSignal, DOMException, Event, EventTarget,
    TextDecoder, TextEncoder, atob, btoa,
    URL, URLSearchParams,
    Blob, File,
    ByteLengthQueuingStrategy: streams.ByteLengthQueuingStrategy,
    CountQueuingStrategy: streams.CountQueuingStrategy,
    ReadableByteStreamController: streams.ReadableByteStreamController,
    ReadableStream: streams.ReadableStream,
    ReadableStreamBYOBReader: streams.ReadableStreamBYOBReader,
    ReadableStreamBYOBRequest: streams.ReadableStreamBYOBRequest,
    ReadableStreamDefaultController: streams.ReadableStreamDefaultController,
    ReadableStreamDefaultReader: streams.ReadableStreamDefaultReader,
    TransformStream: streams.TransformStream,
    TransformStreamDefaultController: streams.TransformStreamDefaultController,
    WritableStream: streams.WritableStream,
    WritableStreamDefaultController: streams.WritableStreamDefaultController,
    WritableStreamDefaultWriter: streams.WritableStreamDefaultWriter,
    FormData, Headers, Request, Response,
    structuredClone,
    Crypto, Performance,
    crypto: createCrypto(randomFill),
    performance: createPerformance(() => deps.nowMs()),
  };
}

/** Defines every web global missing on `target`; returns the names it defined. */
export function installWebGlobals(target: object, deps: WebGlobalsDeps): string[] {
  const installed: string[] = [];
  for (const [name, value] of Object.entries(webGlobals(deps))) {
    if ((target as Record<string, unknown>)[name] !== undefined) continue;
    Object.defineProperty(target, name, { value, writable: true, configurable: true, enumerable: false });
    installed.push(name);
  }
  return installed;
}
