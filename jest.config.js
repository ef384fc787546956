// The chaos runs at CI size (Redis, PostgreSQL) stay in `npm test`.
const INTEGRATION = ["<rootDir>/spec/postgres/(?!chaos/)", "<rootDir>/spec/saga/", "<rootDir>/spec/bullmq/cluster\\.spec\\.ts"];

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/spec"],
  testMatch: ["**/*.spec.ts"],
  // The packed package on Bun, Deno and workerd: `npm run test:runtimes` (CI runs it). The suites
  // on real servers that take longest (the event store and sagas on PGlite and PostgreSQL, the
  // Redis Cluster) are `npm run test:integration`, which CI runs too, so that
  // `npm test` stays within five minutes on two cores.
  testPathIgnorePatterns: ["/node_modules/", "<rootDir>/spec/runtimes/", ...(process.env.CACTUS_INTEGRATION === "1" ? [] : INTEGRATION)],
  // Most suites wait on servers and child processes: two workers keep both cores busy.
  maxWorkers: 2,
  transform: { "^.+\\.ts$": ["ts-jest", { tsconfig: "tsconfig.json", isolatedModules: false, diagnostics: { warnOnly: false } }] },
  testTimeout: 20000,
  globalSetup: "<rootDir>/spec/global-setup.js",
};
