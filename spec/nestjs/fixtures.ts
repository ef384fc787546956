// Handler providers and an app module, written as a Nest user writes them.
import { Injectable, Module, type DynamicModule } from "@nestjs/common";
import { CactusClient, CactusHandler, CactusModule, CactusWebhookHandler, On, type CactusModuleRootOptions } from "../../lib/nestjs";
import type { BaseThinEvent, MovieCompletedPushedEvent, OrderShippedPushedEvent } from "../../lib";
import { generateWebhookSecret } from "../../lib/signature/secrets";

export const secret = generateWebhookSecret();

/** A service the handlers inject: it records what they saw. */
@Injectable()
export class OrdersService {
  readonly seen: string[] = [];
  /** When set, the next shipped order waits for it (a handler still running at shutdown). */
  hold: Promise<void> | undefined;
  /** Resolved when a held handler started. */
  started: (() => void) | undefined;
  fail = false;
  readonly #waiting: { line: string; done: () => void }[] = [];

  /** Records a line, and wakes whoever waits for it. */
  record(line: string): void {
    this.seen.push(line);
    for (const waiter of this.#waiting.filter((entry) => entry.line === line)) waiter.done();
  }

  /** Resolves once `line` was recorded. */
  whenSeen(line: string): Promise<void> {
    if (this.seen.includes(line)) return Promise.resolve();
    return new Promise((done) => this.#waiting.push({ line, done }));
  }

  async shipped(event: OrderShippedPushedEvent): Promise<void> {
    if (this.fail) throw new Error("the orders database is down");
    this.started?.();
    if (this.hold !== undefined) await this.hold;
    this.record(`shipped ${event.relatedObject.id}`);
  }
}

@Injectable()
export class OrdersHandler extends CactusHandler {
  constructor(
    private readonly orders: OrdersService,
    client: CactusClient,
  ) {
    super(client);
  }

  override async onOrderShipped(event: OrderShippedPushedEvent): Promise<void> {
    await this.orders.shipped(event);
  }

  override async onOther(event: BaseThinEvent): Promise<void> {
    this.orders.record(`other ${event.type}`);
  }
}

@CactusWebhookHandler()
export class MovieHandlers {
  constructor(private readonly orders: OrdersService) {}

  @On("movie.completed")
  async completed(event: MovieCompletedPushedEvent): Promise<void> {
    this.orders.record(`completed ${event.relatedObject.id}`);
  }
}

/** A second handler of movie.completed: a start-up error. */
@CactusWebhookHandler()
export class MoreMovieHandlers {
  @On("movie.*")
  async anyMovie(): Promise<void> {}
}

export const client = new CactusClient({ apiKey: "sk_test_nest", baseUrl: "http://127.0.0.1:9" });

/** The app: the module and the handler providers. */
export function appModule(options: Partial<CactusModuleRootOptions> = {}, providers: readonly (new (...args: never[]) => object)[] = [OrdersHandler, MovieHandlers]): DynamicModule {
  @Module({})
  class AppModule {}
  return {
    module: AppModule,
    imports: [CactusModule.forRoot({ webhookSecret: secret, client, ...options })],
    providers: [OrdersService, ...providers],
  };
}

/** A logger that keeps its error lines (tests that expect failures print nothing). */
export function capturingLogger(): { readonly errors: string[]; debug(): void; info(): void; warn(): void; error(fields: object, message: string): void } {
  const errors: string[] = [];
  return { errors, debug: () => undefined, info: () => undefined, warn: () => undefined, error: (_fields, message) => void errors.push(message) };
}
