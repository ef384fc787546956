import { execFileSync } from "node:child_process";
import { join } from "node:path";

const root = join(__dirname, "..", "..");

// Which packages of node_modules a fresh process loaded after running `code`.
function loadedPackages(code: string): string[] {
  const script = `${code}; const seen = new Set(); for (const file of Object.keys(require.cache)) { const match = /node_modules[\\\\/](@[^\\\\/]+[\\\\/][^\\\\/]+|[^\\\\/]+)/.exec(file); if (match) seen.add(match[1]); } console.log(JSON.stringify([...seen]));`;
  const output = execFileSync(process.execPath, ["-r", "./spec/chaos/require-hook.js", "-e", script], { cwd: root, encoding: "utf8" });
  return JSON.parse(output.trim().split("\n").at(-1) ?? "[]") as string[];
}

describe("the event store's entry point", () => {
  it('import "cactus-sdk" loads neither pg nor PGlite', () => {
    const loaded = loadedPackages('require("./lib/index.ts")');
    expect(loaded).not.toContain("pg");
    expect(loaded).not.toContain("@electric-sql/pglite");
  });

  it("cactus-sdk/postgres loads no database driver itself (you bring pg or PGlite)", () => {
    const loaded = loadedPackages('const m = require("./lib/postgres/index.ts"); if (typeof m.PostgresEventStore !== "function") throw new Error("no PostgresEventStore")');
    expect(loaded).not.toContain("pg");
    expect(loaded).not.toContain("@electric-sql/pglite");
  });

  it("the cactus command loads pg only when db migrate runs", () => {
    expect(loadedPackages('require("./lib/cli/main.ts")')).not.toContain("pg");
  });
});
