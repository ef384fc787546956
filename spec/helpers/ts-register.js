// A tiny require hook for child processes in tests: compiles `.ts` files with TypeScript's
// transpileModule (no type check) using tsconfig.json's compilerOptions, so a test can run the
// library's sources in a plain `node` process, as a user's program would load the built files:
//   node -r ./spec/helpers/ts-register.js -e 'require("./lib/emulator")'
// It loads nothing else (no reflect-metadata, no polyfills): an entry point that needs a setup
// import must do it itself.
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const ts = require("typescript");

const root = path.resolve(__dirname, "..", "..");
const configFile = path.join(root, "tsconfig.json");
const { config, error } = ts.readConfigFile(configFile, ts.sys.readFile);
if (error) throw new Error(`ts-register: cannot read ${configFile}: ${ts.flattenDiagnosticMessageText(error.messageText, "\n")}`);
const { options } = ts.convertCompilerOptionsFromJson(config.compilerOptions, root);
const compilerOptions = {
  ...options,
  module: ts.ModuleKind.CommonJS,
  sourceMap: false,
  inlineSourceMap: true,
  inlineSources: false,
  declaration: false,
  noEmit: false,
};

require.extensions[".ts"] = function compileTypeScript(module, filename) {
  const source = fs.readFileSync(filename, "utf8");
  const { outputText } = ts.transpileModule(source, { compilerOptions, fileName: filename });
  module._compile(outputText, filename);
};
