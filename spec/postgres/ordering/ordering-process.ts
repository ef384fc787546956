// One receiver process of the per-object ordering proof: handles its share of the events against a
// real PostgreSQL, each run recording when it started and ended (database clock), then says DONE.
import { Pool } from "pg";
import { CactusClient, CactusHandler } from "../../../lib";
import type { OrderDeliveryAttemptedPushedEvent, OrderShippedPushedEvent } from "../../../lib";
import { PostgresEventStore, type EventOrdering } from "../../../lib/postgres";

/** What the parent passes as the one argument (JSON). */
export interface OrderingProcessConfig {
  readonly url: string;
  readonly schema: string;
  readonly runsTable: string;
  readonly ordering: EventOrdering;
  readonly concurrency: number;
  readonly holdMs: number;
  readonly bodies: readonly string[];
}

const quiet = (): void => undefined;

class RecordingHandler extends CactusHandler {
  constructor(
    private readonly pool: Pool,
    private readonly config: OrderingProcessConfig,
    store: PostgresEventStore,
  ) {
    super(new CactusClient({ apiKey: "sk_test_ordering", baseUrl: "http://127.0.0.1:9", maxRetries: 0 }), {
      idempotency: store,
      ordering: config.ordering,
      logger: { debug: quiet, info: quiet, warn: quiet, error: quiet },
      onError: quiet,
    });
  }

  async #record(id: string, objectId: string): Promise<void> {
    await this.pool.query(`INSERT INTO ${this.config.runsTable} (event_id, object_id, pid, started_at) VALUES ($1, $2, $3, clock_timestamp())`, [id, objectId, process.pid]);
    await new Promise((resolve) => setTimeout(resolve, this.config.holdMs));
    await this.pool.query(`UPDATE ${this.config.runsTable} SET ended_at = clock_timestamp() WHERE event_id = $1`, [id]);
  }

  override async onOther(): Promise<void> {
    // only order events are sent
  }

  override onOrderShipped(event: OrderShippedPushedEvent): Promise<void> {
    return this.#record(event.id, event.relatedObject.id);
  }

  override onOrderDeliveryAttempted(event: OrderDeliveryAttemptedPushedEvent): Promise<void> {
    return this.#record(event.id, event.relatedObject.id);
  }
}

async function main(): Promise<void> {
  const config = JSON.parse(process.argv[2] ?? "{}") as OrderingProcessConfig;
  const pool = new Pool({ connectionString: config.url, max: config.concurrency * 2 + 2 });
  const store = new PostgresEventStore({ db: pool, schema: config.schema, lockWaitMs: 60_000 });
  await store.ready();
  const handler = new RecordingHandler(pool, config, store);
  process.stdout.write("READY\n");
  await new Promise<void>((resolve) => process.stdin.once("data", () => resolve()));
  let next = 0;
  let failed = 0;
  const lane = async (): Promise<void> => {
    for (let at = next++; at < config.bodies.length; at = next++) {
      const body = config.bodies[at];
      if (body === undefined) continue;
      await handler.handle(body).catch(() => (failed += 1));
    }
  };
  await Promise.all(Array.from({ length: config.concurrency }, lane));
  await pool.end();
  process.stdout.write(`DONE ${JSON.stringify({ failed })}\n`);
}

void main().catch((error: unknown) => {
  process.stderr.write(`${String(error instanceof Error ? error.stack : error)}\n`);
  process.exit(1);
});
