// The chaos run on PostgreSQL: "Cactus" (this process) delivers N events 1-3 times each in
// shuffled order to two receiver processes, redelivering every non-2xx (honouring Retry-After,
// capped). Each receiver's handler inserts a row into the app's table through context.transaction
// and fails 30% of calls after the insert. Mid-run one receiver is SIGKILLed (its open
// transactions die with it) and restarted. Then the app's rows are checked against the store.
import { chaosScript, type ChaosScriptReport } from "../../chaos/chaos-script";
import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { Pool } from "pg";
import { signWebhook } from "../../../lib/webhooks";
import { PostgresEventStore } from "../../../lib/postgres";
import { INSTALL_POSTGRES, postgresAvailable, startPostgres } from "../postgres-server";
import type { PgChaosChildConfig } from "./receiver-process";

/** How big and how rough a run is. */
export interface PgChaosOptions {
  readonly events: number;
  readonly failRate?: number;
  /** Deliveries in flight at once from "Cactus". */
  readonly senders?: number;
  /** Kill when this share of events is handled. */
  readonly killAt?: number;
}

/** What a run saw; `problems` is empty when every promise held. */
export interface PgChaosReport {
  readonly options: Required<PgChaosOptions>;
  readonly deliveries: number;
  readonly answers: Readonly<Record<string, number>>;
  /** Handler runs started (the store's attempt counters), and those recorded as failed. */
  readonly handlerStarts: number;
  readonly handlerFailures: number;
  /** Events marked handled in the store. */
  readonly handled: number;
  /** Rows in the app's table. */
  readonly effectRows: number;
  /** Events with no effect row or not handled. */
  readonly lost: readonly string[];
  /** Events with more than one effect row. */
  readonly twice: readonly string[];
  /** Effect rows of events the store does not have as handled. */
  readonly orphanEffects: number;
  /** Handler runs the SIGKILL cut short (started, never recorded as handled or failed). */
  readonly cutByKill: number;
  readonly killedAfterHandled: number;
  /** The victim's transactions open just before the SIGKILL. */
  readonly openAtKill: number;
  readonly seconds: number;
  readonly problems: readonly string[];
}

/** The webhook secret of the chaos runs (a test value). */
export const SECRET = "whsec_Y2hhb3MtdGVzdC1zZWNyZXQtMzItYnl0ZXMtbG9uZyE=";
const HOOK = join(__dirname, "..", "..", "chaos", "require-hook.js");

/** A receiver process and the port it listens on. */
export interface Child {
  readonly process: ChildProcess;
  readonly port: number;
}

/** Runs one chaos round against a fresh PostgreSQL server and returns what it saw. */
export async function runPgChaos(input: PgChaosOptions): Promise<PgChaosReport> {
  const options: Required<PgChaosOptions> = { failRate: 0.3, senders: 24, killAt: 0.3, ...input };
  const started = Date.now();
  const server = await startPostgres();
  const pool = new Pool({ connectionString: server.url, max: 4 });
  const children = new Set<ChildProcess>();
  try {
    await new PostgresEventStore({ db: pool }).migrate();
    // No unique key on purpose: an effect that happened twice shows as two rows.
    await pool.query("CREATE TABLE chaos_effects (event_id text NOT NULL, pid integer NOT NULL, at timestamptz NOT NULL DEFAULT clock_timestamp())");
    const config: PgChaosChildConfig = { url: server.url, secret: SECRET, failRate: options.failRate, leaseMs: 2_000 };
    const startChild = async (): Promise<Child> => {
      const child = await spawnChild(config);
      children.add(child.process);
      child.process.once("exit", () => children.delete(child.process));
      return child;
    };
    const receivers = await Promise.all([startChild(), startChild()]);
    const ports = receivers.map((child) => child.port);

    const victim = receivers[0] as Child;
    const kill = killAndRestart(pool, victim, options.events * options.killAt, async () => {
      ports[0] = (await startChild()).port;
    });

    const answers: Record<string, number> = {};
    const deliveries = await deliverAll(options, ports, answers);
    const { killedAfterHandled, openAtKill, killed } = await kill;

    const effects = new Map<string, number>();
    for (const row of (await pool.query<{ event_id: string; n: number }>("SELECT event_id, count(*)::int AS n FROM chaos_effects GROUP BY event_id")).rows) effects.set(row.event_id, row.n);
    const handledIds = new Set((await pool.query<{ event_id: string }>("SELECT event_id FROM cactus.events WHERE status = 'handled'")).rows.map((row) => row.event_id));
    const starts = (await pool.query<{ n: number }>("SELECT coalesce(sum(attempts), 0)::int AS n FROM cactus.events")).rows[0]?.n ?? 0;
    const recorded = (await pool.query<{ outcome: string; n: number }>("SELECT outcome, count(*)::int AS n FROM cactus.attempts GROUP BY outcome")).rows;
    const failures = recorded.find((row) => row.outcome === "failed")?.n ?? 0;
    const handledAttempts = recorded.find((row) => row.outcome === "handled")?.n ?? 0;
    const effectRows = [...effects.values()].reduce((total, n) => total + n, 0);

    const ids = Array.from({ length: options.events }, (_, index) => eventId(index));
    const lost = ids.filter((id) => !handledIds.has(id) || !effects.has(id));
    const twice = ids.filter((id) => (effects.get(id) ?? 0) > 1);
    const orphanEffects = [...effects.keys()].filter((id) => !handledIds.has(id)).length;
    const problems = [
      lost.length > 0 ? `${lost.length} events lost (e.g. ${lost.slice(0, 3).join(", ")})` : "",
      twice.length > 0 ? `${twice.length} effects happened twice (e.g. ${twice.slice(0, 3).join(", ")})` : "",
      orphanEffects > 0 ? `${orphanEffects} effect rows of events not marked handled` : "",
      effectRows !== handledIds.size ? `${effectRows} effect rows for ${handledIds.size} handled events` : "",
      killed ? "" : "no receiver was killed",
    ].filter((problem) => problem !== "");
    return {
      options,
      deliveries,
      answers,
      handlerStarts: starts,
      handlerFailures: failures,
      handled: handledIds.size,
      effectRows,
      lost,
      twice,
      orphanEffects,
      cutByKill: starts - failures - handledAttempts,
      killedAfterHandled,
      openAtKill,
      seconds: (Date.now() - started) / 1000,
      problems,
    };
  } finally {
    await Promise.all([...children].map((child) => stopChild(child)));
    await pool.end();
    await server.stop();
  }
}

/** The report as printed by the test and `npm run chaos:pg`. */
export function formatPgChaosReport(report: PgChaosReport): string {
  const { options } = report;
  const answers = Object.entries(report.answers).sort().map(([status, count]) => `${status} x ${count}`).join(", ");
  return [
    `chaos on PostgreSQL, transactional: ${options.events} events, ${report.deliveries} deliveries (1-3 per event, shuffled, every non-2xx redelivered)`,
    `  2 receiver processes, ${Math.round(options.failRate * 100)}% of handler calls fail after their insert; one receiver SIGKILLed after ${report.killedAfterHandled} events were handled, with ${report.openAtKill} transaction(s) open, then restarted`,
    `  answers to Cactus: ${answers}`,
    `  handler runs: ${report.handlerStarts} (${report.handlerFailures} failed and rolled back, ${report.cutByKill} cut by the SIGKILL)`,
    `  handled: ${report.handled}   effect rows: ${report.effectRows}   twice: ${report.twice.length}   lost: ${report.lost.length}   rows of unhandled events: ${report.orphanEffects}`,
    `  time: ${report.seconds.toFixed(1)} s`,
    report.problems.length === 0 ? "  result: effect rows == handled events, none twice, none lost" : `  result: FAILED: ${report.problems.join("; ")}`,
  ].join("\n");
}

/** What the SIGKILL hit: the events handled by then, the victim's open transactions, whether it happened. */
export interface KillReport {
  readonly killedAfterHandled: number;
  readonly openAtKill: number;
  readonly killed: boolean;
}

/**
 * SIGKILLs `victim` once `handledAtLeast` events are handled in the store (schema `cactus`) and it
 * has transactions open (its pool is named `chaos-<pid>`), so the kill lands mid-transaction; then
 * waits a moment and calls `restart`.
 */
export async function killAndRestart(pool: Pool, victim: Child, handledAtLeast: number, restart: () => Promise<void>): Promise<KillReport> {
  let killedAfterHandled = 0;
  let openAtKill = 0;
  for (;;) {
    const { rows } = await pool.query<{ handled: number; open: number }>(
      `SELECT (SELECT count(*)::int FROM cactus.events WHERE status = 'handled') AS handled,
              (SELECT count(*)::int FROM pg_stat_activity WHERE application_name = $1 AND state = 'idle in transaction') AS open`,
      [`chaos-${victim.process.pid ?? 0}`],
    );
    killedAfterHandled = rows[0]?.handled ?? 0;
    openAtKill = rows[0]?.open ?? 0;
    // Past the share, and while the victim has transactions open: the kill lands mid-transaction.
    if (killedAfterHandled >= handledAtLeast && openAtKill > 0) break;
    await sleep(5);
  }
  victim.process.kill("SIGKILL");
  await sleep(300);
  await restart();
  return { killedAfterHandled, openAtKill, killed: true };
}

function eventId(index: number): string {
  return `evt_pgchaos_${String(index).padStart(5, "0")}`;
}

function eventBody(index: number): string {
  const id = eventId(index);
  switch (index % 3) {
    case 0:
      return JSON.stringify({ id, type: "order.shipped", related_object: { id: `ord_${index % 50}`, type: "order" } });
    case 1:
      return JSON.stringify({ id, type: "order.lost" });
    default:
      return JSON.stringify({ id, type: "movie.started", related_object: { id: `mov_${index % 50}`, type: "movie" } });
  }
}

/** One event as "Cactus" sends it. */
export interface ChaosDelivery {
  readonly id: string;
  readonly body: string;
}

/**
 * "Cactus": delivers each of `options.events` events (`eventAt(index)`) 1-3 times in shuffled
 * order to a random one of `ports`, `options.senders` at once; every delivery is retried until it
 * gets a 2xx, honouring Retry-After (capped, to keep the run short). Counts the answers; resolves
 * with the number of deliveries planned.
 */
export async function deliverAll(
  options: Pick<Required<PgChaosOptions>, "events" | "senders">,
  ports: number[],
  answers: Record<string, number>,
  eventAt: (index: number) => ChaosDelivery = (index) => ({ id: eventId(index), body: eventBody(index) }),
): Promise<number> {
  const pending: number[] = [];
  for (let index = 0; index < options.events; index += 1) {
    const copies = 1 + Math.floor(Math.random() * 3);
    for (let copy = 0; copy < copies; copy += 1) pending.push(index);
  }
  shuffle(pending);
  const total = pending.length;
  let waiting = 0;
  const sender = async (): Promise<void> => {
    for (;;) {
      const index = pending.pop();
      if (index === undefined) {
        if (waiting === 0) return;
        await sleep(20);
        continue;
      }
      const event = eventAt(index);
      const { status, retryAfterMs } = await deliverOnce(event.body, event.id, ports);
      answers[status] = (answers[status] ?? 0) + 1;
      if (status.startsWith("2")) continue;
      waiting += 1;
      void sleep(Math.min(retryAfterMs, 500) + Math.random() * 100).then(() => {
        waiting -= 1;
        pending.unshift(index);
      });
    }
  };
  await Promise.all(Array.from({ length: options.senders }, sender));
  return total;
}

async function deliverOnce(body: string, id: string, ports: readonly number[]): Promise<{ status: string; retryAfterMs: number }> {
  const port = ports[Math.floor(Math.random() * ports.length)];
  try {
    const headers = signWebhook({ id, body, webhookSecret: SECRET });
    const response = await fetch(`http://127.0.0.1:${port}/webhooks`, { method: "POST", body, headers, redirect: "manual", signal: AbortSignal.timeout(15_000) });
    await response.arrayBuffer();
    const retryAfter = Number(response.headers.get("retry-after") ?? "0");
    return { status: String(response.status), retryAfterMs: Number.isFinite(retryAfter) ? retryAfter * 1000 : 0 };
  } catch {
    return { status: "connection failed", retryAfterMs: 100 };
  }
}

/** Starts a receiver process (`script` in this folder, given `config` as one JSON argument); resolves once it printed `READY <port>`. */
export function spawnChild(config: object, script = "receiver-process.ts"): Promise<Child> {
  const child = spawn(process.execPath, ["-r", HOOK, join(__dirname, script), JSON.stringify(config)], { stdio: ["ignore", "pipe", "pipe"] });
  let errors = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    errors = (errors + chunk.toString()).slice(-4_000);
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the chaos receiver did not start within 30 s: ${errors}`)), 30_000);
    let output = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const ready = /READY (\d+)/.exec(output);
      if (ready) {
        clearTimeout(timer);
        resolve({ process: child, port: Number(ready[1]) });
      }
    });
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`the chaos receiver exited (${String(code ?? signal)}) before it was ready: ${errors}`));
    });
  });
}

/** SIGTERM, then SIGKILL after 5 s; resolves when it exited. */
export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    const force = setTimeout(() => child.kill("SIGKILL"), 5_000);
    child.once("exit", () => {
      clearTimeout(force);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

/** Shuffles in place. */
export function shuffle<T>(items: T[]): void {
  for (let index = items.length - 1; index > 0; index -= 1) {
    const other = Math.floor(Math.random() * (index + 1));
    [items[index], items[other]] = [items[other] as T, items[index] as T];
  }
}

/** Resolves after `ms`. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The body of a `npm run chaos:*` script on PostgreSQL: says so and exits 0 without PostgreSQL; prints the report; exits 1 on a problem. */
export function chaosMain<Report extends ChaosScriptReport>(script: string, run: () => Promise<Report>, format: (report: Report) => string): void {
  chaosScript(script, { available: postgresAvailable, missing: `PostgreSQL is not installed; install it with \`${INSTALL_POSTGRES}\`` }, [run], format);
}
