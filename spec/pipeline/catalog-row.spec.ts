import { Type } from "class-transformer";
import { IsDefined, IsInt, IsObject, ValidateNested } from "class-validator";
import { BaseFullEvent, CactusConfigError, CactusHandler, CactusRouter, ExhaustiveCactusHandler, type BaseThinEvent, type PushedThinEvent } from "../../lib";
import { MoviePushedEvent, eventCatalog, type EventCatalogRow } from "../../lib/events";
import { pullAs } from "../../lib/events/base";
import { Wire } from "../../lib/events/wire";
import { ActivityHandler } from "../../examples/inheritance/activity-handler";
import { offlineClient } from "./helpers";

// `movie.rewound`, added the way a release would add it: its classes plus one catalog row, and no
// other edit. Dispatch, the parser, the router's patterns and the exhaustive check must follow.
class MovieRewoundData {
  @Wire("rewound_to_seconds") @IsInt() readonly rewoundToSeconds!: number;
}

class MovieRewoundEvent extends BaseFullEvent {
  @Wire() @IsDefined() @IsObject() @ValidateNested() @Type(() => MovieRewoundData)
  readonly data!: MovieRewoundData;
}

class MovieRewoundPushedEvent extends MoviePushedEvent {
  pull(): Promise<MovieRewoundEvent> {
    return pullAs(this, MovieRewoundEvent);
  }
}

const row: EventCatalogRow = {
  pushed: MovieRewoundPushedEvent,
  full: MovieRewoundEvent,
  relatedObject: "movie",
  handlerMethod: "onMovieRewound",
  summary: "A user rewound a movie.",
};

const rewound = JSON.stringify({ id: "evt_rewound", type: "movie.rewound", related_object: { id: "mov_789", type: "movie" } });

describe("a catalog row added in memory (movie.rewound)", () => {
  beforeAll(() => {
    Object.defineProperty(eventCatalog, "movie.rewound", { value: row, enumerable: true, configurable: true });
  });
  afterAll(() => {
    Reflect.deleteProperty(eventCatalog, "movie.rewound");
  });

  it("the parser builds its class, known, and validates its related object", () => {
    const event = offlineClient().parseEventV2(rewound);
    expect(event).toBeInstanceOf(MovieRewoundPushedEvent);
    expect(event.known).toBe(true);
    expect(() => offlineClient().parseEventV2(JSON.stringify({ id: "evt_x", type: "movie.rewound" }))).toThrow(/related_object must be present/);
  });

  it("CactusHandler dispatches it to the method the row names, else to onOther", async () => {
    const calls: string[] = [];
    class WithPause extends CactusHandler {
      async onMovieRewound(event: BaseThinEvent): Promise<void> {
        calls.push(`rewound ${event.id}`);
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
    await expect(new WithPause(offlineClient()).handle(rewound)).resolves.toMatchObject({ handledBy: "onMovieRewound" });
    await expect(new WithoutPause(offlineClient()).handle(rewound)).resolves.toMatchObject({ handledBy: "onOther" });
    expect(calls).toEqual(["rewound evt_rewound", "other evt_rewound"]);
  });

  it("the router: the type, its domain prefix and the catch-all all match it", async () => {
    const seen: string[] = [];
    const router = new CactusRouter(offlineClient()).on("movie.*", (event: PushedThinEvent) => void seen.push(`movie.* ${event.type}`));
    // A JavaScript caller (or a newer catalog) can subscribe to the new type by name.
    Reflect.apply(router.on, router, ["movie.rewound", (event: PushedThinEvent) => void seen.push(`exact ${event.type}`)]);
    await expect(router.handle(rewound)).resolves.toMatchObject({ handlers: ["movie.*", "movie.rewound"] });
    expect(seen).toEqual(["movie.* movie.rewound", "exact movie.rewound"]);
  });

  it("ExhaustiveCactusHandler refuses a subclass that does not handle it, naming the method", () => {
    expect(() => new ActivityHandler(offlineClient(), () => undefined)).toThrow(CactusConfigError);
    expect(() => new ActivityHandler(offlineClient(), () => undefined)).toThrow(/does not implement onMovieRewound/);
    class Complete extends ActivityHandler {
      async onMovieRewound(): Promise<void> {
        return undefined;
      }
    }
    expect(() => new Complete(offlineClient(), () => undefined)).not.toThrow();
  });
});

describe("without the row", () => {
  it("movie.rewound is an unknown type again, handled by onOther", () => {
    const event = offlineClient().parseEventV2(rewound);
    expect(event.known).toBe(false);
    expect(() => new ActivityHandler(offlineClient(), () => undefined)).not.toThrow();
  });
});
