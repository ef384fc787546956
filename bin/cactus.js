#!/usr/bin/env node
// The `cactus` command: `npm run build` compiles lib/cli/main.ts into dist/.
"use strict";
require("../dist/lib/cli/main.js").main(process.argv.slice(2));
