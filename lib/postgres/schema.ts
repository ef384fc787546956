import { CactusConfigError } from "../errors";
import { TransactionFailure, type SqlDatabase } from "./database";

/** The schema version this package's event store reads and writes. */
export const EVENT_STORE_SCHEMA_VERSION = 2;

/** The shell command that creates or upgrades the tables. */
export const MIGRATE_COMMAND = "npx cactus db migrate --database-url <url>";

/** A schema name the store accepts: a plain lower-case SQL identifier. */
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** Checks `schema` and returns it double-quoted for SQL text (identifiers cannot be parameters). */
export function quotedSchema(schema: string, what: string): string {
  if (typeof schema !== "string" || !SCHEMA_NAME.test(schema)) {
    throw new CactusConfigError(`${what} schema must be a lower-case SQL identifier (letters, digits, _; at most 63), got ${JSON.stringify(schema)}`);
  }
  return `"${schema}"`;
}

// Each step brings the schema from version (index) to version (index + 1). Steps are only ever
// appended: a released step never changes.
function steps(s: string): readonly (readonly string[])[] {
  return [
    [
      `CREATE TABLE IF NOT EXISTS ${s}.events (
        event_id text PRIMARY KEY,
        seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
        type text,
        object_type text,
        object_id text,
        created timestamptz,
        body text,
        first_received_at timestamptz NOT NULL,
        last_received_at timestamptz NOT NULL,
        deliveries integer NOT NULL DEFAULT 1,
        attempts integer NOT NULL DEFAULT 0,
        status text NOT NULL,
        lease_token text,
        lease_until timestamptz,
        handled_at timestamptz,
        handled_by text,
        last_error_message text,
        last_error_code text
      )`,
      `CREATE INDEX IF NOT EXISTS events_object_idx ON ${s}.events (object_id, seq) WHERE object_id IS NOT NULL`,
      `CREATE INDEX IF NOT EXISTS events_received_idx ON ${s}.events (first_received_at, seq)`,
      `CREATE INDEX IF NOT EXISTS events_type_idx ON ${s}.events (type, seq)`,
      `CREATE INDEX IF NOT EXISTS events_status_idx ON ${s}.events (status, seq) WHERE status <> 'handled'`,
      `CREATE TABLE IF NOT EXISTS ${s}.attempts (
        event_id text NOT NULL REFERENCES ${s}.events (event_id) ON DELETE CASCADE,
        attempt integer NOT NULL,
        started_at timestamptz NOT NULL,
        duration_ms double precision,
        outcome text NOT NULL,
        source text NOT NULL,
        handled_by text,
        error_message text,
        error_code text,
        PRIMARY KEY (event_id, attempt)
      )`,
    ],
    // 2: each related object's newest handled event (the stale-event guard), and the store's
    // order (`created`, else time of receipt) indexed for replay.
    [
      `CREATE TABLE IF NOT EXISTS ${s}.objects (
        object_key text PRIMARY KEY,
        newest_at timestamptz NOT NULL,
        newest_event_id text NOT NULL,
        newest_type text NOT NULL,
        updated_at timestamptz NOT NULL
      )`,
      `CREATE INDEX IF NOT EXISTS events_order_idx ON ${s}.events ((coalesce(created, first_received_at)), seq)`,
    ],
  ];
}

/** What `migrate()` did. */
export interface MigrationResult {
  /** The version before. 0: there were no tables. */
  readonly from: number;
  /** The version now ({@link EVENT_STORE_SCHEMA_VERSION}). */
  readonly to: number;
}

/**
 * Creates or upgrades the store's tables in `schema`, in one transaction holding an advisory lock
 * (so several processes starting at once migrate once, the others wait and find it done).
 */
export async function migrateSchema(db: SqlDatabase, schema: string): Promise<MigrationResult> {
  const s = quotedSchema(schema, "PostgresEventStore");
  return unwrapped(db.transaction(async (tx) => {
    await tx.query("SELECT pg_advisory_xact_lock(hashtext($1))", [`cactus-sdk event store ${schema}`]);
    await tx.query(`CREATE SCHEMA IF NOT EXISTS ${s}`);
    await tx.query(`CREATE TABLE IF NOT EXISTS ${s}.schema_version (id integer PRIMARY KEY CHECK (id = 1), version integer NOT NULL, migrated_at timestamptz NOT NULL DEFAULT now())`);
    const { rows } = await tx.query<{ version: number }>(`SELECT version FROM ${s}.schema_version WHERE id = 1`);
    const from = rows[0]?.version ?? 0;
    if (from > EVENT_STORE_SCHEMA_VERSION) throw newerSchema(schema, from);
    const all = steps(s);
    for (let version = from; version < EVENT_STORE_SCHEMA_VERSION; version++) {
      for (const statement of all[version] ?? []) await tx.query(statement);
    }
    await tx.query(
      `INSERT INTO ${s}.schema_version (id, version) VALUES (1, $1) ON CONFLICT (id) DO UPDATE SET version = excluded.version, migrated_at = now()`,
      [EVENT_STORE_SCHEMA_VERSION],
    );
    return { from, to: EVENT_STORE_SCHEMA_VERSION };
  }));
}

// The migration's own error (or the database's), not the transaction wrapper.
function unwrapped<T>(work: Promise<T>): Promise<T> {
  return work.catch((failure: unknown) => {
    throw failure instanceof TransactionFailure ? failure.cause : failure;
  });
}

/** The schema version found in `schema` (0 when there are no tables). */
export async function schemaVersion(db: SqlDatabase, schema: string): Promise<number> {
  const s = quotedSchema(schema, "PostgresEventStore");
  const { rows } = await db.query("SELECT to_regclass($1) IS NOT NULL AS present", [`${s}.schema_version`]);
  if (rows[0]?.["present"] !== true) return 0;
  const version = await db.query(`SELECT version FROM ${s}.schema_version WHERE id = 1`);
  const found = version.rows[0]?.["version"];
  return typeof found === "number" ? found : 0;
}

/** The error of a store whose tables are missing, older or newer than this package. */
export function schemaMismatch(schema: string, found: number): CactusConfigError {
  if (found > EVENT_STORE_SCHEMA_VERSION) return newerSchema(schema, found);
  const what = found === 0 ? `has no event store tables in schema "${schema}"` : `has event store tables of version ${found} in schema "${schema}", older than this cactus-sdk's ${EVENT_STORE_SCHEMA_VERSION}`;
  return new CactusConfigError(`The database ${what}: run \`${MIGRATE_COMMAND}\`${schema === "cactus" ? "" : ` --schema ${schema}`} (or await store.migrate()) first`);
}

function newerSchema(schema: string, found: number): CactusConfigError {
  return new CactusConfigError(
    `The event store tables in schema "${schema}" are version ${found}, newer than this cactus-sdk's ${EVENT_STORE_SCHEMA_VERSION}: upgrade cactus-sdk ` +
      `(\`npm install cactus-sdk@latest\`); never run an older \`${MIGRATE_COMMAND}\` against them`,
  );
}
