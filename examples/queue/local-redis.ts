import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { connect, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

// A throwaway redis-server for the queue demo, the tests and the chaos run: 127.0.0.1, a free port,
// no persistence (--save "" --appendonly no), a temp dir; stopped (and the dir removed) by stop().

/** A throwaway redis-server on 127.0.0.1. */
export interface LocalRedis {
  /** Its port on 127.0.0.1. */
  readonly port: number;
  /** `redis://127.0.0.1:<port>`. */
  readonly url: string;
  /** Stops it and removes its temp dir. */
  stop(): Promise<void>;
  /** Freezes it (SIGSTOP): connections stay open, nothing is answered, like a hung Redis. */
  pause(): void;
  /** Lets a paused server run again (SIGCONT). */
  resume(): void;
}

/** Whether `redis-server` is on PATH. */
export const redisAvailable: boolean = spawnSync("redis-server", ["--version"], { stdio: "ignore" }).status === 0;

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Starts redis-server without persistence in a temp dir on a free port; resolves once it accepts connections. */
export async function startRedis(): Promise<LocalRedis> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await startOnce(await freePort());
    } catch (error) {
      if (attempt >= 3) throw error; // the free port was taken in between: try another
    }
  }
}

function startOnce(port: number): Promise<LocalRedis> {
  const dir = mkdtempSync(join(tmpdir(), "cactus-redis-"));
  const child: ChildProcess = spawn(
    "redis-server",
    ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir, "--loglevel", "warning"],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  const pause = (): void => void child.kill("SIGSTOP");
  const resume = (): void => void child.kill("SIGCONT");
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      resume();
      await new Promise<void>((resolve) => {
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      });
    }
    rmSync(dir, { recursive: true, force: true });
  };
  return new Promise((resolve, reject) => {
    let output = "";
    const deadline = setTimeout(() => void stop().then(() => reject(new Error(`redis-server did not start on port ${port}: ${output}`))), 10_000);
    const poll = setInterval(() => {
      const socket = connect(port, "127.0.0.1");
      socket.once("connect", () => {
        socket.write("PING\r\n");
        socket.once("data", (data: Buffer) => {
          // Checked again: the deadline or an exit may have settled the promise already.
          socket.destroy();
          if (data.toString().startsWith("+PONG")) {
            clearInterval(poll);
            clearTimeout(deadline);
            resolve({ port, url: `redis://127.0.0.1:${port}`, stop, pause, resume });
          }
        });
      });
      socket.once("error", () => socket.destroy());
    }, 25);
    child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.once("exit", (code) => {
      clearInterval(poll);
      clearTimeout(deadline);
      reject(new Error(`redis-server exited (${String(code)}) on port ${port}: ${output}`));
    });
  });
}
