// Type tests for cactus-sdk/nestjs: compiled by `tsc --noEmit` in `npm test`, never run.
import request, { type Test } from "supertest";
import { CactusQueue } from "../../lib/bullmq";
import { MemoryIdempotencyStore } from "../../lib";
import { CactusClient, CactusModule, CactusWebhookHandler, On, type CactusModuleOptions } from "../../lib/nestjs";
import { createPushedEvent, postWebhook } from "../../lib/testing";

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
declare function assertTrue<T extends true>(): void;
declare const secret: string;
declare class ConfigService {
  getOrThrow<T>(key: string): T;
}

// forRoot: the secret is required; everything else is optional and checked by name and type.
CactusModule.forRoot({ webhookSecret: secret });
CactusModule.forRoot({ webhookSecret: [secret, secret], path: "/hooks/cactus", client: new CactusClient({ apiKey: "sk_test_1" }), idempotency: new MemoryIdempotencyStore() });
CactusModule.forRoot({ webhookSecret: secret, client: { apiKey: "sk_test_1", maxRetries: 1 }, handlerTimeoutMs: 5_000, shutdownTimeoutMs: 5_000 });
// @ts-expect-error the secret is required
CactusModule.forRoot({ path: "/webhooks" });
// @ts-expect-error a misspelt option does not compile
CactusModule.forRoot({ webhookSecret: secret, pth: "/webhooks" });
// @ts-expect-error the client's options are checked
CactusModule.forRoot({ webhookSecret: secret, client: { apiKey: 1 } });
// @ts-expect-error the idempotency option must be a store
CactusModule.forRoot({ webhookSecret: secret, idempotency: {} });
// @ts-expect-error a queue must be a receiver that closes
CactusModule.forRoot({ webhookSecret: secret, queue: { close: async () => undefined } });
CactusModule.forRoot({ webhookSecret: secret, queue: new CactusQueue({ connection: "redis://127.0.0.1:6379" }) });

// forRootAsync: the factory's arguments are what `inject` lists; it returns the options (or a promise).
CactusModule.forRootAsync({
  inject: [ConfigService],
  useFactory: (config: ConfigService) => ({ webhookSecret: config.getOrThrow<string>("CACTUS_WEBHOOK_SECRET") }),
});
CactusModule.forRootAsync({ useFactory: async (): Promise<CactusModuleOptions> => ({ webhookSecret: secret }), path: "/hooks" });
// @ts-expect-error the factory must return options with a webhookSecret
CactusModule.forRootAsync({ useFactory: () => ({ path: "/hooks" }) });

// forWorker: the worker's options are the queue's own `work` options.
const queue = new CactusQueue({ connection: "redis://127.0.0.1:6379" });
CactusModule.forWorker({ queue, work: { concurrency: 4, attempts: 5, backoff: { delayMs: 1_000 } } });
// @ts-expect-error concurrency is a number
CactusModule.forWorker({ queue, work: { concurrency: "4" } });
// @ts-expect-error a queue is required
CactusModule.forWorker({ work: { concurrency: 4 } });

// @CactusWebhookHandler() marks classes; @On checks each method's event type.
@CactusWebhookHandler()
export class Handlers {
  @On("order.lost")
  async lost(): Promise<void> {}
}
export class NotAClassDecorator {
  // @ts-expect-error a class decorator, not a method decorator
  @CactusWebhookHandler()
  method(): void {}
}

// postWebhook returns supertest's own Test, so `.expect(...)` chains.
declare const server: Parameters<typeof request>[0];
const sent = postWebhook(request(server), createPushedEvent("order.lost"), secret, { path: "/webhooks" });
assertTrue<Equal<typeof sent, Test>>();
void sent.expect(200);
// @ts-expect-error the path option is a string
postWebhook(request(server), createPushedEvent("order.lost"), secret, { path: 1 });
