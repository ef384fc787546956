import type { IncomingMessage, ServerResponse } from "node:http";
import { register as globalRegistry, type Registry } from "prom-client";

/**
 * A request listener that answers with the registry's metrics in the Prometheus text format:
 * mount it on `/metrics` in node:http or Express (it takes Node's request and response).
 *
 * @example
 * ```ts
 * app.get("/metrics", metricsHandler(metrics.registry));
 * ```
 */
export function metricsHandler(registry: Registry = globalRegistry): (request: IncomingMessage, response: ServerResponse) => void {
  return (_request, response) => {
    registry.metrics().then(
      (text) => {
        response.writeHead(200, { "content-type": registry.contentType });
        response.end(text);
      },
      () => {
        response.writeHead(500, { "content-type": "text/plain; charset=utf-8" });
        response.end("metrics collection failed\n");
      },
    );
  };
}
