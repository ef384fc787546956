import type { IncomingMessage, ServerResponse } from "node:http";
import { createWebhookCore } from "../core";
import { resolveWebhookOptions, type WebhookMiddlewareOptions } from "../options";
import type { WebhookAnswer } from "../status-table";
import type { WebhookTarget } from "../../delivery/types";
import { readNodeBody } from "./read-node-body";
import { isForThisEndpoint } from "./routed-path";
import { markAnswered, rememberMountedPath, watchPassedOn } from "./unrouted-warning";

/** Options of {@link createNodeMiddleware}. */
export type NodeMiddlewareOptions = WebhookMiddlewareOptions & {
  /**
   * The path deliveries are POSTed to; other paths call `next()` (or answer 404 without `next`).
   * Compared with the full path (`req.originalUrl`) and with the path below an Express mount point
   * (`req.url`); either may match. Default `/webhooks`, and then, in Express, also wherever Express
   * routed the request here: `app.post("/x", mw)` and `router.post("/x", mw)` answer on their route,
   * `app.use("/x", mw)` answers `/x` itself. Set it to restrict those to one path.
   */
  readonly path?: string;
};

/**
 * A `(req, res, next?)` function for node:http, Express and Connect. It never rejects and never
 * calls `next(err)`: every outcome is an answer from the status table.
 */
export type NodeWebhookMiddleware = (req: IncomingMessage, res: ServerResponse, next?: (error?: unknown) => void) => Promise<void>;

/**
 * Receives CactusEvents over HTTP: checks path, method, content type and size, verifies the
 * Standard Webhooks signature of the raw bytes, then calls `handler.handle` and answers per the
 * status table in docs/webhooks.md. Secrets and options are checked here, not at the first delivery.
 *
 * Mount it however Express apps usually are (see {@link NodeMiddlewareOptions.path}):
 * `app.use(mw)` answers `/webhooks` (or `path`), `app.use("/hooks/cactus", mw)` and
 * `app.post("/hooks/cactus", mw)` answer `/hooks/cactus`.
 *
 * @example
 * ```ts
 * // Express: mount it before express.json(), which would consume the body.
 * app.use(createNodeMiddleware(new MyHandler(client), { webhookSecret: process.env.CACTUS_WEBHOOK_SECRET! }));
 * app.post("/hooks/cactus", createNodeMiddleware(handler, { webhookSecret })); // or on a route of its own
 * // node:http
 * http.createServer(createNodeMiddleware(handler, { webhookSecret })).listen(3000);
 * ```
 */
export function createNodeMiddleware(handler: WebhookTarget, options: NodeMiddlewareOptions): NodeWebhookMiddleware {
  const explicitPath = options?.path !== undefined;
  const resolved = resolveWebhookOptions(handler, options, options?.path ?? "/webhooks", "createNodeMiddleware");
  const core = createWebhookCore(handler, resolved);
  rememberMountedPath(resolved.path ?? "/webhooks", explicitPath);
  // Not an async function: the answer's own promise is the one returned (one promise less per
  // request, measurably less server CPU). The core never rejects.
  return (req, res, next) => {
    try {
      const forUs = isForThisEndpoint(req, core, explicitPath);
      if (!forUs && next) {
        watchPassedOn(req, res, resolved.observability);
        next();
        return Promise.resolve();
      }
      markAnswered(req);
      return core
        .answer({
          method: req.method ?? "GET",
          url: req.url ?? "/",
          headers: req.headers,
          pathMatched: forUs,
          readBody: (limits) => readNodeBody(req, limits),
        })
        .then((answer) => send(req, res, answer));
    } catch (error) {
      return Promise.reject(error);
    }
  };
}

function send(req: IncomingMessage, res: ServerResponse, answer: WebhookAnswer): void {
  if (res.headersSent || res.writableEnded || res.destroyed) return;
  // One writeHead with the body's length, then one end: Node sends the head and the body in one
  // write. (Without a length the answer would go out chunked: more pieces, a writev per answer.)
  // Answered before the whole body arrived (too large, too slow, unsigned): close the connection
  // rather than read and discard the rest.
  // Copied name by name: Node's header writing walks an object spread from another markedly slower
  // (about 4 µs of server CPU per request, measured against this loop).
  const headers: Record<string, string> = {};
  for (const name in answer.headers) headers[name] = answer.headers[name] ?? "";
  headers["content-length"] = String(Buffer.byteLength(answer.body, "utf8"));
  if (!req.complete) headers["connection"] = "close";
  res.writeHead(answer.status, headers);
  res.end(answer.body);
}
