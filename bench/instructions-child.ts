// One callgrind run of `npm run bench:instructions`: builds a pool of signed deliveries, warms the
// case up, then runs it `count` more times and exits. The parent runs each case twice (two counts)
// under valgrind and divides the difference in instructions by the difference in counts, so start-up,
// the pool and the warm-up cancel out. Usage: node instructions-child.js <case> <count>
import "reflect-metadata";
import { createHmac, timingSafeEqual } from "node:crypto";
import Stripe from "stripe";
import { signWebhook, verifyWebhook } from "../lib/webhooks";
import { createP1Receiver } from "./p1-receiver";
import { benchClient } from "./parse.bench";

/** The cases the parent may ask for. */
export const INSTRUCTION_CASES = ["floor", "cactus-no-store", "cactus-memory", "stripe", "verifyWebhook"] as const;

const POOL = 20_000;
const WARM_UP = 5_000;
const SECRET = `whsec_${Buffer.alloc(32, 7).toString("base64")}`;
const KEY = Buffer.from(SECRET.slice("whsec_".length), "base64");

interface Delivery {
  readonly body: Buffer;
  readonly headers: Readonly<Record<string, string>>;
  readonly stripeHeader: string;
}

function pool(stripe: Stripe | undefined): Delivery[] {
  const timestamp = Math.floor(Date.now() / 1000);
  return Array.from({ length: POOL }, (_, index) => {
    const id = `evt_${String(index).padStart(6, "0")}`;
    const text = JSON.stringify({ id, type: "order.shipped", related_object: { id: "ord_456", type: "order" } });
    const body = Buffer.from(text);
    return {
      body,
      headers: stripe === undefined ? signWebhook({ id, body, webhookSecret: SECRET, timestamp }) : {},
      stripeHeader: stripe === undefined ? "" : stripe.webhooks.generateTestHeaderString({ payload: text, secret: SECRET, timestamp }),
    };
  });
}

let sink = 0;

function operation(name: string): (delivery: Delivery) => unknown {
  switch (name) {
    case "floor":
      return ({ body, headers }) => {
        const expected = createHmac("sha256", KEY).update(`${headers["webhook-id"] ?? ""}.${headers["webhook-timestamp"] ?? ""}.`).update(body).digest();
        const given = Buffer.from((headers["webhook-signature"] ?? "").slice(3), "base64");
        if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new Error("bad signature");
        const event: { id: string; type: string } = JSON.parse(body.toString("utf8"));
        sink += event.type === "order.shipped" ? event.id.length : -1;
      };
    case "stripe": {
      const stripe = new Stripe("sk_test_bench");
      return ({ body, stripeHeader }) => {
        sink += stripe.webhooks.constructEvent(body, stripeHeader, SECRET).id.length;
      };
    }
    case "verifyWebhook":
      return ({ body, headers }) => {
        sink += verifyWebhook(body, headers, SECRET).id.length;
      };
    case "cactus-no-store":
    case "cactus-memory": {
      let receiver = createP1Receiver(benchClient, SECRET, name === "cactus-memory" ? "memory" : "none");
      let handled = 0;
      return ({ body, headers }) => {
        // A fresh receiver each time the pool starts over: event ids never repeat within one.
        if (handled++ % POOL === 0) receiver = createP1Receiver(benchClient, SECRET, name === "cactus-memory" ? "memory" : "none");
        return receiver.handleWebhook(body, headers);
      };
    }
    default:
      throw new Error(`unknown case ${name}; one of ${INSTRUCTION_CASES.join(", ")}`);
  }
}

async function main(): Promise<void> {
  const [name = "", countText = "0"] = process.argv.slice(2);
  const run = operation(name);
  const deliveries = pool(name === "stripe" ? new Stripe("sk_test_bench") : undefined);
  const total = WARM_UP + Number(countText);
  for (let index = 0; index < total; index++) await run(deliveries[index % POOL] as Delivery);
  if (sink === 0.5) console.log("");
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
