#!/usr/bin/env node
// Consumer check: packs cactus-sdk once, installs the tarball into a throwaway project, compiles a
// strict consumer (spec/package/consumer.ts) as CommonJS and as ESM (module nodenext) with
// TypeScript 5.9 and the latest TypeScript 7, runs every build with node, runs the installed
// `cactus` bin, lints the tarball with publint and @arethetypeswrong/cli (both must find nothing),
// and (with --write-readme) measures the installed size and the cold require time.
//
//   node scripts/consumer-check.mjs                 # the check (part of npm test)
//   node scripts/consumer-check.mjs --write-readme  # also measures the installed size and the cold
//                                                   # require, and writes them into README.md (npm run size)
//   node scripts/consumer-check.mjs --recipes       # the test recipes of docs/testing.md (jest + ts-jest,
//                                                   # jest + @swc/jest on TypeScript 7, vitest), each in a project of its own (npm run test:recipes)
//   node scripts/consumer-check.mjs --keep          # keep the temp project, to look around
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { copyFile, mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const run = promisify(execFile);
const root = dirname(dirname(fileURLToPath(import.meta.url)));
const args = new Set(process.argv.slice(2));
const started = performance.now();
const elapsed = () => `${((performance.now() - started) / 1000).toFixed(1)} s`;
const log = (line) => console.log(`consumer-check [${elapsed()}] ${line}`);

// The compilers, installed side by side under npm aliases. TypeScript 7 is the newest 7.x.
const COMPILERS = { ts59: "npm:typescript@~5.9.3", ts7: "npm:typescript@^7.0.2" };

const STRICT = {
  strict: true,
  noUncheckedIndexedAccess: true,
  exactOptionalPropertyTypes: true,
  noImplicitOverride: true,
  noImplicitReturns: true,
  skipLibCheck: false,
  target: "es2022",
  types: ["node"],
  rootDir: ".",
  outDir: "out",
};

// Each project: its package.json "type", its module settings, and the compilers that support them
// (TypeScript 7 no longer has moduleResolution node10, the classic CommonJS setting).
const PROJECTS = [
  { name: "cjs", type: "commonjs", module: { module: "nodenext", moduleResolution: "nodenext" }, compilers: ["ts59", "ts7"] },
  { name: "esm", type: "module", module: { module: "nodenext", moduleResolution: "nodenext" }, compilers: ["ts59", "ts7"] },
  { name: "cjs-node10", type: "commonjs", module: { module: "commonjs", moduleResolution: "node10" }, compilers: ["ts59"] },
];

async function main() {
  const work = await mkdtemp(join(tmpdir(), "cactus-consumer-"));
  try {
    const tarball = await pack(work);
    if (!args.has("--write-readme")) await checkReadmeFigures(tarball);
    if (args.has("--recipes")) {
      await runRecipes(work, tarball.path);
      log("ok");
      return;
    }
    await lintTarball(tarball.path);
    const app = join(work, "app");
    await install(app, tarball.path);
    const versions = Object.fromEntries(
      await Promise.all(Object.keys(COMPILERS).map(async (alias) => [alias, JSON.parse(await readFile(join(app, "node_modules", alias, "package.json"), "utf8")).version])),
    );
    log(`compilers: TypeScript ${versions.ts59} and ${versions.ts7}`);
    await compileAndRunAll(app);
    await checkRootLoadsLittle(app);
    await checkBin(app);
    // The figures cost a dozen node starts: measured for `npm run size`, not on every test run.
    if (args.has("--write-readme")) {
      const figures = { tarball, ...(await measure(app)), versions };
      report(figures);
      await writeReadme(figures);
    }
    log("ok");
  } finally {
    if (args.has("--keep")) log(`kept ${work}`);
    else await rm(work, { recursive: true, force: true });
  }
}

// One pack; `prepack` builds dist/ first.
async function pack(work) {
  const { stdout } = await run("npm", ["pack", "--json", "--pack-destination", work], { cwd: root, maxBuffer: 64 * 1024 * 1024 });
  const [info] = JSON.parse(stdout.slice(stdout.indexOf("[\n")));
  log(`packed ${info.filename}: ${info.entryCount} files, ${kb(info.size)} packed, ${kb(info.unpackedSize)} unpacked`);
  return { path: join(work, info.filename), files: info.entryCount, size: info.size, unpackedSize: info.unpackedSize };
}

// publint (package.json fields, exports, file formats) and attw (types under node10, node16 CJS
// and ESM, bundler): any message at all fails the check.
async function lintTarball(tarballPath) {
  const bin = (name) => join(root, "node_modules", ".bin", name);
  try {
    const { stdout } = await run(bin("publint"), ["--strict", tarballPath], { cwd: root });
    if (!stdout.includes("All good!")) throw Object.assign(new Error("publint found something"), { stdout });
  } catch (error) {
    throw new Error(`publint on the tarball:\n${error.stdout ?? ""}${error.stderr ?? ""}`);
  }
  try {
    await run(bin("attw"), [tarballPath, "--format", "table-flipped"], { cwd: root });
  } catch (error) {
    throw new Error(`@arethetypeswrong/cli on the tarball:\n${error.stdout ?? ""}${error.stderr ?? ""}`);
  }
  log("publint and @arethetypeswrong/cli: no problems in the tarball");
}

// One node_modules shared by every project (they sit below it), from the npm cache when it can.
async function install(app, tarballPath) {
  await mkdir(app, { recursive: true });
  const types = JSON.parse(await readFile(join(root, "package.json"), "utf8")).devDependencies["@types/node"];
  await writeJson(join(app, "package.json"), {
    name: "cactus-consumer-check",
    private: true,
    dependencies: { "cactus-sdk": `file:${tarballPath}`, "@types/node": types, ...COMPILERS },
  });
  await run("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel=error"], { cwd: app, maxBuffer: 64 * 1024 * 1024 });
  log("installed the tarball and both compilers");
  const consumer = join(root, "spec", "package", "consumer.ts");
  for (const project of PROJECTS) {
    const dir = join(app, project.name);
    await mkdir(dir, { recursive: true });
    await writeJson(join(dir, "package.json"), { name: `consumer-${project.name}`, private: true, type: project.type });
    await writeJson(join(dir, "tsconfig.json"), { compilerOptions: { ...STRICT, ...project.module }, files: ["consumer.ts"] });
    await copyFile(consumer, join(dir, "consumer.ts"));
  }
}

async function compileAndRunAll(app) {
  const builds = PROJECTS.flatMap((project) => project.compilers.map((compiler) => ({ project: project.name, compiler })));
  // Two at a time: the machine has two cores.
  for (let i = 0; i < builds.length; i += 2) await Promise.all(builds.slice(i, i + 2).map((build) => compileAndRun(app, build)));
}

async function compileAndRun(app, { project, compiler }) {
  const dir = join(app, project);
  const outDir = join(dir, `out-${compiler}`);
  const tsc = join(app, "node_modules", compiler, "bin", "tsc");
  try {
    await run(process.execPath, [tsc, "-p", join(dir, "tsconfig.json"), "--outDir", outDir], { cwd: dir, maxBuffer: 16 * 1024 * 1024 });
  } catch (error) {
    throw new Error(`${project} does not compile with ${compiler}:\n${error.stdout ?? ""}${error.stderr ?? ""}`);
  }
  try {
    const { stdout } = await run(process.execPath, [join(outDir, "consumer.js")], { cwd: dir, timeout: 30_000 });
    if (!stdout.includes("consumer ok")) throw Object.assign(new Error("no 'consumer ok'"), { stdout });
  } catch (error) {
    throw new Error(`${project} compiled by ${compiler} fails under node:\n${error.stdout ?? ""}${error.stderr ?? ""}${error.message}`);
  }
  log(`${project}: compiles with ${compiler} (strict, lib check) and runs`);
}

// The root entry must not load the CLI's dependencies nor any optional integration.
async function checkRootLoadsLittle(app) {
  const probe = 'require("cactus-sdk");process.stdout.write(JSON.stringify(Object.keys(require.cache).filter((file) => /node_modules[\\\\/](commander|cli-progress|ioredis|bullmq|prom-client|@opentelemetry|pg|@electric-sql|@nestjs)[\\\\/]/.test(file))))';
  const loaded = JSON.parse((await run(process.execPath, ["-e", probe], { cwd: app })).stdout);
  if (loaded.length > 0) throw new Error(`require("cactus-sdk") loads modules it should not: ${loaded.join(", ")}`);
  log('require("cactus-sdk") loads neither the CLI\'s dependencies nor an optional integration');
}

async function checkBin(app) {
  const { stdout } = await run(process.execPath, [join(app, "node_modules", ".bin", "cactus"), "secret"], { cwd: app });
  if (!/^whsec_[A-Za-z0-9+/]+=*\n$/.test(stdout)) throw new Error(`the installed cactus bin printed ${JSON.stringify(stdout)}`);
  log("the installed `cactus secret` works");
}

// Installed size: cactus-sdk and the packages it installs (its production dependency closure).
async function measure(app) {
  const modules = join(app, "node_modules");
  const closure = new Set();
  const visit = async (name) => {
    if (closure.has(name)) return;
    closure.add(name);
    const manifest = JSON.parse(await readFile(join(modules, name, "package.json"), "utf8"));
    for (const dep of Object.keys(manifest.dependencies ?? {})) await visit(dep);
  };
  await visit("cactus-sdk");
  const sizes = await Promise.all([...closure].map((name) => directorySize(join(modules, name))));
  const own = await directorySize(join(modules, "cactus-sdk"));
  const installed = sizes.reduce((a, b) => a + b, 0);

  // Cold require: a fresh node process each time, timing require() alone; the median of seven.
  // A bare `node -e ""` start is timed in the same run, so a busy machine shows as such.
  const probe = 'const t=process.hrtime.bigint();require("cactus-sdk");process.stdout.write(String(Number(process.hrtime.bigint()-t)/1e6))';
  const requireTimes = [];
  const bareTimes = [];
  for (let i = 0; i < 7; i++) {
    requireTimes.push(Number((await run(process.execPath, ["-e", probe], { cwd: app })).stdout));
    const bareStart = performance.now();
    await run(process.execPath, ["-e", ""], { cwd: app });
    bareTimes.push(performance.now() - bareStart);
  }
  return { own, installed, packages: closure.size, requireMs: median(requireTimes), bareNodeMs: median(bareTimes), node: process.version };
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function directorySize(dir) {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) total += await directorySize(path);
    else if (entry.isFile()) total += (await stat(path)).size;
  }
  return total;
}

function report(f) {
  log(`installed size: cactus-sdk ${kb(f.own)}; with its ${f.packages - 1} dependencies ${mb(f.installed)}`);
  log(`cold require("cactus-sdk"): ${f.requireMs.toFixed(0)} ms; a bare node start: ${f.bareNodeMs.toFixed(0)} ms (medians of 7, node ${f.node})`);
}

const START = "<!-- package-figures:start -->";
const END = "<!-- package-figures:end -->";

async function writeReadme(f) {
  const path = join(root, "README.md");
  const readme = await readFile(path, "utf8");
  const block = [
    START,
    "| measure | value |",
    "| --- | --- |",
    `| tarball (\`npm pack\`) | ${kb(f.tarball.size)}, ${f.tarball.files} files |`,
    `| installed: cactus-sdk itself | ${kb(f.own)} |`,
    `| installed: with its ${f.packages - 1} dependencies | ${mb(f.installed)} |`,
    `| cold \`require("cactus-sdk")\` | ${f.requireMs.toFixed(0)} ms (median of 7 fresh processes, node ${f.node}) |`,
    `| for scale: a bare \`node -e ""\` start, same run | ${f.bareNodeMs.toFixed(0)} ms |`,
    "",
    `Measured by \`npm run size\`; the same check compiles a strict consumer with TypeScript ${f.versions.ts59} and ${f.versions.ts7} (CommonJS and ESM) and runs it.`,
    END,
  ].join("\n");
  const at = readme.indexOf(START);
  const next = at === -1 ? `${readme.trimEnd()}\n\n## Package\n\n${block}\n` : readme.slice(0, at) + block + readme.slice(readme.indexOf(END) + END.length);
  await writeFile(path, next);
  log("wrote the figures into README.md");
}

// The README's tarball row is written by `npm run size`; the check keeps it true: the same number
// of files, and a packed size within 5 kB (gzip moves a little with every change).
async function checkReadmeFigures(tarball) {
  const readme = await readFile(join(root, "README.md"), "utf8");
  const row = /\| tarball \(`npm pack`\) \| (\d+) kB, (\d+) files \|/.exec(readme);
  if (row === null) throw new Error("README.md has no tarball row in its package figures: run `npm run size`");
  const [, sizeKb, files] = row.map(Number);
  if (files !== tarball.files || Math.abs(sizeKb - tarball.size / 1024) > 5) {
    throw new Error(`README.md says the tarball is ${sizeKb} kB in ${files} files; it is ${kb(tarball.size)} in ${tarball.files} files: run \`npm run size\``);
  }
  log(`README.md's package figures match the tarball (${kb(tarball.size)}, ${tarball.files} files)`);
}

// The test recipes of docs/testing.md, as written there: for each recipe, a project of its own with
// the packages of its install line, its config files and the page's test, then its commands.
const RECIPES = {
  "jest-ts-jest": { commands: [["jest"]] },
  "jest-swc": { commands: [["tsc"], ["jest"]] },
  vitest: { commands: [["vitest", "run"]], testHeader: 'import { afterAll, beforeAll, describe, expect, it } from "vitest";\n' },
};

function recipeFiles() {
  const doc = readFileSync(join(root, "docs", "testing.md"), "utf8");
  const found = {};
  for (const match of doc.matchAll(/<!-- recipe ([a-z0-9-]+): ([^ ]+) -->\n```[a-z]*\n([\s\S]*?)```/g)) {
    const [, recipe, file, content] = match;
    (found[recipe] ??= {})[file] = content;
  }
  return found;
}

async function runRecipes(work, tarballPath) {
  const files = recipeFiles();
  const test = files.all?.["shipping.test.ts"];
  if (test === undefined) throw new Error("docs/testing.md has no recipe test (<!-- recipe all: shipping.test.ts -->)");
  const types = JSON.parse(await readFile(join(root, "package.json"), "utf8")).devDependencies["@types/node"];
  for (const [name, recipe] of Object.entries(RECIPES)) {
    const own = files[name];
    if (own?.install === undefined) throw new Error(`docs/testing.md has no install line for the ${name} recipe`);
    const dir = join(work, `recipe-${name}`);
    await mkdir(dir, { recursive: true });
    const devDependencies = { "@types/node": types };
    for (const spec of own.install.trim().replace(/^npm install --save-dev /, "").split(/\s+/)) {
      const at = spec.lastIndexOf("@");
      if (at > 0) devDependencies[spec.slice(0, at)] = spec.slice(at + 1);
      else devDependencies[spec] = "*";
    }
    const manifest = { name: `recipe-${name}`, private: true, ...(own["package.json"] ? JSON.parse(own["package.json"]) : {}), dependencies: { "cactus-sdk": `file:${tarballPath}` }, devDependencies };
    await writeJson(join(dir, "package.json"), manifest);
    for (const [file, content] of Object.entries(own)) if (file !== "install" && file !== "package.json") await writeFile(join(dir, file), content);
    await writeFile(join(dir, "shipping.test.ts"), (recipe.testHeader ?? "") + test);
    await run("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"], { cwd: dir, maxBuffer: 64 * 1024 * 1024 });
    for (const [bin, ...rest] of recipe.commands) {
      try {
        await run(join(dir, "node_modules", ".bin", bin), rest, { cwd: dir, maxBuffer: 16 * 1024 * 1024, env: { ...process.env, CI: "true", NODE_OPTIONS: "" } });
      } catch (error) {
        throw new Error(`recipe ${name}: \`${[bin, ...rest].join(" ")}\` failed:\n${error.stdout ?? ""}${error.stderr ?? ""}`);
      }
    }
    const version = JSON.parse(await readFile(join(dir, "node_modules", "typescript", "package.json"), "utf8")).version;
    log(`recipe ${name} (TypeScript ${version}): installed as docs/testing.md says, and its test passes`);
  }
}

const kb = (bytes) => `${(bytes / 1024).toFixed(0)} kB`;
const mb = (bytes) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const writeJson = (path, value) => writeFile(path, `${JSON.stringify(value, null, 2)}\n`);

main().catch((error) => {
  console.error(`consumer-check failed after ${elapsed()}: ${error.message}`);
  process.exitCode = 1;
});
