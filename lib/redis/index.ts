// cactus-sdk/redis: the Redis idempotency store. Needs the optional peer dependency `ioredis`.
export { RedisIdempotencyStore, DEFAULT_REDIS_IDEMPOTENCY_PREFIX, type RedisIdempotencyStoreOptions } from "./redis-idempotency-store";
export type { IdempotencyStore, IdempotencyClaim } from "../delivery/idempotency-store";
export { DEFAULT_DONE_TTL_MS, DEFAULT_LEASE_MS } from "../delivery/idempotency-store";
