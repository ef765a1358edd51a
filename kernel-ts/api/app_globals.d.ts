/**
 * app_globals: the types of the globals the kernel gives every app (installed by
 * kernel-ts/globals.ts on QuickJS platforms): console and the timers.
 *
 * This is a global script (no imports or exports). Its declarations are written to merge
 * with @types/node's (same `interface Console`, overloads of the same functions) so that
 * the host's type check, which sees both, stays clean.
 */

interface Console {
  log(...data: any[]): void;
  info(...data: any[]): void;
  debug(...data: any[]): void;
  warn(...data: any[]): void;
  error(...data: any[]): void;
  trace(...data: any[]): void;
  assert(condition?: boolean, ...data: any[]): void;
  dir(item?: any, options?: any): void;
}

declare var console: Console;

declare function setTimeout<TArgs extends any[]>(callback: (...args: TArgs) => void, ms?: number, ...args: TArgs): number;
declare function setInterval<TArgs extends any[]>(callback: (...args: TArgs) => void, ms?: number, ...args: TArgs): number;
declare function clearTimeout(id?: number): void;
declare function clearInterval(id?: number): void;
declare function queueMicrotask(callback: () => void): void;
