import { execFile, execFileSync } from "node:child_process";
import { copyFile, mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
const repo = join(__dirname, "..", "..");

/** Where a runtime's binary is, from the npm package in devDependencies; `undefined` (and why) when it does not run here. */
export function runtimeBinary(name: "bun" | "deno" | "workerd"): { path: string } | { missing: string } {
  const path = join(repo, "node_modules", ".bin", name);
  try {
    execFileSync(path, ["--version"], { stdio: "pipe", timeout: 30_000 });
    return { path };
  } catch (error) {
    return { missing: `${name} (npm package "${name === "workerd" ? "miniflare" : name}") cannot run on this machine: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}` };
  }
}

/**
 * `describe` when `binary` runs here; else `describe.skip` after one line saying what was skipped
 * and why, or, with CACTUS_TEST_RUNTIMES=required, a suite that fails with that line.
 */
export function describeRuntime(title: string, binary: { path: string } | { missing: string }, body: (path: string) => void): void {
  if ("path" in binary) {
    describe(title, () => body(binary.path));
    return;
  }
  if (process.env["CACTUS_TEST_RUNTIMES"] === "required") {
    describe(title, () => {
      it("has its runtime installed (CACTUS_TEST_RUNTIMES=required)", () => {
        throw new Error(binary.missing);
      });
    });
    return;
  }
  process.stderr.write(`skipped ${title}: ${binary.missing}; run npm ci on a machine its binary supports (linux/macOS/windows, x64/arm64)\n`);
  describe.skip(title, () => body(""));
}

/** A throwaway project with the packed cactus-sdk installed, and the runtime apps copied in. */
export interface PackedApp {
  readonly dir: string;
  remove(): Promise<void>;
}

/** Packs this package (npm pack, which builds it), installs the tarball into a temp project, copies spec/runtimes/app in. */
export async function installPackedApp(): Promise<PackedApp> {
  const work = await mkdtemp(join(tmpdir(), "cactus-runtimes-"));
  const { stdout } = await run("npm", ["pack", "--json", "--silent", "--pack-destination", work], { cwd: repo, maxBuffer: 64 * 1024 * 1024 });
  const [info] = JSON.parse(stdout.slice(stdout.indexOf("["))) as { filename: string }[];
  if (info === undefined) throw new Error(`npm pack printed no tarball: ${stdout.slice(0, 200)}`);
  const dir = join(work, "app");
  await mkdir(dir);
  await writeFile(join(dir, "package.json"), `${JSON.stringify({ name: "cactus-runtime-check", private: true, type: "module", dependencies: { "cactus-sdk": `file:${join(work, info.filename)}` } }, null, 2)}\n`);
  await run("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel=error"], { cwd: dir, maxBuffer: 64 * 1024 * 1024 });
  const apps = join(__dirname, "app");
  for (const name of await readdir(apps)) await copyFile(join(apps, name), join(dir, name));
  return { dir, remove: () => rm(work, { recursive: true, force: true }) };
}
