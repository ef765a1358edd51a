/**
 * assert: the kernel's invariant check. A failed assert() throws KernelAssertionError,
 * which nothing in the kernel catches: it reaches start() and becomes a kernel panic
 * ("skiff: KERNEL PANIC: Assertion failed: <message>"). Use it for states that cannot
 * happen, never for bad input from outside (that is counted and dropped).
 */

export class KernelAssertionError extends Error {
  override readonly name = "KernelAssertionError";
}

export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new KernelAssertionError(`Assertion failed: ${message}`);
}
