import { Type } from "class-transformer";
import { IsDefined, IsInt, IsObject, ValidateNested } from "class-validator";
import { BaseFullEvent, CactusConfigError, CactusHandler, CactusRouter, ExhaustiveCactusHandler, type BaseThinEvent, type PushedThinEvent } from "../../lib";
import { MoviePushedEvent, eventCatalog, type EventCatalogRow } from "../../lib/events";
import { pullAs } from "../../lib/events/base";
import { Wire } from "../../lib/events/wire";
import { ActivityHandler } from "../../examples/inheritance/activity-handler";
import { offlineClient } from "./helpers";

// `movie.paused`, added the way a release would add it: its classes plus one catalog row, and no
// other edit. Dispatch, the parser, the router's patterns and the exhaustive check must follow.
class MoviePausedData {
  @Wire("paused_at_seconds") @IsInt() readonly pausedAtSeconds!: number;
}

class MoviePausedEvent extends BaseFullEvent {
  @Wire() @IsDefined() @IsObject() @ValidateNested() @Type(() => MoviePausedData)
  readonly data!: MoviePausedData;
}

class MoviePausedPushedEvent extends MoviePushedEvent {
  pull(): Promise<MoviePausedEvent> {
    return pullAs(this, MoviePausedEvent);
  }
}

const row: EventCatalogRow = {
  pushed: MoviePausedPushedEvent,
  full: MoviePausedEvent,
  relatedObject: "movie",
  handlerMethod: "onMoviePaused",
  summary: "A user paused a movie.",
};

const paused = JSON.stringify({ id: "evt_paused", type: "movie.paused", related_object: { id: "mov_789", type: "movie" } });

describe("a catalog row added in memory (movie.paused)", () => {
  beforeAll(() => {
    Object.defineProperty(eventCatalog, "movie.paused", { value: row, enumerable: true, configurable: true });
  });
  afterAll(() => {
    Reflect.deleteProperty(eventCatalog, "movie.paused");
  });

  it("the parser builds its class, known, and validates its related object", () => {
    const event = offlineClient().parseEventV2(paused);
    expect(event).toBeInstanceOf(MoviePausedPushedEvent);
    expect(event.known).toBe(true);
    expect(() => offlineClient().parseEventV2(JSON.stringify({ id: "evt_x", type: "movie.paused" }))).toThrow(/related_object must be present/);
  });

  it("CactusHandler dispatches it to the method the row names, else to onOther", async () => {
    const calls: string[] = [];
    class WithPause extends CactusHandler {
      async onMoviePaused(event: BaseThinEvent): Promise<void> {
        calls.push(`paused ${event.id}`);
      }
      override async onOther(event: BaseThinEvent): Promise<void> {
        calls.push(`other ${event.id}`);
      }
    }
    class WithoutPause extends CactusHandler {
      override async onOther(event: BaseThinEvent): Promise<void> {
        calls.push(`other ${event.id}`);
      }
    }
    await expect(new WithPause(offlineClient()).handle(paused)).resolves.toMatchObject({ handledBy: "onMoviePaused" });
    await expect(new WithoutPause(offlineClient()).handle(paused)).resolves.toMatchObject({ handledBy: "onOther" });
    expect(calls).toEqual(["paused evt_paused", "other evt_paused"]);
  });

  it("the router: the type, its domain prefix and the catch-all all match it", async () => {
    const seen: string[] = [];
    const router = new CactusRouter(offlineClient()).on("movie.*", (event: PushedThinEvent) => void seen.push(`movie.* ${event.type}`));
    // A JavaScript caller (or a newer catalog) can subscribe to the new type by name.
    Reflect.apply(router.on, router, ["movie.paused", (event: PushedThinEvent) => void seen.push(`exact ${event.type}`)]);
    await expect(router.handle(paused)).resolves.toMatchObject({ handlers: ["movie.*", "movie.paused"] });
    expect(seen).toEqual(["movie.* movie.paused", "exact movie.paused"]);
  });

  it("ExhaustiveCactusHandler refuses a subclass that does not handle it, naming the method", () => {
    expect(() => new ActivityHandler(offlineClient(), () => undefined)).toThrow(CactusConfigError);
    expect(() => new ActivityHandler(offlineClient(), () => undefined)).toThrow(/does not implement onMoviePaused/);
    class Complete extends ActivityHandler {
      async onMoviePaused(): Promise<void> {
        return undefined;
      }
    }
    expect(() => new Complete(offlineClient(), () => undefined)).not.toThrow();
  });
});

describe("without the row", () => {
  it("movie.paused is an unknown type again, handled by onOther", () => {
    const event = offlineClient().parseEventV2(paused);
    expect(event.known).toBe(false);
    expect(() => new ActivityHandler(offlineClient(), () => undefined)).not.toThrow();
  });
});
