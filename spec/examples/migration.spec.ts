import { CactusClient } from "../../lib";
import type { CactusEmulator } from "../../lib/emulator";
import { EXPECTED_ACTIVITY_LINES, SEEDED_EVENT_IDS, startEmulatorWithClient, thinBody } from "../helpers/emulator";
import { handleEvent as before } from "../../examples/migration/before";
import { handleEvent as after } from "../../examples/migration/after";

// The v1 -> v2 migration of docs/migrating-from-v1.md, run on the emulator's seeded events.
describe("examples/migration", () => {
  let emulator: CactusEmulator;
  let client: CactusClient;
  const body = (id: string): string => thinBody(emulator, id);

  beforeAll(async () => {
    ({ emulator, client } = await startEmulatorWithClient());
  });
  afterAll(() => emulator.close());

  describe("before.ts (v1, casts) fails the way its comments say", () => {
    const cases: ReadonlyArray<[id: string, bug: string, error: ErrorConstructor, message: string]> = [
      ["evt_order_shipped", "BUG 1: data read off the thin event", TypeError, "Cannot read properties of undefined (reading 'shippingService')"],
      ["evt_order_delivery_attempted", "BUG 2: pull() on a v1 event", TypeError, "attempt.pull is not a function"],
      ["evt_order_lost", "BUG 3: fetchRelatedObject() on order.lost", TypeError, "lost.fetchRelatedObject is not a function"],
      ["evt_movie_started", "BUG 4: misspelled type", Error, "Unhandled event type: movie.started"],
      ["evt_movie_completed", "BUG 5: throws on an unhandled type", Error, "Unhandled event type: movie.completed"],
      ["evt_order_refunded", "BUG 5: throws on a new type", Error, "Unhandled event type: order.refunded"],
    ];

    it.each(cases)("%s: %s", async (id, _bug, errorClass, message) => {
      const lines: string[] = [];
      const failure = before(client, (line) => lines.push(line), body(id));
      await expect(failure).rejects.toThrow(new errorClass(message));
      await expect(failure).rejects.toHaveProperty("constructor", errorClass);
      expect(lines).toEqual([]);
    });
  });

  describe("after.ts (v2, no casts)", () => {
    it("prints the right line for every type, the unknown one included", async () => {
      const lines: string[] = [];
      for (const id of SEEDED_EVENT_IDS) {
        await after(client, (line) => lines.push(line), body(id));
      }
      expect(lines).toEqual(EXPECTED_ACTIVITY_LINES);
    });

    it("prints the rating from the pulled data and the title from the related movie", async () => {
      emulator.addMovie({ id: "mov_2", title: "Saguaro Nights", release_year: 2019 });
      const event = emulator.createEvent("movie.completed", {
        data: { user: "grace", rating: 3 },
        related_object: { id: "mov_2", type: "movie" },
      });
      const lines: string[] = [];
      await after(client, (line) => lines.push(line), body(event.id));
      expect(lines).toEqual([`movie.completed: grace rated "Saguaro Nights" 3/5`]);
    });

    it("lets an API failure reject, so the delivery is retried, and prints nothing", async () => {
      emulator.failNext({ status: 404, pathPrefix: "/v2/events/" });
      const lines: string[] = [];
      await expect(after(client, (line) => lines.push(line), body("evt_order_lost"))).rejects.toMatchObject({ status: 404 });
      expect(lines).toEqual([]);
    });
  });
});
