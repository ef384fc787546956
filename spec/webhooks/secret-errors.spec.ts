import { CactusClient, CactusRouter, createFetchHandler, createNodeMiddleware } from "../../lib";
import { WebhookSecrets } from "../../lib/webhooks";

const router = new CactusRouter(new CactusClient({ apiKey: "sk_test_unused", baseUrl: "http://127.0.0.1:9" }));

function messageOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  throw new Error("expected a throw");
}

describe("missing or malformed webhook secret errors", () => {
  it("say how to get a secret, without echoing the bad one", () => {
    const apiKey = "sk_live_this_is_an_api_key_not_a_webhook_secret";
    for (const message of [
      messageOf(() => WebhookSecrets.parse(apiKey)),
      messageOf(() => WebhookSecrets.parse("whsec_c2hvcnQ=")),
      messageOf(() => WebhookSecrets.parse([])),
      messageOf(() => createNodeMiddleware(router, { secret: undefined as unknown as string })),
      messageOf(() => createFetchHandler(router, { secret: undefined as unknown as string })),
    ]) {
      expect(message).toContain("generateWebhookSecret()");
      expect(message).toContain("`cactus secret`");
      expect(message).not.toContain(apiKey);
    }
  });
});
