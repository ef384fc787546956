// `npm run chaos:saga`: the full-size saga chaos run on PostgreSQL (default 1,000 orders; CHAOS_ORDERS=n to change).
import { chaosMain } from "./run-pg-chaos";
import { formatSagaChaosReport, runSagaChaos } from "./run-saga-chaos";

chaosMain("chaos:saga", () => runSagaChaos({ orders: Number(process.env["CHAOS_ORDERS"] ?? 1_000) }), formatSagaChaosReport);
