import { TransactionFailure, type SqlDatabase } from "../database";
import { CactusConfigError } from "../../errors";
import { MIGRATE_COMMAND, quotedSchema } from "../schema";

/** The version of the saga tables this package reads and writes (kept apart from the event tables' version). */
export const SAGA_SCHEMA_VERSION = 1;

function steps(s: string): readonly (readonly string[])[] {
  return [
    [
      `CREATE TABLE IF NOT EXISTS ${s}.saga_instances (
        saga text NOT NULL,
        object_id text NOT NULL,
        state text NOT NULL,
        status text NOT NULL,
        version integer NOT NULL,
        failure text,
        newest_created_ms double precision,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (saga, object_id)
      )`,
      `CREATE TABLE IF NOT EXISTS ${s}.saga_history (
        saga text NOT NULL,
        object_id text NOT NULL,
        seq bigint GENERATED ALWAYS AS IDENTITY,
        event_id text,
        type text NOT NULL,
        handled_by text NOT NULL,
        outcome text NOT NULL,
        out_of_order boolean NOT NULL,
        at_ms double precision NOT NULL,
        PRIMARY KEY (saga, object_id, seq)
      )`,
      `CREATE UNIQUE INDEX IF NOT EXISTS saga_history_event_idx ON ${s}.saga_history (saga, object_id, event_id) WHERE event_id IS NOT NULL`,
      `CREATE TABLE IF NOT EXISTS ${s}.saga_steps (
        saga text NOT NULL,
        object_id text NOT NULL,
        event_id text NOT NULL,
        step text NOT NULL,
        seq bigint GENERATED ALWAYS AS IDENTITY,
        result text NOT NULL,
        error text,
        compensation text,
        compensation_attempts integer NOT NULL DEFAULT 0,
        compensation_error text,
        done_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (saga, object_id, event_id, step)
      )`,
      `CREATE TABLE IF NOT EXISTS ${s}.saga_deadlines (
        saga text NOT NULL,
        object_id text NOT NULL,
        name text NOT NULL,
        type text NOT NULL,
        due_ms double precision NOT NULL,
        PRIMARY KEY (saga, object_id, name)
      )`,
      `CREATE INDEX IF NOT EXISTS saga_deadlines_due_idx ON ${s}.saga_deadlines (due_ms)`,
    ],
  ];
}

/** Creates or upgrades the saga tables (own version row, same advisory lock pattern as the event tables). */
export async function migrateSagaSchema(db: SqlDatabase, schema: string): Promise<void> {
  const s = quotedSchema(schema, "PostgresEventStore");
  await db
    .transaction(async (tx) => {
      await tx.query("SELECT pg_advisory_xact_lock(hashtext($1))", [`cactus-sdk sagas ${schema}`]);
      await tx.query(`CREATE SCHEMA IF NOT EXISTS ${s}`);
      await tx.query(`CREATE TABLE IF NOT EXISTS ${s}.saga_schema_version (id integer PRIMARY KEY CHECK (id = 1), version integer NOT NULL, migrated_at timestamptz NOT NULL DEFAULT now())`);
      const { rows } = await tx.query<{ version: number }>(`SELECT version FROM ${s}.saga_schema_version WHERE id = 1`);
      const from = rows[0]?.version ?? 0;
      if (from > SAGA_SCHEMA_VERSION) throw new CactusConfigError(`The saga tables in schema "${schema}" are version ${from}, newer than this cactus-sdk's ${SAGA_SCHEMA_VERSION}: upgrade cactus-sdk`);
      const all = steps(s);
      for (let version = from; version < SAGA_SCHEMA_VERSION; version++) for (const statement of all[version] ?? []) await tx.query(statement);
      await tx.query(`INSERT INTO ${s}.saga_schema_version (id, version) VALUES (1, $1) ON CONFLICT (id) DO UPDATE SET version = excluded.version, migrated_at = now()`, [SAGA_SCHEMA_VERSION]);
    })
    .catch((failure: unknown) => {
      throw failure instanceof TransactionFailure ? failure.cause : failure;
    });
}

/** Rejects with CactusConfigError (naming the migrate command) when the saga tables are missing or of another version. */
export async function checkSagaSchema(db: Pick<SqlDatabase, "query">, schema: string): Promise<void> {
  const s = quotedSchema(schema, "PostgresEventStore");
  const { rows } = await db.query("SELECT to_regclass($1) IS NOT NULL AS present", [`${s}.saga_schema_version`]);
  const found = rows[0]?.["present"] === true ? (await db.query(`SELECT version FROM ${s}.saga_schema_version WHERE id = 1`)).rows[0]?.["version"] : 0;
  if (found !== SAGA_SCHEMA_VERSION) {
    throw new CactusConfigError(
      `The database has ${found === 0 ? "no saga tables" : `saga tables of version ${String(found)}`} in schema "${schema}" (this cactus-sdk uses ${SAGA_SCHEMA_VERSION}): run \`${MIGRATE_COMMAND}\`${schema === "cactus" ? "" : ` --schema ${schema}`} (or await store.migrate()) first`,
    );
  }
}
