// Jest global setup: says once, in one line, when the Redis suites are skipped.
const { execFileSync } = require("node:child_process");

module.exports = async function redisGlobalSetup() {
  let found = true;
  try {
    execFileSync("redis-server", ["--version"], { stdio: "ignore" });
  } catch {
    found = false;
  }
  if (found) {
    // The Redis Cluster suites also need redis-cli (Debian's redis-server pulls in redis-tools).
    try {
      execFileSync("redis-cli", ["--version"], { stdio: "ignore" });
    } catch {
      if (process.env.CACTUS_TEST_REDIS === "required") throw new Error("CACTUS_TEST_REDIS=required but redis-cli is not on PATH: apt-get install -y redis-tools");
      process.stdout.write("\nSkipping the Redis Cluster suites (sharded queues on a cluster): redis-cli is not on PATH; install it with `apt-get install -y redis-tools`\n");
    }
    return;
  }
  if (process.env.CACTUS_TEST_REDIS === "required") {
    throw new Error("CACTUS_TEST_REDIS=required but redis-server is not on PATH: apt-get install -y redis-server");
  }
  process.stdout.write("\nSkipping the Redis suites (RedisIdempotencyStore, CactusQueue, chaos): redis-server is not on PATH; install it with `apt-get install -y redis-server`\n");
};
