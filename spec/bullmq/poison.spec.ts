import { Queue, UnrecoverableError, Worker } from "bullmq";
import Redis from "ioredis";
import { CactusQueue } from "../../lib/bullmq";
import { dlqCommand } from "../../lib/cli/dlq-command";
import { answerDashboardApi, deadLetterRoutes } from "../../lib/emulator/dashboard";
import type { DashboardContext } from "../../lib/emulator/dashboard/api";
import { CactusEmulator } from "../../lib/emulator";
import { DeliveryLog } from "../../lib/emulator/forwarder";
import { capture } from "../cli/capture";
import { eventually, shipped } from "../delivery/controlled-handler";
import { describeRedis } from "../redis/describe-redis";
import { useRedis } from "../redis/redis-server";

describeRedis("dead letters: one poison job does not break the readers", () => {
  const local = useRedis();
  const name = "poisoned";

  beforeAll(async () => {
    // Two good dead letters (one of them an event named "all"), then a job whose data is null,
    // failed by a plain BullMQ worker: what a bug or a hand-made job leaves behind.
    const queue = new CactusQueue({ connection: local.url, name });
    for (const id of ["evt_good", "all"]) await queue.receive(shipped(id));
    await queue.close();
    const connections = [new Redis(local.url, { maxRetriesPerRequest: null }), new Redis(local.url, { maxRetriesPerRequest: null })] as const;
    const raw = new Queue(name, { connection: connections[0], prefix: "{cactus}" });
    await raw.add("order.shipped", null, { jobId: "poison_1" });
    const worker = new Worker(name, async () => { throw new UnrecoverableError("poison"); }, { connection: connections[1], prefix: "{cactus}" });
    await eventually(async () => (await raw.getFailedCount()) === 3, 10_000, "three failed jobs");
    await worker.close();
    await raw.close();
    for (const connection of connections) connection.disconnect();
  });

  it("lists the others, and the poison one as unreadable with its id and why", async () => {
    const queue = new CactusQueue({ connection: local.url, name });
    try {
      const letters = await queue.deadLetters.list();
      expect(letters.map((letter) => letter.id).sort()).toEqual(["all", "evt_good", "poison_1"]);
      const poison = letters.find((letter) => letter.id === "poison_1");
      expect(poison?.unreadable).toMatch(/job data is null/);
      expect(letters.find((letter) => letter.id === "evt_good")?.unreadable).toBeUndefined();
      expect((await queue.deadLetters.get("poison_1"))?.unreadable).toMatch(/job data/);
      const context: DashboardContext = { emulator: new CactusEmulator({ seed: false }), log: new DeliveryLog(), forwarder: undefined };
      const answer = await answerDashboardApi(context, { method: "GET", path: "/dead-letters", query: new URLSearchParams(), body: undefined }, deadLetterRoutes(queue.deadLetters));
      expect(answer.status).toBe(200);
      expect(JSON.stringify(answer.body)).toContain("poison_1");
    } finally {
      await queue.close();
    }
  });

  it("cactus dlq list prints every one and exits 0", async () => {
    const { out, io } = capture();
    expect(await dlqCommand(["list", "--redis", local.url, "--queue", name], io)).toBe(0);
    expect(out.join("\n")).toMatch(/poison_1 .*unreadable/);
    expect(out.at(-1)).toBe(`3 dead letter(s) in queue ${name}`);
  });

  it("replays the single event named `all`, only it; replay --all skips the unreadable one", async () => {
    const queue = new CactusQueue({ connection: local.url, name });
    try {
      expect(await queue.deadLetters.replay("all")).toEqual(["all"]);
      expect(await queue.deadLetters.replayAll()).toEqual(["evt_good"]);
      expect((await queue.deadLetters.list()).map((letter) => letter.id)).toEqual(["poison_1"]);
    } finally {
      await queue.close();
    }
  });
});
