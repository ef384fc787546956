// cactus-sdk/testing used the way a user's test suite uses it.
import { request } from "node:http";
import type { AddressInfo } from "node:net";
import { createServer } from "node:http";
import {
  createFullEvent,
  createPushedEvent,
  signedHeaders,
  startEmulator,
  webhookRequest,
  type StartedEmulator,
} from "../../lib/testing";
import { CactusConfigError, CactusNotBoundError, CactusRouter, CactusValidationError, MovieCompletedEvent, OrderLostPushedEvent, UnknownFullEvent, UnknownPushedEvent, createFetchHandler, createNodeMiddleware } from "../../lib";
import { generateWebhookSecret, verifyWebhook } from "../../lib/webhooks";
import { ActivityHandler } from "../../examples/inheritance/activity-handler";
import { UNKNOWN_TYPE } from "../helpers/emulator";

// The example of the README and docs/testing.md, as written there.
test("onOrderLost reports where the parcel was last seen", async () => {
  const { client, stop } = await startEmulator();
  const lines: string[] = [];
  await new ActivityHandler(client, (line) => lines.push(line)).onOrderLost(createPushedEvent("order.lost", { client }));
  expect(lines).toEqual(["order.lost: parcel lost, last seen in Tucson"]);
  await stop();
});

describe("cactus-sdk/testing", () => {
  let api: StartedEmulator;
  beforeAll(async () => {
    api = await startEmulator();
  });
  afterAll(() => api.stop());

  describe("testing one handler method", () => {
    it("takes a few lines: an event bound to the emulator's client, then the method", async () => {
      const lines: string[] = [];
      await new ActivityHandler(api.client, (line) => lines.push(line)).onOrderLost(createPushedEvent("order.lost", { client: api.client }));
      expect(lines).toEqual(["order.lost: parcel lost, last seen in Tucson"]);
    });

    it("api.createPushedEvent stores the data pull() then returns", async () => {
      const lines: string[] = [];
      const event = api.createPushedEvent("order.delivery_attempted", { data: { success: true, attempt_num: 3 } });
      await new ActivityHandler(api.client, (line) => lines.push(line)).onOrderDeliveryAttempted(event);
      expect(lines).toEqual(["order.delivery_attempted: attempt #3 at front door delivered for order ord_456"]);
      expect(api.emulator.requests.map((r) => r.path)).toContain(`/v2/events/${event.id}`);
    });
  });

  describe("createPushedEvent", () => {
    it("gives the type's pushed class, parsed from valid fixture data", () => {
      const event = createPushedEvent("movie.completed");
      expect(event.constructor.name).toBe("MovieCompletedPushedEvent");
      expect(event.id).toBe("evt_movie_completed");
      expect(event.relatedObject).toEqual({ id: "mov_789", type: "movie" });
      expect(createPushedEvent("order.lost")).toBeInstanceOf(OrderLostPushedEvent);
    });

    it("gives an UnknownPushedEvent for a type this SDK does not know", async () => {
      const event = createPushedEvent("order.refunded", { client: api.client });
      expect(event).toBeInstanceOf(UnknownPushedEvent);
      expect(event.type).toBe("order.refunded");
      expect((await event.pull()).data).toEqual({ amount_cents: 1299 }); // the emulator's seeded one
    });

    it("is unbound without a client, bound with one", async () => {
      await expect(createPushedEvent("order.lost").pull()).rejects.toBeInstanceOf(CactusNotBoundError);
      const movie = await createPushedEvent("movie.started", { client: api.client }).fetchRelatedObject();
      expect(movie.title).toBe("The Prickly Pear");
    });

    it("validates overrides as the parser does", () => {
      expect(() => createPushedEvent("order.shipped", { related_object: null })).toThrow(CactusValidationError);
      expect(() => createPushedEvent("order.shipped", { related_object: { id: "mov_1", type: "movie" } })).toThrow(
        /related_object.type must be "order"/,
      );
      expect(createPushedEvent("order.shipped", { id: "evt_mine", related_object: { id: "ord_9", type: "order" } }).relatedObject.id).toBe("ord_9");
    });
  });

  describe("createFullEvent", () => {
    it("merges wire-named data over the fixture and hydrates it", () => {
      const full = createFullEvent("movie.completed", { data: { rating: 5 } });
      expect(full).toBeInstanceOf(MovieCompletedEvent);
      expect(full.data.rating).toBe(5);
      expect(full.data.user).toBe("ada");
      expect(createFullEvent("movie.started", { data: { date: "2025-01-02T03:04:05Z" } }).data.date).toEqual(new Date("2025-01-02T03:04:05Z"));
    });

    it("rejects invalid data with the validator's error, and a camelCase or misspelled field by name", () => {
      expect(() => createFullEvent("movie.completed", { data: { rating: 7 } })).toThrow(/data.rating must not be greater than 5/);
      const camel: Record<string, unknown> = { lastSeenCity: "Paris" };
      expect(() => createFullEvent("order.lost", { data: camel })).toThrow(
        new CactusConfigError('createFullEvent("order.lost"): data has no field "lastSeenCity"; use the wire names: last_seen_city'),
      );
    });

    it("takes any data for an unknown type", () => {
      const full = createFullEvent(UNKNOWN_TYPE, { data: { at_seconds: 42 } });
      expect(full).toBeInstanceOf(UnknownFullEvent);
      expect(full.data).toEqual({ at_seconds: 42 });
    });
  });

  describe("signing", () => {
    const secret = generateWebhookSecret();

    it("signedHeaders signs the body under its own id, verifiable by the receiver", () => {
      const body = JSON.stringify(createPushedEvent("order.lost"));
      const headers = signedHeaders(body, secret, { timestamp: new Date("2026-01-01T00:00:00Z") });
      expect(headers["webhook-id"]).toBe("evt_order_lost");
      expect(headers["webhook-timestamp"]).toBe(String(Date.parse("2026-01-01T00:00:00Z") / 1000));
      expect(headers["content-type"]).toBe("application/json");
      expect(() => verifyWebhook(body, headers, secret, { now: () => new Date("2026-01-01T00:01:00Z") })).not.toThrow();
      expect(() => verifyWebhook(body, headers, generateWebhookSecret(), { now: () => new Date("2026-01-01T00:01:00Z") })).toThrow();
      expect(() => signedHeaders("{}", secret)).toThrow(/pass \{ id \}/);
      expect(signedHeaders("{}", secret, { id: "evt_x" })["webhook-id"]).toBe("evt_x");
    });

    it("webhookRequest drives a Fetch handler", async () => {
      const lines: string[] = [];
      const router = new CactusRouter(api.client).on("order.lost", async (event) => void lines.push((await event.pull()).data.lastSeenCity));
      const handle = createFetchHandler(router, { secret });
      const delivery = webhookRequest(createPushedEvent("order.lost"), secret);
      expect((await handle(delivery.toRequest())).status).toBe(200);
      expect((await handle(delivery.toRequest())).status).toBe(200); // a fresh Request each time
      expect(lines).toEqual(["Tucson", "Tucson"]);
      const forged = webhookRequest(createPushedEvent("order.lost"), generateWebhookSecret());
      const warned: string[] = [];
      const spy = jest.spyOn(console, "warn").mockImplementation((line: unknown) => void warned.push(String(line)));
      try {
        expect((await handle(forged.toRequest())).status).toBe(401);
      } finally {
        spy.mockRestore();
      }
      expect(warned).toEqual([expect.stringContaining("rejected: no_matching_signature")]);
    });

    it("webhookRequest drives node middleware over a real socket, sending the thin event only", async () => {
      const bodies: string[] = [];
      const router = new CactusRouter(api.client).onOther((event) => void bodies.push(JSON.stringify(event)));
      const server = createServer(createNodeMiddleware(router, { secret }));
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      try {
        const { port } = server.address() as AddressInfo;
        const delivery = webhookRequest(createFullEvent("order.refunded", { data: { amount_cents: 5 } }), secret);
        expect(delivery.body).toBe('{"id":"evt_order_refunded","type":"order.refunded"}');
        const status = await new Promise<number>((resolve, reject) => {
          const req = request({ host: "127.0.0.1", port, method: delivery.method, path: delivery.path, headers: delivery.headers }, (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          });
          req.on("error", reject);
          req.end(delivery.body);
        });
        expect(status).toBe(200);
        expect(bodies).toEqual([delivery.body]);
      } finally {
        await new Promise((resolve) => server.close(resolve));
      }
    });
  });
});
