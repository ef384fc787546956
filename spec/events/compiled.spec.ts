// The compiled hydrate-and-validate path against the class-transformer + class-validator path it
// replaces: for generated valid and invalid bodies of every catalog class (and the related
// objects), both must build equal instances (same class, same fields, equal Dates) or throw equal
// errors (same class, code, message and issues).
import fc from "fast-check";
import { Expose, Type } from "class-transformer";
import { IsString, registerDecorator, ValidateNested, type ValidationOptions } from "class-validator";
import { CactusError, CactusValidationError, Movie, Order } from "../../lib";
import { eventCatalog, type EventCatalogRow, RelatedObjectRef } from "../../lib/events";
import { hydrateCompiled, setCompiledHydration } from "../../lib/events/compiled";
import { hydrate, parseFullEvent, parseGenericThinEvent, parseThinEvent } from "../../lib/events/parse";
import { UNKNOWN_TYPE } from "../helpers/emulator";
import { fixtureEvent } from "../../lib/emulator/fixtures";

type Outcome = { readonly value: unknown } | { readonly error: { name: string; code: string; message: string; issues: unknown } };

function outcome(run: () => unknown): Outcome {
  try {
    return { value: run() };
  } catch (error) {
    if (!(error instanceof CactusError)) throw error;
    const issues = error instanceof CactusValidationError ? error.issues : undefined;
    return { error: { name: error.constructor.name, code: error.code, message: error.message, issues } };
  }
}

/** Runs `run` on the compiled path and on the library path; both must agree exactly. */
function expectSameOnBothPaths(run: () => unknown): void {
  let compiled: Outcome;
  let library: Outcome;
  try {
    setCompiledHydration(true);
    compiled = outcome(run);
    setCompiledHydration(false);
    library = outcome(run);
  } finally {
    setCompiledHydration(true);
  }
  expect(compiled).toStrictEqual(library);
}

// An object with exactly these own keys, `__proto__` included as a plain own key (as JSON.parse makes it).
function objectOf(entries: ReadonlyArray<readonly [string, unknown]>): Record<string, unknown> {
  const object: Record<string, unknown> = {};
  for (const [key, value] of entries) {
    if (value !== ABSENT) Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
  }
  return object;
}

const ABSENT = Symbol("absent");

const anyValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(ABSENT),
  fc.constant(undefined),
  fc.constant(null),
  fc.boolean(),
  fc.integer({ min: -3, max: 7 }),
  fc.double(),
  fc.string({ maxLength: 6 }),
  fc.constantFrom("", "order", "movie", "2024-05-01T12:00:00Z", "2024-05-01", "2024-02-30T00:00:00Z", "yesterday", "12"),
  fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 2 }),
  fc.dictionary(fc.constantFrom("id", "type", "x", "__proto__", "constructor"), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 }),
);

// Mostly valid, sometimes anything: the mix finds both accepted bodies and each kind of issue.
const field = <T>(valid: fc.Arbitrary<T>): fc.Arbitrary<unknown> => fc.oneof({ weight: 5, arbitrary: valid }, { weight: 1, arbitrary: anyValue });

const nonEmpty = fc.string({ minLength: 1, maxLength: 8 });
const instant = fc.date({ min: new Date("1970-01-01T00:00:00Z"), max: new Date("2100-01-01T00:00:00Z"), noInvalidDate: true });
const timestamp = instant.map((date) => date.toISOString());
const calendarDate = instant.map((date) => date.toISOString().slice(0, 10));
const extras = fc.array(fc.tuple(fc.constantFrom("extra", "__proto__", "constructor", "prototype", "livemode"), fc.jsonValue({ maxDepth: 2 })), { maxLength: 2 });

function withExtras(main: fc.Arbitrary<Array<readonly [string, unknown]>>): fc.Arbitrary<Record<string, unknown>> {
  return fc.tuple(extras, main).map(([extra, entries]) => objectOf([...extra, ...entries]));
}

const ref = (kind: string): fc.Arbitrary<unknown> =>
  withExtras(fc.tuple(field(nonEmpty), field(fc.constantFrom(kind, kind, "order", "movie")))
    .map(([id, type]) => [["id", id], ["type", type]] as const satisfies ReadonlyArray<readonly [string, unknown]>).map((e) => [...e]));

const order = withExtras(
  fc.tuple(field(nonEmpty), field(timestamp), field(fc.nat(50)), field(fc.nat(9999)), field(calendarDate)).map(([id, created, numItems, cost, date]) => [
    ["id", id],
    ["created", created],
    ["num_items", numItems],
    ["cost_cents", cost],
    ["delivery_date", date],
  ]),
);

const movie = withExtras(
  fc.tuple(field(nonEmpty), field(fc.string({ maxLength: 10 })), field(fc.integer({ min: 1900, max: 2030 }))).map(([id, title, year]) => [
    ["id", id],
    ["title", title],
    ["release_year", year],
  ]),
);

// Generators for the data of the types written so far; a type added since gets its emulator
// fixture's data, with extra fields (so every catalog type is covered with no edit here).
const dataOf: Partial<Record<keyof typeof eventCatalog, fc.Arbitrary<unknown>>> = {
  "order.shipped": withExtras(field(fc.constantFrom("usps", "ups", "")).map((service) => [["shipping_service", service]])),
  "order.delivery_attempted": withExtras(
    fc.tuple(field(fc.boolean()), field(fc.integer({ min: 0, max: 4 })), field(fc.string({ maxLength: 8 }))).map(([success, attempt, where]) => [
      ["success", success],
      ["attempt_num", attempt],
      ["delivery_location", where],
    ]),
  ),
  "order.lost": withExtras(field(fc.string({ maxLength: 8 })).map((city) => [["last_seen_city", city]])),
  "movie.started": withExtras(field(timestamp).map((date) => [["date", date]])),
  "movie.completed": withExtras(
    fc.tuple(field(fc.string({ maxLength: 8 })), field(fc.oneof(fc.double({ min: -1, max: 6, noNaN: true }), fc.integer({ min: 0, max: 5 })))).map(([user, rating]) => [
      ["user", user],
      ["rating", rating],
    ]),
  ),
};

function dataFor(type: keyof typeof eventCatalog): fc.Arbitrary<unknown> {
  return dataOf[type] ?? withExtras(fc.constant(Object.entries(fixtureData(type))));
}

// The emulator fixture's data, as JSON.parse gives it here (structuredClone's objects come from
// outside jest's sandbox, and the compiled path only takes plain objects of its own realm).
function fixtureData(type: keyof typeof eventCatalog): Record<string, unknown> {
  const data: unknown = JSON.parse(JSON.stringify(fixtureEvent(type).data));
  return typeof data === "object" && data !== null ? { ...data } : {};
}

function eventBody(type: string, kind: string | null, data: fc.Arbitrary<unknown> | undefined): fc.Arbitrary<Record<string, unknown>> {
  return withExtras(
    fc
      .tuple(
        field(fc.constantFrom("evt_1", "evt_abc")),
        field(fc.constantFrom(type, type, type, "order.shipped", UNKNOWN_TYPE)),
        fc.oneof({ weight: 4, arbitrary: kind === null ? fc.constant(ABSENT) : ref(kind) }, { weight: 1, arbitrary: fc.oneof(fc.constant(null), ref("order"), anyValue) }),
        data === undefined ? fc.constant(ABSENT) : field(data),
        // Most senders' events carry no `created`; the rest a timestamp, null or anything.
        fc.oneof({ weight: 2, arbitrary: fc.constant(ABSENT) }, { weight: 2, arbitrary: timestamp }, { weight: 1, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: anyValue }),
      )
      .map(([id, eventType, related, eventData, created]) => [
        ["id", id],
        ["type", eventType],
        ["related_object", related],
        ["data", eventData],
        ["created", created],
      ]),
  );
}

// A body as a framework hands it over (an object) or as it arrives (JSON text).
const asBody = (plain: fc.Arbitrary<Record<string, unknown>>): fc.Arbitrary<string | Record<string, unknown>> =>
  fc.tuple(plain, fc.boolean()).map(([object, asText]) => (asText ? JSON.stringify(object) : object));

const RUNS = 250;

describe("compiled hydrate-and-validate path", () => {
  afterEach(() => setCompiledHydration(true));

  for (const [type, row] of Object.entries(eventCatalog)) {
    it(`pushed ${type}: the same event or the same error as the library path`, () => {
      fc.assert(fc.property(asBody(eventBody(type, row.relatedObject, undefined)), (body) => expectSameOnBothPaths(() => parseThinEvent(body))), { numRuns: RUNS });
    });

    it(`full ${type}: the same event or the same error as the library path`, () => {
      fc.assert(
        fc.property(asBody(eventBody(type, row.relatedObject, dataFor(type as keyof typeof eventCatalog))), (body) => expectSameOnBothPaths(() => parseFullEvent(body))),
        { numRuns: RUNS },
      );
    });
  }

  it("unknown types, pushed, full and v1: the same result as the library path", () => {
    const body = asBody(eventBody(UNKNOWN_TYPE, "movie", fc.jsonValue({ maxDepth: 2 })));
    fc.assert(
      fc.property(body, (plain) => {
        expectSameOnBothPaths(() => parseThinEvent(plain));
        expectSameOnBothPaths(() => parseFullEvent(plain));
        expectSameOnBothPaths(() => parseGenericThinEvent(plain));
      }),
      { numRuns: RUNS },
    );
  });

  it("Order and Movie: the same object or the same error as the library path", () => {
    fc.assert(
      fc.property(order, movie, (orderPlain, moviePlain) => {
        expectSameOnBothPaths(() => hydrate(Order, orderPlain, "order"));
        expectSameOnBothPaths(() => hydrate(Movie, moviePlain, "movie"));
      }),
      { numRuns: RUNS },
    );
  });

  it("takes the compiled path for valid bodies of every catalog class and related object", () => {
    const related = { order: { id: "ord_1", type: "order" }, movie: { id: "mov_1", type: "movie" } } as const;
    const data: Partial<Record<keyof typeof eventCatalog, object>> = {
      "order.shipped": { shipping_service: "usps" },
      "order.delivery_attempted": { success: false, attempt_num: 2, delivery_location: "porch" },
      "order.lost": { last_seen_city: "Reno" },
      "movie.started": { date: "2024-05-01T12:00:00Z" },
      "movie.completed": { user: "ann", rating: 4.5 },
    };
    for (const [type, entry] of Object.entries(eventCatalog)) {
      const row: EventCatalogRow = entry;
      const thin = { id: "evt_1", type, ...(row.relatedObject ? { related_object: related[row.relatedObject] } : {}) };
      expect(hydrateCompiled(row.pushed, thin)).toBeInstanceOf(row.pushed);
      const full = hydrateCompiled(row.full, { ...thin, data: data[type as keyof typeof eventCatalog] ?? fixtureData(type as keyof typeof eventCatalog) });
      expect(full).toBeInstanceOf(row.full);
      expect(full?.relatedObject === undefined || full.relatedObject instanceof RelatedObjectRef).toBe(true);
    }
    const created = hydrateCompiled(Order, { id: "ord_1", created: "2024-05-01T12:00:00Z", num_items: 1, cost_cents: 0, delivery_date: "2024-05-03" });
    expect(created?.deliveryDate).toEqual(new Date("2024-05-03T00:00:00Z"));
    expect(hydrateCompiled(Movie, { id: "mov_1", title: "Up", release_year: 2009 })).toBeInstanceOf(Movie);
  });

  it("leaves invalid bodies, deep bodies and arrays to the library path", () => {
    expect(hydrateCompiled(Movie, { id: "mov_1", title: 7, release_year: 2009 })).toBeUndefined();
    expect(hydrateCompiled(Movie, { id: ["mov_1"], title: "Up", release_year: 2009 })).toBeUndefined();
    let deep: unknown = 1;
    for (let i = 0; i < 70; i++) deep = [deep];
    expect(hydrateCompiled(Movie, { id: "mov_1", title: "Up", release_year: 2009, extra: deep })).toBeUndefined();
    expectSameOnBothPaths(() => hydrate(Movie, { id: "mov_1", title: "Up", release_year: 2009, extra: deep }, "movie"));
  });

  it("runs a custom validation decorator, and falls back for options it does not model", () => {
    function IsShortCode(options?: ValidationOptions): PropertyDecorator {
      return (target, property) =>
        registerDecorator({
          name: "isShortCode",
          target: target.constructor,
          propertyName: String(property),
          options: options ?? {},
          validator: { validate: (value: unknown) => typeof value === "string" && /^[A-Z]{3}$/.test(value) },
        });
    }
    class Airport {
      @Expose() @IsShortCode() readonly code!: string;
    }
    class Trip {
      @Expose() @IsString({ each: true }) readonly legs!: string;
      @Expose() @ValidateNested() @Type(() => Airport) readonly from!: Airport;
    }
    expect(hydrateCompiled(Airport, { code: "SFO" })).toBeInstanceOf(Airport);
    expect(hydrateCompiled(Airport, { code: "sfo" })).toBeUndefined();
    expect(hydrateCompiled(Trip, { legs: "a", from: { code: "SFO" } })).toBeUndefined(); // `each` is left to the library
    expectSameOnBothPaths(() => hydrate(Airport, { code: "sfo" }, "airport"));
    expectSameOnBothPaths(() => hydrate(Airport, { code: "SFO" }, "airport"));
    expectSameOnBothPaths(() => hydrate(Trip, { legs: "a", from: { code: "SFO" } }, "trip"));
  });

  it("falls back to the library path where code generation from strings is disabled", () => {
    class Ticket {
      @Expose() @IsString() readonly seat!: string;
    }
    const realFunction = globalThis.Function;
    globalThis.Function = function refuse(): never {
      throw new EvalError("Code generation from strings disallowed for this context");
    } as unknown as FunctionConstructor;
    let compiled: Ticket | undefined;
    try {
      compiled = hydrateCompiled(Ticket, { seat: "12A" }); // the class is compiled (and refused) here, once
    } finally {
      globalThis.Function = realFunction;
    }
    expect(compiled).toBeUndefined();
    expect(hydrateCompiled(Ticket, { seat: "12A" })).toBeUndefined();
    const ticket = hydrate(Ticket, { seat: "12A" }, "ticket");
    expect(ticket).toBeInstanceOf(Ticket);
    expect(ticket.seat).toBe("12A");
  });
});
