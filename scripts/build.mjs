#!/usr/bin/env node
// The dual build: TypeScript compiles lib/ twice from the same sources, with the same declarations.
//
//   dist/lib  CommonJS (+ .d.ts), with examples/, bench/ and bin/ (the demo, the bench, the CLI)
//   dist/esm  ES modules as .mjs (+ .d.mts), lib/ only
//
// tsc leaves relative specifiers as written (`./core`), which Node's ESM loader does not resolve, so
// the ESM output is renamed to .mjs/.d.mts and its specifiers get their file (`./core.mjs`,
// `./dir/index.mjs`) here. One package scope for both builds: the root package.json's "type",
// "imports" and "sideEffects" apply to both (a nested package.json's "imports" is not read by Node). The package.json
// "exports" are checked, whatever entries they list: each needs its "import" and "require" halves,
// every file they name must exist after the build. `node scripts/build.mjs --sync-exports` rewrites
// a plain entry ({ types, default } into dist/lib) into the dual form, and typesVersions to match.
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const manifestPath = join(root, "package.json");
const args = new Set(process.argv.slice(2));

/** The conditions of one entry, from its CommonJS path under dist/lib (`./dist/lib/x/index.js`). */
export function dualEntry(cjsPath) {
  const esmPath = cjsPath.replace(/^\.\/dist\/lib\//, "./dist/esm/").replace(/\.js$/, ".mjs");
  const esm = { types: esmPath.replace(/\.mjs$/, ".d.mts"), default: esmPath };
  const cjs = { types: cjsPath.replace(/\.js$/, ".d.ts"), default: cjsPath };
  // Workers, edge runtimes and browsers always get the ES module build (one copy per bundle,
  // tree-shaken), even from a require(); Node, Bun and Deno pick by import/require.
  return { workerd: esm, worker: esm, browser: esm, import: esm, require: cjs };
}

function cjsPathOf(entry) {
  if (typeof entry === "string") return entry;
  if (entry?.require?.default) return entry.require.default;
  return entry?.default;
}

function syncExports() {
  const manifest = JSON.parse(readFileSync(manifestPath, "utf8"));
  const exports = {};
  const typesVersions = {};
  for (const [subpath, entry] of Object.entries(manifest.exports)) {
    const cjs = cjsPathOf(entry);
    if (typeof cjs !== "string" || !cjs.startsWith("./dist/lib/") || !cjs.endsWith(".js")) {
      exports[subpath] = entry; // ./package.json and anything that is not built code
      continue;
    }
    exports[subpath] = dualEntry(cjs);
    // TypeScript's classic resolution (moduleResolution node10) does not read "exports".
    if (subpath !== ".") typesVersions[subpath.slice(2)] = [cjs.slice(2).replace(/\.js$/, ".d.ts")];
  }
  manifest.exports = exports;
  manifest.typesVersions = { "*": typesVersions };
  writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
  console.log(`build: package.json exports synced (${Object.keys(exports).length} entries)`);
}

function checkExports(manifest) {
  const problems = [];
  for (const [subpath, entry] of Object.entries(manifest.exports)) {
    if (subpath === "./package.json") continue;
    const expected = dualEntry(cjsPathOf(entry) ?? "");
    if (JSON.stringify(entry) !== JSON.stringify(expected)) {
      problems.push(`"${subpath}" is not in the dual form (run \`node scripts/build.mjs --sync-exports\`)`);
      continue;
    }
    for (const conditions of Object.values(entry)) {
      for (const file of Object.values(conditions)) if (!existsSync(join(root, file))) problems.push(`"${subpath}" names ${file}, which the build did not make`);
    }
  }
  if (problems.length > 0) throw new Error(`package.json exports:\n  ${problems.join("\n  ")}`);
}

function tsc(project) {
  execFileSync(process.execPath, [join(root, "node_modules", "typescript", "bin", "tsc"), "-p", join(root, project)], { cwd: root, stdio: "inherit" });
}

function* files(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* files(path);
    else yield path;
  }
}

// `from "./x"`, `import("./x")`, `import "./x"`, `export * from "./x"`: relative specifiers only.
const SPECIFIER = /(\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)(["'])(\.{1,2}\/[^"']*)\2/g;

function withExtension(file, specifier) {
  if (/\.(m|c)?js$/.test(specifier)) return specifier;
  const target = resolve(dirname(file), specifier);
  if (existsSync(`${target}.js`) || existsSync(`${target}.d.ts`)) return `${specifier}.mjs`;
  if (existsSync(join(target, "index.js")) || existsSync(join(target, "index.d.ts"))) return `${specifier.replace(/\/$/, "")}/index.mjs`;
  throw new Error(`${relative(root, file)}: cannot resolve ${specifier}`);
}

// Every specifier first (the names on disk are still .js), then the renames.
function toModules(dir) {
  let count = 0;
  const all = [...files(dir)];
  for (const file of all) {
    if (!/\.(js|d\.ts)$/.test(file)) continue;
    const text = readFileSync(file, "utf8");
    const fixed = text.replace(SPECIFIER, (_, keyword, quote, specifier) => {
      count += 1;
      return `${keyword}${quote}${withExtension(file, specifier)}${quote}`;
    });
    if (fixed !== text) writeFileSync(file, fixed);
  }
  for (const file of all) {
    if (file.endsWith(".d.ts")) renameSync(file, file.replace(/\.d\.ts$/, ".d.mts"));
    else if (file.endsWith(".js")) renameSync(file, file.replace(/\.js$/, ".mjs"));
  }
  return count;
}

function build() {
  const manifest = JSON.parse(readFileSync(manifestPath, "utf8"));
  rmSync(join(root, "dist"), { recursive: true, force: true });
  tsc("tsconfig.build.json");
  tsc("tsconfig.esm.json");
  const esm = join(root, "dist", "esm");
  const fixed = toModules(esm);
  checkExports(manifest);
  if (!args.has("--quiet")) console.log(`build: dist/lib (CommonJS) and dist/esm (ES modules as .mjs, ${fixed} specifiers given their file); exports checked`);
}

if (args.has("--sync-exports")) syncExports();
else build();
