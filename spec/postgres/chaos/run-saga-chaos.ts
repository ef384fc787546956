// The saga chaos run on PostgreSQL: "Cactus" (this process) delivers the events of N orders (3-5
// each) 1-3 times each in shuffled order to two receiver processes running the chaos saga, which
// fails 30% of its step tries (one retry: a step that fails twice fails the order and its
// compensations run), throws after its step in some calls, and holds its transaction open a few ms.
// Mid-run one receiver is SIGKILLed with transactions open, and restarted. Then each order's state
// in the database is compared with a replay of its events, in the order they were applied, through
// the same saga in memory; and each compensation's effects are counted by idempotency key.
import type { ChildProcess } from "node:child_process";
import { Pool } from "pg";
import { PostgresEventStore } from "../../../lib/postgres";
import { sagaEvent, sagaTest } from "../../../lib/testing";
import { startPostgres } from "../postgres-server";
import { deliverAll, killAndRestart, SECRET, spawnChild, stopChild, type Child } from "./run-pg-chaos";
import { CHAOS_SAGA, chaosOrderBody, chaosOrderEvents, ChaosOrders, type ChaosOrderEvent } from "./saga-chaos-orders";
import type { SagaChaosChildConfig } from "./saga-receiver-process";

/** How big and how rough a run is. */
export interface SagaChaosOptions {
  readonly orders: number;
  readonly stepFailRate?: number;
  readonly compensationFailRate?: number;
  readonly transientFailRate?: number;
  /** Deliveries in flight at once from "Cactus". */
  readonly senders?: number;
  /** Kill when this share of events is handled. */
  readonly killAt?: number;
}

/** What a run saw; `problems` is empty when every promise held. */
export interface SagaChaosReport {
  readonly options: Required<SagaChaosOptions>;
  readonly events: number;
  readonly deliveries: number;
  readonly answers: Readonly<Record<string, number>>;
  /** Events marked handled in the store. */
  readonly handled: number;
  /** Instances by status. */
  readonly statuses: Readonly<Record<string, number>>;
  /** Orders whose state, status or history differs from the replay of their events. */
  readonly mismatches: readonly string[];
  /** Events missing from their instance's history. */
  readonly notApplied: readonly string[];
  /** Compensation effects (rows), and steps recorded compensated / interrupted by the kill. */
  readonly compensationEffects: number;
  readonly compensated: number;
  readonly interrupted: number;
  /** Idempotency keys whose compensation took effect more than once (must be none). */
  readonly compensatedTwice: readonly string[];
  /** Steps recorded compensated with no effect row. */
  readonly compensatedWithoutEffect: readonly string[];
  /** Steps of failed orders left without a compensation outcome. */
  readonly leftUncompensated: readonly string[];
  /** Step effects (rows), and keys whose step ran twice (a process killed between the effect and its record: the documented at-least-once window). */
  readonly stepEffects: number;
  readonly stepsTwice: number;
  readonly killedAfterHandled: number;
  readonly openAtKill: number;
  readonly kills: number;
  readonly seconds: number;
  readonly problems: readonly string[];
}

/** Runs one saga chaos round against a fresh PostgreSQL server and returns what it saw. */
export async function runSagaChaos(input: SagaChaosOptions): Promise<SagaChaosReport> {
  const options: Required<SagaChaosOptions> = { stepFailRate: 0.3, compensationFailRate: 0.2, transientFailRate: 0.1, senders: 24, killAt: 0.3, ...input };
  const started = Date.now();
  const events = chaosOrderEvents(options.orders);
  const server = await startPostgres();
  const pool = new Pool({ connectionString: server.url, max: 4 });
  const children = new Set<ChildProcess>();
  try {
    await new PostgresEventStore({ db: pool }).migrate();
    // No unique key on purpose: an effect that happened twice shows as two rows.
    await pool.query("CREATE TABLE saga_chaos_effects (kind text NOT NULL, key text NOT NULL, pid integer NOT NULL, at timestamptz NOT NULL DEFAULT clock_timestamp())");
    const config: SagaChaosChildConfig = {
      url: server.url,
      secret: SECRET,
      leaseMs: 2_000,
      stepFailRate: options.stepFailRate,
      compensationFailRate: options.compensationFailRate,
      transientFailRate: options.transientFailRate,
      holdMs: 8,
    };
    const startChild = async (): Promise<Child> => {
      const child = await spawnChild(config, "saga-receiver-process.ts");
      children.add(child.process);
      child.process.once("exit", () => children.delete(child.process));
      return child;
    };
    const receivers = await Promise.all([startChild(), startChild()]);
    const ports = receivers.map((child) => child.port);
    const kill = killAndRestart(pool, receivers[0] as Child, events.length * options.killAt, async () => {
      ports[0] = (await startChild()).port;
    });
    const answers: Record<string, number> = {};
    const deliveries = await deliverAll({ events: events.length, senders: options.senders }, ports, answers, (index) => {
      const event = events[index] as ChaosOrderEvent;
      return { id: event.id, body: chaosOrderBody(event) };
    });
    const { killedAfterHandled, openAtKill, killed } = await kill;
    const checked = await check(pool, events, options.stepFailRate);
    const problems = [
      checked.handled !== events.length ? `${checked.handled} of ${events.length} events handled` : "",
      checked.notApplied.length > 0 ? `${checked.notApplied.length} events not in their saga's history (e.g. ${checked.notApplied.slice(0, 3).join(", ")})` : "",
      checked.mismatches.length > 0 ? `${checked.mismatches.length} orders differ from the replay of their events (e.g. ${checked.mismatches.slice(0, 2).join("; ")})` : "",
      checked.compensatedTwice.length > 0 ? `${checked.compensatedTwice.length} compensations took effect twice (e.g. ${checked.compensatedTwice.slice(0, 3).join(", ")})` : "",
      checked.compensatedWithoutEffect.length > 0 ? `${checked.compensatedWithoutEffect.length} steps recorded compensated without the effect` : "",
      checked.leftUncompensated.length > 0 ? `${checked.leftUncompensated.length} steps of failed orders left uncompensated (e.g. ${checked.leftUncompensated.slice(0, 3).join(", ")})` : "",
      killed ? "" : "no receiver was killed",
    ].filter((problem) => problem !== "");
    return { options, events: events.length, deliveries, answers, ...checked, killedAfterHandled, openAtKill, kills: killed ? 1 : 0, seconds: (Date.now() - started) / 1000, problems };
  } finally {
    await Promise.all([...children].map((child) => stopChild(child)));
    await pool.end();
    await server.stop();
  }
}

type Checked = Pick<
  SagaChaosReport,
  "handled" | "statuses" | "mismatches" | "notApplied" | "compensationEffects" | "compensated" | "interrupted" | "compensatedTwice" | "compensatedWithoutEffect" | "leftUncompensated" | "stepEffects" | "stepsTwice"
>;

async function check(pool: Pool, events: readonly ChaosOrderEvent[], stepFailRate: number): Promise<Checked> {
  const rows = async <T>(text: string, params: unknown[] = []): Promise<T[]> => (await pool.query(text, params)).rows as T[];
  const handled = (await rows<{ n: number }>("SELECT count(*)::int AS n FROM cactus.events WHERE status = 'handled'"))[0]?.n ?? 0;
  const instances = await rows<{ object_id: string; state: string; status: string }>("SELECT object_id, state, status FROM cactus.saga_instances WHERE saga = $1", [CHAOS_SAGA]);
  const history = await rows<{ object_id: string; event_id: string; outcome: string }>("SELECT object_id, event_id, outcome FROM cactus.saga_history WHERE saga = $1 ORDER BY seq", [CHAOS_SAGA]);
  const steps = await rows<{ object_id: string; event_id: string; step: string; error: string | null; compensation: string | null }>(
    "SELECT object_id, event_id, step, error, compensation FROM cactus.saga_steps WHERE saga = $1",
    [CHAOS_SAGA],
  );
  const effects = await rows<{ kind: string; key: string; n: number }>("SELECT kind, key, count(*)::int AS n FROM saga_chaos_effects GROUP BY kind, key");

  const byId = new Map(events.map((event) => [event.id, event]));
  const applied = new Map<string, { id: string; outcome: string }[]>();
  for (const line of history) applied.set(line.object_id, [...(applied.get(line.object_id) ?? []), { id: line.event_id, outcome: line.outcome }]);
  const inHistory = new Set(history.map((line) => line.event_id));
  const notApplied = events.filter((event) => !inHistory.has(event.id)).map((event) => event.id);

  // The replay: each order's events, in the order its history applied them, through the same saga in
  // memory, whose steps fail as they did (decided by their keys); no other fault, no effects.
  const faults = { stepFailRate, compensationFailRate: 0, transientFailRate: 0, holdMs: 0 };
  const mismatches: string[] = [];
  const statuses: Record<string, number> = {};
  for (const instance of instances) {
    statuses[instance.status] = (statuses[instance.status] ?? 0) + 1;
    const lines = applied.get(instance.object_id) ?? [];
    const given = lines.map((line) => byId.get(line.id)).filter((event): event is ChaosOrderEvent => event !== undefined);
    const replay = await sagaTest(new ChaosOrders({ effect: async () => undefined }, {}, faults)).given(...given.map((event) => sagaEvent(event.type, { objectId: event.orderId, id: event.id })));
    const expected = await replay.instance(instance.object_id);
    const got = { state: JSON.parse(instance.state) as unknown, status: instance.status, outcomes: lines.map((line) => line.outcome) };
    const want = { state: expected.state, status: expected.status, outcomes: expected.history.map((line) => line.outcome) };
    if (JSON.stringify(got) !== JSON.stringify(want)) mismatches.push(`${instance.object_id}: database ${JSON.stringify(got)}, replay ${JSON.stringify(want)}`);
  }

  const count = (kind: string) => new Map(effects.filter((row) => row.kind === kind).map((row) => [row.key, row.n]));
  const compensations = count("compensate");
  const stepRuns = count("step");
  const keyOf = (step: { object_id: string; event_id: string; step: string }) => `${CHAOS_SAGA}:${step.object_id}:${step.event_id}:${step.step}`;
  const failedOrders = new Set(instances.filter((instance) => instance.status === "failed").map((instance) => instance.object_id));
  const done = steps.filter((step) => step.error === null);
  return {
    handled,
    statuses,
    mismatches,
    notApplied,
    compensationEffects: [...compensations.values()].reduce((total, n) => total + n, 0),
    compensated: done.filter((step) => step.compensation === "compensated").length,
    interrupted: done.filter((step) => step.compensation === "interrupted").length,
    compensatedTwice: [...compensations].filter(([, n]) => n > 1).map(([key]) => key),
    compensatedWithoutEffect: done.filter((step) => step.compensation === "compensated" && !compensations.has(keyOf(step))).map(keyOf),
    leftUncompensated: done.filter((step) => failedOrders.has(step.object_id) && step.compensation !== "compensated" && step.compensation !== "interrupted").map(keyOf),
    stepEffects: [...stepRuns.values()].reduce((total, n) => total + n, 0),
    stepsTwice: [...stepRuns.values()].filter((n) => n > 1).length,
  };
}

/** The report as printed by the test and `npm run chaos:saga`. */
export function formatSagaChaosReport(report: SagaChaosReport): string {
  const { options } = report;
  const answers = Object.entries(report.answers).sort().map(([status, count]) => `${status} x ${count}`).join(", ");
  const statuses = Object.entries(report.statuses).sort().map(([status, count]) => `${count} ${status}`).join(", ");
  const percent = (share: number) => `${Math.round(share * 100)}%`;
  return [
    `saga chaos on PostgreSQL: ${options.orders} orders, ${report.events} events (3-5 per order), ${report.deliveries} deliveries (1-3 per event, shuffled, every non-2xx redelivered)`,
    `  2 receiver processes; ${percent(options.stepFailRate)} of step tries fail (1 retry), ${percent(options.compensationFailRate)} of compensation tries, ${percent(options.transientFailRate)} of calls throw after their step`,
    `  ${report.kills} SIGKILL of a receiver after ${report.killedAfterHandled} events were handled, with ${report.openAtKill} transaction(s) open, then restarted`,
    `  answers to Cactus: ${answers}`,
    `  handled: ${report.handled}   orders: ${statuses}   not in history: ${report.notApplied.length}`,
    `  compensations: ${report.compensationEffects} effects, ${report.compensated} steps compensated, ${report.interrupted} interrupted by the kill; twice: ${report.compensatedTwice.length}   left uncompensated: ${report.leftUncompensated.length}`,
    `  steps: ${report.stepEffects} effects, ${report.stepsTwice} run twice (killed between the effect and its record)`,
    `  replay of each order's events in order vs. the database: ${report.mismatches.length} mismatches`,
    `  time: ${report.seconds.toFixed(1)} s`,
    report.problems.length === 0 ? "  result: every order's state equals the replay of its events; each compensation took effect at most once" : `  result: FAILED: ${report.problems.join("; ")}`,
  ].join("\n");
}
