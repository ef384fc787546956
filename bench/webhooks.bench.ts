// P1: one signed delivery, no HTTP: cactus `handleWebhook` against the HMAC floor and the peers
// (stripe `constructEvent`, @octokit/webhooks `verifyAndReceive`, standardwebhooks `verify`), all in
// this run. The peers verify their own signature scheme over the same bodies (~95 bytes each,
// distinct ids), every case from a pool of its own.
import { createHmac, timingSafeEqual } from "node:crypto";
import Stripe from "stripe";
import { Webhook } from "standardwebhooks";
import { CactusRouter, type CactusHandler } from "../lib";
import { signWebhook, verifyWebhook, type SignedWebhookHeaders } from "../lib/webhooks";
import { runSuite, type BenchCase, type BenchResult } from "./harness";
import { runInterleaved, type InterleavedCase } from "./interleaved";
import { ratio, recordTarget } from "./targets";
import { createP1Receiver } from "./p1-receiver";
import { benchClient } from "./parse.bench";

/** The endpoint secret every case verifies with (random per run; never printed). */
const SECRET = `whsec_${Buffer.from(Array.from({ length: 32 }, () => Math.floor(Math.random() * 256))).toString("base64")}`;

// Every case, the floor and the peers included, verifies the same kind of deliveries: distinct
// event ids and bodies, signed before timing starts, read from a pool of this size (each case has
// its own pool and cursor). A per-id step (an idempotency claim) then does real work on every
// delivery, and no case is timed on one delivery repeated in a warm cache while another is not.
const POOL_SIZE = 50_000;

/** One signed delivery, with what its scheme's receiver reads (the other schemes' fields empty). */
interface Delivery {
  readonly id: string;
  readonly body: Buffer;
  readonly text: string;
  /** The Standard Webhooks headers (cactus, standardwebhooks, the floor). */
  readonly headers: Readonly<Record<string, string>>;
  /** `stripe-signature` over the same body. */
  readonly stripeHeader: string;
  /** `x-hub-signature-256` over the same body. */
  readonly octokitSignature: string;
}

/** Whose signature a pool's deliveries carry. */
type Scheme = "standard" | "stripe" | "octokit";

// Signs the peers' headers: only needed to make pools, so one instance for all of them.
const signer = new Stripe("sk_test_bench");

function deliveries(count: number, shape: "signed" | "node", scheme: Scheme): Delivery[] {
  const timestamp = Math.floor(Date.now() / 1000);
  return Array.from({ length: count }, (_, index) => {
    const id = `evt_${String(index).padStart(6, "0")}`;
    const text = JSON.stringify({ id, type: "order.shipped", related_object: { id: "ord_456", type: "order" } });
    const body = Buffer.from(text);
    const signed = scheme === "standard" ? signWebhook({ id, body, webhookSecret: SECRET, timestamp }) : undefined;
    return {
      id,
      body,
      text,
      headers: signed === undefined ? {} : shape === "signed" ? signed : nodeShaped(signed, body.length),
      stripeHeader: scheme === "stripe" ? signer.webhooks.generateTestHeaderString({ payload: text, secret: SECRET, timestamp }) : "",
      octokitSignature: scheme === "octokit" ? `sha256=${createHmac("sha256", SECRET).update(text).digest("hex")}` : "",
    };
  });
}

let sink = 0;

// What any receiver must do at the least: one HMAC-SHA256 over the signed content, one
// constant-time compare, JSON.parse and a switch on the type. `pool` false: one delivery, verified
// again and again (printed beside the others for reference; the ratios use the pooled floor).
function verifyFloor(shape: "signed" | "node", pool: boolean): InterleavedCase {
  const key = Buffer.from(SECRET.slice("whsec_".length), "base64");
  const deliveries = new DeliveryPool(pool ? POOL_SIZE : 1, shape);
  return {
    name: pool ? "HMAC-SHA256 verify + JSON.parse + switch (verify floor)" : "verify floor, one delivery repeated (reference)",
    fn: () => {
      const { headers, body } = deliveries.take();
      const id = headers["webhook-id"] ?? "";
      const timestamp = headers["webhook-timestamp"] ?? "";
      const header = headers["webhook-signature"] ?? "";
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
    refresh: () => deliveries.refresh(),
  };
}

function stripeCase(shape: "signed" | "node"): InterleavedCase {
  const stripe = new Stripe("sk_test_bench");
  const deliveries = new DeliveryPool(POOL_SIZE, shape, "stripe");
  return {
    name: "stripe webhooks.constructEvent",
    fn: () => {
      const delivery = deliveries.take();
      sink += stripe.webhooks.constructEvent(delivery.body, delivery.stripeHeader, SECRET).id.length;
    },
    refresh: () => deliveries.refresh(),
  };
}

function standardWebhooksCase(shape: "signed" | "node"): InterleavedCase {
  const webhook = new Webhook(SECRET);
  const deliveries = new DeliveryPool(POOL_SIZE, shape);
  return {
    name: "standardwebhooks verify",
    fn: () => {
      const delivery = deliveries.take();
      sink += (webhook.verify(delivery.text, delivery.headers) as { id: string }).id.length;
    },
    refresh: () => deliveries.refresh(),
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

async function octokitCase(shape: "signed" | "node"): Promise<InterleavedCase> {
  const { Webhooks } = await loadOctokit();
  const webhooks = new Webhooks({ secret: SECRET });
  webhooks.on("ping", (event) => {
    sink += event.id.length;
  });
  const deliveries = new DeliveryPool(POOL_SIZE, shape, "octokit");
  return {
    name: "@octokit/webhooks verifyAndReceive (1 handler)",
    fn: () => {
      const delivery = deliveries.take();
      return webhooks.verifyAndReceive({ id: delivery.id, name: "ping", payload: delivery.text, signature: delivery.octokitSignature });
    },
    refresh: () => deliveries.refresh(),
  };
}

// Node's `req.headers` for a delivery: the request's own headers around the three signed ones, a
// new object per request (the interleaved mode's shape; the isolated mode passes signWebhook's).
function nodeShaped(headers: SignedWebhookHeaders, length: number): Record<string, string> {
  return {
    host: "127.0.0.1:3000",
    "user-agent": "Cactus-Webhooks/1.0",
    "content-length": String(length),
    "content-type": "application/json",
    "webhook-id": headers["webhook-id"],
    "webhook-timestamp": headers["webhook-timestamp"],
    "webhook-signature": headers["webhook-signature"],
    "accept-encoding": "gzip",
    connection: "keep-alive",
  };
}

/** Signed deliveries with distinct event ids; `refresh()` re-signs them with fresh header objects. */
class DeliveryPool {
  private items: Delivery[];
  private next = 0;

  constructor(
    private readonly size: number,
    private readonly shape: "signed" | "node",
    private readonly scheme: Scheme = "standard",
  ) {
    this.items = deliveries(this.size, this.shape, this.scheme);
  }

  refresh(): void {
    this.items = deliveries(this.size, this.shape, this.scheme);
    this.next = 0;
  }

  /** The next delivery; `wrapped` is called when the pool starts over. */
  take(wrapped?: () => void): Delivery {
    if (this.next === this.items.length) {
      this.next = 0;
      wrapped?.();
    }
    return this.items[this.next++] as Delivery;
  }
}

/** The idempotency variants of the P1 receiver. */
export type P1Store = "none" | "memory";

function cactusCase(store: P1Store, shape: "signed" | "node"): InterleavedCase {
  const pool = new DeliveryPool(POOL_SIZE, shape);
  const fresh = (): CactusHandler => createP1Receiver(benchClient, SECRET, store);
  let receiver = fresh();
  const restart = (): void => {
    receiver = fresh();
  };
  return {
    name: `cactus handleWebhook, ${store === "none" ? "no store" : "memory idempotency store"}`,
    fn: () => {
      const delivery = pool.take(restart);
      return receiver.handleWebhook(delivery.body, delivery.headers);
    },
    refresh: () => {
      pool.refresh();
      restart();
    },
  };
}

function verifyWebhookCase(shape: "signed" | "node"): InterleavedCase {
  const pool = new DeliveryPool(POOL_SIZE, shape);
  return {
    name: "cactus verifyWebhook",
    fn: () => {
      const delivery = pool.take();
      sink += verifyWebhook(delivery.body, delivery.headers, SECRET).id.length;
    },
    refresh: () => pool.refresh(),
  };
}

function handleCase(): InterleavedCase {
  const receiver = createP1Receiver(benchClient, SECRET, "none");
  const pool = new DeliveryPool(POOL_SIZE, "node");
  return {
    name: "cactus handler.handle(body) (no signature)",
    fn: () => receiver.handle(pool.take().body),
    refresh: () => pool.refresh(),
  };
}

function routerCase(): InterleavedCase {
  const router = new CactusRouter(benchClient, { webhookSecret: SECRET })
    .on("order.shipped", (event) => {
      sink += event.id.length;
    })
    .onOther((event) => {
      sink -= event.id.length;
    });
  const pool = new DeliveryPool(POOL_SIZE, "node");
  return {
    name: "cactus router.handleWebhook, no store",
    fn: () => {
      const delivery = pool.take();
      return router.handleWebhook(delivery.body, delivery.headers);
    },
    refresh: () => pool.refresh(),
  };
}

/** What {@link webhookBenchmarks} measured, by case. */
export interface P1Results {
  readonly floor: BenchResult;
  readonly noStore: BenchResult;
  readonly memory: BenchResult;
  readonly stripe: BenchResult;
}

function pick(results: readonly BenchResult[]): P1Results {
  const [floor, noStore, memory, stripe] = results as [BenchResult, BenchResult, BenchResult, BenchResult];
  return { floor, noStore, memory, stripe };
}

/**
 * Runs P1's suite in both modes: isolated (each case on its own, alternating rounds, as before)
 * and interleaved (every peer and cactus entry in turns, fresh headers each round).
 */
export async function webhookBenchmarks(): Promise<{ readonly isolated: P1Results; readonly interleaved: P1Results }> {
  const isolated = await runSuite("P1, isolated: one signed delivery, verified and handled (no HTTP), each case alone", verifyFloor("signed", true), [
    cactusCase("none", "signed"),
    cactusCase("memory", "signed"),
    stripeCase("signed"),
    await octokitCase("signed"),
    standardWebhooksCase("signed"),
    verifyWebhookCase("signed"),
    verifyFloor("signed", false),
  ]);
  const interleaved = await runInterleaved(
    "P1, interleaved: every peer and cactus entry in one process, in turns, fresh Node-shaped headers each round",
    verifyFloor("node", true),
    [
      cactusCase("none", "node"),
      cactusCase("memory", "node"),
      stripeCase("node"),
      await octokitCase("node"),
      standardWebhooksCase("node"),
      verifyWebhookCase("node"),
      handleCase(),
      routerCase(),
      verifyFloor("node", false),
    ],
  );
  if (sink === 0.5) console.log("");
  return { isolated: pick(isolated), interleaved: pick(interleaved) };
}

/** Records P1's four verdicts: without a store and with the memory store, in each mode. */
export function recordP1Targets(p1: { readonly isolated: P1Results; readonly interleaved: P1Results }): void {
  for (const [mode, results] of [["isolated", p1.isolated], ["interleaved", p1.interleaved]] as const) {
    const stripe = results.stripe.ratio;
    const noStore = results.noStore.ratio;
    const memory = results.memory.ratio;
    recordTarget({
      id: "P1",
      goal: ">= 0.65 x floor and >= 1.0 x stripe",
      measured: `${mode}, no store: ${ratio(noStore)} x verify floor, ${ratio(noStore / stripe)} x stripe`,
      pass: noStore >= 0.65 && noStore / stripe >= 1.0,
    });
    recordTarget({
      id: "P1",
      goal: ">= 0.55 x floor and >= 0.85 x stripe",
      measured: `${mode}, memory store: ${ratio(memory)} x verify floor, ${ratio(memory / stripe)} x stripe`,
      pass: memory >= 0.55 && memory / stripe >= 0.85,
    });
  }
}

/** The secret (for the HTTP servers' children, passed by environment). */
export function benchSecret(): string {
  return SECRET;
}
