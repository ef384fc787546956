import type { InjectionToken, ModuleMetadata, OptionalFactoryDependency } from "@nestjs/common";
import type { CactusClient, CactusClientOptions } from "../client/cactus-client";
import type { Closable } from "../delivery/shutdown";
import type { CactusReceiverOptions } from "../pipeline/receiver-options";
import type { WebhookReceiver } from "../delivery/types";
import type { WebhookSecretInput, WebhookSecrets } from "../signature/secrets";
import type { WebhookMiddlewareSettings } from "../webhooks/options";

/**
 * What {@link CactusModule.forRoot} (or the factory of `forRootAsync`) is configured with: the
 * endpoint secret, the API client handlers use, and the receiver's and endpoint's settings
 * (the same names as `createNodeMiddleware` and `CactusHandler` take).
 *
 * @example
 * ```ts
 * const options: CactusModuleOptions = {
 *   webhookSecret: process.env.CACTUS_WEBHOOK_SECRET!,
 *   client: { apiKey: process.env.CACTUS_API_KEY! },
 *   idempotency: new MemoryIdempotencyStore(),
 * };
 * ```
 */
export interface CactusModuleOptions extends WebhookMiddlewareSettings, Pick<CactusReceiverOptions, "idempotency" | "leaseMs"> {
  /** The endpoint secret `whsec_...`, or several during a rotation. Checked at start-up. */
  readonly webhookSecret: WebhookSecretInput | WebhookSecrets;
  /**
   * The client handlers receive (inject `CactusClient`), and that `event.pull()` and
   * `event.fetchRelatedObject()` use: a `CactusClient` or its options. Default: a client with the
   * `CACTUS_API_KEY` environment variable as its key.
   */
  readonly client?: CactusClient | CactusClientOptions;
  /**
   * Deliver verified events to this receiver instead of the app's handlers, e.g. a `CactusQueue`
   * from `cactus-sdk/bullmq` (answers 202 once Redis stored the event; run the handlers with
   * {@link CactusModule.forWorker}). Closed when the app shuts down.
   */
  readonly queue?: WebhookReceiver & Closable;
  /**
   * How long, at shutdown, the deliveries in flight get to finish, in milliseconds (each of the
   * receiver, the queue and `closeOnShutdown` gets this deadline). Default 10000.
   */
  readonly shutdownTimeoutMs?: number;
  /**
   * More things to close when the app shuts down, after the receiver and the queue (an event
   * store, a Redis client your idempotency store uses). The `idempotency` store itself is closed
   * too when it has a `close` method.
   */
  readonly closeOnShutdown?: readonly Closable[];
}

/**
 * Options of {@link CactusModule.forRootAsync}: a factory for {@link CactusModuleOptions} whose
 * arguments Nest injects (`ConfigService`, say), and the path, which must be known when the module
 * is declared (Nest registers routes before any factory runs).
 *
 * @example
 * ```ts
 * CactusModule.forRootAsync({
 *   imports: [ConfigModule],
 *   inject: [ConfigService],
 *   useFactory: (config: ConfigService) => ({ webhookSecret: config.getOrThrow("CACTUS_WEBHOOK_SECRET") }),
 * });
 * ```
 */
export interface CactusModuleAsyncOptions {
  /** Modules whose providers the factory injects. */
  readonly imports?: readonly CactusModuleImport[];
  /** Tokens Nest resolves and passes to `useFactory`, in order. */
  readonly inject?: readonly CactusInjectionToken[];
  /** Builds the options; may be async. */
  readonly useFactory: (...args: never[]) => CactusModuleOptions | Promise<CactusModuleOptions>;
  /** The route deliveries are POSTed to. Default `/webhooks`. */
  readonly path?: string;
}

/**
 * The options of {@link CactusModule.forRoot}: {@link CactusModuleOptions} and the path.
 *
 * @example
 * ```ts
 * CactusModule.forRoot({ webhookSecret: process.env.CACTUS_WEBHOOK_SECRET!, path: "/hooks/cactus" });
 * ```
 */
export interface CactusModuleRootOptions extends CactusModuleOptions {
  /** The route deliveries are POSTed to (below Nest's global prefix, if any). Default `/webhooks`. */
  readonly path?: string;
}

/** A module Nest can import: a class, a dynamic module, or a promise of one (Nest's `imports` entries). */
export type CactusModuleImport = NonNullable<ModuleMetadata["imports"]>[number];

/** A provider token Nest can inject: a class, a string or a symbol (Nest's `inject` entries). */
export type CactusInjectionToken = InjectionToken | OptionalFactoryDependency;

/** The injection token of the resolved {@link CactusModuleOptions}. */
export const CACTUS_MODULE_OPTIONS: unique symbol = Symbol("cactus.module.options");

/** Default route of the webhook controller. */
export const DEFAULT_NEST_WEBHOOK_PATH = "/webhooks";
