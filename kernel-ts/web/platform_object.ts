/**
 * platform_object: a brand on the prototypes of this folder's classes, so that
 * structuredClone can tell a platform object (URL, Headers, AbortSignal, …) from an
 * ordinary object, as HTML's structured serialization must: platform objects are cloned
 * only when they are serializable (Blob, File, DOMException) and otherwise throw a
 * DataCloneError, where an ordinary object would be copied property by property.
 */

const BRAND = Symbol("skiff.web.platformObject");

export type PlatformObjectKind = "serializable" | "not-serializable";

/** Brands every instance of `constructor` (through its prototype). */
export function markPlatformClass(constructor: abstract new (...args: never[]) => unknown, kind: PlatformObjectKind): void {
  Object.defineProperty(constructor.prototype, BRAND, { value: kind, enumerable: false, writable: false, configurable: false });
}

/** The brand of `value`'s class, or undefined for an ordinary object. */
export function platformObjectKind(value: object): PlatformObjectKind | undefined {
  return (value as { [BRAND]?: PlatformObjectKind })[BRAND];
}
