import type { Command } from "commander";
import type { CliCommand } from "./command";
import { databaseUrlOf, loadPostgres } from "./database-url";

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
  const url = databaseUrlOf(options.databaseUrl, "cactus db migrate needs --database-url <url> (or DATABASE_URL)");
  const { Pool, PostgresEventStore } = await loadPostgres("cactus db migrate");
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


