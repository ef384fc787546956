// P3: requests per second over loopback HTTP (autocannon, 10 connections), each server in its own
// child process so that the load generator and the server do not share a thread: bare node:http
// answering 200 (the floor), cactus createNodeMiddleware, and @octokit/webhooks' Node middleware.
import { spawn, type ChildProcess } from "node:child_process";
import { createHmac } from "node:crypto";
import { join } from "node:path";
import { createInterface } from "node:readline";
import autocannon from "autocannon";
import { signWebhook } from "../lib/webhooks";
import { BENCH } from "./options";
import { THIN_BODY } from "./parse.bench";
import { median } from "./targets";

/** Requests per second of each server (median of the rounds), and per-round ratios to bare. */
export interface HttpResults {
  readonly bare: number;
  readonly cactus: number;
  readonly octokit: number;
  /** Median of per-round cactus / bare. */
  readonly cactusVsBare: number;
  /** Median of per-round cactus / octokit. */
  readonly cactusVsOctokit: number;
  /** Server CPU per request (user + system, microseconds; median of rounds), per server. */
  readonly cpuPerRequest: { readonly bare: number; readonly cactus: number; readonly octokit: number };
  /** Median of per-round cactus CPU per request / octokit CPU per request. */
  readonly cpuCactusVsOctokit: number;
}

async function startServer(kind: string, secret: string): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, [join(__dirname, "http-server.js"), kind], {
    env: { ...process.env, BENCH_SECRET: secret },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const line = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    lines.once("line", resolve);
    child.once("exit", (code) => reject(new Error(`${kind} server exited (${String(code)}) before listening`)));
  });
  return { child, port: (JSON.parse(line) as { port: number }).port };
}

async function load(url: string, headers: Record<string, string>, body: string, seconds: number): Promise<{ rps: number; non2xx: number; total: number }> {
  const result = await autocannon({ url, method: "POST", headers, body, connections: 10, duration: seconds });
  return { rps: result.requests.average, non2xx: result.non2xx + result.errors, total: result.requests.total };
}

async function serverCpuMicros(port: number): Promise<number> {
  const response = await fetch(`http://127.0.0.1:${port}/__cpu`);
  return ((await response.json()) as { micros: number }).micros;
}

interface Measured {
  readonly rps: number;
  /** Server CPU (user + system) per request, microseconds, over the measured run. */
  readonly cpuPerRequest: number;
}

async function measure(kind: string, secret: string): Promise<Measured> {
  const { child, port } = await startServer(kind, secret);
  try {
    let path = "/webhooks";
    let headers: Record<string, string> = { "content-type": "application/json" };
    if (kind === "cactus") headers = { ...signWebhook({ id: "evt_123", body: THIN_BODY, webhookSecret: secret }) };
    if (kind === "octokit") {
      path = "/api/github/webhooks";
      headers = {
        "content-type": "application/json",
        "x-github-event": "ping",
        "x-github-delivery": "evt_123",
        "x-hub-signature-256": `sha256=${createHmac("sha256", secret).update(THIN_BODY).digest("hex")}`,
      };
    }
    const url = `http://127.0.0.1:${port}${path}`;
    await load(url, headers, THIN_BODY, 1); // warm-up: let the server's JIT settle
    const cpuBefore = await serverCpuMicros(port);
    const { rps, non2xx, total } = await load(url, headers, THIN_BODY, BENCH.httpSeconds);
    const cpuAfter = await serverCpuMicros(port);
    if (non2xx > 0) throw new Error(`${kind} server answered ${non2xx} requests with a non-2xx status or an error`);
    return { rps, cpuPerRequest: (cpuAfter - cpuBefore) / Math.max(1, total) };
  } finally {
    child.kill("SIGTERM");
  }
}

/** Runs P3's comparison in alternating rounds and prints a table. */
export async function httpBenchmarks(secret: string): Promise<HttpResults> {
  const runs: Record<"bare" | "cactus" | "octokit", Measured[]> = { bare: [], cactus: [], octokit: [] };
  for (let round = 0; round < BENCH.httpRounds; round++) {
    // cactus and octokit take turns going first, so neither always runs on the warmer machine.
    const order = round % 2 === 0 ? (["bare", "cactus", "octokit"] as const) : (["bare", "octokit", "cactus"] as const);
    for (const kind of order) runs[kind].push(await measure(kind, secret));
  }
  const rps = (kind: keyof typeof runs): number[] => runs[kind].map((run) => run.rps);
  const cpu = (kind: keyof typeof runs): number[] => runs[kind].map((run) => run.cpuPerRequest);
  const bare = rps("bare");
  const octokit = rps("octokit");
  const octokitCpu = cpu("octokit");
  const results: HttpResults = {
    bare: median(bare),
    cactus: median(rps("cactus")),
    octokit: median(octokit),
    cactusVsBare: median(rps("cactus").map((value, index) => value / (bare[index] as number))),
    cactusVsOctokit: median(rps("cactus").map((value, index) => value / (octokit[index] as number))),
    cpuPerRequest: { bare: median(cpu("bare")), cactus: median(cpu("cactus")), octokit: median(octokitCpu) },
    cpuCactusVsOctokit: median(cpu("cactus").map((value, index) => value / (octokitCpu[index] as number))),
  };
  const spread = (values: readonly number[]): string => `${Math.min(...values).toFixed(0)}-${Math.max(...values).toFixed(0)}`;
  console.log(`\nP3: HTTP, autocannon, 10 connections, loopback, ${BENCH.httpSeconds} s per server per round, ${BENCH.httpRounds} round(s), cactus and octokit first in turn; server CPU = process.cpuUsage() of the server's process over the run`);
  console.log(`${"server".padEnd(48)} ${"req/s".padStart(10)} ${"x bare".padStart(8)} ${"spread req/s".padStart(14)} ${"CPU us/req".padStart(11)}`);
  for (const [name, kind] of [
    ["bare node:http answering 200 (baseline)", "bare"],
    ["cactus createNodeMiddleware", "cactus"],
    ["@octokit/webhooks createNodeMiddleware", "octokit"],
  ] as const) {
    const value = results[kind];
    console.log(
      `${name.padEnd(48)} ${Math.round(value).toLocaleString("en-US").padStart(10)} ${(value / results.bare).toFixed(3).padStart(8)} ${spread(rps(kind)).padStart(14)} ${results.cpuPerRequest[kind].toFixed(1).padStart(11)}`,
    );
  }
  return results;
}
