import { CactusClient } from "../../lib";
import { Ratings, silent } from "../helpers/ratings-handler";
import { CactusQueue } from "../../lib/bullmq";
import { CactusEmulator } from "../../lib/emulator";
import { CURRENT_API_VERSION, type CactusApiVersion } from "../../lib/events";
import { eventually } from "../delivery/controlled-handler";
import { describeRedis } from "../redis/describe-redis";
import { useRedis } from "../redis/redis-server";

const quiet = (): void => undefined;

describeRedis("dead letters of an older API version", () => {
  const local = useRedis();
  let emulator: CactusEmulator;
  const queues: CactusQueue[] = [];
  beforeAll(async () => {
    emulator = await CactusEmulator.start();
  });
  afterEach(async () => {
    await Promise.all(queues.splice(0).map((queue) => queue.close({ timeoutMs: 2_000 })));
  });
  afterAll(() => emulator.close());

  it.each<CactusApiVersion>([CURRENT_API_VERSION, "2025-06-01"])("a replay after an upgrade runs today's handler on a 2025-06-01 event (client pinned to %s)", async (pinned) => {
    const queue = new CactusQueue({ connection: local.url, name: `versions${process.pid}x${pinned}` });
    queues.push(queue);
    const created = emulator.createEvent("movie.completed", { apiVersion: "2025-06-01", data: { stars: 3 } });
    const thin = emulator.thinEventOf(created.id);
    const handler = new Ratings(new CactusClient({ apiKey: emulator.apiKey, baseUrl: emulator.url, maxRetries: 0, apiVersion: pinned }), { logger: silent });
    queue.work(handler, { attempts: 1, onError: quiet });
    await queue.receive(JSON.stringify(thin));
    await eventually(async () => (await queue.deadLetters.count()) === 1, 10_000, "the dead letter");
    // The dead letter keeps the event as it came, version included.
    expect((await queue.deadLetters.get(created.id))?.event).toEqual({ ...thin, api_version: "2025-06-01" });
    handler.ready = true;
    expect(await queue.deadLetters.replay(created.id)).toEqual([created.id]);
    await eventually(() => handler.seen.length === 1, 10_000, "the replayed run");
    expect(handler.seen).toEqual([{ rating: 3, isCurrentClass: true, arrived: "2025-06-01" }]);
  });
});
