import { execFile, spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { freePort } from "./local-redis";

// A throwaway Redis Cluster for the tests, the cluster chaos run and the bench: six redis-server
// processes on 127.0.0.1 free ports (--cluster-enabled yes, no persistence, one temp dir each),
// joined by `redis-cli --cluster create ... --cluster-replicas 1`: three masters, one replica each.

const run = promisify(execFile);

/** Whether `redis-server` and `redis-cli` (Debian: redis-server, which pulls in redis-tools) are on PATH. */
export const redisClusterAvailable: boolean =
  spawnSync("redis-server", ["--version"], { stdio: "ignore" }).status === 0 && spawnSync("redis-cli", ["--version"], { stdio: "ignore" }).status === 0;

/** One node of a {@link LocalRedisCluster}. */
export interface ClusterNode {
  readonly host: "127.0.0.1";
  readonly port: number;
}

/** A throwaway Redis Cluster on 127.0.0.1. */
export interface LocalRedisCluster {
  /** Every node, as ioredis `Cluster` startup nodes. */
  readonly nodes: readonly ClusterNode[];
  /** `127.0.0.1:p1,127.0.0.1:p2,...`: what `cactus dlq --redis-cluster` takes. */
  readonly nodeList: string;
  /** The port of the master that owns `slot` now (asked of a live node). */
  masterOf(slot: number): Promise<number>;
  /** The ports of the masters now. */
  masters(): Promise<number[]>;
  /** The ports of the replicas of the master on `port` now. */
  replicasOf(port: number): Promise<number[]>;
  /** `INFO <section>` of one node, as text. */
  info(port: number, section: string): Promise<string>;
  /** Runs one command on one node with redis-cli; resolves with its output. */
  command(port: number, ...args: string[]): Promise<string>;
  /** SIGKILLs the node on `port` (it stays down until {@link restart}). */
  kill(port: number): void;
  /** Starts a killed node again; resolves once it rejoined (as a replica, after a failover) and synced. */
  restart(port: number): Promise<void>;
  /** Freezes the node on `port` (SIGSTOP) until {@link resume}. */
  pause(port: number): void;
  /** Lets a paused node run again. */
  resume(port: number): void;
  /** Resolves once every slot is served again by a master that answers (after a kill: the failover). */
  waitUntilHealthy(timeoutMs?: number): Promise<void>;
  /** Stops every node and removes their temp dirs. */
  stop(): Promise<void>;
}

/** Options of {@link startRedisCluster}. */
export interface LocalRedisClusterOptions {
  /** `cluster-node-timeout`, in ms: how soon a dead master's replica takes over. Default 1000. */
  readonly nodeTimeoutMs?: number;
}

/**
 * Starts six redis-server processes in cluster mode and joins them into 3 masters + 3 replicas;
 * resolves once the cluster reports `cluster_state:ok` on every node.
 */
export async function startRedisCluster(options: LocalRedisClusterOptions = {}): Promise<LocalRedisCluster> {
  const nodeTimeoutMs = options.nodeTimeoutMs ?? 1_000;
  let restartNode: (port: number) => Promise<void> = async () => undefined;
  const processes = new Map<number, { readonly child: ChildProcess; readonly dir: string }>();
  const stop = async (): Promise<void> => {
    await Promise.all(
      [...processes].map(async ([, { child, dir }]) => {
        if (child.exitCode === null && child.signalCode === null) {
          child.kill("SIGCONT");
          await new Promise<void>((resolve) => {
            child.once("exit", () => resolve());
            child.kill("SIGKILL");
          });
        }
        rmSync(dir, { recursive: true, force: true });
      }),
    );
  };
  try {
    const ports: number[] = [];
    while (ports.length < 6) {
      const port = await freePort();
      // A cluster node also listens on port + 10000 (the cluster bus): both must be free and distinct.
      if (port > 55_000 || ports.some((taken) => Math.abs(taken - port) === 10_000 || taken === port)) continue;
      ports.push(port);
    }
    const spawnNode = (port: number, dir: string): void => {
      const child = spawn(
        "redis-server",
        [
          "--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir, "--loglevel", "warning",
          "--cluster-enabled", "yes", "--cluster-config-file", join(dir, "nodes.conf"), "--cluster-node-timeout", String(nodeTimeoutMs),
        ],
        { stdio: "ignore" },
      );
      processes.set(port, { child, dir });
    };
    for (const port of ports) spawnNode(port, mkdtempSync(join(tmpdir(), "cactus-redis-cluster-")));
    restartNode = async (port) => {
      const known = processes.get(port);
      if (known === undefined || alive(processes, port)) return;
      spawnNode(port, known.dir);
      await waitFor(async () => (await cli(port, "PING")).trim() === "PONG", 10_000, `redis-server on ${port} to restart`);
      // It rejoins from its nodes.conf as a replica of the master that took over, and syncs.
      await waitFor(async () => /master_link_status:up/.test(await cli(port, "INFO", "replication")), 30_000, `the restarted node ${port} to sync as a replica`);
    };
    await Promise.all(ports.map((port) => waitFor(async () => (await cli(port, "PING")).trim() === "PONG", 10_000, `redis-server on ${port}`)));
    await run("redis-cli", ["--cluster", "create", ...ports.map((port) => `127.0.0.1:${port}`), "--cluster-replicas", "1", "--cluster-yes"], { timeout: 30_000 });
    const cluster: LocalRedisCluster = {
      nodes: ports.map((port) => ({ host: "127.0.0.1", port })),
      nodeList: ports.map((port) => `127.0.0.1:${port}`).join(","),
      masterOf: async (slot) => {
        for (const slots of await liveSlots(ports, processes)) {
          const range = slots.find(([from, to]) => slot >= from && slot <= to);
          if (range !== undefined) return range[2];
        }
        throw new Error(`no live node knows a master for slot ${slot}`);
      },
      masters: async () => {
        const [slots] = await liveSlots(ports, processes);
        return [...new Set((slots ?? []).map(([, , port]) => port))];
      },
      replicasOf: async (port) => {
        const live = ports.find((candidate) => alive(processes, candidate) && candidate !== port) ?? port;
        const lines = (await cli(live, "CLUSTER", "NODES")).split("\n").map((line) => line.trim().split(" "));
        const masterId = lines.find((fields) => fields[1]?.startsWith(`127.0.0.1:${port}@`))?.[0];
        return lines.filter((fields) => fields[3] === masterId && fields[2]?.split(",").includes("slave")).map((fields) => Number(/:(\d+)@/.exec(fields[1] ?? "")?.[1]));
      },
      info: (port, section) => cli(port, "INFO", section),
      command: (port, ...args) => cli(port, ...args),
      kill: (port) => void processes.get(port)?.child.kill("SIGKILL"),
      restart: (port) => restartNode(port),
      pause: (port) => void processes.get(port)?.child.kill("SIGSTOP"),
      resume: (port) => void processes.get(port)?.child.kill("SIGCONT"),
      waitUntilHealthy: (timeoutMs = 30_000) => waitFor(() => healthy(ports, processes), timeoutMs, "the cluster to serve every slot"),
      stop,
    };
    await cluster.waitUntilHealthy();
    // Every replica has finished its first sync, so a WAIT right away can be answered.
    const masters = await cluster.masters();
    await Promise.all(masters.map((port) => waitFor(async () => /slave0:.*state=online/.test(await cli(port, "INFO", "replication")), 20_000, `the replica of ${port} to sync`)));
    return cluster;
  } catch (error) {
    await stop();
    throw error;
  }
}

type Processes = ReadonlyMap<number, { readonly child: ChildProcess }>;

function alive(processes: Processes, port: number): boolean {
  const child = processes.get(port)?.child;
  return child !== undefined && child.exitCode === null && child.signalCode === null;
}

async function cli(port: number, ...args: string[]): Promise<string> {
  const { stdout } = await run("redis-cli", ["-h", "127.0.0.1", "-p", String(port), ...args], { timeout: 5_000 });
  return stdout;
}

// The slot ranges of every master, as [from, to, master port], as each live node sees them
// (`CLUSTER NODES`: one line per node, `id host:port@bus flags master ping pong epoch link ranges...`).
async function liveSlots(ports: readonly number[], processes: Processes): Promise<[number, number, number][][]> {
  const answers = await Promise.all(
    ports.filter((port) => alive(processes, port)).map(async (port) => {
      try {
        return parseNodes(await cli(port, "CLUSTER", "NODES"));
      } catch {
        return [];
      }
    }),
  );
  return answers.filter((ranges) => ranges.length > 0);
}

function parseNodes(text: string): [number, number, number][] {
  const ranges: [number, number, number][] = [];
  for (const line of text.split("\n")) {
    const [, address, flags, , , , , , ...slots] = line.trim().split(" ");
    if (address === undefined || flags === undefined || !flags.split(",").includes("master")) continue;
    const port = Number(/:(\d+)@/.exec(address)?.[1]);
    for (const slot of slots) {
      if (slot.startsWith("[")) continue; // a slot being migrated
      const [from, to = from] = slot.split("-");
      ranges.push([Number(from), Number(to), port]);
    }
  }
  return ranges;
}

async function healthy(ports: readonly number[], processes: Processes): Promise<boolean> {
  const live = ports.filter((port) => alive(processes, port));
  for (const port of live) {
    try {
      if (!(await cli(port, "CLUSTER", "INFO")).includes("cluster_state:ok")) return false;
    } catch {
      return false;
    }
  }
  const slots = await liveSlots(ports, processes);
  const ranges = slots[0] ?? [];
  const covered = ranges.reduce((sum, [from, to]) => sum + (to - from + 1), 0);
  return covered === 16384 && ranges.every(([, , master]) => alive(processes, master));
}

async function waitFor(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (await check()) return;
    } catch {
      // not yet
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
