// `npm run chaos`: the full-size chaos run in both modes (default 10,000 events; CHAOS_EVENTS=n to change).
import { redisAvailable } from "../redis/redis-server";
import { formatChaosReport, runChaos } from "./run-chaos";

async function main(): Promise<number> {
  if (!redisAvailable) {
    console.log("chaos: redis-server is not on PATH; install it with `apt-get install -y redis-server`");
    return 0;
  }
  const events = Number(process.env["CHAOS_EVENTS"] ?? 10_000);
  let failed = false;
  for (const mode of ["queue", "direct"] as const) {
    const report = await runChaos({ mode, events });
    console.log(formatChaosReport(report));
    failed ||= report.problems.length > 0;
  }
  return failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
