// Type tests for issue 5 (webhooks): compiled by `tsc --noEmit` in `npm test`, never run. Each
// `@ts-expect-error` line must fail to compile; if a rule breaks, tsc reports an unused directive.
import type { IncomingHttpHeaders } from "node:http";
import express from "express";
import { Hono } from "hono";
import { CactusClient, CactusHandler, CactusRouter, createFetchHandler, createNodeMiddleware, type BaseThinEvent, type HandleResult } from "../../lib";
import { signWebhook, verifyWebhook, webhookStatusTable, type FetchWebhookHandler, type NodeWebhookMiddleware, type SignedWebhookHeaders, type VerifiedWebhook, type WebhookOutcome } from "../../lib/webhooks";
import { type WebhookSignatureFailure } from "../../lib/errors/public";

declare function expectType<T>(value: T): void;
declare const client: CactusClient;
declare const nodeHeaders: IncomingHttpHeaders;
declare const rawBody: Buffer;

class Handler extends CactusHandler {
  override async onOther(event: BaseThinEvent): Promise<void> {
    void event;
  }
}

export async function receivers(): Promise<void> {
  const handler = new Handler(client, { webhookSecret: "whsec_..." });
  expectType<HandleResult>(await handler.handleWebhook(rawBody, nodeHeaders));
  expectType<HandleResult>(await handler.handleWebhook("{}", new Headers()));
  const router = new CactusRouter(client, { webhookSecret: ["whsec_a", "whsec_b"], toleranceSeconds: 60 });
  expectType<HandleResult>(await router.handleWebhook("{}", { "Webhook-Id": "evt_1" }));

  // @ts-expect-error the secret option is webhookSecret
  new Handler(client, { secret: "whsec_..." });
  // @ts-expect-error handleWebhook needs the raw body, not a parsed object
  await handler.handleWebhook({ id: "evt_1" }, nodeHeaders);
}

export function middleware(): void {
  const handler = new Handler(client);
  const node: NodeWebhookMiddleware = createNodeMiddleware(handler, { secret: "whsec_...", path: "/hooks", maxBodyBytes: 65536 });
  const fetchHandler: FetchWebhookHandler = createFetchHandler(new CactusRouter(client), { secret: ["whsec_a", "whsec_b"] });
  expectType<(request: Request) => Promise<Response>>(fetchHandler);

  // Express and Hono accept them as they are: one line each.
  express().use(node);
  new Hono().post("/webhooks", (c) => fetchHandler(c.req.raw));

  // @ts-expect-error not a receiver: no handle()
  createNodeMiddleware({ onOrderShipped: async () => undefined }, { secret: "whsec_..." });
  // @ts-expect-error a bare function is not a receiver
  createFetchHandler(async () => undefined, { secret: "whsec_..." });
  // @ts-expect-error the secret is required
  createNodeMiddleware(handler, { path: "/webhooks" });
  // @ts-expect-error typo: maxBodyBytes
  createNodeMiddleware(handler, { secret: "whsec_...", maxBodySize: 1024 });
  // @ts-expect-error typo: toleranceSeconds
  createFetchHandler(handler, { secret: "whsec_...", tolerance: 60 });
  // @ts-expect-error a secret is a string, not a Buffer
  createFetchHandler(handler, { secret: Buffer.from("key") });
}

export function signatures(): void {
  const headers: SignedWebhookHeaders = signWebhook({ id: "evt_1", body: "{}", webhookSecret: "whsec_..." });
  const init: Record<string, string> = headers; // usable as fetch headers
  void init;
  expectType<VerifiedWebhook>(verifyWebhook(rawBody, nodeHeaders, "whsec_...", { toleranceSeconds: 10, now: () => new Date() }));
  expectType<VerifiedWebhook>(verifyWebhook("{}", new Headers(), ["whsec_a", "whsec_b"]));

  // @ts-expect-error a parsed body cannot be verified
  verifyWebhook({ id: "evt_1" }, nodeHeaders, "whsec_...");
  // @ts-expect-error typo: toleranceSeconds
  verifyWebhook("{}", nodeHeaders, "whsec_...", { tolerance: 10 });
  // @ts-expect-error signWebhook needs the event id
  signWebhook({ body: "{}", webhookSecret: "whsec_..." });

  const failure: WebhookSignatureFailure = "timestamp_too_old";
  // @ts-expect-error not a failure code
  const typo: WebhookSignatureFailure = "timestamp_old";
  void failure;
  void typo;
  const status: 401 = webhookStatusTable.no_matching_signature;
  const outcome: WebhookOutcome = "payload_too_large";
  void status;
  void outcome;
}

// One name for the secret everywhere: webhookSecret (secret is a deprecated alias, not both).
export function secretOption(): void {
  signWebhook({ id: "evt_1", body: "{}", webhookSecret: "whsec_..." });
  signWebhook({ id: "evt_1", body: "{}", secret: "whsec_..." });
  // @ts-expect-error a signature needs a secret
  signWebhook({ id: "evt_1", body: "{}" });
  // @ts-expect-error webhookSecret or the deprecated secret, not both
  signWebhook({ id: "evt_1", body: "{}", webhookSecret: "whsec_a", secret: "whsec_b" });
}
