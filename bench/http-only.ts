// `npm run bench:http`: P3 alone (HTTP req/s and server CPU per request), with its PASS/FAIL line.
import "reflect-metadata";
import { httpBenchmarks } from "./http";
import { printTargets, ratio, recordTarget } from "./targets";
import { benchSecret } from "./webhooks.bench";

async function main(): Promise<void> {
  const http = await httpBenchmarks(benchSecret());
  recordTarget({
    id: "P3",
    goal: "server CPU/request <= 0.95 x octokit and req/s >= 1.0 x octokit",
    measured: `${ratio(http.cpuCactusVsOctokit)} x octokit's CPU/request, ${ratio(http.cactusVsOctokit)} x its req/s`,
    pass: http.cpuCactusVsOctokit <= 0.95 && http.cactusVsOctokit >= 1.0,
  });
  printTargets();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
