import { bodyTimeout, tooLarge, type BodyLimits } from "../core";
import { CactusWebhookRequestError } from "../../errors";

const FETCH_BODY_USED =
  "The Request body was already read (request.json(), request.text() or a body-parsing middleware ran first), " +
  "but the signature covers the raw bytes. Pass the original, unread Request to the webhook handler " +
  "(in Hono: c.req.raw, before any c.req.json()).";

/**
 * Reads a Fetch API request body as bytes, counting as they stream: past `maxBytes` it cancels
 * the stream and fails 413; past `timeoutMs` it cancels and fails 408. A body already used fails
 * 500 with what to change.
 *
 * Memory stays proportional to the body, however it is chunked: one timer cancels the reader
 * (racing every read against one long-lived promise would keep each read alive until the timeout),
 * and chunks are copied into one growing buffer rather than kept as a million tiny arrays.
 */
export async function readFetchBody(request: Request, limits: BodyLimits): Promise<Uint8Array> {
  if (request.bodyUsed) throw new CactusWebhookRequestError("body_already_parsed", FETCH_BODY_USED);
  if (request.body === null) return new Uint8Array(0);
  const reader = request.body.getReader();
  const bytes = new ByteCollector(limits.maxBytes);
  let timedOut = false;
  // Cancelling settles a pending read() with `done`, so a stalled sender cannot hold us here.
  const timer = setTimeout(() => {
    timedOut = true;
    reader.cancel().catch(() => undefined);
  }, limits.timeoutMs);
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (timedOut) throw bodyTimeout(limits.timeoutMs);
      if (done) break;
      if (!bytes.add(value)) throw tooLarge(limits.maxBytes);
    }
  } catch (error) {
    // Stop the sender: nothing more is read or kept.
    reader.cancel().catch(() => undefined);
    if (error instanceof CactusWebhookRequestError) throw error;
    if (timedOut) throw bodyTimeout(limits.timeoutMs);
    throw new CactusWebhookRequestError("body_read_failed", "The webhook body could not be read (the client aborted or the stream broke)", { cause: error });
  } finally {
    clearTimeout(timer);
  }
  return bytes.result();
}

/** Bytes copied into one buffer that doubles as needed, never past `maxBytes`. */
class ByteCollector {
  private buffer = new Uint8Array(0);
  private size = 0;

  constructor(private readonly maxBytes: number) {}

  /** Appends `chunk`; `false` (keeping nothing more) when the total would pass `maxBytes`. */
  add(chunk: Uint8Array): boolean {
    const size = this.size + chunk.byteLength;
    if (size > this.maxBytes) return false;
    if (size > this.buffer.byteLength) {
      const grown = new Uint8Array(Math.min(this.maxBytes, Math.max(size, 2 * this.buffer.byteLength, 16 * 1024)));
      grown.set(this.buffer.subarray(0, this.size));
      this.buffer = grown;
    }
    this.buffer.set(chunk, this.size);
    this.size = size;
    return true;
  }

  /** The bytes so far (a view; no copy). */
  result(): Uint8Array {
    return this.buffer.subarray(0, this.size);
  }
}
