#!/usr/bin/env node
// The `cactus` command. The published package ships dist/; in a checkout, `npm run build` makes it.
"use strict";
const path = require("node:path");
const fs = require("node:fs");

const main = path.join(__dirname, "..", "dist", "lib", "cli", "main.js");
if (!fs.existsSync(main)) {
  process.stderr.write("cactus: dist/ is not built; run `npm run build` in the cactus-sdk checkout first\n");
  process.exit(1);
}
require(main).main(process.argv.slice(2));
