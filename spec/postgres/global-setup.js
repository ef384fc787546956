// Jest global setup (part): says once, in one line, when the PostgreSQL suites are skipped.
const { existsSync, readdirSync } = require("node:fs");
const { join } = require("node:path");
const { spawnSync } = require("node:child_process");

module.exports = async function postgresGlobalSetup() {
  const root = "/usr/lib/postgresql";
  const found =
    (existsSync(root) && readdirSync(root).some((version) => existsSync(join(root, version, "bin", "pg_ctl")))) ||
    spawnSync("sh", ["-c", "command -v pg_ctl"]).status === 0;
  if (found) return;
  if (process.env.CACTUS_TEST_POSTGRES === "required") {
    throw new Error("CACTUS_TEST_POSTGRES=required but PostgreSQL (pg_ctl) is not installed: apt-get install -y postgresql");
  }
  process.stdout.write("\nSkipping the real-PostgreSQL suites (the event store on PostgreSQL, its chaos run): pg_ctl is not installed; install it with `apt-get install -y postgresql` (PGlite suites still run)\n");
};
