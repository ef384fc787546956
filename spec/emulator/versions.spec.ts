import {
  CactusClient,
  CactusConfigError,
  CactusHandler,
  MovieCompletedData,
  MovieCompletedEvent,
  OrderDeliveryAttemptedEvent,
  type BaseThinEvent,
  type MovieCompletedPushedEvent,
} from "../../lib";
import { runCli } from "../../lib/cli/main";
import { CactusEmulator } from "../../lib/emulator";
import { fixtureEvent } from "../../lib/emulator/fixtures";
import { downgradeOf } from "../../lib/emulator/versions";
import { CACTUS_API_VERSIONS, CURRENT_API_VERSION, cactusEventTypes, eventCatalog, type CactusApiVersion } from "../../lib/events";
import { parseFullEvent } from "../../lib/events/parse";
import { capture } from "../cli/capture";

describe("the emulator's API versions", () => {
  let emulator: CactusEmulator;
  const headersSeen: Headers[] = [];
  const clientPinned = (apiVersion?: CactusApiVersion): CactusClient =>
    new CactusClient({
      apiKey: emulator.apiKey,
      baseUrl: emulator.url,
      maxRetries: 0,
      ...(apiVersion === undefined ? {} : { apiVersion }),
      fetch: (url, init) => {
        headersSeen.push(new Headers(init.headers));
        return fetch(url, init);
      },
    });
  const get = async (path: string, version?: string): Promise<Response> =>
    fetch(`${emulator.url}${path}`, { headers: { authorization: `Bearer ${emulator.apiKey}`, ...(version === undefined ? {} : { "cactus-version": version }) } });

  beforeAll(async () => {
    emulator = await CactusEmulator.start();
  });
  afterAll(() => emulator.close());
  beforeEach(() => {
    headersSeen.length = 0;
  });

  it("has a downgrade for every older shape a catalog row declares", () => {
    for (const type of cactusEventTypes) {
      const row = eventCatalog[type];
      for (const step of "versions" in row ? row.versions.older : []) expect([type, step.apiVersion, typeof downgradeOf(type, step.apiVersion)]).toEqual([type, step.apiVersion, "function"]);
    }
  });

  it("its fixtures exist in every version, each valid against that version's classes", () => {
    for (const type of cactusEventTypes) {
      for (const version of CACTUS_API_VERSIONS) {
        const wire = fixtureEvent(type, undefined, version);
        expect(wire.api_version).toBe(version);
        // Parsed as that version, upcast: the same event as today's fixture (rating 4.5 rounds to 5 stars).
        expect(parseFullEvent(wire).type).toBe(type);
      }
    }
    expect(fixtureEvent("movie.completed", "evt_x", "2025-06-01").data).toEqual({ user: "ada", stars: 5 });
    expect(fixtureEvent("movie.completed", "evt_x", "2024-01-01").data).toEqual({ viewer: "ada", stars: 5 });
    expect(fixtureEvent("order.delivery_attempted", "evt_x", "2025-06-01").data).toEqual({ success: false, attempt: 1, delivery_location: "front door" });
  });

  it("answers in the Cactus-Version a request asks for, and in today's without one", async () => {
    expect(await (await get("/v2/events/evt_movie_completed")).json()).toMatchObject({ api_version: CURRENT_API_VERSION, data: { user: "ada", rating: 4.5 } });
    expect(await (await get("/v2/events/evt_movie_completed", "2025-06-01")).json()).toMatchObject({ api_version: "2025-06-01", data: { user: "ada", stars: 5 } });
    expect(await (await get("/v2/events/evt_movie_completed", "2024-01-01")).json()).toMatchObject({ api_version: "2024-01-01", data: { viewer: "ada", stars: 5 } });
    expect(await (await get("/v2/events/evt_order_shipped", "2024-01-01")).json()).toMatchObject({ api_version: "2024-01-01", data: { shipping_service: "usps" } });
  });

  it("refuses an unknown Cactus-Version with a 400 naming the known ones", async () => {
    for (const version of ["2025-09-01", "2099-01-01", "latest"]) {
      const response = await get("/v2/events/evt_movie_completed", version);
      expect(response.status).toBe(400);
      const body: unknown = await response.json();
      expect(body).toEqual({ error: { type: "invalid_request_error", message: `Unknown Cactus-Version ${JSON.stringify(version)}: this API knows ${CACTUS_API_VERSIONS.join(", ")}` } });
    }
  });

  it("a client sends Cactus-Version: <its pinned version> on every request", async () => {
    const current = clientPinned();
    const old = clientPinned("2025-06-01");
    await current.retrieveEvent("evt_order_shipped");
    await current.retrieveOrder("ord_456");
    await old.retrieveMovie("mov_789");
    await old.listEventsPage({ limit: 1 });
    expect(headersSeen.map((headers) => headers.get("cactus-version"))).toEqual([CURRENT_API_VERSION, CURRENT_API_VERSION, "2025-06-01", "2025-06-01"]);
  });

  it("an old-version event reaches a current handler upcast, whether the API or the SDK upcasts it", async () => {
    const created = emulator.createEvent("movie.completed", { apiVersion: "2025-06-01", data: { stars: 2 } });
    expect(created).toMatchObject({ api_version: "2025-06-01", data: { user: "ada", stars: 2 } });
    const thin = emulator.thinEventOf(created.id);
    expect(thin.api_version).toBe("2025-06-01");
    const seen: { rating: number; data: unknown; arrived: string; pulled: string }[] = [];
    class Ratings extends CactusHandler {
      override async onMovieCompleted(event: MovieCompletedPushedEvent): Promise<void> {
        const full = await event.pull();
        seen.push({ rating: full.data.rating, data: full.data, arrived: event.apiVersion, pulled: full.apiVersion });
      }
      override async onOther(event: BaseThinEvent): Promise<void> {
        throw new Error(`unexpected ${event.type}`);
      }
    }
    // Pinned to today: the API answers in today's shape. Pinned to 2025-06-01: the SDK upcasts.
    await new Ratings(clientPinned()).handle(JSON.stringify(thin));
    await new Ratings(clientPinned("2025-06-01")).handle(JSON.stringify(thin));
    await new Ratings(clientPinned("2024-01-01")).handle(JSON.stringify(thin));
    expect(seen).toEqual([
      { rating: 2, data: expect.any(MovieCompletedData), arrived: "2025-06-01", pulled: CURRENT_API_VERSION },
      { rating: 2, data: expect.any(MovieCompletedData), arrived: "2025-06-01", pulled: "2025-06-01" },
      { rating: 2, data: expect.any(MovieCompletedData), arrived: "2025-06-01", pulled: "2024-01-01" },
    ]);
  });

  it("retrieveEvent of a client pinned to an old version gives today's classes", async () => {
    const event = await clientPinned("2025-06-01").retrieveEvent("evt_order_delivery_attempted");
    expect(event).toBeInstanceOf(OrderDeliveryAttemptedEvent);
    expect(event.data).toEqual({ success: false, attemptNum: 1, deliveryLocation: "front door" });
    const movie = await clientPinned("2024-01-01").retrieveEvent("evt_movie_completed");
    expect(movie).toBeInstanceOf(MovieCompletedEvent);
    expect(movie.data).toEqual({ user: "ada", rating: 5 });
  });

  it("POST /v2/events creates an event in the api_version asked for, and refuses an unknown one", async () => {
    const post = (body: unknown): Promise<Response> =>
      fetch(`${emulator.url}/v2/events`, { method: "POST", headers: { authorization: `Bearer ${emulator.apiKey}`, "content-type": "application/json" }, body: JSON.stringify(body) });
    const created = await post({ type: "order.delivery_attempted", api_version: "2025-06-01" });
    expect(created.status).toBe(201);
    const thin = (await created.json()) as { id: string; api_version?: string };
    expect(thin.api_version).toBe("2025-06-01");
    expect(await (await get(`/v2/events/${thin.id}`, "2025-06-01")).json()).toMatchObject({ data: { attempt: 1 } });
    expect(await (await get(`/v2/events/${thin.id}`)).json()).toMatchObject({ data: { attempt_num: 1 } });
    const wrongShape = await post({ type: "order.delivery_attempted", api_version: "2025-06-01", data: { success: true, attempt_num: 2, delivery_location: "x" } });
    expect(wrongShape.status).toBe(400);
    expect(JSON.stringify(await wrongShape.json())).toContain("data.attempt");
    expect((await post({ type: "order.shipped", api_version: "2020-01-01" })).status).toBe(400);
  });

  it("an emulator can default to an older version, and refuses to be built with an unknown one", async () => {
    const old = await CactusEmulator.start({ apiVersion: "2025-06-01" });
    try {
      const body: unknown = await (await fetch(`${old.url}/v2/events/evt_movie_completed`, { headers: { authorization: `Bearer ${old.apiKey}` } })).json();
      expect(body).toMatchObject({ api_version: "2025-06-01", data: { stars: 5 } });
    } finally {
      await old.close();
    }
    expect(() => new CactusEmulator({ apiVersion: "2000-01-01" as CactusApiVersion })).toThrow(CactusConfigError);
    expect(() => emulator.createEvent("order.shipped", { apiVersion: "1999-01-01" as CactusApiVersion })).toThrow(/createEvent apiVersion must be an API version/);
  });

  it("cactus trigger --api-version creates the event in that version; an unknown one is a usage error", async () => {
    const { io, out } = capture();
    expect(await runCli(["trigger", "movie.completed", "--api-url", emulator.url, "--api-version", "2024-01-01", "--json"], io)).toBe(0);
    const report = JSON.parse(out.join("\n")) as { created: { id: string; api_version?: string }[] };
    const [made] = report.created;
    expect(made?.api_version).toBe("2024-01-01");
    expect(await (await get(`/v2/events/${made?.id ?? ""}`, "2024-01-01")).json()).toMatchObject({ data: { viewer: "ada", stars: 5 } });
    const bad = capture();
    expect(await runCli(["trigger", "movie.completed", "--api-url", emulator.url, "--api-version", "2025-09-01"], bad.io)).toBe(2);
    expect(bad.err.join("\n")).toContain(CACTUS_API_VERSIONS.join(", "));
  });
});
