import { redisAvailable } from "./redis-server";

/** `describe`, or `describe.skip` when redis-server is missing (the global setup said so once, in one line). */
export const describeRedis: jest.Describe = redisAvailable ? describe : describe.skip;
