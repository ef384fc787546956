import type { IncomingHttpHeaders } from "node:http";
import { CactusEmulator } from "../../lib/emulator";
import { listen, type TestServer } from "../webhooks/helpers/server";

/** One request an {@link Endpoint} received. */
export interface ReceivedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** What the endpoint answers: a status, optional headers and body. */
export interface EndpointAnswer {
  readonly status: number;
  readonly headers?: Record<string, string>;
  readonly body?: string;
}

/** A webhook endpoint on 127.0.0.1 whose answers a test scripts; it records every request. */
export interface Endpoint extends TestServer {
  readonly received: ReceivedRequest[];
  /** What it answers from now on. */
  answer: (request: ReceivedRequest) => EndpointAnswer;
}

/** Starts an endpoint that answers 200 `{"received":true}` until told otherwise. */
export async function startEndpoint(): Promise<Endpoint> {
  const received: ReceivedRequest[] = [];
  const holder: { endpoint?: Endpoint } = {};
  const server = await listen((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const request: ReceivedRequest = { method: req.method ?? "", path: req.url ?? "", headers: req.headers, body: Buffer.concat(chunks).toString("utf8") };
      received.push(request);
      const answer = holder.endpoint?.answer(request) ?? { status: 500 };
      res.writeHead(answer.status, { "content-type": "application/json", ...answer.headers });
      res.end(answer.body ?? "");
    });
  });
  const endpoint: Endpoint = { url: server.url, server: server.server, close: () => server.close(), received, answer: () => ({ status: 200, body: '{"received":true}' }) };
  holder.endpoint = endpoint;
  return endpoint;
}

/** An emulator on a free port, without the seeded fixtures' noise in the log. */
export function startEmulator(): Promise<CactusEmulator> {
  return CactusEmulator.start({ port: 0 });
}

/** Resolves when `check` holds, polling every 10 ms; fails after `timeoutMs`, naming `what`. */
export async function eventually<T>(what: string, check: () => T | undefined | false, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
