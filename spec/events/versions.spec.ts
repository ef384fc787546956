import fc from "fast-check";
import {
  CactusClient,
  CactusConfigError,
  CactusValidationError,
  MovieCompletedData,
  MovieCompletedEvent,
  MovieCompletedPushedEvent,
  OrderDeliveryAttemptedData,
  OrderDeliveryAttemptedEvent,
  OrderShippedEvent,
  UnknownFullEvent,
} from "../../lib";
import {
  CACTUS_API_VERSIONS,
  CURRENT_API_VERSION,
  dataVersions,
  eventCatalog,
  MovieCompletedData20240101,
  MovieCompletedData20250601,
  setApiVersionWarningLogger,
  type CactusApiVersion,
} from "../../lib/events";
import { resetApiVersionWarnings } from "../../lib/events/api-versions";
import { parseFullEvent, parseThinEvent } from "../../lib/events/parse";

const movie = { id: "mov_1", type: "movie" };
const order = { id: "ord_1", type: "order" };
const completed = (data: Record<string, unknown>, apiVersion?: string): Record<string, unknown> => ({
  id: "evt_mc",
  type: "movie.completed",
  related_object: movie,
  data,
  ...(apiVersion === undefined ? {} : { api_version: apiVersion }),
});
const attempted = (data: Record<string, unknown>, apiVersion?: string): Record<string, unknown> => ({
  id: "evt_da",
  type: "order.delivery_attempted",
  related_object: order,
  data,
  ...(apiVersion === undefined ? {} : { api_version: apiVersion }),
});

// The warnings about newer versions, captured (a user would pass their logger the same way).
const warnings: { fields: Record<string, unknown>; message: string }[] = [];
beforeAll(() => setApiVersionWarningLogger({ warn: (fields, message) => void warnings.push({ fields, message }) }));
afterAll(() => setApiVersionWarningLogger(undefined));
beforeEach(() => {
  warnings.length = 0;
  resetApiVersionWarnings();
});

describe("API versions: what the SDK knows", () => {
  it("lists its versions oldest first, the current one last", () => {
    expect([...CACTUS_API_VERSIONS]).toEqual([...CACTUS_API_VERSIONS].sort());
    expect(CACTUS_API_VERSIONS.at(-1)).toBe(CURRENT_API_VERSION);
  });

  it("declares each row's older shapes at known versions, oldest first, today's class being the full class's data", () => {
    for (const row of Object.values(eventCatalog)) {
      const versions = "versions" in row ? row.versions : undefined;
      if (versions === undefined) continue;
      expect(versions.current).toBe(Reflect.getMetadata("design:type", row.full.prototype, "data"));
      const declared = versions.older.map((step) => step.apiVersion);
      expect(declared).toEqual([...declared].sort());
      for (const version of declared) expect(CACTUS_API_VERSIONS).toContain(version);
      expect(declared).not.toContain(CURRENT_API_VERSION);
    }
  });

  it("refuses to build a chain out of order or at an unknown version", () => {
    const chain = dataVersions(MovieCompletedData).from("2025-06-01", MovieCompletedData20250601, (old) => ({ user: old.user, rating: old.stars }));
    expect(() => chain.from("2025-06-01", MovieCompletedData20240101, (old) => ({ user: old.viewer, stars: old.stars }))).toThrow(CactusConfigError);
    expect(() => dataVersions(MovieCompletedData).from("2019-01-01" as CactusApiVersion, MovieCompletedData20250601, (old) => ({ user: old.user, rating: old.stars }))).toThrow(
      /2019-01-01 of MovieCompletedData20250601 must be a known API version/,
    );
  });
});

describe("API versions: parsing each version", () => {
  it("2025-06-01 -> current: movie.completed stars become rating, validated against the old class first", () => {
    const event = parseFullEvent(completed({ user: "ada", stars: 4 }, "2025-06-01"));
    expect(event).toBeInstanceOf(MovieCompletedEvent);
    if (!(event instanceof MovieCompletedEvent)) return;
    expect(event.data).toBeInstanceOf(MovieCompletedData);
    expect(event.data).toEqual({ user: "ada", rating: 4 });
    expect(event.apiVersion).toBe("2025-06-01");
    expect(event.data).not.toHaveProperty("stars");
  });

  it("2025-06-01 -> current: order.delivery_attempted attempt becomes attempt_num", () => {
    const event = parseFullEvent(attempted({ success: true, attempt: 3, delivery_location: "porch" }, "2025-06-01"));
    expect(event).toBeInstanceOf(OrderDeliveryAttemptedEvent);
    if (!(event instanceof OrderDeliveryAttemptedEvent)) return;
    expect(event.data).toBeInstanceOf(OrderDeliveryAttemptedData);
    expect(event.data).toEqual({ success: true, attemptNum: 3, deliveryLocation: "porch" });
  });

  it("2024-01-01 -> 2025-06-01 -> current: a chain of two upcasters, each shape validated", () => {
    const event = parseFullEvent(completed({ viewer: "grace", stars: 2 }, "2024-01-01"));
    expect(event).toBeInstanceOf(MovieCompletedEvent);
    expect(event.data).toEqual({ user: "grace", rating: 2 });
    expect(event.apiVersion).toBe("2024-01-01");
    // order.delivery_attempted declares nothing at 2024-01-01: its 2025-06-01 shape was already there.
    expect(parseFullEvent(attempted({ success: false, attempt: 1, delivery_location: "door" }, "2024-01-01")).data).toEqual({ success: false, attemptNum: 1, deliveryLocation: "door" });
  });

  it("a type whose data never changed parses the same in every known version", () => {
    for (const version of CACTUS_API_VERSIONS) {
      const event = parseFullEvent({ id: "evt_s", type: "order.shipped", related_object: order, data: { shipping_service: "ups" }, api_version: version });
      expect(event).toBeInstanceOf(OrderShippedEvent);
      expect(event.apiVersion).toBe(version);
    }
  });

  it("an old payload is checked against its own class: today's names or out-of-range values are refused, naming data.<old field>", () => {
    const paths = (error: CactusValidationError): string[] => [...new Set(error.issues.map((issue) => issue.path))];
    const caught = (plain: Record<string, unknown>): CactusValidationError => {
      try {
        parseFullEvent(plain);
      } catch (error) {
        if (error instanceof CactusValidationError) return error;
        throw error;
      }
      throw new Error("expected a CactusValidationError");
    };
    const outOfRange = caught(completed({ user: "ada", stars: 7 }, "2025-06-01"));
    expect(outOfRange.issues.map((issue) => issue.path)).toEqual(["data.stars"]);
    expect(outOfRange.message).toContain("(api_version 2025-06-01)");
    expect(caught(completed({ user: "ada", stars: 3.5 }, "2025-06-01")).issues[0]?.rule).toBe("isInt");
    expect(paths(caught(completed({ user: "ada", rating: 4 }, "2025-06-01")))).toEqual(["data.stars"]);
    expect(paths(caught(completed({ user: "ada", stars: 4 }, "2024-01-01")))).toEqual(["data.viewer"]);
    expect(paths(caught(completed({ user: "ada", stars: 4 })))).toEqual(["data.rating"]);
  });

  it("refuses a malformed api_version, or an older one the SDK does not know, naming the known versions", () => {
    for (const [value, rule] of [[42, "isApiVersion"], ["yesterday", "isApiVersion"], ["2025-13-01", "isApiVersion"], ["2025-09-01", "knownApiVersion"], ["2019-01-01", "knownApiVersion"]] as const) {
      const parses = [
        () => parseFullEvent({ ...completed({ user: "ada", rating: 4 }), api_version: value }),
        () => parseThinEvent({ id: "evt_x", type: "order.shipped", related_object: order, api_version: value }),
      ];
      for (const parse of parses) {
        let error: unknown;
        try {
          parse();
        } catch (caught) {
          error = caught;
        }
        expect(error).toBeInstanceOf(CactusValidationError);
        if (!(error instanceof CactusValidationError)) return;
        expect(error.issues[0]).toMatchObject({ path: "api_version", rule });
        if (rule === "knownApiVersion") expect(error.message).toContain(CACTUS_API_VERSIONS.join(", "));
      }
    }
  });

  it("a missing version is the pinned one: a client pinned to 2025-06-01 upcasts a payload without api_version", () => {
    expect(parseFullEvent(completed({ user: "ada", rating: 5 })).apiVersion).toBe(CURRENT_API_VERSION);
    const pinned = parseFullEvent(completed({ user: "ada", stars: 5 }), "event", "2025-06-01");
    expect(pinned.data).toEqual({ user: "ada", rating: 5 });
    expect(pinned.apiVersion).toBe("2025-06-01");
    const client = new CactusClient({ apiKey: "sk_test_versions", baseUrl: "http://127.0.0.1:9", apiVersion: "2025-06-01" });
    const thin = client.parseEventV2({ id: "evt_1", type: "movie.completed", related_object: movie });
    expect(thin).toBeInstanceOf(MovieCompletedPushedEvent);
    expect(thin.apiVersion).toBe("2025-06-01");
    expect(client.parseEventV2({ id: "evt_1", type: "movie.completed", related_object: movie, api_version: CURRENT_API_VERSION }).apiVersion).toBe(CURRENT_API_VERSION);
  });

  it("a client pins only versions it knows, and names them when refusing", () => {
    expect(new CactusClient({ apiKey: "sk_test_versions", baseUrl: "http://127.0.0.1:9" }).apiVersion).toBe(CURRENT_API_VERSION);
    expect(() => new CactusClient({ apiKey: "sk_test_versions", baseUrl: "http://127.0.0.1:9", apiVersion: "2030-01-01" as CactusApiVersion })).toThrow(
      new CactusConfigError(`apiVersion must be an API version this SDK knows (${CACTUS_API_VERSIONS.join(", ")}); got "2030-01-01"`),
    );
  });
});

describe("API versions: a version newer than the SDK's", () => {
  const newer = "2099-01-01";

  it("never fails: known fields typed and validated, the others kept in extraFields and written back by toJSON", () => {
    const plain = { ...completed({ user: "ada", rating: 3, rating_scale: 10, detail: { device: "tv" } }, newer), region: "eu" };
    const event = parseFullEvent(plain);
    expect(event).toBeInstanceOf(MovieCompletedEvent);
    expect(event.data).toEqual({ user: "ada", rating: 3 });
    expect(event.apiVersion).toBe(newer);
    expect(event.extraFields).toEqual({ region: "eu", data: { rating_scale: 10, detail: { device: "tv" } } });
    expect(JSON.parse(JSON.stringify(event))).toEqual(plain);
  });

  it("still validates the fields it knows", () => {
    expect(() => parseFullEvent(completed({ user: "ada", rating: 9, extra: true }, newer))).toThrow(CactusValidationError);
  });

  it("keeps a thin event's extra fields too, and an unknown type's data whole", () => {
    const thin = parseThinEvent({ id: "evt_t", type: "order.shipped", related_object: { ...order, region: "eu" }, api_version: newer, priority: "high" });
    expect(thin.apiVersion).toBe(newer);
    expect(thin.extraFields).toEqual({ priority: "high", related_object: { region: "eu" } });
    const unknown = parseFullEvent({ id: "evt_u", type: "order.refunded", data: { amount_cents: 5 }, api_version: newer });
    expect(unknown).toBeInstanceOf(UnknownFullEvent);
    expect(unknown.data).toEqual({ amount_cents: 5 });
  });

  it("logs one warning per newer version, whatever the number of events", () => {
    for (let i = 0; i < 5; i++) parseFullEvent(completed({ user: "ada", rating: 1 }, newer));
    parseThinEvent({ id: "evt_t", type: "order.shipped", related_object: order, api_version: newer });
    parseFullEvent(completed({ user: "ada", rating: 1 }, "2100-02-03"));
    expect(warnings.map((warning) => warning.fields["api_version"])).toEqual([newer, "2100-02-03"]);
    expect(warnings[0]?.message).toContain(`newer than this SDK's ${CURRENT_API_VERSION}`);
  });

  it("a current-version payload has no extra fields and writes its version back as it came", () => {
    const event = parseFullEvent({ ...completed({ user: "ada", rating: 2, surprise: 1 }, CURRENT_API_VERSION) });
    expect(event.extraFields).toEqual({});
    expect(JSON.parse(JSON.stringify(event))).toEqual(completed({ user: "ada", rating: 2 }, CURRENT_API_VERSION));
    expect(JSON.parse(JSON.stringify(parseFullEvent(completed({ user: "ada", rating: 2 }))))).toEqual(completed({ user: "ada", rating: 2 }));
  });
});

describe("API versions: upcasting then serialising is stable (property)", () => {
  const user = fc.string({ maxLength: 12 });
  const stars = fc.integer({ min: 1, max: 5 });
  const oldEvent = fc.oneof(
    fc.record({ user, stars }).map((data) => completed(data, "2025-06-01")),
    fc.record({ viewer: user, stars }).map((data) => completed(data, "2024-01-01")),
    fc
      .record({ success: fc.boolean(), attempt: fc.integer({ min: 1, max: 1_000_000 }), delivery_location: fc.string({ maxLength: 12 }) })
      .chain((data) => fc.constantFrom<CactusApiVersion>("2024-01-01", "2025-06-01").map((version) => attempted(data, version))),
  );

  it("an old event upcast and written out parses again to the same event, written out the same, as the current version", () => {
    fc.assert(
      fc.property(oldEvent, (plain) => {
        const once = parseFullEvent(plain);
        const written = JSON.parse(JSON.stringify(once));
        expect(written["api_version"]).toBe(CURRENT_API_VERSION);
        const twice = parseFullEvent(written);
        expect(twice.constructor).toBe(once.constructor);
        expect(twice.data).toEqual(once.data);
        expect(JSON.parse(JSON.stringify(twice))).toEqual(written);
      }),
    );
  });

  it("the upcast keeps what the old shape said (stars as the rating, attempt as attempt_num)", () => {
    fc.assert(
      fc.property(fc.record({ user, stars }), (data) => {
        expect(parseFullEvent(completed(data, "2025-06-01")).data).toEqual({ user: data.user, rating: data.stars });
      }),
    );
  });
});
