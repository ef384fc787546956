import type { Command } from "commander";
import { CactusConfigError, CliUsageError } from "../errors";
import type { CliCommand } from "./command";

interface DbMigrateOptions {
  readonly databaseUrl?: string;
  readonly schema?: string;
}

/**
 * `cactus db migrate --database-url <url> [--schema cactus]`: creates or upgrades the event store's
 * tables (what `await store.migrate()` does), safe to run while other processes start.
 */
export const dbCommand: CliCommand = {
  name: "db",
  register(program: Command, context) {
    const db = program.command("db").summary("create or upgrade the event store's tables on PostgreSQL (needs pg)").description("The event store's database (cactus-sdk/postgres).");
    db.command("migrate")
      .summary("create or upgrade the event store's tables")
      .description("Creates or upgrades the PostgresEventStore tables in one transaction under an advisory lock (several processes may run it at once).")
      .option("--database-url <url>", "postgres://user:password@host:5432/db (default: DATABASE_URL)")
      .option("--schema <name>", "the schema of the tables", "cactus")
      .addHelpText("after", "\nExit status: 0 migrated (or already current), 1 the database refused or is unreachable, 2 usage.")
      .action((options: DbMigrateOptions) => context.run(() => migrate(options, context.io.out)));
  },
};

async function migrate(options: DbMigrateOptions, out: (line: string) => void): Promise<number> {
  const url = options.databaseUrl ?? process.env["DATABASE_URL"];
  if (url === undefined || url === "") throw new CliUsageError("cactus db migrate needs --database-url <url> (or DATABASE_URL)");
  if (!/^postgres(ql)?:\/\//.test(url)) throw new CliUsageError(`--database-url must be a postgres:// or postgresql:// URL, got ${JSON.stringify(redactUrl(url))}`);
  const { Pool, PostgresEventStore } = await loadModules();
  const pool = new Pool({ connectionString: url, connectionTimeoutMillis: 10_000, max: 1 });
  try {
    const store = new PostgresEventStore({ db: pool, schema: options.schema ?? "cactus" });
    const { from, to } = await store.migrate();
    out(from === to ? `event store tables in schema "${store.schema}" are current (version ${to})` : `migrated the event store tables in schema "${store.schema}" from version ${from} to ${to}`);
    return 0;
  } finally {
    await pool.end();
  }
}

// A URL may carry a password: never print it.
function redactUrl(url: string): string {
  return url.replace(/\/\/[^@/]*@/, "//***@");
}

async function loadModules(): Promise<{ Pool: typeof import("pg").Pool; PostgresEventStore: typeof import("../postgres").PostgresEventStore }> {
  try {
    const [pg, postgres] = await Promise.all([import("pg"), import("../postgres")]);
    return { Pool: pg.Pool, PostgresEventStore: postgres.PostgresEventStore };
  } catch {
    throw new CactusConfigError("cactus db migrate needs the package pg: npm install pg");
  }
}
