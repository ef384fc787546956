// `npm run chaos:saga`: the full-size saga chaos run on PostgreSQL (default 1,000 orders; CHAOS_ORDERS=n to change).
import { INSTALL_POSTGRES, postgresAvailable } from "../postgres-server";
import { formatSagaChaosReport, runSagaChaos } from "./run-saga-chaos";

async function main(): Promise<number> {
  if (!postgresAvailable) {
    console.log(`chaos:saga: PostgreSQL is not installed; install it with \`${INSTALL_POSTGRES}\``);
    return 0;
  }
  const report = await runSagaChaos({ orders: Number(process.env["CHAOS_ORDERS"] ?? 1_000) });
  console.log(formatSagaChaosReport(report));
  return report.problems.length > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
