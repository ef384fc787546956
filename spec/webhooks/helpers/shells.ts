import { createFetchHandler, createNodeMiddleware, type WebhookReceiver } from "../../../lib";
import { type WebhookMiddlewareOptions } from "../../../lib/webhooks";
import { listen, type TestServer } from "./server";

/** What a test sends. */
export interface TestRequest {
  readonly method?: string;
  readonly path?: string;
  readonly headers?: Record<string, string>;
  readonly body?: string | Uint8Array<ArrayBuffer>;
}

/** What a test reads back. */
export interface TestResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  readonly json: unknown;
}

/** One way to reach the webhook core: the Node middleware on a real server, or the Fetch handler. */
export interface Shell {
  send(request: TestRequest): Promise<TestResponse>;
  close(): Promise<void>;
}

/** Options every shell test uses; the error hook stays quiet (tests assert on answers). */
export type ShellOptions = WebhookMiddlewareOptions;

/** The Node middleware on node:http, 127.0.0.1, a free port, path `/webhooks`. */
export async function nodeShell(receiver: WebhookReceiver, options: ShellOptions): Promise<Shell> {
  const server: TestServer = await listen(createNodeMiddleware(receiver, { onError: () => undefined, ...options }));
  return {
    send: async (request) => toTestResponse(await fetch(`${server.url}${request.path ?? "/webhooks"}`, init(request))),
    close: () => server.close(),
  };
}

/** The Fetch handler, called with Request objects, on path `/webhooks`. */
export async function fetchShell(receiver: WebhookReceiver, options: ShellOptions): Promise<Shell> {
  const handler = createFetchHandler(receiver, { path: "/webhooks", onError: () => undefined, ...options });
  return {
    send: async (request) => toTestResponse(await handler(new Request(`http://example.test${request.path ?? "/webhooks"}`, init(request)))),
    close: async () => undefined,
  };
}

function init(request: TestRequest): RequestInit {
  const method = request.method ?? "POST";
  return { method, headers: request.headers ?? {}, ...(method === "GET" || method === "HEAD" ? {} : { body: request.body ?? "" }) };
}

async function toTestResponse(response: Response): Promise<TestResponse> {
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}
