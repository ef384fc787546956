// A strict consumer of the packed cactus-sdk, compiled by scripts/consumer-check as CommonJS and
// as ESM with TypeScript 5.9 and 7, then run with node: the published types and the published
// JavaScript must agree, under both module systems, through both entry points.
import { strict as assert } from "node:assert";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { CactusClient, CactusError, CactusHandler, CactusRouter, UnknownPushedEvent, createNodeMiddleware, type BaseThinEvent, type OrderShippedPushedEvent, type PushedThinEvent } from "cactus-sdk";
import { deliverWebhook, generateWebhookSecret } from "cactus-sdk/webhooks";
import { CactusEmulator, fixtureEventId } from "cactus-sdk/emulator";

class Recorder extends CactusHandler {
  readonly seen: string[] = [];

  override async onOrderShipped(event: OrderShippedPushedEvent): Promise<void> {
    const full = await event.pull();
    this.seen.push(`shipped with ${full.data.shippingService}`);
  }

  override async onOther(event: BaseThinEvent): Promise<void> {
    this.seen.push(`other ${event.type}`);
  }
}

// Unknown first, then the switch narrows every case with no cast; `never` proves it is exhaustive.
function describe(event: PushedThinEvent): string {
  if (event instanceof UnknownPushedEvent) return `unknown ${event.type}`;
  switch (event.type) {
    case "order.shipped":
      return `order ${event.relatedObject.id} shipped`;
    case "order.delivery_attempted":
      return `order ${event.relatedObject.id} attempted`;
    case "order.lost":
      return "order lost";
    case "movie.started":
      return `movie ${event.relatedObject.id} started`;
    case "movie.completed":
      return `movie ${event.relatedObject.id} completed`;
    default: {
      const unreachable: never = event;
      return unreachable;
    }
  }
}

async function main(): Promise<void> {
  const emulator = await CactusEmulator.start();
  const client = new CactusClient({ apiKey: emulator.apiKey, baseUrl: emulator.url, maxRetries: 0 });
  const body = (type: string): string => JSON.stringify(emulator.thinEventOf(fixtureEventId(type)));
  const server = createServer();
  try {
    assert.deepEqual(
      ["order.shipped", "order.lost", "movie.completed", "order.refunded"].map((type) => describe(client.parseEventV2(body(type)))),
      ["order ord_456 shipped", "order lost", "movie mov_789 completed", "unknown order.refunded"],
    );

    // One package, not a CommonJS and an ESM copy: an error thrown inside the emulator entry is
    // an instance of the class the root entry exports.
    assert.throws(() => emulator.thinEventOf("evt_missing"), (error: unknown) => error instanceof CactusError && error.code === "emulator_unknown_event");

    // A CactusHandler subclass behind the Node middleware, fed by the SDK's own sender.
    const secret = generateWebhookSecret();
    const handler = new Recorder(client);
    server.on("request", createNodeMiddleware(handler, { secret }));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks`;
    for (const type of ["order.shipped", "movie.started"]) {
      const result = await deliverWebhook({ url, id: fixtureEventId(type), body: body(type), webhookSecret: secret, maxAttempts: 1 });
      assert.equal(result.delivered, true, `delivery of ${type}: ${JSON.stringify(result.attempts)}`);
    }
    assert.deepEqual(handler.seen, ["shipped with usps", "other movie.started"]);

    // CactusRouter.on types the callback's event from the string.
    const routed: string[] = [];
    const router = new CactusRouter(client)
      .on("movie.completed", async (event) => {
        const full = await event.pull();
        routed.push(`${full.data.user} rated ${full.data.rating}`);
      })
      .onOther((event) => {
        routed.push(`other ${event.type}`);
      });
    await router.handle(body("movie.completed"));
    await router.handle(body("order.refunded"));
    assert.deepEqual(routed, ["ada rated 4.5", "other order.refunded"]);
  } finally {
    server.close();
    await emulator.close();
  }
}

main().then(
  () => console.log("consumer ok"),
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
