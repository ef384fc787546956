import { CactusEmulator } from "../../lib/emulator";
import { CactusConfigError } from "../../lib/errors";
import { SEEDED_EVENT_IDS } from "../helpers/emulator";

describe("GET /v2/events on the emulator", () => {
  let emulator: CactusEmulator;
  beforeEach(async () => {
    emulator = await CactusEmulator.start({ seed: false });
  });
  afterEach(() => emulator.close());

  async function list(query = "", headers: Record<string, string> = { authorization: `Bearer ${emulator.apiKey}` }): Promise<{ status: number; body: unknown }> {
    const response = await fetch(`${emulator.url}/v2/events${query}`, { headers });
    return { status: response.status, body: await response.json() };
  }

  const at = (iso: string): Date => new Date(iso);

  function seedTimeline(): void {
    emulator.createEvent("order.shipped", { id: "evt_a", created: at("2024-05-01T10:00:00Z") });
    emulator.createEvent("order.lost", { id: "evt_b", created: at("2024-05-01T11:00:00Z") });
    emulator.createEvent("movie.started", { id: "evt_c", created: at("2024-05-01T12:00:00Z") });
    emulator.createEvent("order.shipped", { id: "evt_d", created: at("2024-05-01T13:00:00Z") });
    emulator.createEvent("order.refunded", { id: "evt_e", created: at("2024-05-01T14:00:00Z") });
  }

  const ids = (body: unknown): string[] => (body as { data: { id: string }[] }).data.map((event) => event.id);

  it("answers thin events, newest first, with has_more", async () => {
    seedTimeline();
    const { status, body } = await list();
    expect(status).toBe(200);
    expect(body).toEqual({
      data: [
        { id: "evt_e", type: "order.refunded", created: "2024-05-01T14:00:00.000Z" },
        { id: "evt_d", type: "order.shipped", created: "2024-05-01T13:00:00.000Z", related_object: { id: "ord_456", type: "order" } },
        { id: "evt_c", type: "movie.started", created: "2024-05-01T12:00:00.000Z", related_object: { id: "mov_789", type: "movie" } },
        { id: "evt_b", type: "order.lost", created: "2024-05-01T11:00:00.000Z" },
        { id: "evt_a", type: "order.shipped", created: "2024-05-01T10:00:00.000Z", related_object: { id: "ord_456", type: "order" } },
      ],
      has_more: false,
    });
  });

  it("orders by created, not by when the event was stored, and breaks ties by storage order", async () => {
    emulator.createEvent("order.lost", { id: "evt_late", created: at("2024-06-01T00:00:00Z") });
    emulator.createEvent("order.lost", { id: "evt_early", created: at("2024-01-01T00:00:00Z") });
    emulator.createEvent("order.lost", { id: "evt_tie1", created: at("2024-03-01T00:00:00Z") });
    emulator.createEvent("order.lost", { id: "evt_tie2", created: at("2024-03-01T00:00:00Z") });
    expect(ids((await list()).body)).toEqual(["evt_late", "evt_tie2", "evt_tie1", "evt_early"]);
  });

  it("pages with limit and starting_after", async () => {
    seedTimeline();
    const first = await list("?limit=2");
    expect(ids(first.body)).toEqual(["evt_e", "evt_d"]);
    expect(first.body).toMatchObject({ has_more: true });
    const second = await list("?limit=2&starting_after=evt_d");
    expect(ids(second.body)).toEqual(["evt_c", "evt_b"]);
    expect(second.body).toMatchObject({ has_more: true });
    const third = await list("?limit=2&starting_after=evt_b");
    expect(ids(third.body)).toEqual(["evt_a"]);
    expect(third.body).toMatchObject({ has_more: false });
  });

  it("filters by type and by created_after (strictly after; RFC 3339 or unix seconds)", async () => {
    seedTimeline();
    expect(ids((await list("?type=order.shipped")).body)).toEqual(["evt_d", "evt_a"]);
    expect(ids((await list("?type=order.refunded")).body)).toEqual(["evt_e"]);
    expect(ids((await list("?created_after=2024-05-01T12:00:00Z")).body)).toEqual(["evt_e", "evt_d"]);
    expect(ids((await list("?created_after=2024-05-01T13:30:00%2B02:00")).body)).toEqual(["evt_e", "evt_d", "evt_c"]);
    expect(ids((await list(`?created_after=${Date.parse("2024-05-01T12:59:59Z") / 1000}`)).body)).toEqual(["evt_e", "evt_d"]);
    expect(ids((await list("?type=order.shipped&created_after=2024-05-01T12:00:00Z")).body)).toEqual(["evt_d"]);
    // The cursor need not match the filter: the page starts after its place in the timeline.
    expect(ids((await list("?type=order.shipped&starting_after=evt_c")).body)).toEqual(["evt_a"]);
  });

  it("defaults to 20 a page and serves up to 100", async () => {
    for (let i = 0; i < 120; i += 1) emulator.createEvent("order.lost", { id: `evt_${String(i).padStart(3, "0")}`, created: new Date(Date.UTC(2024, 0, 1, 0, 0, i)) });
    const page = await list();
    expect(ids(page.body)).toHaveLength(20);
    expect(ids(page.body)[0]).toBe("evt_119");
    expect(page.body).toMatchObject({ has_more: true });
    expect(ids((await list("?limit=100")).body)).toHaveLength(100);
  });

  it.each([
    ["limit=0", /limit must be an integer from 1 to 100/],
    ["limit=101", /limit/],
    ["limit=1.5", /limit/],
    ["limit=-1", /limit/],
    ["limit=", /limit/],
    ["limit=ten", /limit/],
    ["created_after=yesterday", /created_after must be/],
    ["created_after=2024-05-01", /created_after/],
    ["starting_after=evt_nope", /starting_after: no such event "evt_nope"/],
    ["type=", /type must not be empty/],
    ["limit=2&limit=3", /limit was given more than once/],
    ["expand=data", /Unknown parameter "expand"/],
  ])("answers 400 with the Cactus error shape for %s", async (query, message) => {
    seedTimeline();
    const { status, body } = await list(`?${query}`);
    expect(status).toBe(400);
    expect(body).toEqual({ error: { type: "invalid_request_error", message: expect.stringMatching(message) } });
  });

  it("needs the API key like every route", async () => {
    expect((await list("", {})).status).toBe(401);
  });

  it("rejects an invalid created date in createEvent", () => {
    expect(() => emulator.createEvent("order.lost", { created: new Date(Number.NaN) })).toThrow(CactusConfigError);
  });
});

describe("the seeded emulator's event list", () => {
  it("lists the seeded events, the last seeded first", async () => {
    const emulator = await CactusEmulator.start();
    try {
      const response = await fetch(`${emulator.url}/v2/events`, { headers: { authorization: `Bearer ${emulator.apiKey}` } });
      const body = (await response.json()) as { data: { id: string }[]; has_more: boolean };
      expect(body.data.map((event) => event.id)).toEqual([...SEEDED_EVENT_IDS].reverse());
      expect(body.data[0]?.id).toBe("evt_order_refunded");
      expect(body.has_more).toBe(false);
    } finally {
      await emulator.close();
    }
  });
});
