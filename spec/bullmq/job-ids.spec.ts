import { CactusQueue, jobIdOf } from "../../lib/bullmq";
import { CactusWebhookRequestError } from "../../lib/errors";
import { errorAnswer } from "../../lib/webhooks/status-table";
import { describeRedis } from "../redis/describe-redis";
import { useRedis } from "../redis/redis-server";

// BullMQ refuses a custom job id that reads back as an integer: `${parseInt(id, 10)}` === id.
const bullmqRefuses = (id: string): boolean => `${Number.parseInt(id, 10)}` === id;

describe("jobIdOf", () => {
  it.each(["-5", "5", "0", "-0", "007", "12:3", "b64_x", "evt_1", "+5", "-", "1e3"])("gives %j a job id BullMQ accepts, one per event", (id) => {
    expect(bullmqRefuses(jobIdOf(id))).toBe(false);
    expect(jobIdOf(id).includes(":")).toBe(false);
  });

  it("keeps ordinary ids as they are, and distinct ids distinct", () => {
    expect(jobIdOf("evt_123")).toBe("evt_123");
    const ids = ["-5", "5", "b64_LTU", "-05"];
    expect(new Set(ids.map(jobIdOf)).size).toBe(ids.length);
  });
});

describeRedis("CactusQueue event ids and sizes", () => {
  const local = useRedis();

  it("queues an event whose id is -5", async () => {
    const queue = new CactusQueue({ connection: local.url, name: "ids" });
    try {
      const result = await queue.receive(JSON.stringify({ id: "-5", type: "order.shipped", related_object: { id: "ord_1", type: "order" } }));
      expect(result.outcome).toBe("queued");
    } finally {
      await queue.close();
    }
  });

  it("refuses an event larger than maxEventBytes with 413, storing nothing", async () => {
    const queue = new CactusQueue({ connection: local.url, name: "sizes", maxEventBytes: 1024 });
    try {
      const big = JSON.stringify({ id: "evt_big", type: "order.shipped", related_object: { id: "ord_1", type: "order" }, padding: "x".repeat(2048) });
      const error: unknown = await queue.receive(big).then(() => undefined, (thrown: unknown) => thrown);
      expect(error).toBeInstanceOf(CactusWebhookRequestError);
      expect(errorAnswer(error).status).toBe(413);
      expect(await queue.bullmq.getJobCountByTypes("waiting")).toBe(0);
    } finally {
      await queue.close();
    }
  });
});
