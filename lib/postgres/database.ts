import type { CactusQueryResult, CactusTransaction } from "../delivery/transaction";
import { CactusConfigError } from "../errors";

/** What `pg` (a `Pool` or a pooled client) and PGlite answer a query with: rows and a count. */
interface DriverResult<Row extends Record<string, unknown> = Record<string, unknown>> {
  readonly rows: Row[];
  readonly rowCount?: number | null | undefined;
  readonly affectedRows?: number | undefined;
}

/** The part of a `pg.PoolClient` the store uses. */
export interface PgPoolClientLike {
  /** Runs one statement. */
  query<Row extends Record<string, unknown> = Record<string, unknown>>(text: string, values?: unknown[]): Promise<DriverResult<Row>>;
  /** Gives the connection back to the pool (`true`/an error: destroy it). */
  release(destroy?: boolean | Error): void;
}

/** The part of a `pg.Pool` the store uses: `query` and `connect` (`new Pool({ connectionString })`). */
export interface PgPoolLike {
  /** Runs one statement on any connection of the pool. */
  query<Row extends Record<string, unknown> = Record<string, unknown>>(text: string, values?: unknown[]): Promise<DriverResult<Row>>;
  /** Checks out one connection (for a transaction). */
  connect(): Promise<PgPoolClientLike>;
}

/** The part of a PGlite database the store uses (`new PGlite()` from `@electric-sql/pglite`). */
export interface PGliteLike {
  /** Runs one statement. */
  query<Row extends Record<string, unknown> = Record<string, unknown>>(text: string, params?: unknown[]): Promise<DriverResult<Row>>;
  /** Runs `fn` in one transaction. */
  transaction<T>(fn: (tx: { query<Row extends Record<string, unknown> = Record<string, unknown>>(text: string, params?: unknown[]): Promise<DriverResult<Row>> }) => Promise<T>): Promise<T>;
}

/** What the event store can be given as `db`: a `pg.Pool` or a PGlite database. */
export type EventStoreDb = PgPoolLike | PGliteLike;

/** Where a transaction failed: in the caller's work (rolled back), or at COMMIT itself. */
export class TransactionFailure {
  /** @param phase `work` (the callback threw) or `commit`; @param cause what was thrown */
  constructor(
    readonly phase: "work" | "commit",
    readonly cause: unknown,
  ) {}
}

/**
 * One small interface over `pg.Pool` and PGlite: `query(text, params)` on any connection and
 * `transaction(fn)` on one connection. PGlite is a single connection: its queries and
 * transactions run one at a time (a query waits while a transaction is open).
 */
export abstract class SqlDatabase {
  /** `pg` or `pglite`. */
  abstract readonly kind: "pg" | "pglite";
  /** Runs one parameterised statement. */
  abstract query(text: string, params?: readonly unknown[]): Promise<CactusQueryResult>;
  /**
   * Runs `fn` inside BEGIN ... COMMIT on one connection; ROLLBACK when `fn` throws. Rejects with a
   * {@link TransactionFailure} saying whether `fn` or the COMMIT failed.
   */
  abstract transaction<T>(fn: (tx: CactusTransaction) => Promise<T>): Promise<T>;
}

function resultOf(result: DriverResult): CactusQueryResult {
  return { rows: result.rows, rowCount: result.rowCount ?? result.affectedRows ?? result.rows.length };
}

/** A transaction handle that refuses to run once its transaction ended (a handler that kept it). */
class ScopedTransaction implements CactusTransaction {
  open = true;
  constructor(private readonly run: <Row extends Record<string, unknown>>(text: string, params: unknown[]) => Promise<DriverResult<Row>>) {}

  async query<Row extends Record<string, unknown> = Record<string, unknown>>(text: string, params: readonly unknown[] = []): Promise<CactusQueryResult<Row>> {
    if (!this.open) throw new CactusConfigError("context.transaction was used after its handler returned; run every query of the handler before it resolves");
    // The caller names the row type, as with pg's own query<Row>.
    const result = await this.run<Row>(text, [...params]);
    return { rows: result.rows, rowCount: result.rowCount ?? result.affectedRows ?? result.rows.length };
  }
}

class PgDatabase extends SqlDatabase {
  readonly kind = "pg";
  constructor(private readonly pool: PgPoolLike) {
    super();
  }

  async query(text: string, params: readonly unknown[] = []): Promise<CactusQueryResult> {
    return resultOf(await this.pool.query(text, [...params]));
  }

  async transaction<T>(fn: (tx: CactusTransaction) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let broken: unknown;
    const tx = new ScopedTransaction((text, params) => client.query(text, params));
    try {
      await client.query("BEGIN");
      let value: T;
      try {
        value = await fn(tx);
      } catch (cause) {
        tx.open = false;
        await client.query("ROLLBACK").catch((error: unknown) => {
          broken = error;
        });
        throw new TransactionFailure("work", cause);
      }
      tx.open = false;
      try {
        await client.query("COMMIT");
      } catch (cause) {
        broken = cause;
        throw new TransactionFailure("commit", cause);
      }
      return value;
    } catch (error) {
      if (error instanceof TransactionFailure) throw error;
      broken = error;
      throw new TransactionFailure("work", error);
    } finally {
      tx.open = false;
      // A connection whose COMMIT or ROLLBACK failed may be in any state: the pool drops it.
      client.release(broken === undefined ? undefined : true);
    }
  }
}

class PGliteDatabase extends SqlDatabase {
  readonly kind = "pglite";
  constructor(private readonly db: PGliteLike) {
    super();
  }

  async query(text: string, params: readonly unknown[] = []): Promise<CactusQueryResult> {
    return resultOf(await this.db.query(text, [...params]));
  }

  async transaction<T>(fn: (tx: CactusTransaction) => Promise<T>): Promise<T> {
    let workDone = false;
    let tx: ScopedTransaction | undefined;
    try {
      return await this.db.transaction(async (driverTx) => {
        tx = new ScopedTransaction((text, params) => driverTx.query(text, params));
        let value: T;
        try {
          value = await fn(tx);
        } catch (cause) {
          throw new TransactionFailure("work", cause);
        } finally {
          tx.open = false;
        }
        workDone = true;
        return value;
      });
    } catch (error) {
      if (error instanceof TransactionFailure) throw error;
      throw new TransactionFailure(workDone ? "commit" : "work", error);
    }
  }
}

/**
 * Wraps a `pg.Pool` or a PGlite database; anything else throws {@link CactusConfigError}.
 * A `pg.Client` is refused: one client cannot run two transactions at once, use a `Pool`.
 */
export function sqlDatabaseOf(db: EventStoreDb | undefined, what: string): SqlDatabase {
  if (typeof db === "object" && db !== null && typeof Reflect.get(db, "query") === "function") {
    if ("connect" in db && "totalCount" in db && typeof db.connect === "function") return new PgDatabase(db);
    if ("transaction" in db && typeof db.transaction === "function") return new PGliteDatabase(db);
  }
  throw new CactusConfigError(
    `${what} needs { db }: a pg.Pool (new Pool({ connectionString })) or a PGlite database (new PGlite()); ` +
      `a pg.Client cannot run concurrent transactions, so pass a Pool`,
  );
}
