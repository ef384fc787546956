import { CactusWebhookRequestError } from "../errors";

/** The exact bytes Cactus signed: a Buffer/Uint8Array, or the body as a string. Never a parsed object. */
export type WebhookRawBody = string | Uint8Array;

/** What to change when a framework parsed the body before the signature could be checked. */
export const PARSED_BODY_ADVICE =
  "The webhook body was already parsed, but the signature covers the raw bytes. " +
  "Express: mount createNodeMiddleware before express.json(), or use express.raw({ type: \"application/json\" }) on the webhook route. " +
  "Fastify: register a content-type parser for the webhook route that keeps the raw Buffer (parseAs: \"buffer\") and pass it as req.rawBody. " +
  "Fetch API: pass the original Request before calling request.json() or request.text().";

/** Narrows `body` to raw bytes, or throws `body_already_parsed` with {@link PARSED_BODY_ADVICE}. */
export function requireRawBody(body: unknown): WebhookRawBody {
  if (typeof body === "string" || body instanceof Uint8Array) return body;
  throw new CactusWebhookRequestError("body_already_parsed", PARSED_BODY_ADVICE);
}
