import { describeRedis } from "../redis/describe-redis";
import { formatChaosReport, runChaos } from "./run-chaos";

// The CI size of `npm run chaos` (which runs 10,000 events): the same processes, kill and checks.
describeRedis("chaos (300 events, 2 receivers, SIGKILL mid-run)", () => {
  it.each(["queue", "direct"] as const)("%s mode: nothing lost, nothing both handled and dead, doubles only from the killed process", async (mode) => {
    const report = await runChaos({ mode, events: 300 });
    process.stdout.write(`${formatChaosReport(report)}\n`);
    expect(report.problems).toEqual([]);
    expect(report.lost).toEqual([]);
    expect(report.both).toEqual([]);
    expect(report.dlqMismatch).toEqual([]);
    expect(report.ranTwiceOutsideKilled).toEqual([]);
    expect(report.ranTwice.length).toBeLessThanOrEqual(report.killedInFlightBound);
    expect(report.handled + report.deadLetters).toBe(300);
    expect(report.handlerFailures).toBeGreaterThan(0);
    if (mode === "direct") expect(report.deadLetters).toBe(0);
  }, 60_000);
});
