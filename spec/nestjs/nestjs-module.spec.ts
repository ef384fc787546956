import type { INestApplication } from "@nestjs/common";
import { FastifyAdapter, type NestFastifyApplication } from "@nestjs/platform-fastify";
import { Test } from "@nestjs/testing";
import request from "supertest";
import { MemoryIdempotencyStore } from "../../lib";
import { CactusWebhooks, NEST_RAW_BODY_ADVICE } from "../../lib/nestjs";
import { createPushedEvent, postWebhook, signedHeaders } from "../../lib/testing";
import { appModule, capturingLogger, MoreMovieHandlers, MovieHandlers, OrdersHandler, OrdersService, secret } from "./fixtures";

type Platform = "express" | "fastify";

async function startApp(platform: Platform, module = appModule(), rawBody = true): Promise<INestApplication> {
  const moduleRef = await Test.createTestingModule({ imports: [module] }).compile();
  const app =
    platform === "express"
      ? moduleRef.createNestApplication({ rawBody, logger: false })
      : moduleRef.createNestApplication<NestFastifyApplication>(new FastifyAdapter(), { rawBody, logger: false });
  await app.listen(0, "127.0.0.1");
  if (platform === "fastify") await (app as NestFastifyApplication).getHttpAdapter().getInstance().ready();
  return app;
}

let deliveries = 0;
// A new event id each time: the idempotency store would answer a second one as a duplicate.
const shipped = () => createPushedEvent("order.shipped", { id: `evt_nest_${++deliveries}`, related_object: { id: "ord_nest", type: "order" } });

describe.each<Platform>(["express", "fastify"])("CactusModule on %s, over HTTP on 127.0.0.1", (platform) => {
  let app: INestApplication;
  let orders: OrdersService;
  const store = new MemoryIdempotencyStore();
  // The app's logger: failed handlers are logged here, not on the console.
  const logger = capturingLogger();

  beforeAll(async () => {
    app = await startApp(platform, appModule({ idempotency: store, logger }));
    orders = app.get(OrdersService);
  });
  afterAll(async () => {
    await app.close();
  });

  it("verifies the raw body and runs the injected handler's method", async () => {
    const event = shipped();
    const response = await postWebhook(request(app.getHttpServer()), event, secret);
    expect(response.status).toBe(200);
    expect(response.headers["content-type"]).toMatch(/^application\/json/);
    expect(JSON.parse(response.text)).toEqual({ ok: true, id: event.id, handledBy: "order.shipped (OrdersHandler.onOrderShipped)" });
    expect(orders.seen).toContain("shipped ord_nest");
  });

  it("routes @On methods of a @CactusWebhookHandler provider and the rest to onOther", async () => {
    const completed = createPushedEvent("movie.completed", { id: `evt_nest_${++deliveries}`, related_object: { id: "mov_nest", type: "movie" } });
    const lost = createPushedEvent("order.lost", { id: `evt_nest_${++deliveries}` });
    const first = await postWebhook(request(app.getHttpServer()), completed, secret);
    const second = await postWebhook(request(app.getHttpServer()), lost, secret);
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(JSON.parse(first.text).handledBy).toBe("movie.completed (MovieHandlers.completed)");
    expect(JSON.parse(second.text).handledBy).toBe("onOther (OrdersHandler.onOther)");
    expect(orders.seen).toEqual(expect.arrayContaining(["completed mov_nest", "other order.lost"]));
  });

  it("answers a redelivery 200 duplicate through the idempotency store, running nothing", async () => {
    const event = shipped();
    await postWebhook(request(app.getHttpServer()), event, secret).expect(200);
    const before = orders.seen.length;
    const again = await postWebhook(request(app.getHttpServer()), event, secret);
    expect(again.status).toBe(200);
    expect(JSON.parse(again.text)).toMatchObject({ duplicate: true, id: event.id });
    expect(orders.seen.length).toBe(before);
  });

  it("answers the status table's 401 for a wrong signature and 405 for a GET", async () => {
    const event = shipped();
    const body = JSON.stringify(event);
    const forged = await request(app.getHttpServer())
      .post("/webhooks")
      .set({ ...signedHeaders(body, secret), "webhook-signature": "v1,AAAA" })
      .send(body);
    expect(forged.status).toBe(401);
    expect(JSON.parse(forged.text).error.type).toBe("no_matching_signature");
    const get = await request(app.getHttpServer()).get("/webhooks");
    expect(get.status).toBe(405);
    expect(get.headers["allow"]).toBe("POST");
  });

  it("answers 500 handler_failed when the injected service throws, and releases the claim", async () => {
    const event = shipped();
    orders.fail = true;
    const failed = await postWebhook(request(app.getHttpServer()), event, secret);
    orders.fail = false;
    expect(failed.status).toBe(500);
    expect(JSON.parse(failed.text).error).toMatchObject({ type: "handler_failed", eventId: event.id });
    // Outside production the cause is in error.detail (one line, no stack); in production it is not.
    expect(JSON.parse(failed.text).error.detail).toContain("the orders database is down");
    expect(failed.text).not.toMatch(/\bat .*\.[jt]s:\d+/);
    expect(logger.errors.join("\n")).toContain(`${event.id} handler failed`);
    const retried = await postWebhook(request(app.getHttpServer()), event, secret);
    expect(retried.status).toBe(200);
  });
});

describe.each<Platform>(["express", "fastify"])("CactusModule on %s without rawBody: true", (platform) => {
  it("answers 500 body_already_parsed and says to create the app with rawBody: true", async () => {
    const app = await startApp(platform, appModule({ onError: () => undefined }), false);
    try {
      const response = await postWebhook(request(app.getHttpServer()), shipped(), secret);
      expect(response.status).toBe(500);
      const { error } = JSON.parse(response.text);
      expect(error.type).toBe("body_already_parsed");
      expect(error.message).toContain("NestFactory.create(AppModule, { rawBody: true })");
      expect(NEST_RAW_BODY_ADVICE).toContain("rawBody: true");
      expect(app.get(OrdersService).seen).toEqual([]);
    } finally {
      await app.close();
    }
  });
});

describe("CactusModule start-up checks", () => {
  it("refuses two handlers for one event type, naming both", async () => {
    const moduleRef = await Test.createTestingModule({ imports: [appModule({}, [OrdersHandler, MovieHandlers, MoreMovieHandlers])] }).compile();
    await expect(moduleRef.init()).rejects.toThrow("movie.completed events have two handlers: MovieHandlers.completed and MoreMovieHandlers.anyMovie");
    // Nothing to close: a module whose init failed holds nothing (and its close() rethrows the error).
  });

  it("refuses an app with no handler, saying how to add one", async () => {
    const moduleRef = await Test.createTestingModule({ imports: [appModule({}, [])] }).compile();
    await expect(moduleRef.init()).rejects.toThrow(/found no webhook handler: add a provider that extends CactusHandler/);
  });

  it("refuses a malformed secret when the app starts", async () => {
    const moduleRef = await Test.createTestingModule({ imports: [appModule({ webhookSecret: "not-a-secret" })] }).compile();
    await expect(moduleRef.init()).rejects.toMatchObject({ code: "malformed_secret" });
  });

  it("lists which method takes which type, and delivers without HTTP in a testing module", async () => {
    const moduleRef = await Test.createTestingModule({ imports: [appModule()] }).compile();
    await moduleRef.init();
    const webhooks = moduleRef.get(CactusWebhooks);
    expect(webhooks.routes).toEqual([
      { key: "order.shipped", handler: "OrdersHandler.onOrderShipped" },
      { key: "onOther", handler: "OrdersHandler.onOther" },
      { key: "movie.completed", handler: "MovieHandlers.completed" },
    ]);
    const result = await webhooks.receiver.receive(JSON.stringify(shipped()));
    expect(result.handledBy).toBe("order.shipped (OrdersHandler.onOrderShipped)");
    expect(moduleRef.get(OrdersService).seen).toEqual(["shipped ord_nest"]);
    await moduleRef.close();
  });
});
