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

async function load(url: string, headers: Record<string, string>, body: string, seconds: number): Promise<{ rps: number; non2xx: number }> {
  const result = await autocannon({ url, method: "POST", headers, body, connections: 10, duration: seconds });
  return { rps: result.requests.average, non2xx: result.non2xx + result.errors };
}

async function measure(kind: string, secret: string): Promise<number> {
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
    const { rps, non2xx } = await load(url, headers, THIN_BODY, BENCH.httpSeconds);
    if (non2xx > 0) throw new Error(`${kind} server answered ${non2xx} requests with a non-2xx status or an error`);
    return rps;
  } finally {
    child.kill("SIGTERM");
  }
}

/** Runs P3's comparison in alternating rounds and prints a table. */
export async function httpBenchmarks(secret: string): Promise<HttpResults> {
  const bare: number[] = [];
  const cactus: number[] = [];
  const octokit: number[] = [];
  for (let round = 0; round < BENCH.rounds; round++) {
    bare.push(await measure("bare", secret));
    cactus.push(await measure("cactus", secret));
    octokit.push(await measure("octokit", secret));
  }
  const results: HttpResults = {
    bare: median(bare),
    cactus: median(cactus),
    octokit: median(octokit),
    cactusVsBare: median(cactus.map((value, index) => value / (bare[index] as number))),
    cactusVsOctokit: median(cactus.map((value, index) => value / (octokit[index] as number))),
  };
  console.log(`\nP3: HTTP, autocannon, 10 connections, loopback, ${BENCH.httpSeconds} s per server per round, ${BENCH.rounds} round(s)`);
  console.log(`${"server".padEnd(56)} ${"req/s".padStart(12)} ${"x bare".padStart(11)}`);
  for (const [name, rps] of [
    ["bare node:http answering 200 (baseline)", results.bare],
    ["cactus createNodeMiddleware", results.cactus],
    ["@octokit/webhooks createNodeMiddleware", results.octokit],
  ] as const) {
    console.log(`${name.padEnd(56)} ${Math.round(rps).toLocaleString("en-US").padStart(12)} ${(rps / results.bare).toFixed(3).padStart(11)}`);
  }
  return results;
}
