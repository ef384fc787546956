import { createServer, type IncomingMessage, type Server } from "node:http";

/**
 * Serves a Fetch API handler (`Request -> Response`) on node:http: what Bun, Deno and
 * @hono/node-server do for you. Streams the request body with backpressure, so the webhook
 * handler's size limit and timeout work as on those runtimes.
 */
export function serveFetch(handler: (request: Request) => Response | Promise<Response>): Server {
  return createServer((req, res) => {
    void (async () => {
      const response = await handler(toRequest(req));
      const headers: Record<string, string> = {};
      response.headers.forEach((value, name) => (headers[name] = value));
      // Answered before the whole body arrived (413, 408): close rather than read the rest.
      res.writeHead(response.status, req.complete ? headers : { ...headers, connection: "close" });
      res.end(Buffer.from(await response.arrayBuffer()));
    })().catch(() => {
      res.statusCode = 500;
      res.end();
    });
  });
}

function toRequest(req: IncomingMessage): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    for (const item of Array.isArray(value) ? value : value === undefined ? [] : [value]) headers.append(name, item);
  }
  const url = `http://${req.headers.host ?? "localhost"}${req.url ?? "/"}`;
  const method = req.method ?? "GET";
  if (method === "GET" || method === "HEAD") return new Request(url, { method, headers });
  const chunks = req[Symbol.asyncIterator]();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next: IteratorResult<unknown> = await chunks.next();
      if (next.done) controller.close();
      else if (next.value instanceof Uint8Array) controller.enqueue(next.value);
    },
    cancel() {
      req.pause(); // stop reading; the connection is closed after the answer
    },
  });
  const init: RequestInit & { duplex: "half" } = { method, headers, body, duplex: "half" };
  return new Request(url, init);
}
