import { Inject, Injectable, Module } from "@nestjs/common";
import { Test } from "@nestjs/testing";
import request from "supertest";
import { CactusModule, CactusWebhooks } from "../../lib/nestjs";
import { createPushedEvent, postWebhook } from "../../lib/testing";
import { capturingLogger, client, MovieHandlers, OrdersHandler, OrdersService, secret } from "./fixtures";

const event = (id: string) => createPushedEvent("order.shipped", { id, related_object: { id: "ord_life", type: "order" } });

/** A settings provider, as ConfigService would be. */
@Injectable()
class Settings {
  readonly webhookSecret = secret;
}

@Module({ providers: [Settings], exports: [Settings] })
class SettingsModule {}

describe("CactusModule.forRootAsync", () => {
  it("builds its options with injected providers, on the path given", async () => {
    @Module({
      imports: [
        CactusModule.forRootAsync({
          imports: [SettingsModule],
          inject: [Settings],
          useFactory: async (settings: Settings) => ({ webhookSecret: settings.webhookSecret, client }),
          path: "/hooks/cactus",
        }),
      ],
      providers: [OrdersService, OrdersHandler],
    })
    class AsyncAppModule {}
    const moduleRef = await Test.createTestingModule({ imports: [AsyncAppModule] }).compile();
    const app = moduleRef.createNestApplication({ rawBody: true, logger: false });
    await app.listen(0, "127.0.0.1");
    try {
      const ok = await postWebhook(request(app.getHttpServer()), event("evt_async_1"), secret, { path: "/hooks/cactus" });
      expect(ok.status).toBe(200);
      expect(app.get(OrdersService).seen).toEqual(["shipped ord_life"]);
      const elsewhere = await postWebhook(request(app.getHttpServer()), event("evt_async_2"), secret);
      expect(elsewhere.status).toBe(404); // only the configured path is the endpoint
    } finally {
      await app.close();
    }
  });
});

describe("CactusModule.forRootAsync checks what its factory returns", () => {
  it.each([
    ["a path (it belongs next to useFactory)", { webhookSecret: secret, path: "/hooks" }, /give path next to useFactory/],
    ["no webhookSecret", {}, /must return the options, with a webhookSecret/],
  ])("refuses %s when the app starts", async (_what, returned, message) => {
    @Module({ imports: [CactusModule.forRootAsync({ useFactory: () => ({ client, ...returned }) as never })], providers: [OrdersService, OrdersHandler] })
    class BadAsyncModule {}
    await expect(Test.createTestingModule({ imports: [BadAsyncModule] }).compile()).rejects.toThrow(message);
  });
});

describe("CactusModule at shutdown", () => {
  it("lets the delivery in flight finish, answers new ones 503 shutting_down, then closes the stores", async () => {
    const closed: string[] = [];
    const store = {
      claim: async () => ({ status: "claimed" as const, token: "t" }),
      commit: async () => undefined,
      release: async () => undefined,
      close: async () => void closed.push("store"),
    };
    const extra = { close: async () => void closed.push("extra") };
    const logger = capturingLogger();
    @Module({
      imports: [CactusModule.forRoot({ webhookSecret: secret, client, idempotency: store, closeOnShutdown: [extra], logger })],
      providers: [OrdersService, OrdersHandler, MovieHandlers],
    })
    class ShutdownAppModule {}
    const moduleRef = await Test.createTestingModule({ imports: [ShutdownAppModule] }).compile();
    const app = moduleRef.createNestApplication({ rawBody: true, logger: false });
    await app.listen(0, "127.0.0.1");
    const orders = app.get(OrdersService);
    const webhooks = app.get(CactusWebhooks);
    const server = app.getHttpServer();

    let release = (): void => undefined;
    orders.hold = new Promise<void>((resolve) => (release = resolve));
    const started = new Promise<void>((resolve) => (orders.started = resolve));
    const inFlight = postWebhook(request(server), event("evt_life_1"), secret).then((response) => response);
    await started;

    const closing = app.close();
    while (!webhooks.closing) await new Promise((resolve) => setImmediate(resolve));
    const refused = await postWebhook(request(server), event("evt_life_2"), secret);
    expect(refused.status).toBe(503);
    expect(JSON.parse(refused.text).error.type).toBe("shutting_down");
    expect(refused.headers["retry-after"]).toBeDefined();
    expect(closed).toEqual([]);
    expect(logger.errors.join("\n")).toContain("evt_life_2");

    release();
    const finished = await inFlight;
    expect(finished.status).toBe(200);
    await closing;
    expect(orders.seen).toEqual(["shipped ord_life"]);
    expect(closed).toEqual(["extra", "store"]);
  });
});

describe("injecting what the module provides", () => {
  it("gives the module's CactusClient to handler constructors and other providers", async () => {
    @Injectable()
    class UsesClient {
      constructor(@Inject(CactusWebhooks) readonly webhooks: CactusWebhooks) {}
    }
    @Module({ imports: [CactusModule.forRoot({ webhookSecret: secret, client })], providers: [OrdersService, OrdersHandler, UsesClient] })
    class ClientAppModule {}
    const moduleRef = await Test.createTestingModule({ imports: [ClientAppModule] }).compile();
    await moduleRef.init();
    expect(moduleRef.get(OrdersHandler).client).toBe(client);
    expect(moduleRef.get(UsesClient).webhooks.client).toBe(client);
    await moduleRef.close();
  });
});
