import {
  CactusClient,
  CactusConfigError,
  CactusNotBoundError,
  CactusNotFoundError,
  CactusValidationError,
  Movie,
  MovieCompletedEvent,
  MovieCompletedPushedEvent,
  Order,
  OrderShippedPushedEvent,
  UnknownFullEvent,
  UnknownPushedEvent,
} from "../../lib";
import { CactusEmulator } from "../../lib/emulator";
import { parseThinEvent } from "../../lib/events/parse";

describe("CactusClient against the emulator", () => {
  let emulator: CactusEmulator;
  let client: CactusClient;

  beforeAll(async () => {
    emulator = await CactusEmulator.start();
  });
  afterAll(() => emulator.close());
  beforeEach(() => {
    emulator.reset();
    client = new CactusClient({ apiKey: emulator.apiKey, baseUrl: emulator.url, maxRetries: 1 });
  });

  it("parses v2 events bound to the client: pull() and fetchRelatedObject() return typed instances", async () => {
    const event = client.parseEventV2(emulator.thinEventOf("evt_movie_completed"));
    expect(event).toBeInstanceOf(MovieCompletedPushedEvent);
    if (!(event instanceof MovieCompletedPushedEvent)) return;
    const [full, movie] = await Promise.all([event.pull(), event.fetchRelatedObject()]);
    expect(full).toBeInstanceOf(MovieCompletedEvent);
    expect(full.data).toEqual(expect.objectContaining({ user: "ada", rating: 4.5 }));
    expect(movie).toBeInstanceOf(Movie);
    expect(movie.title).toBe("The Prickly Pear");
    expect(emulator.requests.map((request) => request.path).sort()).toEqual(["/v1/movies/mov_789", "/v2/events/evt_movie_completed"]);
  });

  it("retrieves events, orders and movies by id as their classes", async () => {
    expect(await client.retrieveEvent("evt_movie_completed")).toBeInstanceOf(MovieCompletedEvent);
    const order = await client.retrieveOrder("ord_456");
    expect(order).toBeInstanceOf(Order);
    expect(order.created).toBeInstanceOf(Date);
    expect(await client.retrieveMovie("mov_789")).toBeInstanceOf(Movie);
    const unknown = await client.retrieveEvent("evt_order_refunded");
    expect(unknown).toBeInstanceOf(UnknownFullEvent);
    expect(unknown.data).toEqual({ amount_cents: 1299 });
  });

  it("pulls an unknown type as an UnknownFullEvent", async () => {
    const event = client.parseEventV2(emulator.thinEventOf("evt_order_refunded"));
    expect(event).toBeInstanceOf(UnknownPushedEvent);
    expect(await event.pull()).toBeInstanceOf(UnknownFullEvent);
  });

  it("shares one request among concurrent retrievals of the same object", async () => {
    const events = Array.from({ length: 10 }, () => client.parseEventV2(emulator.thinEventOf("evt_order_shipped")));
    const orders = await Promise.all(events.map((event) => (event instanceof OrderShippedPushedEvent ? event.fetchRelatedObject() : null)));
    expect(orders.every((order) => order instanceof Order && order.id === "ord_456")).toBe(true);
    expect(new Set(orders).size).toBe(10); // each caller gets its own instance
    expect(emulator.requests.filter((request) => request.path === "/v1/orders/ord_456")).toHaveLength(1);
    await client.retrieveOrder("ord_456"); // settled requests are not cached
    expect(emulator.requests.filter((request) => request.path === "/v1/orders/ord_456")).toHaveLength(2);
  });

  it("turns a malformed API answer into a CactusValidationError, never a half-filled object", async () => {
    emulator.addOrder({ id: "ord_bad", created: "2024-01-01T00:00:00Z", num_items: -2, cost_cents: 5, delivery_date: "2024-01-05" });
    await expect(client.retrieveOrder("ord_bad")).rejects.toThrow(CactusValidationError);
    await expect(client.retrieveOrder("ord_bad")).rejects.toThrow(/num_items must not be less than 0/);
  });

  it("rejects pull() when the API holds an event of another type under that id", async () => {
    const event = client.parseEventV2({ id: "evt_movie_completed", type: "order.shipped", related_object: { id: "ord_456", type: "order" } });
    await expect(event.pull()).rejects.toThrow(/type is "movie.completed", expected "order.shipped"/);
  });

  it("throws CactusNotFoundError for an unknown id", async () => {
    await expect(client.retrieveEvent("evt_nope")).rejects.toBeInstanceOf(CactusNotFoundError);
  });

  it("fails pull() on an event no client parsed with an error that says how to bind one", async () => {
    const event = parseThinEvent({ id: "evt_1", type: "order.shipped", related_object: { id: "ord_456", type: "order" } });
    if (!(event instanceof OrderShippedPushedEvent)) throw new Error("expected order.shipped");
    await expect(event.pull()).rejects.toBeInstanceOf(CactusNotBoundError);
    expect(() => event.fetchRelatedObject()).toThrow(/client.parseEventV2\(body\)/);
  });
});

describe("CactusClient options", () => {
  it("rejects a missing key and bad numbers at construction, without echoing the key", () => {
    expect(() => new CactusClient({ apiKey: "" })).toThrow(CactusConfigError);
    expect(() => new CactusClient({ apiKey: "sk_test_secret", maxRetries: -1 })).toThrow(/maxRetries must be a finite integer >= 0/);
    expect(() => new CactusClient({ apiKey: "sk_test_secret", timeoutMs: 0 })).toThrow(/timeoutMs/);
    expect(() => new CactusClient({ apiKey: "sk_test_secret", baseUrl: "ftp://x" })).toThrow(/baseUrl must be an absolute http:\/\/ or https:\/\/ URL/);
    expect(() => new CactusClient({ apiKey: "sk_test_secret", maxRetries: 1.5 })).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining("sk_test_secret") }),
    );
  });

  it("takes the base URL from CACTUS_API_BASE_URL when none is given", async () => {
    const emulator = await CactusEmulator.start();
    const previous = process.env.CACTUS_API_BASE_URL;
    process.env.CACTUS_API_BASE_URL = emulator.url;
    try {
      const client = new CactusClient({ apiKey: emulator.apiKey });
      expect(await client.retrieveMovie("mov_789")).toBeInstanceOf(Movie);
    } finally {
      if (previous === undefined) delete process.env.CACTUS_API_BASE_URL;
      else process.env.CACTUS_API_BASE_URL = previous;
      await emulator.close();
    }
  });

  it("parseEventV1 returns the untyped shape", () => {
    const client = new CactusClient({ apiKey: "sk_test_x" });
    const event = client.parseEventV1('{"id":"e","type":"order.lost"}');
    expect(event.type).toBe("order.lost");
    expect("pull" in event).toBe(false);
  });
});
