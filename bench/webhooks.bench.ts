// P1: one signed delivery, no HTTP: cactus `handleWebhook` against the HMAC floor and the peers
// (stripe `constructEvent`, @octokit/webhooks `verifyAndReceive`, standardwebhooks `verify`), all in
// this run. The peers verify their own signature scheme over the same 130-byte body.
import { createHmac, timingSafeEqual } from "node:crypto";
import Stripe from "stripe";
import { Webhook } from "standardwebhooks";
import { signWebhook, type SignedWebhookHeaders } from "../lib/webhooks";
import { runSuite, type BenchCase, type BenchResult } from "./harness";
import { createP1Receiver } from "./p1-receiver";
import { benchClient, THIN_BODY } from "./parse.bench";

/** The endpoint secret every case verifies with (random per run; never printed). */
const SECRET = `whsec_${Buffer.from(Array.from({ length: 32 }, () => Math.floor(Math.random() * 256))).toString("base64")}`;

// Distinct event ids for the cactus receiver, so that a per-id step (an idempotency claim) does
// real work on every delivery; signed before timing starts.
const POOL_SIZE = 50_000;

interface Delivery {
  readonly body: Buffer;
  readonly headers: SignedWebhookHeaders;
}

function deliveries(count: number): Delivery[] {
  const timestamp = Math.floor(Date.now() / 1000);
  return Array.from({ length: count }, (_, index) => {
    const id = `evt_${String(index).padStart(6, "0")}`;
    const body = Buffer.from(JSON.stringify({ id, type: "order.shipped", related_object: { id: "ord_456", type: "order" } }));
    return { body, headers: signWebhook({ id, body, webhookSecret: SECRET, timestamp }) };
  });
}

let sink = 0;

// What any receiver must do at the least: one HMAC-SHA256 over the signed content, one
// constant-time compare, JSON.parse and a switch on the type.
function verifyFloor(): BenchCase {
  const key = Buffer.from(SECRET.slice("whsec_".length), "base64");
  const body = Buffer.from(THIN_BODY);
  const { "webhook-id": id, "webhook-timestamp": timestamp, "webhook-signature": header } = signWebhook({ id: "evt_123", body, webhookSecret: SECRET });
  return {
    name: "HMAC-SHA256 verify + JSON.parse + switch (verify floor)",
    fn: () => {
      const expected = createHmac("sha256", key).update(`${id}.${timestamp}.`).update(body).digest();
      const given = Buffer.from(header.slice(3), "base64");
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new Error("bad signature");
      const event: { id: string; type: string } = JSON.parse(body.toString("utf8"));
      switch (event.type) {
        case "order.shipped":
          sink += event.id.length;
          break;
        default:
          sink -= 1;
      }
    },
  };
}

function stripeCase(): BenchCase {
  const stripe = new Stripe("sk_test_bench");
  const body = Buffer.from(THIN_BODY);
  const header = stripe.webhooks.generateTestHeaderString({ payload: THIN_BODY, secret: SECRET });
  return {
    name: "stripe webhooks.constructEvent",
    fn: () => {
      sink += stripe.webhooks.constructEvent(body, header, SECRET).id.length;
    },
  };
}

function standardWebhooksCase(): BenchCase {
  const webhook = new Webhook(SECRET);
  const headers = signWebhook({ id: "evt_123", body: THIN_BODY, webhookSecret: SECRET });
  return {
    name: "standardwebhooks verify",
    fn: () => {
      sink += (webhook.verify(THIN_BODY, headers) as { id: string }).id.length;
    },
  };
}

interface OctokitWebhooks {
  on(event: string, handler: (event: { id: string }) => void): void;
  verifyAndReceive(options: { id: string; name: string; payload: string; signature: string }): Promise<void>;
}

// @octokit/webhooks ships ES modules only; a real dynamic import, not one TypeScript rewrites to require().
const importEsm = new Function("specifier", "return import(specifier)") as (specifier: string) => Promise<unknown>;

/** Loads @octokit/webhooks' `Webhooks` class (ES module). */
export async function loadOctokit(): Promise<{ Webhooks: new (options: { secret: string }) => OctokitWebhooks; createNodeMiddleware: Function }> {
  return (await importEsm("@octokit/webhooks")) as { Webhooks: new (options: { secret: string }) => OctokitWebhooks; createNodeMiddleware: Function };
}

async function octokitCase(): Promise<BenchCase> {
  const { Webhooks } = await loadOctokit();
  const webhooks = new Webhooks({ secret: SECRET });
  webhooks.on("ping", (event) => {
    sink += event.id.length;
  });
  const signature = `sha256=${createHmac("sha256", SECRET).update(THIN_BODY).digest("hex")}`;
  return {
    name: "@octokit/webhooks verifyAndReceive (1 handler)",
    fn: () => webhooks.verifyAndReceive({ id: "evt_123", name: "ping", payload: THIN_BODY, signature }),
  };
}

function cactusCase(): BenchCase {
  const pool = deliveries(POOL_SIZE);
  let receiver = createP1Receiver(benchClient, SECRET);
  let next = 0;
  return {
    name: "cactus handler.handleWebhook (verify+parse+dispatch)",
    fn: () => {
      if (next === pool.length) {
        next = 0;
        receiver = createP1Receiver(benchClient, SECRET);
      }
      const delivery = pool[next++] as Delivery;
      return receiver.handleWebhook(delivery.body, delivery.headers);
    },
  };
}

/** Runs P1's suite; returns [floor, cactus, stripe, octokit, standardwebhooks]. */
export async function webhookBenchmarks(): Promise<BenchResult[]> {
  const results = await runSuite("P1: one signed delivery, verified and handled (no HTTP)", verifyFloor(), [
    cactusCase(),
    stripeCase(),
    await octokitCase(),
    standardWebhooksCase(),
  ]);
  if (sink === 0.5) console.log("");
  return results;
}

/** The secret (for the HTTP servers' children, passed by environment). */
export function benchSecret(): string {
  return SECRET;
}
