import { CactusEmulator, FIXTURE_MOVIE, FIXTURE_ORDER } from "../../lib/emulator";
import { seededEvents } from "../../lib/emulator/fixtures";
import { cactusEventTypes, eventCatalog, isKnownEventType } from "../../lib/events/catalog";
import { MovieCompletedEvent } from "../../lib/events/movie";
import { OrderShippedEvent } from "../../lib/events/order";
import { hydrate, parseFullEvent, parseThinEvent } from "../../lib/events/parse";
import { Movie, Order } from "../../lib/events/related-objects";
import { UnknownFullEvent, UnknownPushedEvent } from "../../lib/events/unknown";
import { UNKNOWN_TYPE } from "../helpers/emulator";

// The emulator stamps every event with `created`: ISO 8601, UTC, milliseconds.
const ISO_TIME = expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);

describe("emulator fixtures", () => {
  it("seed one event per known type, with the documented ids, plus the unknown order.refunded", () => {
    // The documented id rule: evt_ + the type with "." as "_" (docs/cli.md, the dashboard).
    expect(seededEvents().map((event) => [event.type, event.id])).toEqual(
      [...cactusEventTypes, "order.refunded"].map((type) => [type, `evt_${type.split(".").join("_")}`]),
    );
    expect(seededEvents().map((event) => event.id)).toEqual(expect.arrayContaining(["evt_order_shipped", "evt_order_delivery_attempted", "evt_order_refunded"]));
    expect(new Set(seededEvents().map((event) => event.type))).toEqual(new Set([...cactusEventTypes, "order.refunded"]));
  });

  it.each(seededEvents().map((event) => [event.id, event] as const))("%s parses with the real parser into its catalog class", (_id, event) => {
    const parsed = parseFullEvent(event);
    const expected = isKnownEventType(event.type) ? eventCatalog[event.type].full : UnknownFullEvent;
    expect(parsed).toBeInstanceOf(expected);
    expect(parsed.id).toBe(event.id);
  });

  it("gives related objects exactly where the catalog says", () => {
    for (const event of seededEvents()) {
      const kind = isKnownEventType(event.type) ? eventCatalog[event.type].relatedObject : "order";
      expect(event.related_object?.type ?? null).toBe(kind);
    }
  });

  it("carries the documented data", () => {
    const completed = parseFullEvent(seededEvents().find((event) => event.type === "movie.completed") ?? {});
    expect(completed).toBeInstanceOf(MovieCompletedEvent);
    expect(completed instanceof MovieCompletedEvent && completed.data).toMatchObject({ user: "ada", rating: 4.5 });
    const refunded = parseFullEvent(seededEvents().find((event) => event.type === "order.refunded") ?? {});
    expect(refunded).toBeInstanceOf(UnknownFullEvent);
    expect(refunded.data).toEqual({ amount_cents: 1299 });
  });

  it("hydrate into Order and Movie", () => {
    const order = hydrate(Order, FIXTURE_ORDER, "order");
    expect(order).toBeInstanceOf(Order);
    expect(order).toMatchObject({ id: "ord_456", numItems: 3, costCents: 4599 });
    expect(order.created).toBeInstanceOf(Date);
    expect(order.deliveryDate.toISOString()).toBe("2024-05-04T00:00:00.000Z");
    expect(FIXTURE_ORDER.delivery_date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const movie = hydrate(Movie, FIXTURE_MOVIE, "movie");
    expect(movie).toBeInstanceOf(Movie);
    expect(movie).toMatchObject({ id: "mov_789", title: "The Prickly Pear", releaseYear: 2021 });
  });
});

describe("CactusEmulator.createEvent and thinEventOf", () => {
  let emulator: CactusEmulator;

  beforeAll(async () => {
    emulator = await CactusEmulator.start();
  });
  afterAll(() => emulator.close());

  it.each(cactusEventTypes.map((type) => [type]))("creates a valid %s event with a fresh id", (type) => {
    const event = emulator.createEvent(type);
    expect(event.id).toMatch(/^evt_[0-9a-f]{16}$/);
    expect(event.type).toBe(type);
    expect(parseFullEvent(event)).toBeInstanceOf(eventCatalog[type].full);
    expect(emulator.createEvent(type).id).not.toBe(event.id);
  });

  it("merges data overrides over the fixture data, and takes an explicit id", () => {
    const event = emulator.createEvent("order.delivery_attempted", { id: "evt_custom", data: { attempt_num: 3 } });
    expect(event).toEqual({
      id: "evt_custom",
      type: "order.delivery_attempted",
      created: ISO_TIME,
      related_object: { id: "ord_456", type: "order" },
      data: { success: false, attempt_num: 3, delivery_location: "front door" },
    });
  });

  it("creates an event of an unknown type with the given data", () => {
    const event = emulator.createEvent(UNKNOWN_TYPE, { data: { at_second: 42 }, related_object: { id: "mov_789", type: "movie" } });
    expect(event).toMatchObject({ type: UNKNOWN_TYPE, data: { at_second: 42 }, related_object: { id: "mov_789", type: "movie" } });
    expect(parseFullEvent(event)).toBeInstanceOf(UnknownFullEvent);
    expect(emulator.createEvent("x.y")).toEqual({ id: expect.stringMatching(/^evt_/), type: "x.y", created: ISO_TIME, data: {} });
  });

  it("stores what it creates, and later mutation of the returned object changes nothing", async () => {
    const event = emulator.createEvent("order.shipped");
    event.data["shipping_service"] = "changed";
    const response = await fetch(`${emulator.url}/v2/events/${event.id}`, { headers: { authorization: `Bearer ${emulator.apiKey}` } });
    expect(await response.json()).toMatchObject({ id: event.id, data: { shipping_service: "usps" } });
  });

  it("gives the thin JSON of a stored event, which parses as a pushed event", () => {
    const thin = emulator.thinEventOf("evt_order_shipped");
    expect(thin).toEqual({ id: "evt_order_shipped", type: "order.shipped", created: ISO_TIME, related_object: { id: "ord_456", type: "order" } });
    expect(parseThinEvent(thin)).toBeInstanceOf(eventCatalog["order.shipped"].pushed);
    expect(emulator.thinEventOf("evt_order_lost")).toEqual({ id: "evt_order_lost", type: "order.lost", created: ISO_TIME });
    expect(parseThinEvent(emulator.thinEventOf("evt_order_lost")).created).toBeInstanceOf(Date);
    expect(parseThinEvent(emulator.thinEventOf("evt_order_refunded"))).toBeInstanceOf(UnknownPushedEvent);
    expect(parseFullEvent(emulator.createEvent("order.shipped"))).toBeInstanceOf(OrderShippedEvent);
  });

  it("throws a CactusError for an id it does not have", () => {
    expect(() => emulator.thinEventOf("evt_nope")).toThrow(expect.objectContaining({ code: "emulator_unknown_event" }));
  });
});
