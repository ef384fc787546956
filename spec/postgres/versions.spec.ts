import { CactusClient } from "../../lib";
import { Ratings, silent } from "../helpers/ratings-handler";
import { CactusEmulator } from "../../lib/emulator";
import { CURRENT_API_VERSION, type CactusApiVersion } from "../../lib/events";
import { usePGlite } from "./store-under-test";

const quiet = (): void => undefined;

// An event of an older API version, stored by the event store, reaches today's handler upcast when
// it is read back (history) or run again (replay), whatever version the client is pinned to.
describe("the event store and older API versions", () => {
  const database = usePGlite();
  let emulator: CactusEmulator;
  beforeAll(async () => {
    emulator = await CactusEmulator.start();
  });
  afterAll(() => emulator.close());

  it.each<CactusApiVersion>([CURRENT_API_VERSION, "2025-06-01"])("replays a stored 2025-06-01 event through today's handler (client pinned to %s)", async (pinned) => {
    const store = database.store();
    const created = emulator.createEvent("movie.completed", { apiVersion: "2025-06-01", data: { stars: 3 } });
    const handler = new Ratings(new CactusClient({ apiKey: emulator.apiKey, baseUrl: emulator.url, maxRetries: 0, apiVersion: pinned }), { logger: silent, onError: quiet, idempotency: store });
    await expect(handler.handle(JSON.stringify(emulator.thinEventOf(created.id)))).rejects.toThrow(/not ready/);
    const [stored] = await store.history("mov_789", { types: ["movie.completed"], limit: 500 }).then((events) => events.filter((event) => event.id === created.id));
    expect(stored?.apiVersion).toBe("2025-06-01");
    handler.ready = true;
    await expect(store.replay(handler, { objectId: "mov_789", status: "failed", type: "movie.completed" })).resolves.toMatchObject({ succeeded: 1, failed: 0 });
    expect(handler.seen).toEqual([{ rating: 3, isCurrentClass: true, arrived: "2025-06-01" }]);
  });
});
