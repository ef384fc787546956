import fc from "fast-check";
import { CactusClient, Movie, Order, OrderLostPushedEvent, UnknownFullEvent, UnknownPushedEvent, cactusEventTypes, isKnownEventType, type CactusEventType } from "../../lib";
import { eventCatalog } from "../../lib/events";
import { bindEvent } from "../../lib/events/base";
import { hydrate, parseFullEvent } from "../../lib/events/parse";
import { fixtureEvent } from "../../lib/emulator/fixtures";

// Never contacted: parseEventV2 binds events to it, and the binding must not reach the JSON.
const client = new CactusClient({ apiKey: "sk_test_serialise", baseUrl: "http://127.0.0.1:9" });

// A timestamp exactly as the wire (and toISOString) writes it, and a calendar date.
const timestamp = fc.date({ min: new Date("1970-01-01T00:00:00Z"), max: new Date("2999-12-31T23:59:59Z"), noInvalidDate: true }).map((d) => d.toISOString());
const calendarDate = fc.date({ min: new Date("1970-01-01T00:00:00Z"), max: new Date("2999-12-31T00:00:00Z"), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
const id = (prefix: string): fc.Arbitrary<string> => fc.string({ minLength: 1, maxLength: 12 }).map((s) => `${prefix}${s}`);

// Generators for the data of the types written so far; a type added since gets its emulator
// fixture's data (so every catalog type is covered with no edit here).
const dataOf: Partial<Record<CactusEventType, fc.Arbitrary<Record<string, unknown>>>> = {
  "order.shipped": fc.record({ shipping_service: fc.string() }),
  "order.delivery_attempted": fc.record({ success: fc.boolean(), attempt_num: fc.integer({ min: 1 }), delivery_location: fc.string() }),
  "order.lost": fc.record({ last_seen_city: fc.string() }),
  "movie.started": fc.record({ date: timestamp }),
  "movie.completed": fc.record({ user: fc.string(), rating: fc.double({ min: 0, max: 5, noNaN: true }).map((r) => (Object.is(r, -0) ? 0 : r)) }),
};

// The emulator fixture's data through JSON.parse: plain objects of this realm, like the generators'
// (structuredClone's objects come from outside jest's sandbox).
function fixtureData(type: CactusEventType): Record<string, unknown> {
  const data: Record<string, unknown> = JSON.parse(JSON.stringify(fixtureEvent(type).data));
  return data;
}

const safeKey = fc.string({ minLength: 1, maxLength: 10 }).filter((k) => !["__proto__", "constructor", "prototype"].includes(k));
const jsonData: fc.Arbitrary<Record<string, unknown>> = fc.dictionary(
  safeKey,
  fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null), fc.array(fc.integer(), { maxLength: 3 }), fc.dictionary(safeKey, fc.string(), { maxKeys: 3 })),
  { maxKeys: 5 },
);

const knownFullEvent = fc.constantFrom(...cactusEventTypes).chain((type) => {
  const kind = eventCatalog[type].relatedObject;
  return fc.record({
    id: id("evt_"),
    type: fc.constant(type),
    ...(kind === null ? {} : { related_object: fc.record({ id: id(kind === "order" ? "ord_" : "mov_"), type: fc.constant(kind) }) }),
    data: dataOf[type] ?? fc.constant(fixtureData(type)),
  });
});

const unknownFullEvent = fc.record(
  {
    id: id("evt_"),
    type: fc.string({ minLength: 1, maxLength: 20 }).filter((type) => !isKnownEventType(type)),
    related_object: fc.record({ id: id("obj_"), type: fc.string({ minLength: 1, maxLength: 8 }) }),
    data: jsonData,
  },
  { requiredKeys: ["id", "type", "data"] },
);

const wireFullEvent = fc.oneof(knownFullEvent, unknownFullEvent);

function thinOf(full: Record<string, unknown>): Record<string, unknown> {
  const { data: _data, ...thin } = full;
  return thin;
}

// What JSON does to a value (drops undefined, turns -0 into 0): the form to compare against.
const viaJson = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

describe("toJSON: events serialise to their wire form", () => {
  it("a pushed event of every type, known or not, round-trips through JSON.stringify and parseEventV2", () => {
    fc.assert(
      fc.property(wireFullEvent, (full) => {
        const wire = thinOf(full);
        const event = client.parseEventV2(JSON.stringify(wire));
        expect(viaJson(event)).toEqual(viaJson(wire));
        const again = client.parseEventV2(JSON.stringify(event));
        expect(again.constructor).toBe(event.constructor);
        expect(again).toEqual(event);
      }),
    );
  });

  it("a full event (data included, dates as on the wire) round-trips, and parses as its pushed event too", () => {
    fc.assert(
      fc.property(wireFullEvent, (wire) => {
        const full = parseFullEvent(JSON.stringify(wire));
        expect(viaJson(full)).toEqual(viaJson(wire));
        const again = parseFullEvent(JSON.stringify(full));
        expect(again.constructor).toBe(full.constructor);
        expect(again).toEqual(full);
        expect(viaJson(client.parseEventV2(JSON.stringify(full)))).toEqual(viaJson(thinOf(wire)));
      }),
    );
  });

  it("Order and Movie serialise as the API sends them", () => {
    const order = fc.record({ id: id("ord_"), created: timestamp, num_items: fc.nat(), cost_cents: fc.nat(), delivery_date: calendarDate });
    const movie = fc.record({ id: id("mov_"), title: fc.string(), release_year: fc.integer({ min: 1880, max: 2100 }) });
    fc.assert(
      fc.property(order, movie, (orderWire, movieWire) => {
        expect(viaJson(hydrate(Order, orderWire, "order"))).toEqual(orderWire);
        expect(viaJson(hydrate(Movie, movieWire, "movie"))).toEqual(movieWire);
      }),
    );
  });

  it("uses the wire names and formats, and leaves out the client binding and derived getters", () => {
    const event = bindEvent(parseFullEvent({ id: "evt_1", type: "order.lost", data: { last_seen_city: "Tucson" } }), client);
    expect(JSON.stringify(event)).toBe('{"id":"evt_1","type":"order.lost","data":{"last_seen_city":"Tucson"}}');
    const order = hydrate(Order, { id: "ord_1", created: "2024-05-01T12:30:00Z", num_items: 3, cost_cents: 4599, delivery_date: "2024-05-04" }, "order");
    expect(JSON.stringify(order)).toBe(
      '{"id":"ord_1","created":"2024-05-01T12:30:00.000Z","num_items":3,"cost_cents":4599,"delivery_date":"2024-05-04"}',
    );
    const pushed = client.parseEventV2({ id: "evt_2", type: "order.lost" });
    expect(pushed).toBeInstanceOf(OrderLostPushedEvent);
    expect(Object.keys(pushed.toJSON())).toEqual(["id", "type"]);
  });

  it("keeps an unknown event's data as sent, nested values included", () => {
    const wire = { id: "evt_3", type: "order.refunded", related_object: { id: "ord_1", type: "order" }, data: { amount_cents: 1299, lines: [{ sku_id: "a" }] } };
    const full = parseFullEvent(wire);
    expect(full).toBeInstanceOf(UnknownFullEvent);
    expect(viaJson(full)).toEqual(wire);
    expect(client.parseEventV2(JSON.stringify(full))).toBeInstanceOf(UnknownPushedEvent);
  });
});
