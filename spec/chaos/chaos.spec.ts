import { describeRedis } from "../redis/describe-redis";
import { formatChaosReport, runChaos } from "./run-chaos";

// The CI size of `npm run chaos` (which runs 10,000 events): the same processes, kill and checks.
describeRedis("chaos (300 events, 2 receivers, SIGKILL mid-run)", () => {
  it.each(["queue", "direct"] as const)("%s mode: nothing lost; handled twice, or handled and dead, only for effects in the killed process", async (mode) => {
    const report = await runChaos({ mode, events: 300 });
    process.stdout.write(`${formatChaosReport(report)}\n`);
    expect(report.problems).toEqual([]);
    expect(report.lost).toEqual([]);
    expect(report.both).toEqual([]); // never both handled and dead: the handler keys its effect on the event id
    expect(report.bothOutsideKilled).toEqual([]);
    expect(report.dlqMismatch).toEqual([]);
    expect(report.ranTwiceOutsideKilled).toEqual([]);
    expect(report.killWindow).toBeLessThanOrEqual(report.killedInFlightBound);
    expect(report.handled + report.deadLetters - report.both.length).toBe(300);
    expect(report.handlerFailures).toBeGreaterThan(0);
    if (mode === "direct") expect(report.deadLetters).toBe(0);
  }, 60_000);
});
