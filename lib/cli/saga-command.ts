import type { Command } from "commander";
import { CactusArgumentError, CactusConfigError, CliUsageError } from "../errors";
import type { PostgresEventStore, SagaSnapshot } from "../postgres";
import type { CliIo } from "./cli-io";
import type { CliCommand, CliContext } from "./command";
import { databaseUrlOf, loadPostgres } from "./database-url";
import { printable } from "./printable";
import { styleFor, type CliStyle } from "./style";

interface SagaShowOptions {
  readonly databaseUrl?: string;
  readonly schema?: string;
  readonly json?: boolean;
}

/** What `cactus saga show` reads: the store, and one query on its database (to name the sagas it has). */
export interface SagaShowSource {
  /** A `PostgresEventStore` on the database (`store.saga(name, objectId)` is what is shown). */
  readonly store: Pick<PostgresEventStore, "saga" | "schema">;
  /** Runs one read-only statement on the same database. */
  query(text: string, params: unknown[]): Promise<readonly Record<string, unknown>[]>;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;
const LISTED = 20;

/**
 * `cactus saga show <name> <objectId> --database-url <url> [--schema cactus] [--json]`: one saga
 * instance as `store.saga(name, objectId)` reads it: state, status, steps with their
 * compensations, history and pending deadlines.
 */
export const sagaCommand: CliCommand = {
  name: "saga",
  register(program: Command, context: CliContext) {
    const saga = program.command("saga").summary("show a saga instance kept in the event store on PostgreSQL (needs pg)").description("Saga instances kept in the event store (CactusSaga, cactus-sdk/saga).");
    saga
      .command("show")
      .summary("show one saga instance: state, status, steps, history, deadlines")
      .description("Shows one instance of a saga as store.saga(name, objectId) reads it: its state, status, steps with their compensations, history and pending deadlines.")
      .argument("<name>", "the saga's name (its sagaName: the class name unless set), e.g. fulfilment")
      .argument("<objectId>", "the related object's id, e.g. ord_456")
      .option("--database-url <url>", "postgres://user:password@host:5432/db (default: DATABASE_URL)")
      .option("--schema <name>", "the schema of the event store's tables", "cactus")
      .option("--json", "print the instance as one JSON object")
      .addHelpText("after", "\nExit status: 0 shown, 1 no such saga or instance, or the database refused or is unreachable, 2 usage.")
      .action((name: string, objectId: string, options: SagaShowOptions) => context.run(() => showFromUrl(name, objectId, options, context.io)));
  },
};

async function showFromUrl(name: string, objectId: string, options: SagaShowOptions, io: CliIo): Promise<number> {
  const url = databaseUrlOf(options.databaseUrl, "cactus saga show needs --database-url <url> (or DATABASE_URL)");
  const schema = options.schema ?? "cactus";
  if (!SCHEMA_NAME.test(schema)) throw new CliUsageError(`--schema must be a lower-case SQL identifier (letters, digits, _; at most 63), got ${JSON.stringify(schema.slice(0, 80))}`);
  const { Pool, PostgresEventStore } = await loadPostgres("cactus saga show");
  const pool = new Pool({ connectionString: url, connectionTimeoutMillis: 10_000, max: 2 });
  pool.on("error", () => undefined);
  try {
    const store = new PostgresEventStore({ db: pool, schema });
    const query = async (text: string, params: unknown[]) => (await pool.query<Record<string, unknown>>(text, params)).rows;
    return await showSaga({ store, query }, name, objectId, { json: options.json === true }, io);
  } finally {
    await pool.end().catch(() => undefined);
  }
}

/**
 * Prints one saga instance (text, or JSON with `json`), resolving with the exit status. An unknown
 * saga or instance rejects with `CactusArgumentError` naming what the database has; missing saga
 * tables with `CactusConfigError` naming the migrate command.
 */
export async function showSaga(source: SagaShowSource, name: string, objectId: string, options: { readonly json: boolean }, io: CliIo): Promise<number> {
  if (name.trim() === "" || objectId.trim() === "") throw new CliUsageError("cactus saga show needs <name> and <objectId>, e.g. cactus saga show fulfilment ord_456");
  const schema = source.store.schema;
  if (!SCHEMA_NAME.test(schema)) throw new CliUsageError(`--schema must be a lower-case SQL identifier, got ${JSON.stringify(schema.slice(0, 80))}`);
  const present = await source.query("SELECT to_regclass($1) IS NOT NULL AS present", [`"${schema}".saga_instances`]);
  if (present[0]?.["present"] !== true) {
    throw new CactusConfigError(`the database has no saga tables in schema "${schema}": run \`npx cactus db migrate --database-url ...${schema === "cactus" ? "" : ` --schema ${schema}`}\` (or await store.migrate()), and run a saga on it`);
  }
  const snapshot = await source.store.saga(name, objectId);
  if (snapshot === undefined) throw await notFound(source, schema, name, objectId);
  if (options.json) io.out(JSON.stringify(snapshot));
  else for (const line of describeSaga(snapshot, styleFor(io))) io.out(line);
  return 0;
}

// Which of the two was unknown, and what the database has instead.
async function notFound(source: SagaShowSource, schema: string, name: string, objectId: string): Promise<CactusArgumentError> {
  const shown = (text: string) => JSON.stringify(printable(text.slice(0, 100)));
  const known = await source.query(`SELECT 1 AS found FROM "${schema}".saga_instances WHERE saga = $1 LIMIT 1`, [name]);
  if (known.length > 0) {
    return new CactusArgumentError("objectId", `saga ${shown(name)} has no instance ${shown(objectId)} in schema "${schema}" (an instance is created by the first event of its object)`);
  }
  const names = (await source.query(`SELECT DISTINCT saga FROM "${schema}".saga_instances ORDER BY saga LIMIT ${LISTED + 1}`, [])).map((row) => String(row["saga"]));
  const listed = names.length === 0 ? "it has no saga instances yet" : `the sagas it has: ${names.slice(0, LISTED).map(shown).join(", ")}${names.length > LISTED ? ", ..." : ""}`;
  return new CactusArgumentError("name", `no saga named ${shown(name)} in schema "${schema}": ${listed} (a saga's name is its sagaName, the class name unless set)`);
}

/** The text form of an instance, line by line. */
export function describeSaga(snapshot: SagaSnapshot, style: CliStyle): string[] {
  const lines = [
    `${style.bold(`saga ${printable(snapshot.saga)}`)}  instance ${printable(snapshot.objectId)}  ${statusOf(snapshot, style)}  version ${snapshot.version}`,
  ];
  if (snapshot.failure !== undefined) lines.push(`failure: ${printable(snapshot.failure)}`);
  lines.push("state:", ...JSON.stringify(snapshot.state, null, 2).split("\n").map((line) => `  ${printable(line)}`));
  lines.push(`steps (${snapshot.steps.length}):`);
  for (const step of snapshot.steps) {
    const outcome = step.error === undefined ? `result ${printable(JSON.stringify(step.result) ?? "null")}` : style.bad(`failed: ${printable(step.error)}`);
    const compensation =
      step.compensation === undefined
        ? ""
        : `  compensation ${step.compensation}${step.compensationAttempts > 0 ? ` (${step.compensationAttempts} ${step.compensationAttempts === 1 ? "try" : "tries"})` : ""}${step.compensationError === undefined ? "" : `, last error: ${printable(step.compensationError)}`}`;
    lines.push(`  ${printable(step.name)}  event ${printable(step.eventId)}  ${outcome}${compensation}`);
  }
  lines.push(`history (${snapshot.history.length}):`);
  for (const entry of snapshot.history) {
    lines.push(`  ${entry.at.toISOString()}  ${printable(entry.eventId ?? "-")}  ${printable(entry.type)}  ${printable(entry.handledBy)}  ${entry.outcome}${entry.outOfOrder ? style.dim("  (out of order)") : ""}`);
  }
  lines.push(`deadlines (${snapshot.deadlines.length}):`);
  for (const deadline of snapshot.deadlines) lines.push(`  ${printable(deadline.name)}  waits for ${printable(deadline.type)}  due ${deadline.dueAt.toISOString()}`);
  return lines;
}

function statusOf(snapshot: SagaSnapshot, style: CliStyle): string {
  if (snapshot.status === "completed") return style.ok("completed");
  if (snapshot.status === "failed") return style.bad("failed");
  return snapshot.status;
}


