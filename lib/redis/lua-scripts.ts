// The store's three steps as Lua scripts, so that each one is a single atomic step in Redis
// (and runs on one node of a Redis Cluster: each script touches one key).
// A key holds `lease:<token>` while a handler runs (with the lease as its TTL), then `done`
// (with the done TTL) after a commit.

/** KEYS[1] the event key; ARGV[1] token, ARGV[2] lease ms. Answers {"claimed"} | {"duplicate"} | {"in_progress", pttl}. */
export const CLAIM_SCRIPT = `
if redis.call("SET", KEYS[1], "lease:" .. ARGV[1], "NX", "PX", ARGV[2]) then
  return {"claimed"}
end
local value = redis.call("GET", KEYS[1])
if value == "done" then
  return {"duplicate"}
end
return {"in_progress", redis.call("PTTL", KEYS[1])}
`;

/**
 * KEYS[1] the event key; ARGV[1] token, ARGV[2] done TTL ms. Marks done if the lease is still
 * ours (1) or the key is free again, the lease having expired (2); else answers 3 (done by
 * another delivery) or 0 (another delivery's lease, left alone).
 */
export const COMMIT_SCRIPT = `
local value = redis.call("GET", KEYS[1])
if value == "lease:" .. ARGV[1] then
  redis.call("SET", KEYS[1], "done", "PX", ARGV[2])
  return 1
end
if not value then
  redis.call("SET", KEYS[1], "done", "PX", ARGV[2])
  return 2
end
if value == "done" then
  return 3
end
return 0
`;

/** KEYS[1] the event key; ARGV[1] token. Deletes the key only if the lease is still ours. */
export const RELEASE_SCRIPT = `
if redis.call("GET", KEYS[1]) == "lease:" .. ARGV[1] then
  return redis.call("DEL", KEYS[1])
end
return 0
`;
