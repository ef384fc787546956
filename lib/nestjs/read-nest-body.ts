import type { IncomingMessage } from "node:http";
import { CactusWebhookRequestError } from "../errors";
import { tooLarge, type BodyLimits } from "../webhooks/core";
import { readNodeBody } from "../webhooks/node/read-node-body";
import type { WebhookRawBody } from "../signature/raw-body";

/**
 * What to change when Nest parsed the body and kept no raw copy: the signature covers the raw
 * bytes, and Nest keeps them only when asked.
 */
export const NEST_RAW_BODY_ADVICE =
  "The webhook body was already parsed and Nest kept no raw copy, but the signature covers the raw bytes. " +
  "Create the app with the rawBody option: NestFactory.create(AppModule, { rawBody: true }) on Express, " +
  "NestFactory.create<NestFastifyApplication>(AppModule, new FastifyAdapter(), { rawBody: true }) on Fastify " +
  "(and Test.createTestingModule(...).compile() then moduleRef.createNestApplication({ rawBody: true }) in tests).";

/** The request of either Nest platform, as far as the webhook endpoint reads it. */
export interface NestWebhookHttpRequest {
  /** HTTP method. */
  readonly method?: string | undefined;
  /** Path and query. */
  readonly url?: string | undefined;
  /** Request headers (Node's shape on both platforms). */
  readonly headers: IncomingMessage["headers"];
  /** The raw bytes Nest kept with `rawBody: true` (a Buffer on both platforms). */
  readonly rawBody?: unknown;
  /** The parsed body, when a parser ran. */
  readonly body?: unknown;
  /** Fastify: the Node request underneath. */
  readonly raw?: unknown;
}

/**
 * Reads the raw body of a Nest request: the bytes Nest kept (`rawBody: true`), else the Node
 * stream when no parser read it (`bodyParser: false`). A body parsed with no raw copy fails with
 * `body_already_parsed` (500) and {@link NEST_RAW_BODY_ADVICE}.
 */
export function readNestBody(req: NestWebhookHttpRequest, limits: BodyLimits): Promise<WebhookRawBody> {
  const { rawBody } = req;
  if (typeof rawBody === "string" || rawBody instanceof Uint8Array) {
    const size = typeof rawBody === "string" ? Buffer.byteLength(rawBody, "utf8") : rawBody.byteLength;
    return size > limits.maxBytes ? Promise.reject(tooLarge(limits.maxBytes)) : Promise.resolve(rawBody);
  }
  const node = nodeRequestOf(req);
  if (req.body === undefined && node !== undefined && !node.readableDidRead && !node.readableEnded) return readNodeBody(node, limits);
  const what = req.body === undefined ? "" : ` (the request's body is a parsed ${req.body === null ? "null" : typeof req.body})`;
  return Promise.reject(new CactusWebhookRequestError("body_already_parsed", NEST_RAW_BODY_ADVICE.replace("already parsed", `already parsed${what}`)));
}

function nodeRequestOf(req: NestWebhookHttpRequest): IncomingMessage | undefined {
  const candidate: unknown = req.raw ?? req;
  return isNodeRequest(candidate) ? candidate : undefined;
}

function isNodeRequest(value: unknown): value is IncomingMessage {
  return typeof value === "object" && value !== null && typeof Reflect.get(value, "on") === "function" && "readableDidRead" in value;
}
