import fc from "fast-check";
import { cactusEventTypes } from "../../../lib";
import { signWebhook } from "../../../lib/webhooks";
import { OTHER_SECRET, SECRET } from "../helpers/fixtures";

/** One generated delivery: the raw body and the headers it arrives with. */
export interface FuzzDelivery {
  readonly body: string | Uint8Array;
  readonly headers: Record<string, string | string[]>;
  /**
   * Whether the headers carry a valid signature of exactly this body, in tolerance (the oracle);
   * `undefined` within a second or two of the tolerance edge, where the clock decides.
   */
  readonly signed: boolean | undefined;
}

const HOSTILE_KEYS = ["__proto__", "constructor", "prototype", "toString", "hasOwnProperty", "polluted"];
const eventTypes = [...cactusEventTypes, "order.refunded", "__proto__", "constructor", "", "movie"];

const wireValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.string(),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom("2024-05-02T20:15:00.000Z", "2024-05-04", "ord_456", "mov_789", "order", "movie"),
);

const relatedObject = fc.oneof(
  fc.record({ id: fc.constantFrom("ord_456", "mov_789", ""), type: fc.constantFrom("order", "movie", "user") }),
  fc.constant(null),
  fc.dictionary(fc.constantFrom(...HOSTILE_KEYS, "id", "type"), wireValue),
);

/** A thin event, plausible enough to reach hydration and dispatch. */
const thinEvent = fc.record(
  {
    id: fc.oneof(fc.constantFrom("evt_1", "evt_2"), fc.string({ maxLength: 20 })),
    type: fc.constantFrom(...eventTypes),
    related_object: relatedObject,
    data: fc.dictionary(fc.string({ maxLength: 8 }), wireValue, { maxKeys: 3 }),
  },
  { requiredKeys: ["id", "type"] },
);

/** A valid thin event of a known or unknown type, so that dispatch is reached often. */
const validEvent = fc
  .tuple(fc.constantFrom(...cactusEventTypes, "order.refunded"), fc.string({ minLength: 1, maxLength: 16 }), fc.constantFrom("ord_456", "mov_789", "x"))
  .map(([type, id, objectId]) => {
    const kind = type === "order.lost" ? null : type.startsWith("movie.") ? "movie" : "order";
    return JSON.stringify(kind === null ? { id, type } : { id, type, related_object: { id: objectId, type: kind } });
  });

/** Text edits that break JSON in interesting ways. */
type Mutation = "truncate" | "insert" | "duplicate-key" | "hostile-key" | "nest" | "none";

function mutate(text: string, mutation: Mutation, at: number, insert: string): string {
  const index = text.length === 0 ? 0 : at % text.length;
  switch (mutation) {
    case "truncate":
      return text.slice(0, index);
    case "insert":
      return text.slice(0, index) + insert + text.slice(index);
    case "duplicate-key":
      return text.replace(/^\{/, '{"type":"order.lost","id":"evt_dup",');
    case "hostile-key":
      return text.replace(/^\{/, `{"${HOSTILE_KEYS[at % HOSTILE_KEYS.length] ?? "__proto__"}":{"polluted":true},`);
    case "nest":
      return text.replace(/^\{/, `{"deep":${"[".repeat(at % 200)}${"]".repeat(at % 200)},`);
    case "none":
      return text;
  }
}

const mutatedEvent = fc
  .tuple(thinEvent, fc.constantFrom<Mutation>("truncate", "insert", "duplicate-key", "hostile-key", "nest", "none", "none"), fc.nat(), fc.string({ maxLength: 4 }))
  .map(([event, mutation, at, insert]) => mutate(JSON.stringify(event), mutation, at, insert));

/** Bodies: mutated events, random JSON, random text and random bytes. */
export const fuzzBody: fc.Arbitrary<string | Uint8Array> = fc.oneof(
  { weight: 3, arbitrary: validEvent },
  { weight: 6, arbitrary: mutatedEvent },
  { weight: 2, arbitrary: fc.json({ maxDepth: 4 }) },
  { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 64 }) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 64 }) },
);

function idOf(body: string | Uint8Array): string {
  try {
    const parsed: unknown = JSON.parse(typeof body === "string" ? body : Buffer.from(body).toString("utf8"));
    if (typeof parsed === "object" && parsed !== null && "id" in parsed && typeof parsed.id === "string" && parsed.id !== "") return parsed.id;
  } catch {
    // not JSON
  }
  return "evt_1";
}

type HeaderPlan = "signed" | "wrong-secret" | "mutated-signature" | "shifted-time" | "random" | "shouting";

/** A body with a header set: correctly signed most of the time, so parse and dispatch are reached. */
export const fuzzDelivery: fc.Arbitrary<FuzzDelivery> = fc
  .tuple(
    fuzzBody,
    fc.constantFrom<HeaderPlan>("signed", "signed", "signed", "shouting", "wrong-secret", "mutated-signature", "shifted-time", "random"),
    fc.integer({ min: -100_000, max: 100_000 }),
    fc.record({ id: fc.string({ maxLength: 12 }), timestamp: fc.string({ maxLength: 12 }), signature: fc.string({ maxLength: 60 }) }),
  )
  .map(([body, plan, shift, random]): FuzzDelivery => {
    const id = idOf(body);
    const now = Math.floor(Date.now() / 1000);
    const sign = (secret: string, timestamp = now): Record<string, string> => ({ ...signWebhook({ id, body, webhookSecret: secret, timestamp }) });
    switch (plan) {
      case "signed":
        return { body, headers: sign(SECRET), signed: true };
      case "shouting": {
        const headers = sign(SECRET);
        return {
          body,
          headers: { "Webhook-Id": [headers["webhook-id"] ?? ""], "WEBHOOK-TIMESTAMP": headers["webhook-timestamp"] ?? "", "Webhook-Signature": headers["webhook-signature"] ?? "", "content-type": "application/json" },
          signed: true,
        };
      }
      case "wrong-secret":
        return { body, headers: sign(OTHER_SECRET), signed: false };
      case "mutated-signature": {
        const headers = sign(SECRET);
        const signature = headers["webhook-signature"] ?? "";
        const at = Math.abs(shift) % signature.length;
        const mutated = signature.slice(0, at) + random.signature + signature.slice(at + 1);
        return { body, headers: { ...headers, "webhook-signature": mutated }, signed: mutated === signature };
      }
      case "shifted-time":
        return { body, headers: sign(SECRET, Math.max(0, now + shift)), signed: Math.abs(shift) < 299 ? true : Math.abs(shift) > 302 ? false : undefined };
      case "random":
        return { body, headers: { "webhook-id": random.id, "webhook-timestamp": random.timestamp, "webhook-signature": random.signature, "content-type": "application/json" }, signed: false };
    }
  });
