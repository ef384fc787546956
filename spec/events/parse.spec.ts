import { CactusParseError, CactusValidationError, GenericThinEvent, MovieCompletedEvent, MovieCompletedPushedEvent, MovieStartedEvent, Order, OrderDeliveryAttemptedPushedEvent, OrderLostPushedEvent, OrderShippedPushedEvent, UnknownFullEvent, UnknownPushedEvent, cactusEventTypes } from "../../lib";
import { eventCatalog } from "../../lib/events";
import { hydrate, parseFullEvent, parseGenericThinEvent, parseThinEvent } from "../../lib/events/parse";

const shipped = { id: "evt_1", type: "order.shipped", related_object: { id: "ord_1", type: "order" } };

function validationError(fn: () => unknown): CactusValidationError {
  try {
    fn();
  } catch (error) {
    if (error instanceof CactusValidationError) return error;
    throw error;
  }
  throw new Error("expected a CactusValidationError");
}

describe("parseThinEvent", () => {
  it("hydrates each known type into its own pushed class with camelCase properties", () => {
    const event = parseThinEvent(shipped);
    expect(event).toBeInstanceOf(OrderShippedPushedEvent);
    expect(event.id).toBe("evt_1");
    expect(event.relatedObject).toEqual({ id: "ord_1", type: "order" });
    expect(parseThinEvent({ id: "e", type: "order.lost" })).toBeInstanceOf(OrderLostPushedEvent);
    expect(parseThinEvent({ ...shipped, type: "order.delivery_attempted" })).toBeInstanceOf(OrderDeliveryAttemptedPushedEvent);
    expect(parseThinEvent({ id: "e", type: "movie.completed", related_object: { id: "mov_1", type: "movie" } })).toBeInstanceOf(
      MovieCompletedPushedEvent,
    );
  });

  it("maps every catalog type to the catalog's pushed class", () => {
    for (const type of cactusEventTypes) {
      const row = eventCatalog[type];
      const related = row.relatedObject ? { related_object: { id: "x_1", type: row.relatedObject } } : {};
      const event = parseThinEvent({ id: "evt_x", type, ...related });
      expect(event).toBeInstanceOf(row.pushed);
      expect(event.known).toBe(true);
    }
  });

  it("accepts a string, a Buffer and a Uint8Array body", () => {
    const text = JSON.stringify(shipped);
    expect(parseThinEvent(text)).toBeInstanceOf(OrderShippedPushedEvent);
    expect(parseThinEvent(Buffer.from(text))).toBeInstanceOf(OrderShippedPushedEvent);
    expect(parseThinEvent(new TextEncoder().encode(text))).toBeInstanceOf(OrderShippedPushedEvent);
  });

  it("drops extraneous keys instead of copying them onto the instance", () => {
    const event = parseThinEvent({ ...shipped, data: { shipping_service: "usps" }, extra: 1 });
    expect(Object.keys(event).sort()).toEqual(["created", "id", "relatedObject", "type"]);
  });

  it("turns an unknown type into an UnknownPushedEvent that keeps the wire type, never an error", () => {
    const event = parseThinEvent({ id: "evt_9", type: "order.refunded", related_object: { id: "ord_1", type: "order" } });
    expect(event).toBeInstanceOf(UnknownPushedEvent);
    expect(event.type).toBe("order.refunded");
    expect(event.known).toBe(false);
    expect(parseThinEvent({ id: "evt_9", type: "constructor" })).toBeInstanceOf(UnknownPushedEvent);
    expect(parseThinEvent({ id: "evt_9", type: "__proto__" })).toBeInstanceOf(UnknownPushedEvent);
  });

  it("names the wire path and the rule for a known type with a wrong shape", () => {
    const error = validationError(() => parseThinEvent({ id: "evt_1", type: "order.shipped", related_object: { id: 5, type: "order" } }));
    expect(error.code).toBe("validation_failed");
    expect(error.issues).toEqual(expect.arrayContaining([expect.objectContaining({ path: "related_object.id", rule: "isString" })]));
    expect(error.message).toContain("related_object.id must be a string");
    expect(error.message).not.toContain("relatedObject");
  });

  it("requires a related object of the right kind, and none for order.lost", () => {
    expect(validationError(() => parseThinEvent({ id: "e", type: "order.shipped" })).issues[0]).toMatchObject({
      path: "related_object",
      rule: "isDefined",
    });
    expect(
      validationError(() => parseThinEvent({ id: "e", type: "order.shipped", related_object: { id: "mov_1", type: "movie" } })).issues[0],
    ).toMatchObject({ path: "related_object.type", rule: "relatedObjectType" });
    expect(
      validationError(() => parseThinEvent({ id: "e", type: "order.lost", related_object: { id: "ord_1", type: "order" } })).issues[0],
    ).toMatchObject({ path: "related_object", rule: "absent" });
    expect(parseThinEvent({ id: "e", type: "order.lost", related_object: null })).toBeInstanceOf(OrderLostPushedEvent);
    expect(validationError(() => parseThinEvent({ id: "e", type: "order.shipped", related_object: "ord_1" })).issues[0]?.path).toBe(
      "related_object",
    );
  });

  it("rejects a missing or empty id and type with the field named", () => {
    expect(validationError(() => parseThinEvent({ type: "order.lost" })).issues[0]?.path).toBe("id");
    expect(validationError(() => parseThinEvent({ id: "e", type: "" })).issues[0]?.path).toBe("type");
    expect(validationError(() => parseThinEvent({ id: "e", type: 7 })).message).toContain("type must be a non-empty string (got 7)");
  });

  it("throws CactusParseError for invalid JSON, invalid UTF-8 and non-object bodies", () => {
    expect(() => parseThinEvent("{not json")).toThrow(CactusParseError);
    expect(() => parseThinEvent(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]))).toThrow(/not valid UTF-8/);
    expect(() => parseThinEvent("[1,2]")).toThrow(/must be a JSON object, got an array/);
    expect(() => parseThinEvent("42")).toThrow(/got a number/);
    expect(() => parseThinEvent("null")).toThrow(/got null/);
    expect(() => parseThinEvent([] as object)).toThrow(CactusParseError);
  });

  it("neither crashes nor pollutes Object.prototype on hostile keys anywhere", () => {
    const body =
      '{"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":2}},"prototype":3,' +
      '"id":"evt_1","type":"order.shipped","related_object":{"id":"ord_1","type":"order","__proto__":{"polluted":4},"constructor":5}}';
    const event = parseThinEvent(body);
    expect(event).toBeInstanceOf(OrderShippedPushedEvent);
    expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
    const unknown = parseFullEvent('{"id":"e","type":"x.y","data":{"__proto__":{"polluted":1},"constructor":1,"ok":{"prototype":2,"v":3}}}');
    expect(unknown).toBeInstanceOf(UnknownFullEvent);
    expect(unknown.data).toEqual({ ok: { v: 3 } });
    expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
  });

  it("reports a hostile value in a typed field as a validation error, not a crash", () => {
    const body = { id: "e", type: "order.shipped", related_object: { id: "o", type: "order" }, data: { shipping_service: { constructor: 1 } } };
    expect(validationError(() => parseFullEvent(body)).issues[0]?.path).toBe("data.shipping_service");
  });

  it("refuses JSON nested deeper than 64 levels with a CactusParseError", () => {
    const deep = "[".repeat(5000) + "]".repeat(5000);
    expect(() => parseThinEvent(`{"id":"e","type":"order.lost","x":${deep}}`)).toThrow(CactusParseError);
  });
});

describe("parseFullEvent", () => {
  it("hydrates typed data with camelCase names and Dates", () => {
    const started = parseFullEvent({
      id: "e",
      type: "movie.started",
      related_object: { id: "mov_1", type: "movie" },
      data: { date: "2024-05-01T12:30:00Z" },
    });
    expect(started).toBeInstanceOf(MovieStartedEvent);
    if (!(started instanceof MovieStartedEvent)) return;
    expect(started.data.date).toEqual(new Date("2024-05-01T12:30:00Z"));
    const completed = parseFullEvent({
      id: "e",
      type: "movie.completed",
      related_object: { id: "mov_1", type: "movie" },
      data: { user: "ada", rating: 5 },
    });
    expect(completed).toBeInstanceOf(MovieCompletedEvent);
  });

  it("names data fields by their wire path and rule", () => {
    const error = validationError(() =>
      parseFullEvent({
        id: "e",
        type: "order.delivery_attempted",
        related_object: { id: "ord_1", type: "order" },
        data: { success: "yes", attempt_num: 0, delivery_location: "porch" },
      }),
    );
    expect(error.issues).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: "data.attempt_num", rule: "min" }),
        expect.objectContaining({ path: "data.success", rule: "isBoolean" }),
      ]),
    );
    expect(error.message).toContain("data.attempt_num must not be less than 1 (got 0)");
  });

  it("rejects ratings out of range, non-ISO dates, and a missing data object", () => {
    const base = { id: "e", related_object: { id: "mov_1", type: "movie" } };
    expect(validationError(() => parseFullEvent({ ...base, type: "movie.completed", data: { user: "a", rating: 5.5 } })).issues[0]).toMatchObject({
      path: "data.rating",
      rule: "max",
    });
    expect(validationError(() => parseFullEvent({ ...base, type: "movie.started", data: { date: "yesterday" } })).issues[0]).toMatchObject({
      path: "data.date",
      rule: "isDate",
    });
    expect(validationError(() => parseFullEvent({ ...base, type: "movie.started", data: { date: 1714566600 } })).issues[0]?.path).toBe("data.date");
    expect(validationError(() => parseFullEvent({ ...base, type: "movie.completed" })).issues[0]?.path).toBe("data");
  });
});

describe("related objects", () => {
  it("hydrates an Order with Dates and validates its integers", () => {
    const order = hydrate(
      Order,
      { id: "ord_1", created: "2024-05-01T10:00:00Z", num_items: 2, cost_cents: 1299, delivery_date: "2024-05-04" },
      "order",
    );
    expect(order).toBeInstanceOf(Order);
    expect(order.numItems).toBe(2);
    expect(order.deliveryDate).toEqual(new Date("2024-05-04"));
    const error = validationError(() =>
      hydrate(Order, { id: "ord_1", created: "2024-05-01", num_items: -1, cost_cents: 1.5, delivery_date: "2024-05-04" }, "order"),
    );
    expect(error.issues.map((issue) => issue.path).sort()).toEqual(["cost_cents", "created", "num_items"]);
  });
});

describe("parseGenericThinEvent (v1)", () => {
  it("returns the untyped GenericThinEvent for every type", () => {
    const event = parseGenericThinEvent(JSON.stringify(shipped));
    expect(event).toBeInstanceOf(GenericThinEvent);
    expect(event).not.toHaveProperty("pull");
    expect(event.relatedObject?.id).toBe("ord_1");
  });
});

describe("created on the wire", () => {
  const wire = { id: "evt_1", type: "order.shipped", related_object: { id: "ord_456", type: "order" } };

  it("is a Date on known and unknown pushed events, and goes back to the wire as ISO 8601", () => {
    const known = parseThinEvent({ ...wire, created: "2026-12-06T10:00:00.000Z" });
    expect(known.created).toEqual(new Date("2026-12-06T10:00:00.000Z"));
    expect(JSON.parse(JSON.stringify(known))).toMatchObject({ created: "2026-12-06T10:00:00.000Z" });
    const unknown = parseThinEvent({ id: "evt_2", type: "order.refunded", created: "2026-12-06T10:00:00+02:00" });
    expect(unknown).toBeInstanceOf(UnknownPushedEvent);
    expect(unknown.created?.toISOString()).toBe("2026-12-06T08:00:00.000Z");
  });

  it("may be absent (older senders) or null, and is then undefined", () => {
    expect(parseThinEvent(wire).created).toBeUndefined();
    expect(parseThinEvent({ ...wire, created: null }).created).toBeUndefined();
    expect(JSON.stringify(parseThinEvent(wire))).not.toContain("created");
  });

  it("is a validation error naming the field when it is not an ISO 8601 timestamp", () => {
    for (const created of ["yesterday", 1733479200, "2026-12-06"]) {
      expect(() => parseThinEvent({ ...wire, created })).toThrow(/created must be an ISO 8601 timestamp/);
    }
  });
});
