import { createWebhookCore } from "../core";
import { resolveWebhookOptions, type WebhookMiddlewareOptions } from "../options";
import type { WebhookTarget } from "../../delivery/types";
import { readFetchBody } from "./read-fetch-body";
import { verifyStepAsync } from "../../pipeline/verify-step";

/** Options of {@link createFetchHandler}. */
export type FetchHandlerOptions = WebhookMiddlewareOptions & {
  /**
   * Answer only on this path (404 elsewhere). Default: every path, because Hono, Next.js and
   * others already routed the request to this handler.
   */
  readonly path?: string;
};

/** A Fetch API handler: `Request` in, `Response` out. Never rejects. */
export type FetchWebhookHandler = (request: Request) => Promise<Response>;

/**
 * Receives CactusEvents in any Fetch API runtime (Hono, Next.js route handlers and the Edge
 * runtime, Bun, Deno, Cloudflare Workers with or without `nodejs_compat`): the same checks and
 * status table as {@link createNodeMiddleware}, over the same core. The signature is checked on
 * Web Crypto (`crypto.subtle`), so nothing from `node:` is needed.
 *
 * @example
 * ```ts
 * // Next.js: app/webhooks/route.ts
 * export const POST = createFetchHandler(new MyHandler(client), { webhookSecret: process.env.CACTUS_WEBHOOK_SECRET! });
 * // Hono
 * app.post("/webhooks", (c) => webhooks(c.req.raw));
 * ```
 */
export function createFetchHandler(handler: WebhookTarget, options: FetchHandlerOptions): FetchWebhookHandler {
  // Web Crypto for the HMAC: nothing from node: is needed, so this runs on every Fetch API runtime.
  const core = createWebhookCore(handler, resolveWebhookOptions(handler, options, options?.path, "createFetchHandler"), verifyStepAsync);
  return async (request) => {
    const answer = await core.answer({
      method: request.method,
      url: request.url,
      headers: request.headers,
      readBody: (limits) => readFetchBody(request, limits),
    });
    return new Response(answer.body, { status: answer.status, headers: answer.headers });
  };
}
