import { redisClusterAvailable } from "../../examples/queue/local-redis-cluster";

export { startRedisCluster, type LocalRedisCluster } from "../../examples/queue/local-redis-cluster";

/** `describe`, or `describe.skip` when redis-server or redis-cli is missing (the global setup said so once, in one line). */
export const describeCluster: jest.Describe = redisClusterAvailable ? describe : describe.skip;
