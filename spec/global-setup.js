// Jest global setup: each optional server's suites say once, in one line, when they are skipped.
const redis = require("./redis/global-setup");
const postgres = require("./postgres/global-setup");

module.exports = async function globalSetup() {
  await redis();
  await postgres();
};
