import { execFileSync } from "node:child_process";
import { join } from "node:path";

const root = join(__dirname, "..", "..");

// Which modules of node_modules a fresh process loaded after requiring `entry`.
function loadedPackages(code: string): string[] {
  const script = `${code}; const seen = new Set(); for (const file of Object.keys(require.cache)) { const match = /node_modules[\\\\/](@[^\\\\/]+[\\\\/][^\\\\/]+|[^\\\\/]+)/.exec(file); if (match) seen.add(match[1]); } console.log(JSON.stringify([...seen]));`;
  const output = execFileSync(process.execPath, ["-r", "./spec/chaos/require-hook.js", "-e", script], { cwd: root, encoding: "utf8" });
  return JSON.parse(output.trim().split("\n").at(-1) ?? "[]") as string[];
}

describe("entry points", () => {
  it('import "cactus-sdk" loads neither ioredis nor bullmq', () => {
    const loaded = loadedPackages('require("./lib/index.ts")');
    expect(loaded).toContain("class-validator");
    expect(loaded).not.toContain("ioredis");
    expect(loaded).not.toContain("bullmq");
  }, 60_000);

  it("the dlq command loads bullmq, ioredis and cli-progress only when it runs", () => {
    const loaded = loadedPackages('require("./lib/cli/dlq-command.ts")');
    expect(loaded).not.toContain("ioredis");
    expect(loaded).not.toContain("bullmq");
    expect(loaded).not.toContain("cli-progress");
  }, 60_000);

  it("cactus-sdk/redis loads no Redis client itself (you bring ioredis)", () => {
    expect(loadedPackages('require("./lib/redis/index.ts")')).not.toContain("bullmq");
  }, 60_000);

  it("cactus-sdk/bullmq works as a program's first import", () => {
    const loaded = loadedPackages('const m = require("./lib/bullmq/index.ts"); if (typeof m.CactusQueue !== "function") throw new Error("no CactusQueue")');
    expect(loaded).toEqual(expect.arrayContaining(["bullmq", "ioredis"]));
  }, 60_000);
});
