import { Module, type DynamicModule, type Provider } from "@nestjs/common";
import { DiscoveryModule } from "@nestjs/core";
import { CactusClient } from "../client/cactus-client";
import { CactusConfigError } from "../errors";
import { CactusWebhooks } from "./cactus-webhooks";
import { CACTUS_WORKER_OPTIONS, CactusQueueWorker, type CactusWorkerModuleOptions } from "./cactus-worker-service";
import {
  CACTUS_MODULE_OPTIONS,
  DEFAULT_NEST_WEBHOOK_PATH,
  type CactusModuleAsyncOptions,
  type CactusModuleImport,
  type CactusModuleOptions,
  type CactusModuleRootOptions,
} from "./options";
import { clientFrom } from "./receiver-settings";
import { webhookControllerFor } from "./webhook-controller";

/**
 * Receives CactusEvents in a NestJS app. `forRoot` adds a controller on `path` (default
 * `/webhooks`) that verifies each delivery's signature over the raw body (create the app with
 * `rawBody: true`) and hands it to your handler providers, answering with the SDK's status table;
 * `forWorker` runs a `CactusQueue`'s workers in the app instead. Handlers are ordinary providers,
 * with constructor injection: a class that extends `CactusHandler` (inject `CactusClient` and pass
 * it to `super`), or a `@CactusWebhookHandler()` class with `@On(...)` methods. The module is
 * global: `CactusClient` and {@link CactusWebhooks} can be injected anywhere.
 *
 * @example
 * ```ts
 * @Module({
 *   imports: [CactusModule.forRoot({ webhookSecret: process.env.CACTUS_WEBHOOK_SECRET!, client: { apiKey: process.env.CACTUS_API_KEY! } })],
 *   providers: [OrdersService, OrdersHandler],
 * })
 * export class AppModule {}
 *
 * const app = await NestFactory.create(AppModule, { rawBody: true });
 * app.enableShutdownHooks();
 * await app.listen(3000);
 * ```
 */
@Module({})
export class CactusModule {
  /**
   * The webhook endpoint, configured with values known when the module is declared.
   *
   * @example
   * ```ts
   * CactusModule.forRoot({ webhookSecret: process.env.CACTUS_WEBHOOK_SECRET!, idempotency: new MemoryIdempotencyStore() });
   * ```
   */
  static forRoot(options: CactusModuleRootOptions): DynamicModule {
    if (typeof options !== "object" || options === null) throw new CactusConfigError("CactusModule.forRoot needs options with a webhookSecret");
    return endpointModule({ provide: CACTUS_MODULE_OPTIONS, useValue: options }, options.path, []);
  }

  /**
   * The webhook endpoint, configured by a factory Nest injects (secrets from `ConfigService`).
   *
   * @example
   * ```ts
   * CactusModule.forRootAsync({
   *   imports: [ConfigModule],
   *   inject: [ConfigService],
   *   useFactory: (config: ConfigService) => ({
   *     webhookSecret: config.getOrThrow<string>("CACTUS_WEBHOOK_SECRET"),
   *     client: { apiKey: config.getOrThrow<string>("CACTUS_API_KEY") },
   *   }),
   * });
   * ```
   */
  static forRootAsync(options: CactusModuleAsyncOptions): DynamicModule {
    if (typeof options !== "object" || options === null || typeof options.useFactory !== "function") {
      throw new CactusConfigError("CactusModule.forRootAsync needs { useFactory } (and inject, imports for what it uses)");
    }
    const { useFactory } = options;
    const provider: Provider = {
      provide: CACTUS_MODULE_OPTIONS,
      useFactory: async (...args: unknown[]): Promise<CactusModuleOptions> => checkFactoryResult(await Reflect.apply(useFactory, undefined, args)),
      inject: [...(options.inject ?? [])],
    };
    return endpointModule(provider, options.path, options.imports ?? []);
  }

  /**
   * Runs a queue's workers in this app: every job goes to the app's handler providers (found as
   * `forRoot` finds them), with the queue's retries, backoff and dead letters. The worker starts
   * when the app has started, and at shutdown finishes its running jobs before the queue closes.
   *
   * @example
   * ```ts
   * import { CactusQueue } from "cactus-sdk/bullmq";
   * CactusModule.forWorker({
   *   queue: new CactusQueue({ connection: process.env.REDIS_URL! }),
   *   work: { concurrency: 8, attempts: 5 },
   *   client: { apiKey: process.env.CACTUS_API_KEY! },
   * });
   * ```
   */
  static forWorker<W>(options: CactusWorkerModuleOptions<W>): DynamicModule {
    if (typeof options !== "object" || options === null || typeof options.queue?.work !== "function") {
      throw new CactusConfigError("CactusModule.forWorker needs { queue }: a CactusQueue from cactus-sdk/bullmq");
    }
    return {
      module: CactusWorkerModule,
      global: true,
      imports: [DiscoveryModule],
      providers: [
        { provide: CACTUS_WORKER_OPTIONS, useValue: options },
        { provide: CactusClient, useFactory: clientFrom, inject: [CACTUS_WORKER_OPTIONS] },
        CactusQueueWorker,
      ],
      exports: [CactusClient, CactusQueueWorker],
    };
  }
}

/** The module `CactusModule.forWorker` returns (a class of its own, so an app may have both). */
@Module({})
export class CactusWorkerModule {}

function endpointModule(optionsProvider: Provider, path: string | undefined, imports: readonly CactusModuleImport[]): DynamicModule {
  return {
    module: CactusModule,
    global: true,
    imports: [DiscoveryModule, ...imports],
    controllers: [webhookControllerFor(checkPath(path ?? DEFAULT_NEST_WEBHOOK_PATH))],
    providers: [optionsProvider, { provide: CactusClient, useFactory: clientFrom, inject: [CACTUS_MODULE_OPTIONS] }, CactusWebhooks],
    exports: [CactusClient, CactusWebhooks],
  };
}

// Nest registers the controller's route before any factory runs: a path from the factory would be ignored.
function checkFactoryResult(options: unknown): CactusModuleOptions {
  if (!isModuleOptions(options)) throw new CactusConfigError("CactusModule.forRootAsync: useFactory must return the options, with a webhookSecret ({ webhookSecret, ... })");
  if ("path" in options) {
    throw new CactusConfigError("CactusModule.forRootAsync: give path next to useFactory ({ path, useFactory }), not in what it returns: Nest registers the route before the factory runs");
  }
  return options;
}

// The secret and every other option are checked when the endpoint starts (resolveWebhookOptions).
function isModuleOptions(value: unknown): value is CactusModuleOptions {
  return typeof value === "object" && value !== null && "webhookSecret" in value;
}

function checkPath(path: unknown): string {
  if (typeof path !== "string" || !path.startsWith("/")) throw new CactusConfigError(`CactusModule path must start with "/", got ${JSON.stringify(path)}`);
  return path;
}
