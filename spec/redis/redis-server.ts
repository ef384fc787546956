// The tests use the same throwaway redis-server as the queue demo.
import Redis from "ioredis";
import { startRedis, type LocalRedis } from "../../examples/queue/local-redis";

export { redisAvailable, startRedis, type LocalRedis as TestRedis } from "../../examples/queue/local-redis";

/** A redis-server of the enclosing `describe` block, and one client on it. */
export interface RedisForTests {
  /** `redis://127.0.0.1:<port>`. */
  readonly url: string;
  /** An ioredis client connected to it. */
  readonly client: Redis;
  /** Freezes the server (SIGSTOP) until {@link resume}: a hung Redis. */
  pause(): void;
  /** Lets it run again. */
  resume(): void;
}

/**
 * Starts a throwaway redis-server (and one client) before the enclosing block's tests and stops
 * both after them. Read `url` and `client` inside tests or hooks, not while the block is declared.
 */
export function useRedis(): RedisForTests {
  let server: LocalRedis | undefined;
  let client: Redis | undefined;
  beforeAll(async () => {
    server = await startRedis();
    client = new Redis(server.url);
  });
  afterAll(async () => {
    client?.disconnect();
    await server?.stop();
  });
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error("useRedis(): read url and client inside a test or hook, after the server started");
    return value;
  };
  return {
    get url(): string {
      return started(server).url;
    },
    get client(): Redis {
      return started(client);
    },
    pause: () => started(server).pause(),
    resume: () => started(server).resume(),
  };
}
