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
 */
export async function readFetchBody(request: Request, limits: BodyLimits): Promise<Uint8Array> {
  if (request.bodyUsed) throw new CactusWebhookRequestError("body_already_parsed", FETCH_BODY_USED);
  if (request.body === null) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(bodyTimeout(limits.timeoutMs)), limits.timeoutMs);
  });
  try {
    for (;;) {
      const { done, value } = await Promise.race([reader.read(), timeout]);
      if (done) break;
      size += value.byteLength;
      if (size > limits.maxBytes) throw tooLarge(limits.maxBytes);
      chunks.push(value);
    }
  } catch (error) {
    // Stop the sender: nothing more is read or kept.
    reader.cancel().catch(() => undefined);
    if (error instanceof CactusWebhookRequestError) throw error;
    throw new CactusWebhookRequestError("body_read_failed", "The webhook body could not be read (the client aborted or the stream broke)", { cause: error });
  } finally {
    clearTimeout(timer);
  }
  return concat(chunks, size);
}

function concat(chunks: readonly Uint8Array[], size: number): Uint8Array {
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}
