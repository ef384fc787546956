// The hot path's shortcuts give the verdicts of the general code they skip: the receivers read a
// delivery's five headers in one walk over the headers object, each as readHeader (one lookup per
// name) finds it, and decode a one-entry signature into a scratch buffer as the general decoder would.
import fc from "fast-check";
import { readDeliveryHeaders, readHeader } from "../../lib/signature/headers";
import { decodeCanonicalBase64, decodeCanonicalBase64Into } from "../../lib/platform/base64";

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

describe("decodeCanonicalBase64Into", () => {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=-_ ";
  const nearSignature = fc.oneof(
    fc.uint8Array({ minLength: 30, maxLength: 34 }).map((bytes) => Buffer.from(bytes).toString("base64")),
    fc.array(fc.constantFrom(...alphabet.split("")), { minLength: 40, maxLength: 48 }).map((chars) => chars.join("")),
    fc.uint8Array({ minLength: 32, maxLength: 32 }).chain((bytes) =>
      fc.tuple(fc.nat(43), fc.constantFrom(...alphabet.split(""))).map(([at, char]) => {
        const text = Buffer.from(bytes).toString("base64");
        return text.slice(0, at) + char + text.slice(at + 1);
      }),
    ),
  );

  it("accepts exactly the canonical 32-byte texts decodeCanonicalBase64 accepts, with the same bytes", () => {
    fc.assert(
      fc.property(nearSignature, (text) => {
        const target = new Uint8Array(32);
        const decoded = decodeCanonicalBase64(text);
        const expected = decoded !== undefined && decoded.length === 32;
        expect(decodeCanonicalBase64Into(text, target)).toBe(expected);
        if (expected) expect(Buffer.from(target).equals(Buffer.from(decoded))).toBe(true);
      }),
      { numRuns: 5000 },
    );
  });
});
