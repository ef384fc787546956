// `npm run chaos:pg`: the full-size chaos run on PostgreSQL (default 2,000 events; CHAOS_EVENTS=n to change).
import { chaosMain, formatPgChaosReport, runPgChaos } from "./run-pg-chaos";

chaosMain("chaos:pg", () => runPgChaos({ events: Number(process.env["CHAOS_EVENTS"] ?? 2_000) }), formatPgChaosReport);
