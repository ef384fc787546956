import { execFileSync } from "node:child_process";
import { join } from "node:path";

const root = join(__dirname, "..", "..");

// The packages of node_modules a fresh process loaded after running `code`.
function loadedPackages(code: string): string[] {
  const script = `${code}; const seen = new Set(); for (const file of Object.keys(require.cache)) { const match = /node_modules[\\\\/](@[^\\\\/]+[\\\\/][^\\\\/]+|[^\\\\/]+)/.exec(file); if (match) seen.add(match[1]); } console.log(JSON.stringify([...seen]));`;
  const output = execFileSync(process.execPath, ["-r", "./spec/chaos/require-hook.js", "-e", script], { cwd: root, encoding: "utf8" });
  return JSON.parse(output.trim().split("\n").at(-1) ?? "[]") as string[];
}

describe("the cactus-sdk/nestjs entry point", () => {
  it('import "cactus-sdk" loads no NestJS package', () => {
    expect(loadedPackages('require("./lib/index.ts")').filter((name) => name.startsWith("@nestjs/"))).toEqual([]);
  }, 60_000);

  it("loads @nestjs/common and @nestjs/core, and neither a platform nor the queue's Redis packages", () => {
    const loaded = loadedPackages('const m = require("./lib/nestjs/index.ts"); if (typeof m.CactusModule.forRoot !== "function") throw new Error("no CactusModule")');
    expect(loaded).toEqual(expect.arrayContaining(["@nestjs/common", "@nestjs/core"]));
    for (const absent of ["@nestjs/platform-express", "@nestjs/platform-fastify", "bullmq", "ioredis"]) expect(loaded).not.toContain(absent);
  }, 60_000);
});
