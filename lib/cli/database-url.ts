import { CactusConfigError, CliUsageError } from "../errors";
import type { PostgresEventStore } from "../postgres";
import { printable } from "./printable";

/** What the database commands load on demand: pg's Pool and the event store. */
export interface PostgresModules {
  readonly Pool: typeof import("pg").Pool;
  readonly PostgresEventStore: typeof PostgresEventStore;
}

/**
 * A URL as it may be printed: a password (which may hold "@" or "/") never is, so everything from
 * "//" up to the last "@" becomes "***"; control codes are escaped and the length is bounded.
 */
export function redactUrl(url: string): string {
  return printable(url.replace(/\/\/.*@/s, "//***@").slice(0, 200));
}

/**
 * The database URL of a command: `--database-url`, else `DATABASE_URL`. A missing one is a usage
 * error saying `missing`; one that is not postgres:// or postgresql:// names what it got, redacted.
 */
export function databaseUrlOf(option: string | undefined, missing: string): string {
  const url = option ?? process.env["DATABASE_URL"];
  if (url === undefined || url === "") throw new CliUsageError(missing);
  if (!/^postgres(ql)?:\/\//.test(url)) throw new CliUsageError(`--database-url must be a postgres:// or postgresql:// URL, got ${JSON.stringify(redactUrl(url))}`);
  return url;
}

/** Loads pg and the event store; without pg installed, a config error naming `command` and the install line. */
export async function loadPostgres(command: string): Promise<PostgresModules> {
  try {
    const [pg, postgres] = await Promise.all([import("pg"), import("../postgres")]);
    return { Pool: pg.Pool, PostgresEventStore: postgres.PostgresEventStore };
  } catch {
    throw new CactusConfigError(`${command} needs the package pg: npm install pg`);
  }
}
