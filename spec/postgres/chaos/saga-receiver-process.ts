// A saga chaos receiver process: the chaos saga behind the webhook middleware, its state in a
// transactional PostgresEventStore. Step and compensation effects are inserts into the app's table
// on a pool of their own (autocommit: an effect that happened stays, whatever its event does).
import { Pool } from "pg";
import { PostgresEventStore } from "../../../lib/postgres";
import { serveChaosReceiver } from "./receiver-process";
import { ChaosOrders, type ChaosFaults } from "./saga-chaos-orders";

/** What the parent tells each receiver (one JSON argument). */
export interface SagaChaosChildConfig extends ChaosFaults {
  readonly url: string;
  readonly secret: string;
  readonly leaseMs: number;
}

if (require.main === module) {
  const config = JSON.parse(process.argv[2] ?? "{}") as SagaChaosChildConfig;
  // Named per process, so the parent can see this process's open transactions in pg_stat_activity.
  const pool = new Pool({ connectionString: config.url, max: 12, application_name: `chaos-${process.pid}` });
  const effects = new Pool({ connectionString: config.url, max: 4 });
  pool.on("error", () => undefined);
  effects.on("error", () => undefined);
  const store = new PostgresEventStore({ db: pool, transactional: true });
  const quiet = (): void => undefined;
  const saga = new ChaosOrders(
    { effect: async (kind, key) => void (await effects.query("INSERT INTO saga_chaos_effects (kind, key, pid) VALUES ($1, $2, $3)", [kind, key, process.pid])) },
    { idempotency: store, leaseMs: config.leaseMs, onError: quiet, logger: { debug: quiet, info: quiet, warn: quiet, error: quiet } },
    config,
  );
  serveChaosReceiver(saga, config.secret, pool);
}
