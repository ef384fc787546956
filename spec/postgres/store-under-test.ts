import { PGlite } from "@electric-sql/pglite";
import { SourceTextModule } from "node:vm";
import type { Pool } from "pg";
import { PostgresEventStore, type PostgresEventStoreOptions } from "../../lib/postgres";
import type { EventStoreDb } from "../../lib/postgres";
import { usePostgres } from "./describe-postgres";

/** A database of the enclosing block: PGlite in memory, or a pool on a throwaway server. */
export interface DatabaseUnderTest {
  /** `pglite` or `pg`. */
  readonly name: string;
  /** The database (read inside tests or hooks). */
  readonly db: EventStoreDb;
  /** A migrated store on it, in `schema` (default: the block's own). */
  store(options?: Omit<PostgresEventStoreOptions, "db">): PostgresEventStore;
  /** Runs one statement (to look at the tables). */
  query(text: string, params?: unknown[]): Promise<Record<string, unknown>[]>;
}

/** PGlite in memory for the enclosing block, migrated in schema `cactus`. */
export function usePGlite(): DatabaseUnderTest {
  let db: PGlite | undefined;
  beforeAll(async () => {
    // PGlite loads its WebAssembly with import(), which jest's module sandbox only allows with this flag.
    if (typeof SourceTextModule !== "function") throw new Error('The PGlite suites need NODE_OPTIONS="--experimental-vm-modules" (npm test sets it)');
    db = new PGlite();
    await new PostgresEventStore({ db }).migrate();
  }, 60_000);
  afterAll(async () => {
    await db?.close();
  });
  const open = (): PGlite => {
    if (db === undefined) throw new Error("usePGlite(): read db inside a test or hook");
    return db;
  };
  return {
    name: "PGlite",
    get db() {
      return open();
    },
    store: (options = {}) => new PostgresEventStore({ db: open(), ...options }),
    query: async (text, params) => (await open().query<Record<string, unknown>>(text, params)).rows,
  };
}

/** A throwaway PostgreSQL server for the enclosing block, migrated in schema `cactus`. */
export function useRealPostgres(): DatabaseUnderTest & { readonly url: string; readonly pool: Pool } {
  const server = usePostgres();
  beforeAll(async () => {
    await new PostgresEventStore({ db: server.pool }).migrate();
  });
  return {
    name: "PostgreSQL",
    get url() {
      return server.url;
    },
    get pool() {
      return server.pool;
    },
    get db() {
      return server.pool;
    },
    store: (options = {}) => new PostgresEventStore({ db: server.pool, ...options }),
    query: async (text, params) => (await server.pool.query<Record<string, unknown>>(text, params)).rows,
  };
}
