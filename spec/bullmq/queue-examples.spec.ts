import type { AddressInfo } from "node:net";
import { signWebhook } from "../../lib/webhooks";
import { CactusQueue } from "../../lib/bullmq";
import type { CactusEmulator } from "../../lib/emulator";
import { runQueueDemo } from "../../examples/queue/demo-queue";
import { createQueueReceiver } from "../../examples/queue/receiver";
import { startWorker, workerHandlerOptions } from "../../examples/queue/worker";
import { ExampleHandler } from "../../examples/webhooks/example-handler";
import { eventually } from "../delivery/controlled-handler";
import { startEmulatorWithClient, SEEDED_EVENT_IDS } from "../helpers/emulator";
import { describeRedis } from "../redis/describe-redis";
import { startRedis, type TestRedis } from "../redis/redis-server";
import { SECRET } from "../webhooks/helpers/fixtures";

describeRedis("examples/queue", () => {
  let redis: TestRedis;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await redis.stop();
  });

  it("receiver answers 202 and the worker runs ExampleHandler, pulling from the API", async () => {
    const started = await startEmulatorWithClient();
    const emulator: CactusEmulator = started.emulator;
    const receiverQueue = new CactusQueue({ connection: redis.url, name: "example" });
    const workerQueue = new CactusQueue({ connection: redis.url, name: "example" });
    const lines: string[] = [];
    startWorker(workerQueue, new ExampleHandler(started.client, (line) => lines.push(line)));
    const server = createQueueReceiver(receiverQueue, SECRET).listen(0, "127.0.0.1");
    await new Promise((resolve) => server.once("listening", resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks`;
      const body = JSON.stringify(emulator.thinEventOf("evt_order_shipped"));
      const response = await fetch(url, { method: "POST", headers: signWebhook({ id: "evt_order_shipped", body, webhookSecret: SECRET }), body });
      expect(response.status).toBe(202);
      await eventually(() => lines.length === 1, 10_000, "the worker's run");
      expect(lines).toEqual(["order ord_456 shipped with usps"]);
      expect(workerHandlerOptions.leaseMs).toBeGreaterThan(60_000);
    } finally {
      server.close();
      server.closeAllConnections();
      await Promise.all([receiverQueue.close(), workerQueue.close()]);
      await emulator.close();
    }
  });

  it("npm run demo -- --queue queues every delivery (202) and the worker handles each", async () => {
    const lines: string[] = [];
    const result = await runQueueDemo((line) => lines.push(line));
    expect(result).toEqual({ queued: SEEDED_EVENT_IDS.length, handled: SEEDED_EVENT_IDS.length, total: SEEDED_EVENT_IDS.length });
    expect(lines.filter((line) => line.includes(": 202 "))).toHaveLength(SEEDED_EVENT_IDS.length);
    expect(lines.filter((line) => line.startsWith("    worker: "))).toHaveLength(SEEDED_EVENT_IDS.length);
  }, 30_000);
});
