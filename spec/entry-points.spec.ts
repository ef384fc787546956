import { execFile } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";

// Every public entry point must work as a program's first and only import: no test setup file, no
// earlier import of reflect-metadata. Each one is loaded first in a fresh `node` process that
// compiles the TypeScript sources on the fly (spec/helpers/ts-register.js) and uses its main export.

const root = resolve(__dirname, "..");
const register = join(root, "spec", "helpers", "ts-register.js");

type ExportTarget = string | { readonly [condition: string]: ExportTarget } | null;

/** `./x` -> the lib source file its built `default`/`require` target comes from. */
function sourceOf(target: ExportTarget): string | undefined {
  if (target === null) return undefined;
  if (typeof target === "object") return sourceOf(target["require"] ?? target["default"] ?? target["node"] ?? null);
  const match = /^\.\/dist\/(lib\/.+)\.js$/.exec(target);
  return match?.[1] === undefined ? undefined : `${match[1]}.ts`;
}

const packageJson = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { exports: Record<string, ExportTarget> };
const entryPoints = Object.entries(packageJson.exports)
  .map(([name, target]) => ({ name, source: sourceOf(target) }))
  .filter((entry): entry is { name: string; source: string } => entry.source !== undefined);

/** What each entry point's program does with its main export, and the line it must print. */
const usage: Record<string, { readonly script: string; readonly prints: string }> = {
  ".": {
    script: `
      const client = new entry.CactusClient({ apiKey: "sk_test_entry" });
      const event = client.parseEventV2(JSON.stringify({ id: "evt_1", type: "order.shipped", related_object: { id: "ord_1", type: "order" } }));
      console.log(event.constructor.name, event.relatedObject.id);`,
    prints: "OrderShippedPushedEvent ord_1",
  },
  "./emulator": {
    script: `
      entry.CactusEmulator.start({ port: 0 })
        .then(async (emulator) => { console.log("emulator", new URL(emulator.url).hostname); await emulator.close(); })
        .catch((error) => { console.error(error); process.exitCode = 1; });`,
    prints: "emulator 127.0.0.1",
  },
};
const genericUsage = { script: `console.log("exports", Object.keys(entry).length > 0);`, prints: "exports true" };

function runFirst(source: string, script: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const program = `const entry = require(${JSON.stringify(join(root, source))});\n${script}`;
  return new Promise((done) => {
    execFile(process.execPath, ["-r", register, "-e", program], { cwd: root, timeout: 120_000 }, (error, stdout, stderr) => {
      done({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

describe("entry points in package.json exports", () => {
  // The children start together: each pays TypeScript's start-up once, in parallel.
  let runs: Map<string, ReturnType<typeof runFirst>>;
  beforeAll(() => {
    // Started together, awaited per test: on a busy 2-core machine each child may take a while.
    runs = new Map(entryPoints.map(({ name, source }) => [name, runFirst(source, (usage[name] ?? genericUsage).script)]));
  });

  it("lists the root and the emulator, each with a source file", () => {
    expect(entryPoints.map((entry) => entry.name)).toEqual(expect.arrayContaining([".", "./emulator"]));
    for (const entry of entryPoints) expect(existsSync(join(root, entry.source))).toBe(true);
  });

  it.each(entryPoints)("$name works as a program's first and only import ($source)", async ({ name, source }) => {
    const { prints } = usage[name] ?? genericUsage;
    const result = await runs.get(name);
    if (result === undefined) throw new Error(`no run for ${name} (${source})`);
    expect(result.stderr).toBe("");
    expect(result.stdout.trim()).toBe(prints);
    expect(result.code).toBe(0);
  }, 150_000);
});
