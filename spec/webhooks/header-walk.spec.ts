// The hot path's shortcuts give the verdicts of the general code they skip: the receivers read a
// delivery's five headers in one walk over the headers object, each as readHeader (one lookup per
// name) finds it, and accept a one-entry signature (the HMAC compared as base64 text) exactly when
// the general decoder would.
import fc from "fast-check";
import { readDeliveryHeaders, readHeader } from "../../lib/signature/headers";
import { decodeCanonicalBase64 } from "../../lib/platform/base64";
import { CactusSignatureError } from "../../lib/errors";
import { signWebhook, verifyWebhook } from "../../lib/webhooks";

const NAMES = ["webhook-id", "webhook-timestamp", "webhook-signature", "traceparent", "x-correlation-id"] as const;
// The names in several letter cases, other keys of the same lengths, and unrelated keys.
const spellings = NAMES.flatMap((name) => [name, name.toUpperCase(), name[0]?.toUpperCase() + name.slice(1), name.replace("-", "_")]);
const key = fc.constantFrom(...spellings, "user-agent", "connection", "content-type", "host", "webhook-idx", "xebhook-id", "webhook-tlmestamp", "constructor", "__proto__");
const value = fc.oneof(
  fc.string({ maxLength: 8 }),
  fc.constant(undefined),
  fc.constant(null),
  fc.array(fc.oneof(fc.string({ maxLength: 4 }), fc.constant(7)), { maxLength: 3 }),
  fc.constant(42),
);

describe("readDeliveryHeaders", () => {
  it("reads each of the five headers as readHeader does, whatever the keys' case, order and values", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(key, value), { maxLength: 12 }), fc.boolean(), (entries, nullPrototype) => {
        const headers: Record<string, unknown> = nullPrototype ? Object.create(null) : {};
        for (const [name, item] of entries) Object.defineProperty(headers, name, { value: item, enumerable: true, configurable: true, writable: true });
        const typed = headers as Record<string, string | string[] | undefined>;
        const read = readDeliveryHeaders(typed);
        expect([read.id, read.timestamp, read.signature, read.traceparent, read.correlationId]).toEqual(NAMES.map((name) => readHeader(typed, name)));
      }),
      { numRuns: 3000 },
    );
  });

  it("does not read a name from Object.prototype", () => {
    const polluted = Object.prototype as Record<string, unknown>;
    polluted["webhook-id"] = "evt_from_prototype";
    try {
      expect(readDeliveryHeaders({ "webhook-timestamp": "1" }).id).toBeUndefined();
    } finally {
      delete polluted["webhook-id"];
    }
  });

  it("reads a Fetch Headers object through get()", () => {
    const headers = new Headers({ "Webhook-Id": "evt_1", TraceParent: "t", "webhook-signature": "v1,x" });
    headers.append("webhook-signature", "v1,y");
    expect(readDeliveryHeaders(headers)).toEqual({ id: "evt_1", timestamp: undefined, signature: "v1,x, v1,y", traceparent: "t", correlationId: undefined });
  });
});

describe("the one-entry signature check", () => {
  const secret = `whsec_${Buffer.alloc(32, 9).toString("base64")}`;
  const body = '{"id":"evt_1","type":"order.shipped","related_object":{"id":"ord_1","type":"order"}}';
  const timestamp = Math.floor(Date.now() / 1000);
  const valid = signWebhook({ id: "evt_1", body, webhookSecret: secret, timestamp })["webhook-signature"].slice("v1,".length);
  const expected = Buffer.from(valid, "base64");
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=-_ ,";
  // The same bytes spelled with the last character's unused bits set: Buffer decodes it, a canonical check refuses it.
  const last = alphabet.indexOf(valid.charAt(42));
  const nonCanonical = valid.slice(0, 42) + alphabet.charAt(last ^ 1) + valid.slice(43);
  const nearSignature = fc.oneof(
    fc.constant(valid),
    fc.constant(nonCanonical),
    fc.uint8Array({ minLength: 30, maxLength: 34 }).map((bytes) => Buffer.from(bytes).toString("base64")),
    fc.array(fc.constantFrom(...alphabet.split("")), { minLength: 40, maxLength: 48 }).map((chars) => chars.join("")),
    // the valid entry with one character changed
    fc.tuple(fc.nat(valid.length - 1), fc.constantFrom(...alphabet.split(""))).map(([at, char]) => valid.slice(0, at) + char + valid.slice(at + 1)),
    // cut short or run long
    fc.nat(valid.length + 3).map((length) => (valid + "AAAA").slice(0, length)),
  );

  it("accepts an entry exactly when it is the canonical base64 of the HMAC (the verdict of the general decoder)", () => {
    expect(Buffer.from(nonCanonical, "base64").equals(expected)).toBe(true);
    fc.assert(
      fc.property(nearSignature, (text) => {
        const decoded = decodeCanonicalBase64(text);
        const accepted = decoded !== undefined && Buffer.from(decoded).equals(expected);
        let verdict: boolean;
        try {
          verifyWebhook(body, { "webhook-id": "evt_1", "webhook-timestamp": String(timestamp), "webhook-signature": `v1,${text}` }, secret);
          verdict = true;
        } catch (error) {
          if (!(error instanceof CactusSignatureError)) throw error;
          verdict = false;
        }
        expect(verdict).toBe(accepted);
      }),
      { numRuns: 5000 },
    );
  });
});
