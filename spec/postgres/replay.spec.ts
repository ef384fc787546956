import { PGlite } from "@electric-sql/pglite";
import { spawn } from "node:child_process";
import { join } from "node:path";
import { CactusClient, CactusHandler, type BaseThinEvent, type CactusEventContext, type CactusReceiverOptions } from "../../lib";
import { CactusArgumentError, CactusConfigError } from "../../lib/errors";
import { CactusRunInterruptedError, PostgresEventStore, type PGliteLike } from "../../lib/postgres";
import { CactusEmulator } from "../../lib/emulator";
import { describePostgres } from "./describe-postgres";
import { freshId } from "./event-handlers";
import { usePGlite, useRealPostgres, type DatabaseUnderTest } from "./store-under-test";

const quiet = (): void => undefined;
const silent = { debug: quiet, info: quiet, warn: quiet, error: quiet };

/** Records every run: id, whether it was a replay, and per object the order and any overlap. */
class RecordingHandler extends CactusHandler {
  readonly runs: { readonly id: string; readonly replay: boolean | undefined; readonly objectId: string | undefined }[] = [];
  readonly failing = new Set<string>();
  readonly active = new Map<string, number>();
  overlaps = 0;
  holdMs = 0;

  constructor(client: CactusClient = new CactusClient({ apiKey: "sk_test_replay", baseUrl: "http://127.0.0.1:9", maxRetries: 0 }), options: CactusReceiverOptions = {}) {
    super(client, { logger: silent, onError: quiet, ...options });
  }

  override async onOther(event: BaseThinEvent, context: CactusEventContext): Promise<void> {
    const key = event.relatedObject?.id ?? "";
    const active = (this.active.get(key) ?? 0) + 1;
    this.active.set(key, active);
    if (key !== "" && active > 1) this.overlaps += 1;
    this.runs.push({ id: event.id, replay: context.replay, objectId: event.relatedObject?.id });
    if (this.holdMs > 0) await new Promise((resolve) => setTimeout(resolve, this.holdMs));
    this.active.set(key, (this.active.get(key) ?? 1) - 1);
    if (this.failing.has(event.id)) throw Object.assign(new Error(`bug in the handler for ${event.id}`), { code: "BUG" });
  }
}

// Unknown types go to onOther, which keeps these tests about the store, not the catalog.
function thin(id: string, created: string, objectId?: string, type = "test.replayed"): string {
  return JSON.stringify({ id, type, created, ...(objectId === undefined ? {} : { related_object: { id: objectId, type: "order" } }) });
}

const minute = (n: number): string => new Date(Date.UTC(2026, 11, 6, 10, n)).toISOString();

function replaySuite(database: DatabaseUnderTest): void {
  it("runs the failed events of a type since T again, in created order, as replays with new attempts", async () => {
    const store = database.store();
    const handler = new RecordingHandler(undefined, { idempotency: store });
    const type = `test.fixme_${freshId("t")}`;
    const ids = [freshId(), freshId(), freshId(), freshId()];
    // Received in another order than created; the second and fourth fail.
    const created = [minute(4), minute(1), minute(3), minute(2)];
    handler.failing.add(ids[1] ?? "").add(ids[3] ?? "");
    for (const [at, id] of ids.entries()) await handler.handle(thin(id, created[at] ?? "", undefined, type)).catch(() => undefined);
    handler.failing.clear();
    handler.runs.length = 0;
    const progress: number[] = [];
    const summary = await store.replay(handler, { type, status: "failed", since: new Date(minute(0)), onProgress: ({ done }) => progress.push(done) });
    expect(summary).toMatchObject({ matched: 2, ran: 2, succeeded: 2, failed: 0, dryRun: false });
    expect(progress).toEqual([1, 2]);
    expect(handler.runs).toEqual([
      { id: ids[1], replay: true, objectId: undefined },
      { id: ids[3], replay: true, objectId: undefined },
    ]);
    const record = await store.get(ids[1] ?? "");
    expect(record?.status).toBe("handled");
    expect(record?.attempts.map(({ outcome, source }) => [outcome, source])).toEqual([["failed", "direct"], ["handled", "replay"]]);
    // Handled events are replayed too when asked: the duplicate answer does not stop a replay.
    const again = await store.replay(handler, { type });
    expect(again).toMatchObject({ matched: 4, ran: 4, succeeded: 4 });
    expect(handler.runs.slice(2).map(({ id }) => id)).toEqual([ids[1], ids[3], ids[2], ids[0]]);
  });

  it("keeps each object's order with concurrency, lists a dry run, and counts failures", async () => {
    const store = database.store();
    const handler = new RecordingHandler(undefined, { idempotency: store });
    const type = `test.order_${freshId("t")}`;
    const orders = [freshId("ord"), freshId("ord"), freshId("ord")];
    const sent: { id: string; objectId: string; at: string }[] = [];
    for (let i = 0; i < 18; i += 1) sent.push({ id: freshId(), objectId: orders[i % 3] ?? "", at: new Date(Date.UTC(2026, 11, 6, 9, 0, 60 - i * 3)).toISOString() });
    for (const event of sent) await handler.handle(thin(event.id, event.at, event.objectId, type));
    const dry = await store.replay(handler, { type, dryRun: true });
    expect(dry).toMatchObject({ matched: 18, ran: 0, dryRun: true });
    const byTime = [...sent].sort((a, b) => a.at.localeCompare(b.at));
    expect(dry.events.map(({ eventId }) => eventId)).toEqual(byTime.map(({ id }) => id));
    handler.runs.length = 0;
    handler.holdMs = 3;
    handler.failing.add(byTime[5]?.id ?? "");
    const summary = await store.replay(handler, { type, concurrency: 6 });
    expect(summary).toMatchObject({ matched: 18, ran: 18, succeeded: 17, failed: 1, failures: [{ eventId: byTime[5]?.id, message: expect.stringContaining("bug in the handler") }] });
    expect(handler.overlaps).toBe(0);
    for (const order of orders) {
      expect(handler.runs.filter(({ objectId }) => objectId === order).map(({ id }) => id)).toEqual(byTime.filter(({ objectId }) => objectId === order).map(({ id }) => id));
    }
  });

  it("refuses bad input, naming it", async () => {
    const store = database.store();
    const handler = new RecordingHandler(undefined, { idempotency: store });
    await expect(store.replay(handler, { since: new Date(minute(5)), until: new Date(minute(1)) })).rejects.toThrow(/since \(2026-12-06T10:05:00.000Z\) must be before until/);
    await expect(store.replay(handler, { since: new Date("nope") })).rejects.toThrow(CactusArgumentError);
    await expect(store.replay(handler, { eventId: "evt_never_seen" })).rejects.toThrow(/The event store has no event "evt_never_seen"/);
    // @ts-expect-error not a receiver (what a JavaScript caller could pass)
    await expect(store.replay({ handle: () => undefined })).rejects.toThrow(CactusConfigError);
    await expect(store.replay(handler, { concurrency: 0 })).rejects.toThrow(/concurrency must be an integer from 1 to 256/);
  });
}

describe("replay on PGlite", () => {
  replaySuite(usePGlite());

  it("stops cleanly when the database goes away mid-replay, says how far it got, and a rerun goes on", async () => {
    const real = new PGlite();
    let down = false;
    const cut = (): never => {
      throw Object.assign(new Error("connection terminated"), { code: "57P01" });
    };
    const db: PGliteLike = {
      query: (text, params) => (down ? Promise.reject(cut()) : real.query(text, params)),
      transaction: (fn) => (down ? Promise.reject(cut()) : real.transaction(fn)),
    };
    try {
      const store = new PostgresEventStore({ db });
      await store.migrate();
      const handler = new RecordingHandler(undefined, { idempotency: store });
      const ids = Array.from({ length: 10 }, () => freshId());
      for (const [at, id] of ids.entries()) await handler.handle(thin(id, minute(at)));
      handler.runs.length = 0;
      const replayOf = async (after?: string) => {
        const options = after === undefined ? {} : { after };
        return store.replay(handler, { ...options, onProgress: ({ done }) => {
          if (done === 4 && after === undefined) down = true;
        } });
      };
      const failure: unknown = await replayOf().catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(CactusRunInterruptedError);
      const interrupted = failure as CactusRunInterruptedError;
      expect(interrupted.summary).toEqual({ ran: 4, succeeded: 4, failed: 0, total: 10 });
      expect(interrupted.message).toMatch(/stopped after 4 of 10 events .*--resume/);
      down = false;
      const rest = await replayOf(interrupted.resumeAfter);
      expect(rest).toMatchObject({ matched: 6, ran: 6, succeeded: 6 });
      expect(handler.runs.map(({ id }) => id)).toEqual(ids);
    } finally {
      await real.close();
    }
  });
});

function catchUpSuite(database: DatabaseUnderTest): void {
  let emulator: CactusEmulator;
  let client: CactusClient;
  beforeAll(async () => {
    emulator = await CactusEmulator.start({ seed: false });
    client = new CactusClient({ apiKey: emulator.apiKey, baseUrl: emulator.url, maxRetries: 0 });
  });
  afterAll(async () => {
    await emulator.close();
  });

  it("runs, oldest first, what the API created since T that the store never received, and a second run does nothing", async () => {
    const store = database.store();
    const handler = new RecordingHandler(client, { idempotency: store });
    const since = new Date(Date.now() - 60_000);
    const created = Array.from({ length: 25 }, (_, i) => emulator.createEvent("test.caught_up", { id: freshId(), created: new Date(since.getTime() + 1_000 + i * 1_000), related_object: { id: `ord_${i % 4}`, type: "order" } }));
    emulator.createEvent("test.caught_up", { id: freshId(), created: new Date(since.getTime() - 5_000) });
    // Three arrived as webhooks before the outage.
    for (const event of created.slice(0, 3)) await handler.receive(JSON.stringify(emulator.thinEventOf(event.id)), { deliveryId: event.id });
    handler.runs.length = 0;
    const summary = await store.catchUp(handler, { since });
    expect(summary).toMatchObject({ listed: 25, skipped: 3, ran: 22, succeeded: 22, failed: 0 });
    expect(handler.runs.map(({ id }) => id)).toEqual(created.slice(3).map(({ id }) => id));
    expect((await store.get(created[10]?.id ?? ""))?.attempts.map(({ source }) => source)).toEqual(["catch_up"]);
    expect(await store.catchUp(handler, { since })).toMatchObject({ listed: 25, skipped: 25, ran: 0 });
    await expect(store.catchUp(handler, { since: new Date(Date.now() + 60_000) })).rejects.toThrow(/is in the future/);
  });
}

describe("catch-up on PGlite", () => {
  catchUpSuite(usePGlite());
});

describePostgres("replay and catch-up on PostgreSQL", () => {
  const database = useRealPostgres();
  replaySuite(database);
  catchUpSuite(database);

  it("a catch-up killed halfway (SIGKILL) is finished by a second run, each event handled once", async () => {
    const emulator = await CactusEmulator.start({ seed: false });
    try {
      const since = new Date(Date.now() - 60_000);
      const type = `test.killed_${process.pid}`;
      const ids = Array.from({ length: 40 }, (_, i) => emulator.createEvent(type, { id: freshId(), created: new Date(since.getTime() + 1_000 + i * 100) }).id);
      const child = spawn(process.execPath, ["-r", join(__dirname, "..", "chaos", "require-hook.js"), join(__dirname, "replay", "catch-up-process.ts"), JSON.stringify({ url: database.url, apiUrl: emulator.url, apiKey: emulator.apiKey, since: since.toISOString() })], { stdio: ["ignore", "pipe", "pipe"] });
      let errors = "";
      child.stderr.on("data", (chunk: Buffer) => (errors += chunk.toString()));
      await new Promise<void>((resolve, reject) => {
        let output = "";
        child.stdout.on("data", (chunk: Buffer) => {
          output += chunk.toString();
          if (/DONE 15\n/.test(output)) {
            child.kill("SIGKILL");
            resolve();
          }
        });
        child.once("exit", (code, signal) => (signal === "SIGKILL" ? resolve() : reject(new Error(`the catch-up process ended before the kill (${String(code)}): ${errors}`))));
      });
      if (child.exitCode === null && child.signalCode === null) await new Promise((resolve) => child.once("exit", resolve));
      const store = database.store();
      const handledBefore = (await database.query(`SELECT count(*)::int AS n FROM cactus.events WHERE type = $1 AND status = 'handled'`, [type]))[0]?.["n"];
      expect(Number(handledBefore)).toBeGreaterThanOrEqual(15);
      expect(Number(handledBefore)).toBeLessThan(40);
      const handler = new RecordingHandler(new CactusClient({ apiKey: emulator.apiKey, baseUrl: emulator.url, maxRetries: 0 }), { idempotency: store, leaseMs: 500 });
      const rerun = await store.catchUp(handler, { since });
      expect(rerun).toMatchObject({ listed: 40, skipped: Number(handledBefore), failed: 0 });
      expect(rerun.ran).toBe(40 - Number(handledBefore));
      const rows = await database.query(
        `SELECT e.event_id, e.status, (SELECT count(*)::int FROM cactus.attempts a WHERE a.event_id = e.event_id AND a.outcome = 'handled') AS handled FROM cactus.events e WHERE e.type = $1`,
        [type],
      );
      expect(rows).toHaveLength(40);
      expect(rows.every((row) => row["status"] === "handled" && row["handled"] === 1)).toBe(true);
      expect(new Set(rows.map((row) => row["event_id"]))).toEqual(new Set(ids));
    } finally {
      await emulator.close();
    }
  }, 60_000);
});
