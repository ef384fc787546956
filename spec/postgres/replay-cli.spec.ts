import { join } from "node:path";
import { runCli } from "../../lib/cli/main";
import { timeOption } from "../../lib/cli/replay-command";
import { CactusEmulator } from "../../lib/emulator";
import { capture } from "../cli/capture";
import { describePostgres } from "./describe-postgres";
import { freshId } from "./event-handlers";
import type { CliRun } from "./replay/receiver-module";
import { useRealPostgres } from "./store-under-test";

const RECEIVER = join(__dirname, "replay", "receiver-module.ts");
const runs = (): CliRun[] => (Reflect.get(globalThis, "__cactusCliRuns") as CliRun[] | undefined) ?? [];

describe("cactus replay and catch-up: time options", () => {
  it("reads ISO 8601 times with a zone and ages, and nothing else", () => {
    const now = Date.UTC(2026, 11, 6, 12);
    expect(timeOption("since", "2h", now)).toEqual(new Date(Date.UTC(2026, 11, 6, 10)));
    expect(timeOption("since", "90m", now)).toEqual(new Date(Date.UTC(2026, 11, 6, 10, 30)));
    expect(timeOption("since", "2026-12-06T10:00:00Z")).toEqual(new Date(Date.UTC(2026, 11, 6, 10)));
    for (const bad of ["yesterday", "2026-12-06T10:00", "2h ago", "-1d"]) expect(() => timeOption("since", bad)).toThrow(/--since must be an ISO 8601 time with a zone/);
  });
});

describePostgres("cactus replay and cactus catch-up", () => {
  const database = useRealPostgres();
  const run = async (args: string[]) => {
    const out = capture();
    const status = await runCli(args, out.io);
    return { status, out: out.out, err: out.err.join("\n") };
  };

  it("replays what the filters select, lists a dry run, and prints JSON", async () => {
    const type = `test.cli_${process.pid}`;
    const store = database.store();
    const { default: receiver } = await import("./replay/receiver-module");
    const ids = [freshId(), freshId("evt_fails"), freshId()];
    for (const [at, id] of ids.entries()) {
      await receiver.receive(JSON.stringify({ id, type, created: new Date(Date.UTC(2026, 11, 6, 10, 3 - at)).toISOString() }), { idempotency: store }).catch(() => undefined);
    }
    const base = ["replay", "--database-url", database.url, "--receiver", RECEIVER, "--type", type, "--unknown"];
    const dry = await run([...base, "--dry-run"]);
    expect(dry.status).toBe(0);
    expect(dry.out[0]).toBe("3 events would run, in this order:");
    expect(dry.out.slice(1).map((line) => line.trim().split(/\s+/)[1])).toEqual([...ids].reverse());
    runs().length = 0;
    const failedOnly = await run([...base, "--status", "failed", "--json"]);
    expect(failedOnly.status).toBe(1);
    expect(JSON.parse(failedOnly.out[0] ?? "{}")).toMatchObject({ matched: 1, ran: 1, succeeded: 0, failed: 1, failures: [{ eventId: ids[1] }] });
    expect(runs()).toEqual([{ id: ids[1], replay: true }]);
    runs().length = 0;
    const window = await run([...base, "--since", "2026-12-06T10:00:00Z", "--until", "2026-12-06T10:02:00Z"]);
    expect(window).toMatchObject({ status: 0, out: ["replayed 1 of 1 events: 1 succeeded, 0 failed"] });
    expect(runs()).toEqual([{ id: ids[2], replay: true }]);
  });

  it("refuses bad input with exit status 2, naming it", async () => {
    const base = ["replay", "--database-url", database.url, "--receiver", RECEIVER];
    const cases: [string[], RegExp][] = [
      [["--since", "2026-12-06T11:00:00Z", "--until", "2026-12-06T10:00:00Z"], /--since \(2026-12-06T11:00:00.000Z\) must be before --until/],
      [["--since", "last tuesday"], /--since must be an ISO 8601 time/],
      [["--type", "order.shiped"], /unknown event type "order.shiped": did you mean order.shipped\?/],
      [["--event", "evt_never_stored"], /has no event "evt_never_stored": nothing to replay/],
      [["--status", "lost"], /--status must be failed, handled, stale or processing/],
    ];
    for (const [args, message] of cases) {
      const answer = await run([...base, ...args]);
      expect({ args, status: answer.status }).toEqual({ args, status: 2 });
      expect(answer.err).toMatch(message);
    }
    const missing = await run(["replay", "--database-url", database.url, "--receiver", "./no/such/module.js"]);
    expect(missing.status).toBe(2);
    expect(missing.err).toMatch(/--receiver "\.\/no\/such\/module\.js" could not be loaded/);
    const notReceiver = await run(["replay", "--database-url", database.url, "--receiver", join(__dirname, "replay", "not-a-receiver.ts")]);
    expect(notReceiver.status).toBe(2);
    expect(notReceiver.err).toMatch(/is not a receiver: found the class NotAnInstance \(not an instance of it\)/);
  });

  it("catches up from the emulator, then finds nothing left", async () => {
    const emulator = await CactusEmulator.start({ seed: false });
    try {
      const type = `test.cli_catch_up_${process.pid}`;
      const since = new Date(Date.now() - 60_000);
      const ids = Array.from({ length: 5 }, (_, i) => emulator.createEvent(type, { id: freshId(), created: new Date(since.getTime() + 1_000 * (i + 1)) }).id);
      runs().length = 0;
      const args = ["catch-up", "--database-url", database.url, "--receiver", RECEIVER, "--since", since.toISOString(), "--api-url", emulator.url, "--api-key", emulator.apiKey];
      const first = await run(args);
      expect(first.status).toBe(0);
      expect(first.out[0]).toMatch(/^caught up: 5 listed since .*, 0 received already, 5 ran: 5 succeeded, 0 failed$/);
      expect(runs().map(({ id }) => id)).toEqual(ids);
      const second = await run([...args, "--json"]);
      expect(JSON.parse(second.out[0] ?? "{}")).toMatchObject({ listed: 5, skipped: 5, ran: 0 });
      const future = await run(["catch-up", "--receiver", RECEIVER, "--since", "2999-01-01T00:00:00Z"]);
      expect(future.status).toBe(2);
    } finally {
      await emulator.close();
    }
  });
});
