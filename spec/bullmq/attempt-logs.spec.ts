import { CactusQueue } from "../../lib/bullmq";
import { ControlledHandler, eventually, shipped } from "../delivery/controlled-handler";
import { describeRedis } from "../redis/describe-redis";
import { useRedis } from "../redis/redis-server";

// Each failed queue attempt used to be logged twice (the handler failure with its stack, then the
// worker's "queue job attempt failed" with a full inspect dump): now one line per attempt.
describeRedis("the log of a queued event's failed attempts (default logger)", () => {
  const local = useRedis();
  let lines: string[];
  let spy: jest.SpyInstance;
  beforeEach(() => {
    lines = [];
    spy = jest.spyOn(console, "error").mockImplementation((line: unknown) => void lines.push(String(line)));
  });
  afterEach(() => spy.mockRestore());

  it("is one line per attempt with attempt n/N and the next attempt's time, the stack once each", async () => {
    const queue = new CactusQueue({ connection: local.url, name: `logs${process.pid}` });
    try {
      const handler = new ControlledHandler();
      handler.failuresLeft = 3;
      queue.work(handler, { attempts: 3, backoff: { type: "fixed", delayMs: 20 } });
      await queue.receive(shipped("evt_logged"));
      await eventually(async () => (await queue.deadLetterCount()) === 1, 15_000, "the dead letter");
      const heads = lines.map((line) => line.split("\n")[0] ?? "");
      expect(heads).toHaveLength(3);
      expect(heads[0]).toMatch(/^\[cactus-sdk\] order\.shipped evt_logged handler failed: .* \(attempt 1\/3; next attempt in 20 ms, at \d{4}-\d\d-\d\dT/);
      expect(heads[1]).toMatch(/\(attempt 2\/3; next attempt in 20 ms, at /);
      expect(heads[2]).toMatch(/\(attempt 3\/3; no attempt left: now a dead letter\)/);
      for (const line of lines) {
        expect(line).not.toContain("queue job attempt failed");
        expect(line.match(/^\s+at /gm)?.length ?? 0).toBeGreaterThan(0);
        expect(line.split("\n").length).toBeLessThan(40);
      }
    } finally {
      await queue.close({ timeoutMs: 2_000 });
    }
  });
});
