import {
  CactusClient,
  CactusHandler,
  type BaseThinEvent,
  type MovieCompletedPushedEvent,
  type OrderShippedPushedEvent,
} from "../../lib";

/**
 * The handler every webhook example mounts: two typed methods that pull from the Cactus API,
 * and `onOther` for everything else (including types this SDK does not know yet).
 */
export class ExampleHandler extends CactusHandler {
  constructor(
    client: CactusClient,
    private readonly log: (line: string) => void = console.log,
  ) {
    super(client);
  }

  override async onOrderShipped(event: OrderShippedPushedEvent): Promise<void> {
    const full = await event.pull();
    this.log(`order ${event.relatedObject.id} shipped with ${full.data.shippingService}`);
  }

  override async onMovieCompleted(event: MovieCompletedPushedEvent): Promise<void> {
    const [full, movie] = await Promise.all([event.pull(), event.fetchRelatedObject()]);
    this.log(`${full.data.user} rated "${movie.title}" ${full.data.rating}/5`);
  }

  override async onOther(event: BaseThinEvent): Promise<void> {
    this.log(`${event.type} ${event.id}: nothing to do`);
  }
}

/** What every example reads from the environment when run on its own. */
export interface ExampleEnv {
  readonly client: CactusClient;
  readonly secret: string;
  readonly port: number;
}

/**
 * `CACTUS_WEBHOOK_SECRET` (required), `CACTUS_API_KEY` (default: the emulator's key),
 * `CACTUS_API_BASE_URL` (read by CactusClient) and `PORT` (default 3000).
 */
export function exampleEnv(env: NodeJS.ProcessEnv = process.env): ExampleEnv {
  const secret = env.CACTUS_WEBHOOK_SECRET;
  if (!secret) {
    throw new Error("Set CACTUS_WEBHOOK_SECRET to your endpoint's signing secret (whsec_...). For a local try: CACTUS_WEBHOOK_SECRET=$(node -e \"console.log(require('./dist/lib').generateWebhookSecret())\")");
  }
  return {
    client: new CactusClient({ apiKey: env.CACTUS_API_KEY ?? "sk_test_emulator" }),
    secret,
    port: Number(env.PORT ?? 3000),
  };
}
