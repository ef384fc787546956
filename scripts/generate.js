#!/usr/bin/env node
// Regenerates every file derived from lib/events/catalog.ts: the handlers' per-type methods
// (lib/handler/generated/), the type tests that list every type (spec/types/generated/) and the
// README's event table. Run after adding or changing an event type: `npm run generate`.
// spec/docs/generated.spec.ts fails `npm test` while a file on disk differs from what this writes.
"use strict";
const fs = require("node:fs");
const path = require("node:path");
require("../spec/helpers/ts-register.js");
const { derivedFiles, ROOT } = require("../spec/docs/derived-files.ts");

const check = process.argv.includes("--check");
let stale = 0;
for (const [file, content] of derivedFiles()) {
  const target = path.join(ROOT, file);
  const current = fs.existsSync(target) ? fs.readFileSync(target, "utf8") : undefined;
  if (current === content) continue;
  stale++;
  if (check) {
    console.error(`stale: ${file}`);
  } else {
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, content);
    console.log(`wrote ${file}`);
  }
}
if (check && stale > 0) {
  console.error("run `npm run generate`");
  process.exitCode = 1;
}
