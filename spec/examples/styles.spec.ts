import { CactusClient, type EventBody } from "../../lib";
import type { CactusEmulator } from "../../lib/emulator";
import { EXPECTED_ACTIVITY_LINES, SEEDED_EVENT_IDS, startEmulatorWithClient } from "../helpers/emulator";
import { handleEvent } from "../../examples/migration/after";
import { handleActivity, movieCompleted } from "../../examples/switch/activity-switch";
import { ActivityHandler } from "../../examples/inheritance/activity-handler";
import { createActivityRouter } from "../../examples/router/activity-router";
import { createShortcutStyleRouter } from "../../examples/router/shortcut-style";
import { ActivityHandlers, createDecoratedRouter } from "../../examples/decorators/activity-handlers";

type Log = (line: string) => void;
type Style = (client: CactusClient, log: Log) => (body: EventBody) => Promise<unknown>;

// docs/choosing-a-style.md claims these are one handler written several ways: same input, same lines.
const styles: ReadonlyArray<[name: string, style: Style]> = [
  ["switch (examples/migration/after.ts)", (client, log) => (body) => handleEvent(client, log, body)],
  ["switch, one function per type (examples/switch)", (client, log) => (body) => handleActivity(client, log, body)],
  ["ExhaustiveCactusHandler subclass (examples/inheritance)", (client, log) => (body) => new ActivityHandler(client, log).handle(body)],
  ["router.on (examples/router)", (client, log) => (body) => createActivityRouter(client, log).handle(body)],
  ["router.onMovieCompleted, one method per type (examples/router/shortcut-style.ts)", (client, log) => (body) => createShortcutStyleRouter(client, log).handle(body)],
  ["@On decorators (examples/decorators)", (client, log) => (body) => createDecoratedRouter(client, log).handle(body)],
];

describe("the same handler in every style", () => {
  let emulator: CactusEmulator;
  let client: CactusClient;

  beforeAll(async () => {
    ({ emulator, client } = await startEmulatorWithClient());
  });
  afterAll(() => emulator.close());

  it.each(styles)("%s prints one line per event, the unknown type included", async (_name, style) => {
    const lines: string[] = [];
    const handle = style(client, (line) => lines.push(line));
    for (const id of SEEDED_EVENT_IDS) {
      await handle(JSON.stringify(emulator.thinEventOf(id)));
    }
    expect(lines).toEqual(EXPECTED_ACTIVITY_LINES);
  });

  it.each(styles)("%s lets an API failure reject (so Cactus redelivers) and prints nothing", async (_name, style) => {
    emulator.failNext({ status: 404, pathPrefix: "/v2/events/" });
    const lines: string[] = [];
    await expect(style(client, (line) => lines.push(line))(JSON.stringify(emulator.thinEventOf("evt_order_lost")))).rejects.toThrow(/404/);
    expect(lines).toEqual([]);
  });

  // "Testing one handler in isolation", the comparison's fourth row: how each style does it.
  describe("testing one handler in isolation", () => {
    const completed = (): EventBody => JSON.stringify(emulator.thinEventOf("evt_movie_completed"));
    const line = `movie.completed: ada rated "The Prickly Pear" 4.5/5`;

    it("switch: call the exported per-type function with a parsed event", async () => {
      const event = client.parseEventV2(completed());
      if (event.known && event.type === "movie.completed") {
        const lines: string[] = [];
        await movieCompleted(event, (l) => lines.push(l));
        expect(lines).toEqual([line]);
      } else {
        throw new Error(`parsed as ${event.type}`);
      }
    });

    it("subclass: call the method on an instance", async () => {
      const event = client.parseEventV2(completed());
      if (!event.known || event.type !== "movie.completed") throw new Error(`parsed as ${event.type}`);
      const lines: string[] = [];
      await new ActivityHandler(client, (l) => lines.push(l)).onMovieCompleted(event);
      expect(lines).toEqual([line]);
    });

    it("decorators: call the method on a plain instance; no router needed", async () => {
      const event = client.parseEventV2(completed());
      if (!event.known || event.type !== "movie.completed") throw new Error(`parsed as ${event.type}`);
      const lines: string[] = [];
      await new ActivityHandlers((l) => lines.push(l)).completed(event);
      expect(lines).toEqual([line]);
    });

    it("router.on: inline callbacks are only reachable through handle(body)", async () => {
      const lines: string[] = [];
      const result = await createActivityRouter(client, (l) => lines.push(l)).handle(completed());
      expect(lines).toEqual([line]);
      expect(result.handledBy).toBe("movie.completed");
    });
  });
});
