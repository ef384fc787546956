// A throwaway PostgreSQL server for the tests, the benchmark and the chaos run: Debian's `postgresql`
// package, initdb into a temp dir owned by the `postgres` user, pg_ctl on 127.0.0.1 on a free port.
import { execFileSync, spawnSync } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** The directory of `initdb` and `pg_ctl`, or `undefined` when PostgreSQL is not installed. */
export function postgresBinDir(): string | undefined {
  const root = "/usr/lib/postgresql";
  if (existsSync(root)) {
    const versions = readdirSync(root)
      .filter((name) => existsSync(join(root, name, "bin", "pg_ctl")))
      .sort((a, b) => Number(b) - Number(a));
    if (versions[0] !== undefined) return join(root, versions[0], "bin");
  }
  const found = spawnSync("sh", ["-c", "command -v pg_ctl"], { encoding: "utf8" });
  const path = found.stdout.trim();
  return found.status === 0 && path !== "" ? join(path, "..") : undefined;
}

/** How to get PostgreSQL when it is missing. */
export const INSTALL_POSTGRES = "apt-get install -y postgresql";

/** A running throwaway server. */
export interface LocalPostgres {
  /** `postgres://postgres@127.0.0.1:<port>/postgres`. */
  readonly url: string;
  /** Its port. */
  readonly port: number;
  /** Stops it (immediate shutdown) and removes its data directory. */
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
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

// As the `postgres` user when we are root (PostgreSQL refuses to run as root); as ourselves otherwise.
function runAs(bin: string, args: readonly string[]): void {
  const root = typeof process.getuid === "function" && process.getuid() === 0;
  if (root) execFileSync("runuser", ["-u", "postgres", "--", bin, ...args], { stdio: "pipe" });
  else execFileSync(bin, [...args], { stdio: "pipe" });
}

/** Starts a fresh server (trust authentication on 127.0.0.1 only; fsync off: throwaway data). */
export async function startPostgres(): Promise<LocalPostgres> {
  const bin = postgresBinDir();
  if (bin === undefined) throw new Error(`PostgreSQL is not installed: ${INSTALL_POSTGRES}`);
  const dir = mkdtempSync(join(tmpdir(), "cactus-pg-"));
  const data = join(dir, "data");
  const root = typeof process.getuid === "function" && process.getuid() === 0;
  if (root) {
    const uid = Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim());
    const gid = Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }).trim());
    chownSync(dir, uid, gid);
  }
  const port = await freePort();
  runAs(join(bin, "initdb"), ["-D", data, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--locale=C", "--no-sync"]);
  writeFileSync(
    join(data, "postgresql.auto.conf"),
    [`listen_addresses = '127.0.0.1'`, `port = ${port}`, `unix_socket_directories = '${dir}'`, "fsync = off", "synchronous_commit = off", "full_page_writes = off", "max_connections = 100", ""].join("\n"),
  );
  if (root) {
    const uid = Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim());
    const gid = Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }).trim());
    chownSync(join(data, "postgresql.auto.conf"), uid, gid);
  }
  runAs(join(bin, "pg_ctl"), ["-D", data, "-l", join(dir, "log"), "-w", "-t", "60", "start"]);
  let stopped = false;
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    async stop() {
      if (stopped) return;
      stopped = true;
      try {
        runAs(join(bin, "pg_ctl"), ["-D", data, "-m", "immediate", "-w", "stop"]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

/** Whether the tests can start a server here. */
export const postgresAvailable = postgresBinDir() !== undefined;
