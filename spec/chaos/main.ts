// `npm run chaos`: the full-size chaos run in both modes (default 10,000 events; CHAOS_EVENTS=n to change).
import { redisAvailable } from "../redis/redis-server";
import { chaosScript } from "./chaos-script";
import { formatChaosReport, runChaos } from "./run-chaos";

const events = Number(process.env["CHAOS_EVENTS"] ?? 10_000);
chaosScript(
  "chaos",
  { available: redisAvailable, missing: "redis-server is not on PATH; install it with `apt-get install -y redis-server`" },
  (["queue", "direct"] as const).map((mode) => () => runChaos({ mode, events })),
  formatChaosReport,
);
