// A Next.js App Router route handler: save as app/webhooks/route.ts. Next.js routes the request,
// so the handler answers on any path. Runs on the Node.js runtime or the Edge runtime alike
// (createFetchHandler verifies on Web Crypto).
import { CactusClient, createFetchHandler } from "../../lib";
import { type FetchWebhookHandler } from "../../lib/webhooks";
import { ExampleHandler } from "./example-handler";

/** Next.js: Node.js here; `"edge"` works the same. */
export const runtime = "nodejs";

let webhooks: FetchWebhookHandler | undefined;

// Built on first use, not at import: `next build` imports route modules without the secrets.
function handler(): FetchWebhookHandler {
  webhooks ??= createFetchHandler(new ExampleHandler(new CactusClient({ apiKey: requiredEnv("CACTUS_API_KEY") })), {
    secret: requiredEnv("CACTUS_WEBHOOK_SECRET"),
  });
  return webhooks;
}

function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`Set ${name}`);
  return value;
}

/** POST /webhooks: a Cactus delivery. Answers per the status table in docs/webhooks.md. */
export async function POST(request: Request): Promise<Response> {
  return handler()(request);
}
