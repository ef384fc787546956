import { describePostgres } from "./describe-postgres";
import { formatSagaChaosReport, runSagaChaos } from "./chaos/run-saga-chaos";

// The CI size of `npm run chaos:saga` (which runs 1,000 orders): the same processes, faults, kill and checks.
describePostgres("saga chaos on PostgreSQL (100 orders, 2 receivers, 30% step failures, SIGKILL mid-transaction)", () => {
  it("every order's state equals the replay of its events; each compensation took effect at most once", async () => {
    const report = await runSagaChaos({ orders: 100 });
    process.stdout.write(`${formatSagaChaosReport(report)}\n`);
    expect(report.problems).toEqual([]);
    expect(report.mismatches).toEqual([]);
    expect(report.compensatedTwice).toEqual([]);
    expect(report.leftUncompensated).toEqual([]);
    expect(report.handled).toBe(report.events);
    expect(report.kills).toBe(1);
    // The run was rough enough to mean something: orders failed and were compensated, events were redelivered.
    expect(report.statuses["failed"]).toBeGreaterThan(0);
    expect(report.compensated).toBeGreaterThan(0);
    expect(report.deliveries).toBeGreaterThan(report.events);
  }, 120_000);
});
