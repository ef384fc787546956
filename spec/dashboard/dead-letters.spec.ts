import { CactusQueue } from "../../lib/bullmq";
import { runCli } from "../../lib/cli/main";
import {
  answerDashboardApi,
  attachDashboard,
  deadLetterRoutes,
  DeliveryLog,
  type CactusEmulator,
  type DashboardContext,
  type DashboardDeadLetter,
  type DeadLetterSource,
} from "../../lib/emulator";
import { ControlledHandler, eventually as eventuallyAsync, shipped } from "../delivery/controlled-handler";
import { describeRedis } from "../redis/describe-redis";
import { SECRET } from "../webhooks/helpers/fixtures";
import { startRedis, type TestRedis } from "../redis/redis-server";
import { eventually, startEmulator } from "./helpers";

function letter(id: string, deadAt: string, messages: string[]): DashboardDeadLetter {
  return {
    id,
    type: "order.shipped",
    event: { id, type: "order.shipped" },
    attempts: messages.length,
    errors: messages.map((message, index) => ({ attempt: index + 1, at: deadAt, message, code: "handler_failed" })),
    failedReason: messages.at(-1) ?? "",
    receivedAt: "2026-01-01T00:00:00.000Z",
    deadAt,
  };
}

/** A dead-letter store in memory: replay removes from it, as the queue does. */
class FakeDeadLetters implements DeadLetterSource {
  readonly letters = new Map<string, DashboardDeadLetter>();
  readonly limits: (number | undefined)[] = [];
  failWith: Error | undefined;

  async list({ limit }: { readonly limit?: number }): Promise<DashboardDeadLetter[]> {
    this.#check();
    this.limits.push(limit);
    return [...this.letters.values()].slice(0, limit);
  }

  async get(id: string): Promise<DashboardDeadLetter | undefined> {
    this.#check();
    return this.letters.get(id);
  }

  async replay(target: string): Promise<string[]> {
    this.#check();
    const ids = this.letters.has(target) ? [target] : [];
    for (const id of ids) this.letters.delete(id);
    return ids;
  }

  async replayAll(): Promise<string[]> {
    this.#check();
    const ids = [...this.letters.keys()];
    for (const id of ids) this.letters.delete(id);
    return ids;
  }

  #check(): void {
    if (this.failWith) throw this.failWith;
  }
}

describe("the dashboard's dead-letter routes (fake source, no Redis)", () => {
  let emulator: CactusEmulator;
  let source: FakeDeadLetters;
  let context: DashboardContext;
  beforeEach(async () => {
    emulator = await startEmulator();
    source = new FakeDeadLetters();
    // Stored oldest first: the API must still answer newest first.
    source.letters.set("evt_old", letter("evt_old", "2026-01-01T10:00:00.000Z", ["boom 1"]));
    source.letters.set("evt_new", letter("evt_new", "2026-01-02T10:00:00.000Z", ["first failure", "database down\n    at handler.ts:1"]));
    source.letters.set("evt_mid", letter("evt_mid", "2026-01-01T12:00:00.000Z", ["x".repeat(400)]));
    context = { emulator, log: new DeliveryLog(), forwarder: undefined, features: ["dead-letters"] };
  });
  afterEach(() => emulator.close());

  const call = (method: string, path: string, query = "") =>
    answerDashboardApi(context, { method, path, query: new URLSearchParams(query), body: method === "POST" ? {} : undefined }, deadLetterRoutes(source));

  it("lists newest first with the last error's first line (shortened), and bounds the list", async () => {
    const answer = await call("GET", "/dead-letters");
    expect(answer.status).toBe(200);
    const body = answer.body as { data: { id: string; lastError: string; attempts: number; lastErrorCode: string }[]; hasMore: boolean; limit: number };
    expect(body.data.map((row) => row.id)).toEqual(["evt_new", "evt_mid", "evt_old"]);
    expect(body.data[0]).toMatchObject({ lastError: "database down", attempts: 2, lastErrorCode: "handler_failed", deadAt: "2026-01-02T10:00:00.000Z" });
    expect(body.data[1]?.lastError).toHaveLength(300);
    expect([body.hasMore, body.limit]).toEqual([false, 50]);
    expect(source.limits.at(-1)).toBe(51);

    const two = (await call("GET", "/dead-letters", "limit=2")).body as { data: unknown[]; hasMore: boolean };
    expect([two.data.length, two.hasMore]).toEqual([2, true]);
    for (const limit of ["0", "201", "ten", "-1"]) {
      expect(await call("GET", "/dead-letters", `limit=${limit}`)).toMatchObject({ status: 400, body: { error: { type: "invalid_request", message: expect.stringContaining("limit") } } });
    }
  });

  it("answers one dead letter with every attempt's error, or 404", async () => {
    const answer = await call("GET", "/dead-letters/evt_new");
    expect(answer.status).toBe(200);
    expect((answer.body as DashboardDeadLetter).errors.map((error) => error.message)).toEqual(["first failure", "database down\n    at handler.ts:1"]);
    expect(await call("GET", "/dead-letters/evt_nope")).toMatchObject({ status: 404, body: { error: { type: "not_found" } } });
  });

  it("replays one (then 404, it is no longer dead) or all, and refuses GET on replay", async () => {
    expect(await call("POST", "/dead-letters/evt_old/replay")).toEqual({ status: 200, body: { replayed: ["evt_old"] } });
    expect((await call("POST", "/dead-letters/evt_old/replay")).status).toBe(404);
    expect(await call("POST", "/dead-letters/replay-all")).toEqual({ status: 200, body: { replayed: ["evt_new", "evt_mid"] } });
    expect(await call("POST", "/dead-letters/replay-all")).toEqual({ status: 200, body: { replayed: [] } });
    expect((await call("GET", "/dead-letters/evt_new/replay")).status).toBe(405);
  });

  it("answers 503 when the source fails (Redis away), naming the cause", async () => {
    source.failWith = new Error("Connection is closed.");
    expect(await call("GET", "/dead-letters")).toMatchObject({ status: 503, body: { error: { type: "dead_letters_unavailable", message: expect.stringContaining("Connection is closed.") } } });
    expect((await call("POST", "/dead-letters/replay-all")).status).toBe(503);
  });

  it("is reported by GET /config only when the routes are attached, and served over HTTP with the token", async () => {
    const plain = attachDashboard(emulator);
    const token = new URL(plain.url).searchParams.get("token") ?? "";
    const get = (path: string) => fetch(`${emulator.url}/_dashboard/api${path}`, { headers: { "x-cactus-dashboard-token": token } });
    expect(await (await get("/config")).json()).toMatchObject({ deadLetters: false });
    expect((await get("/dead-letters")).status).toBe(404);
    plain.close();

    const other = await startEmulator();
    try {
      const dashboard = attachDashboard(other, { routes: deadLetterRoutes(source) });
      const headers = { "x-cactus-dashboard-token": new URL(dashboard.url).searchParams.get("token") ?? "" };
      expect(await (await fetch(`${other.url}/_dashboard/api/config`, { headers })).json()).toMatchObject({ deadLetters: true });
      expect(await (await fetch(`${other.url}/_dashboard/api/dead-letters`, { headers })).json()).toMatchObject({ data: [{ id: "evt_new" }, { id: "evt_mid" }, { id: "evt_old" }] });
      expect((await fetch(`${other.url}/_dashboard/api/dead-letters`)).status).toBe(401);
      const page = await (await fetch(dashboard.url)).text();
      expect(page).toContain('id="dead-letters-tab"');
    } finally {
      await other.close();
    }
  });
});

describe("cactus listen --redis (usage)", () => {
  const io = () => {
    const lines: string[] = [];
    return { lines, io: { out: (line: string) => lines.push(line), err: (line: string) => lines.push(line) } };
  };

  it("wants --redis with --queue, and a redis:// URL, never printing its password", async () => {
    const first = io();
    expect(await runCli(["listen", "--forward-to", "http://127.0.0.1:1/webhooks", "--secret", SECRET, "--queue", "shop"], first.io)).toBe(2);
    expect(first.lines.join("\n")).toContain("--queue, --prefix and --shards go with --redis");
    const second = io();
    expect(await runCli(["listen", "--forward-to", "http://127.0.0.1:1/webhooks", "--secret", SECRET, "--redis", "http://ada:hunter2@127.0.0.1:1"], second.io)).toBe(1);
    expect(second.lines.join("\n")).toContain("redis:// or rediss://");
    expect(second.lines.join("\n")).not.toContain("hunter2");
  });
});

describeRedis("the dashboard's dead letters with a real Redis (cactus listen --redis)", () => {
  jest.setTimeout(30_000);
  let server: TestRedis;
  beforeAll(async () => {
    server = await startRedis();
  });
  afterAll(() => server.stop());

  it("fails at start, without the password, when Redis does not answer", async () => {
    const lines: string[] = [];
    const status = await runCli(["listen", "--forward-to", "http://127.0.0.1:1/webhooks", "--secret", SECRET, "--port", "0", "--redis", "redis://ada:hunter2@127.0.0.1:1"], {
      out: (line) => lines.push(line),
      err: (line) => lines.push(line),
    });
    expect(status).toBe(1);
    expect(lines.join("\n")).toContain("queue cactus-events on redis://***@127.0.0.1:1");
    expect(lines.join("\n")).not.toContain("hunter2");
  });

  it("cactus emulator --redis shows the queue's dead letters too, and wants 127.0.0.1", async () => {
    const controller = new AbortController();
    const out: string[] = [];
    const io = { out: (line: string) => out.push(line), err: (line: string) => out.push(line) };
    const running = runCli(["emulator", "--port", "0", "--redis", server.url, "--queue", "empty"], { ...io, signal: controller.signal });
    try {
      const line = await eventually("the dashboard line", () => out.find((text) => text.startsWith("  dashboard: http")), 10_000);
      expect(out).toContain(`    with the dead letters of queue empty on ${server.url}`);
      const url = new URL(line.slice("  dashboard: ".length));
      const headers = { "x-cactus-dashboard-token": url.searchParams.get("token") ?? "" };
      expect(await (await fetch(`${url.origin}/_dashboard/api/config`, { headers })).json()).toMatchObject({ deadLetters: true });
      expect(await (await fetch(`${url.origin}/_dashboard/api/dead-letters`, { headers })).json()).toEqual({ data: [], hasMore: false, limit: 50 });
    } finally {
      controller.abort();
      expect(await running).toBe(0);
    }
    const refused: string[] = [];
    expect(await runCli(["emulator", "--port", "0", "--host", "0.0.0.0", "--redis", server.url], { out: (l) => refused.push(l), err: (l) => refused.push(l) })).not.toBe(0);
    expect(refused.join("\n")).toContain("only served when the emulator listens on 127.0.0.1");
  });

  it("shows a failed job through the dashboard API, with every attempt's error, and Replay puts it back in the queue", async () => {
    const queue = new CactusQueue({ connection: server.url, name: "shop" });
    const quiet = () => undefined;
    const handler = new ControlledHandler({ onError: quiet, logger: { debug: quiet, info: quiet, warn: quiet, error: quiet } });
    handler.failuresLeft = 2;
    const worker = queue.work(handler, { attempts: 2, backoff: 5, onError: () => undefined });
    await queue.receive(shipped("evt_dead1"));
    await eventuallyAsync(async () => (await queue.deadLetters.count()) === 1, 10_000, "one dead letter");
    await worker.close();

    const controller = new AbortController();
    const out: string[] = [];
    const running = runCli(
      ["listen", "--forward-to", "http://127.0.0.1:1/webhooks", "--secret", SECRET, "--port", "0", "--redis", server.url, "--queue", "shop"],
      { out: (line) => out.push(line), err: (line) => out.push(line), signal: controller.signal },
    );
    try {
      const dashboardUrl = await eventually("the dashboard line", () => out.find((line) => line.startsWith("Dashboard: "))?.slice("Dashboard: ".length), 10_000);
      expect(out).toContain(`  with the dead letters of queue shop on ${server.url}`);
      const url = new URL(dashboardUrl);
      const headers = { "x-cactus-dashboard-token": url.searchParams.get("token") ?? "", "content-type": "application/json" };
      const api = async (method: string, path: string) => {
        const response = await fetch(`${url.origin}/_dashboard/api${path}`, { method, headers, ...(method === "POST" ? { body: "{}" } : {}) });
        return { status: response.status, body: (await response.json()) as Record<string, unknown> };
      };
      expect((await api("GET", "/config")).body).toMatchObject({ deadLetters: true });
      expect((await api("GET", "/dead-letters")).body).toMatchObject({ data: [{ id: "evt_dead1", type: "order.shipped", attempts: 2, lastError: expect.stringContaining("planned failure of evt_dead1") }], hasMore: false });
      const one = await api("GET", "/dead-letters/evt_dead1");
      expect((one.body["errors"] as { attempt: number; code: string }[]).map((error) => [error.attempt, error.code])).toEqual([[1, "handler_failed"], [2, "handler_failed"]]);

      expect(await api("POST", "/dead-letters/evt_dead1/replay")).toEqual({ status: 200, body: { replayed: ["evt_dead1"] } });
      const job = await queue.bullmq.getJob("evt_dead1");
      expect(await job?.getState()).toBe("waiting");
      expect(await queue.deadLetters.count()).toBe(0);
      expect((await api("GET", "/dead-letters")).body).toMatchObject({ data: [] });
      expect((await api("POST", "/dead-letters/evt_dead1/replay")).status).toBe(404);
    } finally {
      controller.abort();
      expect(await running).toBe(0);
      await queue.close();
    }
  });
});
