// `npm run chaos:pg`: the full-size chaos run on PostgreSQL (default 2,000 events; CHAOS_EVENTS=n to change).
import { INSTALL_POSTGRES, postgresAvailable } from "../postgres-server";
import { formatPgChaosReport, runPgChaos } from "./run-pg-chaos";

async function main(): Promise<number> {
  if (!postgresAvailable) {
    console.log(`chaos:pg: PostgreSQL is not installed; install it with \`${INSTALL_POSTGRES}\``);
    return 0;
  }
  const report = await runPgChaos({ events: Number(process.env["CHAOS_EVENTS"] ?? 2_000) });
  console.log(formatPgChaosReport(report));
  return report.problems.length > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
