import { CactusQueue } from "../../lib/bullmq";
import { dlqCommand } from "../../lib/cli/dlq-command";
import { ControlledHandler, eventually, shipped } from "../delivery/controlled-handler";
import { describeRedis } from "../redis/describe-redis";
import { startRedis, type TestRedis } from "../redis/redis-server";

// The worker logs each failed attempt; these tests read the dead letters, not the console.
const silent = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

function capture(): { out: string[]; err: string[]; io: { out(line: string): void; err(line: string): void } } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (line) => out.push(line), err: (line) => err.push(line) } };
}

describe("cactus dlq usage", () => {
  it.each([
    [[], /needs an action/],
    [["show", "--redis", "redis://x"], /needs an event id/],
    [["replay", "--redis", "redis://x"], /an event id or --all/],
    [["replay", "evt_1", "--all", "--redis", "redis://x"], /an event id or --all/],
    [["list"], /needs --redis/],
    [["list", "--redis", "http://user:hunter2@host"], /redis:\/\//],
  ])("refuses %j", async (args, message) => {
    const previous = process.env["REDIS_URL"];
    delete process.env["REDIS_URL"];
    try {
      await expect(dlqCommand(args, capture().io)).rejects.toThrow(message);
    } finally {
      if (previous !== undefined) process.env["REDIS_URL"] = previous;
    }
  });

  it("never prints a password from --redis", async () => {
    await expect(dlqCommand(["list", "--redis", "http://user:hunter2@host"], capture().io)).rejects.toThrow(/^(?!.*hunter2)/s);
  });
});

describeRedis("cactus dlq", () => {
  let server: TestRedis;
  beforeAll(async () => {
    server = await startRedis();
    const queue = new CactusQueue({ connection: server.url, name: "shop" });
    const handler = new ControlledHandler({ onError: () => undefined, logger: silent });
    handler.failuresLeft = 6;
    queue.work(handler, { attempts: 2, backoff: 5, onError: () => undefined });
    for (const id of ["evt_d1", "evt_d2", "evt_d3"]) await queue.receive(shipped(id));
    await eventually(async () => (await queue.deadLetters.count()) === 3, 10_000, "three dead letters");
    await queue.close();
  });
  afterAll(async () => {
    await server.stop();
  });
  const run = async (...args: string[]): Promise<{ status: number; out: string[]; err: string[] }> => {
    const { out, err, io } = capture();
    const status = await dlqCommand([...args, "--redis", server.url, "--queue", "shop"], io);
    return { status, out, err };
  };

  it("lists, shows, replays and purges", async () => {
    const list = await run("list");
    expect(list.status).toBe(0);
    expect(list.out.at(-1)).toBe("3 dead letter(s) in queue shop");
    expect(list.out.slice(0, 3).sort()).toEqual([expect.stringMatching(/^evt_d1  order\.shipped  2 attempt\(s\)  dead since .*planned failure of evt_d1/), expect.stringMatching(/^evt_d2 /), expect.stringMatching(/^evt_d3 /)]);

    const show = await run("show", "evt_d2");
    expect(show.status).toBe(0);
    const letter = JSON.parse(show.out.join("\n")) as { id: string; event: unknown; errors: { attempt: number; code: string }[] };
    expect(letter.id).toBe("evt_d2");
    expect(letter.event).toEqual(JSON.parse(shipped("evt_d2")));
    expect(letter.errors.map((error) => [error.attempt, error.code])).toEqual([[1, "handler_failed"], [2, "handler_failed"]]);

    const missing = await run("show", "evt_nope");
    expect(missing.status).toBe(1);
    expect(missing.err).toEqual(["cactus: no dead letter evt_nope in queue shop"]);

    expect((await run("replay", "evt_d1")).out).toEqual(["replayed evt_d1 into queue shop"]);
    expect((await run("replay", "evt_d1")).status).toBe(1); // now waiting, not dead
    expect((await run("replay", "--all")).out).toEqual(["replayed 2 dead letter(s) into queue shop"]);
    expect((await run("list")).out).toEqual(["0 dead letter(s) in queue shop"]);

    // A worker fails the three replayed events again (one attempt each), then purge deletes them.
    const queue = new CactusQueue({ connection: server.url, name: "shop" });
    const handler = new ControlledHandler({ onError: () => undefined, logger: silent });
    handler.failuresLeft = 3;
    queue.work(handler, { attempts: 1, onError: () => undefined });
    await eventually(async () => (await queue.deadLetters.count()) === 3, 10_000, "three dead letters again");
    await queue.close();
    const purge = await run("purge");
    expect(purge.status).toBe(0);
    expect(purge.out).toEqual(["purged 3 dead letter(s) from queue shop"]);
    expect((await run("list")).out).toEqual(["0 dead letter(s) in queue shop"]);
  });

  it("rejects within seconds (the CLI then exits 1) when Redis is not there", async () => {
    const { io } = capture();
    const started = Date.now();
    await expect(dlqCommand(["list", "--redis", "redis://127.0.0.1:1"], io)).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(15_000);
  });
});
