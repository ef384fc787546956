import { CactusConfigError } from "../../lib";
import { generateWebhookSecret, signWebhook, verifyWebhook } from "../../lib/webhooks";

// signWebhook and deliverWebhook take the secret under the name receivers and middleware use,
// webhookSecret; the old name still signs the same bytes for one release.
describe("the webhookSecret option of signWebhook", () => {
  const webhookSecret = generateWebhookSecret();
  const body = JSON.stringify({ id: "evt_1", type: "order.lost" });

  it("signs with webhookSecret, and the deprecated secret gives the same signature", () => {
    const timestamp = 1_700_000_000;
    const headers = signWebhook({ id: "evt_1", body, webhookSecret, timestamp });
    expect(signWebhook({ id: "evt_1", body, secret: webhookSecret, timestamp })).toEqual(headers);
    expect(verifyWebhook(body, headers, webhookSecret, { now: () => new Date(timestamp * 1000) })).toMatchObject({ id: "evt_1" });
  });

  it("refuses a call without a secret with a CactusConfigError that names webhookSecret", () => {
    const untyped: unknown = { id: "evt_1", body };
    const error = captured(() => Reflect.apply(signWebhook, undefined, [untyped]));
    expect(error).toBeInstanceOf(CactusConfigError);
    expect(String(error)).toMatch(/signWebhook needs a webhookSecret/);
  });
});

function captured(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  return undefined;
}
