import { inspect } from "node:util";
import { CactusError, CactusSignatureError, CactusWebhookRequestError } from "../../lib";
import { generateWebhookSecret, signWebhook, verifyWebhook, WebhookSecrets } from "../../lib/webhooks";
import { nowSeconds, OTHER_SECRET, SECRET, shippedBody, signedDelivery } from "./helpers/fixtures";

function failure(run: () => unknown): CactusSignatureError {
  try {
    run();
  } catch (error) {
    if (error instanceof CactusSignatureError) return error;
    throw error;
  }
  throw new Error("expected a CactusSignatureError");
}

describe("verifyWebhook (SPEC §4, Standard Webhooks)", () => {
  it("matches the Standard Webhooks test vector", () => {
    const headers = {
      "webhook-id": "msg_p5jXN8AQM9LWM0D4loKWxJek",
      "webhook-timestamp": "1614265330",
      "webhook-signature": "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
    };
    const now = (): Date => new Date(1614265330 * 1000);
    expect(verifyWebhook('{"test": 2432232314}', headers, SECRET, { now })).toEqual({ id: "msg_p5jXN8AQM9LWM0D4loKWxJek", timestamp: 1614265330 });
    expect(signWebhook({ id: headers["webhook-id"], body: '{"test": 2432232314}', webhookSecret: SECRET, timestamp: 1614265330 })["webhook-signature"]).toBe(headers["webhook-signature"]);
  });

  it("verifies string and byte bodies alike", () => {
    const { body, headers } = signedDelivery();
    expect(verifyWebhook(body, headers, SECRET).id).toBe("evt_1");
    expect(verifyWebhook(Buffer.from(body), headers, SECRET).id).toBe("evt_1");
    expect(verifyWebhook(new TextEncoder().encode(body), headers, SECRET).id).toBe("evt_1");
  });

  it("reads headers case-insensitively from plain objects, Node arrays and Fetch Headers", () => {
    const { body, headers } = signedDelivery();
    const shouting = {
      "Webhook-Id": headers["webhook-id"],
      "WEBHOOK-TIMESTAMP": headers["webhook-timestamp"],
      "Webhook-Signature": [headers["webhook-signature"]],
    };
    expect(verifyWebhook(body, shouting, SECRET).id).toBe("evt_1");
    expect(verifyWebhook(body, new Headers(headers), SECRET).id).toBe("evt_1");
  });

  it("accepts any matching entry of a space-separated list, and skips other versions", () => {
    const { body, headers } = signedDelivery();
    const other = signWebhook({ id: "evt_1", body, webhookSecret: OTHER_SECRET, timestamp: Number(headers["webhook-timestamp"]) })["webhook-signature"];
    const list = `v2,abc ${other} ${headers["webhook-signature"]}`;
    expect(verifyWebhook(body, { ...headers, "webhook-signature": list }, SECRET).id).toBe("evt_1");
  });

  it("accepts a repeated signature header (joined with ', ')", () => {
    const { body, headers } = signedDelivery();
    const other = signWebhook({ id: "evt_1", body, webhookSecret: OTHER_SECRET, timestamp: Number(headers["webhook-timestamp"]) })["webhook-signature"];
    const repeated = new Headers(headers);
    repeated.set("webhook-signature", other);
    repeated.append("webhook-signature", headers["webhook-signature"]);
    expect(verifyWebhook(body, repeated, SECRET).id).toBe("evt_1");
  });

  it("rotates secrets: any configured secret may match, and signWebhook signs with each", () => {
    const { body, headers } = signedDelivery(shippedBody(), { secret: OTHER_SECRET });
    expect(verifyWebhook(body, headers, [SECRET, OTHER_SECRET]).id).toBe("evt_1");
    const both = signedDelivery(shippedBody(), { secret: [SECRET, OTHER_SECRET] });
    expect(both.headers["webhook-signature"].split(" ")).toHaveLength(2);
    expect(verifyWebhook(both.body, both.headers, SECRET).id).toBe("evt_1");
    expect(verifyWebhook(both.body, both.headers, OTHER_SECRET).id).toBe("evt_1");
  });

  it("rejects a re-serialized body: only the raw bytes verify", () => {
    const body = '{ "id": "evt_1", "type": "order.shipped", "related_object": {"id": "ord_456", "type": "order"} }';
    const { headers } = signedDelivery(body);
    expect(failure(() => verifyWebhook(JSON.stringify(JSON.parse(body)), headers, SECRET)).code).toBe("no_matching_signature");
  });

  it("names each failed check by code", () => {
    const { body, headers } = signedDelivery();
    const { "webhook-id": _id, ...noId } = headers;
    expect(failure(() => verifyWebhook(body, noId, SECRET)).code).toBe("missing_header");
    expect(failure(() => verifyWebhook(body, noId, SECRET)).message).toContain("webhook-id");
    expect(failure(() => verifyWebhook(body, { ...headers, "webhook-signature": "" }, SECRET)).code).toBe("missing_header");
    expect(failure(() => verifyWebhook(body, { ...headers, "webhook-timestamp": "12.5" }, SECRET)).code).toBe("malformed_timestamp");
    expect(failure(() => verifyWebhook(body, { ...headers, "webhook-timestamp": "-1" }, SECRET)).code).toBe("malformed_timestamp");
    expect(failure(() => verifyWebhook(body, headers, OTHER_SECRET)).code).toBe("no_matching_signature");
    expect(failure(() => verifyWebhook(body, { ...headers, "webhook-id": "evt_2" }, SECRET)).code).toBe("no_matching_signature");
  });

  it("enforces the tolerance in both directions", () => {
    const now = nowSeconds();
    const old = signedDelivery(shippedBody(), { timestamp: now - 301 });
    const future = signedDelivery(shippedBody(), { timestamp: now + 301 });
    expect(failure(() => verifyWebhook(old.body, old.headers, SECRET)).code).toBe("timestamp_too_old");
    expect(failure(() => verifyWebhook(future.body, future.headers, SECRET)).code).toBe("timestamp_too_new");
    expect(verifyWebhook(old.body, old.headers, SECRET, { toleranceSeconds: 3600 }).id).toBe("evt_1");
    const atEdge = signedDelivery(shippedBody(), { timestamp: 1_000_000 });
    expect(verifyWebhook(atEdge.body, atEdge.headers, SECRET, { now: () => new Date(1_000_300_000) }).id).toBe("evt_1");
  });

  it("rejects truncated and doubled signatures", () => {
    const { body, headers } = signedDelivery();
    const signature = headers["webhook-signature"];
    const encoded = signature.slice(3);
    for (const forged of [signature.slice(0, -4), `${signature}${encoded}`, `v1,${encoded}${encoded}`, `v1,${encoded.slice(0, -1)}`, "v1,", "v1", encoded]) {
      expect(failure(() => verifyWebhook(body, { ...headers, "webhook-signature": forged }, SECRET)).code).toBe("no_matching_signature");
    }
  });

  it("never puts the secret or the expected signature in an error", () => {
    const { body, headers } = signedDelivery();
    const error = failure(() => verifyWebhook(body, { ...headers, "webhook-signature": "v1,AAAA" }, SECRET));
    const text = `${error.message} ${JSON.stringify(error)} ${String(error.stack)}`;
    expect(text).not.toContain(SECRET.slice(6));
    expect(text).not.toContain(headers["webhook-signature"].slice(3));
  });

  it("refuses a parsed body with advice", () => {
    const { headers } = signedDelivery();
    const parsed: unknown = JSON.parse(shippedBody());
    const run = (): unknown => Reflect.apply(verifyWebhook, undefined, [parsed, headers, SECRET]);
    expect(run).toThrow(CactusWebhookRequestError);
    expect(run).toThrow(/express\.raw/);
  });
});

describe("webhook secrets", () => {
  it("parses whsec_ secrets and hides the key bytes", () => {
    const secrets = WebhookSecrets.parse([SECRET, OTHER_SECRET]);
    expect(secrets.size).toBe(2);
    expect(JSON.stringify(secrets)).not.toContain("MfKQ");
    expect(inspect(secrets, { showHidden: true, depth: 5 })).not.toMatch(/MfKQ|<Buffer/);
  });

  it("rejects malformed secrets with malformed_secret, without echoing them", () => {
    const cases = ["sk_test_abcdefghijklmnopqrstuvwxyz", "whsec_not base64!!", "whsec_c2hvcnQ=", "whsec_", "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"];
    for (const secret of cases) {
      const error = failure(() => WebhookSecrets.parse(secret));
      expect(error.code).toBe("malformed_secret");
      expect(error).toBeInstanceOf(CactusError);
      if (secret.length > 7) expect(error.message).not.toContain(secret.slice(6));
    }
    expect(failure(() => WebhookSecrets.parse([])).code).toBe("malformed_secret");
    expect(failure(() => WebhookSecrets.parse([SECRET, "nope"])).message).toContain("[1]");
  });

  it("generates secrets that round-trip", () => {
    const secret = generateWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const { body, headers } = signedDelivery(shippedBody(), { secret });
    expect(verifyWebhook(body, headers, secret).id).toBe("evt_1");
  });
});
