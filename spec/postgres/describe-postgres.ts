import { Pool } from "pg";
import { postgresAvailable, startPostgres, type LocalPostgres } from "./postgres-server";

/** `describe`, or `describe.skip` when PostgreSQL is missing (the global setup said so once, in one line). */
export const describePostgres: jest.Describe = postgresAvailable ? describe : describe.skip;

/** A throwaway server of the enclosing block, and one pool on it. */
export interface PostgresForTests {
  /** Its URL. */
  readonly url: string;
  /** A `pg.Pool` on it. */
  readonly pool: Pool;
}

/** Starts a server (and a pool) before the enclosing block's tests; stops both after them. */
export function usePostgres(): PostgresForTests {
  let server: LocalPostgres | undefined;
  let pool: Pool | undefined;
  beforeAll(async () => {
    server = await startPostgres();
    pool = new Pool({ connectionString: server.url, max: 10 });
  }, 120_000);
  afterAll(async () => {
    await pool?.end();
    await server?.stop();
  });
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error("usePostgres(): read url and pool inside a test or hook, after the server started");
    return value;
  };
  return {
    get url(): string {
      return started(server).url;
    },
    get pool(): Pool {
      return started(pool);
    },
  };
}
