// The tests use the same throwaway redis-server as the queue demo.
export { redisAvailable, startRedis, type LocalRedis as TestRedis } from "../../examples/queue/local-redis";
