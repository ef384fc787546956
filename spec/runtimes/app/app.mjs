// The app every runtime test runs, as a user would write it: plain JavaScript on the installed
// package, nothing runtime-specific. A CactusHandler subclass behind createFetchHandler, plus two
// routes the tests read: GET /seen (what the handlers did) and GET /sync (what a sync verify says).
import { CactusClient, CactusHandler, createFetchHandler } from "cactus-sdk";
import { verifyWebhook, verifyWebhookAsync, signWebhookAsync } from "cactus-sdk/webhooks";

export function createApp(secret) {
  const seen = [];

  class RuntimeHandler extends CactusHandler {
    async onOrderShipped(event) {
      seen.push(`onOrderShipped ${event.id} ${event.relatedObject.id}`);
    }

    async onOrderLost(event) {
      throw new Error(`the handler failed on ${event.id}`);
    }

    async onOther(event) {
      seen.push(`onOther ${event.id} ${event.type}`);
    }
  }

  // Reads CACTUS_API_BASE_URL only if it may (Deno without --allow-env must not throw).
  const client = new CactusClient({ apiKey: "sk_test_runtime_check" });
  const webhooks = createFetchHandler(new RuntimeHandler(client), { webhookSecret: secret, onError: () => undefined });

  // A handler that never finishes, behind a 50 ms handlerTimeoutMs: every delivery must answer 503.
  class HangingHandler extends CactusHandler {
    onOrderShipped() {
      return new Promise(() => undefined);
    }

    async onOther() {}
  }
  const hanging = createFetchHandler(new HangingHandler(client), { webhookSecret: secret, handlerTimeoutMs: 50, onError: () => undefined });

  return async (request) => {
    const { pathname } = new URL(request.url);
    if (pathname === "/seen") return Response.json(seen);
    if (pathname === "/hanging") return hanging(request);
    if (pathname === "/sync") return Response.json(await syncAndAsync(secret));
    return webhooks(request);
  };
}

// The sync verify (node:crypto) and its async twin (Web Crypto) on one signed body.
async function syncAndAsync(secret) {
  const body = JSON.stringify({ id: "evt_sync", type: "order.lost" });
  const headers = await signWebhookAsync({ id: "evt_sync", body, webhookSecret: secret });
  const asyncId = (await verifyWebhookAsync(body, headers, secret)).id;
  try {
    return { asyncId, syncId: verifyWebhook(body, headers, secret).id };
  } catch (error) {
    return { asyncId, syncError: { name: error.name, code: error.code, message: error.message } };
  }
}
