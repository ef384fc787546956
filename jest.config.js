/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/spec"],
  testMatch: ["**/*.spec.ts"],
  // The packed package on Bun, Deno and workerd: `npm run test:runtimes` (CI runs it).
  testPathIgnorePatterns: ["/node_modules/", "<rootDir>/spec/runtimes/"],
  transform: { "^.+\\.ts$": ["ts-jest", { tsconfig: "tsconfig.json", isolatedModules: false, diagnostics: { warnOnly: false } }] },
  testTimeout: 20000,
  globalSetup: "<rootDir>/spec/global-setup.js",
};
