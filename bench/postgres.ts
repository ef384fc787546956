// `npm run bench:pg`: the event store on a real PostgreSQL server (a throwaway one, started here).
// A direct receiver (`handler.handle(body)`) with a PostgresEventStore, plain and transactional,
// against a floor of the same statements written by hand with `pg` for each event, all with 16
// events in flight. Each event's work: claim, one insert into the app's table, mark handled.
// Figures are events/s ratios to the floor measured in the same run (alternating rounds, medians).
// `-- --plans`: the query plans and times at 1 million rows instead (bench/postgres-plans.ts).
import "reflect-metadata";
import { randomUUID } from "node:crypto";
import { Pool } from "pg";
import { CactusClient, CactusHandler, type BaseThinEvent, type CactusEventContext } from "../lib";
import { DEFAULT_DONE_TTL_MS } from "../lib/delivery/idempotency-store";
import { PostgresEventStore } from "../lib/postgres";
import { eventStoreSql } from "../lib/postgres/statements";
import { postgresAvailable, startPostgres, INSTALL_POSTGRES } from "../examples/store/local-postgres";
import { printQueryPlans } from "./postgres-plans";
import { median } from "./targets";

const IN_FLIGHT = 16;
const SECONDS = Number(process.env["BENCH_PG_SECONDS"] ?? (process.argv.includes("--quick") ? 1.5 : 4));
const ROUNDS = process.argv.includes("--quick") ? 1 : 4;
const quiet = (): void => undefined;
const silent = { debug: quiet, info: quiet, warn: quiet, error: quiet };
const client = new CactusClient({ apiKey: "sk_test_bench", baseUrl: "http://127.0.0.1:9", maxRetries: 0 });

let sequence = 0;
const nextBody = (): { id: string; body: string } => {
  const id = `evt_bench_${process.pid}_${(sequence += 1)}`;
  return { id, body: JSON.stringify({ id, type: "order.shipped", related_object: { id: `ord_${sequence % 1000}`, type: "order" } }) };
};

/** The handler both SDK cases run: one insert, through the event's transaction when there is one. */
class InsertHandler extends CactusHandler {
  constructor(private readonly pool: Pool, store: PostgresEventStore) {
    super(client, { idempotency: store, logger: silent, onError: quiet });
  }

  override async onOther(event: BaseThinEvent, context: CactusEventContext): Promise<void> {
    if (context.transaction !== undefined) await context.transaction.query("INSERT INTO bench_effects (event_id) VALUES ($1)", [event.id]);
    else await this.pool.query("INSERT INTO bench_effects (event_id) VALUES ($1)", [event.id]);
  }
}

// events/s with IN_FLIGHT workers each running `one()` back to back for `seconds`.
async function throughput(one: () => Promise<unknown>, seconds: number): Promise<number> {
  let done = 0;
  const end = Date.now() + seconds * 1000;
  const worker = async (): Promise<void> => {
    while (Date.now() < end) {
      await one();
      done += 1;
    }
  };
  const start = process.hrtime.bigint();
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  return done / (Number(process.hrtime.bigint() - start) / 1e9);
}

async function main(): Promise<number> {
  if (!postgresAvailable) {
    console.log(`bench:pg: PostgreSQL is not installed; install it with \`${INSTALL_POSTGRES}\``);
    return 0;
  }
  if (process.argv.includes("--plans")) {
    await printQueryPlans();
    return 0;
  }
  const server = await startPostgres();
  const pool = new Pool({ connectionString: server.url, max: IN_FLIGHT + 4 });
  try {
    const plain = new PostgresEventStore({ db: pool });
    await plain.migrate();
    const transactional = new PostgresEventStore({ db: pool, transactional: true });
    await pool.query("CREATE TABLE bench_effects (event_id text PRIMARY KEY)");
    const sql = eventStoreSql('"cactus"');
    const plainHandler = new InsertHandler(pool, plain);
    const txHandler = new InsertHandler(pool, transactional);

    // The floors: the same statements, by hand, no SDK in between.
    const floorPlain = async (): Promise<void> => {
      const { id, body } = nextBody();
      const token = randomUUID();
      const started = Date.now();
      const claim = await pool.query(sql.claim, [id, "order.shipped", "order", `ord_${sequence % 1000}`, null, body, token, 60_000, DEFAULT_DONE_TTL_MS]);
      if (claim.rows[0]?.["claimed"] !== true) throw new Error("floor: not claimed");
      await pool.query("INSERT INTO bench_effects (event_id) VALUES ($1)", [id]);
      await pool.query(sql.commit, [id, token, "onOrderShipped", started, Date.now() - started, "direct"]);
    };
    const floorTransactional = async (): Promise<void> => {
      const { id, body } = nextBody();
      const token = randomUUID();
      const started = Date.now();
      const claim = await pool.query(sql.claim, [id, "order.shipped", "order", `ord_${sequence % 1000}`, null, body, token, 60_000, DEFAULT_DONE_TTL_MS]);
      if (claim.rows[0]?.["claimed"] !== true) throw new Error("floor: not claimed");
      const connection = await pool.connect();
      try {
        await connection.query("BEGIN");
        await connection.query("INSERT INTO bench_effects (event_id) VALUES ($1)", [id]);
        await connection.query(sql.commit, [id, token, "onOrderShipped", started, Date.now() - started, "direct"]);
        await connection.query("COMMIT");
      } finally {
        connection.release();
      }
    };
    const sdk = (handler: InsertHandler) => async (): Promise<void> => {
      const result = await handler.handle(nextBody().body);
      if (result.outcome !== "handled") throw new Error(`bench: ${result.outcome}`);
    };

    const cases = [
      { name: "hand-written pg: claim, insert, mark handled (floor)", one: floorPlain },
      { name: "PostgresEventStore, plain", one: sdk(plainHandler) },
      { name: "hand-written pg, transactional (floor)", one: floorTransactional },
      { name: "PostgresEventStore, transactional: true", one: sdk(txHandler) },
    ];
    for (const item of cases) await throughput(item.one, 0.5); // warm-up
    const ops: number[][] = cases.map(() => []);
    // Odd rounds run the cases in reverse, so neither side always meets the larger tables.
    for (let round = 0; round < ROUNDS; round++) {
      const order = round % 2 === 0 ? [0, 1, 2, 3] : [3, 2, 1, 0];
      for (const index of order) ops[index]?.push(await throughput(cases[index]?.one ?? floorPlain, SECONDS));
    }
    const rate = (index: number): number => median(ops[index] ?? [0]);
    const plainRatio = rate(1) / rate(0);
    const txRatio = rate(3) / rate(2);
    console.log(`\nEvent store on PostgreSQL (${IN_FLIGHT} events in flight, ${ROUNDS} round(s) of ${SECONDS} s; Node ${process.version})`);
    console.log(`${"case".padEnd(56)} ${"events/s".padStart(10)} ${"x floor".padStart(8)}`);
    const rows: [number, number][] = [
      [0, 1],
      [1, plainRatio],
      [2, 1],
      [3, txRatio],
    ];
    for (const [index, ratio] of rows) console.log(`${(cases[index]?.name ?? "").padEnd(56)} ${Math.round(rate(index)).toLocaleString("en-US").padStart(10)} ${ratio.toFixed(3).padStart(8)}`);
    console.log("Round trips per event: plain 2 (claim; mark handled + attempt row) + the handler's; transactional 4 (claim; BEGIN; mark handled + attempt row; COMMIT) + the handler's.");
    const pass = plainRatio >= 0.8 && txRatio >= 0.8;
    console.log(`target >= 0.8 x floor: plain ${plainRatio.toFixed(2)} x, transactional ${txRatio.toFixed(2)} x: ${pass ? "PASS" : "FAIL"}`);
    return pass || process.env["BENCH_STRICT"] !== "1" ? 0 : 1;
  } finally {
    await pool.end();
    await server.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
