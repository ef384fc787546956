import { describePostgres } from "../describe-postgres";
import { formatPgChaosReport, runPgChaos } from "./run-pg-chaos";

// The CI size of `npm run chaos:pg` (which runs 2,000 events): the same processes, kill and checks.
describePostgres("chaos on PostgreSQL (200 events, 2 transactional receivers, SIGKILL mid-transaction)", () => {
  it("effect rows equal the handled events: none twice, none lost", async () => {
    const report = await runPgChaos({ events: 200 });
    process.stdout.write(`${formatPgChaosReport(report)}\n`);
    expect(report.problems).toEqual([]);
    expect(report.lost).toEqual([]);
    expect(report.twice).toEqual([]);
    expect(report.orphanEffects).toBe(0);
    expect(report.effectRows).toBe(200);
    expect(report.handled).toBe(200);
    expect(report.handlerFailures).toBeGreaterThan(0);
    expect(report.openAtKill).toBeGreaterThan(0);
  }, 120_000);
});
