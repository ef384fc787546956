/**
 * Reads an answer's body with a byte cap, chunk by chunk, and cancels the stream once the cap is
 * passed: `response.text()` would buffer whatever a server sends (a hostile 200, or a proxy's
 * endless error page) before anything could look at its size.
 */

/** Default cap on a successful answer's body: 1 MiB, far above any Cactus object. */
export const DEFAULT_MAX_RESPONSE_BYTES = 1024 * 1024;
/** Cap on an error answer's body: enough for any JSON error; the status alone decides the error class. */
export const MAX_ERROR_BODY_BYTES = 64 * 1024;

/** A body read up to a cap. */
export interface CappedBody {
  /** The body as text (UTF-8, a leading BOM dropped, as `response.text()` does). */
  readonly text: string;
  /** Whether the body was longer than the cap (then `text` holds only its first `limit` bytes). */
  readonly overLimit: boolean;
}

/**
 * Reads at most `limit` bytes of `response`'s body. A `Content-Length` over the cap is refused
 * before reading; a body that grows past the cap is cut there and its stream cancelled, which
 * closes the connection instead of draining it.
 */
export async function readCappedBody(response: Response, limit: number): Promise<CappedBody> {
  const body = response.body;
  if (body === null) return { text: "", overLimit: false };
  const declared = Number(response.headers.get("content-length") ?? Number.NaN);
  if (Number.isFinite(declared) && declared > limit) {
    cancelQuietly(body.cancel());
    return { text: "", overLimit: true };
  }
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (size + value.byteLength > limit) {
      chunks.push(value.subarray(0, limit - size));
      size = limit;
      cancelQuietly(reader.cancel());
      return { text: decode(chunks, size), overLimit: true };
    }
    chunks.push(value);
    size += value.byteLength;
  }
  return { text: decode(chunks, size), overLimit: false };
}

// Not awaited: cancelling may wait on the network, and the caller has what it needs.
function cancelQuietly(cancelled: Promise<void>): void {
  cancelled.catch(() => undefined);
}

function decode(chunks: readonly Uint8Array[], size: number): string {
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return new TextDecoder("utf-8").decode(bytes);
}
