import type { IncomingMessage } from "node:http";
import { bodyTimeout, tooLarge, type BodyLimits } from "../core";
import { PARSED_BODY_ADVICE, type WebhookRawBody } from "../../signature/raw-body";
import { CactusWebhookRequestError } from "../../errors";
import { armDeadline } from "../../delivery/deadlines";

/**
 * Reads the raw body of a Node request, counting bytes as they stream in: past `maxBytes` it stops
 * (pauses the stream, keeps nothing more) and fails 413; past `timeoutMs` it fails 408.
 * Bytes a framework already collected (`req.rawBody`, or a Buffer/string `req.body` from
 * `express.raw()`/`express.text()`) are used as they are. Whether someone else consumed the body
 * is decided from the stream, not from `req.body`: Express 4's parsers set `req.body = {}` even for
 * requests they skip. A stream already read, with no raw bytes left, fails 500 with
 * {@link PARSED_BODY_ADVICE}.
 */
export function readNodeBody(req: IncomingMessage, limits: BodyLimits): Promise<WebhookRawBody> {
  const collected = collectedBody(req);
  if (collected !== undefined) {
    return byteLength(collected) > limits.maxBytes ? Promise.reject(tooLarge(limits.maxBytes)) : Promise.resolve(collected);
  }
  if (streamWasRead(req)) return Promise.reject(alreadyParsed(req));
  return streamBody(req, limits);
}

function collectedBody(req: IncomingMessage): WebhookRawBody | undefined {
  if ("rawBody" in req && isRaw(req.rawBody)) return req.rawBody;
  if ("body" in req && isRaw(req.body)) return req.body;
  return undefined;
}

// `_body` is body-parser's own "I read this request" flag (Express 4 and 5).
function streamWasRead(req: IncomingMessage): boolean {
  return req.readableEnded || req.readableDidRead || ("_body" in req && req._body === true);
}

function alreadyParsed(req: IncomingMessage): CactusWebhookRequestError {
  const body: unknown = "body" in req ? req.body : undefined;
  const what = body === undefined ? "The request stream was already read by another middleware." : `req.body is already a parsed ${body === null ? "null" : typeof body}.`;
  return new CactusWebhookRequestError("body_already_parsed", `${what} ${PARSED_BODY_ADVICE}`);
}

function isRaw(value: unknown): value is WebhookRawBody {
  return typeof value === "string" || value instanceof Uint8Array;
}

function byteLength(body: WebhookRawBody): number {
  return typeof body === "string" ? Buffer.byteLength(body, "utf8") : body.byteLength;
}

function streamBody(req: IncomingMessage, limits: BodyLimits): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const deadline = armDeadline(limits.timeoutMs, () => fail(bodyTimeout(limits.timeoutMs)));

    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limits.maxBytes) fail(tooLarge(limits.maxBytes));
      else chunks.push(chunk);
    };
    const onEnd = (): void => {
      cleanup();
      // Most deliveries arrive in one chunk: no copy then.
      const [only] = chunks;
      resolve(chunks.length === 1 && only !== undefined ? only : Buffer.concat(chunks, size));
    };
    const onError = (cause: unknown): void => fail(new CactusWebhookRequestError("body_read_failed", "The webhook body could not be read (the client aborted or the stream broke)", { cause }));
    const onClose = (): void => {
      if (!req.readableEnded) onError(undefined);
    };

    function cleanup(): void {
      deadline.settle();
      req.off("data", onData);
      req.off("end", onEnd);
      req.off("error", onError);
      req.off("close", onClose);
    }
    // Stop reading: the shell answers with `connection: close`, so the rest is never read or kept.
    function fail(error: CactusWebhookRequestError): void {
      cleanup();
      chunks.length = 0;
      req.pause();
      // Swallow late stream errors (the socket may reset after we answer).
      req.on("error", () => undefined);
      reject(error);
    }

    req.on("data", onData);
    req.on("end", onEnd);
    req.on("error", onError);
    req.on("close", onClose);
  });
}
