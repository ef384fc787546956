// `npm run bench:pg -- --plans`: the event store's queries at 1 million rows (PLANS_ROWS=n to
// change): the plan PostgreSQL picks and the time it takes for history, list and prune.
import { Pool } from "pg";
import { PostgresEventStore } from "../lib/postgres";
import { eventStoreSql, listStatement, type ListFilters } from "../lib/postgres/statements";
import { startPostgres } from "../examples/store/local-postgres";

/** Fills a fresh server with `rows` events (1,000 per order, half with an attempt) and prints each query's plan. */
export async function printQueryPlans(rows = Number(process.env["PLANS_ROWS"] ?? 1_000_000)): Promise<void> {
  const server = await startPostgres();
  const pool = new Pool({ connectionString: server.url, max: 2 });
  try {
    await new PostgresEventStore({ db: pool }).migrate();
    await pool.query(
      `INSERT INTO cactus.events (event_id, type, object_type, object_id, body, first_received_at, last_received_at, deliveries, attempts, status, handled_at, handled_by)
       SELECT 'evt_' || n, (ARRAY['order.shipped','order.delivery_attempted','movie.started'])[1 + n % 3], 'order', 'ord_' || (n % ($1::int / 1000)),
              '{"id":"evt_' || n || '","type":"order.shipped"}', now() - (($1::int - n) * interval '3 seconds'), now() - (($1::int - n) * interval '3 seconds'),
              1, 1, CASE WHEN n % 50 = 0 THEN 'failed' ELSE 'handled' END, now(), 'onOrderShipped'
       FROM generate_series(1, $1::int) AS n`,
      [rows],
    );
    await pool.query(`INSERT INTO cactus.attempts (event_id, attempt, started_at, duration_ms, outcome, source) SELECT event_id, 1, first_received_at, 3, status, 'webhook' FROM cactus.events WHERE seq % 2 = 0`);
    await pool.query("VACUUM ANALYZE cactus.events");
    await pool.query("VACUUM ANALYZE cactus.attempts");
    const sql = eventStoreSql('"cactus"');
    const cutoff = Date.now() - 31 * 24 * 3600 * 1000;
    const list = (filters: ListFilters): [string, unknown[]] => {
      const { text, params } = listStatement(sql, filters);
      return [text, [...params]];
    };
    const queries: [string, string, unknown[]][] = [
      ["history(objectId) of an order with 1,000 events", sql.history, ["ord_42", null, 10_000]],
      ["list({ limit: 100 }) newest first", ...list({ order: "desc", fetch: 101 })],
      ["list({ status: 'failed', limit: 100 })", ...list({ status: "failed", order: "desc", fetch: 101 })],
      ["list({ type, since: a day ago, limit: 100 }), next page", ...list({ type: "order.shipped", sinceMs: Date.now() - 24 * 3600 * 1000, cursor: String(rows - 300), order: "desc", fetch: 101 })],
      ["list({ objectId, limit: 100 })", ...list({ objectId: "ord_42", order: "desc", fetch: 101 })],
      ["get(eventId) attempts", sql.attempts, ["evt_500000"]],
      ["prune({ olderThan: 30 days }), one batch of 10,000", sql.prune, [cutoff, 10_000]],
    ];
    console.log(`\nEvent store queries at ${rows.toLocaleString("en-US")} events (plans and times from EXPLAIN ANALYZE)`);
    for (const [name, text, params] of queries) {
      const client = await pool.connect();
      try {
        await client.query("BEGIN");
        const { rows: plan } = await client.query<{ "QUERY PLAN": string }>(`EXPLAIN (ANALYZE, COSTS OFF, TIMING ON, SUMMARY ON) ${text}`, params);
        await client.query("ROLLBACK");
        console.log(`\n${name}`);
        for (const line of plan) console.log(`  ${line["QUERY PLAN"]}`);
      } finally {
        client.release();
      }
    }
  } finally {
    await pool.end();
    await server.stop();
  }
}
