import { Module } from "@nestjs/common";
import { Test } from "@nestjs/testing";
import request from "supertest";
import { CactusQueue } from "../../lib/bullmq";
import { CactusModule, CactusQueueWorker, CactusWebhooks } from "../../lib/nestjs";
import { createPushedEvent, postWebhook } from "../../lib/testing";
import { describeRedis } from "../redis/describe-redis";
import { useRedis } from "../redis/redis-server";
import { client, MovieHandlers, OrdersHandler, OrdersService, secret } from "./fixtures";

describeRedis("CactusModule with a CactusQueue (real redis-server on 127.0.0.1)", () => {
  const redis = useRedis();

  it("queues verified deliveries (202) in one app, and forWorker runs them through the injected handlers in another", async () => {
    const receiverQueue = new CactusQueue({ connection: redis.url, name: "nest" });
    const workerQueue = new CactusQueue({ connection: redis.url, name: "nest" });

    @Module({ imports: [CactusModule.forRoot({ webhookSecret: secret, client, queue: receiverQueue })] })
    class ReceiverModule {}
    @Module({
      imports: [CactusModule.forWorker({ queue: workerQueue, client, work: { concurrency: 2, attempts: 3 } })],
      providers: [OrdersService, OrdersHandler, MovieHandlers],
    })
    class WorkerModule {}

    const receiver = (await Test.createTestingModule({ imports: [ReceiverModule] }).compile()).createNestApplication({ rawBody: true, logger: false });
    await receiver.listen(0, "127.0.0.1");
    const worker = await Test.createTestingModule({ imports: [WorkerModule] }).compile();
    await worker.init();
    try {
      expect(receiver.get(CactusWebhooks).routes).toEqual([]);
      expect(worker.get(CactusQueueWorker).running).toBe(true);
      expect(worker.get(CactusQueueWorker).routes.map((route) => route.key)).toEqual(["order.shipped", "onOther", "movie.completed"]);

      const orders = worker.get(OrdersService);
      const event = createPushedEvent("order.shipped", { id: "evt_nest_queued", related_object: { id: "ord_queued", type: "order" } });
      const response = await postWebhook(request(receiver.getHttpServer()), event, secret);
      expect(response.status).toBe(202);
      expect(JSON.parse(response.text)).toMatchObject({ ok: true, queued: true, id: "evt_nest_queued" });
      await orders.whenSeen("shipped ord_queued");
      expect(orders.seen).toEqual(["shipped ord_queued"]);
    } finally {
      await worker.close();
      await receiver.close();
    }
    expect(worker.get(CactusQueueWorker).running).toBe(false);
    // Both apps closed their queue: a closed queue refuses new events.
    await expect(receiverQueue.receive(JSON.stringify(createPushedEvent("order.lost")))).rejects.toMatchObject({ code: "shutting_down" });
    expect(() => workerQueue.work(worker.get(OrdersHandler))).toThrow(/shutting down/);
  });
});
