// `npm run chaos:cluster`: the chaos run in queue mode on a Redis Cluster (3 masters + 3 replicas,
// started here) with 3 shards and `replicas: 1`: a worker SIGKILLed, then the master of shard 0
// SIGKILLed (its replica takes over). Default 3,000 events; CHAOS_EVENTS=n to change it.
import { redisClusterAvailable } from "../../examples/queue/local-redis-cluster";
import { chaosScript } from "./chaos-script";
import { formatChaosReport, runChaos } from "./run-chaos";

const events = Number(process.env["CHAOS_EVENTS"] ?? 3_000);
chaosScript(
  "chaos:cluster",
  { available: redisClusterAvailable, missing: "redis-server and redis-cli are not on PATH; install them with `apt-get install -y redis-server`" },
  [() => runChaos({ mode: "queue", events, clusterShards: 3 })],
  formatChaosReport,
);
