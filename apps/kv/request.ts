/**
 * request: what the parser (request_parser.ts) hands the executor (dispatch.ts), one per
 * command line of the memcached text protocol (protocol.txt). Storage commands arrive
 * with their data block; every other command as its words. Lines the parser refuses
 * because they decide how many bytes follow (a storage line with the wrong number of
 * words, a bad number, a key too long, an item too large) come as the reply memcached
 * sends for them.
 */

export type StorageCommand = "set" | "add" | "replace" | "append" | "prepend" | "cas";

export const STORAGE_COMMANDS: ReadonlySet<string> = new Set<StorageCommand>(["set", "add", "replace", "append", "prepend", "cas"]);

/** A command line without a data block: its words, split on spaces (latin1). */
export interface CommandRequest {
  readonly type: "command";
  readonly words: readonly string[];
}

/** A storage command line and the data block that followed it. */
export interface StoreRequest {
  readonly type: "store";
  readonly command: StorageCommand;
  readonly key: string;
  readonly flags: number;
  /** Seconds, as memcached keeps it (int32). */
  readonly exptime: number;
  /** The cas command's unique; undefined for the others. */
  readonly casUnique: bigint | undefined;
  readonly noreply: boolean;
  readonly data: Uint8Array;
  /** The block was not followed by "\r\n": memcached answers "CLIENT_ERROR bad data chunk" and stores nothing. */
  readonly badChunk: boolean;
}

/** A storage line refused before its data block: the reply, and what follows. */
export interface RefusedRequest {
  readonly type: "refused";
  readonly reply: string;
  readonly noreply: boolean;
  /** Set when the item was too large: its data block is discarded, and a `set` drops the old value. */
  readonly tooLarge?: { readonly command: StorageCommand; readonly key: string };
}

/** The connection must close: no line end within the limit (memcached closes without a word). */
export interface CloseRequest {
  readonly type: "close";
  readonly reason: string;
}

export type Request = CommandRequest | StoreRequest | RefusedRequest | CloseRequest;
