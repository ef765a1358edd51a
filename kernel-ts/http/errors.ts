/**
 * errors: HttpError, what the request parser and body decoders throw for a request the
 * server must refuse, with the status code to answer (RFC 9110 §15). The connection turns
 * it into that response and closes: after a framing error the byte stream cannot be trusted.
 */

export class HttpError extends Error {
  override readonly name = "HttpError";
  constructor(readonly status: number, message: string) {
    super(message);
  }
}
