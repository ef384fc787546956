import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap, type OnApplicationShutdown, type OnModuleInit } from "@nestjs/common";
import { DiscoveryService } from "@nestjs/core";
import { CactusClient } from "../client/cactus-client";
import { closeAll, type Closable } from "../delivery/shutdown";
import { CactusConfigError } from "../errors";
import type { CactusRouter } from "../handler/router";
import { loggingErrorReporter } from "../observability/error-reporter";
import { resolveObservability } from "../observability/settings";
import type { CactusReceiverOptions } from "../pipeline/receiver-options";
import type { WebhookReceiver } from "../delivery/types";
import { DEFAULT_NEST_SHUTDOWN_TIMEOUT_MS } from "./cactus-webhooks";
import { discoverHandlers } from "./discover-handlers";
import { buildHandlerRouter, type CactusHandlerRoute } from "./handler-table";
import type { CactusModuleOptions } from "./options";
import { closablesOf } from "./receiver-settings";

/**
 * A queue whose jobs workers run: `CactusQueue` from `cactus-sdk/bullmq` is one.
 *
 * @example
 * ```ts
 * const queue: CactusWorkerQueue<CactusWorkOptions> = new CactusQueue({ connection: process.env.REDIS_URL! });
 * ```
 */
export interface CactusWorkerQueue<W> {
  /** Starts a worker that runs the queue's jobs through `receiver`. */
  work(receiver: WebhookReceiver, options?: W): Closable;
  /** Closes the queue (its workers finish their jobs first). */
  close(options?: { timeoutMs?: number }): Promise<unknown>;
}

/**
 * Options of {@link CactusModule.forWorker}: the queue, how its worker runs, and the client and
 * observability of the handlers (verification happened when the event was queued).
 *
 * @example
 * ```ts
 * CactusModule.forWorker({ queue: new CactusQueue({ connection: process.env.REDIS_URL! }), work: { concurrency: 8, attempts: 5 } });
 * ```
 */
export interface CactusWorkerModuleOptions<W> extends Pick<CactusModuleOptions, "client" | "logger" | "instrumentation" | "eventContext" | "onError" | "shutdownTimeoutMs" | "closeOnShutdown"> {
  /** The queue to run (closed when the app shuts down). */
  readonly queue: CactusWorkerQueue<W>;
  /** The worker's options, e.g. `{ concurrency, attempts, backoff }` of `queue.work`. */
  readonly work?: W;
}

/** The injection token of the resolved {@link CactusWorkerModuleOptions}. */
export const CACTUS_WORKER_OPTIONS: unique symbol = Symbol("cactus.worker.options");

/**
 * The queue worker of `CactusModule.forWorker`: finds the app's handler providers (as `forRoot`
 * does, with the same one-handler-per-type check), starts `queue.work` once the app has started,
 * and at shutdown lets the running jobs finish, then closes the queue and `closeOnShutdown`.
 *
 * @example
 * ```ts
 * const worker = app.get(CactusQueueWorker);
 * console.log(worker.routes);
 * ```
 */
@Injectable()
export class CactusQueueWorker implements OnModuleInit, OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
  #router: CactusRouter | undefined;
  #routes: readonly CactusHandlerRoute[] = [];
  #worker: Closable | undefined;

  /** Nest calls it; the options come from `CactusModule.forWorker`. */
  constructor(
    @Inject(CACTUS_WORKER_OPTIONS) private readonly options: CactusWorkerModuleOptions<unknown>,
    @Inject(CactusClient) readonly client: CactusClient,
    @Inject(DiscoveryService) private readonly discovery: DiscoveryService,
  ) {}

  /** Finds the handlers; throws {@link CactusConfigError} when none exists or two take one type. */
  onModuleInit(): void {
    const built = buildHandlerRouter(discoverHandlers(this.discovery), this.client, observabilityOf(this.options));
    this.#router = built.router;
    this.#routes = built.routes;
  }

  /** Starts the worker, once every module is initialised. */
  onApplicationBootstrap(): void {
    if (this.#router === undefined) throw new CactusConfigError("CactusModule.forWorker: the handlers were not found (onModuleInit did not run)");
    this.#worker = this.options.queue.work(this.#router, this.options.work);
  }

  /** Which method takes which event type. */
  get routes(): readonly CactusHandlerRoute[] {
    return this.#routes;
  }

  /** Whether the worker is running. */
  get running(): boolean {
    return this.#worker !== undefined;
  }

  /** The running jobs get `shutdownTimeoutMs` to finish; no new job starts. */
  async beforeApplicationShutdown(): Promise<void> {
    const worker = this.#worker;
    this.#worker = undefined;
    await worker?.close({ timeoutMs: this.#timeoutMs() });
  }

  /** Closes the queue, then `closeOnShutdown`; a failure is reported to `onError` (else the logger). */
  async onApplicationShutdown(): Promise<void> {
    const errors = await closeAll([this.options.queue, ...closablesOf(this.options)], this.#timeoutMs());
    const report = this.options.onError ?? loggingErrorReporter(resolveObservability(this.options, "CactusModule.forWorker"));
    for (const error of errors) report(error, 503);
  }

  #timeoutMs(): number {
    return this.options.shutdownTimeoutMs ?? DEFAULT_NEST_SHUTDOWN_TIMEOUT_MS;
  }
}

function observabilityOf(options: CactusWorkerModuleOptions<unknown>): CactusReceiverOptions {
  const picked: CactusReceiverOptions = {};
  if (options.logger !== undefined) picked.logger = options.logger;
  if (options.instrumentation !== undefined) picked.instrumentation = options.instrumentation;
  if (options.eventContext !== undefined) picked.eventContext = options.eventContext;
  if (options.onError !== undefined) picked.onError = options.onError;
  return picked;
}
