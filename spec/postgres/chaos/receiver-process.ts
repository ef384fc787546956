// A chaos receiver process on PostgreSQL: the webhook middleware on a free port in front of a
// handler whose effect is an insert into the app's own table through context.transaction, with a
// transactional PostgresEventStore as its idempotency store. Some handler calls fail after the
// insert (rolled back); each holds its transaction open a few ms, so a SIGKILL lands mid-transaction.
import { createServer } from "node:http";
import { Pool } from "pg";
import { CactusClient, CactusHandler, createNodeMiddleware, shutdownOnSignals, type BaseThinEvent, type CactusEventContext, type CactusEventReceiver } from "../../../lib";
import { PostgresEventStore } from "../../../lib/postgres";

/** What the parent tells each receiver (one JSON argument). */
export interface PgChaosChildConfig {
  readonly url: string;
  readonly secret: string;
  readonly failRate: number;
  readonly leaseMs: number;
}

class ChaosEffectHandler extends CactusHandler {
  constructor(private readonly failRate: number, options: ConstructorParameters<typeof CactusHandler>[1]) {
    super(new CactusClient({ apiKey: "sk_test_chaos", baseUrl: "http://127.0.0.1:9", maxRetries: 0 }), options);
  }

  override async onOther(event: BaseThinEvent, context: CactusEventContext): Promise<void> {
    if (context.transaction === undefined) throw new Error("the chaos store must be transactional");
    await context.transaction.query("INSERT INTO chaos_effects (event_id, pid) VALUES ($1, $2)", [event.id, process.pid]);
    await new Promise((resolve) => setTimeout(resolve, Math.random() * 8));
    if (Math.random() < this.failRate) throw new Error(`chaos failure of ${event.id}`);
  }
}

if (require.main === module) {
  const config = JSON.parse(process.argv[2] ?? "{}") as PgChaosChildConfig;
  // Named per process, so the parent can see this process's open transactions in pg_stat_activity.
  const pool = new Pool({ connectionString: config.url, max: 12, application_name: `chaos-${process.pid}` });
  pool.on("error", () => undefined);
  const store = new PostgresEventStore({ db: pool, transactional: true });
  const quiet = (): void => undefined;
  const handler = new ChaosEffectHandler(config.failRate, { idempotency: store, leaseMs: config.leaseMs, onError: quiet, logger: { debug: quiet, info: quiet, warn: quiet, error: quiet } });
  serveChaosReceiver(handler, config.secret, pool);
}

/** Serves `receiver` through the webhook middleware on a free port, prints `READY <port>`, and on SIGTERM closes it, then `pool`, then exits. */
export function serveChaosReceiver(receiver: CactusEventReceiver, secret: string, pool: Pool): void {
  const quiet = (): void => undefined;
  const server = createServer(createNodeMiddleware(receiver, { webhookSecret: secret, onError: quiet }));
  server.keepAliveTimeout = 1_000;
  server.listen(0, "127.0.0.1", () => {
    const address = server.address();
    process.stdout.write(`READY ${typeof address === "object" && address !== null ? address.port : 0}\n`);
  });
  shutdownOnSignals([receiver, { close: () => new Promise((resolve) => server.close(() => resolve(undefined))) }], {
    onClosed: () => {
      void pool.end().finally(() => process.exit(0));
    },
  });
}
