import { CactusApiError, CactusClient, CactusValidationError, MovieStartedPushedEvent, Order, OrderLostEvent, OrderShippedPushedEvent, UnknownPushedEvent, type CactusEventType, type PushedThinEvent } from "../../lib";
import { CactusArgumentError, CactusResponseMismatchError } from "../../lib/errors/public";
import { CactusEmulator, FIXTURE_ORDER } from "../../lib/emulator";
import { startRawServer, type RawServer } from "./raw-server";
import { failureOf } from "../helpers/failure-of";

async function collect<T>(events: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const event of events) all.push(event);
  return all;
}

describe("client.listEvents against the emulator", () => {
  let emulator: CactusEmulator;
  let client: CactusClient;
  const at = (iso: string): Date => new Date(iso);

  beforeEach(async () => {
    emulator = await CactusEmulator.start({ seed: false });
    emulator.addOrder(FIXTURE_ORDER);
    emulator.createEvent("order.shipped", { id: "evt_a", created: at("2024-05-01T10:00:00Z") });
    emulator.createEvent("order.lost", { id: "evt_b", created: at("2024-05-01T11:00:00Z") });
    emulator.createEvent("movie.started", { id: "evt_c", created: at("2024-05-01T12:00:00Z") });
    emulator.createEvent("order.shipped", { id: "evt_d", created: at("2024-05-01T13:00:00Z") });
    emulator.createEvent("order.refunded", { id: "evt_e", created: at("2024-05-01T14:00:00Z") });
    client = new CactusClient({ apiKey: emulator.apiKey, baseUrl: emulator.url, maxRetries: 0 });
  });
  afterEach(() => emulator.close());

  const listPaths = (): string[] => emulator.requests.map((request) => request.path).filter((path) => path.startsWith("/v2/events?") || path === "/v2/events");

  it("yields every event newest first, following has_more with starting_after", async () => {
    const events = await collect(client.listEvents({ limit: 2 }));
    expect(events.map((event) => event.id)).toEqual(["evt_e", "evt_d", "evt_c", "evt_b", "evt_a"]);
    expect(listPaths()).toEqual(["/v2/events?limit=2", "/v2/events?starting_after=evt_d&limit=2", "/v2/events?starting_after=evt_b&limit=2"]);
    expect(events[0]).toBeInstanceOf(UnknownPushedEvent);
    expect(events[1]).toBeInstanceOf(OrderShippedPushedEvent);
    expect(events[2]).toBeInstanceOf(MovieStartedPushedEvent);
  });

  it("binds each event to the client, so pull() and fetchRelatedObject() work", async () => {
    const [shipped] = await collect(client.listEvents({ type: "order.shipped", limit: 1 }));
    expect(shipped).toBeInstanceOf(OrderShippedPushedEvent);
    const order = await shipped?.fetchRelatedObject();
    expect(order).toBeInstanceOf(Order);
    const lost = (await collect(client.listEvents({ type: "order.lost" })))[0];
    expect(await lost?.pull()).toBeInstanceOf(OrderLostEvent);
  });

  it("filters by type and createdAfter, and starts after a cursor", async () => {
    expect((await collect(client.listEvents({ type: "order.shipped" }))).map((event) => event.id)).toEqual(["evt_d", "evt_a"]);
    expect((await collect(client.listEvents({ createdAfter: at("2024-05-01T11:30:00Z") }))).map((event) => event.id)).toEqual(["evt_e", "evt_d", "evt_c"]);
    expect((await collect(client.listEvents({ startingAfter: "evt_c" }))).map((event) => event.id)).toEqual(["evt_b", "evt_a"]);
    expect(listPaths()).toContain("/v2/events?created_after=2024-05-01T11%3A30%3A00.000Z");
  });

  it("fetches the next page only when the loop needs it", async () => {
    for await (const event of client.listEvents({ limit: 2 })) {
      if (event.id === "evt_d") break;
    }
    expect(listPaths()).toHaveLength(1);
  });

  it("catches up after an outage: everything created since the last event handled", async () => {
    const lastHandled = at("2024-05-01T11:00:00Z"); // evt_b was the last event handled before the outage
    const missed: PushedThinEvent[] = [];
    for await (const event of client.listEvents({ createdAfter: lastHandled, limit: 100 })) missed.push(event);
    expect(missed.map((event) => event.id)).toEqual(["evt_e", "evt_d", "evt_c"]);
  });

  it("listEventsPage answers one page and the cursor of the next", async () => {
    const first = await client.listEventsPage({ limit: 3 });
    expect(first.data.map((event) => event.id)).toEqual(["evt_e", "evt_d", "evt_c"]);
    expect(first).toMatchObject({ hasMore: true, nextStartingAfter: "evt_c" });
    const second = await client.listEventsPage({ limit: 3, startingAfter: first.nextStartingAfter });
    expect(second.data.map((event) => event.id)).toEqual(["evt_b", "evt_a"]);
    expect(second).toMatchObject({ hasMore: false, nextStartingAfter: undefined });
  });

  it.each([
    ["limit 0", { limit: 0 }, "limit"],
    ["limit 101", { limit: 101 }, "limit"],
    ["a fractional limit", { limit: 2.5 }, "limit"],
    ["a misspelled type", { type: "order.shiped" as CactusEventType }, "type"],
    ["an invalid date", { createdAfter: new Date("nope") }, "createdAfter"],
    ["a cursor with a slash", { startingAfter: "../x" }, "id"],
  ])("rejects %s at the call, before any request", (_name, params, argument) => {
    let error: unknown;
    try {
      client.listEvents(params);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(CactusArgumentError);
    expect(error).toMatchObject({ argument });
    expect(emulator.requests).toEqual([]);
  });

  it("passes per-call options to every page request", async () => {
    const error = await failureOf(collect(client.listEvents({}, { signal: AbortSignal.abort() })));
    expect(error).toMatchObject({ code: "aborted" });
    expect(emulator.requests).toEqual([]);
  });
});

describe("client.listEvents against a misbehaving API", () => {
  let server: RawServer;
  let answer: (url: URL) => unknown;
  beforeAll(async () => {
    server = await startRawServer((req, res) => {
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(answer(new URL(req.url ?? "/", "http://x"))));
    });
  });
  afterAll(() => server.close());
  beforeEach(() => server.paths.splice(0));

  const client = (): CactusClient => new CactusClient({ apiKey: "sk_test_x", baseUrl: server.url, maxRetries: 0 });
  const lost = (id: string): object => ({ id, type: "order.lost" });

  it("rejects an event of another type than the filter asked for", async () => {
    answer = () => ({ data: [lost("evt_1")], has_more: false });
    const error = await failureOf(collect(client().listEvents({ type: "order.shipped" })));
    expect(error).toBeInstanceOf(CactusResponseMismatchError);
    expect(error).toMatchObject({ code: "response_type_mismatch", expected: "order.shipped", received: "order.lost" });
  });

  it("stops with an error instead of looping when the API ignores the cursor", async () => {
    answer = () => ({ data: [lost("evt_1"), lost("evt_2")], has_more: true });
    const error = await failureOf(collect(client().listEvents()));
    expect(error).toBeInstanceOf(CactusApiError);
    expect(error).toMatchObject({ code: "invalid_response" });
    expect(server.paths).toHaveLength(2);
  });

  it.each([
    ["has_more with no data", { data: [], has_more: true }],
    ["no data array", { has_more: false }],
    ["no has_more", { data: [] }],
    ["an item that is not an object", { data: ["evt_1"], has_more: false }],
    ["an array", [lost("evt_1")]],
  ])("rejects a page with %s as invalid_response", async (_name, body) => {
    answer = () => body;
    expect(await failureOf(client().listEventsPage())).toMatchObject({ code: "invalid_response", status: 200 });
  });

  it("rejects a malformed event of a known type with CactusValidationError", async () => {
    answer = () => ({ data: [{ id: "evt_1", type: "order.shipped" }], has_more: false });
    expect(await failureOf(client().listEventsPage())).toBeInstanceOf(CactusValidationError);
  });
});
